/**
 * The small, localized pages of the one-click unsubscribe flow: no JavaScript, no external resource, one inline
 * style block allowed by its hash in a strict CSP, `dir="rtl"` for Arabic and Hebrew, logical CSS properties.
 * The page shell, style, CSP and locale helpers are shared with the preference center (`preferences-page.ts`).
 */

export const LOCALES = ['en', 'de', 'fr', 'es', 'it', 'pl', 'pt', 'nl', 'sv', 'ja', 'ar', 'he'] as const;
export type Locale = (typeof LOCALES)[number];
const RTL = new Set<Locale>(['ar', 'he']);

interface Messages {
  confirmTitle: string;
  confirmText: string;
  confirmButton: string;
  doneTitle: string;
  doneText: string;
  undoPrompt: string;
  undoButton: string;
  undoneTitle: string;
  undoneText: string;
  undoUsedTitle: string;
  undoUsedText: string;
  preferencesLink: string;
  invalidTitle: string;
  invalidText: string;
  expiredTitle: string;
  expiredText: string;
  notFoundTitle: string;
  notFoundText: string;
  errorTitle: string;
  errorText: string;
  busyText: string;
  // Double opt-in (`/confirm/<token>`); {email} and {date} are filled in.
  optInTitle: string;
  optInText: string;
  optInGiven: string;
  optInDeclined: string;
  optInButton: string;
  optInDoneTitle: string;
  optInDoneText: string;
  optInUsedTitle: string;
  optInUsedText: string;
  optInExpiredTitle: string;
  optInExpiredText: string;
}

