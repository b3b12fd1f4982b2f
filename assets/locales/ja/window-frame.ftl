# The window's frame: its title, the top bar, the key and organization steps, Settings,
# About and the quit question.

## The window

window-title = Asteroid Stager
window-history-unreadable = アップロード済みファイルの一覧を読み込めませんでした（{ $reason }）。
window-no-workers = バックグラウンド処理を開始できませんでした（{ $reason }）
window-quit-title = Asteroid Stager を終了しますか？
window-quit-running = { $count } 件のアップロードが実行中です。終了してキャンセルしますか？
window-quit-staged-kept = アップロード済みのファイルは ID がそのまま残り、次に開いたときも一覧に表示されます。
window-quit-and-cancel = 終了してキャンセル
window-keep-uploading = アップロードを続ける

## The top bar

top-bar-organization = 組織: { $name }
top-bar-organization-hover = 組織 ID { $id }
top-bar-settings = 設定
top-bar-close-settings = 設定を閉じる
top-bar-settings-hover = API キー、組織、サーバーのアドレス
top-bar-about = このアプリについて
top-bar-about-hover = バージョン、サーバー、アプリのファイルの保存場所
top-bar-add-files = ファイルを追加…
top-bar-add-files-hover = アップロードするファイルを選びます (Ctrl+O)。このウィンドウにドロップするか、Ctrl+V で貼り付けることもできます
top-bar-add-folder = フォルダーを追加…
top-bar-add-folder-hover = フォルダーを選び、中のファイルをすべてアップロードします (Ctrl+Shift+O)
top-bar-dismiss = 閉じる

## The key and the organization, before work

key-setup-loading = キーチェーンで API キーを探しています…
key-setup-checking = { $host } で API キーを確認しています…
key-setup-saving = キーは有効です。キーチェーンに保存しています…
key-setup-bad-server = サーバーのアドレスが正しくありません
key-setup-bad-server-hint = 設定で修正するか、既定のアドレスを使ってください。
key-setup-files-waiting = { $count } 個のファイルが待機中です。キーと組織が設定されるとすぐに送信されます。
key-setup-network-wait = ネットワークを待っています（{ $reason }）… { $when }
key-setup-trying-again-now = 再試行中
key-setup-trying-again-in = { $seconds } 秒後に再試行
key-setup-network-wait-hint = サーバーが応答するとすぐにキーを確認します。その間に追加したファイルは待機します。
key-setup-retry-now = 今すぐ再試行
key-setup-retry-now-hover = すぐにもう一度サーバーへの接続を試みます
key-setup-stop-waiting = 待機をやめる
key-setup-stop-waiting-hover = 再試行をやめて、別のキーを入力するか、設定でサーバーを変更します
key-setup-replace-heading = API キーを置き換える
key-setup-connect-heading = Asteroid に接続
key-setup-where-to-find = ファイルをアップロードするには、Asteroid の API キーが必要です。キーは platform.asteroid.ai → プロフィール（右上）→ API Keys で確認できます。そこでキーをコピーし、下に貼り付けてください。
key-setup-open-platform = platform.asteroid.ai を開く
key-setup-session-only = このセッションだけキーを使う
key-setup-session-only-hover = キーはウィンドウを閉じるまでメモリーにだけ保持され、ディスクには保存されません
key-setup-retry-keychain = キーチェーンを再試行
key-setup-key = API キー
key-setup-key-hint = ここに API キーを貼り付けてください
key-setup-paste = 貼り付け
key-setup-paste-hover = クリップボードからキーを貼り付けます
key-setup-show = 表示
key-setup-hide = 隠す
key-setup-show-hover = キーの文字を表示または非表示にします
key-setup-check-and-save = 確認して保存
key-setup-keep-current = 現在のキーを使い続ける
key-setup-kept-in = キーはサーバーで確認した後、{ $store } に保存されます。ファイルに保存されることはありません。
key-setup-choose-organization = 組織を選んでください
key-setup-cancel = キャンセル
key-setup-cancel-hover = 使用中の組織のまま一覧に戻ります
key-setup-organization-choice = { $name }（{ $id }）
key-setup-organization-id = または組織 ID を入力
key-setup-organization-id-hint = 組織の ID
key-setup-use-organization = この組織を使う

## Settings

settings-title = 設定
settings-close = 閉じる
settings-api-key = API キー
settings-key-from-environment = 環境変数 { $variable } のキーを使っています。このアプリはキーを保存しません。
settings-key-kept = 使用中のキーの保存先: { $store }
settings-key-looking = キーを探しています: { $store }
settings-key-checking = { $host } でキーを確認しています…
settings-key-waiting-for-network = キーを確認するため、ネットワークを待っています…
settings-key-saving = キーは有効です。保存しています: { $store }
settings-key-not-saved = キーは有効ですが、まだ保存されていません。保存先を選んでください。
settings-key-after-server = サーバーのアドレスが有効になると、キーを探します。
settings-no-key = キーはまだありません。
settings-key-will-be-kept-in = 入力したキーの保存先: { $store }
settings-account = アカウント: { $email }
settings-replace-key = キーを置き換え…
settings-replace-key-hover = 別の API キーを入力します。サーバーが受け入れると、保存済みのキーと置き換わります
settings-replace-key-from-environment = キーは { $variable } から取得しています。そちらで変更してください
settings-sign-out = サインアウト…
settings-sign-out-hover = このコンピューターから保存済みのキーを削除します（確認あり）
settings-sign-out-from-environment = キーは { $variable } から取得しています。サインアウトするには、この変数を削除してください
settings-sign-out-question = サインアウトしますか？
settings-sign-out-explain = API キーを { $store } から削除します。再びファイルをアップロードするには、キーを貼り付ける必要があります。
settings-sign-out-files-kept = アップロード済みのファイルは ID がそのまま残り、一覧にも残ります。
settings-cancel = キャンセル
settings-sign-out-confirm = サインアウトしてキーを削除
settings-organization = 組織
settings-organization-not-chosen = まだ選ばれていません。
settings-organization-set-by = { $variable } で設定されています。
settings-choose-another-organization = 別の組織を選ぶ
settings-choose-another-organization-hover = キーが属する組織をサーバーにもう一度問い合わせます
settings-server = サーバーのアドレス（詳細設定）
settings-server-explain = Asteroid のサポートから依頼された場合にだけ変更してください。保存されるキーはサーバーごとに別です。
settings-server-set-by = { $variable } で設定: { $address }
settings-server-address = サーバーのアドレス
settings-save-address = アドレスを保存
settings-use-default-address = 既定値を使う
settings-notifications = 通知
settings-notify-when-staged = このウィンドウがバックグラウンドにあるとき、アップロードの完了を通知する
settings-files = ファイル
settings-history-file = アップロード済みファイルの一覧: { $path }
settings-settings-file = 設定の保存先: { $path }

## About

about-title = Asteroid Stager について
about-version = Asteroid Stager { $version }
about-what = Asteroid Agents API にファイルをアップロードし、コピーできる ID を一覧表示します。
about-server = サーバー
about-key-kept-in = API キーの保存先
about-history = 履歴
about-settings = 設定
about-documentation = Asteroid のドキュメント
about-close = 閉じる
