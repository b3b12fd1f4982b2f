//! The window's state and everything it does. Drawing lives in the panel modules; they
//! read this state and push [`Command`]s. [`StagerApp::logic`] handles the commands and the
//! [`BackgroundEvent`]s that tokio tasks send back. Nothing here blocks: every keychain
//! call, network call, file dialog and file inspection runs on the runtime.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::mpsc;

use crate::api::{ApiClient, ApiError, ClientOptions, Organization, TempFile, UserContext};
use crate::connection::{self, OrganizationChoice, Overrides};
use crate::endpoint::{BaseUrl, OrganizationId};
use crate::history::{HistoryEntry, HistoryStore};
use crate::key_store::{ApiKey, ApiKeyStore, KeyStoreError, MemoryKeyStore};
use crate::local_file::{LocalFile, LocalFileError};
use crate::paths::AppPaths;
use crate::settings::Settings;
use crate::upload_queue::{QueueEvent, QueueOptions, Target, UploadId, UploadQueue};

/// Makes the key store for a server. In the app: the OS keychain, account = API host, so
/// a new server address means another store. In tests: one shared [`MemoryKeyStore`].
pub type KeyStoreFactory = Arc<dyn Fn(&BaseUrl) -> Arc<dyn ApiKeyStore> + Send + Sync>;

/// Everything the window needs from outside, so tests can supply memory stores, temporary
/// folders and a local server.
pub struct AppEnvironment {
    pub runtime: tokio::runtime::Handle,
    pub key_store: KeyStoreFactory,
    pub paths: AppPaths,
    pub overrides: Overrides,
    /// Files from the command line ("Open with"), added as if dropped.
    pub initial_files: Vec<PathBuf>,
    pub queue_options: QueueOptions,
    pub client_options: ClientOptions,
}

/// How long "Copied!" stays on a button.
pub const COPIED_FEEDBACK: Duration = Duration::from_secs(2);

/// A file dialog that returns nothing faster than this was most likely never shown (no
/// portal and no zenity): then say so, instead of looking as if the button did nothing.
const DIALOG_TOO_FAST: Duration = Duration::from_millis(700);

/// What the draw functions ask for.
#[derive(Debug, Clone)]
pub enum Command {
    // Key and organization.
    SubmitKey,
    UseKeyForSessionOnly,
    RetryKeychain,
    ReplaceKey,
    CancelReplaceKey,
    SignOut,
    ChooseOrganization(Organization),
    SubmitManualOrganization,
    ChangeOrganization,
    SaveBaseUrl,
    ResetBaseUrl,
    // Files.
    AddPaths(Vec<PathBuf>),
    PickFiles,
    Cancel(UploadId),
    CancelAll,
    Retry(UploadId),
    RetryAllFailed,
    RemoveRow(usize),
    ClearFinished,
    // Staged list.
    Copy(CopyWhat, String),
    ClearExpired,
    AskClearAll,
    ClearAll,
    KeepAll,
    DismissNotice(u64),
    ToggleSettings,
    ToggleAbout,
}

/// Which button was used to copy, for its "Copied!" feedback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyWhat {
    Id(String),
    AllIds,
    Json,
}

/// What tokio tasks report back.
pub(crate) enum BackgroundEvent {
    KeyLoaded {
        generation: u64,
        result: Result<Option<ApiKey>, KeyStoreError>,
    },
    KeyChecked {
        generation: u64,
        key: ApiKey,
        source: KeySource,
        result: Result<UserContext, ApiError>,
    },
    KeySaved {
        generation: u64,
        key: ApiKey,
        context: UserContext,
        result: Result<(), KeyStoreError>,
    },
    KeyDeleted {
        generation: u64,
        result: Result<bool, KeyStoreError>,
    },
    FilesInspected(Vec<(PathBuf, Result<LocalFile, LocalFileError>)>),
    FilesPicked {
        paths: Option<Vec<PathBuf>>,
        took: Duration,
    },
    HistoryChanged {
        /// `None` when the list could not be read back: the window keeps what it shows.
        entries: Option<Vec<HistoryEntry>>,
        problem: Option<String>,
    },
    SettingsSaved(Result<(), String>),
}

/// Sends events to the window and wakes it.
#[derive(Clone)]
pub(crate) struct Inbox {
    tx: mpsc::UnboundedSender<BackgroundEvent>,
    ctx: egui::Context,
}

impl Inbox {
    fn send(&self, event: BackgroundEvent) {
        // Fails only when the window is gone, and then nobody is waiting.
        let _ = self.tx.send(event);
        self.ctx.request_repaint();
    }
}

/// Where the key in use came from; decides what Settings may do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// `ASTEROID_API_KEY`: never stored, cannot be signed out of here.
    Environment,
    /// Loaded from the key store.
    Stored,
    /// Typed or pasted in this window, to be stored once the server accepts it.
    Typed,
}

