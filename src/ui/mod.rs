//! The window: a thin layer that draws state and sends commands to the core.
//!
//! [`StagerApp`] holds what is shown and an inbox; the draw functions in the panel modules
//! only push [`app::Command`]s, which [`eframe::App::logic`] handles. Everything slow (the
//! keychain, `GET /context`, the file dialog, looking at dropped files, the uploads) runs on
//! tokio and reports back over a channel, waking the window with `request_repaint`.

use std::path::PathBuf;
use std::sync::Arc;

mod about_panel;
mod app;
mod format;
mod key_setup;
mod queue_panel;
mod settings_panel;
mod staged_panel;

pub use app::{AppEnvironment, KeyStoreFactory, StagerApp};

use crate::api::ClientOptions;
use crate::connection::Overrides;
use crate::key_store::{ApiKeyStore, KeychainStore};
use crate::paths::AppPaths;
use crate::upload_queue::QueueOptions;

/// The window's icon, drawn by the packaging work in `assets/`.
const ICON_PNG: &[u8] = include_bytes!("../../assets/asteroid-stager.png");

/// The app ID: the Wayland/X11 class the desktop entry matches, and the folder eframe keeps
/// the window's size and position in.
pub const APP_ID: &str = "asteroid-stager";

/// Opens the window with `files` already added (as "Open with" from a file manager does).
pub fn run_window(files: Vec<PathBuf>) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("stager-worker")
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the background workers ({e})"))?;

    let paths = AppPaths::platform_or_temp();
    let settings = crate::settings::Settings::load(&paths.settings_file()).0;
    let queue_options = QueueOptions {
        concurrency: settings.concurrency,
        ..QueueOptions::default()
    };
    // The keychain account is the API host: a key for a test server never replaces the
    // key for the real one, and changing the server in Settings switches to its key.
    let key_store: KeyStoreFactory =
        Arc::new(|base| Arc::new(KeychainStore::for_host(&base.host())) as Arc<dyn ApiKeyStore>);
    let environment = AppEnvironment {
        runtime: runtime.handle().clone(),
        key_store,
        paths,
        overrides: Overrides::from_env(),
        initial_files: files,
        queue_options,
        client_options: ClientOptions::default(),
    };

    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Asteroid Stager")
        .with_app_id(APP_ID)
        .with_inner_size([820.0, 600.0])
        .with_min_inner_size([520.0, 380.0]);
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(Arc::new(icon)),
        Err(e) => tracing::warn!("the window icon could not be decoded: {e}"),
    }
    let options = eframe::NativeOptions {
        viewport,
        // Size and position are remembered by eframe under APP_ID; egui's own memory is
        // not (see StagerApp::persist_egui_memory).
        persist_window: true,
        event_loop_builder: Some(Box::new(prefer_x11_when_available)),
        ..eframe::NativeOptions::default()
    };
    let result = eframe::run_native(
        APP_ID,
        options,
        Box::new(move |cc| Ok(Box::new(StagerApp::new(&cc.egui_ctx, environment)))),
    )
    .map_err(|e| e.to_string());
    // A keychain call or an upload may still be in flight: do not wait for it to leave.
    runtime.shutdown_background();
    result
}

/// winit 0.30 delivers dropped files on X11, Windows and macOS but not on native Wayland
/// windows (winit issue #1881). On a Wayland desktop `DISPLAY` is set when XWayland runs,
/// and starting on X11 there makes drag and drop work; without `DISPLAY` winit picks Wayland
/// and the "Add files…" button still works.
#[allow(unused_variables)]
fn prefer_x11_when_available(builder: &mut winit::event_loop::EventLoopBuilder<eframe::UserEvent>) {
    #[cfg(all(unix, not(target_os = "macos")))]
    if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        use winit::platform::x11::EventLoopBuilderExtX11;
        builder.with_x11();
    }
}
