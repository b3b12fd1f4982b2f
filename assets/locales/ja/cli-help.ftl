# コマンドラインの --help のテキスト (clap 自身の "Usage:" などは英語のままです)。
# { "{" } と { "}" } は波かっこを書きます。

## asteroid-stager
cli-help-about = Asteroid Agents API にファイルをアップロードし、その ID をコピーします。
cli-help-no-command = コマンドを指定しない場合はウィンドウを開きます (FILES は追加済みの状態になります)。
cli-help-files = ウィンドウに追加するファイル (ファイルマネージャーの「プログラムから開く」が渡すもの)
cli-help-stage = ファイルをアップロードし、エージェント実行用の { "{" }"tempFiles":[…]{ "}" } を出力します
cli-help-history = 期限切れになっていないアップロード済みファイルを一覧表示します (ID は再利用できます)
cli-help-key = システムのキーチェーンで API キーを保存・確認・削除します

## asteroid-stager stage
cli-help-stage-org = 組織 ID (既定: ASTEROID_ORG_ID、設定、またはキーが属する唯一の組織)
cli-help-stage-base-url = API のアドレス (既定: ASTEROID_BASE_URL、設定、または https://odyssey.asteroid.ai/agents/v2)
cli-help-stage-wait = サーバーに接続できないときにネットワークを待つ時間 (例: 30s、10m、1h)。0 の場合は通常の再試行の後すぐに失敗します
cli-help-stage-files = アップロードするファイル (またはフォルダー)

## asteroid-stager history
cli-help-history-json = 一覧の代わりに { "{" }"tempFiles":[…]{ "}" } を出力します (スクリプト向け)
cli-help-history-all = 期限切れのファイルも含めます
cli-help-history-org = この組織のファイルを一覧表示します (既定: ASTEROID_ORG_ID または設定。`stage` と同じです)
cli-help-history-base-url = この API アドレスにアップロードしたファイルを一覧表示します (既定: ASTEROID_BASE_URL、設定、または https://odyssey.asteroid.ai/agents/v2)
cli-help-history-all-orgs = すべてのサーバーのすべての組織のファイルを、組織ごとに一覧表示します

## asteroid-stager key
cli-help-key-set = 標準入力からキーを読み取り (端末には表示されません)、保存します
cli-help-key-status = サーバーのキーが保存されているかどうかを表示します
cli-help-key-delete = サーバー用に保存されたキーを削除します
cli-help-key-base-url = このキーを使う API のアドレス (キーチェーンはサーバーごとに 1 つのキーを保存します)
