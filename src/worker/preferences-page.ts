/**
 * The preference center page (`/preferences/<token>`): every consent, grouped as Voucherify's consent groups group them,
 * as a plain form that works without JavaScript. It reuses the worker pages' shell, style, CSP and locale helpers
 * (`unsubscribe-page.ts`) and adds one hashed style block. With the elements' CDN build configured (`ELEMENTS_URL`),
 * the form is wrapped in `<vc-consent-panel>` (in its `plain-form` slot), which replaces it once the element upgrades.
 */
import type { EdgeConsentDefinitions } from '../api/edge-types.js';
import type { CustomerConsentsState } from '../api/types.js';
import type { Locale } from './unsubscribe-page.js';
import { escapeHtml, fill, maskEmail, pageShell } from './unsubscribe-page.js';

interface Messages {
  title: string;
  /** {email} is the masked address. */
  managing: string;
  intro: string;
  otherHeading: string;
  /** {date} is filled in. */
  given: string;
  withdrawn: string;
  undecided: string;
  save: string;
  unsubscribeAll: string;
  unsubscribedNote: string;
  /** {list} is the consents' names. */
  savedNow: string;
  savedNoLonger: string;
  savedNothing: string;
  savedUnsubscribed: string;
  staleForm: string;
  expiredTitle: string;
  expiredText: string;
  invalidTitle: string;
  invalidText: string;
  notFoundTitle: string;
  notFoundText: string;
  badFormTitle: string;
  badFormText: string;
  backLink: string;
}

