
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `Te veel verzoeken. Probeer het over een minuut opnieuw.`,
'page.confirmButton': `Afmelden`,
'page.confirmText': `Je ontvangt dan geen nieuwsbrieven en aanbiedingen meer van ons. Berichten over je bestellingen en je account blijven gewoon komen.`,
'page.confirmTitle': `Afmelden voor marketingberichten?`,
'page.doneText': `Je ontvangt geen nieuwsbrieven en aanbiedingen meer van ons.`,
'page.doneTitle': `Je bent afgemeld`,
'page.errorText': `Je verzoek kon niet worden afgerond. Probeer het over een paar minuten opnieuw.`,
'page.errorTitle': `Er ging iets mis`,
'page.expiredText': `Gebruik de afmeldlink uit een van onze recente berichten of beheer je voorkeuren in je account.`,
'page.expiredTitle': `Deze link is niet meer geldig`,
'page.invalidText': `Mogelijk is hij afgebroken of gewijzigd. Gebruik de afmeldlink uit een van onze recente berichten of beheer je voorkeuren in je account.`,
'page.invalidTitle': `Deze link is ongeldig`,
'page.notFoundText': `Via deze link valt er niets af te melden.`,
'page.notFoundTitle': `We konden je abonnement niet vinden`,
'page.optInButton': `Bevestigen`,
'page.optInDeclined': `Je hebt geweigerd:`,
'page.optInDoneText': str`We hebben ze vastgelegd op ${0}. Je kunt ze altijd wijzigen.`,
'page.optInDoneTitle': `Bedankt: je keuzes zijn bevestigd`,
'page.optInExpiredText': `Er is niets vastgelegd. Meld je opnieuw aan, dan sturen we je een nieuwe link.`,
'page.optInExpiredTitle': `Deze bevestigingslink is verlopen`,
'page.optInGiven': `Je hebt ingestemd met:`,
'page.optInText': str`Bevestig dat we deze keuzes voor ${0} mogen vastleggen.`,
'page.optInTitle': `Bevestig je keuzes`,
'page.optInUsedText': str`Deze keuzes zijn bevestigd op ${0}. Er is niets gewijzigd.`,
'page.optInUsedTitle': `Al bevestigd`,
'page.preferencesLink': `Al je voorkeuren beheren`,
'page.undoButton': `Ongedaan maken`,
'page.undoneText': `Je eerdere keuzes zijn hersteld.`,
'page.undoneTitle': `Je bent weer aangemeld`,
'page.undoPrompt': `Per ongeluk afgemeld?`,
'page.undoUsedText': `Je kunt je keuzes altijd nog wijzigen in je account.`,
'page.undoUsedTitle': `Deze wijziging is al ongedaan gemaakt`,
'preferences.backLink': `Terug naar je voorkeuren`,
'preferences.badFormText': `Er is niets gewijzigd. Ga terug naar je voorkeuren en probeer het opnieuw.`,
'preferences.badFormTitle': `Je keuzes konden niet worden gelezen`,
'preferences.expiredText': `Links naar je voorkeuren zijn beperkt geldig. Gebruik de link uit een recentere e-mail van ons of beheer je voorkeuren in je account.`,
'preferences.expiredTitle': `Deze link is verlopen`,
'preferences.given': str`Toestemming gegeven op ${0}`,
'preferences.intro': `Vink aan wat je van ons wilt ontvangen en sla het op. Je kunt dit altijd wijzigen.`,
'preferences.invalidText': `Mogelijk is hij afgebroken of gewijzigd. Gebruik de link uit een van onze recente e-mails of beheer je voorkeuren in je account.`,
'preferences.invalidTitle': `Deze link is ongeldig`,
'preferences.managing': str`Voorkeuren voor ${0}`,
'preferences.notFoundText': `Via deze link zijn er geen voorkeuren te beheren.`,
'preferences.notFoundTitle': `We konden je voorkeuren niet vinden`,
'preferences.otherHeading': `Overig`,
'preferences.save': `Keuzes opslaan`,
'preferences.savedNoLonger': str`Je ontvangt niet meer: ${0}.`,
'preferences.savedNothing': `Er is niets gewijzigd.`,
'preferences.savedNow': str`Je ontvangt nu: ${0}.`,
'preferences.savedUnsubscribed': `Je bent overal voor afgemeld.`,
'preferences.staleForm': `Je wijzigingen zijn nog niet opgeslagen: deze pagina stond te lang open. Controleer je keuzes en sla ze opnieuw op.`,
'preferences.title': `Je e-mailvoorkeuren`,
'preferences.undecided': `Nog niet gekozen`,
'preferences.unsubscribeAll': `Overal voor afmelden`,
'preferences.unsubscribedNote': `Je bent overal voor afgemeld. Vink aan wat je weer wilt ontvangen en sla het op.`,
'preferences.withdrawn': str`Ingetrokken op ${0}`,
    };
  