
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `Demasiadas solicitudes. Inténtalo de nuevo dentro de un minuto.`,
'page.confirmButton': `Darme de baja`,
'page.confirmText': `Dejarás de recibir nuestros boletines y ofertas. Los mensajes sobre tus pedidos y tu cuenta no se verán afectados.`,
'page.confirmTitle': `¿Darte de baja de los mensajes de marketing?`,
'page.doneText': `Ya no recibirás nuestros boletines ni ofertas.`,
'page.doneTitle': `Te has dado de baja`,
'page.errorText': `No se ha podido completar tu solicitud. Inténtalo de nuevo dentro de unos minutos.`,
'page.errorTitle': `Se ha producido un error`,
'page.expiredText': `Usa el enlace de baja de uno de nuestros mensajes recientes o gestiona tus preferencias en tu cuenta.`,
'page.expiredTitle': `Este enlace ya no es válido`,
'page.invalidText': `Puede que esté incompleto o modificado. Usa el enlace de baja de uno de nuestros mensajes recientes o gestiona tus preferencias en tu cuenta.`,
'page.invalidTitle': `Este enlace no es válido`,
'page.notFoundText': `Con este enlace no hay nada de lo que darse de baja.`,
'page.notFoundTitle': `No hemos encontrado tu suscripción`,
'page.optInButton': `Confirmar`,
'page.optInDeclined': `Has rechazado:`,
'page.optInDoneText': str`Las registramos con fecha ${0}. Puedes cambiarlas en cualquier momento.`,
'page.optInDoneTitle': `Gracias: tus preferencias están confirmadas`,
'page.optInExpiredText': `No se ha registrado nada. Vuelve a suscribirte y te enviaremos un enlace nuevo.`,
'page.optInExpiredTitle': `Este enlace de confirmación ha caducado`,
'page.optInGiven': `Has aceptado:`,
'page.optInText': str`Confirma que podemos registrar estas preferencias para ${0}.`,
'page.optInTitle': `Confirma tus preferencias`,
'page.optInUsedText': str`Estas preferencias se confirmaron con fecha ${0}. No se ha cambiado nada.`,
'page.optInUsedTitle': `Ya confirmado`,
'page.preferencesLink': `Gestionar todas tus preferencias`,
'page.undoButton': `Deshacer`,
'page.undoneText': `Hemos restaurado tus preferencias anteriores.`,
'page.undoneTitle': `Tu suscripción vuelve a estar activa`,
'page.undoPrompt': `¿Te has dado de baja por error?`,
'page.undoUsedText': `Puedes seguir cambiando tus preferencias en tu cuenta.`,
'page.undoUsedTitle': `Este cambio ya se deshizo`,
'preferences.backLink': `Volver a tus preferencias`,
'preferences.badFormText': `No se ha cambiado nada. Vuelve a tus preferencias e inténtalo de nuevo.`,
'preferences.badFormTitle': `No se han podido leer tus preferencias`,
'preferences.expiredText': `Los enlaces de preferencias son válidos durante un tiempo limitado. Usa el enlace de un correo más reciente o gestiona tus preferencias en tu cuenta.`,
'preferences.expiredTitle': `Este enlace ha caducado`,
'preferences.given': str`Aceptado con fecha ${0}`,
'preferences.intro': `Marca lo que quieres recibir y guarda los cambios. Puedes cambiarlo en cualquier momento.`,
'preferences.invalidText': `Puede que esté incompleto o modificado. Usa el enlace de uno de nuestros correos recientes o gestiona tus preferencias en tu cuenta.`,
'preferences.invalidTitle': `Este enlace no es válido`,
'preferences.managing': str`Preferencias de ${0}`,
'preferences.notFoundText': `Con este enlace no hay preferencias que gestionar.`,
'preferences.notFoundTitle': `No hemos encontrado tus preferencias`,
'preferences.otherHeading': `Otros`,
'preferences.save': `Guardar preferencias`,
'preferences.savedNoLonger': str`Ya no recibes: ${0}.`,
'preferences.savedNothing': `No ha cambiado nada.`,
'preferences.savedNow': str`Ahora recibes: ${0}.`,
'preferences.savedUnsubscribed': `Te has dado de baja de todo.`,
'preferences.staleForm': `Tus cambios aún no se han guardado: esta página estuvo abierta demasiado tiempo. Revisa tus preferencias y vuelve a guardarlas.`,
'preferences.title': `Tus preferencias de correo electrónico`,
'preferences.undecided': `Sin decidir`,
'preferences.unsubscribeAll': `Darme de baja de todo`,
'preferences.unsubscribedNote': `Te has dado de baja de todo. Marca lo que quieres volver a recibir y guarda los cambios.`,
'preferences.withdrawn': str`Retirado con fecha ${0}`,
    };
  