
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `Demasiados pedidos. Tente novamente dentro de um minuto.`,
'page.confirmButton': `Deixar de receber`,
'page.confirmText': `Deixará de receber as nossas newsletters e ofertas. As mensagens sobre os seus pedidos e a sua conta não são afetadas.`,
'page.confirmTitle': `Deixar de receber mensagens de marketing?`,
'page.doneText': `Não receberá mais as nossas newsletters e ofertas.`,
'page.doneTitle': `Cancelamento confirmado`,
'page.errorText': `Não foi possível concluir o pedido. Tente novamente dentro de alguns minutos.`,
'page.errorTitle': `Ocorreu um erro`,
'page.expiredText': `Use o link de cancelamento de uma das nossas mensagens recentes ou gira as suas preferências na sua conta.`,
'page.expiredTitle': `Este link já não é válido`,
'page.invalidText': `Pode ter sido cortado ou alterado. Use o link de cancelamento de uma das nossas mensagens recentes ou gira as suas preferências na sua conta.`,
'page.invalidTitle': `Este link não é válido`,
'page.notFoundText': `Não há nada a cancelar com este link.`,
'page.notFoundTitle': `Não foi possível encontrar a sua subscrição`,
'page.optInButton': `Confirmar`,
'page.optInDeclined': `Recusou:`,
'page.optInDoneText': str`Registámo-las em ${0}. Pode alterá-las a qualquer momento.`,
'page.optInDoneTitle': `Obrigado: as suas escolhas estão confirmadas`,
'page.optInExpiredText': `Nada foi registado. Inscreva-se novamente e enviaremos um novo link.`,
'page.optInExpiredTitle': `Este link de confirmação expirou`,
'page.optInGiven': `Aceitou:`,
'page.optInText': str`Confirme que podemos registar estas escolhas para ${0}.`,
'page.optInTitle': `Confirme as suas escolhas`,
'page.optInUsedText': str`Estas escolhas foram confirmadas em ${0}. Nada foi alterado.`,
'page.optInUsedTitle': `Já confirmado`,
'page.preferencesLink': `Gerir todas as preferências`,
'page.undoButton': `Desfazer`,
'page.undoneText': `As suas escolhas anteriores foram restauradas.`,
'page.undoneTitle': `Voltará a receber as nossas mensagens`,
'page.undoPrompt': `Foi por engano?`,
'page.undoUsedText': `Pode continuar a alterar as suas escolhas na sua conta.`,
'page.undoUsedTitle': `Esta alteração já foi desfeita`,
'preferences.backLink': `Voltar às suas preferências`,
'preferences.badFormText': `Nada foi alterado. Volte às suas preferências e tente novamente.`,
'preferences.badFormTitle': `Não foi possível ler as suas escolhas`,
'preferences.expiredText': `Os links de preferências são válidos durante um tempo limitado. Use o link de uma mensagem mais recente ou gira as suas preferências na sua conta.`,
'preferences.expiredTitle': `Este link expirou`,
'preferences.given': str`Consentido em ${0}`,
'preferences.intro': `Assinale o que pretende receber e guarde. Pode alterar as suas escolhas a qualquer momento.`,
'preferences.invalidText': `Pode ter sido cortado ou alterado. Use o link de uma das nossas mensagens recentes ou gira as suas preferências na sua conta.`,
'preferences.invalidTitle': `Este link não é válido`,
'preferences.managing': str`Preferências de ${0}`,
'preferences.notFoundText': `Não há preferências para gerir com este link.`,
'preferences.notFoundTitle': `Não encontrámos as suas preferências`,
'preferences.otherHeading': `Outros`,
'preferences.save': `Guardar escolhas`,
'preferences.savedNoLonger': str`Deixa de receber: ${0}.`,
'preferences.savedNothing': `Nada foi alterado.`,
'preferences.savedNow': str`Passa a receber: ${0}.`,
'preferences.savedUnsubscribed': `Deixou de receber todas as nossas mensagens.`,
'preferences.staleForm': `As suas alterações ainda não foram guardadas: esta página esteve aberta demasiado tempo. Verifique as suas escolhas e guarde novamente.`,
'preferences.title': `As suas preferências de email`,
'preferences.undecided': `Ainda não decidido`,
'preferences.unsubscribeAll': `Deixar de receber tudo`,
'preferences.unsubscribedNote': `Deixou de receber todas as nossas mensagens. Assinale o que pretende voltar a receber e guarde.`,
'preferences.withdrawn': str`Retirado em ${0}`,
    };
  