const MESSAGES: Record<Locale, Messages> = {
  en: {
    confirmTitle: 'Unsubscribe from marketing messages?',
    confirmText: 'You will no longer receive newsletters or offers from us. Messages about your orders and your account are not affected.',
    confirmButton: 'Unsubscribe',
    doneTitle: 'You are unsubscribed',
    doneText: 'You will no longer receive newsletters or offers from us.',
    undoPrompt: 'Did you unsubscribe by mistake?',
    undoButton: 'Undo',
    undoneTitle: 'You are subscribed again',
    undoneText: 'Your previous choices have been restored.',
    undoUsedTitle: 'This change was already undone',
    undoUsedText: 'You can still change every choice in your account.',
    preferencesLink: 'Manage all your preferences',
    invalidTitle: 'This link is not valid',
    invalidText: 'It may have been cut off or changed. Use the unsubscribe link from one of our recent messages, or manage your preferences in your account.',
    expiredTitle: 'This link is no longer valid',
    expiredText: 'Use the unsubscribe link from one of our recent messages, or manage your preferences in your account.',
    notFoundTitle: 'We could not find your subscription',
    notFoundText: 'There is nothing to unsubscribe from with this link.',
    errorTitle: 'Something went wrong',
    errorText: 'Your request could not be completed. Please try again in a few minutes.',
    busyText: 'Too many requests. Please try again in a minute.',
    optInTitle: 'Confirm your choices',
    optInText: 'Please confirm that we may record these choices for {email}.',
    optInGiven: 'You agreed to:',
    optInDeclined: 'You said no to:',
    optInButton: 'Confirm',
    optInDoneTitle: 'Thank you: your choices are confirmed',
    optInDoneText: 'We recorded them on {date}. You can change them at any time.',
    optInUsedTitle: 'Already confirmed',
    optInUsedText: 'These choices were confirmed on {date}. Nothing was changed.',
    optInExpiredTitle: 'This confirmation link has expired',
    optInExpiredText: 'Nothing was recorded. Sign up again and we will send you a new link.',
  },
  de: {
    confirmTitle: 'Von Marketing-Nachrichten abmelden?',
    confirmText: 'Sie erhalten dann keine Newsletter und Angebote mehr von uns. Nachrichten zu Ihren Bestellungen und Ihrem Konto sind davon nicht betroffen.',
    confirmButton: 'Abmelden',
    doneTitle: 'Sie sind abgemeldet',
    doneText: 'Sie erhalten keine Newsletter und Angebote mehr von uns.',
    undoPrompt: 'Versehentlich abgemeldet?',
    undoButton: 'Rückgängig machen',
    undoneTitle: 'Sie sind wieder angemeldet',
    undoneText: 'Ihre vorherigen Einstellungen wurden wiederhergestellt.',
    undoUsedTitle: 'Diese Änderung wurde bereits rückgängig gemacht',
    undoUsedText: 'Alle Einstellungen können Sie weiterhin in Ihrem Konto ändern.',
    preferencesLink: 'Alle Einstellungen verwalten',
    invalidTitle: 'Dieser Link ist ungültig',
    invalidText: 'Er wurde möglicherweise gekürzt oder verändert. Verwenden Sie den Abmeldelink aus einer unserer aktuellen Nachrichten oder verwalten Sie Ihre Einstellungen in Ihrem Konto.',
    expiredTitle: 'Dieser Link ist nicht mehr gültig',
    expiredText: 'Verwenden Sie den Abmeldelink aus einer unserer aktuellen Nachrichten oder verwalten Sie Ihre Einstellungen in Ihrem Konto.',
    notFoundTitle: 'Wir konnten Ihr Abonnement nicht finden',
    notFoundText: 'Über diesen Link gibt es nichts abzumelden.',
    errorTitle: 'Etwas ist schiefgelaufen',
    errorText: 'Ihre Anfrage konnte nicht abgeschlossen werden. Bitte versuchen Sie es in einigen Minuten erneut.',
    busyText: 'Zu viele Anfragen. Bitte versuchen Sie es in einer Minute erneut.',
    optInTitle: 'Bestätigen Sie Ihre Auswahl',
    optInText: 'Bitte bestätigen Sie, dass wir diese Auswahl für {email} speichern dürfen.',
    optInGiven: 'Sie haben zugestimmt:',
    optInDeclined: 'Sie haben abgelehnt:',
    optInButton: 'Bestätigen',
    optInDoneTitle: 'Vielen Dank: Ihre Auswahl ist bestätigt',
    optInDoneText: 'Wir haben sie am {date} gespeichert. Sie können sie jederzeit ändern.',
    optInUsedTitle: 'Bereits bestätigt',
    optInUsedText: 'Diese Auswahl wurde am {date} bestätigt. Es wurde nichts geändert.',
    optInExpiredTitle: 'Dieser Bestätigungslink ist abgelaufen',
    optInExpiredText: 'Es wurde nichts gespeichert. Melden Sie sich erneut an, dann senden wir Ihnen einen neuen Link.',
  },
  fr: {
    confirmTitle: 'Se désabonner des messages marketing ?',
    confirmText: 'Vous ne recevrez plus nos newsletters ni nos offres. Les messages concernant vos commandes et votre compte ne sont pas concernés.',
    confirmButton: 'Se désabonner',
    doneTitle: 'Votre désabonnement est confirmé',
    doneText: 'Vous ne recevrez plus nos newsletters ni nos offres.',
    undoPrompt: 'Vous avez fait une erreur ?',
    undoButton: 'Annuler',
    undoneTitle: 'Votre abonnement est rétabli',
    undoneText: 'Vos choix précédents ont été restaurés.',
    undoUsedTitle: 'Cette modification a déjà été annulée',
    undoUsedText: 'Vous pouvez toujours modifier vos choix dans votre compte.',
    preferencesLink: 'Gérer toutes vos préférences',
    invalidTitle: 'Ce lien n’est pas valide',
    invalidText: 'Il a peut-être été tronqué ou modifié. Utilisez le lien de désabonnement d’un de nos messages récents, ou gérez vos préférences dans votre compte.',
    expiredTitle: 'Ce lien n’est plus valide',
    expiredText: 'Utilisez le lien de désabonnement d’un de nos messages récents, ou gérez vos préférences dans votre compte.',
    notFoundTitle: 'Nous n’avons pas trouvé votre abonnement',
    notFoundText: 'Ce lien ne correspond à aucun abonnement.',
    errorTitle: 'Une erreur s’est produite',
    errorText: 'Votre demande n’a pas pu aboutir. Veuillez réessayer dans quelques minutes.',
    busyText: 'Trop de demandes. Veuillez réessayer dans une minute.',
    optInTitle: 'Confirmez vos choix',
    optInText: 'Veuillez confirmer que nous pouvons enregistrer ces choix pour {email}.',
    optInGiven: 'Vous avez accepté :',
    optInDeclined: 'Vous avez refusé :',
    optInButton: 'Confirmer',
    optInDoneTitle: 'Merci : vos choix sont confirmés',
    optInDoneText: 'Nous les avons enregistrés le {date}. Vous pouvez les modifier à tout moment.',
    optInUsedTitle: 'Déjà confirmé',
    optInUsedText: 'Ces choix ont été confirmés le {date}. Rien n’a été modifié.',
    optInExpiredTitle: 'Ce lien de confirmation a expiré',
    optInExpiredText: 'Rien n’a été enregistré. Inscrivez-vous à nouveau et nous vous enverrons un nouveau lien.',
  },
  es: {
    confirmTitle: '¿Darse de baja de los mensajes de marketing?',
    confirmText: 'Dejará de recibir nuestros boletines y ofertas. Los mensajes sobre sus pedidos y su cuenta no se verán afectados.',
    confirmButton: 'Darse de baja',
    doneTitle: 'Se ha dado de baja',
    doneText: 'Ya no recibirá nuestros boletines ni ofertas.',
    undoPrompt: '¿Se ha dado de baja por error?',
    undoButton: 'Deshacer',
    undoneTitle: 'Se ha vuelto a suscribir',
    undoneText: 'Se han restaurado sus preferencias anteriores.',
    undoUsedTitle: 'Este cambio ya se deshizo',
    undoUsedText: 'Puede seguir cambiando sus preferencias en su cuenta.',
    preferencesLink: 'Gestionar todas sus preferencias',
    invalidTitle: 'Este enlace no es válido',
    invalidText: 'Puede que esté incompleto o modificado. Use el enlace de baja de uno de nuestros mensajes recientes o gestione sus preferencias en su cuenta.',
    expiredTitle: 'Este enlace ya no es válido',
    expiredText: 'Use el enlace de baja de uno de nuestros mensajes recientes o gestione sus preferencias en su cuenta.',
    notFoundTitle: 'No hemos encontrado su suscripción',
    notFoundText: 'Con este enlace no hay nada de lo que darse de baja.',
    errorTitle: 'Algo ha salido mal',
    errorText: 'No se ha podido completar su solicitud. Inténtelo de nuevo dentro de unos minutos.',
    busyText: 'Demasiadas solicitudes. Inténtelo de nuevo dentro de un minuto.',
    optInTitle: 'Confirme sus preferencias',
    optInText: 'Confirme que podemos registrar estas preferencias para {email}.',
    optInGiven: 'Ha aceptado:',
    optInDeclined: 'Ha rechazado:',
    optInButton: 'Confirmar',
    optInDoneTitle: 'Gracias: sus preferencias están confirmadas',
    optInDoneText: 'Las registramos el {date}. Puede cambiarlas en cualquier momento.',
    optInUsedTitle: 'Ya confirmado',
    optInUsedText: 'Estas preferencias se confirmaron el {date}. No se ha cambiado nada.',
    optInExpiredTitle: 'Este enlace de confirmación ha caducado',
    optInExpiredText: 'No se ha registrado nada. Vuelva a suscribirse y le enviaremos un enlace nuevo.',
  },
  it: {
    confirmTitle: 'Annullare l’iscrizione ai messaggi di marketing?',
    confirmText: 'Non riceverai più le nostre newsletter e offerte. I messaggi relativi ai tuoi ordini e al tuo account non cambiano.',
    confirmButton: 'Annulla iscrizione',
    doneTitle: 'Iscrizione annullata',
    doneText: 'Non riceverai più le nostre newsletter e offerte.',
    undoPrompt: 'Hai annullato l’iscrizione per errore?',
    undoButton: 'Ripristina iscrizione',
    undoneTitle: 'Iscrizione ripristinata',
    undoneText: 'Le tue scelte precedenti sono state ripristinate.',
    undoUsedTitle: 'Questa modifica è già stata annullata',
    undoUsedText: 'Puoi sempre modificare le tue scelte nel tuo account.',
    preferencesLink: 'Gestisci tutte le preferenze',
    invalidTitle: 'Questo link non è valido',
    invalidText: 'Potrebbe essere stato troncato o modificato. Usa il link di disiscrizione di un nostro messaggio recente oppure gestisci le preferenze nel tuo account.',
    expiredTitle: 'Questo link non è più valido',
    expiredText: 'Usa il link di disiscrizione di un nostro messaggio recente oppure gestisci le preferenze nel tuo account.',
    notFoundTitle: 'Non abbiamo trovato la tua iscrizione',
    notFoundText: 'Con questo link non c’è nessuna iscrizione da annullare.',
    errorTitle: 'Si è verificato un errore',
    errorText: 'Non è stato possibile completare la richiesta. Riprova tra qualche minuto.',
    busyText: 'Troppe richieste. Riprova tra un minuto.',
    optInTitle: 'Conferma le tue scelte',
    optInText: 'Conferma che possiamo registrare queste scelte per {email}.',
    optInGiven: 'Hai accettato:',
    optInDeclined: 'Hai rifiutato:',
    optInButton: 'Conferma',
    optInDoneTitle: 'Grazie: le tue scelte sono confermate',
    optInDoneText: 'Le abbiamo registrate in data {date}. Puoi modificarle in qualsiasi momento.',
    optInUsedTitle: 'Già confermato',
    optInUsedText: 'Queste scelte sono state confermate in data {date}. Non è stato modificato nulla.',
    optInExpiredTitle: 'Questo link di conferma è scaduto',
    optInExpiredText: 'Non è stato registrato nulla. Iscriviti di nuovo e ti invieremo un nuovo link.',
  },
  pl: {
    confirmTitle: 'Wypisać się z wiadomości marketingowych?',
    confirmText: 'Nie będziesz już otrzymywać od nas newsletterów ani ofert. Wiadomości dotyczące zamówień i konta nie ulegną zmianie.',
    confirmButton: 'Wypisz się',
    doneTitle: 'Wypisano Cię z subskrypcji',
    doneText: 'Nie będziesz już otrzymywać od nas newsletterów ani ofert.',
    undoPrompt: 'Wypisano Cię przez pomyłkę?',
    undoButton: 'Cofnij',
    undoneTitle: 'Subskrypcja została przywrócona',
    undoneText: 'Przywrócono Twoje poprzednie ustawienia.',
    undoUsedTitle: 'Tę zmianę już cofnięto',
    undoUsedText: 'Nadal możesz zmienić swoje ustawienia na koncie.',
    preferencesLink: 'Zarządzaj wszystkimi ustawieniami',
    invalidTitle: 'Ten link jest nieprawidłowy',
    invalidText: 'Mógł zostać obcięty lub zmieniony. Użyj linku do wypisania się z jednej z naszych ostatnich wiadomości albo zarządzaj ustawieniami na swoim koncie.',
    expiredTitle: 'Ten link jest już nieaktualny',
    expiredText: 'Użyj linku do wypisania się z jednej z naszych ostatnich wiadomości albo zarządzaj ustawieniami na swoim koncie.',
    notFoundTitle: 'Nie znaleźliśmy Twojej subskrypcji',
    notFoundText: 'Ten link nie prowadzi do żadnej subskrypcji.',
    errorTitle: 'Coś poszło nie tak',
    errorText: 'Nie udało się zrealizować żądania. Spróbuj ponownie za kilka minut.',
    busyText: 'Zbyt wiele żądań. Spróbuj ponownie za minutę.',
    optInTitle: 'Potwierdź swoje wybory',
    optInText: 'Potwierdź, że możemy zapisać te wybory dla adresu {email}.',
    optInGiven: 'Zgoda na:',
    optInDeclined: 'Brak zgody na:',
    optInButton: 'Potwierdź',
    optInDoneTitle: 'Dziękujemy: Twoje wybory zostały potwierdzone',
    optInDoneText: 'Zapisaliśmy je {date}. Możesz je zmienić w dowolnym momencie.',
    optInUsedTitle: 'Już potwierdzono',
    optInUsedText: 'Te wybory zostały potwierdzone {date}. Niczego nie zmieniono.',
    optInExpiredTitle: 'Ten link potwierdzający wygasł',
    optInExpiredText: 'Niczego nie zapisano. Zapisz się ponownie, a wyślemy Ci nowy link.',
  },
  pt: {
    confirmTitle: 'Deixar de receber mensagens de marketing?',
    confirmText: 'Deixará de receber as nossas newsletters e ofertas. As mensagens sobre os seus pedidos e a sua conta não são afetadas.',
    confirmButton: 'Deixar de receber',
    doneTitle: 'Cancelamento confirmado',
    doneText: 'Não receberá mais as nossas newsletters e ofertas.',
    undoPrompt: 'Foi por engano?',
    undoButton: 'Desfazer',
    undoneTitle: 'Voltará a receber as nossas mensagens',
    undoneText: 'As suas escolhas anteriores foram restauradas.',
    undoUsedTitle: 'Esta alteração já foi desfeita',
    undoUsedText: 'Pode continuar a alterar as suas escolhas na sua conta.',
    preferencesLink: 'Gerir todas as preferências',
    invalidTitle: 'Este link não é válido',
    invalidText: 'Pode ter sido cortado ou alterado. Use o link de cancelamento de uma das nossas mensagens recentes ou gira as suas preferências na sua conta.',
    expiredTitle: 'Este link já não é válido',
    expiredText: 'Use o link de cancelamento de uma das nossas mensagens recentes ou gira as suas preferências na sua conta.',
    notFoundTitle: 'Não foi possível encontrar a sua subscrição',
    notFoundText: 'Não há nada a cancelar com este link.',
    errorTitle: 'Ocorreu um erro',
    errorText: 'Não foi possível concluir o pedido. Tente novamente dentro de alguns minutos.',
    busyText: 'Demasiados pedidos. Tente novamente dentro de um minuto.',
    optInTitle: 'Confirme as suas escolhas',
    optInText: 'Confirme que podemos registar estas escolhas para {email}.',
    optInGiven: 'Aceitou:',
    optInDeclined: 'Recusou:',
    optInButton: 'Confirmar',
    optInDoneTitle: 'Obrigado: as suas escolhas estão confirmadas',
    optInDoneText: 'Registámo-las em {date}. Pode alterá-las a qualquer momento.',
    optInUsedTitle: 'Já confirmado',
    optInUsedText: 'Estas escolhas foram confirmadas em {date}. Nada foi alterado.',
    optInExpiredTitle: 'Este link de confirmação expirou',
    optInExpiredText: 'Nada foi registado. Inscreva-se novamente e enviaremos um novo link.',
  },
  nl: {
    confirmTitle: 'Afmelden voor marketingberichten?',
    confirmText: 'Je ontvangt dan geen nieuwsbrieven en aanbiedingen meer van ons. Berichten over je bestellingen en je account blijven gewoon komen.',
    confirmButton: 'Afmelden',
    doneTitle: 'Je bent afgemeld',
    doneText: 'Je ontvangt geen nieuwsbrieven en aanbiedingen meer van ons.',
    undoPrompt: 'Per ongeluk afgemeld?',
    undoButton: 'Ongedaan maken',
    undoneTitle: 'Je bent weer aangemeld',
    undoneText: 'Je eerdere keuzes zijn hersteld.',
    undoUsedTitle: 'Deze wijziging is al ongedaan gemaakt',
    undoUsedText: 'Je kunt je keuzes altijd nog wijzigen in je account.',
    preferencesLink: 'Al je voorkeuren beheren',
    invalidTitle: 'Deze link is ongeldig',
    invalidText: 'Mogelijk is hij afgebroken of gewijzigd. Gebruik de afmeldlink uit een van onze recente berichten of beheer je voorkeuren in je account.',
    expiredTitle: 'Deze link is niet meer geldig',
    expiredText: 'Gebruik de afmeldlink uit een van onze recente berichten of beheer je voorkeuren in je account.',
    notFoundTitle: 'We konden je abonnement niet vinden',
    notFoundText: 'Via deze link valt er niets af te melden.',
    errorTitle: 'Er ging iets mis',
    errorText: 'Je verzoek kon niet worden afgerond. Probeer het over een paar minuten opnieuw.',
    busyText: 'Te veel verzoeken. Probeer het over een minuut opnieuw.',
    optInTitle: 'Bevestig je keuzes',
    optInText: 'Bevestig dat we deze keuzes voor {email} mogen vastleggen.',
    optInGiven: 'Je hebt ingestemd met:',
    optInDeclined: 'Je hebt geweigerd:',
    optInButton: 'Bevestigen',
    optInDoneTitle: 'Bedankt: je keuzes zijn bevestigd',
    optInDoneText: 'We hebben ze vastgelegd op {date}. Je kunt ze altijd wijzigen.',
    optInUsedTitle: 'Al bevestigd',
    optInUsedText: 'Deze keuzes zijn bevestigd op {date}. Er is niets gewijzigd.',
    optInExpiredTitle: 'Deze bevestigingslink is verlopen',
    optInExpiredText: 'Er is niets vastgelegd. Meld je opnieuw aan, dan sturen we je een nieuwe link.',
  },
  sv: {
    confirmTitle: 'Avregistrera dig från marknadsföringsutskick?',
    confirmText: 'Du får då inga fler nyhetsbrev eller erbjudanden från oss. Meddelanden om dina beställningar och ditt konto påverkas inte.',
    confirmButton: 'Avregistrera',
    doneTitle: 'Du är avregistrerad',
    doneText: 'Du får inga fler nyhetsbrev eller erbjudanden från oss.',
    undoPrompt: 'Avregistrerade du dig av misstag?',
    undoButton: 'Ångra',
    undoneTitle: 'Du är registrerad igen',
    undoneText: 'Dina tidigare val har återställts.',
    undoUsedTitle: 'Den här ändringen har redan ångrats',
    undoUsedText: 'Du kan fortfarande ändra dina val i ditt konto.',
    preferencesLink: 'Hantera alla dina inställningar',
    invalidTitle: 'Den här länken är ogiltig',
    invalidText: 'Den kan ha klippts av eller ändrats. Använd avregistreringslänken i ett av våra senaste meddelanden, eller hantera dina inställningar i ditt konto.',
    expiredTitle: 'Den här länken gäller inte längre',
    expiredText: 'Använd avregistreringslänken i ett av våra senaste meddelanden, eller hantera dina inställningar i ditt konto.',
    notFoundTitle: 'Vi hittade inte din prenumeration',
    notFoundText: 'Det finns inget att avregistrera med den här länken.',
    errorTitle: 'Något gick fel',
    errorText: 'Din begäran kunde inte slutföras. Försök igen om några minuter.',
    busyText: 'För många förfrågningar. Försök igen om en minut.',
    optInTitle: 'Bekräfta dina val',
    optInText: 'Bekräfta att vi får spara de här valen för {email}.',
    optInGiven: 'Du har sagt ja till:',
    optInDeclined: 'Du har sagt nej till:',
    optInButton: 'Bekräfta',
    optInDoneTitle: 'Tack! Dina val är bekräftade',
    optInDoneText: 'Vi sparade dem den {date}. Du kan ändra dem när som helst.',
    optInUsedTitle: 'Redan bekräftat',
    optInUsedText: 'De här valen bekräftades den {date}. Inget har ändrats.',
    optInExpiredTitle: 'Bekräftelselänken har gått ut',
    optInExpiredText: 'Inget har sparats. Anmäl dig igen så skickar vi en ny länk.',
  },
  ja: {
    confirmTitle: 'マーケティングメールの配信を停止しますか？',
    confirmText: '今後、ニュースレターやお得な情報は届かなくなります。ご注文やアカウントに関するお知らせは引き続きお送りします。',
    confirmButton: '配信を停止する',
    doneTitle: '配信を停止しました',
    doneText: '今後、ニュースレターやお得な情報は届きません。',
    undoPrompt: '誤って停止しましたか？',
    undoButton: '元に戻す',
    undoneTitle: '配信を再開しました',
    undoneText: '以前の設定を復元しました。',
    undoUsedTitle: 'この変更はすでに元に戻されています',
    undoUsedText: '設定はアカウントページでいつでも変更できます。',
    preferencesLink: 'すべての設定を管理する',
    invalidTitle: 'このリンクは無効です',
    invalidText: 'リンクが途中で切れているか、変更された可能性があります。最近お送りしたメールの配信停止リンクを使うか、アカウントで設定を管理してください。',
    expiredTitle: 'このリンクは有効期限が切れています',
    expiredText: '最近お送りしたメールの配信停止リンクを使うか、アカウントで設定を管理してください。',
    notFoundTitle: '購読情報が見つかりませんでした',
    notFoundText: 'このリンクで停止できる配信はありません。',
    errorTitle: '問題が発生しました',
    errorText: 'リクエストを完了できませんでした。数分後にもう一度お試しください。',
    busyText: 'リクエストが多すぎます。1分後にもう一度お試しください。',
    optInTitle: '選択内容の確認',
    optInText: '{email} について、以下の選択内容を登録してよろしいですか。',
    optInGiven: '同意した項目：',
    optInDeclined: '同意しなかった項目：',
    optInButton: '確認する',
    optInDoneTitle: 'ありがとうございます。選択内容を確認しました',
    optInDoneText: '{date} に登録しました。いつでも変更できます。',
    optInUsedTitle: '確認済みです',
    optInUsedText: 'この選択内容は {date} に確認済みです。変更はありません。',
    optInExpiredTitle: 'この確認リンクは有効期限が切れています',
    optInExpiredText: '何も登録されていません。もう一度お申し込みいただければ、新しいリンクをお送りします。',
  },
  ar: {
    confirmTitle: 'هل تريد إلغاء الاشتراك في الرسائل التسويقية؟',
    confirmText: 'لن تصلك منا بعد الآن النشرات الإخبارية أو العروض. لن تتأثر الرسائل المتعلقة بطلباتك وحسابك.',
    confirmButton: 'إلغاء الاشتراك',
    doneTitle: 'تم إلغاء اشتراكك',
    doneText: 'لن تصلك منا بعد الآن النشرات الإخبارية أو العروض.',
    undoPrompt: 'هل ألغيت الاشتراك عن طريق الخطأ؟',
    undoButton: 'تراجع',
    undoneTitle: 'تمت إعادة اشتراكك',
    undoneText: 'تمت استعادة اختياراتك السابقة.',
    undoUsedTitle: 'تم التراجع عن هذا التغيير من قبل',
    undoUsedText: 'لا يزال بإمكانك تغيير اختياراتك من حسابك.',
    preferencesLink: 'إدارة جميع تفضيلاتك',
    invalidTitle: 'هذا الرابط غير صالح',
    invalidText: 'ربما تم اقتطاعه أو تعديله. استخدم رابط إلغاء الاشتراك من إحدى رسائلنا الأخيرة، أو أدر تفضيلاتك من حسابك.',
    expiredTitle: 'لم يعد هذا الرابط صالحًا',
    expiredText: 'استخدم رابط إلغاء الاشتراك من إحدى رسائلنا الأخيرة، أو أدر تفضيلاتك من حسابك.',
    notFoundTitle: 'لم نعثر على اشتراكك',
    notFoundText: 'لا يوجد اشتراك يمكن إلغاؤه بهذا الرابط.',
    errorTitle: 'حدث خطأ ما',
    errorText: 'تعذر إكمال طلبك. يُرجى المحاولة مرة أخرى بعد بضع دقائق.',
    busyText: 'طلبات كثيرة جدًا. يُرجى المحاولة مرة أخرى بعد دقيقة.',
    optInTitle: 'أكِّد اختياراتك',
    optInText: 'يُرجى التأكيد على أنه يمكننا تسجيل هذه الاختيارات للعنوان {email}.',
    optInGiven: 'وافقت على:',
    optInDeclined: 'رفضت:',
    optInButton: 'تأكيد',
    optInDoneTitle: 'شكرًا لك: تم تأكيد اختياراتك',
    optInDoneText: 'سجّلناها في {date}. يمكنك تغييرها في أي وقت.',
    optInUsedTitle: 'تم التأكيد من قبل',
    optInUsedText: 'تم تأكيد هذه الاختيارات في {date}. لم يتغير شيء.',
    optInExpiredTitle: 'انتهت صلاحية رابط التأكيد هذا',
    optInExpiredText: 'لم يُسجَّل شيء. اشترك مرة أخرى وسنرسل إليك رابطًا جديدًا.',
  },
  he: {
    confirmTitle: 'להסיר אותך מרשימת הדיוור השיווקי?',
    confirmText: 'לא יישלחו אליך עוד ניוזלטרים והצעות מאיתנו. הודעות על ההזמנות והחשבון שלך ימשיכו להגיע.',
    confirmButton: 'הסרה מהרשימה',
    doneTitle: 'הוסרת מרשימת הדיוור',
    doneText: 'לא יישלחו אליך עוד ניוזלטרים והצעות מאיתנו.',
    undoPrompt: 'הוסרת בטעות?',
    undoButton: 'ביטול ההסרה',
    undoneTitle: 'נרשמת מחדש',
    undoneText: 'הבחירות הקודמות שלך שוחזרו.',
    undoUsedTitle: 'השינוי הזה כבר בוטל',
    undoUsedText: 'עדיין אפשר לשנות את הבחירות שלך בחשבון.',
    preferencesLink: 'ניהול כל ההעדפות',
    invalidTitle: 'הקישור הזה אינו תקין',
    invalidText: 'ייתכן שהוא נקטע או שונה. השתמשו בקישור ההסרה מאחת ההודעות האחרונות שלנו, או נהלו את ההעדפות בחשבון.',
    expiredTitle: 'הקישור הזה כבר אינו בתוקף',
    expiredText: 'השתמשו בקישור ההסרה מאחת ההודעות האחרונות שלנו, או נהלו את ההעדפות בחשבון.',
    notFoundTitle: 'לא מצאנו את המינוי שלך',
    notFoundText: 'אין ממה להסיר באמצעות הקישור הזה.',
    errorTitle: 'משהו השתבש',
    errorText: 'לא הצלחנו להשלים את הבקשה. נסו שוב בעוד כמה דקות.',
    busyText: 'יותר מדי בקשות. נסו שוב בעוד דקה.',
    optInTitle: 'אישור הבחירות שלך',
    optInText: 'נא לאשר שנוכל לשמור את הבחירות האלה עבור {email}.',
    optInGiven: 'הסכמת ל:',
    optInDeclined: 'סירבת ל:',
    optInButton: 'אישור',
    optInDoneTitle: 'תודה: הבחירות שלך אושרו',
    optInDoneText: 'שמרנו אותן ב-{date}. אפשר לשנות אותן בכל עת.',
    optInUsedTitle: 'כבר אושר',
    optInUsedText: 'הבחירות האלה אושרו ב-{date}. שום דבר לא השתנה.',
    optInExpiredTitle: 'תוקף קישור האישור הזה פג',
    optInExpiredText: 'שום דבר לא נשמר. אפשר להירשם שוב ונשלח קישור חדש.',
  },
};

