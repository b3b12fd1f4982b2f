# The core's texts for people: errors, notes and notices both faces show.

## Files checked before staging (src/local_file.rs)
local-file-not-found = { $name }: there is no such file. Check the name, or pick the file again.
local-file-gone = The original file is no longer at { $name }: it was moved, renamed or deleted. Add it again from where it is now.
local-file-is-folder = { $name } is a folder. Add the files inside it instead.
local-file-permission-denied = { $name } cannot be read: permission denied. Ask the file's owner for access, or copy it somewhere you can read it.
local-file-link-loop = { $name } is a link that points to itself (a loop). Add the file it should point to instead.
local-file-not-regular = { $name } is not a regular file (it is a { $kind }). Only regular files can be staged.
local-file-kind-pipe = named pipe
local-file-kind-socket = socket
local-file-kind-device = device
local-file-kind-special = special file
local-file-empty = { $name } is empty (0 bytes), so there is nothing to stage. Check that it is the file you meant.
local-file-unreadable = { $name } cannot be read: { $reason }.

## Numbers, sizes and times (src/format.rs)
# Two sentences one after the other (Japanese: no space between).
format-sentences = { $first } { $second }
format-group-folder = { $name } folder
format-group-one = { $how }: { $name }
format-group-dropped-one = Dropped
format-group-chosen-one = Chosen
format-group-pasted-one = Pasted
format-group-command-line-one = Command line
format-group-opened-with-one = Opened with Asteroid Stager
format-group-many = { $what } { $how }
format-group-dropped = dropped
format-group-chosen = chosen
format-group-pasted = pasted
format-group-command-line = from the command line
format-group-opened-with = opened with Asteroid Stager
format-count-files-and-folders = { $count ->
    [one] { $count } file or folder
   *[other] { $count } files and folders
}
format-bytes = { $count ->
    [one] { $count } byte
   *[other] { $count } bytes
}
# The mark between the whole and the tenths in "1.5 MB".
format-decimal-separator = .
format-unit-kb = KB
format-unit-mb = MB
format-unit-gb = GB
format-unit-tb = TB
format-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
format-seconds-left = { $count } s left
format-minutes-left = about { $count } min left
format-hours-minutes-left = about { $hours } h { $minutes } min left
format-expires-in-minutes = expires in { $count } min
format-expires-in-seconds = expires in { $count } s
# Another day than today: "Nov 28, 10:42".
format-date-time = { $month } { $day }, { $time }
format-month-jan = Jan
format-month-feb = Feb
format-month-mar = Mar
format-month-apr = Apr
format-month-may = May
format-month-jun = Jun
format-month-jul = Jul
format-month-aug = Aug
format-month-sep = Sep
format-month-oct = Oct
format-month-nov = Nov
format-month-dec = Dec

## The API key and the keychain (src/key_store.rs)
key-store-key-empty = The API key is empty. Copy it from platform.asteroid.ai → your profile → API Keys, then paste it here.
key-store-key-has-spaces = That does not look like an API key: it contains spaces or line breaks in the middle. Copy the key again from platform.asteroid.ai → your profile → API Keys.
key-store-unavailable = No keychain is available on this computer. The key can still be used for this session only, or set in the { $env } environment variable.
key-store-locked = The keychain is locked. Unlock it (log in to your desktop keyring) and try again, or use the key for this session only.
key-store-no-answer = The keychain did not answer in { $seconds } seconds. Set the key in { $env } for this command, or unlock the keychain (log in to your desktop) and try again.
key-store-refused = The keychain refused the request. Try again, or use the key for this session only.
# Where the key is kept: "your desktop's keychain (GNOME Keyring or KWallet), entry "asteroid-stager" / "odyssey.asteroid.ai"".
key-store-where = { $system }, entry "{ $service }" / "{ $account }"
key-store-linux = your desktop's keychain (GNOME Keyring or KWallet)
key-store-windows = Windows Credential Manager
key-store-macos = the macOS Keychain
key-store-session-only = this session only (not saved)