const MESSAGES: Record<Locale, Messages> = {
  en: {
    title: 'Your email preferences',
    managing: 'Preferences for {email}',
    intro: 'Tick what you would like to receive from us, then save. You can change this at any time.',
    otherHeading: 'Other',
    given: 'Given {date}',
    withdrawn: 'Withdrawn {date}',
    undecided: 'Not decided yet',
    save: 'Save choices',
    unsubscribeAll: 'Unsubscribe from everything',
    unsubscribedNote: 'You are unsubscribed from everything. Tick what you want to receive again, then save.',
    savedNow: 'You now receive: {list}.',
    savedNoLonger: 'You no longer receive: {list}.',
    savedNothing: 'Nothing changed.',
    savedUnsubscribed: 'You are unsubscribed from everything.',
    staleForm: 'Your changes have not been saved yet: this page was open for too long. Check your choices and save again.',
    expiredTitle: 'This link has expired',
    expiredText: 'Preference links work for a limited time. Use the link in a more recent email from us, or manage your preferences in your account.',
    invalidTitle: 'This link is not valid',
    invalidText: 'It may have been cut off or changed. Use the link in one of our recent emails, or manage your preferences in your account.',
    notFoundTitle: 'We could not find your preferences',
    notFoundText: 'There are no preferences to manage with this link.',
    badFormTitle: 'Your choices could not be read',
    badFormText: 'Nothing was changed. Go back to your preferences and try again.',
    backLink: 'Back to your preferences',
  },
  de: {
    title: 'Ihre E-Mail-Einstellungen',
    managing: 'Einstellungen für {email}',
    intro: 'Wählen Sie aus, was Sie von uns erhalten möchten, und speichern Sie. Sie können das jederzeit ändern.',
    otherHeading: 'Weitere',
    given: 'Erteilt am {date}',
    withdrawn: 'Widerrufen am {date}',
    undecided: 'Noch nicht entschieden',
    save: 'Auswahl speichern',
    unsubscribeAll: 'Von allem abmelden',
    unsubscribedNote: 'Sie sind von allem abgemeldet. Wählen Sie aus, was Sie wieder erhalten möchten, und speichern Sie.',
    savedNow: 'Sie erhalten jetzt: {list}.',
    savedNoLonger: 'Sie erhalten nicht mehr: {list}.',
    savedNothing: 'Es wurde nichts geändert.',
    savedUnsubscribed: 'Sie sind von allem abgemeldet.',
    staleForm: 'Ihre Änderungen wurden noch nicht gespeichert, weil diese Seite zu lange geöffnet war. Prüfen Sie Ihre Auswahl und speichern Sie erneut.',
    expiredTitle: 'Dieser Link ist abgelaufen',
    expiredText: 'Links zu Ihren Einstellungen gelten nur eine begrenzte Zeit. Verwenden Sie den Link aus einer neueren E-Mail von uns oder verwalten Sie Ihre Einstellungen in Ihrem Konto.',
    invalidTitle: 'Dieser Link ist ungültig',
    invalidText: 'Er wurde möglicherweise gekürzt oder verändert. Verwenden Sie den Link aus einer unserer aktuellen E-Mails oder verwalten Sie Ihre Einstellungen in Ihrem Konto.',
    notFoundTitle: 'Wir konnten Ihre Einstellungen nicht finden',
    notFoundText: 'Über diesen Link gibt es keine Einstellungen zu verwalten.',
    badFormTitle: 'Ihre Auswahl konnte nicht gelesen werden',
    badFormText: 'Es wurde nichts geändert. Kehren Sie zu Ihren Einstellungen zurück und versuchen Sie es erneut.',
    backLink: 'Zurück zu Ihren Einstellungen',
  },
  fr: {
    title: 'Vos préférences e-mail',
    managing: 'Préférences pour {email}',
    intro: 'Cochez ce que vous souhaitez recevoir, puis enregistrez. Vous pouvez modifier vos choix à tout moment.',
    otherHeading: 'Autres',
    given: 'Accepté le {date}',
    withdrawn: 'Retiré le {date}',
    undecided: 'Pas encore choisi',
    save: 'Enregistrer mes choix',
    unsubscribeAll: 'Me désabonner de tout',
    unsubscribedNote: 'Vous êtes désabonné de tout. Cochez ce que vous souhaitez recevoir à nouveau, puis enregistrez.',
    savedNow: 'Vous recevez désormais : {list}.',
    savedNoLonger: 'Vous ne recevez plus : {list}.',
    savedNothing: 'Rien n’a été modifié.',
    savedUnsubscribed: 'Vous êtes désabonné de tout.',
    staleForm: 'Vos modifications n’ont pas encore été enregistrées : cette page est restée ouverte trop longtemps. Vérifiez vos choix et enregistrez à nouveau.',
    expiredTitle: 'Ce lien a expiré',
    expiredText: 'Les liens vers vos préférences sont valables pour une durée limitée. Utilisez le lien d’un e-mail plus récent, ou gérez vos préférences dans votre compte.',
    invalidTitle: 'Ce lien n’est pas valide',
    invalidText: 'Il a peut-être été tronqué ou modifié. Utilisez le lien d’un de nos e-mails récents, ou gérez vos préférences dans votre compte.',
    notFoundTitle: 'Nous n’avons pas trouvé vos préférences',
    notFoundText: 'Ce lien ne correspond à aucune préférence.',
    badFormTitle: 'Vos choix n’ont pas pu être lus',
    badFormText: 'Rien n’a été modifié. Revenez à vos préférences et réessayez.',
    backLink: 'Revenir à vos préférences',
  },
  es: {
    title: 'Sus preferencias de correo electrónico',
    managing: 'Preferencias de {email}',
    intro: 'Marque lo que desea recibir y guarde los cambios. Puede cambiarlo en cualquier momento.',
    otherHeading: 'Otros',
    given: 'Aceptado el {date}',
    withdrawn: 'Retirado el {date}',
    undecided: 'Sin decidir',
    save: 'Guardar preferencias',
    unsubscribeAll: 'Darme de baja de todo',
    unsubscribedNote: 'Se ha dado de baja de todo. Marque lo que desea volver a recibir y guarde los cambios.',
    savedNow: 'Ahora recibe: {list}.',
    savedNoLonger: 'Ya no recibe: {list}.',
    savedNothing: 'No ha cambiado nada.',
    savedUnsubscribed: 'Se ha dado de baja de todo.',
    staleForm: 'Sus cambios aún no se han guardado: esta página estuvo abierta demasiado tiempo. Revise sus preferencias y vuelva a guardarlas.',
    expiredTitle: 'Este enlace ha caducado',
    expiredText: 'Los enlaces de preferencias son válidos durante un tiempo limitado. Use el enlace de un correo más reciente o gestione sus preferencias en su cuenta.',
    invalidTitle: 'Este enlace no es válido',
    invalidText: 'Puede que esté incompleto o modificado. Use el enlace de uno de nuestros correos recientes o gestione sus preferencias en su cuenta.',
    notFoundTitle: 'No hemos encontrado sus preferencias',
    notFoundText: 'Con este enlace no hay preferencias que gestionar.',
    badFormTitle: 'No se han podido leer sus preferencias',
    badFormText: 'No se ha cambiado nada. Vuelva a sus preferencias e inténtelo de nuevo.',
    backLink: 'Volver a sus preferencias',
  },
  it: {
    title: 'Le tue preferenze email',
    managing: 'Preferenze per {email}',
    intro: 'Seleziona ciò che vuoi ricevere, poi salva. Puoi cambiare idea in qualsiasi momento.',
    otherHeading: 'Altro',
    given: 'Consenso dato il {date}',
    withdrawn: 'Revocato il {date}',
    undecided: 'Non ancora deciso',
    save: 'Salva le scelte',
    unsubscribeAll: 'Annulla l’iscrizione a tutto',
    unsubscribedNote: 'Hai annullato l’iscrizione a tutto. Seleziona ciò che vuoi ricevere di nuovo, poi salva.',
    savedNow: 'Ora ricevi: {list}.',
    savedNoLonger: 'Non ricevi più: {list}.',
    savedNothing: 'Non è cambiato nulla.',
    savedUnsubscribed: 'Hai annullato l’iscrizione a tutto.',
    staleForm: 'Le modifiche non sono ancora state salvate: questa pagina è rimasta aperta troppo a lungo. Controlla le tue scelte e salva di nuovo.',
    expiredTitle: 'Questo link è scaduto',
    expiredText: 'I link alle preferenze sono validi per un periodo limitato. Usa il link di un’email più recente oppure gestisci le preferenze nel tuo account.',
    invalidTitle: 'Questo link non è valido',
    invalidText: 'Potrebbe essere stato troncato o modificato. Usa il link di una nostra email recente oppure gestisci le preferenze nel tuo account.',
    notFoundTitle: 'Non abbiamo trovato le tue preferenze',
    notFoundText: 'Con questo link non ci sono preferenze da gestire.',
    badFormTitle: 'Non è stato possibile leggere le tue scelte',
    badFormText: 'Non è stato modificato nulla. Torna alle preferenze e riprova.',
    backLink: 'Torna alle preferenze',
  },
  pl: {
    title: 'Twoje ustawienia e-mail',
    managing: 'Ustawienia dla adresu {email}',
    intro: 'Zaznacz, co chcesz od nas otrzymywać, i zapisz. Możesz to zmienić w dowolnym momencie.',
    otherHeading: 'Inne',
    given: 'Zgoda udzielona {date}',
    withdrawn: 'Zgoda wycofana {date}',
    undecided: 'Jeszcze nie wybrano',
    save: 'Zapisz wybór',
    unsubscribeAll: 'Wypisz mnie ze wszystkiego',
    unsubscribedNote: 'Wypisano Cię ze wszystkiego. Zaznacz, co chcesz znowu otrzymywać, i zapisz.',
    savedNow: 'Teraz otrzymujesz: {list}.',
    savedNoLonger: 'Nie otrzymujesz już: {list}.',
    savedNothing: 'Nic się nie zmieniło.',
    savedUnsubscribed: 'Wypisano Cię ze wszystkiego.',
    staleForm: 'Twoje zmiany nie zostały jeszcze zapisane, ponieważ strona była otwarta zbyt długo. Sprawdź swój wybór i zapisz ponownie.',
    expiredTitle: 'Ten link wygasł',
    expiredText: 'Linki do ustawień są ważne przez ograniczony czas. Użyj linku z nowszej wiadomości od nas albo zarządzaj ustawieniami na swoim koncie.',
    invalidTitle: 'Ten link jest nieprawidłowy',
    invalidText: 'Mógł zostać obcięty lub zmieniony. Użyj linku z jednej z naszych ostatnich wiadomości albo zarządzaj ustawieniami na swoim koncie.',
    notFoundTitle: 'Nie znaleźliśmy Twoich ustawień',
    notFoundText: 'Ten link nie prowadzi do żadnych ustawień.',
    badFormTitle: 'Nie udało się odczytać Twojego wyboru',
    badFormText: 'Niczego nie zmieniono. Wróć do ustawień i spróbuj ponownie.',
    backLink: 'Wróć do ustawień',
  },
  pt: {
    title: 'As suas preferências de email',
    managing: 'Preferências de {email}',
    intro: 'Assinale o que pretende receber e guarde. Pode alterar as suas escolhas a qualquer momento.',
    otherHeading: 'Outros',
    given: 'Consentido em {date}',
    withdrawn: 'Retirado em {date}',
    undecided: 'Ainda não decidido',
    save: 'Guardar escolhas',
    unsubscribeAll: 'Deixar de receber tudo',
    unsubscribedNote: 'Deixou de receber todas as nossas mensagens. Assinale o que pretende voltar a receber e guarde.',
    savedNow: 'Passa a receber: {list}.',
    savedNoLonger: 'Deixa de receber: {list}.',
    savedNothing: 'Nada foi alterado.',
    savedUnsubscribed: 'Deixou de receber todas as nossas mensagens.',
    staleForm: 'As suas alterações ainda não foram guardadas: esta página esteve aberta demasiado tempo. Verifique as suas escolhas e guarde novamente.',
    expiredTitle: 'Este link expirou',
    expiredText: 'Os links de preferências são válidos durante um tempo limitado. Use o link de uma mensagem mais recente ou gira as suas preferências na sua conta.',
    invalidTitle: 'Este link não é válido',
    invalidText: 'Pode ter sido cortado ou alterado. Use o link de uma das nossas mensagens recentes ou gira as suas preferências na sua conta.',
    notFoundTitle: 'Não encontrámos as suas preferências',
    notFoundText: 'Não há preferências para gerir com este link.',
    badFormTitle: 'Não foi possível ler as suas escolhas',
    badFormText: 'Nada foi alterado. Volte às suas preferências e tente novamente.',
    backLink: 'Voltar às suas preferências',
  },
  nl: {
    title: 'Je e-mailvoorkeuren',
    managing: 'Voorkeuren voor {email}',
    intro: 'Vink aan wat je van ons wilt ontvangen en sla het op. Je kunt dit altijd wijzigen.',
    otherHeading: 'Overig',
    given: 'Toestemming gegeven op {date}',
    withdrawn: 'Ingetrokken op {date}',
    undecided: 'Nog niet gekozen',
    save: 'Keuzes opslaan',
    unsubscribeAll: 'Overal voor afmelden',
    unsubscribedNote: 'Je bent overal voor afgemeld. Vink aan wat je weer wilt ontvangen en sla het op.',
    savedNow: 'Je ontvangt nu: {list}.',
    savedNoLonger: 'Je ontvangt niet meer: {list}.',
    savedNothing: 'Er is niets gewijzigd.',
    savedUnsubscribed: 'Je bent overal voor afgemeld.',
    staleForm: 'Je wijzigingen zijn nog niet opgeslagen: deze pagina stond te lang open. Controleer je keuzes en sla ze opnieuw op.',
    expiredTitle: 'Deze link is verlopen',
    expiredText: 'Links naar je voorkeuren zijn beperkt geldig. Gebruik de link uit een recentere e-mail van ons of beheer je voorkeuren in je account.',
    invalidTitle: 'Deze link is ongeldig',
    invalidText: 'Mogelijk is hij afgebroken of gewijzigd. Gebruik de link uit een van onze recente e-mails of beheer je voorkeuren in je account.',
    notFoundTitle: 'We konden je voorkeuren niet vinden',
    notFoundText: 'Via deze link zijn er geen voorkeuren te beheren.',
    badFormTitle: 'Je keuzes konden niet worden gelezen',
    badFormText: 'Er is niets gewijzigd. Ga terug naar je voorkeuren en probeer het opnieuw.',
    backLink: 'Terug naar je voorkeuren',
  },
  sv: {
    title: 'Dina e-postinställningar',
    managing: 'Inställningar för {email}',
    intro: 'Kryssa i det du vill få från oss och spara. Du kan ändra dig när som helst.',
    otherHeading: 'Övrigt',
    given: 'Samtycke lämnat {date}',
    withdrawn: 'Återkallat {date}',
    undecided: 'Inte valt ännu',
    save: 'Spara val',
    unsubscribeAll: 'Avregistrera mig från allt',
    unsubscribedNote: 'Du är avregistrerad från allt. Kryssa i det du vill få igen och spara.',
    savedNow: 'Nu får du: {list}.',
    savedNoLonger: 'Du får inte längre: {list}.',
    savedNothing: 'Inget har ändrats.',
    savedUnsubscribed: 'Du är avregistrerad från allt.',
    staleForm: 'Dina ändringar har inte sparats ännu: sidan var öppen för länge. Kontrollera dina val och spara igen.',
    expiredTitle: 'Länken har gått ut',
    expiredText: 'Länkar till dina inställningar gäller en begränsad tid. Använd länken i ett nyare mejl från oss, eller hantera dina inställningar i ditt konto.',
    invalidTitle: 'Den här länken är ogiltig',
    invalidText: 'Den kan ha klippts av eller ändrats. Använd länken i ett av våra senaste mejl, eller hantera dina inställningar i ditt konto.',
    notFoundTitle: 'Vi hittade inte dina inställningar',
    notFoundText: 'Det finns inga inställningar att hantera med den här länken.',
    badFormTitle: 'Dina val kunde inte läsas',
    badFormText: 'Inget har ändrats. Gå tillbaka till dina inställningar och försök igen.',
    backLink: 'Tillbaka till dina inställningar',
  },
  ja: {
    title: 'メール配信設定',
    managing: '{email} の設定',
    intro: '受け取りたい項目にチェックを入れて保存してください。設定はいつでも変更できます。',
    otherHeading: 'その他',
    given: '{date} に同意',
    withdrawn: '{date} に撤回',
    undecided: '未選択',
    save: '設定を保存する',
    unsubscribeAll: 'すべての配信を停止する',
    unsubscribedNote: '現在、すべての配信を停止しています。再び受け取りたい項目にチェックを入れて保存してください。',
    savedNow: '今後お届けする項目：{list}。',
    savedNoLonger: '配信を停止した項目：{list}。',
    savedNothing: '変更はありません。',
    savedUnsubscribed: 'すべての配信を停止しました。',
    staleForm: 'ページを長時間開いていたため、変更はまだ保存されていません。選択内容を確認して、もう一度保存してください。',
    expiredTitle: 'このリンクは有効期限が切れています',
    expiredText: '設定用リンクの有効期間は限られています。最近お送りしたメールのリンクを使うか、アカウントで設定を管理してください。',
    invalidTitle: 'このリンクは無効です',
    invalidText: 'リンクが途中で切れているか、変更された可能性があります。最近お送りしたメールのリンクを使うか、アカウントで設定を管理してください。',
    notFoundTitle: '設定が見つかりませんでした',
    notFoundText: 'このリンクで管理できる設定はありません。',
    badFormTitle: '選択内容を読み取れませんでした',
    badFormText: '何も変更されていません。設定画面に戻って、もう一度お試しください。',
    backLink: '設定画面に戻る',
  },
  ar: {
    title: 'تفضيلات البريد الإلكتروني',
    managing: 'تفضيلات {email}',
    intro: 'حدِّد ما تودّ أن يصلك منا، ثم احفظ. يمكنك تغيير ذلك في أي وقت.',
    otherHeading: 'أخرى',
    given: 'تمت الموافقة في {date}',
    withdrawn: 'سُحبت الموافقة في {date}',
    undecided: 'لم يُحدَّد بعد',
    save: 'حفظ الاختيارات',
    unsubscribeAll: 'إلغاء الاشتراك في كل شيء',
    unsubscribedNote: 'أنت غير مشترك في أي شيء حاليًا. حدِّد ما تودّ أن يصلك مجددًا، ثم احفظ.',
    savedNow: 'سيصلك الآن: {list}.',
    savedNoLonger: 'لن يصلك بعد الآن: {list}.',
    savedNothing: 'لم يتغير شيء.',
    savedUnsubscribed: 'تم إلغاء اشتراكك في كل شيء.',
    staleForm: 'لم تُحفَظ تغييراتك بعد: ظلت هذه الصفحة مفتوحة مدة طويلة. راجع اختياراتك ثم احفظها مرة أخرى.',
    expiredTitle: 'انتهت صلاحية هذا الرابط',
    expiredText: 'روابط التفضيلات صالحة لمدة محدودة. استخدم الرابط الموجود في رسالة أحدث منا، أو أدر تفضيلاتك من حسابك.',
    invalidTitle: 'هذا الرابط غير صالح',
    invalidText: 'ربما تم اقتطاعه أو تعديله. استخدم الرابط الموجود في إحدى رسائلنا الأخيرة، أو أدر تفضيلاتك من حسابك.',
    notFoundTitle: 'لم نعثر على تفضيلاتك',
    notFoundText: 'لا توجد تفضيلات يمكن إدارتها بهذا الرابط.',
    badFormTitle: 'تعذرت قراءة اختياراتك',
    badFormText: 'لم يتغير شيء. ارجع إلى تفضيلاتك وحاول مرة أخرى.',
    backLink: 'العودة إلى تفضيلاتك',
  },
  he: {
    title: 'העדפות הדיוור שלך',
    managing: 'העדפות עבור {email}',
    intro: 'סמנו מה תרצו לקבל מאיתנו ושמרו. אפשר לשנות זאת בכל עת.',
    otherHeading: 'אחר',
    given: 'ניתנה הסכמה ב-{date}',
    withdrawn: 'ההסכמה בוטלה ב-{date}',
    undecided: 'טרם נבחר',
    save: 'שמירת הבחירות',
    unsubscribeAll: 'הסרה מכל הרשימות',
    unsubscribedNote: 'הוסרת מכל הרשימות. סמנו מה תרצו לקבל שוב ושמרו.',
    savedNow: 'מעכשיו יישלחו אליך: {list}.',
    savedNoLonger: 'לא יישלחו אליך עוד: {list}.',
    savedNothing: 'שום דבר לא השתנה.',
    savedUnsubscribed: 'הוסרת מכל הרשימות.',
    staleForm: 'השינויים שלך עדיין לא נשמרו: הדף היה פתוח זמן רב מדי. בדקו את הבחירות ושמרו שוב.',
    expiredTitle: 'תוקף הקישור הזה פג',
    expiredText: 'קישורים להעדפות בתוקף לזמן מוגבל. השתמשו בקישור מהודעה עדכנית יותר שלנו, או נהלו את ההעדפות בחשבון.',
    invalidTitle: 'הקישור הזה אינו תקין',
    invalidText: 'ייתכן שהוא נקטע או שונה. השתמשו בקישור מאחת ההודעות האחרונות שלנו, או נהלו את ההעדפות בחשבון.',
    notFoundTitle: 'לא מצאנו את ההעדפות שלך',
    notFoundText: 'אין העדפות לניהול באמצעות הקישור הזה.',
    badFormTitle: 'לא הצלחנו לקרוא את הבחירות שלך',
    badFormText: 'שום דבר לא השתנה. חזרו להעדפות ונסו שוב.',
    backLink: 'חזרה להעדפות',
  },
};