/// The steps from "no key" to "ready to stage".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Reading the keychain.
    LoadingKey,
    /// Asking for a key.
    NeedKey,
    /// Asking the server who the key belongs to.
    CheckingKey,
    /// Putting an accepted key in the keychain.
    SavingKey,
    /// Several organizations (or none readable): the operator picks or types one.
    ChooseOrganization,
    /// Key and organization known: files are sent as soon as they are added.
    Ready,
    /// The server address from the environment or the settings is not valid.
    BadServer,
}

/// The key entry form. The typed key lives here until the server accepted it and the
/// store took it; then it is wiped.
#[derive(Default)]
pub struct KeyForm {
    pub input: String,
    pub show: bool,
    pub error: Option<String>,
    /// The keychain could not be used: offer the key for this session only.
    pub keychain_problem: Option<KeyStoreError>,
    /// A key the server accepted but the keychain refused, waiting for "this session only".
    pub accepted: Option<(ApiKey, UserContext)>,
    /// Replacing a working key: offer to go back to it.
    pub replacing: bool,
}

#[derive(Default)]
pub struct OrganizationForm {
    pub choices: Vec<Organization>,
    pub manual_input: String,
    pub error: Option<String>,
    pub message: Option<String>,
}

#[derive(Default)]
pub struct SettingsForm {
    pub open: bool,
    pub base_url_input: String,
    pub base_url_error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    Info,
    Warning,
}

pub struct Notice {
    pub id: u64,
    pub level: NoticeLevel,
    pub text: String,
}

/// Where one added file is.
#[derive(Debug, Clone, PartialEq)]
pub enum RowState {
    Waiting,
    Sending,
    WaitingForServer,
    Retrying {
        attempt: u32,
        reason: String,
    },
    Staged {
        id: String,
    },
    Failed(String),
    Cancelled,
    /// Refused before it reached the queue (a folder, an empty file…).
    NotAdded(String),
}

/// One file in the queue as the window shows it.
pub struct UploadRow {
    /// `None` for files that never entered the queue.
    pub id: Option<UploadId>,
    pub name: String,
    pub size: u64,
    pub sent: u64,
    pub state: RowState,
    pub speed: SpeedMeter,
}

impl UploadRow {
    pub fn is_active(&self) -> bool {
        matches!(
            self.state,
            RowState::Waiting
                | RowState::Sending
                | RowState::WaitingForServer
                | RowState::Retrying { .. }
        )
    }

    pub fn is_finished(&self) -> bool {
        matches!(
            self.state,
            RowState::Staged { .. } | RowState::Cancelled | RowState::NotAdded(_)
        )
    }
}

/// Bytes per second, smoothed so the number is readable.
#[derive(Default)]
pub struct SpeedMeter {
    last: Option<(Instant, u64)>,
    pub bytes_per_second: f64,
}

impl SpeedMeter {
    fn sample(&mut self, sent: u64) {
        let now = Instant::now();
        match self.last {
            Some((at, before)) if sent >= before => {
                let dt = now.duration_since(at).as_secs_f64();
                if dt >= 0.05 {
                    let current = (sent - before) as f64 / dt;
                    self.bytes_per_second = if self.bytes_per_second == 0.0 {
                        current
                    } else {
                        0.7 * self.bytes_per_second + 0.3 * current
                    };
                    self.last = Some((now, sent));
                }
            }
            _ => {
                self.last = Some((now, sent));
                self.bytes_per_second = 0.0;
            }
        }
    }
}

pub struct StagerApp {
    pub(crate) runtime: tokio::runtime::Handle,
    pub(crate) key_store_factory: KeyStoreFactory,
    pub(crate) key_store: Arc<dyn ApiKeyStore>,
    pub(crate) paths: AppPaths,
    pub(crate) overrides: Overrides,
    pub(crate) client_options: ClientOptions,
    pub(crate) settings: Settings,
    pub(crate) base_url: BaseUrl,
    pub(crate) base_url_problem: Option<String>,

    pub(crate) phase: Phase,
    /// Bumped whenever the server or key changes: late answers about an old one are ignored.
    generation: u64,
    pub(crate) key: Option<(ApiKey, KeySource)>,
    pub(crate) organization: Option<(OrganizationId, String)>,
    pub(crate) account_email: Option<String>,
    pub(crate) key_form: KeyForm,
    pub(crate) organization_form: OrganizationForm,
    pub(crate) settings_form: SettingsForm,
    pub(crate) about_open: bool,

    queue: UploadQueue,
    queue_events: mpsc::UnboundedReceiver<QueueEvent>,
    pub(crate) rows: Vec<UploadRow>,
    pub(crate) inspecting: usize,
    history: HistoryStore,
    pub(crate) staged: Vec<HistoryEntry>,
    pub(crate) confirm_clear_all: bool,
    pub(crate) copied: Option<(CopyWhat, Instant)>,
    pub(crate) notices: Vec<Notice>,
    next_notice: u64,
    dialog_opened_at: Option<Instant>,

