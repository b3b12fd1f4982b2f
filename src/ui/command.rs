//! What the panels ask for ([`Command`]), what the states ask the app to do ([`Effect`]),
//! and what comes back from the background ([`Event`]). The one data path: a panel pushes
//! a command → the state that owns it folds it and returns effects → the app runs them on
//! the runtime → results come back as events → the owning state folds them → the frame
//! draws the state.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use zeroize::Zeroizing;

use crate::api::{ApiError, ClientOptions, Organization, UserContext};
use crate::endpoint::BaseUrl;
use crate::key_store::{ApiKey, ApiKeyStore, KeyStoreError};
use crate::messages::Language;
use crate::settings::Settings;
use crate::upload_queue::{BatchId, QueueCommand, QueueEvent, UploadId};

/// Everything a panel can ask for, grouped by the state that handles it.
#[derive(Debug, Clone)]
pub enum Command {
    /// Key, organization and server.
    Connection(ConnectionCommand),
    /// Files being added and sent.
    Uploads(UploadsCommand),
    /// The staged list.
    Staged(StagedCommand),
    /// Notices and panels.
    View(ViewCommand),
}

/// Key, organization and server.
#[derive(Clone)]
pub enum ConnectionCommand {
    /// The key field's text changed.
    EditKey(Zeroizing<String>),
    /// Show or hide the key's characters.
    ToggleShowKey,
    /// Check the typed key with the server, then store it.
    SubmitKey,
    /// No keychain: keep the key in memory until the window closes.
    UseKeyForSessionOnly,
    /// Try the keychain (or the server) again.
    RetryKeychain,
    /// Enter another key in place of the working one.
    ReplaceKey,
    /// Keep the working key after all.
    CancelReplaceKey,
    /// Remove the stored key.
    SignOut,
    /// The operator picked one of the key's organizations.
    ChooseOrganization(Organization),
    /// The organization ID field's text changed.
    EditOrganization(String),
    /// Use the typed organization ID.
    SubmitManualOrganization,
    /// Ask the key's account again which organization.
    ChangeOrganization,
    /// Cancel choosing another organization: back to the one in use before.
    KeepOrganization,
    /// The server address field's text changed.
    EditBaseUrl(String),
    /// Use the typed server address.
    SaveBaseUrl,
    /// Go back to the public API.
    ResetBaseUrl,
    /// Turn the "files staged" notification on or off.
    ToggleNotifications,
    /// Word every text in this language from now on; `None` follows the system's.
    ChooseLanguage(Option<Language>),
    /// The server could not be reached: ask it again now rather than at the set time.
    RetryConnectionNow,
    /// Stop waiting for the network and show the key form (to enter another key).
    StopWaitingForNetwork,
}

impl std::fmt::Debug for ConnectionCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The typed key never reaches a log.
            ConnectionCommand::EditKey(_) => f.write_str("EditKey(<redacted>)"),
            ConnectionCommand::ToggleShowKey => f.write_str("ToggleShowKey"),
            ConnectionCommand::SubmitKey => f.write_str("SubmitKey"),
            ConnectionCommand::UseKeyForSessionOnly => f.write_str("UseKeyForSessionOnly"),
            ConnectionCommand::RetryKeychain => f.write_str("RetryKeychain"),
            ConnectionCommand::ReplaceKey => f.write_str("ReplaceKey"),
            ConnectionCommand::CancelReplaceKey => f.write_str("CancelReplaceKey"),
            ConnectionCommand::SignOut => f.write_str("SignOut"),
            ConnectionCommand::ChooseOrganization(o) => write!(f, "ChooseOrganization({o:?})"),
            ConnectionCommand::EditOrganization(t) => write!(f, "EditOrganization({t:?})"),
            ConnectionCommand::SubmitManualOrganization => f.write_str("SubmitManualOrganization"),
            ConnectionCommand::ChangeOrganization => f.write_str("ChangeOrganization"),
            ConnectionCommand::KeepOrganization => f.write_str("KeepOrganization"),
            ConnectionCommand::EditBaseUrl(t) => write!(f, "EditBaseUrl({t:?})"),
            ConnectionCommand::SaveBaseUrl => f.write_str("SaveBaseUrl"),
            ConnectionCommand::ResetBaseUrl => f.write_str("ResetBaseUrl"),
            ConnectionCommand::ToggleNotifications => f.write_str("ToggleNotifications"),
            ConnectionCommand::ChooseLanguage(l) => write!(f, "ChooseLanguage({l:?})"),
            ConnectionCommand::RetryConnectionNow => f.write_str("RetryConnectionNow"),
            ConnectionCommand::StopWaitingForNetwork => f.write_str("StopWaitingForNetwork"),
        }
    }
}

