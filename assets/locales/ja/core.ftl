# コアのテキスト: ウィンドウとコマンドラインが表示するエラー、注記、お知らせ。

## アップロード前に確認するファイル (src/local_file.rs)
local-file-not-found = { $name }: そのファイルはありません。名前を確認するか、ファイルを選び直してください。
local-file-gone = 元のファイルは { $name } にありません: 移動、名前の変更、または削除されています。現在の場所からもう一度追加してください。
local-file-is-folder = { $name } はフォルダーです。中のファイルを追加してください。
local-file-permission-denied = { $name } を読み取れません: アクセスが拒否されました。ファイルの所有者にアクセス権を依頼するか、読み取れる場所にコピーしてください。
local-file-link-loop = { $name } は自分自身を指すリンク (ループ) です。リンク先のファイルを追加してください。
local-file-not-regular = { $name } は通常のファイルではありません ({ $kind })。アップロードできるのは通常のファイルだけです。
local-file-kind-pipe = 名前付きパイプ
local-file-kind-socket = ソケット
local-file-kind-device = デバイス
local-file-kind-special = 特殊ファイル
local-file-empty = { $name } は空 (0 バイト) なので、アップロードするものがありません。意図したファイルか確認してください。
local-file-unreadable = { $name } を読み取れません: { $reason }。

## 数値、サイズ、時間 (src/format.rs)
format-sentences = { $first }{ $second }
format-group-folder = { $name } フォルダー
format-group-one = { $how }: { $name }
format-group-dropped-one = ドロップ
format-group-chosen-one = 選択
format-group-pasted-one = 貼り付け
format-group-command-line-one = コマンドライン
format-group-opened-with-one = Asteroid Stager で開いたファイル
format-group-many = { $what } ({ $how })
format-group-dropped = ドロップ
format-group-chosen = 選択
format-group-pasted = 貼り付け
format-group-command-line = コマンドラインから
format-group-opened-with = Asteroid Stager で開いたもの
format-count-files-and-folders = { $count } 個のファイルとフォルダー
format-bytes = { $count } バイト
format-decimal-separator = .
format-unit-kb = KB
format-unit-mb = MB
format-unit-gb = GB
format-unit-tb = TB
format-minutes = { $count } 分
format-seconds-left = 残り { $count } 秒
format-minutes-left = 残り約 { $count } 分
format-hours-minutes-left = 残り約 { $hours } 時間 { $minutes } 分
format-expires-in-minutes = あと { $count } 分で期限切れ
format-expires-in-seconds = あと { $count } 秒で期限切れ
format-date-time = { $month }{ $day }日 { $time }
format-month-jan = 1月
format-month-feb = 2月
format-month-mar = 3月
format-month-apr = 4月
format-month-may = 5月
format-month-jun = 6月
format-month-jul = 7月
format-month-aug = 8月
format-month-sep = 9月
format-month-oct = 10月
format-month-nov = 11月
format-month-dec = 12月

## API キーとキーチェーン (src/key_store.rs)
key-store-key-empty = API キーが空です。platform.asteroid.ai → プロフィール → API Keys からコピーして、ここに貼り付けてください。
key-store-key-has-spaces = API キーではないようです: 途中に空白や改行が含まれています。platform.asteroid.ai → プロフィール → API Keys からキーをコピーし直してください。
key-store-unavailable = このコンピューターでは使えるキーチェーンがありません。キーはこのセッションだけ使うか、環境変数 { $env } に設定できます。
key-store-locked = キーチェーンがロックされています。ロックを解除して (デスクトップにログインして) もう一度お試しいただくか、キーをこのセッションだけ使ってください。
key-store-no-answer = キーチェーンが { $seconds } 秒以内に応答しませんでした。このコマンドでは { $env } にキーを設定するか、キーチェーンのロックを解除して (デスクトップにログインして) もう一度お試しください。
key-store-refused = キーチェーンが要求を拒否しました。もう一度お試しいただくか、キーをこのセッションだけ使ってください。
key-store-where = { $system }、項目「{ $service }」/「{ $account }」
key-store-linux = デスクトップのキーチェーン (GNOME Keyring または KWallet)
key-store-windows = Windows 資格情報マネージャー
key-store-macos = macOS のキーチェーン
key-store-session-only = このセッションのみ (保存されません)