    inbox: Inbox,
    events: mpsc::UnboundedReceiver<BackgroundEvent>,
    pub(crate) commands: Vec<Command>,
}

impl StagerApp {
    pub fn new(ctx: &egui::Context, env: AppEnvironment) -> Self {
        use_fallback_font_for_symbols(ctx);
        let (tx, events) = mpsc::unbounded_channel();
        let inbox = Inbox {
            tx,
            ctx: ctx.clone(),
        };
        // Two small JSON files: read once, before the first frame.
        let (settings, settings_problem) = Settings::load(&env.paths.settings_file());
        let (history, history_problem) = HistoryStore::open(&env.paths.history_file());
        let (staged, history_read_problem) = match history.entries() {
            Ok(entries) => (entries, None),
            Err(e) => (Vec::new(), Some(e)),
        };

        let repaint = ctx.clone();
        let (queue, queue_events) = UploadQueue::start(
            &env.runtime,
            env.queue_options,
            Some(history.clone()),
            Arc::new(move || repaint.request_repaint()),
        );

        let (base_url, base_url_problem) =
            match connection::resolve_base_url(None, &env.overrides, &settings) {
                Ok(url) => (url, None),
                Err(e) => {
                    let origin = if env.overrides.base_url.is_some() {
                        format!("{} (from {})", e, connection::ENV_BASE_URL)
                    } else {
                        e.to_string()
                    };
                    (BaseUrl::default(), Some(origin))
                }
            };
        let key_store = (env.key_store)(&base_url);
        let mut app = Self {
            runtime: env.runtime,
            key_store_factory: env.key_store,
            key_store,
            paths: env.paths,
            overrides: env.overrides,
            client_options: env.client_options,
            settings_form: SettingsForm {
                open: false,
                base_url_input: base_url.to_string(),
                base_url_error: base_url_problem.clone(),
            },
            about_open: false,
            settings,
            base_url,
            base_url_problem,
            phase: Phase::LoadingKey,
            generation: 0,
            key: None,
            organization: None,
            account_email: None,
            key_form: KeyForm::default(),
            organization_form: OrganizationForm::default(),
            queue,
            queue_events,
            rows: Vec::new(),
            inspecting: 0,
            history,
            staged,
            confirm_clear_all: false,
            copied: None,
            notices: Vec::new(),
            next_notice: 1,
            dialog_opened_at: None,
            inbox,
            events,
            commands: Vec::new(),
        };
        if let Some(problem) = settings_problem {
            app.notice(NoticeLevel::Warning, problem.to_string());
        }
        if let Some(notice) = history_problem {
            let level = if notice.is_problem() {
                NoticeLevel::Warning
            } else {
                NoticeLevel::Info
            };
            app.notice(level, notice.to_string());
        }
        if let Some(e) = history_read_problem {
            let text = format!(
                "The list of staged files could not be read from {} ({e}).",
                app.history.path().display()
            );
            app.notice(NoticeLevel::Warning, text);
        }
        app.start_connecting();
        if !env.initial_files.is_empty() {
            app.add_paths(env.initial_files);
        }
        app
    }

    /// The staged files' temp-file list as an execute call's `tempFiles` takes it.
    pub fn temp_files_json(entries: &[HistoryEntry]) -> String {
        let list: Vec<TempFile> = entries.iter().map(HistoryEntry::temp_file).collect();
        serde_json::to_string(&list).unwrap_or_else(|_| "[]".to_owned())
    }

    /// Every staged file in the list, oldest first, expired ones included.
    pub fn staged_entries(&self) -> &[HistoryEntry] {
        &self.staged
    }

    /// Staged files the API still keeps, oldest first.
    pub fn unexpired(&self, now: SystemTime) -> Vec<HistoryEntry> {
        self.staged
            .iter()
            .filter(|e| !e.is_expired(now))
            .cloned()
            .collect()
    }

    pub(crate) fn is_copied(&self, what: &CopyWhat) -> bool {
        self.copied
            .as_ref()
            .is_some_and(|(w, at)| w == what && at.elapsed() < COPIED_FEEDBACK)
    }

    pub(crate) fn key_store_description(&self) -> String {
        self.key_store.describe()
    }

    pub(crate) fn history_path(&self) -> PathBuf {
        self.history.path().to_path_buf()
    }