/** The page's own style, on top of the shared one (its hash goes into the CSP too). */
export const PREFERENCES_STYLE = `:root{--line:#d5d7de;--note:#edf3fc}
@media (prefers-color-scheme:dark){:root{--line:#3b3e48;--note:#1c2940}}
main{max-inline-size:38rem;inline-size:calc(100% - 3rem)}
fieldset{margin:0 0 1rem;padding:.5rem 1rem .25rem;border:1px solid var(--line);border-radius:10px}
legend{font-weight:600;padding:0 .35rem}
fieldset>p{margin:0 0 .25rem}
.choice{display:grid;grid-template-columns:auto 1fr;gap:.15rem .75rem;align-items:start;padding:.6rem 0}
.choice+.choice{border-block-start:1px solid var(--line)}
.choice input{inline-size:1.2rem;block-size:1.2rem;margin:.2rem 0 0;accent-color:var(--accent)}
.choice label{font-weight:600}
.choice p{grid-column:2;margin:0;font-size:.925rem}
.notice{padding:.75rem 1rem;border-radius:8px;background:var(--note);border-inline-start:4px solid var(--accent)}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:1.25rem 0 0}
input:focus-visible{outline:3px solid var(--accent);outline-offset:2px}`;

/** What the page says above the form after a POST. */
export type PreferencesNotice =
  | { kind: 'saved'; given: string[]; withdrawn: string[] }
  | { kind: 'unsubscribed' }
  | { kind: 'stale' };

