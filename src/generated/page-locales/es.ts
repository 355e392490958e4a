
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `Demasiadas solicitudes. Inténtelo de nuevo dentro de un minuto.`,
'page.confirmButton': `Darse de baja`,
'page.confirmText': `Dejará de recibir nuestros boletines y ofertas. Los mensajes sobre sus pedidos y su cuenta no se verán afectados.`,
'page.confirmTitle': `¿Darse de baja de los mensajes de marketing?`,
'page.doneText': `Ya no recibirá nuestros boletines ni ofertas.`,
'page.doneTitle': `Se ha dado de baja`,
'page.errorText': `No se ha podido completar su solicitud. Inténtelo de nuevo dentro de unos minutos.`,
'page.errorTitle': `Algo ha salido mal`,
'page.expiredText': `Use el enlace de baja de uno de nuestros mensajes recientes o gestione sus preferencias en su cuenta.`,
'page.expiredTitle': `Este enlace ya no es válido`,
'page.invalidText': `Puede que esté incompleto o modificado. Use el enlace de baja de uno de nuestros mensajes recientes o gestione sus preferencias en su cuenta.`,
'page.invalidTitle': `Este enlace no es válido`,
'page.notFoundText': `Con este enlace no hay nada de lo que darse de baja.`,
'page.notFoundTitle': `No hemos encontrado su suscripción`,
'page.optInButton': `Confirmar`,
'page.optInDeclined': `Ha rechazado:`,
'page.optInDoneText': str`Las registramos el ${0}. Puede cambiarlas en cualquier momento.`,
'page.optInDoneTitle': `Gracias: sus preferencias están confirmadas`,
'page.optInExpiredText': `No se ha registrado nada. Vuelva a suscribirse y le enviaremos un enlace nuevo.`,
'page.optInExpiredTitle': `Este enlace de confirmación ha caducado`,
'page.optInGiven': `Ha aceptado:`,
'page.optInText': str`Confirme que podemos registrar estas preferencias para ${0}.`,
'page.optInTitle': `Confirme sus preferencias`,
'page.optInUsedText': str`Estas preferencias se confirmaron el ${0}. No se ha cambiado nada.`,
'page.optInUsedTitle': `Ya confirmado`,
'page.preferencesLink': `Gestionar todas sus preferencias`,
'page.undoButton': `Deshacer`,
'page.undoneText': `Se han restaurado sus preferencias anteriores.`,
'page.undoneTitle': `Se ha vuelto a suscribir`,
'page.undoPrompt': `¿Se ha dado de baja por error?`,
'page.undoUsedText': `Puede seguir cambiando sus preferencias en su cuenta.`,
'page.undoUsedTitle': `Este cambio ya se deshizo`,
'preferences.backLink': `Volver a sus preferencias`,
'preferences.badFormText': `No se ha cambiado nada. Vuelva a sus preferencias e inténtelo de nuevo.`,
'preferences.badFormTitle': `No se han podido leer sus preferencias`,
'preferences.expiredText': `Los enlaces de preferencias son válidos durante un tiempo limitado. Use el enlace de un correo más reciente o gestione sus preferencias en su cuenta.`,
'preferences.expiredTitle': `Este enlace ha caducado`,
'preferences.given': str`Aceptado el ${0}`,
'preferences.intro': `Marque lo que desea recibir y guarde los cambios. Puede cambiarlo en cualquier momento.`,
'preferences.invalidText': `Puede que esté incompleto o modificado. Use el enlace de uno de nuestros correos recientes o gestione sus preferencias en su cuenta.`,
'preferences.invalidTitle': `Este enlace no es válido`,
'preferences.managing': str`Preferencias de ${0}`,
'preferences.notFoundText': `Con este enlace no hay preferencias que gestionar.`,
'preferences.notFoundTitle': `No hemos encontrado sus preferencias`,
'preferences.otherHeading': `Otros`,
'preferences.save': `Guardar preferencias`,
'preferences.savedNoLonger': str`Ya no recibe: ${0}.`,
'preferences.savedNothing': `No ha cambiado nada.`,
'preferences.savedNow': str`Ahora recibe: ${0}.`,
'preferences.savedUnsubscribed': `Se ha dado de baja de todo.`,
'preferences.staleForm': `Sus cambios aún no se han guardado: esta página estuvo abierta demasiado tiempo. Revise sus preferencias y vuelva a guardarlas.`,
'preferences.title': `Sus preferencias de correo electrónico`,
'preferences.undecided': `Sin decidir`,
'preferences.unsubscribeAll': `Darme de baja de todo`,
'preferences.unsubscribedNote': `Se ha dado de baja de todo. Marque lo que desea volver a recibir y guarde los cambios.`,
'preferences.withdrawn': str`Retirado el ${0}`,
    };
  