# The window's frame: its title, the top bar, the key and organization steps, Settings,
# About and the quit question.

## The window

window-title = Asteroid Stager
window-history-unreadable = The list of staged files could not be read ({ $reason }).
window-no-workers = could not start the background workers ({ $reason })
window-quit-title = Quit Asteroid Stager?
window-quit-running = { $count ->
    [one] { $count } upload is still running: quit and cancel it?
   *[other] { $count } uploads are still running: quit and cancel them?
}
window-quit-staged-kept = Files already staged keep their IDs; they are in the list when you come back.
window-quit-and-cancel = Quit and cancel them
window-keep-uploading = Keep uploading

## The top bar

top-bar-organization = Organization: { $name }
top-bar-organization-hover = Organization ID { $id }
top-bar-settings = Settings
top-bar-close-settings = Close settings
top-bar-settings-hover = API key, organization and server address
top-bar-about = About
top-bar-about-hover = Version, server, and where the app keeps its files
top-bar-add-files = Add files…
top-bar-add-files-hover = Choose files to stage (Ctrl+O); you can also drop them on this window or paste with Ctrl+V
top-bar-add-folder = Add folder…
top-bar-add-folder-hover = Choose folders to stage with every file inside (Ctrl+Shift+O)
top-bar-dismiss = Dismiss

## The key and the organization, before work

key-setup-loading = Looking for your API key in the keychain…
key-setup-checking = Checking the API key with { $host }…
key-setup-saving = The key works. Saving it in the keychain…
key-setup-bad-server = The server address is not valid
key-setup-bad-server-hint = Correct it in Settings, or use the default address.
key-setup-files-waiting = { $count ->
    [one] { $count } file is waiting; it is sent as soon as the key and organization are set.
   *[other] { $count } files are waiting; they are sent as soon as the key and organization are set.
}
key-setup-network-wait = Waiting for the network ({ $reason })… { $when }
key-setup-trying-again-now = trying again now
key-setup-trying-again-in = trying again in { $seconds } s
key-setup-network-wait-hint = The key is checked as soon as the server answers; files you add meanwhile wait.
key-setup-retry-now = Retry now
key-setup-retry-now-hover = Try to reach the server again at once
key-setup-stop-waiting = Stop waiting
key-setup-stop-waiting-hover = Stop trying, to enter another key or change the server in Settings
key-setup-replace-heading = Replace the API key
key-setup-connect-heading = Connect to Asteroid
key-setup-where-to-find = To stage files, this app needs your Asteroid API key. You find it at platform.asteroid.ai → your profile (top right) → API Keys. Copy the key there and paste it below.
key-setup-open-platform = Open platform.asteroid.ai
key-setup-session-only = Use the key for this session only
key-setup-session-only-hover = The key is kept in memory until you close the window, never on disk
key-setup-retry-keychain = Try the keychain again
key-setup-key = API key
key-setup-key-hint = Paste your API key here
key-setup-paste = Paste
key-setup-paste-hover = Paste the key from the clipboard
key-setup-show = Show
key-setup-hide = Hide
key-setup-show-hover = Show or hide the key's characters
key-setup-check-and-save = Check and save key
key-setup-keep-current = Keep the current key
key-setup-kept-in = The key is checked with the server, then kept in { $store } — never in a file.
key-setup-choose-organization = Choose the organization
key-setup-cancel = Cancel
key-setup-cancel-hover = Keep the organization in use and go back to the list
key-setup-organization-choice = { $name } ({ $id })
key-setup-organization-id = Or enter an organization ID
key-setup-organization-id-hint = the organization's ID
key-setup-use-organization = Use this organization

## Settings

settings-title = Settings
settings-close = Close
settings-api-key = API key
settings-key-from-environment = Using the key from the { $variable } environment variable; this app does not store it.
settings-key-kept = The key in use is kept in: { $store }
settings-key-looking = Looking for a key in: { $store }
settings-key-checking = Checking the key with { $host }…
settings-key-waiting-for-network = Waiting for the network to check the key…
settings-key-saving = The key works. Saving it in: { $store }
settings-key-not-saved = The key works but is not saved yet: choose where to keep it.
settings-key-after-server = The key is looked up once the server address is valid.
settings-no-key = No key yet.
settings-key-will-be-kept-in = A key you enter is kept in: { $store }
settings-account = Account: { $email }
settings-replace-key = Replace key…
settings-replace-key-hover = Enter another API key; it replaces the saved one once the server accepts it
settings-replace-key-from-environment = The key comes from { $variable }; change it there
settings-sign-out = Sign out…
settings-sign-out-hover = Remove the saved key from this computer (asks first)
settings-sign-out-from-environment = The key comes from { $variable }; unset it to sign out
settings-sign-out-question = Sign out?
settings-sign-out-explain = The API key is removed from { $store }. To stage files again you will need to paste a key.
settings-sign-out-files-kept = Files already staged keep their IDs and stay in the list.
settings-cancel = Cancel
settings-sign-out-confirm = Sign out and remove the key
settings-organization = Organization
settings-organization-not-chosen = Not chosen yet.
settings-organization-set-by = Set by { $variable }.
settings-choose-another-organization = Choose another organization
settings-choose-another-organization-hover = Ask the server again which organizations the key belongs to
settings-server = Server address (advanced)
settings-server-explain = Only change this if Asteroid support asked you to. Each server has its own saved key.
settings-server-set-by = Set by { $variable }: { $address }
settings-server-address = Server address
settings-save-address = Save address
settings-use-default-address = Use the default
settings-notifications = Notifications
settings-notify-when-staged = Tell me when files are staged while this window is in the background
settings-files = Files
settings-history-file = Staged files are listed in { $path }
settings-settings-file = Settings are kept in { $path }

## About

about-title = About Asteroid Stager
about-version = Asteroid Stager { $version }
about-what = Stages files on the Asteroid Agents API and lists their IDs to copy.
about-server = Server
about-key-kept-in = API key kept in
about-history = History
about-settings = Settings
about-documentation = Asteroid documentation
about-close = Close