/** `rtl` for Arabic and Hebrew. */
export function dirOf(locale: Locale): 'rtl' | 'ltr' {
  return RTL.has(locale) ? 'rtl' : 'ltr';
}

function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** `?lang=` first, then `Accept-Language` by quality, then English. Region subtags fall back to the language. */
export function negotiateLocale(queryLang: string | undefined, acceptLanguage: string | null): Locale {
  const pick = (tag: string): Locale | null => {
    const language = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
    return isLocale(language) ? language : null;
  };
  if (queryLang) {
    const chosen = pick(queryLang);
    if (chosen) return chosen;
  }
  const ranked = (acceptLanguage ?? '')
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.tag && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const entry of ranked) {
    const chosen = pick(entry.tag);
    if (chosen) return chosen;
  }
  return 'en';
}

const STYLE = `:root{color-scheme:light dark;--fg:#1b1b1f;--bg:#f6f6f8;--card:#fff;--accent:#1f5fbf;--muted:#55575f}
@media (prefers-color-scheme:dark){:root{--fg:#ececf1;--bg:#16171b;--card:#202228;--accent:#8ab4ff;--muted:#b3b5bd}}
*{box-sizing:border-box}
body{margin:0;min-block-size:100vh;display:grid;place-items:center;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Sans Hebrew","Noto Sans JP",sans-serif}
main{max-inline-size:32rem;margin:1.5rem;padding:2rem;background:var(--card);border-radius:12px;box-shadow:0 1px 4px rgb(0 0 0/.12)}
h1{font-size:1.4rem;line-height:1.3;margin:0 0 .75rem}
p{margin:0 0 1rem}
.muted{color:var(--muted)}
form{margin:1.25rem 0}
button{font:inherit;font-weight:600;padding:.6rem 1.4rem;border:0;border-radius:8px;background:var(--accent);color:var(--card);cursor:pointer}
button.secondary{background:transparent;color:var(--accent);border:2px solid var(--accent)}
button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:3px}
a{color:var(--accent)}`;

