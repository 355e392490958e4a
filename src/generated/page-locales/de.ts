
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `Zu viele Anfragen. Bitte versuchen Sie es in einer Minute erneut.`,
'page.confirmButton': `Abmelden`,
'page.confirmText': `Sie erhalten dann keine Newsletter und Angebote mehr von uns. Nachrichten zu Ihren Bestellungen und Ihrem Konto sind davon nicht betroffen.`,
'page.confirmTitle': `Von Marketing-Nachrichten abmelden?`,
'page.doneText': `Sie erhalten keine Newsletter und Angebote mehr von uns.`,
'page.doneTitle': `Sie sind abgemeldet`,
'page.errorText': `Ihre Anfrage konnte nicht abgeschlossen werden. Bitte versuchen Sie es in einigen Minuten erneut.`,
'page.errorTitle': `Es ist ein Fehler aufgetreten`,
'page.expiredText': `Verwenden Sie den Abmeldelink aus einer unserer aktuellen Nachrichten oder verwalten Sie Ihre Einstellungen in Ihrem Konto.`,
'page.expiredTitle': `Dieser Link ist nicht mehr gültig`,
'page.invalidText': `Er wurde möglicherweise gekürzt oder verändert. Verwenden Sie den Abmeldelink aus einer unserer aktuellen Nachrichten oder verwalten Sie Ihre Einstellungen in Ihrem Konto.`,
'page.invalidTitle': `Dieser Link ist ungültig`,
'page.notFoundText': `Über diesen Link gibt es nichts abzumelden.`,
'page.notFoundTitle': `Wir konnten Ihr Abonnement nicht finden`,
'page.optInButton': `Bestätigen`,
'page.optInDeclined': `Sie haben abgelehnt:`,
'page.optInDoneText': str`Wir haben sie am ${0} gespeichert. Sie können sie jederzeit ändern.`,
'page.optInDoneTitle': `Vielen Dank: Ihre Auswahl ist bestätigt`,
'page.optInExpiredText': `Es wurde nichts gespeichert. Melden Sie sich erneut an, dann senden wir Ihnen einen neuen Link.`,
'page.optInExpiredTitle': `Dieser Bestätigungslink ist abgelaufen`,
'page.optInGiven': `Sie haben zugestimmt:`,
'page.optInText': str`Bitte bestätigen Sie, dass wir diese Auswahl für ${0} speichern dürfen.`,
'page.optInTitle': `Bestätigen Sie Ihre Auswahl`,
'page.optInUsedText': str`Diese Auswahl wurde am ${0} bestätigt. Es wurde nichts geändert.`,
'page.optInUsedTitle': `Bereits bestätigt`,
'page.preferencesLink': `Alle Einstellungen verwalten`,
'page.undoButton': `Rückgängig machen`,
'page.undoneText': `Ihre vorherigen Einstellungen wurden wiederhergestellt.`,
'page.undoneTitle': `Sie sind wieder angemeldet`,
'page.undoPrompt': `Versehentlich abgemeldet?`,
'page.undoUsedText': `Alle Einstellungen können Sie weiterhin in Ihrem Konto ändern.`,
'page.undoUsedTitle': `Diese Änderung wurde bereits rückgängig gemacht`,
'preferences.backLink': `Zurück zu Ihren Einstellungen`,
'preferences.badFormText': `Es wurde nichts geändert. Kehren Sie zu Ihren Einstellungen zurück und versuchen Sie es erneut.`,
'preferences.badFormTitle': `Ihre Auswahl konnte nicht gelesen werden`,
'preferences.expiredText': `Links zu Ihren Einstellungen gelten nur eine begrenzte Zeit. Verwenden Sie den Link aus einer neueren E-Mail von uns oder verwalten Sie Ihre Einstellungen in Ihrem Konto.`,
'preferences.expiredTitle': `Dieser Link ist abgelaufen`,
'preferences.given': str`Erteilt am ${0}`,
'preferences.intro': `Wählen Sie aus, was Sie von uns erhalten möchten, und speichern Sie. Sie können das jederzeit ändern.`,
'preferences.invalidText': `Er wurde möglicherweise gekürzt oder verändert. Verwenden Sie den Link aus einer unserer aktuellen E-Mails oder verwalten Sie Ihre Einstellungen in Ihrem Konto.`,
'preferences.invalidTitle': `Dieser Link ist ungültig`,
'preferences.managing': str`Einstellungen für ${0}`,
'preferences.notFoundText': `Über diesen Link gibt es keine Einstellungen zu verwalten.`,
'preferences.notFoundTitle': `Wir konnten Ihre Einstellungen nicht finden`,
'preferences.otherHeading': `Weitere`,
'preferences.save': `Auswahl speichern`,
'preferences.savedNoLonger': str`Sie erhalten nicht mehr: ${0}.`,
'preferences.savedNothing': `Es wurde nichts geändert.`,
'preferences.savedNow': str`Sie erhalten jetzt: ${0}.`,
'preferences.savedUnsubscribed': `Sie sind von allem abgemeldet.`,
'preferences.staleForm': `Ihre Änderungen wurden noch nicht gespeichert, weil diese Seite zu lange geöffnet war. Prüfen Sie Ihre Auswahl und speichern Sie erneut.`,
'preferences.title': `Ihre E-Mail-Einstellungen`,
'preferences.undecided': `Noch nicht entschieden`,
'preferences.unsubscribeAll': `Von allem abmelden`,
'preferences.unsubscribedNote': `Sie sind von allem abgemeldet. Wählen Sie aus, was Sie wieder erhalten möchten, und speichern Sie.`,
'preferences.withdrawn': str`Widerrufen am ${0}`,
    };
  