# Texts the window's state words: notices, form errors, the desktop notification.

## Notices under the top bar
notice-cancel = キャンセル
notice-resumed = Asteroid Stager の終了時に完了していなかった { $count } 個のファイルを、今アップロードしています。
notice-resumed-maybe-twice = そのうち { $count } 個はサーバー上に重複している可能性があります（Asteroid Stager の終了時に送信中でした）。余分なコピーは使われず、自動的に期限切れになります。
notice-not-resumed = Asteroid Stager の終了時に完了していなかった { $count } 個のファイルは、その後変更または削除されたため、再アップロードしませんでした（{ $names }）。まだ必要な場合は、もう一度追加してください。
notice-two-sentences = { $first }{ $second }
notice-internal-error = 内部エラーにより中断されました（{ $reason }）

## The desktop notification when a group is staged while the window is in the background
notice-notification-staged = { $count } 個のファイルをアップロードしました。ファイル ID をコピーできます。
notice-notification-staged-failed = { $count } 個のファイルをアップロードし、{ $failed } 個が失敗しました。理由はウィンドウで確認してください。

## Key, organization and server
connection-base-url-from-env = { $problem }（{ $variable } の値）
connection-signed-out = サインアウトしました。API キーはこのコンピューターから削除されました。再びファイルをアップロードするには、キーを入力してください。
connection-key-not-removed = キーをキーチェーンから削除できませんでした。{ $reason }
connection-env-key-still-set = 環境変数 { $variable } がまだ設定されています。このキーを使わないようにするには、設定を解除してください。
connection-settings-not-saved = 設定を { $path } に保存できませんでした（{ $reason }）。ウィンドウを閉じるまでは有効です。
connection-unreachable = { $host } に接続できませんでした

## The staged list
staged-state-earlier = 以前
staged-state-history-not-saved = アップロード済みファイルの一覧を { $path } に保存できませんでした（{ $reason }）。ファイル ID は下に表示されています。ウィンドウを閉じる前にコピーしてください。保存は自動的に再試行されます。
staged-state-history-saved-again = アップロード済みファイルの一覧を再び保存しました（待機中の記録 { $count } 件を { $path } に書き込みました）。
staged-state-history-change-not-saved = アップロード済みファイルの一覧を保存できませんでした（{ $reason }）。{ $path } に書き込めるか確認してください。

## Stage again
restage-source-unknown = { $names }（{ $count } 個）はここから再アップロードできません。以前のバージョンでアップロードされたため、元のファイルの場所が分かりません。もう一度追加してください。
restage-gone = 元のファイルはもう { $path } にありません。移動または名前を変更した場合は、現在の場所からもう一度追加してください。
restage-gone-several = 元のファイル { $count } 個が元の場所にありません（{ $paths }）。移動または名前を変更した場合は、現在の場所からもう一度追加してください。

## Adding files
uploads-state-clipboard-empty = クリップボードに画像もファイルもありません。スクリーンショット、またはファイルマネージャーでファイルをコピーしてから、ここで Ctrl+V を押してください。
uploads-state-image-not-saved = 貼り付けた画像をアップロード用に保存できませんでした（{ $reason }）。
uploads-state-no-file-chosen = ファイルが選択されませんでした。ファイル選択画面が表示されなかった場合は、このウィンドウにファイルをドロップしてください。
uploads-state-file-note = { $name }：{ $note }
uploads-state-refused = { $count } 個の項目を追加できませんでした。理由は下の一覧をご覧ください。
uploads-state-dialog-files = アップロードするファイルを追加
uploads-state-dialog-folders = アップロードするフォルダーを追加