const styleHashes = new Map<string, Promise<string>>();
/** The CSP source for an inline style block: `'sha256-…'`, computed once per isolate (the shared style by default). */
export function styleSource(style: string = STYLE): Promise<string> {
  let hash = styleHashes.get(style);
  if (!hash) {
    hash = crypto.subtle.digest('SHA-256', new TextEncoder().encode(style)).then((digest) => {
      let binary = '';
      for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
      return `'sha256-${btoa(binary)}'`;
    });
    styleHashes.set(style, hash);
  }
  return hash;
}

export interface PageCspOptions {
  /** Inline style blocks of the page besides the shared one, each allowed by its hash. */
  styles?: readonly string[];
  /** Where the page may load scripts from (none by default: the pages need no JavaScript). */
  scriptSources?: readonly string[];
  /** Let the page's scripts call the worker itself (`connect-src 'self'`). */
  connectSelf?: boolean;
}

export async function pageCsp(options: PageCspOptions = {}): Promise<string> {
  const styles = await Promise.all([STYLE, ...(options.styles ?? [])].map((style) => styleSource(style)));
  return [
    "default-src 'none'",
    `style-src ${styles.join(' ')}`,
    ...(options.scriptSources?.length ? [`script-src ${options.scriptSources.join(' ')}`] : []),
    ...(options.connectSelf ? ["connect-src 'self'"] : []),
    "img-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export interface ShellOptions {
  locale: Locale;
  title: string;
  /** The content of `<main>` (already escaped HTML). */
  main: string;
  /** A second inline style block (its hash must be in the CSP: `pageCsp({ styles: [style] })`). */
  style?: string;
  /** More of `<head>` (already escaped HTML), e.g. a module script the CSP allows. */
  head?: string;
}

/** The document every worker page shares: language and direction, `noindex`, `no-referrer`, the hashed style. */
export function pageShell(options: ShellOptions): string {
  return (
    `<!doctype html>\n<html lang="${options.locale}" dir="${dirOf(options.locale)}">` +
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">` +
    `<title>${escapeHtml(options.title)}</title><style>${STYLE}</style>${options.style ? `<style>${options.style}</style>` : ''}${options.head ?? ''}</head>` +
    `<body><main>${options.main}</main></body></html>`
  );
}

export type PageKind =
  | 'confirm'
  | 'done'
  | 'undone'
  | 'undo_used'
  | 'invalid'
  | 'expired'
  | 'not_found'
  | 'error'
  | 'busy'
  | 'optin'
  | 'optin_done'
  | 'optin_used'
  | 'optin_expired'
  | 'optin_invalid';

/** What a double opt-in page shows: the (masked) address, the consents' names, when it was confirmed. */
export interface OptInDetails {
  email?: string;
  given?: string[];
  declined?: string[];
  /** ISO date of the confirmation. */
  date?: string;
}

export interface PageOptions {
  kind: PageKind;
  locale: Locale;
  /** For `confirm`: the form posts here (the page's own URL). For `done`: where the undo form posts, when undo is available. */
  formAction?: string;
  undoAction?: string | null;
  preferencesUrl: string | null;
  optIn?: OptInDetails;
}

/** `alice@example.com` → `a•••e@example.com`: enough for the person to recognise, little for anyone else. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  const local = email.slice(0, at);
  return `${local[0]}•••${local.length > 1 ? local.at(-1) : ''}${email.slice(at)}`;
}

/** Fills `{name}` placeholders, each value isolated (`<bdi>`): an address keeps its punctuation in right-to-left text. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => `<bdi>${escapeHtml(values[name] ?? whole)}</bdi>`);
}

function longDate(locale: Locale, iso: string | undefined): string {
  const date = new Date(iso ?? '');
  return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

function nameList(heading: string, names: string[] | undefined): string {
  if (!names?.length) return '';
  return `<p class="muted">${escapeHtml(heading)}</p><ul>${names.map((name) => `<li><bdi>${escapeHtml(name)}</bdi></li>`).join('')}</ul>`;
}

/** Renders one page of the flow. Every dynamic value is escaped; nothing personal is shown. */
export function renderPage(options: PageOptions): string {
  const t = MESSAGES[options.locale];
  const optIn = options.optIn ?? {};
  const values = { email: optIn.email ? maskEmail(optIn.email) : '', date: longDate(options.locale, optIn.date) };
  const parts: { title: string; text: string; extra: string } = (() => {
    switch (options.kind) {
      case 'confirm':
        return {
          title: t.confirmTitle,
          text: t.confirmText,
          extra:
            `<form method="post"${options.formAction ? ` action="${escapeHtml(options.formAction)}"` : ''}>` +
            `<input type="hidden" name="List-Unsubscribe" value="One-Click">` +
            `<button type="submit">${escapeHtml(t.confirmButton)}</button></form>`,
        };
      case 'done':
        return {
          title: t.doneTitle,
          text: t.doneText,
          extra: options.undoAction
            ? `<form method="post" action="${escapeHtml(options.undoAction)}"><p class="muted">${escapeHtml(t.undoPrompt)}</p>` +
              `<button type="submit" class="secondary">${escapeHtml(t.undoButton)}</button></form>`
            : '',
        };
      case 'undone':
        return { title: t.undoneTitle, text: t.undoneText, extra: '' };
      case 'undo_used':
        return { title: t.undoUsedTitle, text: t.undoUsedText, extra: '' };
      case 'invalid':
        return { title: t.invalidTitle, text: t.invalidText, extra: '' };
      case 'expired':
        return { title: t.expiredTitle, text: t.expiredText, extra: '' };
      case 'not_found':
        return { title: t.notFoundTitle, text: t.notFoundText, extra: '' };
      case 'busy':
        return { title: t.errorTitle, text: t.busyText, extra: '' };
      case 'error':
        return { title: t.errorTitle, text: t.errorText, extra: '' };
      case 'optin':
        return {
          title: t.optInTitle,
          text: t.optInText,
          extra:
            nameList(t.optInGiven, optIn.given) +
            nameList(t.optInDeclined, optIn.declined) +
            `<form method="post"><button type="submit">${escapeHtml(t.optInButton)}</button></form>`,
        };
      case 'optin_done':
        return { title: t.optInDoneTitle, text: t.optInDoneText, extra: nameList(t.optInGiven, optIn.given) };
      case 'optin_used':
        return { title: t.optInUsedTitle, text: t.optInUsedText, extra: '' };
      case 'optin_expired':
        return { title: t.optInExpiredTitle, text: t.optInExpiredText, extra: '' };
      case 'optin_invalid':
        return { title: t.invalidTitle, text: t.optInExpiredText, extra: '' };
    }
  })();
  const preferences = options.preferencesUrl
    ? `<p><a href="${escapeHtml(options.preferencesUrl)}" rel="noreferrer">${escapeHtml(t.preferencesLink)}</a></p>`
    : '';
  return pageShell({
    locale: options.locale,
    title: parts.title,
    main: `<h1>${escapeHtml(parts.title)}</h1><p>${fill(escapeHtml(parts.text), values)}</p>${parts.extra}${preferences}`,
  });
}