    /// Runs blocking work (the disk, the keychain) on tokio's blocking pool, never in a
    /// frame, and posts what `report` makes of its result to the inbox. A panic in `work`
    /// arrives as `Err` with its message, so every request gets an answer.
    fn in_background<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
        report: impl FnOnce(Result<T, String>) -> BackgroundEvent + Send + 'static,
    ) {
        let inbox = self.inbox.clone();
        self.runtime.spawn(async move {
            let result = tokio::task::spawn_blocking(work)
                .await
                .map_err(|e| format!("an internal error interrupted it ({e})"));
            inbox.send(report(result));
        });
    }

    /// One keychain call (a blocking D-Bus round trip on Linux) in the background.
    fn with_keychain<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn ApiKeyStore) -> Result<T, KeyStoreError> + Send + 'static,
        report: impl FnOnce(Result<T, KeyStoreError>) -> BackgroundEvent + Send + 'static,
    ) {
        let store = self.key_store.clone();
        self.in_background(
            move || call(store.as_ref()),
            move |result| report(result.unwrap_or_else(|e| Err(KeyStoreError::Refused(e)))),
        );
    }

    fn notice(&mut self, level: NoticeLevel, text: impl Into<String>) {
        let text = text.into();
        // The same message twice in a row (ten dropped folders…) is shown once.
        if self.notices.last().is_some_and(|n| n.text == text) {
            return;
        }
        self.notices.push(Notice {
            id: self.next_notice,
            level,
            text,
        });
        self.next_notice += 1;
    }

    // ---- Key and organization ------------------------------------------------------

    /// From the top: the environment's key, or the stored one, or ask.
    fn start_connecting(&mut self) {
        self.generation += 1;
        self.queue.set_target(None);
        self.key = None;
        self.organization = None;
        if self.base_url_problem.is_some() {
            self.phase = Phase::BadServer;
            self.settings_form.open = true;
            return;
        }
        if let Some(from_env) = self.overrides.api_key() {
            match from_env {
                Ok(key) => self.check_key(key, KeySource::Environment),
                Err(e) => {
                    self.phase = Phase::NeedKey;
                    self.key_form.error = Some(format!(
                        "{} is set but not usable: {e} Or unset it to use the key stored here.",
                        connection::ENV_API_KEY
                    ));
                }
            }
            return;
        }
        self.phase = Phase::LoadingKey;
        let generation = self.generation;
        self.with_keychain(
            |store| store.load(),
            move |result| BackgroundEvent::KeyLoaded { generation, result },
        );
    }

    /// Asks the server who `key` belongs to (`GET /context`).
    fn check_key(&mut self, key: ApiKey, source: KeySource) {
        let client = match ApiClient::new(self.base_url.clone(), &key, self.client_options.clone())
        {
            Ok(client) => client,
            Err(e) => {
                self.phase = Phase::NeedKey;
                self.key_form.error = Some(e.to_string());
                return;
            }
        };
        self.phase = Phase::CheckingKey;
        self.key_form.error = None;
        let inbox = self.inbox.clone();
        let generation = self.generation;
        self.runtime.spawn(async move {
            let result = client.context().await;
            inbox.send(BackgroundEvent::KeyChecked {
                generation,
                key,
                source,
                result,
            });
        });
    }

    fn key_checked(
        &mut self,
        key: ApiKey,
        source: KeySource,
        result: Result<UserContext, ApiError>,
    ) {
        match result {
            Ok(context) if source == KeySource::Typed => {
                // Accepted: now into the keychain, and nowhere else.
                self.phase = Phase::SavingKey;
                let generation = self.generation;
                let to_save = key.clone();
                self.with_keychain(
                    move |store| store.save(&to_save),
                    move |result| BackgroundEvent::KeySaved {
                        generation,
                        key,
                        context,
                        result,
                    },
                );
            }
            Ok(context) => self.key_accepted(key, source, context),
            Err(error) => {
                self.phase = Phase::NeedKey;
                let message = match (&error, source) {
                    (ApiError::BadKey { .. }, KeySource::Environment) => format!(
                        "The key in {} was refused. {error}",
                        connection::ENV_API_KEY
                    ),
                    (ApiError::BadKey { .. }, KeySource::Stored) => format!(
                        "The saved key no longer works. {error} Entering a new key replaces the old one."
                    ),
                    _ => error.to_string(),
                };
                self.key_form.error = Some(message);
                // A stored key that only failed to connect is still good: keep it ready
                // so "Check again" does not need it typed.
                if !matches!(error, ApiError::BadKey { .. }) && source != KeySource::Typed {
                    self.key = Some((key, source));
                }
            }
        }
    }

    fn key_accepted(&mut self, key: ApiKey, source: KeySource, context: UserContext) {
        self.key_form = KeyForm::default();
        self.key = Some((key, source));
        self.account_email = Some(context.email.clone()).filter(|e| !e.is_empty());
        match connection::resolve_organization(None, &self.overrides, &self.settings) {
            Ok(Some(organization)) => {
                let name = context
                    .organizations
                    .iter()
                    .find(|o| OrganizationId::parse(&o.id).ok() == Some(organization))
                    .map(|o| o.name.clone())
                    .unwrap_or_default();
                self.set_organization(organization, name, false);
                return;
            }
            Ok(None) => {}
            Err(e) => {
                self.notice(
                    NoticeLevel::Warning,
                    format!("The saved organization is not usable ({e}). Choose one below."),
                );
            }
        }
        match connection::choose_organization(&context) {
            OrganizationChoice::One(id, name) => self.set_organization(id, name, true),
            OrganizationChoice::Several(choices) => {
                self.organization_form = OrganizationForm {
                    choices,
                    message: Some(
                        "This key belongs to several organizations. Choose the one to stage files for."
                            .into(),
                    ),
                    ..OrganizationForm::default()
                };
                self.phase = Phase::ChooseOrganization;
            }
            OrganizationChoice::NoneFound => {
                self.organization_form = OrganizationForm {
                    message: Some(
                        "The server did not list any organization for this key. Enter the organization ID (ask your Asteroid administrator)."
                            .into(),
                    ),
                    ..OrganizationForm::default()
                };
                self.phase = Phase::ChooseOrganization;
            }
        }
    }

    /// The last step: with key and organization known, the queue starts sending.
    fn set_organization(&mut self, organization: OrganizationId, name: String, remember: bool) {
        let Some((key, _)) = &self.key else {
            self.phase = Phase::NeedKey;
            return;
        };
        let client = match ApiClient::new(self.base_url.clone(), key, self.client_options.clone()) {
            Ok(client) => client,
            Err(e) => {
                self.phase = Phase::NeedKey;
                self.key_form.error = Some(e.to_string());
                return;
            }
        };
        if remember && self.overrides.organization.is_none() {
            self.settings.organization_id = Some(organization.to_string());
            self.save_settings();
        }
        self.organization = Some((organization, name));
        self.organization_form = OrganizationForm::default();
        self.queue.set_target(Some(Target {
            client,
            organization,
        }));
        self.phase = Phase::Ready;
    }

    fn save_settings(&self) {
        let settings = self.settings.clone();
        let path = self.paths.settings_file();
        self.in_background(
            move || settings.save(&path).map_err(|e| e.to_string()),
            |result| BackgroundEvent::SettingsSaved(result.and_then(|saved| saved)),
        );
    }

    fn submit_key(&mut self) {
        match ApiKey::new(&self.key_form.input) {
            Ok(key) => {
                self.key_form.keychain_problem = None;
                self.check_key(key, KeySource::Typed);
            }
            Err(e) => self.key_form.error = Some(e.to_string()),
        }
    }

    /// No keychain: keep the key in memory until the window closes.
    fn use_session_only(&mut self) {
        self.key_store = Arc::new(MemoryKeyStore::default());
        self.key_form.keychain_problem = None;
        if let Some((key, context)) = self.key_form.accepted.take() {
            // Remembered by the memory store, so Settings shows where it is.
            let _ = self.key_store.save(&key);
            self.key_accepted(key, KeySource::Stored, context);
        } else {
            self.phase = Phase::NeedKey;
            self.key_form.error = None;
        }
    }

    fn sign_out(&mut self) {
        self.generation += 1;
        self.queue.set_target(None);
        self.key = None;
        self.organization = None;
        self.key_form = KeyForm::default();
        self.phase = Phase::LoadingKey;
        let generation = self.generation;
        self.with_keychain(
            |store| store.delete(),
            move |result| BackgroundEvent::KeyDeleted { generation, result },
        );
    }

    fn save_base_url(&mut self, input: Option<String>) {
        let parsed = match &input {
            Some(text) => BaseUrl::parse(text),
            None => Ok(BaseUrl::default()),
        };
        match parsed {
            Ok(url) => {
                self.settings.base_url = (url != BaseUrl::default()).then(|| url.to_string());
                self.settings_form.base_url_input = url.to_string();
                self.settings_form.base_url_error = None;
                self.base_url_problem = None;
                let changed = url != self.base_url || self.phase == Phase::BadServer;
                self.base_url = url;
                self.save_settings();
                if changed {
                    // Another server, another keychain entry: start again from it.
                    self.key_store = (self.key_store_factory)(&self.base_url);
                    self.key_form = KeyForm::default();
                    self.start_connecting();
                }
            }
            Err(e) => self.settings_form.base_url_error = Some(e.to_string()),
        }
    }

    // ---- Files -----------------------------------------------------------------------

    /// Looks at the files on a blocking task: thousands of dropped files are stat'ed
    /// there, not in the frame.
    fn add_paths(&mut self, paths: Vec<PathBuf>) {
        if paths.is_empty() {
            return;
        }
        self.inspecting += paths.len();
        // Kept to say what happened to each file should the inspection itself fail.
        let added = paths.clone();
        self.in_background(
            move || {
                paths
                    .into_iter()
                    .map(|p| {
                        let result = LocalFile::inspect(&p);
                        (p, result)
                    })
                    .collect()
            },
            move |result| {
                BackgroundEvent::FilesInspected(result.unwrap_or_else(|problem| {
                    added
                        .into_iter()
                        .map(|p| {
                            let shown = p.display().to_string();
                            (p, Err(LocalFileError::Unreadable(shown, problem.clone())))
                        })
                        .collect()
                }))
            },
        );
    }

    fn files_inspected(&mut self, inspected: Vec<(PathBuf, Result<LocalFile, LocalFileError>)>) {
        self.inspecting = self.inspecting.saturating_sub(inspected.len());
        let mut good = Vec::new();
        let mut refused = 0;
        for (path, result) in inspected {
            match result {
                Ok(file) => good.push(file),
                Err(e) => {
                    refused += 1;
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| path.display().to_string());
                    self.rows.push(UploadRow {
                        id: None,
                        name,
                        size: 0,
                        sent: 0,
                        state: RowState::NotAdded(e.to_string()),
                        speed: SpeedMeter::default(),
                    });
                }
            }
        }
        if refused > 0 {
            let text = if refused == 1 {
                "1 item could not be added; the list below says why.".to_owned()
            } else {
                format!("{refused} items could not be added; the list below says why.")
            };
            self.notice(NoticeLevel::Warning, text);
        }
        if good.is_empty() {
            return;
        }
        let described: Vec<(String, u64)> = good.iter().map(|f| (f.name.clone(), f.size)).collect();
        let ids = self.queue.add(good);
        for (id, (name, size)) in ids.into_iter().zip(described) {
            self.rows.push(UploadRow {
                id: Some(id),
                name,
                size,
                sent: 0,
                state: RowState::Waiting,
                speed: SpeedMeter::default(),
            });
        }
    }

    fn pick_files(&mut self, frame: &eframe::Frame) {
        if self.dialog_opened_at.is_some() {
            return;
        }
        // Built here (it needs the window as parent), awaited on tokio: the window keeps
        // painting while the dialog is open.
        let dialog = rfd::AsyncFileDialog::new()
            .set_title("Add files to stage")
            .set_parent(frame)
            .pick_files();
        let opened = Instant::now();
        self.dialog_opened_at = Some(opened);
        let inbox = self.inbox.clone();
        self.runtime.spawn(async move {
            let picked = dialog.await;
            let paths = picked.map(|handles| {
                handles
                    .into_iter()
                    .map(|h| h.path().to_path_buf())
                    .collect()
            });
            inbox.send(BackgroundEvent::FilesPicked {
                paths,
                took: opened.elapsed(),
            });
        });
    }

    fn row_index(&self, id: UploadId) -> Option<usize> {
        // Newest rows are at the end and are the ones that move: search from there.
        self.rows.iter().rposition(|r| r.id == Some(id))
    }

    fn queue_event(&mut self, event: QueueEvent) {
        if let QueueEvent::HistoryNotSaved { reason } = &event {
            let text = format!(
                "The list of staged files could not be saved to {} ({reason}). The IDs are shown below; copy them before closing the window.",
                self.history.path().display()
            );
            self.notice(NoticeLevel::Warning, text);
            return;
        }
        let Some(index) = event.id().and_then(|id| self.row_index(id)) else {
            return;
        };
        let row = &mut self.rows[index];
        match event {
            QueueEvent::Sending { .. } => {
                row.state = RowState::Sending;
                row.sent = 0;
                row.speed = SpeedMeter::default();
            }
            QueueEvent::Progress { sent, total, .. } => {
                row.sent = sent;
                row.size = total;
                row.speed.sample(sent);
                if !matches!(row.state, RowState::WaitingForServer) {
                    row.state = RowState::Sending;
                }
            }
            QueueEvent::WaitingForServer { .. } => row.state = RowState::WaitingForServer,
            QueueEvent::Retrying {
                attempt, reason, ..
            } => {
                row.state = RowState::Retrying {
                    attempt,
                    reason: reason.to_string(),
                };
                row.sent = 0;
            }
            QueueEvent::Staged { entry, .. } => {
                row.state = RowState::Staged {
                    id: entry.id.clone(),
                };
                row.sent = row.size;
                self.staged.push(entry);
            }
            QueueEvent::Failed { error, .. } => row.state = RowState::Failed(error.to_string()),
            QueueEvent::Cancelled { .. } => row.state = RowState::Cancelled,
            QueueEvent::HistoryNotSaved { .. } => {}
        }
    }

    fn change_history(&mut self, clear_all: bool) {
        let history = self.history.clone();
        let unchanged = self.history.clone();
        self.in_background(
            move || {
                let outcome = if clear_all {
                    history.clear_all()
                } else {
                    history.clear_expired(SystemTime::now())
                };
                (history.entries().ok(), outcome.err().map(|e| e.to_string()))
            },
            move |result| {
                let (entries, problem) =
                    result.unwrap_or_else(|problem| (unchanged.entries().ok(), Some(problem)));
                BackgroundEvent::HistoryChanged { entries, problem }
            },
        );
    }

    // ---- The loop ----------------------------------------------------------------------

    fn handle_command(&mut self, ctx: &egui::Context, frame: &eframe::Frame, command: Command) {
        match command {
            Command::SubmitKey => self.submit_key(),
            Command::UseKeyForSessionOnly => self.use_session_only(),
            Command::RetryKeychain => {
                self.key_form.keychain_problem = None;
                match self.key_form.accepted.take() {
                    Some((key, _)) => self.check_key(key, KeySource::Typed),
                    None => self.start_connecting(),
                }
            }
            Command::ReplaceKey => {
                self.key_form = KeyForm {
                    replacing: true,
                    ..KeyForm::default()
                };
                self.phase = Phase::NeedKey;
            }
            Command::CancelReplaceKey => {
                self.key_form = KeyForm::default();
                self.phase = if self.organization.is_some() {
                    Phase::Ready
                } else {
                    Phase::NeedKey
                };
            }
            Command::SignOut => self.sign_out(),
            Command::ChooseOrganization(organization) => {
                match OrganizationId::parse(&organization.id) {
                    Ok(id) => self.set_organization(id, organization.name, true),
                    Err(e) => self.organization_form.error = Some(e.to_string()),
                }
            }
            Command::SubmitManualOrganization => {
                match OrganizationId::parse(&self.organization_form.manual_input) {
                    Ok(id) => self.set_organization(id, String::new(), true),
                    Err(e) => self.organization_form.error = Some(e.to_string()),
                }
            }
            Command::ChangeOrganization => {
                if let Some((key, source)) = self.key.clone() {
                    // Forget the remembered one so the key's list is offered again.
                    self.settings.organization_id = None;
                    self.generation += 1;
                    self.queue.set_target(None);
                    self.organization = None;
                    self.check_key(key, source);
                }
            }
            Command::SaveBaseUrl => {
                let input = self.settings_form.base_url_input.clone();
                self.save_base_url(Some(input));
            }
            Command::ResetBaseUrl => self.save_base_url(None),
            Command::AddPaths(paths) => self.add_paths(paths),
            Command::PickFiles => self.pick_files(frame),
            Command::Cancel(id) => self.queue.cancel(id),
            Command::CancelAll => self.queue.cancel_all(),
            Command::Retry(id) => {
                if let Some(index) = self.row_index(id) {
                    self.rows[index].state = RowState::Waiting;
                    self.rows[index].sent = 0;
                }
                self.queue.retry(id);
            }
            Command::RetryAllFailed => {
                let failed: Vec<UploadId> = self
                    .rows
                    .iter()
                    .filter(|r| matches!(r.state, RowState::Failed(_)))
                    .filter_map(|r| r.id)
                    .collect();
                for id in failed {
                    self.handle_command(ctx, frame, Command::Retry(id));
                }
            }
            Command::RemoveRow(index) => {
                if index < self.rows.len() && !self.rows[index].is_active() {
                    self.rows.remove(index);
                }
            }
            Command::ClearFinished => self.rows.retain(|r| !r.is_finished()),
            Command::Copy(what, text) => {
                ctx.copy_text(text);
                self.copied = Some((what, Instant::now()));
            }
            Command::ClearExpired => self.change_history(false),
            Command::AskClearAll => self.confirm_clear_all = true,
            Command::ClearAll => {
                self.confirm_clear_all = false;
                self.change_history(true);
            }
            Command::KeepAll => self.confirm_clear_all = false,
            Command::DismissNotice(id) => self.notices.retain(|n| n.id != id),
            Command::ToggleSettings => self.settings_form.open = !self.settings_form.open,
            Command::ToggleAbout => self.about_open = !self.about_open,
        }
    }

    fn background_event(&mut self, event: BackgroundEvent) {
        match event {
            BackgroundEvent::KeyLoaded { generation, result } => {
                if generation != self.generation {
                    return;
                }
                match result {
                    Ok(Some(key)) => match connection::resolve_organization(
                        None,
                        &self.overrides,
                        &self.settings,
                    ) {
                        // Later launches go straight to work: the key and the organization
                        // were both checked when they were saved.
                        Ok(Some(organization)) => {
                            self.key = Some((key, KeySource::Stored));
                            self.set_organization(organization, String::new(), false);
                        }
                        _ => self.check_key(key, KeySource::Stored),
                    },
                    Ok(None) => self.phase = Phase::NeedKey,
                    Err(e) => {
                        self.phase = Phase::NeedKey;
                        self.key_form.keychain_problem = Some(e);
                    }
                }
            }
            BackgroundEvent::KeyChecked {
                generation,
                key,
                source,
                result,
            } => {
                if generation == self.generation {
                    self.key_checked(key, source, result);
                }
            }
            BackgroundEvent::KeySaved {
                generation,
                key,
                context,
                result,
            } => {
                if generation != self.generation {
                    return;
                }
                match result {
                    Ok(()) => self.key_accepted(key, KeySource::Stored, context),
                    Err(e) => {
                        self.phase = Phase::NeedKey;
                        self.key_form.keychain_problem = Some(e);
                        self.key_form.accepted = Some((key, context));
                    }
                }
            }
            BackgroundEvent::KeyDeleted { generation, result } => {
                if generation != self.generation {
                    return;
                }
                self.phase = Phase::NeedKey;
                match result {
                    Ok(_) => self.notice(
                        NoticeLevel::Info,
                        "Signed out: the API key was removed from this computer. Enter a key to stage files again.",
                    ),
                    Err(e) => self.notice(
                        NoticeLevel::Warning,
                        format!("The key could not be removed from the keychain. {e}"),
                    ),
                }
                if self.overrides.api_key.is_some() {
                    self.notice(
                        NoticeLevel::Info,
                        format!(
                            "{} is still set in the environment; unset it to stop using that key.",
                            connection::ENV_API_KEY
                        ),
                    );
                }
            }
            BackgroundEvent::FilesInspected(inspected) => self.files_inspected(inspected),
            BackgroundEvent::FilesPicked { paths, took } => {
                self.dialog_opened_at = None;
                match paths {
                    Some(paths) => self.add_paths(paths),
                    None if took < DIALOG_TOO_FAST => self.notice(
                        NoticeLevel::Info,
                        "No file was chosen. If no file dialog appeared, drop the files on this window instead.",
                    ),
                    // A cancel is normal: nothing to say.
                    None => {}
                }
            }
            BackgroundEvent::HistoryChanged { entries, problem } => {
                if let Some(entries) = entries {
                    self.staged = entries;
                }
                if let Some(reason) = problem {
                    self.notice(
                        NoticeLevel::Warning,
                        format!(
                            "The list of staged files could not be saved ({reason}). Check that {} is writable.",
                            self.history.path().display()
                        ),
                    );
                }
            }
            BackgroundEvent::SettingsSaved(Err(reason)) => self.notice(
                NoticeLevel::Warning,
                format!(
                    "Settings could not be saved to {} ({reason}); they apply until the window closes.",
                    self.paths.settings_file().display()
                ),
            ),
            BackgroundEvent::SettingsSaved(Ok(())) => {}
        }
    }

    /// Drains what arrived since the last frame. Never waits.
    /// Folds what the background sent into the state; true when events are left over for
    /// the next frame.
    fn drain(&mut self) -> bool {
        while let Ok(event) = self.events.try_recv() {
            self.background_event(event);
        }
        // Bounded per frame so a flood of progress events cannot starve painting.
        for _ in 0..10_000 {
            match self.queue_events.try_recv() {
                Ok(event) => self.queue_event(event),
                Err(_) => return false,
            }
        }
        !self.queue_events.is_empty()
    }

    /// Wakes the window again only when something on screen will change by itself.
    fn schedule_repaint(&self, ctx: &egui::Context) {
        if let Some((_, at)) = &self.copied
            && let Some(left) = COPIED_FEEDBACK.checked_sub(at.elapsed())
        {
            ctx.request_repaint_after(left);
        }
        let now = SystemTime::now();
        if self.staged.iter().any(|e| !e.is_expired(now)) {
            ctx.request_repaint_after(Duration::from_secs(1));
        }
    }
}

