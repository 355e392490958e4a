
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `Zbyt wiele żądań. Spróbuj ponownie za minutę.`,
'page.confirmButton': `Wypisz się`,
'page.confirmText': `Nie będziesz już otrzymywać od nas newsletterów ani ofert. Wiadomości dotyczące zamówień i konta nie ulegną zmianie.`,
'page.confirmTitle': `Wypisać się z wiadomości marketingowych?`,
'page.doneText': `Nie będziesz już otrzymywać od nas newsletterów ani ofert.`,
'page.doneTitle': `Wypisano Cię z subskrypcji`,
'page.errorText': `Nie udało się zrealizować żądania. Spróbuj ponownie za kilka minut.`,
'page.errorTitle': `Coś poszło nie tak`,
'page.expiredText': `Użyj linku do wypisania się z jednej z naszych ostatnich wiadomości albo zarządzaj ustawieniami na swoim koncie.`,
'page.expiredTitle': `Ten link jest już nieaktualny`,
'page.invalidText': `Mógł zostać obcięty lub zmieniony. Użyj linku do wypisania się z jednej z naszych ostatnich wiadomości albo zarządzaj ustawieniami na swoim koncie.`,
'page.invalidTitle': `Ten link jest nieprawidłowy`,
'page.notFoundText': `Ten link nie prowadzi do żadnej subskrypcji.`,
'page.notFoundTitle': `Nie znaleźliśmy Twojej subskrypcji`,
'page.optInButton': `Potwierdź`,
'page.optInDeclined': `Brak zgody na:`,
'page.optInDoneText': str`Zapisaliśmy je ${0}. Możesz je zmienić w dowolnym momencie.`,
'page.optInDoneTitle': `Dziękujemy: Twoje ustawienia zostały potwierdzone`,
'page.optInExpiredText': `Niczego nie zapisano. Zapisz się ponownie, a wyślemy Ci nowy link.`,
'page.optInExpiredTitle': `Ten link potwierdzający wygasł`,
'page.optInGiven': `Zgoda na:`,
'page.optInText': str`Potwierdź, że możemy zapisać te ustawienia dla adresu ${0}.`,
'page.optInTitle': `Potwierdź swoje ustawienia`,
'page.optInUsedText': str`Te ustawienia zostały potwierdzone ${0}. Niczego nie zmieniono.`,
'page.optInUsedTitle': `Już potwierdzono`,
'page.preferencesLink': `Zarządzaj wszystkimi ustawieniami`,
'page.undoButton': `Cofnij`,
'page.undoneText': `Przywrócono Twoje poprzednie ustawienia.`,
'page.undoneTitle': `Subskrypcja została przywrócona`,
'page.undoPrompt': `Wypisano Cię przez pomyłkę?`,
'page.undoUsedText': `Nadal możesz zmienić swoje ustawienia na koncie.`,
'page.undoUsedTitle': `Tę zmianę już cofnięto`,
'preferences.backLink': `Wróć do ustawień`,
'preferences.badFormText': `Niczego nie zmieniono. Wróć do ustawień i spróbuj ponownie.`,
'preferences.badFormTitle': `Nie udało się odczytać Twoich ustawień`,
'preferences.expiredText': `Linki do ustawień są ważne przez ograniczony czas. Użyj linku z nowszej wiadomości od nas albo zarządzaj ustawieniami na swoim koncie.`,
'preferences.expiredTitle': `Ten link wygasł`,
'preferences.given': str`Zgoda udzielona ${0}`,
'preferences.intro': `Zaznacz, co chcesz od nas otrzymywać, i zapisz. Możesz to zmienić w dowolnym momencie.`,
'preferences.invalidText': `Mógł zostać obcięty lub zmieniony. Użyj linku z jednej z naszych ostatnich wiadomości albo zarządzaj ustawieniami na swoim koncie.`,
'preferences.invalidTitle': `Ten link jest nieprawidłowy`,
'preferences.managing': str`Ustawienia dla adresu ${0}`,
'preferences.notFoundText': `Ten link nie prowadzi do żadnych ustawień.`,
'preferences.notFoundTitle': `Nie znaleźliśmy Twoich ustawień`,
'preferences.otherHeading': `Inne`,
'preferences.save': `Zapisz ustawienia`,
'preferences.savedNoLonger': str`Nie otrzymujesz już: ${0}.`,
'preferences.savedNothing': `Nic się nie zmieniło.`,
'preferences.savedNow': str`Teraz otrzymujesz: ${0}.`,
'preferences.savedUnsubscribed': `Wypisano Cię ze wszystkiego.`,
'preferences.staleForm': `Twoje zmiany nie zostały jeszcze zapisane, ponieważ strona była otwarta zbyt długo. Sprawdź swoje ustawienia i zapisz ponownie.`,
'preferences.title': `Twoje ustawienia e-mail`,
'preferences.undecided': `Jeszcze nie wybrano`,
'preferences.unsubscribeAll': `Wypisz mnie ze wszystkiego`,
'preferences.unsubscribedNote': `Wypisano Cię ze wszystkiego. Zaznacz, co chcesz znowu otrzymywać, i zapisz.`,
'preferences.withdrawn': str`Zgoda wycofana ${0}`,
    };
  