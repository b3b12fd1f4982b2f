# The window's staged list (staged-…) and uploads (uploads-…).

## The staged list

# The words around the tempFiles form a copy button copies.
-staged-json-form = valid JSON on its own, and the start of an agent execution's request body

staged-heading = Staged files
staged-kept-for = Each file is kept by Asteroid for { $lifetime } after staging.
staged-elsewhere = { $count ->
    [one] { $count } file staged for other organizations or servers is not shown.
   *[other] { $count } files staged for other organizations or servers are not shown.
}
staged-empty = Files you stage appear here with their IDs, ready to copy.
staged-clear-all-question = { $count ->
    [one] Remove the { $count } entry from this list? A file not yet expired stays on the server, but its ID will no longer be shown here.
   *[other] Remove all { $count } entries from this list? Files not yet expired stay on the server, but their IDs will no longer be shown here.
}
staged-clear-all-yes = Yes, clear the list
staged-clear-all-no = Keep the list
staged-no-match = No staged file matches "{ $filter }".
staged-filter = Filter
staged-filter-hint = name or ID (Ctrl+F)
staged-filter-clear = Clear the filter
staged-filter-clear-hover = Clear the filter (Esc)
staged-shown-count = { $shown } of { $total } shown
staged-copy-all-ids = Copy all IDs
staged-copy-all-ids-hover = The files not yet expired: their IDs, one per line
staged-copy-all-json = Copy as tempFiles JSON
staged-copy-all-json-hover = The files not yet expired, as { $json }: { -staged-json-form }
staged-copy-shown-ids = Copy shown IDs
staged-copy-shown-ids-hover = The files shown (not yet expired): their IDs, one per line
staged-copy-shown-json = Copy shown as tempFiles JSON
staged-copy-shown-json-hover = The files shown (not yet expired), as { $json }: { -staged-json-form }
staged-stage-expired-again = Stage expired again
staged-stage-expired-again-hover = Stage every expired file again from its file on this computer; the new IDs take the old ones' places
staged-clear-expired = Clear expired
staged-clear-expired-hover = Remove the files Asteroid has already deleted from this list
staged-clear-all = Clear all…
staged-more = More list actions
staged-more-hover = Stage expired again, clear expired, clear all
staged-selected = { $count ->
    [one] { $count } file selected · { $size }
   *[other] { $count } files selected · { $size }
}
staged-tick-hint = Tick files to copy several at once
staged-copy-selected-json = Copy selected as tempFiles JSON
staged-copy-selected-json-hover = The selected files not yet expired, as { $json }: { -staged-json-form }
staged-copy-selected-ids = Copy selected IDs
staged-copy-selected-ids-hover = The IDs of the selected files not yet expired, one per line
staged-clear-selection = Clear selection
staged-over-limit = more than the { $limit } an execution may use
staged-group-title = { $group } at { $time } · { $count ->
    [one] { $count } file
   *[other] { $count } files
} · { $size }
staged-group-title-undated = { $group } · { $count ->
    [one] { $count } file
   *[other] { $count } files
} · { $size }
staged-group-stage-again-hover = Stage this group's expired files again; the new IDs take their places
staged-group-stage-again-name = Stage expired again in { $group }
staged-select = Select
staged-select-name = Select { $name }
staged-group-copy-json = Copy tempFiles JSON
staged-group-copy-json-hover = This group's files not yet expired, as { $json }: { -staged-json-form }
staged-group-copy-json-name = Copy tempFiles JSON of { $group }
staged-staged-as = Staged as "{ $name }" · { $size }
staged-stage-again = Stage again
staged-stage-again-hover = Stage the file again from this computer; the new ID takes this one's place
staged-restaging-hover = Being staged again: its new ID appears here
staged-stage-again-name = Stage { $name } again
staged-expired = expired
staged-copy = Copy
staged-copy-name = Copy the ID of { $name }
staged-same-names-title = Copy files that share a name?
staged-same-names-one = { $count ->
    [one] { $count } is named "{ $name }"
   *[other] { $count } are named "{ $name }"
}
staged-list-separator = {", "}
staged-same-names-question = { $count ->
    [one] Of the { $count } file to copy, { $names }.
   *[other] Of the { $count } files to copy, { $names }.
}
staged-same-names-explain = An agent given these gets the same name for different files and cannot tell them apart. Rename them and stage them again, or copy them as they are.
staged-copy-anyway = Copy anyway
staged-dont-copy = Don't copy
staged-copied = Copied to the clipboard
staged-copied-id = Copied the ID of { $name }

## Uploads

uploads-heading = Uploads
uploads-looking = Looking at the files…
uploads-summary-staging = Staging { $current } of { $total }
uploads-summary-failed = { $count } failed
uploads-summary-cancelled = { $count } cancelled
uploads-cancel-all = Cancel all
uploads-cancel-all-hover = Stop every upload that has not finished
uploads-retry-failed = Retry failed
uploads-retry-failed-hover = Send the failed files again (only them)
uploads-clear-finished = Clear finished
uploads-clear-finished-hover = Remove the failed, cancelled and refused files from this list
uploads-network-retrying-now = Waiting for the network… retrying now
uploads-network-retrying-in = Waiting for the network… retrying in { $seconds } s
uploads-retry-now = Retry now
uploads-retry-now-hover = Try to reach the server again at once
uploads-progress-of = Progress of { $name }
uploads-cancel = Cancel
uploads-cancel-name = Cancel { $name }
uploads-retry = Retry
uploads-retry-name = Retry { $name }
uploads-remove = Remove
uploads-remove-name = Remove { $name }
uploads-status-held = Waiting for your answer above
uploads-status-waiting = Waiting to be sent
uploads-status-network = Waiting for the network; it goes on its own when the server can be reached
uploads-status-sending = Sending
uploads-status-network-again = Waiting for the network; it is sent again on its own when the server can be reached
uploads-status-confirming = Sent; waiting for the server to confirm
uploads-status-confirming-for = Sent; waiting for the server to confirm ({ $seconds } s so far)
uploads-status-retrying = Trying again (try { $number } of { $max })…
uploads-status-retry-wait = Waiting { $seconds } s before trying again (try { $number } of { $max })
uploads-status-staged = Staged. ID { $id }
uploads-status-failed = Failed: { $reason }
uploads-status-cancelled = Cancelled. Click Retry to send it again.
uploads-status-refused = Not added: { $reason }
uploads-drop-title = Drop files or folders here
uploads-drop-explain = They are uploaded right away, and their IDs appear here, ready to copy into an agent execution.
uploads-add-files = Add files…
uploads-add-files-hover = Choose files to stage (Ctrl+O)
uploads-add-folder = Add folder…
uploads-add-folder-hover = Choose folders to stage with every file inside (Ctrl+Shift+O)
uploads-paste = Paste
uploads-paste-hover = Stage a screenshot or files copied in your file manager (Ctrl+V)
uploads-drop-limits = Staged files are kept by Asteroid for { $lifetime }. An execution takes at most { $limit } of files.
uploads-question-title = Stage all these files?
uploads-question-yes = Stage them all
uploads-question-no = Don't stage them
uploads-drop-overlay = { $count ->
    [one] Drop the file to stage it
   *[other] Drop the { $count } files to stage them
}
