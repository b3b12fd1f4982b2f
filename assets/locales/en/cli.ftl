# The command line's texts for people (stderr). The JSON on stdout is never translated.

## Every command
cli-wait-not-a-duration = "{ $text }" is not a duration; write it like 30s, 10m or 1h (0 not to wait)
cli-ids-not-written = The IDs could not be written to the output ({ $reason }). They are kept in the history: `asteroid-stager history --json` prints them.
cli-reader-stopped = the program reading it had stopped
cli-disk-full = the disk is full
cli-note = Note: { $text }
cli-nothing-uploaded = Nothing was uploaded.
cli-window-failed = The window could not be opened: { $reason }
cli-window-failed-use-cli = The command line still works: asteroid-stager stage FILE...

## stage
cli-could-not-start = Could not start: { $reason }
cli-stopped = Stopped. What was staged is in the history (asteroid-stager history).
cli-queue-stopped = The upload queue stopped unexpectedly.
cli-folder-nothing-to-stage = { $folder }: nothing in it can be staged. Check that it is the folder you meant.
cli-skipped = Skipped: { $problem }
cli-nothing-to-stage = There is no file to stage in what was given.
cli-server-unreachable = the server cannot be reached
cli-waiting-for-network = Waiting for the network ({ $reason })… trying again in { $seconds } s. Ctrl-C to stop.
cli-interrupted-before-sending = Interrupted before anything was sent. Nothing was uploaded.
# "Staging 3 files, 1.2 MB, for organization … on odyssey.asteroid.ai…"
cli-staging = Staging { $files }, { $size }, for organization { $organization } on { $host }…
cli-over-limit = Note: an execution takes at most { $limit } of files in all; these are { $size }.
cli-some-staged = { $staged } of { $count ->
    [one] { $count } file
   *[other] { $count } files
} staged.
cli-all-staged = { $count ->
    [one] The file is staged. It expires in { $lifetime }
   *[other] All { $count } files are staged. They expire in { $lifetime }
}; pass the JSON below as "tempFiles" when you start an agent execution.
cli-interrupted = Interrupted: cancelling the uploads in progress… (press Ctrl-C again to quit at once)
cli-a-file = a file
cli-retrying = Retrying { $name } in { $seconds } s (try { $attempt } failed): { $reason }
cli-network-down = Waiting for the network: { $reason }
cli-network-down-retry = Trying again in { $seconds } s, for up to { $wait } in all (--wait); Ctrl-C stops.
cli-network-back = The server can be reached again; staging goes on.
cli-staged-one = Staged { $name } → { $id }
cli-failed = Failed: { $name }: { $error }
cli-cancelled = Cancelled: { $name }
cli-history-not-saved = Warning: the history could not be saved ({ $reason }). The IDs printed below are still valid.
# The progress line: "1.2 MB of 3.4 MB".
cli-progress = { $done } of { $total }
cli-key-how = Run `asteroid-stager key set` and paste your key (from platform.asteroid.ai → profile → API Keys), or set { $env }.
cli-no-key-stored = No API key is stored for { $host }. { $how }
cli-no-key = No API key: { $problem }
cli-organization-not-found = Could not find your organization from the key: { $problem }
cli-several-organizations = The key belongs to { $count } organizations; say which one with --org (or { $env }):
cli-no-organization = The key does not belong to any organization, so it cannot stage files. Check the key, or give --org.

## history
cli-history-unreadable = The list of staged files could not be read ({ $reason }). It is kept in { $path }.
cli-history-none-yet = No file has been staged from this computer yet (or the list was cleared).
cli-history-none-valid = No staged file is still valid: they expire after { $lifetime }.
cli-history-none-here = No staged file for organization { $organization } on { $host } is listed. { $elsewhere }
cli-history-how-to-stage = Stage files with `asteroid-stager stage FILE...` or in the window.
cli-history-heading = Organization { $organization } on { $server }:
cli-history-expired = expired
cli-history-summary = { $count ->
    [one] { $count } file
   *[other] { $count } files
}. `asteroid-stager history --json` prints them as { $json }.
cli-history-summary-for = { $count ->
    [one] { $count } file
   *[other] { $count } files
} for organization { $organization } on { $host }. `asteroid-stager history --json` prints them as { $json }.
cli-history-elsewhere = { $count ->
    [one] { $count } file staged for other organizations or servers is not listed
   *[other] { $count } files staged for other organizations or servers are not listed
} (`--all-orgs` lists them).
cli-history-several-scopes = The staged files belong to { $count } organizations or servers, and one list of IDs can only be used in one. Say which with --org (or { $env }), or --all-orgs for every one:
cli-history-not-written = The list could not be written to the output ({ $reason }). The files are still in the history: run `asteroid-stager history` again with another output.

## key
cli-key-saved = Saved the API key for { $host } in { $place }.
cli-key-stored = An API key for { $host } is stored in { $place }.
cli-key-environment-too = { $env } is also set and is used instead.
cli-key-environment-only = No API key is stored for { $host }; { $env } is set and is used.
cli-key-none = No API key is stored for { $host }. Run `asteroid-stager key set` and paste it.
cli-key-removed = Removed the API key for { $host } from the keychain.
cli-key-nothing-to-remove = There was no API key for { $host } to remove.
cli-key-prompt = Paste your API key (from platform.asteroid.ai → profile → API Keys; it is not shown):{ " " }
cli-key-unreadable = Could not read the key: { $reason }
cli-key-unreadable-stdin = Could not read the key from standard input: { $reason }