/// How files arrived: names the group they form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Dropped on the window.
    Dropped,
    /// Chosen in the file or folder dialog.
    Picked,
    /// Given on the command line ("Open with").
    OpenedWith,
    /// Pasted from the clipboard.
    Pasted,
}

impl Origin {
    /// How the group's files were added, as the history keeps it.
    pub fn added_by(self) -> crate::history::AddedBy {
        use crate::history::AddedBy;
        match self {
            Origin::Dropped => AddedBy::Dropped,
            Origin::Picked => AddedBy::Picked,
            Origin::OpenedWith => AddedBy::OpenedWith,
            Origin::Pasted => AddedBy::Pasted,
        }
    }
}

/// Files being added and sent.
#[derive(Debug, Clone)]
pub enum UploadsCommand {
    /// Stage these files or folders.
    AddPaths(Vec<PathBuf>, Origin),
    /// Open the file dialog.
    PickFiles,
    /// Open the folder dialog.
    PickFolder,
    /// Stage what the clipboard holds (the Paste button).
    Paste,
    /// Ctrl+V with an image on the clipboard.
    PastedImage {
        /// Width in pixels.
        width: usize,
        /// Height in pixels.
        height: usize,
        /// Unpremultiplied RGBA, `width * height * 4` bytes.
        rgba: Arc<Vec<u8>>,
    },
    /// Ctrl+V with text on the clipboard (file managers put copied files' names there).
    PastedText(String),
    /// Answer a batch's question.
    Confirm(BatchId, bool),
    /// Stop one upload.
    Cancel(UploadId),
    /// Stop all uploads.
    CancelAll,
    /// Send one failed or cancelled file again.
    Retry(UploadId),
    /// Send every failed file again.
    RetryAllFailed,
    /// Look for the network at once (files wait for it).
    RetryNow,
    /// Remove a finished row.
    Remove(UploadId),
    /// Remove staged, cancelled and refused rows.
    ClearFinished,
}

/// What a copy button copied, for its "Copied!" feedback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyWhat {
    /// One file's ID.
    Id(String),
    /// The unexpired IDs the list shows (the filter applies), one per line.
    AllIds,
    /// The unexpired files the list shows, as `{"tempFiles":[…]}`.
    Json,
    /// A group's unexpired files the list shows, as `{"tempFiles":[…]}`.
    Group(String),
    /// The selected unexpired files as `{"tempFiles":[…]}`.
    SelectedJson,
    /// The selected unexpired IDs, one per line.
    SelectedIds,
}

/// Which expired files to stage again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageAgain {
    /// One, by ID.
    One(String),
    /// The expired ones of a group.
    Group(String),
    /// Every expired one.
    AllExpired,
}

/// The staged list.
#[derive(Debug, Clone)]
pub enum StagedCommand {
    /// Copy something to the clipboard (tempFiles text whose files share names asks first).
    Copy(CopyWhat),
    /// Copy the files that share names after all.
    CopyAnyway,
    /// Do not copy the files that share names.
    KeepCopy,
    /// The filter box's text changed.
    EditFilter(String),
    /// Select or unselect a file.
    ToggleSelected(String),
    /// Select a group's unexpired files.
    SelectGroup(String),
    /// Select nothing.
    ClearSelection,
    /// Stage expired files again.
    StageAgain(StageAgain),
    /// Remove the files the API has already deleted from the list.
    ClearExpired,
    /// Ask before clearing everything.
    AskClearAll,
    /// Clear everything.
    ClearAll,
    /// Do not clear after all.
    KeepAll,
}

/// Notices and panels.
#[derive(Debug, Clone)]
pub enum ViewCommand {
    /// Close a notice.
    DismissNotice(u64),
    /// Open or close Settings.
    ToggleSettings,
    /// Open or close About.
    ToggleAbout,
    /// Sign out was clicked: ask first.
    AskSignOut,
    /// The sign-out question is answered (either way: the sign-out itself is its own command).
    KeepKey,
    /// Quit although uploads are running: cancel them.
    QuitAndCancel,
    /// The action a notice offers (its ID): Cancel the files it is about.
    NoticeAction(u64),
    /// Do not quit after all.
    KeepRunning,
}

/// A change to the stored history.
#[derive(Debug, Clone)]
pub enum HistoryChange {
    /// Remove what expired by then.
    ClearExpired(SystemTime),
    /// Remove everything.
    ClearAll,
}

