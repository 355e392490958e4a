
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `Trop de demandes. Veuillez réessayer dans une minute.`,
'page.confirmButton': `Se désabonner`,
'page.confirmText': `Vous ne recevrez plus nos newsletters ni nos offres. Les messages concernant vos commandes et votre compte ne sont pas concernés.`,
'page.confirmTitle': `Se désabonner des messages marketing ?`,
'page.doneText': `Vous ne recevrez plus nos newsletters ni nos offres.`,
'page.doneTitle': `Votre désabonnement est confirmé`,
'page.errorText': `Votre demande n’a pas pu aboutir. Veuillez réessayer dans quelques minutes.`,
'page.errorTitle': `Une erreur s’est produite`,
'page.expiredText': `Utilisez le lien de désabonnement d’un de nos messages récents, ou gérez vos préférences dans votre compte.`,
'page.expiredTitle': `Ce lien n’est plus valide`,
'page.invalidText': `Il a peut-être été tronqué ou modifié. Utilisez le lien de désabonnement d’un de nos messages récents, ou gérez vos préférences dans votre compte.`,
'page.invalidTitle': `Ce lien n’est pas valide`,
'page.notFoundText': `Ce lien ne correspond à aucun abonnement.`,
'page.notFoundTitle': `Nous n’avons pas trouvé votre abonnement`,
'page.optInButton': `Confirmer`,
'page.optInDeclined': `Vous avez refusé :`,
'page.optInDoneText': str`Date d’enregistrement : ${0}. Vous pouvez modifier vos choix à tout moment.`,
'page.optInDoneTitle': `Merci : vos choix sont confirmés`,
'page.optInExpiredText': `Rien n’a été enregistré. Inscrivez-vous à nouveau et nous vous enverrons un nouveau lien.`,
'page.optInExpiredTitle': `Ce lien de confirmation a expiré`,
'page.optInGiven': `Vous avez accepté :`,
'page.optInText': str`Veuillez confirmer que nous pouvons enregistrer ces choix pour ${0}.`,
'page.optInTitle': `Confirmez vos choix`,
'page.optInUsedText': str`Date de confirmation de ces choix : ${0}. Rien n’a été modifié.`,
'page.optInUsedTitle': `Déjà confirmé`,
'page.preferencesLink': `Gérer toutes vos préférences`,
'page.undoButton': `Rétablir mon abonnement`,
'page.undoneText': `Vos choix précédents ont été restaurés.`,
'page.undoneTitle': `Votre abonnement est rétabli`,
'page.undoPrompt': `Vous avez fait une erreur ?`,
'page.undoUsedText': `Vous pouvez toujours modifier vos choix dans votre compte.`,
'page.undoUsedTitle': `Cette modification a déjà été annulée`,
'preferences.backLink': `Revenir à vos préférences`,
'preferences.badFormText': `Rien n’a été modifié. Revenez à vos préférences et réessayez.`,
'preferences.badFormTitle': `Vos choix n’ont pas pu être lus`,
'preferences.expiredText': `Les liens vers vos préférences sont valables pour une durée limitée. Utilisez le lien d’un e-mail plus récent, ou gérez vos préférences dans votre compte.`,
'preferences.expiredTitle': `Ce lien a expiré`,
'preferences.given': str`Consentement donné : ${0}`,
'preferences.intro': `Cochez ce que vous souhaitez recevoir, puis enregistrez. Vous pouvez modifier vos choix à tout moment.`,
'preferences.invalidText': `Il a peut-être été tronqué ou modifié. Utilisez le lien d’un de nos e-mails récents, ou gérez vos préférences dans votre compte.`,
'preferences.invalidTitle': `Ce lien n’est pas valide`,
'preferences.managing': str`Préférences pour ${0}`,
'preferences.notFoundText': `Ce lien ne correspond à aucune préférence.`,
'preferences.notFoundTitle': `Nous n’avons pas trouvé vos préférences`,
'preferences.otherHeading': `Autres`,
'preferences.save': `Enregistrer mes choix`,
'preferences.savedNoLonger': str`Vous ne recevez plus : ${0}.`,
'preferences.savedNothing': `Rien n’a été modifié.`,
'preferences.savedNow': str`Vous recevez désormais : ${0}.`,
'preferences.savedUnsubscribed': `Votre désabonnement de tous nos envois est enregistré.`,
'preferences.staleForm': `Vos modifications n’ont pas encore été enregistrées : cette page est restée ouverte trop longtemps. Vérifiez vos choix et enregistrez à nouveau.`,
'preferences.title': `Vos préférences e-mail`,
'preferences.undecided': `Pas encore choisi`,
'preferences.unsubscribeAll': `Me désabonner de tout`,
'preferences.unsubscribedNote': `Votre désabonnement de tous nos envois est enregistré. Cochez ce que vous souhaitez recevoir à nouveau, puis enregistrez.`,
'preferences.withdrawn': str`Consentement retiré : ${0}`,
    };
  