export interface PreferencesView {
  locale: Locale;
  /** The address the page manages (shown masked), or null when the customer has none. */
  email: string | null;
  definitions: EdgeConsentDefinitions;
  state: CustomerConsentsState;
  unsubscribed: boolean;
  /** The CSRF proof for the form's hidden `csrf` field. */
  csrf: string;
  /** Choices shown instead of the stored value (a form that could not be saved keeps what the person ticked). */
  pending?: Record<string, boolean>;
  notice?: PreferencesNotice;
  /** With `ELEMENTS_URL`: the element that replaces the form once it upgrades. */
  enhance?: { scriptUrl: string; token: string; workerUrl: string } | null;
}

/** Form field names: a checkbox and the value it was rendered with, per consent. */
export const CHECKBOX_PREFIX = 'consent.';
export const SHOWN_PREFIX = 'shown.';

/**
 * Text from Voucherify's definitions (names, descriptions), in whatever language the shop wrote it: isolated, so an
 * English sentence keeps its full stop at its end on a right-to-left page.
 */
const shopText = (text: string) => `<bdi>${escapeHtml(text)}</bdi>`;

function formatDate(locale: Locale, iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** Names joined the way the language joins a list, each one isolated (`<bdi>`). */
function nameList(locale: Locale, names: string[]): string {
  return new Intl.ListFormat(locale, { type: 'conjunction' })
    .formatToParts(names)
    .map((part) => (part.type === 'element' ? `<bdi>${escapeHtml(part.value)}</bdi>` : escapeHtml(part.value)))
    .join('');
}

function noticeHtml(view: PreferencesView, t: Messages): string {
  const notice = view.notice;
  if (!notice) return '';
  let text: string;
  if (notice.kind === 'unsubscribed') text = escapeHtml(t.savedUnsubscribed);
  else if (notice.kind === 'stale') text = escapeHtml(t.staleForm);
  else {
    const sentences: string[] = [];
    if (notice.given.length) sentences.push(escapeHtml(t.savedNow).replace('{list}', nameList(view.locale, notice.given)));
    if (notice.withdrawn.length) sentences.push(escapeHtml(t.savedNoLonger).replace('{list}', nameList(view.locale, notice.withdrawn)));
    text = sentences.length ? sentences.join(' ') : escapeHtml(t.savedNothing);
  }
  return `<p class="notice" role="status">${text}</p>`;
}

/** Groups in Voucherify's order, each with its defined consents; a consent in no group goes under the generic heading. */
function grouped(definitions: EdgeConsentDefinitions): Array<{ name: string | null; description: string; ids: string[] }> {
  const defined = new Set(definitions.consents.map((consent) => consent.id));
  const placed = new Set<string>();
  const groups = definitions.groups
    .map((group) => {
      const ids = group.consents.filter((id) => defined.has(id) && !placed.has(id));
      for (const id of ids) placed.add(id);
      return { name: group.name, description: group.description, ids };
    })
    .filter((group) => group.ids.length > 0);
  const rest = definitions.consents.map((consent) => consent.id).filter((id) => !placed.has(id));
  return rest.length ? [...groups, { name: null, description: '', ids: rest }] : groups;
}

function choiceHtml(view: PreferencesView, t: Messages, id: string, index: number): string {
  const consent = view.definitions.consents.find((candidate) => candidate.id === id)!;
  const decision = view.state[id];
  const stored = decision?.value ?? false;
  const checked = view.pending?.[id] ?? stored;
  const status = decision ? fill(escapeHtml(decision.value ? t.given : t.withdrawn), { date: formatDate(view.locale, decision.date) }) : escapeHtml(t.undecided);
  const field = `c${index}`;
  const described = [consent.description ? `${field}-about` : '', `${field}-status`].filter(Boolean).join(' ');
  return (
    `<div class="choice">` +
    `<input type="checkbox" id="${field}" name="${CHECKBOX_PREFIX}${escapeHtml(id)}" value="1"${checked ? ' checked' : ''} aria-describedby="${described}">` +
    `<label for="${field}">${shopText(consent.name)}</label>` +
    (consent.description ? `<p id="${field}-about" class="muted">${shopText(consent.description)}</p>` : '') +
    `<p id="${field}-status" class="muted">${status}</p>` +
    `<input type="hidden" name="${SHOWN_PREFIX}${escapeHtml(id)}" value="${stored ? 1 : 0}">` +
    `</div>`
  );
}

/** The page: the masked address, every consent as a checkbox in its group, Save, and "Unsubscribe from everything". */
export function renderPreferencesPage(view: PreferencesView): string {
  const t = MESSAGES[view.locale];
  let index = 0;
  const fieldsets = grouped(view.definitions)
    .map((group) => {
      const legend = group.name === null ? escapeHtml(t.otherHeading) : shopText(group.name);
      const description = group.description ? `<p class="muted">${shopText(group.description)}</p>` : '';
      return `<fieldset><legend>${legend}</legend>${description}${group.ids.map((id) => choiceHtml(view, t, id, index++)).join('')}</fieldset>`;
    })
    .join('');
  const enhance = view.enhance;
  // Inside the panel the plain page sits in a named slot: it shows until the element upgrades (or without JavaScript),
  // and disappears once the panel has a shadow root, whether or not the panel renders a default slot of its own.
  const plain = (html: string) => (enhance ? `<div slot="plain-form">${html}</div>` : html);
  const form = plain(
    noticeHtml(view, t) +
    (view.unsubscribed && view.notice?.kind !== 'unsubscribed' ? `<p class="notice">${escapeHtml(t.unsubscribedNote)}</p>` : '') +
    `<form method="post"><input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">` +
    `<p>${escapeHtml(t.intro)}</p>${fieldsets}` +
    `<div class="actions"><button type="submit" name="action" value="save">${escapeHtml(t.save)}</button>` +
    `<button type="submit" name="action" value="unsubscribe" class="secondary">${escapeHtml(t.unsubscribeAll)}</button></div></form>`,
  );
  const body = enhance
    ? `<vc-consent-panel preferences-token="${escapeHtml(enhance.token)}" worker-url="${escapeHtml(enhance.workerUrl)}" lang="${view.locale}" history>${form}</vc-consent-panel>`
    : form;
  const managing = view.email ? `<p class="muted">${fill(escapeHtml(t.managing), { email: maskEmail(view.email) })}</p>` : '';
  return pageShell({
    locale: view.locale,
    title: t.title,
    style: PREFERENCES_STYLE,
    ...(enhance ? { head: `<script type="module" src="${escapeHtml(enhance.scriptUrl)}"></script>` } : {}),
    main: `<h1>${escapeHtml(t.title)}</h1>${managing}${body}`,
  });
}

export type PreferencesProblem = 'expired' | 'invalid' | 'not_found' | 'bad_form';

/** A page for a link that cannot be used (or a form that could not be read), with a way back when there is one. */
export function renderPreferencesProblem(kind: PreferencesProblem, locale: Locale, backHref: string | null = null): string {
  const t = MESSAGES[locale];
  const texts: Record<PreferencesProblem, { title: string; text: string }> = {
    expired: { title: t.expiredTitle, text: t.expiredText },
    invalid: { title: t.invalidTitle, text: t.invalidText },
    not_found: { title: t.notFoundTitle, text: t.notFoundText },
    bad_form: { title: t.badFormTitle, text: t.badFormText },
  };
  const { title, text } = texts[kind];
  const back = backHref ? `<p><a href="${escapeHtml(backHref)}">${escapeHtml(t.backLink)}</a></p>` : '';
  return pageShell({ locale, title, style: PREFERENCES_STYLE, main: `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${back}` });
}