## Talking to the server (src/api)
api-the-server = the server
# The technical part of a message, on a line of its own under the plain sentence.
api-details-http = Details: HTTP { $status }: { $text }
api-details-status = Details: HTTP { $status }
api-bad-key = The server did not accept the API key. Check the key at platform.asteroid.ai → your profile → API Keys and enter it again.
api-not-member = The key is not a member of this organization (server said: "{ $server_text }"). Check the organization ID, or use a key from that organization.
api-rejected = The server refused the upload (server said: "{ $server_text }"). Check that the file is the one you meant; retrying the same file will not help.
api-too-large = The upload is too large for the server. An execution takes at most { $limit } of files in all.
api-rate-limited = The server is busy and asked us to wait. The upload is retried automatically; if it keeps failing, try again in a few minutes.
api-server-failed = The server failed. This is not your fault; retry in a moment.
api-unexpected-status = The server answered in a way the API does not describe. Retry; if it keeps happening, check the server address in Settings.
api-redirected-away = The server sent us to another address ({ $address }). The key was not sent there. Check the server address in Settings.
api-redirected-after-upload = The server received the upload but sent us to another address instead of answering with the file IDs. It may have stored the files; nothing was sent again, because a retry may stage a second copy (an unused copy expires on its own). Check with your Asteroid administrator that the server address is right before staging these files again.
api-connection-lost = The connection broke while sending. Retry; only this file is sent again. If it keeps happening, check your internet connection.
api-stalled = The upload stalled: nothing moved for { $seconds } seconds. Check your connection, then retry.
api-no-answer = The server did not answer within { $seconds } seconds after receiving the file. Retry in a moment.
api-malformed-answer = The server's answer was not what the API promises ({ $reason }). Retry; if it keeps happening, check the server address in Settings.
api-file-changed = { $name } changed while it was being sent ({ $what }). Nothing wrong was kept: retry to send the file as it is now.
api-file-unreadable = { $name } could not be read while sending ({ $reason }). Check the file, then retry.
api-setup = Could not set up the connection ({ $reason }).
api-internal = An internal error stopped this upload; please retry.
api-reason-refused = nothing answered at { $host }
api-reason-name-not-found = the name { $host } could not be found
api-reason-no-route = no route to { $host }
api-reason-timed-out = { $host } did not answer in time
api-reason-proxy-unreachable = the proxy server could not be reached
api-no-connection-refused = Nothing answered at { $host }: the server is not running there, or not reachable from this network. Check the server address; if it is right, try again in a few minutes.
api-no-connection-name-not-found = The server name { $host } could not be found. Check your internet connection and the server address.
api-no-connection-no-route = This computer has no route to { $host }: the network seems to be down. Check your internet connection (Wi-Fi, cable or VPN).
api-no-connection-timed-out = { $host } did not answer in time. Check your internet connection; on a company network, check the proxy settings.
api-no-connection-proxy-unreachable = The proxy server could not be reached. Check the proxy settings (HTTPS_PROXY, or the system's proxy settings), or ask your IT department.
api-no-connection-other = Cannot connect to { $host }. Check your internet connection and the server address, then retry.
api-certificate-untrusted = The certificate of { $host } is not trusted by this computer, so nothing was sent. On a company network, install your company's root certificate in the system's certificate store (or point SSL_CERT_FILE at it); otherwise check the server address.
api-certificate-expired = The certificate of { $host } has expired or is not valid yet, so nothing was sent. Check that this computer's date and time are right; otherwise the server's administrator must renew it.
api-certificate-name-mismatch = The certificate presented for { $host } is made out for another name, so nothing was sent. Check the server address; on a company network, ask your IT department.
api-certificate-other = A secure connection to { $host } could not be set up, so nothing was sent. Check the server address; on a company network, ask your IT department.
api-proxy-needs-password = The proxy server asks for a user name and password, and none (or wrong ones) were given, so nothing was sent. Put them in the proxy address (HTTPS_PROXY=http://user:password@proxy:port), or ask your IT department.
api-proxy-refused = The proxy server refused to connect us to the server, so nothing was sent. Ask your IT department whether the proxy lets this address through, or set NO_PROXY for it.
# Why the server's answer could not be matched to the files sent (inside api-malformed-answer).
api-answer-count = it confirmed { $confirmed } of the { $count ->
    [one] { $count } file
   *[other] { $count } files
} sent
api-answer-not-a-file-id = the ID given for { $name } is not a file ID
api-answer-same-id = it gave the same ID to two files
api-answer-names-unmatched = the names it listed could not be matched to the files sent without guessing
# What changed in a file while it was sent (inside api-file-changed).
api-changed-not-regular = something that is not a regular file now stands in its place
api-changed-gone = it was deleted or moved
api-changed-size = its size is now { $size } bytes, it was { $added } when added
api-changed-modified = it was modified after it was added
api-changed-grew = it grew beyond the { $expected } bytes it had
api-changed-while-sent = it was modified while it was being sent
api-changed-shrank = it shrank: only { $sent } of its { $expected } bytes were left to read
api-changed-while-read = the file was modified while it was read
# Why an answer is not what the API promises (inside api-malformed-answer).
api-client-context-unparsed = the account details did not parse: { $reason }
api-client-list-unparsed = the list of staged files did not parse: { $reason }
api-client-too-many-redirects = too many redirects
api-client-redirect-nowhere = a redirect with no address to go to
api-client-redirect-with-key = a redirect to an address that holds the API key
api-client-redirect-unparsed = a redirect to an address that does not parse
api-client-unknown-host = an unknown host
api-client-answer-too-large = the answer was larger than { $megabytes } MB
api-redacted-key = [your API key]
api-client-key-not-a-header = the API key contains characters a header cannot carry
api-no-text = no text

## Server addresses and organization IDs (src/endpoint.rs)
endpoint-empty = The server address is empty. Enter an address such as { $example }.
endpoint-not-a-url = "{ $typed }" is not a web address. Enter an address such as { $example }.
endpoint-insecure = The server address must start with https:// (got "{ $typed }"). Plain http:// is only allowed for this computer (localhost).
endpoint-credentials = The server address may not contain a user name or password. Remove the part before "@".
endpoint-query = The server address may not contain "?" or "#" parts. Enter just the address, such as { $example }.
endpoint-not-an-organization-id = "{ $typed }" is not an organization ID. Copy it again from platform.asteroid.ai: an organization ID is 36 letters, digits and dashes.

## What is said at start (src/startup.rs)
startup-settings-unusable = The settings file could not be used. { $problem }
startup-history-unusable = The history file could not be used. { $problem }
# A settings file that could not be used: what was wrong, then what became of it.
startup-file-kept-aside = { $reason } { $file } was kept as { $backup } and the app started with a fresh one.
startup-file-not-moved = { $reason } { $file } could not be moved aside; the app is using a fresh one for now.
startup-file-unreadable = Could not read the file ({ $reason }).
startup-file-newer = This file was written by a newer version of Asteroid Stager (format { $found }, this version reads up to { $known }).
startup-file-damaged = The file is damaged ({ $reason }).

## The history of staged files (src/history)
# Short phrases that fit after "could not be saved (…)".
history-error-newer = it was written by a newer version of Asteroid Stager (format { $found }; this version knows format { $known }), so this version only reads it: update Asteroid Stager to save new files in it
history-error-busy = another Asteroid Stager kept it locked for more than { $seconds } seconds; try again in a moment
history-error-damaged = the database is damaged ({ $reason })
history-error-unavailable = it could not be opened when Asteroid Stager started ({ $reason })
history-error-database = an unexpected database error ({ $reason })
history-disk-full = the disk is full
history-disk-read-only = the folder or the file is read-only
history-disk-permission-denied = permission denied
history-disk-cannot-open = the file could not be opened or created (check the folder's permissions)
history-disk-io = the disk could not be read or written
# What opening the history found, said at start.
history-notice-imported = Imported { $count ->
    [one] { $count } staged file
   *[other] { $count } staged files
} from { $from } into the history { $db }
history-notice-already-there = { " " }({ $count ->
    [one] { $count } was already there
   *[other] { $count } were already there
})
history-notice-old-kept = ; the old file is kept as { $kept }.
history-notice-old-not-renamed = ; the old file could not be renamed, so it will be read again at the next start (nothing is imported twice).
history-notice-not-imported = The old history { $file } was not imported: { $reason }
history-notice-not-imported-kept = ; it is kept as { $kept }.
history-notice-not-imported-left = ; it is left in place and tried again at the next start.
history-notice-damaged-kept = The history { $db } was damaged ({ $reason }); it is kept as { $kept } and a fresh one was started.
history-notice-damaged-not-moved = The history { $db } is damaged ({ $reason }) and could not be moved aside: staged files are not saved this session. Copy their IDs before closing, and move the file away.
history-notice-newer = The history { $db } was written by a newer version of Asteroid Stager (format { $found }; this version knows format { $known }). It is shown but not changed: files staged now are not saved in it. Update Asteroid Stager.
history-notice-unavailable = The history { $db } could not be opened ({ $reason }): staged files are not saved this session. Copy their IDs before closing.
# Why the old history.json was not imported (after "was not imported:").
history-legacy-unreadable = it could not be read ({ $reason })
history-legacy-newer = it was written by a newer version of Asteroid Stager (format { $found }; this version reads up to { $known })
history-legacy-damaged = it is damaged ({ $reason })
history-legacy-not-copied = it could not be copied into the database ({ $reason })
history-damaged-not-moved = { $reason }; moving it aside failed: { $moving }

## The key and the organization (src/session)
session-environment-key-unusable = { $env } is set but not usable: { $problem } Or unset it to use the key stored here.
session-environment-key-refused = The key in { $env } was refused. { $error }
session-stored-key-refused = The saved key no longer works. { $error } Entering a new key replaces the old one.
session-enter-organization = Enter the organization ID to stage files for.
# Before another sentence: keep the space at the end.
session-saved-organization-unusable = The saved organization is not usable ({ $problem }).{ " " }
session-choose-among-several = This key belongs to several organizations. Choose the one to stage files for.
session-choose-organization = Choose the organization to stage files for.
session-no-organization-listed = The server did not list any organization for this key. Enter the organization ID (ask your Asteroid administrator).

## The upload queue: notes on its rows (src/upload_queue)
queue-may-be-there-twice = It may be on the server twice: an earlier try was stored without an answer. The duplicate is never used and expires on its own.
queue-id-given-twice = it gave a file an ID it had already given another
queue-requeued-shared-with-cancelled = Sent again from the start: it shared a request with { $names }, which was cancelled.
queue-requeued-shared-with-changed = Sent again from the start: it shared a request with { $name }, which changed.
queue-requeued-split-after-refusal = The server refused a request this file shared; each file is now sent alone.
queue-requeued-split-after-unclear-answer = The server's answer did not say clearly which ID is whose; each file is now sent alone, so that no file gets another's ID.
queue-renamed = The server stored it as "{ $name }"; use that name.
queue-renamed-unexplained = The server stored it under another name, "{ $name }"; use that name.
queue-internal-error-looking = an internal error interrupted looking at it ({ $reason })
queue-changed-since-staged = It changed since it was first staged: the new ID is for the file as it is now.
queue-internal-error-saving = an internal error interrupted it ({ $reason })

## Folders added (src/folder_scan): "12 files from Scans; 3 hidden items skipped"
folder-scan-no-files-from = No files from { $folder }
folder-scan-files-from = { $count ->
    [one] { $count } file from { $folder }
   *[other] { $count } files from { $folder }
}
folder-scan-hidden-items = { $count ->
    [one] { $count } hidden item
   *[other] { $count } hidden items
}
folder-scan-system-files = { $count ->
    [one] { $count } system file
   *[other] { $count } system files
}
folder-scan-found-twice = { $count ->
    [one] { $count } file found twice through a link
   *[other] { $count } files found twice through links
}
folder-scan-and = { $first } and { $second }
folder-scan-skipped = ; { $items } skipped
folder-scan-not-added = ; { $count } could not be added
# Asked before a large folder is staged.
folder-scan-question-one-folder = { $folder } holds { $files } ({ $size }).
folder-scan-question-two-folders = { $first } and { $second } hold { $files } ({ $size }).
folder-scan-question-more-folders = { $first } and { $others } other folders hold { $files } ({ $size }).
folder-scan-question-with-others = With the { $others ->
    [one] { $others } other file
   *[other] { $others } other files
} added, that makes { $files } ({ $size }).
folder-scan-question-limit = An execution takes at most { $limit } of files.
folder-scan-question-stage-all = Stage them all?

## Pasted images (src/clipboard.rs)
clipboard-image-size-mismatch = the image's size does not match its pixels
clipboard-no-free-name = no free name for the pasted image
