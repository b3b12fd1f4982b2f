//! The eframe shell: drain the inbox, route commands to the state, run the effects on the
//! runtime, draw. Nothing here blocks: every keychain call, network call, file dialog and
//! disk write runs on tokio and reports back as an [`Event`] on one channel, waking the
//! window with `request_repaint`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::mpsc;

use super::command::{Command, Event, Origin, UploadsCommand};
use super::panels;
use super::state::{
    ConnectionState, KeyStoreFactory, NoticeLevel, Notices, StagedState, State, UploadsState,
    ViewState,
};
use crate::api::ClientOptions;
use crate::clipboard::ClipboardContent;
use crate::clock::Clock;
use crate::history::{HistoryEntry, HistoryStore};
use crate::paths::AppPaths;
use crate::session::Overrides;
use crate::settings::Settings;
use crate::startup::Startup;
use crate::t;
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
    /// Where later launches hand their files over (one window per user and data folder);
    /// `None` when this window does not take hand-overs (tests, or it could not be set up).
    pub other_launches: Option<crate::single_window::WindowClaim>,
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
        // The same start-up as every command's, with the same words.
        let Startup {
            settings,
            history,
            notices,
        } = Startup::load(&paths);
        let mut startup_notices: Vec<(NoticeLevel, String)> = notices
            .into_iter()
            .map(|n| {
                let level = if n.problem {
                    NoticeLevel::Warning
                } else {
                    NoticeLevel::Info
                };
                (level, n.text)
            })
            .collect();
        let staged = history.entries().unwrap_or_else(|e| {
            startup_notices.push((
                NoticeLevel::Warning,
                t!("window-history-unreadable", reason = e.to_string()),
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
            notifier: Arc::new(super::effects::show_notification),
            other_launches: None,
        }
    }
}

/// Sends events to the window and wakes it.
#[derive(Clone)]
pub(super) struct Inbox {
    tx: mpsc::UnboundedSender<Event>,
    pub(super) ctx: egui::Context,
}

impl Inbox {
    pub(super) fn send(&self, event: Event) {
        // Fails only when the window is gone, and then nobody is waiting.
        let _ = self.tx.send(event);
        self.ctx.request_repaint();
    }
}

/// The window.
pub struct StagerApp {
    pub(super) state: State,
    pub(super) commands: Vec<Command>,
    pub(super) events: mpsc::UnboundedReceiver<Event>,
    pub(super) inbox: Inbox,
    pub(super) queue: UploadQueue,
    pub(super) runtime: tokio::runtime::Handle,
    pub(super) history: HistoryStore,
    pub(super) paths: AppPaths,
    pub(super) clock: Clock,
    pub(super) clipboard: ClipboardReader,
    pub(super) notifier: Notifier,
    /// Commands sent to the window itself (close, attention), sent at the next frame.
    pub(super) viewport_commands: Vec<egui::ViewportCommand>,
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
        if let Some(claim) = env.other_launches {
            let launches = inbox.clone();
            claim.listen(move |paths| launches.send(Event::OtherLaunch(paths)));
        }
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
        // Files an earlier window or command left unfinished (it crashed, was killed, the
        // power went): taken over now, so no other window takes them too, and staged again
        // once the target for their organization and server is set. Files a running
        // process is sending are not taken.
        match env.history.adopt_unfinished() {
            Ok(unfinished) if !unfinished.is_empty() => {
                queue.send(crate::upload_queue::QueueCommand::Resume(unfinished));
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("unfinished files could not be looked up: {e}"),
        }
        let mut uploads = UploadsState::default();
        // "Try 2 of 4": the tries this queue makes.
        uploads.table.set_max_tries(env.queue_options.max_attempts);
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
            )
            .with_network_backoff(super::state::NetworkBackoff {
                first: env.queue_options.network_backoff,
                max: env.queue_options.network_max_backoff,
            }),
            uploads,
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
}

/// The core's messages say "platform.asteroid.ai → your profile → API Keys", and
/// Ubuntu-Light, egui's text font, has no arrow. Hack (egui's bundled monospace font) has
/// it, so it backs up the proportional family instead of a missing-glyph box.
///
/// File names come in every script: a character none of egui's fonts has (Chinese,
/// Japanese, Korean, Arabic, Hebrew, Thai, most emoji) is looked up among the system's
/// fonts, after egui's own. The system's fonts are listed on a background thread from here
/// on, and a font is loaded only when a character first needs it, so start-up does not wait.
fn use_fallback_font_for_symbols(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    if fonts.font_data.contains_key("Hack")
        && let Some(family) = fonts.families.get_mut(&egui::FontFamily::Proportional)
    {
        family.push("Hack".to_owned());
    }
    ctx.set_fonts(fonts);
    ctx.add_font_provider(Arc::new(
        egui_system_font_provider::SystemFontProvider::new(),
    ));
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
        // The window's name for screen readers (else they read an empty "frame").
        ui.ctx()
            .accesskit_node_builder(egui::accesskit_root_id(), |root| {
                root.set_label(t!("window-title"))
            });
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
