//! The eframe shell: drain the inbox, route commands to the state, run the effects on the
//! runtime, draw. Nothing here blocks: every keychain call, network call, file dialog and
//! disk write runs on tokio and reports back as an [`Event`] on one channel, waking the
//! window with `request_repaint`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use futures_util::FutureExt;
use tokio::sync::mpsc;

use super::command::{Command, Effect, Event, HistoryChange, Origin, UploadsCommand};
use super::panels;
use super::state::{
    ConnectionState, KeyStoreFactory, NoticeLevel, Notices, Phase, StagedState, State,
    UploadsState, ViewState,
};
use crate::api::{ApiClient, ClientOptions};
use crate::clipboard::ClipboardContent;
use crate::clock::Clock;
use crate::history::{HistoryEntry, HistoryStore};
use crate::key_store::KeyStoreError;
use crate::paths::AppPaths;
use crate::session::Overrides;
use crate::settings::Settings;
use crate::upload_queue::{QueueOptions, UploadQueue};

/// Reads the system clipboard (blocking); tests give their own.
pub type ClipboardReader = Arc<dyn Fn() -> ClipboardContent + Send + Sync>;

/// Shows a desktop notification (summary, body; blocking); tests record them instead.
pub type Notifier = Arc<dyn Fn(&str, &str) -> Result<(), String> + Send + Sync>;

/// Events a frame folds at most, so a flood of progress cannot starve painting.
const EVENTS_PER_FRAME: usize = 10_000;

/// Everything the window needs from outside, so tests can supply memory stores, temporary
/// folders, a local server and a clock.
pub struct AppEnvironment {
    /// Where background work runs.
    pub runtime: tokio::runtime::Handle,
    /// Makes the key store for a server.
    pub key_store: KeyStoreFactory,
    /// Where the app keeps its files.
    pub paths: AppPaths,
    /// The environment's values.
    pub overrides: Overrides,
    /// Files from the command line ("Open with"), added as if dropped.
    pub initial_files: Vec<PathBuf>,
    /// How the queue behaves.
    pub queue_options: QueueOptions,
    /// Timeouts.
    pub client_options: ClientOptions,
    /// The time (tests give their own, to expire files without waiting).
    pub clock: Clock,
    /// The settings, read once at start.
    pub settings: Settings,
    /// The history, opened once at start.
    pub history: HistoryStore,
    /// The staged list as it was at start.
    pub staged: Vec<HistoryEntry>,
    /// What the operator should know about the settings and the history at start (a
    /// damaged file kept aside, an old history imported).
    pub startup_notices: Vec<(NoticeLevel, String)>,
    /// The system clipboard, for the Paste button.
    pub clipboard: ClipboardReader,
    /// Desktop notifications.
    pub notifier: Notifier,
}

impl AppEnvironment {
    /// The real start-up: the settings and the history are read here, once, and anything
    /// wrong with them becomes a notice in the window.
    pub fn load(
        runtime: tokio::runtime::Handle,
        key_store: KeyStoreFactory,
        paths: AppPaths,
        overrides: Overrides,
        initial_files: Vec<PathBuf>,
    ) -> Self {
        let mut startup_notices = Vec::new();
        let (settings, problem) = Settings::load(&paths.settings_file());
        startup_notices.extend(problem.map(|p| (NoticeLevel::Warning, p.to_string())));
        let (history, notice) = HistoryStore::open(&paths.history_file());
        if let Some(notice) = notice {
            let level = if notice.is_problem() {
                NoticeLevel::Warning
            } else {
                NoticeLevel::Info
            };
            startup_notices.push((level, notice.to_string()));
        }
        let staged = history.entries().unwrap_or_else(|e| {
            startup_notices.push((
                NoticeLevel::Warning,
                format!("The list of staged files could not be read ({e})."),
            ));
            Vec::new()
        });
        Self {
            runtime,
            key_store,
            queue_options: QueueOptions {
                concurrency: settings.concurrency,
                ..QueueOptions::default()
            },
            paths,
            overrides,
            initial_files,
            client_options: ClientOptions::default(),
            clock: Clock::system(),
            settings,
            history,
            staged,
            startup_notices,
            clipboard: Arc::new(crate::clipboard::read_system_clipboard),
            notifier: Arc::new(show_notification),
        }
    }
}

