
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `Troppe richieste. Riprova tra un minuto.`,
'page.confirmButton': `Annulla l’iscrizione`,
'page.confirmText': `Non riceverai più le nostre newsletter e offerte. I messaggi relativi ai tuoi ordini e al tuo account non cambiano.`,
'page.confirmTitle': `Annullare l’iscrizione ai messaggi di marketing?`,
'page.doneText': `Non riceverai più le nostre newsletter e offerte.`,
'page.doneTitle': `Iscrizione annullata`,
'page.errorText': `Non è stato possibile completare la richiesta. Riprova tra qualche minuto.`,
'page.errorTitle': `Si è verificato un errore`,
'page.expiredText': `Usa il link di disiscrizione di un nostro messaggio recente oppure gestisci le preferenze nel tuo account.`,
'page.expiredTitle': `Questo link non è più valido`,
'page.invalidText': `Potrebbe essere stato troncato o modificato. Usa il link di disiscrizione di un nostro messaggio recente oppure gestisci le preferenze nel tuo account.`,
'page.invalidTitle': `Questo link non è valido`,
'page.notFoundText': `Con questo link non c’è nessuna iscrizione da annullare.`,
'page.notFoundTitle': `Non abbiamo trovato la tua iscrizione`,
'page.optInButton': `Conferma`,
'page.optInDeclined': `Hai rifiutato:`,
'page.optInDoneText': str`Le abbiamo registrate in data ${0}. Puoi modificarle in qualsiasi momento.`,
'page.optInDoneTitle': `Grazie: le tue scelte sono confermate`,
'page.optInExpiredText': `Non è stato registrato nulla. Iscriviti di nuovo e ti invieremo un nuovo link.`,
'page.optInExpiredTitle': `Questo link di conferma è scaduto`,
'page.optInGiven': `Hai accettato:`,
'page.optInText': str`Conferma che possiamo registrare queste scelte per ${0}.`,
'page.optInTitle': `Conferma le tue scelte`,
'page.optInUsedText': str`Queste scelte sono state confermate in data ${0}. Non è stato modificato nulla.`,
'page.optInUsedTitle': `Già confermato`,
'page.preferencesLink': `Gestisci tutte le preferenze`,
'page.undoButton': `Ripristina l’iscrizione`,
'page.undoneText': `Le tue scelte precedenti sono state ripristinate.`,
'page.undoneTitle': `Iscrizione ripristinata`,
'page.undoPrompt': `Hai annullato l’iscrizione per errore?`,
'page.undoUsedText': `Puoi sempre modificare le tue scelte nel tuo account.`,
'page.undoUsedTitle': `Questa modifica è già stata annullata`,
'preferences.backLink': `Torna alle preferenze`,
'preferences.badFormText': `Non è stato modificato nulla. Torna alle preferenze e riprova.`,
'preferences.badFormTitle': `Non è stato possibile leggere le tue scelte`,
'preferences.expiredText': `I link alle preferenze sono validi per un periodo limitato. Usa il link di un’email più recente oppure gestisci le preferenze nel tuo account.`,
'preferences.expiredTitle': `Questo link è scaduto`,
'preferences.given': str`Consenso dato in data ${0}`,
'preferences.intro': `Seleziona ciò che vuoi ricevere, poi salva. Puoi cambiare idea in qualsiasi momento.`,
'preferences.invalidText': `Potrebbe essere stato troncato o modificato. Usa il link di una nostra email recente oppure gestisci le preferenze nel tuo account.`,
'preferences.invalidTitle': `Questo link non è valido`,
'preferences.managing': str`Preferenze per ${0}`,
'preferences.notFoundText': `Con questo link non ci sono preferenze da gestire.`,
'preferences.notFoundTitle': `Non abbiamo trovato le tue preferenze`,
'preferences.otherHeading': `Altro`,
'preferences.save': `Salva le scelte`,
'preferences.savedNoLonger': str`Non ricevi più: ${0}.`,
'preferences.savedNothing': `Non è cambiato nulla.`,
'preferences.savedNow': str`Ora ricevi: ${0}.`,
'preferences.savedUnsubscribed': `Hai annullato l’iscrizione a tutto.`,
'preferences.staleForm': `Le modifiche non sono ancora state salvate: questa pagina è rimasta aperta troppo a lungo. Controlla le tue scelte e salva di nuovo.`,
'preferences.title': `Le tue preferenze email`,
'preferences.undecided': `Non ancora deciso`,
'preferences.unsubscribeAll': `Annulla l’iscrizione a tutto`,
'preferences.unsubscribedNote': `Hai annullato l’iscrizione a tutto. Seleziona ciò che vuoi ricevere di nuovo, poi salva.`,
'preferences.withdrawn': str`Revocato in data ${0}`,
    };
  