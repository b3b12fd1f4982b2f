# コマンドラインの人向けテキスト (stderr)。stdout の JSON は翻訳しません。

## すべてのコマンド
cli-wait-not-a-duration = 「{ $text }」は時間の長さではありません。30s、10m、1h のように書いてください (待たない場合は 0)
cli-ids-not-written = ID を出力に書き込めませんでした ({ $reason })。ID は履歴に保存されています: `asteroid-stager history --json` で表示できます。
cli-reader-stopped = 読み取り側のプログラムが終了しました
cli-disk-full = ディスクがいっぱいです
cli-note = 注: { $text }
cli-nothing-uploaded = 何もアップロードされていません。
cli-window-failed = ウィンドウを開けませんでした: { $reason }
cli-window-failed-use-cli = コマンドラインは引き続き使えます: asteroid-stager stage ファイル...

## stage
cli-could-not-start = 開始できませんでした: { $reason }
cli-stopped = 停止しました。アップロード済みのものは履歴にあります (asteroid-stager history)。
cli-queue-stopped = アップロードキューが予期せず停止しました。
cli-folder-nothing-to-stage = { $folder }: アップロードできるものがありません。意図したフォルダーか確認してください。
cli-skipped = スキップ: { $problem }
cli-nothing-to-stage = 指定されたものの中に、アップロードできるファイルがありません。
cli-server-unreachable = サーバーに接続できません
cli-waiting-for-network = ネットワークを待っています ({ $reason })… { $seconds } 秒後に再試行します。Ctrl-C で停止します。
cli-interrupted-before-sending = 送信前に中断しました。何もアップロードされていません。
cli-staging = 組織 { $organization } のために { $host } へ { $files } ({ $size }) をアップロードしています…
cli-over-limit = 注: 1 回の実行で扱えるファイルは合計 { $limit } までですが、これらは { $size } あります。
cli-some-staged = { $count } 個のファイルのうち { $staged } 個をアップロードしました。
cli-all-staged = { $count } 個のファイルをアップロードしました。{ $lifetime }後に期限切れになります。エージェントの実行を開始するときに、下の JSON を "tempFiles" として渡してください。
cli-interrupted = 中断しました: 進行中のアップロードをキャンセルしています… (すぐに終了するには、もう一度 Ctrl-C を押してください)
cli-a-file = ファイル
cli-retrying = { $seconds } 秒後に { $name } を再試行します (試行 { $attempt } が失敗): { $reason }
cli-network-down = ネットワークを待っています: { $reason }
cli-network-down-retry = { $seconds } 秒後に再試行します。待つのは合計 { $wait } までです (--wait)。Ctrl-C で停止します。
cli-network-back = サーバーに再び接続できました。アップロードを続けます。
cli-staged-one = アップロード済み: { $name } → { $id }
cli-failed = 失敗: { $name }: { $error }
cli-cancelled = キャンセル: { $name }
cli-history-not-saved = 警告: 履歴を保存できませんでした ({ $reason })。下に表示される ID は有効です。
cli-progress = { $done } / { $total }
cli-key-how = `asteroid-stager key set` を実行してキー (platform.asteroid.ai → プロフィール → API Keys) を貼り付けるか、{ $env } を設定してください。
cli-no-key-stored = { $host } の API キーは保存されていません。{ $how }
cli-no-key = API キーがありません: { $problem }
cli-organization-not-found = キーから組織を特定できませんでした: { $problem }
cli-several-organizations = このキーは { $count } 個の組織に属しています。--org (または { $env }) でどれか指定してください:
cli-no-organization = このキーはどの組織にも属していないため、ファイルをアップロードできません。キーを確認するか、--org を指定してください。

## history
cli-history-unreadable = アップロード済みファイルの一覧を読み取れませんでした ({ $reason })。一覧は { $path } にあります。
cli-history-none-yet = このコンピューターからはまだファイルがアップロードされていません (または一覧が消去されました)。
cli-history-none-valid = 有効なアップロード済みファイルはありません: ファイルは { $lifetime }で期限切れになります。
cli-history-none-here = 組織 { $organization } ({ $host }) のアップロード済みファイルは一覧にありません。{ $elsewhere }
cli-history-how-to-stage = ファイルは `asteroid-stager stage ファイル...` またはウィンドウでアップロードできます。
cli-history-heading = 組織 { $organization } ({ $server }):
cli-history-expired = 期限切れ
cli-history-summary = { $count } 個のファイル。`asteroid-stager history --json` で { $json } として表示できます。
cli-history-summary-for = 組織 { $organization } ({ $host }) の { $count } 個のファイル。`asteroid-stager history --json` で { $json } として表示できます。
cli-history-elsewhere = ほかの組織またはサーバー向けの { $count } 個のファイルは表示していません (`--all-orgs` で表示できます)。
cli-history-several-scopes = アップロード済みファイルは { $count } 個の組織またはサーバーに属しており、1 つの ID 一覧は 1 つにしか使えません。--org (または { $env }) でどれか指定するか、すべての場合は --all-orgs を指定してください:
cli-history-not-written = 一覧を出力に書き込めませんでした ({ $reason })。ファイルは履歴に残っています: 別の出力先で `asteroid-stager history` をもう一度実行してください。

## key
cli-key-saved = { $host } の API キーを { $place } に保存しました。
cli-key-stored = { $host } の API キーは { $place } に保存されています。
cli-key-environment-too = { $env } も設定されており、そちらが使われます。
cli-key-environment-only = { $host } の API キーは保存されていませんが、{ $env } が設定されており、それが使われます。
cli-key-none = { $host } の API キーは保存されていません。`asteroid-stager key set` を実行して貼り付けてください。
cli-key-removed = { $host } の API キーをキーチェーンから削除しました。
cli-key-nothing-to-remove = 削除する { $host } の API キーはありませんでした。
cli-key-prompt = API キーを貼り付けてください (platform.asteroid.ai → プロフィール → API Keys。表示されません):{ " " }
cli-key-unreadable = キーを読み取れませんでした: { $reason }
cli-key-unreadable-stdin = 標準入力からキーを読み取れませんでした: { $reason }