## サーバー (src/api)
api-the-server = サーバー
api-details-http = 詳細: HTTP { $status }: { $text }
api-details-status = 詳細: HTTP { $status }
api-bad-key = サーバーが API キーを受け付けませんでした。platform.asteroid.ai → プロフィール → API Keys でキーを確認し、もう一度入力してください。
api-not-member = このキーはこの組織に属していません (サーバーの応答: 「{ $server_text }」)。組織 ID を確認するか、その組織のキーを使ってください。
api-rejected = サーバーがアップロードを拒否しました (サーバーの応答: 「{ $server_text }」)。意図したファイルか確認してください。同じファイルを再試行しても解決しません。
api-too-large = アップロードがサーバーの上限を超えています。1 回の実行で扱えるファイルは合計 { $limit } までです。
api-rate-limited = サーバーが混み合っていて、待つよう求めています。アップロードは自動で再試行されます。失敗が続く場合は、数分後にもう一度お試しください。
api-server-failed = サーバーでエラーが発生しました。お客様の問題ではありません。少し待ってから再試行してください。
api-unexpected-status = サーバーが API の仕様にない応答を返しました。再試行してください。繰り返し起きる場合は、設定でサーバーのアドレスを確認してください。
api-redirected-away = サーバーが別のアドレス ({ $address }) に転送しようとしました。キーはそこには送っていません。設定でサーバーのアドレスを確認してください。
api-redirected-after-upload = サーバーはアップロードを受け取りましたが、ファイル ID を返さずに別のアドレスへ転送しようとしました。ファイルは保存されている可能性があります。再試行すると 2 つ目のコピーがアップロードされるおそれがあるため、再送はしていません (使われないコピーは自動で期限切れになります)。これらのファイルをもう一度アップロードする前に、サーバーのアドレスが正しいか Asteroid の管理者に確認してください。
api-connection-lost = 送信中に接続が切れました。再試行してください。再送されるのはこのファイルだけです。繰り返し起きる場合は、インターネット接続を確認してください。
api-stalled = アップロードが止まりました: { $seconds } 秒間まったく進んでいません。接続を確認してから再試行してください。
api-no-answer = サーバーがファイルを受け取ってから { $seconds } 秒以内に応答しませんでした。少し待ってから再試行してください。
api-malformed-answer = サーバーの応答が API の仕様と違います ({ $reason })。再試行してください。繰り返し起きる場合は、設定でサーバーのアドレスを確認してください。
api-file-changed = { $name } が送信中に変更されました ({ $what })。誤ったものは保存されていません。再試行すると、現在のファイルが送信されます。
api-file-unreadable = 送信中に { $name } を読み取れませんでした ({ $reason })。ファイルを確認してから再試行してください。
api-setup = 接続を準備できませんでした ({ $reason })。
api-internal = 内部エラーでこのアップロードが止まりました。再試行してください。
api-reason-refused = { $host } から応答がありません
api-reason-name-not-found = { $host } という名前が見つかりません
api-reason-no-route = { $host } への経路がありません
api-reason-timed-out = { $host } が時間内に応答しませんでした
api-reason-proxy-unreachable = プロキシ サーバーに接続できません
api-no-connection-refused = { $host } から応答がありません: サーバーがそこで動いていないか、このネットワークからは届きません。サーバーのアドレスを確認し、正しければ数分後にもう一度お試しください。
api-no-connection-name-not-found = サーバー名 { $host } が見つかりません。インターネット接続とサーバーのアドレスを確認してください。
api-no-connection-no-route = このコンピューターから { $host } への経路がありません: ネットワークが切断されているようです。インターネット接続 (Wi-Fi、ケーブル、VPN) を確認してください。
api-no-connection-timed-out = { $host } が時間内に応答しませんでした。インターネット接続を確認してください。社内ネットワークでは、プロキシの設定も確認してください。
api-no-connection-proxy-unreachable = プロキシ サーバーに接続できません。プロキシの設定 (HTTPS_PROXY、またはシステムのプロキシ設定) を確認するか、IT 部門にお問い合わせください。
api-no-connection-other = { $host } に接続できません。インターネット接続とサーバーのアドレスを確認してから再試行してください。
api-certificate-untrusted = このコンピューターは { $host } の証明書を信頼していないため、何も送信していません。社内ネットワークでは、会社のルート証明書をシステムの証明書ストアにインストールしてください (または SSL_CERT_FILE で指定してください)。そうでない場合は、サーバーのアドレスを確認してください。
api-certificate-expired = { $host } の証明書が期限切れか、まだ有効ではないため、何も送信していません。このコンピューターの日付と時刻が正しいか確認してください。正しい場合は、サーバーの管理者が証明書を更新する必要があります。
api-certificate-name-mismatch = { $host } の証明書は別の名前に対して発行されているため、何も送信していません。サーバーのアドレスを確認してください。社内ネットワークでは IT 部門にお問い合わせください。
api-certificate-other = { $host } との安全な接続を確立できなかったため、何も送信していません。サーバーのアドレスを確認してください。社内ネットワークでは IT 部門にお問い合わせください。
api-proxy-needs-password = プロキシ サーバーがユーザー名とパスワードを求めていますが、指定されていない (または誤っている) ため、何も送信していません。プロキシのアドレスに含めるか (HTTPS_PROXY=http://user:password@proxy:port)、IT 部門にお問い合わせください。
api-proxy-refused = プロキシ サーバーがサーバーへの接続を拒否したため、何も送信していません。このアドレスをプロキシが通すか IT 部門に確認するか、このアドレスに NO_PROXY を設定してください。
api-answer-count = 送信した { $count } 個のファイルのうち { $confirmed } 個しか確認されませんでした
api-answer-not-a-file-id = { $name } に返された ID はファイル ID ではありません
api-answer-same-id = 2 つのファイルに同じ ID が返されました
api-answer-names-unmatched = 返された名前を、推測なしに送信したファイルと対応付けられませんでした
api-changed-not-regular = 元の場所に通常のファイルではないものが置かれています
api-changed-gone = 削除または移動されました
api-changed-size = 現在のサイズは { $size } バイトで、追加したときは { $added } バイトでした
api-changed-modified = 追加した後に変更されました
api-changed-grew = 元の { $expected } バイトより大きくなりました
api-changed-while-sent = 送信中に変更されました
api-changed-shrank = 小さくなりました: { $expected } バイトのうち、読み取れたのは { $sent } バイトだけでした
api-changed-while-read = 読み取り中にファイルが変更されました
api-client-context-unparsed = アカウント情報を読み取れませんでした: { $reason }
api-client-list-unparsed = アップロード済みファイルの一覧を読み取れませんでした: { $reason }
api-client-too-many-redirects = 転送が多すぎます
api-client-redirect-nowhere = 転送先のアドレスがない転送
api-client-redirect-with-key = API キーを含むアドレスへの転送
api-client-redirect-unparsed = 解釈できないアドレスへの転送
api-client-unknown-host = 不明なホスト
api-client-answer-too-large = 応答が { $megabytes } MB を超えていました
api-redacted-key = [API キー]
api-client-key-not-a-header = API キーに、ヘッダーで送れない文字が含まれています
api-no-text = テキストなし

## サーバーのアドレスと組織 ID (src/endpoint.rs)
endpoint-empty = サーバーのアドレスが空です。{ $example } のようなアドレスを入力してください。
endpoint-not-a-url = 「{ $typed }」は Web アドレスではありません。{ $example } のようなアドレスを入力してください。
endpoint-insecure = サーバーのアドレスは https:// で始まる必要があります (入力: 「{ $typed }」)。http:// が使えるのはこのコンピューター (localhost) だけです。
endpoint-credentials = サーバーのアドレスにユーザー名やパスワードは含められません。「@」より前の部分を削除してください。
endpoint-query = サーバーのアドレスに「?」や「#」の部分は含められません。{ $example } のように、アドレスだけを入力してください。
endpoint-not-an-organization-id = 「{ $typed }」は組織 ID ではありません。platform.asteroid.ai からコピーし直してください。組織 ID は英数字とハイフンの 36 文字です。

## 起動時 (src/startup.rs)
startup-settings-unusable = 設定ファイルを使用できませんでした。{ $problem }
startup-history-unusable = 履歴ファイルを使用できませんでした。{ $problem }
startup-file-kept-aside = { $reason } { $file } は { $backup } として保管し、新しいファイルで起動しました。
startup-file-not-moved = { $reason } { $file } を退避できなかったため、当面は新しいファイルを使います。
startup-file-unreadable = ファイルを読み取れませんでした ({ $reason })。
startup-file-newer = このファイルは新しいバージョンの Asteroid Stager で書かれています (形式 { $found }、このバージョンが読めるのは { $known } まで)。
startup-file-damaged = ファイルが破損しています ({ $reason })。

## 履歴 (src/history)
history-error-newer = 新しいバージョンの Asteroid Stager で書かれているため (形式 { $found }、このバージョンが知っているのは形式 { $known })、このバージョンでは読み取りのみです。新しいファイルを保存するには Asteroid Stager を更新してください
history-error-busy = 別の Asteroid Stager が { $seconds } 秒以上ロックしていました。少し待ってからもう一度お試しください
history-error-damaged = データベースが破損しています ({ $reason })
history-error-unavailable = Asteroid Stager の起動時に開けませんでした ({ $reason })
history-error-database = 予期しないデータベース エラー ({ $reason })
history-disk-full = ディスクがいっぱいです
history-disk-read-only = フォルダーまたはファイルが読み取り専用です
history-disk-permission-denied = アクセスが拒否されました
history-disk-cannot-open = ファイルを開くことも作成することもできませんでした (フォルダーのアクセス権を確認してください)
history-disk-io = ディスクの読み書きができませんでした
history-notice-imported = { $from } から履歴 { $db } に { $count } 個のアップロード済みファイルを取り込みました
history-notice-already-there = ({ $count } 個は既にありました)
history-notice-old-kept = 。古いファイルは { $kept } として保管しています。
history-notice-old-not-renamed = 。古いファイルの名前を変更できなかったため、次回の起動時にもう一度読み込みます (二重に取り込まれることはありません)。
history-notice-not-imported = 古い履歴 { $file } は取り込まれませんでした: { $reason }
history-notice-not-imported-kept = 。{ $kept } として保管しています。
history-notice-not-imported-left = 。そのまま残し、次回の起動時にもう一度試します。
history-notice-damaged-kept = 履歴 { $db } が破損していました ({ $reason })。{ $kept } として保管し、新しい履歴を作成しました。
history-notice-damaged-not-moved = 履歴 { $db } が破損しており ({ $reason })、退避もできませんでした: このセッションではアップロード済みファイルが保存されません。閉じる前に ID をコピーし、ファイルを移動してください。
history-notice-newer = 履歴 { $db } は新しいバージョンの Asteroid Stager で書かれています (形式 { $found }、このバージョンが知っているのは形式 { $known })。表示はしますが変更はしません: 今アップロードしたファイルは保存されません。Asteroid Stager を更新してください。
history-notice-unavailable = 履歴 { $db } を開けませんでした ({ $reason }): このセッションではアップロード済みファイルが保存されません。閉じる前に ID をコピーしてください。
history-legacy-unreadable = 読み取れませんでした ({ $reason })
history-legacy-newer = 新しいバージョンの Asteroid Stager で書かれています (形式 { $found }、このバージョンが読めるのは { $known } まで)
history-legacy-damaged = 破損しています ({ $reason })
history-legacy-not-copied = データベースにコピーできませんでした ({ $reason })
history-damaged-not-moved = { $reason }。退避にも失敗しました: { $moving }

## キーと組織 (src/session)
session-environment-key-unusable = { $env } が設定されていますが使用できません: { $problem } または、この変数を削除すると、ここに保存されたキーを使います。
session-environment-key-refused = { $env } のキーが拒否されました。{ $error }
session-stored-key-refused = 保存されたキーが使えなくなりました。{ $error } 新しいキーを入力すると、古いキーと置き換わります。
session-enter-organization = ファイルをアップロードする組織の ID を入力してください。
session-saved-organization-unusable = 保存された組織は使用できません ({ $problem })。
session-choose-among-several = このキーは複数の組織に属しています。ファイルをアップロードする組織を選んでください。
session-choose-organization = ファイルをアップロードする組織を選んでください。
session-no-organization-listed = サーバーはこのキーの組織を返しませんでした。組織 ID を入力してください (Asteroid の管理者にお問い合わせください)。

## アップロードキュー: 各行の注記 (src/upload_queue)
queue-may-be-there-twice = サーバー上に 2 つある可能性があります: 以前の試行が応答なしで保存されました。重複分は使われず、自動で期限切れになります。
queue-id-given-twice = 別のファイルに返した ID を、もう 1 つのファイルにも返しました
queue-requeued-shared-with-cancelled = 最初から送り直します: キャンセルされた { $names } と同じリクエストで送られていました。
queue-requeued-shared-with-changed = 最初から送り直します: 変更された { $name } と同じリクエストで送られていました。
queue-requeued-split-after-refusal = このファイルを含むリクエストをサーバーが拒否しました。今後は 1 ファイルずつ送信します。
queue-requeued-split-after-unclear-answer = サーバーの応答では、どの ID がどのファイルのものかはっきりしませんでした。ほかのファイルの ID が付かないよう、今後は 1 ファイルずつ送信します。
queue-renamed = サーバーは「{ $name }」として保存しました。この名前を使ってください。
queue-renamed-unexplained = サーバーは別の名前「{ $name }」で保存しました。この名前を使ってください。
queue-internal-error-looking = 確認中に内部エラーが発生しました ({ $reason })
queue-changed-since-staged = 最初のアップロードの後に変更されています: 新しい ID は現在のファイルのものです。
queue-internal-error-saving = 内部エラーで中断されました ({ $reason })

## 追加したフォルダー (src/folder_scan)
folder-scan-no-files-from = { $folder } からのファイルはありません
folder-scan-files-from = { $folder } から { $count } 個のファイル
folder-scan-hidden-items = 隠し項目 { $count } 個
folder-scan-system-files = システム ファイル { $count } 個
folder-scan-found-twice = リンク経由で重複して見つかったファイル { $count } 個
folder-scan-and = { $first }と{ $second }
folder-scan-skipped = 、{ $items }をスキップ
folder-scan-not-added = 、{ $count } 個を追加できませんでした
folder-scan-question-one-folder = { $folder } には { $files } ({ $size }) があります。
folder-scan-question-two-folders = { $first } と { $second } には { $files } ({ $size }) があります。
folder-scan-question-more-folders = { $first } とほか { $others } 個のフォルダーには { $files } ({ $size }) があります。
folder-scan-question-with-others = 追加したほかの { $others } 個のファイルと合わせて { $files } ({ $size }) です。
folder-scan-question-limit = 1 回の実行で扱えるファイルは { $limit } までです。
folder-scan-question-stage-all = すべてアップロードしますか?

## 貼り付けた画像 (src/clipboard.rs)
clipboard-image-size-mismatch = 画像のサイズがピクセル数と一致しません
clipboard-no-free-name = 貼り付けた画像に使える名前がありません
