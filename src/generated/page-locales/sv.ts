
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `För många förfrågningar. Försök igen om en minut.`,
'page.confirmButton': `Avregistrera`,
'page.confirmText': `Du får då inga fler nyhetsbrev eller erbjudanden från oss. Meddelanden om dina beställningar och ditt konto påverkas inte.`,
'page.confirmTitle': `Avregistrera dig från marknadsföringsutskick?`,
'page.doneText': `Du får inga fler nyhetsbrev eller erbjudanden från oss.`,
'page.doneTitle': `Du är avregistrerad`,
'page.errorText': `Din begäran kunde inte slutföras. Försök igen om några minuter.`,
'page.errorTitle': `Något gick fel`,
'page.expiredText': `Använd avregistreringslänken i ett av våra senaste meddelanden, eller hantera dina inställningar i ditt konto.`,
'page.expiredTitle': `Den här länken gäller inte längre`,
'page.invalidText': `Den kan ha klippts av eller ändrats. Använd avregistreringslänken i ett av våra senaste meddelanden, eller hantera dina inställningar i ditt konto.`,
'page.invalidTitle': `Den här länken är ogiltig`,
'page.notFoundText': `Det finns inget att avregistrera med den här länken.`,
'page.notFoundTitle': `Vi hittade inte din prenumeration`,
'page.optInButton': `Bekräfta`,
'page.optInDeclined': `Du har sagt nej till:`,
'page.optInDoneText': str`Vi sparade dem den ${0}. Du kan ändra dem när som helst.`,
'page.optInDoneTitle': `Tack! Dina val är bekräftade`,
'page.optInExpiredText': `Inget har sparats. Anmäl dig igen så skickar vi en ny länk.`,
'page.optInExpiredTitle': `Bekräftelselänken har gått ut`,
'page.optInGiven': `Du har sagt ja till:`,
'page.optInText': str`Bekräfta att vi får spara de här valen för ${0}.`,
'page.optInTitle': `Bekräfta dina val`,
'page.optInUsedText': str`De här valen bekräftades den ${0}. Inget har ändrats.`,
'page.optInUsedTitle': `Redan bekräftat`,
'page.preferencesLink': `Hantera alla dina inställningar`,
'page.undoButton': `Ångra`,
'page.undoneText': `Dina tidigare val har återställts.`,
'page.undoneTitle': `Du prenumererar igen`,
'page.undoPrompt': `Avregistrerade du dig av misstag?`,
'page.undoUsedText': `Du kan fortfarande ändra dina val i ditt konto.`,
'page.undoUsedTitle': `Den här ändringen har redan ångrats`,
'preferences.backLink': `Tillbaka till dina inställningar`,
'preferences.badFormText': `Inget har ändrats. Gå tillbaka till dina inställningar och försök igen.`,
'preferences.badFormTitle': `Dina val kunde inte läsas`,
'preferences.expiredText': `Länkar till dina inställningar gäller en begränsad tid. Använd länken i ett nyare mejl från oss, eller hantera dina inställningar i ditt konto.`,
'preferences.expiredTitle': `Länken har gått ut`,
'preferences.given': str`Samtycke lämnat ${0}`,
'preferences.intro': `Kryssa i det du vill få från oss och spara. Du kan ändra dig när som helst.`,
'preferences.invalidText': `Den kan ha klippts av eller ändrats. Använd länken i ett av våra senaste mejl, eller hantera dina inställningar i ditt konto.`,
'preferences.invalidTitle': `Den här länken är ogiltig`,
'preferences.managing': str`Inställningar för ${0}`,
'preferences.notFoundText': `Det finns inga inställningar att hantera med den här länken.`,
'preferences.notFoundTitle': `Vi hittade inte dina inställningar`,
'preferences.otherHeading': `Övrigt`,
'preferences.save': `Spara val`,
'preferences.savedNoLonger': str`Du får inte längre: ${0}.`,
'preferences.savedNothing': `Inget har ändrats.`,
'preferences.savedNow': str`Nu får du: ${0}.`,
'preferences.savedUnsubscribed': `Du är avregistrerad från allt.`,
'preferences.staleForm': `Dina ändringar har inte sparats ännu: sidan var öppen för länge. Kontrollera dina val och spara igen.`,
'preferences.title': `Dina e-postinställningar`,
'preferences.undecided': `Inte valt ännu`,
'preferences.unsubscribeAll': `Avregistrera mig från allt`,
'preferences.unsubscribedNote': `Du är avregistrerad från allt. Kryssa i det du vill få igen och spara.`,
'preferences.withdrawn': str`Återkallat ${0}`,
    };
  