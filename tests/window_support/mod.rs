//! For the window tests: the tests' staging server on 127.0.0.1 (`tests/support`), dropped
//! files, and a harness that drives the real app headlessly until what the test waits for
//! appears.

// Shared by several test crates, each using a part of it.
#![allow(dead_code, unused_imports)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use asteroid_stager::clipboard::ClipboardContent;
use asteroid_stager::clock::Clock;
use asteroid_stager::key_store::{ApiKeyStore, MemoryKeyStore};
use asteroid_stager::paths::AppPaths;
use asteroid_stager::session::Overrides;
use asteroid_stager::ui::{AppEnvironment, StagerApp};

pub use crate::support::{Fault, KEY as GOOD_KEY, ORG as ORG_ID, StagingServer as TestServer};

/// A file "dropped" on the window.
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// One test's world: a runtime, a server, a key store and folders.
pub struct World {
    pub runtime: tokio::runtime::Runtime,
    pub server: TestServer,
    pub store: Arc<MemoryKeyStore>,
    pub dir: tempfile::TempDir,
    /// Seconds added to the real time: the app's test clock.
    pub clock_skew: Arc<AtomicU64>,
    /// What the Paste button finds on the "system" clipboard.
    pub clipboard: Arc<Mutex<ClipboardContent>>,
    /// Desktop notifications shown: (summary, body).
    pub notifications: Arc<Mutex<Vec<(String, String)>>>,
}

impl World {
    pub fn new(store: MemoryKeyStore) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let server = runtime.block_on(TestServer::start());
        Self {
            runtime,
            server,
            store: Arc::new(store),
            dir: tempfile::tempdir().expect("temp dir"),
            clock_skew: Arc::new(AtomicU64::new(0)),
            clipboard: Arc::new(Mutex::new(ClipboardContent::Empty)),
            notifications: Arc::new(Mutex::new(Vec::new())),
        }
    }

    pub fn with_good_key() -> Self {
        let key = asteroid_stager::key_store::ApiKey::new(GOOD_KEY).expect("key");
        Self::new(MemoryKeyStore::with_key(key))
    }

    /// The test server's address as the history records it with each staged file.
    pub fn server_as_recorded(&self) -> String {
        asteroid_stager::endpoint::BaseUrl::parse(&self.server.base_url)
            .expect("the test server's address")
            .to_string()
    }

    pub fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.dir.path().join("files").join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("files dir");
        std::fs::write(&path, content).expect("write file");
        path
    }

    /// The app's environment, made by the real start-up path (settings and history read
    /// once, problems turned into notices), with fast retries and the test clock.
    pub fn environment(&self, initial_files: Vec<PathBuf>) -> AppEnvironment {
        let store: Arc<dyn ApiKeyStore> = self.store.clone();
        let mut env = AppEnvironment::load(
            self.runtime.handle().clone(),
            Arc::new(move |_| store.clone()),
            AppPaths::in_dir(self.dir.path().join("app")),
            Overrides {
                api_key: None,
                base_url: Some(self.server.base_url.clone()),
                organization: None,
            },
            initial_files,
        );
        env.queue_options.backoff = Duration::from_millis(10);
        env.queue_options.max_backoff = Duration::from_millis(20);
        let skew = self.clock_skew.clone();
        env.clock = Clock::new(move || {
            SystemTime::now() + Duration::from_secs(skew.load(Ordering::Relaxed))
        });
        let clipboard = self.clipboard.clone();
        env.clipboard = Arc::new(move || clipboard.lock().expect("clipboard").clone());
        let shown = self.notifications.clone();
        env.notifier = Arc::new(move |summary, body| {
            shown
                .lock()
                .expect("notifications")
                .push((summary.to_owned(), body.to_owned()));
            Ok(())
        });
        env
    }

    /// Moves the app's clock forward (staged files expire without waiting an hour).
    pub fn advance_clock(&self, by: Duration) {
        self.clock_skew.fetch_add(by.as_secs(), Ordering::Relaxed);
    }

    pub fn harness(&self, initial_files: Vec<PathBuf>) -> Harness<'static, StagerApp> {
        let env = self.environment(initial_files);
        Harness::builder()
            .with_size([1000.0, 760.0])
            .build_eframe(move |cc| StagerApp::new(&cc.egui_ctx, env))
    }
}

/// Steps the app until `label` is on screen, or fails after `within`.
#[track_caller]
pub fn wait_for(harness: &mut Harness<'_, StagerApp>, label: &str) {
    wait_until(harness, &format!("a widget labelled {label:?}"), |h| {
        h.query_all_by_label(label).next().is_some()
    });
}

/// Steps the app until it is ready to stage: the drop zone (nothing added yet), the
/// uploads or the staged list (Uploads is hidden when nothing is on its way).
#[track_caller]
pub fn wait_ready(harness: &mut Harness<'_, StagerApp>) {
    wait_until(harness, "the window to be ready to stage", |h| {
        h.query_all_by_label("Drop files or folders here")
            .next()
            .is_some()
            || h.query_all_by_label("Uploads").next().is_some()
            || h.query_all_by_label("Staged files").next().is_some()
    });
}

/// Steps the app until some label contains `text`.
#[track_caller]
pub fn wait_for_text(harness: &mut Harness<'_, StagerApp>, text: &str) {
    wait_until(harness, &format!("text containing {text:?}"), |h| {
        h.query_all_by_label_contains(text).next().is_some()
    });
}

#[track_caller]
pub fn wait_until(
    harness: &mut Harness<'_, StagerApp>,
    what: &str,
    mut done: impl FnMut(&Harness<'_, StagerApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        harness.step();
        if done(harness) {
            // The widgets a screen reader needs to name, named: checked on every screen we reach.
            harness.check_accessibility();
            return;
        }
        if Instant::now() >= deadline {
            let shown: Vec<String> = harness
                .root()
                .children_recursive()
                .filter_map(|n| n.accesskit_node().label())
                .collect();
            let notices: Vec<String> = harness
                .state()
                .state()
                .notices
                .list()
                .iter()
                .map(|n| n.text.clone())
                .collect();
            panic!("timed out waiting for {what}; on screen: {shown:#?}; notices: {notices:#?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Sets something about the window (focus, a close request) for the next frames.
pub fn root_viewport<'h>(harness: &'h mut Harness<'_, StagerApp>) -> &'h mut egui::ViewportInfo {
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
}

/// The commands the app sent to its window in the last frame.
pub fn viewport_commands(harness: &Harness<'_, StagerApp>) -> Vec<egui::ViewportCommand> {
    harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .map(|v| v.commands.clone())
        .unwrap_or_default()
}

/// Every text the app asked to put on the clipboard in the last frame.
pub fn copied_texts(harness: &Harness<'_, StagerApp>) -> Vec<String> {
    harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// Drops `paths` on the window, as a file manager does.
pub fn drop_paths(harness: &mut Harness<'_, StagerApp>, paths: &[PathBuf]) {
    for path in paths {
        harness
            .input_mut()
            .dropped_files
            .push(Arc::new(Dropped(path.clone())));
    }
}

/// Clicks the widget whose label contains `label` (one only) and returns what the click
/// put on the clipboard; `None` when a few frames pass without a copy (a question was
/// asked first, say).
pub fn click_and_read_clipboard(
    harness: &mut Harness<'_, StagerApp>,
    label: &str,
) -> Option<String> {
    harness.get_by_label_contains(label).click();
    for _ in 0..5 {
        harness.step();
        if let Some(text) = copied_texts(harness).pop() {
            return Some(text);
        }
    }
    None
}
