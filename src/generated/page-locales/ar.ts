
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `طلبات كثيرة جدًا. يُرجى المحاولة مرة أخرى بعد دقيقة.`,
'page.confirmButton': `إلغاء الاشتراك`,
'page.confirmText': `لن تصلك منا بعد الآن النشرات الإخبارية أو العروض. لن تتأثر الرسائل المتعلقة بطلباتك وحسابك.`,
'page.confirmTitle': `هل تريد إلغاء الاشتراك في الرسائل التسويقية؟`,
'page.doneText': `لن تصلك منا بعد الآن النشرات الإخبارية أو العروض.`,
'page.doneTitle': `تم إلغاء اشتراكك`,
'page.errorText': `تعذر إكمال طلبك. يُرجى المحاولة مرة أخرى بعد بضع دقائق.`,
'page.errorTitle': `حدث خطأ ما`,
'page.expiredText': `استخدم رابط إلغاء الاشتراك من إحدى رسائلنا الأخيرة، أو أدر تفضيلاتك من حسابك.`,
'page.expiredTitle': `لم يعد هذا الرابط صالحًا`,
'page.invalidText': `ربما تم اقتطاعه أو تعديله. استخدم رابط إلغاء الاشتراك من إحدى رسائلنا الأخيرة، أو أدر تفضيلاتك من حسابك.`,
'page.invalidTitle': `هذا الرابط غير صالح`,
'page.notFoundText': `لا يوجد اشتراك يمكن إلغاؤه بهذا الرابط.`,
'page.notFoundTitle': `لم نعثر على اشتراكك`,
'page.optInButton': `تأكيد`,
'page.optInDeclined': `رفضت:`,
'page.optInDoneText': str`سجّلناها بتاريخ ${0}. يمكنك تغييرها في أي وقت.`,
'page.optInDoneTitle': `شكرًا لك: تم تأكيد اختياراتك`,
'page.optInExpiredText': `لم يُسجَّل شيء. اشترك مرة أخرى وسنرسل إليك رابطًا جديدًا.`,
'page.optInExpiredTitle': `انتهت صلاحية رابط التأكيد هذا`,
'page.optInGiven': `وافقت على:`,
'page.optInText': str`يُرجى التأكيد على أنه يمكننا تسجيل هذه الاختيارات للعنوان ${0}.`,
'page.optInTitle': `أكِّد اختياراتك`,
'page.optInUsedText': str`تم تأكيد هذه الاختيارات بتاريخ ${0}. لم يتغير شيء.`,
'page.optInUsedTitle': `تم التأكيد من قبل`,
'page.preferencesLink': `إدارة جميع تفضيلاتك`,
'page.undoButton': `تراجع`,
'page.undoneText': `تمت استعادة اختياراتك السابقة.`,
'page.undoneTitle': `تمت إعادة اشتراكك`,
'page.undoPrompt': `هل ألغيت الاشتراك عن طريق الخطأ؟`,
'page.undoUsedText': `لا يزال بإمكانك تغيير اختياراتك من حسابك.`,
'page.undoUsedTitle': `تم التراجع عن هذا التغيير من قبل`,
'preferences.backLink': `العودة إلى تفضيلاتك`,
'preferences.badFormText': `لم يتغير شيء. ارجع إلى تفضيلاتك وحاول مرة أخرى.`,
'preferences.badFormTitle': `تعذرت قراءة اختياراتك`,
'preferences.expiredText': `روابط التفضيلات صالحة لمدة محدودة. استخدم الرابط الموجود في رسالة أحدث منا، أو أدر تفضيلاتك من حسابك.`,
'preferences.expiredTitle': `انتهت صلاحية هذا الرابط`,
'preferences.given': str`تمت الموافقة بتاريخ ${0}`,
'preferences.intro': `حدِّد ما تودّ أن يصلك منا، ثم احفظ. يمكنك تغيير ذلك في أي وقت.`,
'preferences.invalidText': `ربما تم اقتطاعه أو تعديله. استخدم الرابط الموجود في إحدى رسائلنا الأخيرة، أو أدر تفضيلاتك من حسابك.`,
'preferences.invalidTitle': `هذا الرابط غير صالح`,
'preferences.managing': str`تفضيلات ${0}`,
'preferences.notFoundText': `لا توجد تفضيلات يمكن إدارتها بهذا الرابط.`,
'preferences.notFoundTitle': `لم نعثر على تفضيلاتك`,
'preferences.otherHeading': `أخرى`,
'preferences.save': `حفظ الاختيارات`,
'preferences.savedNoLonger': str`لن يصلك بعد الآن: ${0}.`,
'preferences.savedNothing': `لم يتغير شيء.`,
'preferences.savedNow': str`سيصلك الآن: ${0}.`,
'preferences.savedUnsubscribed': `تم إلغاء اشتراكك في كل شيء.`,
'preferences.staleForm': `لم تُحفَظ تغييراتك بعد: ظلت هذه الصفحة مفتوحة مدة طويلة. راجع اختياراتك ثم احفظها مرة أخرى.`,
'preferences.title': `تفضيلات البريد الإلكتروني`,
'preferences.undecided': `لم يُحدَّد بعد`,
'preferences.unsubscribeAll': `إلغاء الاشتراك في كل شيء`,
'preferences.unsubscribedNote': `أنت غير مشترك في أي شيء حاليًا. حدِّد ما تودّ أن يصلك مجددًا، ثم احفظ.`,
'preferences.withdrawn': str`سُحبت الموافقة بتاريخ ${0}`,
    };
  