/// What a state asks the app to do. The app runs it, on the runtime when it may block.
pub enum Effect {
    /// Read the stored key.
    LoadKey {
        /// The store.
        store: Arc<dyn ApiKeyStore>,
        /// Answers about an older attempt are ignored.
        generation: u64,
    },
    /// Store an accepted key.
    SaveKey {
        /// The store.
        store: Arc<dyn ApiKeyStore>,
        /// The key.
        key: ApiKey,
        /// See [`Effect::LoadKey`].
        generation: u64,
    },
    /// Remove the stored key.
    DeleteKey {
        /// The store.
        store: Arc<dyn ApiKeyStore>,
        /// See [`Effect::LoadKey`].
        generation: u64,
    },
    /// Ask the server who the key belongs to.
    CheckKey {
        /// The server.
        base: BaseUrl,
        /// The key.
        key: ApiKey,
        /// Timeouts.
        options: ClientOptions,
        /// See [`Effect::LoadKey`].
        generation: u64,
    },
    /// After `delay`, report [`Event::ConnectionRetryDue`]: the server could not be
    /// reached, and the key check is to be tried again then.
    RetryConnectionAfter {
        /// The pause.
        delay: Duration,
        /// See [`Effect::LoadKey`].
        generation: u64,
        /// Which failed try the pause follows (a later one makes this one stale).
        tries: u32,
    },
    /// Write the settings file.
    SaveSettings(Settings),
    /// Word every text in this language from the next frame on.
    UseLanguage(Language),
    /// What the queue is asked to do (add, confirm, cancel, retry, where to send).
    Queue(QueueCommand),
    /// Open the file dialog.
    PickFiles,
    /// Open the folder dialog.
    PickFolder,
    /// Read what the system clipboard holds.
    ReadClipboard,
    /// Write a pasted image as a PNG, to stage it.
    SavePastedImage {
        /// Width in pixels.
        width: usize,
        /// Height in pixels.
        height: usize,
        /// Unpremultiplied RGBA.
        rgba: Arc<Vec<u8>>,
        /// When it was pasted (its name).
        at: SystemTime,
    },
    /// Put text on the clipboard.
    CopyText(String),
    /// A group finished while the window may be in the background.
    GroupStaged {
        /// How many of its files were staged.
        staged: usize,
        /// How many failed.
        failed: usize,
    },
    /// Ask the taskbar to draw attention to the window.
    RequestAttention,
    /// Bring the window to the front (another launch handed files over).
    RaiseWindow,
    /// Show a desktop notification.
    DesktopNotification {
        /// Its title.
        summary: String,
        /// Its text.
        body: String,
    },
    /// Close the window.
    CloseWindow,
    /// Forget the files kept to resume after a crash: the operator quit and cancelled.
    ForgetPending,
    /// Change the stored history.
    ChangeHistory(HistoryChange),
    /// Say something to the operator.
    Notice(crate::ui::state::NoticeLevel, String),
    /// Say something about a condition that can be resolved: the notice goes once it is.
    NoticeAbout(
        crate::ui::state::NoticeTopic,
        crate::ui::state::NoticeLevel,
        String,
    ),
    /// What the notices about this topic reported is resolved: they go.
    Resolved(crate::ui::state::NoticeTopic),
    /// Open the settings panel.
    ShowSettings,
}

/// What the background reports.
pub enum Event {
    /// The store's answer.
    KeyLoaded {
        /// See [`Effect::LoadKey`].
        generation: u64,
        /// The key, if one is stored.
        result: Result<Option<ApiKey>, KeyStoreError>,
    },
    /// The server's answer about the key.
    KeyChecked {
        /// See [`Effect::LoadKey`].
        generation: u64,
        /// Who the key belongs to.
        result: Result<UserContext, ApiError>,
    },
    /// The pause after a key check that could not reach the server is over.
    ConnectionRetryDue {
        /// See [`Effect::LoadKey`].
        generation: u64,
        /// See [`Effect::RetryConnectionAfter`].
        tries: u32,
    },
    /// Whether the store took the key.
    KeySaved {
        /// See [`Effect::LoadKey`].
        generation: u64,
        /// The store's answer.
        result: Result<(), KeyStoreError>,
    },
    /// Whether the key was removed.
    KeyDeleted {
        /// See [`Effect::LoadKey`].
        generation: u64,
        /// Whether there was one.
        result: Result<bool, KeyStoreError>,
    },
    /// Whether the settings were written.
    SettingsSaved(Result<(), String>),
    /// What the file dialog returned, and how long it was open.
    FilesPicked {
        /// The files, or `None` for a cancel.
        paths: Option<Vec<PathBuf>>,
        /// How long the dialog took.
        took: Duration,
    },
    /// Whether the history change was written.
    HistoryChanged(Result<usize, String>),
    /// What the clipboard held.
    Clipboard(crate::clipboard::ClipboardContent),
    /// Where a pasted image was written.
    ImageSaved(Result<PathBuf, String>),
    /// Another launch ("Open with", "Send to") handed these paths over: stage them as a
    /// group of their own, and come to the front. Empty: only come to the front.
    OtherLaunch(Vec<PathBuf>),
    /// The upload queue's news (boxed: it is the largest event and the most frequent
    /// ones, progress, are small).
    Queue(Box<QueueEvent>),
}
