
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'page.busyText': `リクエストが多すぎます。1分後にもう一度お試しください。`,
'page.confirmButton': `配信を停止する`,
'page.confirmText': `今後、ニュースレターやお得な情報は届かなくなります。ご注文やアカウントに関するお知らせは引き続きお送りします。`,
'page.confirmTitle': `マーケティングメールの配信を停止しますか？`,
'page.doneText': `今後、ニュースレターやお得な情報は届きません。`,
'page.doneTitle': `配信を停止しました`,
'page.errorText': `リクエストを完了できませんでした。数分後にもう一度お試しください。`,
'page.errorTitle': `問題が発生しました`,
'page.expiredText': `最近お送りしたメールの配信停止リンクを使うか、アカウントで設定を管理してください。`,
'page.expiredTitle': `このリンクは有効期限が切れています`,
'page.invalidText': `リンクが途中で切れているか、変更された可能性があります。最近お送りしたメールの配信停止リンクを使うか、アカウントで設定を管理してください。`,
'page.invalidTitle': `このリンクは無効です`,
'page.notFoundText': `このリンクで停止できる配信はありません。`,
'page.notFoundTitle': `購読情報が見つかりませんでした`,
'page.optInButton': `確認する`,
'page.optInDeclined': `同意しなかった項目：`,
'page.optInDoneText': str`${0} に登録しました。いつでも変更できます。`,
'page.optInDoneTitle': `ありがとうございます。選択内容を確認しました`,
'page.optInExpiredText': `何も登録されていません。もう一度お申し込みいただければ、新しいリンクをお送りします。`,
'page.optInExpiredTitle': `この確認リンクは有効期限が切れています`,
'page.optInGiven': `同意した項目：`,
'page.optInText': str`${0} について、以下の選択内容を登録してよろしいですか。`,
'page.optInTitle': `選択内容の確認`,
'page.optInUsedText': str`この選択内容は ${0} に確認済みです。変更はありません。`,
'page.optInUsedTitle': `確認済みです`,
'page.preferencesLink': `すべての設定を管理する`,
'page.undoButton': `元に戻す`,
'page.undoneText': `以前の設定を復元しました。`,
'page.undoneTitle': `配信を再開しました`,
'page.undoPrompt': `誤って停止しましたか？`,
'page.undoUsedText': `設定はアカウントページでいつでも変更できます。`,
'page.undoUsedTitle': `この変更はすでに元に戻されています`,
'preferences.backLink': `設定画面に戻る`,
'preferences.badFormText': `何も変更されていません。設定画面に戻って、もう一度お試しください。`,
'preferences.badFormTitle': `選択内容を読み取れませんでした`,
'preferences.expiredText': `設定用リンクの有効期間は限られています。最近お送りしたメールのリンクを使うか、アカウントで設定を管理してください。`,
'preferences.expiredTitle': `このリンクは有効期限が切れています`,
'preferences.given': str`${0} に同意`,
'preferences.intro': `受け取りたい項目にチェックを入れて保存してください。設定はいつでも変更できます。`,
'preferences.invalidText': `リンクが途中で切れているか、変更された可能性があります。最近お送りしたメールのリンクを使うか、アカウントで設定を管理してください。`,
'preferences.invalidTitle': `このリンクは無効です`,
'preferences.managing': str`${0} の設定`,
'preferences.notFoundText': `このリンクで管理できる設定はありません。`,
'preferences.notFoundTitle': `設定が見つかりませんでした`,
'preferences.otherHeading': `その他`,
'preferences.save': `設定を保存する`,
'preferences.savedNoLonger': str`配信を停止した項目：${0}。`,
'preferences.savedNothing': `変更はありません。`,
'preferences.savedNow': str`今後お届けする項目：${0}。`,
'preferences.savedUnsubscribed': `すべての配信を停止しました。`,
'preferences.staleForm': `ページを長時間開いていたため、変更はまだ保存されていません。選択内容を確認して、もう一度保存してください。`,
'preferences.title': `メール配信設定`,
'preferences.undecided': `未選択`,
'preferences.unsubscribeAll': `すべての配信を停止する`,
'preferences.unsubscribedNote': `現在、すべての配信を停止しています。再び受け取りたい項目にチェックを入れて保存してください。`,
'preferences.withdrawn': str`${0} に撤回`,
    };
  