//! The window: a thin layer that draws state and sends commands to the core.
//!
//! [`StagerApp`] (in `app`) is the eframe shell; `state` holds what is shown, split by
//! concern; `panels` draw it and only push `command::Command`s. Everything slow (the
//! keychain, `GET /context`, the file dialog, the uploads, the disk) runs on tokio and
//! reports back over one channel, waking the window with `request_repaint`.

use std::path::PathBuf;
use std::sync::Arc;

mod app;
pub mod command;
mod effects;
mod input;
mod panels;
pub mod state;

pub use app::{AppEnvironment, ClipboardReader, Notifier, StagerApp};
pub use state::KeyStoreFactory;

use crate::key_store::{ApiKeyStore, KeychainStore};
use crate::paths::AppPaths;
use crate::session::Overrides;
use crate::t;

/// The window's icon, drawn by the packaging work in `assets/`.
const ICON_PNG: &[u8] = include_bytes!("../../assets/asteroid-stager.png");

/// The app ID: the Wayland/X11 class the desktop entry matches, and the folder eframe keeps
/// the window's size and position in.
pub const APP_ID: &str = "asteroid-stager";

/// Draws the whole window from `state`, pushing what the operator asked for into
/// `commands`: what a frame does, for the frame benchmark.
pub fn draw(ui: &mut egui::Ui, state: &state::State, commands: &mut Vec<command::Command>) {
    panels::show(ui, state, commands);
}

/// Opens the window with `files` already added (as "Open with" from a file manager does),
/// with the environment's values. `other_launches` takes the files of later launches (see
/// [`crate::single_window`]).
pub fn run_window(
    files: Vec<PathBuf>,
    overrides: Overrides,
    paths: AppPaths,
    other_launches: Option<crate::single_window::WindowClaim>,
) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("stager-worker")
        .enable_all()
        .build()
        .map_err(|e| t!("window-no-workers", reason = e.to_string()))?;

    // The keychain account is the API host: a key for a test server never replaces the
    // key for the real one, and changing the server in Settings switches to its key.
    let key_store: KeyStoreFactory =
        Arc::new(|base| Arc::new(KeychainStore::for_host(&base.host())) as Arc<dyn ApiKeyStore>);
    let mut environment =
        AppEnvironment::load(runtime.handle().clone(), key_store, paths, overrides, files);
    environment.other_launches = other_launches;

    let mut viewport = egui::ViewportBuilder::default()
        .with_title(t!("window-title"))
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
        // The app installs the system font provider itself (StagerApp::new), so that the
        // window and its tests draw names alike.
        system_font_fallback: false,
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
#[cfg_attr(
    not(all(unix, not(target_os = "macos"))),
    expect(unused_variables, reason = "only X11 platforms use the builder")
)]
fn prefer_x11_when_available(builder: &mut winit::event_loop::EventLoopBuilder<eframe::UserEvent>) {
    #[cfg(all(unix, not(target_os = "macos")))]
    if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        use winit::platform::x11::EventLoopBuilderExtX11;
        builder.with_x11();
    }
}