/// A desktop notification through the system's service (D-Bus on Linux, the notification
/// centre on macOS and Windows).
fn show_notification(summary: &str, body: &str) -> Result<(), String> {
    notify_rust::Notification::new()
        .appname("Asteroid Stager")
        .summary(summary)
        .body(body)
        .icon(super::APP_ID)
        .show()
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Sends events to the window and wakes it.
#[derive(Clone)]
struct Inbox {
    tx: mpsc::UnboundedSender<Event>,
    ctx: egui::Context,
}

impl Inbox {
    fn send(&self, event: Event) {
        // Fails only when the window is gone, and then nobody is waiting.
        let _ = self.tx.send(event);
        self.ctx.request_repaint();
    }
}

/// The window.
pub struct StagerApp {
    state: State,
    commands: Vec<Command>,
    events: mpsc::UnboundedReceiver<Event>,
    inbox: Inbox,
    queue: UploadQueue,
    runtime: tokio::runtime::Handle,
    history: HistoryStore,
    paths: AppPaths,
    clock: Clock,
    clipboard: ClipboardReader,
    notifier: Notifier,
    /// Commands sent to the window itself (close, attention), sent at the next frame.
    viewport_commands: Vec<egui::ViewportCommand>,
}

impl StagerApp {
    /// Builds the window's state and starts the queue and the key flow.
    pub fn new(ctx: &egui::Context, env: AppEnvironment) -> Self {
        use_fallback_font_for_symbols(ctx);
        let (tx, events) = mpsc::unbounded_channel();
        let inbox = Inbox {
            tx,
            ctx: ctx.clone(),
        };
        let queue_inbox = inbox.clone();
        let queue = UploadQueue::start(
            &env.runtime,
            // One time for the window and the queue (a staged file's hour starts by it).
            QueueOptions {
                clock: env.clock.clone(),
                ..env.queue_options
            },
            Some(env.history.clone()),
            Arc::new(move |event| queue_inbox.send(Event::Queue(Box::new(event)))),
        );
        let mut notices = Notices::default();
        for (level, text) in env.startup_notices {
            notices.push(level, text);
        }
        let state = State {
            connection: ConnectionState::new(
                env.settings,
                env.overrides,
                env.key_store,
                env.client_options,
            ),
            uploads: UploadsState::default(),
            staged: StagedState::new(env.staged, env.history.path().to_path_buf()),
            notices,
            view: ViewState::default(),
            settings_path: env.paths.settings_file(),
            now: env.clock.now(),
            instant: Instant::now(),
        };
        let mut app = Self {
            state,
            commands: Vec::new(),
            events,
            inbox,
            queue,
            runtime: env.runtime,
            history: env.history,
            paths: env.paths,
            clock: env.clock,
            clipboard: env.clipboard,
            notifier: env.notifier,
            viewport_commands: Vec::new(),
        };
        let effects = app.state.connection.start();
        let effects = app.state.keep_local(effects);
        app.run_effects(effects, None);
        if !env.initial_files.is_empty() {
            app.commands.push(Command::Uploads(UploadsCommand::AddPaths(
                env.initial_files,
                Origin::OpenedWith,
            )));
        }
        app
    }

    /// Every staged file in the list, oldest first, expired ones included.
    pub fn staged_entries(&self) -> &[HistoryEntry] {
        &self.state.staged.entries
    }

    /// The window's state, for tests and benchmarks.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Folds what arrived since the last frame; true when events are left for the next.
    fn drain(&mut self, frame: Option<&eframe::Frame>) -> bool {
        for _ in 0..EVENTS_PER_FRAME {
            let Ok(event) = self.events.try_recv() else {
                return false;
            };
            let effects = self.state.on_event(event);
            self.run_effects(effects, frame);
        }
        !self.events.is_empty()
    }

    fn run_effects(&mut self, effects: Vec<Effect>, frame: Option<&eframe::Frame>) {
        for effect in effects {
            self.run(effect, frame);
        }
    }

    /// Runs one effect: on the runtime when it may block or wait.
    fn run(&mut self, effect: Effect, frame: Option<&eframe::Frame>) {
        match effect {
            Effect::LoadKey { store, generation } => self.blocking(
                move || store.load(),
                move |result| Event::KeyLoaded {
                    generation,
                    result: result.unwrap_or_else(|e| Err(KeyStoreError::Refused(e))),
                },
            ),
            Effect::SaveKey {
                store,
                key,
                generation,
            } => self.blocking(
                move || store.save(&key),
                move |result| Event::KeySaved {
                    generation,
                    result: result.unwrap_or_else(|e| Err(KeyStoreError::Refused(e))),
                },
            ),
            Effect::DeleteKey { store, generation } => self.blocking(
                move || store.delete(),
                move |result| Event::KeyDeleted {
                    generation,
                    result: result.unwrap_or_else(|e| Err(KeyStoreError::Refused(e))),
                },
            ),
            Effect::CheckKey {
                base,
                key,
                options,
                generation,
            } => {
                let inbox = self.inbox.clone();
                self.runtime.spawn(async move {
                    let result = match ApiClient::new(base, &key, options) {
                        Ok(client) => client.context().await,
                        Err(e) => Err(e),
                    };
                    inbox.send(Event::KeyChecked { generation, result });
                });
            }
            Effect::SaveSettings(settings) => {
                let path = self.paths.settings_file();
                self.blocking(
                    move || settings.save(&path).map_err(|e| e.to_string()),
                    |result| Event::SettingsSaved(result.and_then(|saved| saved)),
                );
            }
            Effect::SetTarget(target) => self.queue.set_target(target),
            Effect::AddPaths { paths, group, mode } => {
                self.queue.add_paths(paths, Some(group), mode);
            }
            Effect::Restage(items) => {
                self.queue.restage(items);
            }
            Effect::Confirm(batch, accept) => self.queue.confirm(batch, accept),
            Effect::Cancel(id) => self.queue.cancel(id),
            Effect::CancelAll => self.queue.cancel_all(),
            Effect::Retry(id) => self.queue.retry(id),
            Effect::PickFiles => self.pick(frame, false),
            Effect::PickFolder => self.pick(frame, true),
            Effect::ReadClipboard => {
                let read = self.clipboard.clone();
                self.blocking(
                    move || read(),
                    |result| Event::Clipboard(result.unwrap_or(ClipboardContent::Empty)),
                );
            }
            Effect::SavePastedImage {
                width,
                height,
                rgba,
                at,
            } => {
                // Kept beside the history: the file is there to stage again after expiry.
                let dir = self.paths.data_dir.join("pasted");
                self.blocking(
                    move || {
                        let rgba = Arc::unwrap_or_clone(rgba);
                        crate::clipboard::save_pasted_image(&dir, at, width, height, rgba)
                            .map_err(|e| e.to_string())
                    },
                    |result| Event::ImageSaved(result.and_then(|r| r)),
                );
            }
            Effect::RequestAttention => {
                self.viewport_commands
                    .push(egui::ViewportCommand::RequestUserAttention(
                        egui::UserAttentionType::Informational,
                    ))
            }
            Effect::DesktopNotification { summary, body } => {
                let notifier = self.notifier.clone();
                // Nobody waits for it: a desktop without a notification service just
                // does not show one (the taskbar still asks for attention).
                self.runtime.spawn_blocking(move || {
                    if let Err(e) = notifier(&summary, &body) {
                        tracing::info!("no desktop notification: {e}");
                    }
                });
            }
            Effect::CloseWindow => self.viewport_commands.push(egui::ViewportCommand::Close),
            Effect::CopyText(text) => self.inbox.ctx.copy_text(text),
            Effect::ChangeHistory(change) => {
                let history = self.history.clone();
                self.blocking(
                    move || {
                        match change {
                            HistoryChange::ClearExpired(now) => history.clear_expired(now),
                            HistoryChange::ClearAll => history.clear_all(),
                        }
                        .map_err(|e| e.to_string())
                    },
                    |result| Event::HistoryChanged(result.and_then(|r| r)),
                );
            }
            // Kept by the state itself; never reach here.
            Effect::Notice(..) | Effect::ShowSettings | Effect::GroupStaged { .. } => {}
        }
    }

    /// Runs blocking work (the disk, the keychain) on tokio's blocking pool, never in a
    /// frame, and posts what `report` makes of its result. A panic in `work` arrives as
    /// `Err` with its message, so every request gets an answer.
    fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
        report: impl FnOnce(Result<T, String>) -> Event + Send + 'static,
    ) {
        let inbox = self.inbox.clone();
        self.runtime.spawn(async move {
            let result = tokio::task::spawn_blocking(work)
                .await
                .map_err(|e| format!("an internal error interrupted it ({e})"));
            inbox.send(report(result));
        });
    }

    fn pick(&mut self, frame: Option<&eframe::Frame>, folders: bool) {
        // Built here (it needs the window as parent), awaited on tokio: the window keeps
        // painting while the dialog is open.
        let title = if folders {
            "Add folders to stage"
        } else {
            "Add files to stage"
        };
        let mut dialog = rfd::AsyncFileDialog::new().set_title(title);
        if let Some(frame) = frame {
            dialog = dialog.set_parent(frame);
        }
        let dialog = if folders {
            dialog.pick_folders().boxed()
        } else {
            dialog.pick_files().boxed()
        };
        let opened = Instant::now();
        let inbox = self.inbox.clone();
        self.runtime.spawn(async move {
            let picked = dialog.await;
            let paths = picked.map(|handles| {
                handles
                    .into_iter()
                    .map(|h| h.path().to_path_buf())
                    .collect()
            });
            inbox.send(Event::FilesPicked {
                paths,
                took: opened.elapsed(),
            });
        });
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

impl StagerApp {
    /// What the keyboard, the clipboard and the window manager asked for this frame, as
    /// commands (drawing pushes the rest).
    fn read_input(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if !dropped.is_empty() {
            self.commands
                .push(Command::Uploads(UploadsCommand::AddPaths(
                    dropped,
                    Origin::Dropped,
                )));
        }
        let ready = self.state.connection.phase == Phase::Ready;
        let folder = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
        let files = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
        let find = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        if ctx.input_mut(|i| i.consume_shortcut(&folder)) {
            self.commands
                .push(Command::Uploads(UploadsCommand::PickFolder));
        } else if ctx.input_mut(|i| i.consume_shortcut(&files)) {
            self.commands
                .push(Command::Uploads(UploadsCommand::PickFiles));
        }
        if ready && ctx.input_mut(|i| i.consume_shortcut(&find)) {
            ctx.memory_mut(|m| m.request_focus(panels::staged::filter_id()));
        }
        // Ctrl+V outside a text field stages what was pasted; inside one, it is the
        // field's.
        if ready && !ctx.egui_wants_keyboard_input() {
            let pasted: Vec<UploadsCommand> = ctx.input(|i| {
                i.events
                    .iter()
                    .filter_map(|event| match event {
                        egui::Event::PasteImage(image) => Some(UploadsCommand::PastedImage {
                            width: image.size[0],
                            height: image.size[1],
                            rgba: Arc::new(
                                image
                                    .pixels
                                    .iter()
                                    .flat_map(|p| p.to_srgba_unmultiplied())
                                    .collect(),
                            ),
                        }),
                        egui::Event::Paste(text) => Some(UploadsCommand::PastedText(text.clone())),
                        _ => None,
                    })
                    .collect()
            });
            self.commands
                .extend(pasted.into_iter().map(Command::Uploads));
        }
        self.state.view.focused = ctx.input(|i| i.viewport().focused).unwrap_or(true);
        if ctx.input(|i| i.viewport().close_requested()) && !self.state.close_requested() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
    }
}

impl eframe::App for StagerApp {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        self.state.now = self.clock.now();
        self.state.instant = Instant::now();
        self.read_input(ctx);
        if self.drain(Some(frame)) {
            ctx.request_repaint();
        }
        for command in std::mem::take(&mut self.commands) {
            let effects = self.state.handle(command);
            self.run_effects(effects, Some(frame));
        }
        for command in self.viewport_commands.drain(..) {
            ctx.send_viewport_cmd(command);
        }
        self.state.prepare();
        // Wake again only when something on screen will change by itself.
        if let Some(next) = self.state.next_change() {
            ctx.request_repaint_after(next);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        panels::show(ui, &self.state, &mut self.commands);
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
