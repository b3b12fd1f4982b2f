# Texts the window's state words: notices, form errors, the desktop notification.
# notice-two-sentences joins two sentences of one notice (Japanese writes no space between them).

## Notices under the top bar
notice-cancel = Cancel
notice-resumed = { $count ->
    [one] { $count } file that was not finished when Asteroid Stager closed is being staged now.
   *[other] { $count } files that were not finished when Asteroid Stager closed are being staged now.
}
notice-resumed-maybe-twice = { $count ->
    [one] One of them may be on the server twice (it was being sent when Asteroid Stager closed); the extra copy is never used and expires on its own.
   *[other] { $count } of them may be on the server twice (they were being sent when Asteroid Stager closed); the extra copies are never used and expire on their own.
}
notice-not-resumed = { $count ->
    [one] { $count } file that was not finished when Asteroid Stager closed was not staged again: it changed or is gone since ({ $names }). Add it again if you still need it.
   *[other] { $count } files that were not finished when Asteroid Stager closed were not staged again: they changed or are gone since ({ $names }). Add them again if you still need them.
}
notice-two-sentences = { $first } { $second }
notice-internal-error = an internal error interrupted it ({ $reason })

## The desktop notification when a group is staged while the window is in the background
notice-notification-staged = { $count ->
    [one] { $count } file staged; the IDs are ready to copy.
   *[other] { $count } files staged; the IDs are ready to copy.
}
notice-notification-staged-failed = { $count ->
    [one] { $count } file staged, { $failed } failed: open the window to see why.
   *[other] { $count } files staged, { $failed } failed: open the window to see why.
}

## Key, organization and server
connection-base-url-from-env = { $problem } (from { $variable })
connection-signed-out = Signed out: the API key was removed from this computer. Enter a key to stage files again.
connection-key-not-removed = The key could not be removed from the keychain. { $reason }
connection-env-key-still-set = { $variable } is still set in the environment; unset it to stop using that key.
connection-settings-not-saved = Settings could not be saved to { $path } ({ $reason }); they apply until the window closes.
connection-unreachable = { $host } could not be reached

## The staged list
staged-state-earlier = Earlier
staged-state-history-not-saved = The list of staged files could not be saved to { $path } ({ $reason }). The IDs are shown below; copy them before closing the window. Saving is tried again by itself.
staged-state-history-saved-again = { $count ->
    [one] The list of staged files is saved again ({ $count } waiting record written to { $path }).
   *[other] The list of staged files is saved again ({ $count } waiting records written to { $path }).
}
staged-state-history-change-not-saved = The list of staged files could not be saved ({ $reason }). Check that { $path } is writable.

## Stage again
restage-source-unknown = { $count ->
    [one] { $names } cannot be staged again from here: where the file was is not known (it was staged by an older version). Add it again instead.
   *[other] { $names } cannot be staged again from here: where the files were is not known (they were staged by an older version). Add them again instead.
}
restage-gone = The original file is no longer at { $path }. If you moved or renamed it, add it again from where it is now.
restage-gone-several = { $count } original files are no longer where they were ({ $paths }). If you moved or renamed them, add them again from where they are now.

## Adding files
uploads-state-clipboard-empty = The clipboard holds no image and no files. Copy a screenshot, or files in your file manager, then press Ctrl+V here.
uploads-state-image-not-saved = The pasted image could not be saved to stage it ({ $reason }).
uploads-state-no-file-chosen = No file was chosen. If no file dialog appeared, drop the files on this window instead.
uploads-state-file-note = { $name }: { $note }
uploads-state-refused = { $count ->
    [one] { $count } item could not be added; the list below says why.
   *[other] { $count } items could not be added; the list below says why.
}
uploads-state-dialog-files = Add files to stage
uploads-state-dialog-folders = Add folders to stage
