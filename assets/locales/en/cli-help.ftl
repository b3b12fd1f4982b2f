# The command line's --help texts (clap's own words, "Usage:", "Options:", "Print help",
# stay English: clap has no way to translate them). A help line has no full stop at its
# end; the two paragraphs of `asteroid-stager --help` do.
# { "{" } and { "}" } write a brace, which Fluent otherwise reads as a placeable.

## asteroid-stager
cli-help-about = Stage files on the Asteroid Agents API and copy their IDs.
# The second paragraph of `asteroid-stager --help`; FILES is the argument's name in "Usage:".
cli-help-no-command = With no command, opens the window (with FILEs already added).
cli-help-files = Files to add in the window, as a file manager's "Open with" passes them
cli-help-stage = Stage files and print { "{" }"tempFiles":[…]{ "}" } for an agent execution
cli-help-history = List the staged files that have not expired (the IDs can be used again)
cli-help-key = Store, check or remove the API key in the system keychain

## asteroid-stager stage
cli-help-stage-org = Organization ID (default: ASTEROID_ORG_ID, the settings, or the key's only organization)
cli-help-stage-base-url = API address (default: ASTEROID_BASE_URL, the settings, or https://odyssey.asteroid.ai/agents/v2)
# 30s, 10m, 1h and 0 are values --wait takes: keep them as they are.
cli-help-stage-wait = How long to wait for the network when the server cannot be reached (e.g. 30s, 10m, 1h); 0 fails at once after the usual retries
cli-help-stage-files = The files (or folders) to stage

## asteroid-stager history
cli-help-history-json = Print { "{" }"tempFiles":[…]{ "}" } (for scripts) instead of a list
cli-help-history-all = Include the files that have expired
cli-help-history-org = List this organization's files (default: ASTEROID_ORG_ID or the settings, as for `stage`)
cli-help-history-base-url = List the files staged on this API address (default: ASTEROID_BASE_URL, the settings, or https://odyssey.asteroid.ai/agents/v2)
cli-help-history-all-orgs = List every organization's files, on every server, each under its organization

## asteroid-stager key
cli-help-key-set = Read the key from standard input (not shown on a terminal) and store it
cli-help-key-status = Say whether a key is stored for the server
cli-help-key-delete = Remove the stored key for the server
cli-help-key-base-url = The API address whose key this is (the keychain keeps one key per server)
