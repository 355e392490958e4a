
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `Muitas solicitações. Tente novamente em um minuto.`,
'page.confirmButton': `Cancelar inscrição`,
'page.confirmText': `Você não receberá mais nossas newsletters nem ofertas. As mensagens sobre seus pedidos e sua conta não serão afetadas.`,
'page.confirmTitle': `Cancelar a inscrição nas mensagens de marketing?`,
'page.doneText': `Você não receberá mais nossas newsletters nem ofertas.`,
'page.doneTitle': `Inscrição cancelada`,
'page.errorText': `Não foi possível concluir sua solicitação. Tente novamente em alguns minutos.`,
'page.errorTitle': `Ocorreu um erro`,
'page.expiredText': `Use o link de cancelamento de inscrição de uma das nossas mensagens recentes ou gerencie suas preferências na sua conta.`,
'page.expiredTitle': `Este link não é mais válido`,
'page.invalidText': `Ele pode ter sido cortado ou alterado. Use o link de cancelamento de inscrição de uma das nossas mensagens recentes ou gerencie suas preferências na sua conta.`,
'page.invalidTitle': `Este link não é válido`,
'page.notFoundText': `Não há nenhuma inscrição para cancelar com este link.`,
'page.notFoundTitle': `Não encontramos sua inscrição`,
'page.optInButton': `Confirmar`,
'page.optInDeclined': `Você recusou:`,
'page.optInDoneText': str`Registramos suas escolhas em ${0}. Você pode alterá-las a qualquer momento.`,
'page.optInDoneTitle': `Obrigado: suas escolhas foram confirmadas`,
'page.optInExpiredText': `Nada foi registrado. Inscreva-se novamente e enviaremos um novo link.`,
'page.optInExpiredTitle': `Este link de confirmação expirou`,
'page.optInGiven': `Você concordou com:`,
'page.optInText': str`Confirme que podemos registrar estas escolhas para ${0}.`,
'page.optInTitle': `Confirme suas escolhas`,
'page.optInUsedText': str`Estas escolhas foram confirmadas em ${0}. Nada foi alterado.`,
'page.optInUsedTitle': `Já confirmado`,
'page.preferencesLink': `Gerenciar todas as suas preferências`,
'page.undoButton': `Desfazer`,
'page.undoneText': `Suas escolhas anteriores foram restauradas.`,
'page.undoneTitle': `Sua inscrição foi reativada`,
'page.undoPrompt': `Você cancelou a inscrição por engano?`,
'page.undoUsedText': `Você ainda pode alterar qualquer escolha na sua conta.`,
'page.undoUsedTitle': `Esta alteração já foi desfeita`,
'preferences.backLink': `Voltar para suas preferências`,
'preferences.badFormText': `Nada foi alterado. Volte para suas preferências e tente novamente.`,
'preferences.badFormTitle': `Não foi possível ler suas escolhas`,
'preferences.expiredText': `Os links de preferências são válidos por tempo limitado. Use o link de um e-mail mais recente nosso ou gerencie suas preferências na sua conta.`,
'preferences.expiredTitle': `Este link expirou`,
'preferences.given': str`Consentimento dado em ${0}`,
'preferences.intro': `Marque o que você deseja receber e salve. Você pode alterar suas escolhas a qualquer momento.`,
'preferences.invalidText': `Ele pode ter sido cortado ou alterado. Use o link de um dos nossos e-mails recentes ou gerencie suas preferências na sua conta.`,
'preferences.invalidTitle': `Este link não é válido`,
'preferences.managing': str`Preferências de ${0}`,
'preferences.notFoundText': `Não há preferências para gerenciar com este link.`,
'preferences.notFoundTitle': `Não encontramos suas preferências`,
'preferences.otherHeading': `Outros`,
'preferences.save': `Salvar escolhas`,
'preferences.savedNoLonger': str`Você não recebe mais: ${0}.`,
'preferences.savedNothing': `Nada foi alterado.`,
'preferences.savedNow': str`Agora você recebe: ${0}.`,
'preferences.savedUnsubscribed': `Você cancelou a inscrição em tudo.`,
'preferences.staleForm': `Suas alterações ainda não foram salvas: esta página ficou aberta por muito tempo. Verifique suas escolhas e salve novamente.`,
'preferences.title': `Suas preferências de e-mail`,
'preferences.undecided': `Ainda não decidido`,
'preferences.unsubscribeAll': `Cancelar inscrição em tudo`,
'preferences.unsubscribedNote': `Você cancelou a inscrição em tudo. Marque o que deseja voltar a receber e salve.`,
'preferences.withdrawn': str`Consentimento retirado em ${0}`,
    };
  