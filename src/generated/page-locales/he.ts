
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `יותר מדי בקשות. יש לנסות שוב בעוד דקה.`,
'page.confirmButton': `הסרה מהרשימה`,
'page.confirmText': `לא יישלחו אליך עוד ניוזלטרים והצעות מאיתנו. הודעות על ההזמנות והחשבון שלך ימשיכו להגיע.`,
'page.confirmTitle': `להסיר אותך מרשימת הדיוור השיווקי?`,
'page.doneText': `לא יישלחו אליך עוד ניוזלטרים והצעות מאיתנו.`,
'page.doneTitle': `הוסרת מרשימת הדיוור`,
'page.errorText': `לא הצלחנו להשלים את הבקשה. יש לנסות שוב בעוד כמה דקות.`,
'page.errorTitle': `משהו השתבש`,
'page.expiredText': `אפשר להשתמש בקישור ההסרה מאחת ההודעות האחרונות שלנו, או לנהל את ההעדפות בחשבון.`,
'page.expiredTitle': `הקישור הזה כבר אינו בתוקף`,
'page.invalidText': `ייתכן שהוא נקטע או שונה. אפשר להשתמש בקישור ההסרה מאחת ההודעות האחרונות שלנו, או לנהל את ההעדפות בחשבון.`,
'page.invalidTitle': `הקישור הזה אינו תקין`,
'page.notFoundText': `אין ממה להסיר באמצעות הקישור הזה.`,
'page.notFoundTitle': `לא מצאנו את המינוי שלך`,
'page.optInButton': `אישור`,
'page.optInDeclined': `סירבת ל:`,
'page.optInDoneText': str`שמרנו אותן ב-${0}. אפשר לשנות אותן בכל עת.`,
'page.optInDoneTitle': `תודה: הבחירות שלך אושרו`,
'page.optInExpiredText': `שום דבר לא נשמר. אפשר להירשם שוב ונשלח קישור חדש.`,
'page.optInExpiredTitle': `תוקף קישור האישור הזה פג`,
'page.optInGiven': `הסכמת ל:`,
'page.optInText': str`נא לאשר שנוכל לשמור את הבחירות האלה עבור ${0}.`,
'page.optInTitle': `אישור הבחירות שלך`,
'page.optInUsedText': str`הבחירות האלה אושרו ב-${0}. שום דבר לא השתנה.`,
'page.optInUsedTitle': `כבר אושר`,
'page.preferencesLink': `ניהול כל ההעדפות`,
'page.undoButton': `ביטול ההסרה`,
'page.undoneText': `הבחירות הקודמות שלך שוחזרו.`,
'page.undoneTitle': `נרשמת מחדש`,
'page.undoPrompt': `הוסרת בטעות?`,
'page.undoUsedText': `עדיין אפשר לשנות את הבחירות שלך בחשבון.`,
'page.undoUsedTitle': `השינוי הזה כבר בוטל`,
'preferences.backLink': `חזרה להעדפות`,
'preferences.badFormText': `שום דבר לא השתנה. יש לחזור להעדפות ולנסות שוב.`,
'preferences.badFormTitle': `לא הצלחנו לקרוא את הבחירות שלך`,
'preferences.expiredText': `קישורים להעדפות בתוקף לזמן מוגבל. אפשר להשתמש בקישור מהודעה עדכנית יותר שלנו, או לנהל את ההעדפות בחשבון.`,
'preferences.expiredTitle': `תוקף הקישור הזה פג`,
'preferences.given': str`ניתנה הסכמה ב-${0}`,
'preferences.intro': `יש לסמן את מה שברצונך לקבל מאיתנו ולשמור. אפשר לשנות זאת בכל עת.`,
'preferences.invalidText': `ייתכן שהוא נקטע או שונה. אפשר להשתמש בקישור מאחת ההודעות האחרונות שלנו, או לנהל את ההעדפות בחשבון.`,
'preferences.invalidTitle': `הקישור הזה אינו תקין`,
'preferences.managing': str`העדפות עבור ${0}`,
'preferences.notFoundText': `אין העדפות לניהול באמצעות הקישור הזה.`,
'preferences.notFoundTitle': `לא מצאנו את ההעדפות שלך`,
'preferences.otherHeading': `אחר`,
'preferences.save': `שמירת הבחירות`,
'preferences.savedNoLonger': str`לא יישלחו אליך עוד: ${0}.`,
'preferences.savedNothing': `שום דבר לא השתנה.`,
'preferences.savedNow': str`מעכשיו יישלחו אליך: ${0}.`,
'preferences.savedUnsubscribed': `הוסרת מכל הרשימות.`,
'preferences.staleForm': `השינויים שלך עדיין לא נשמרו: הדף היה פתוח זמן רב מדי. יש לבדוק את הבחירות ולשמור שוב.`,
'preferences.title': `העדפות הדיוור שלך`,
'preferences.undecided': `טרם נבחר`,
'preferences.unsubscribeAll': `הסרה מכל הרשימות`,
'preferences.unsubscribedNote': `הוסרת מכל הרשימות. יש לסמן את מה שברצונך לקבל שוב ולשמור.`,
'preferences.withdrawn': str`ההסכמה בוטלה ב-${0}`,
    };
  