/// The core's messages say "platform.asteroid.ai → your profile → API Keys", and
/// Ubuntu-Light, egui's text font, has no arrow. Hack (egui's bundled monospace font) has
/// it, so it backs up the proportional family instead of a missing-glyph box.
fn use_fallback_font_for_symbols(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    if fonts.font_data.contains_key("Hack")
        && let Some(family) = fonts.families.get_mut(&egui::FontFamily::Proportional)
    {
        family.push("Hack".to_owned());
    }
    ctx.set_fonts(fonts);
}

impl eframe::App for StagerApp {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if !dropped.is_empty() {
            self.commands.push(Command::AddPaths(dropped));
        }
        if self.drain() {
            ctx.request_repaint();
        }
        for command in std::mem::take(&mut self.commands) {
            self.handle_command(ctx, frame, command);
        }
        if self
            .copied
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() >= COPIED_FEEDBACK)
        {
            self.copied = None;
        }
        self.schedule_repaint(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        super::key_setup::top_bar(self, ui);
        if self.settings_form.open {
            super::settings_panel::show(self, ui);
        }
        egui::CentralPanel::default().show(ui, |ui| match self.phase {
            Phase::Ready => {
                super::queue_panel::show(self, ui);
                super::staged_panel::show(self, ui);
            }
            _ => super::key_setup::show(self, ui),
        });
        if self.about_open {
            super::about_panel::show(self, ui);
        }
        super::queue_panel::drop_overlay(ui.ctx());
        if !self.commands.is_empty() {
            // Handled by the next `logic`, right away.
            ui.ctx().request_repaint();
        }
    }

    /// egui's memory holds text-field undo history, which could contain a typed key:
    /// keep it out of eframe's storage. Window size and position are stored separately.
    fn persist_egui_memory(&self) -> bool {
        false
    }
}
