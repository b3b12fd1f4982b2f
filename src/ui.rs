//! The window: a thin layer that draws state and sends commands to the core.

use std::path::PathBuf;

/// Opens the window with `files` already added (as "Open with" from a file manager does).
pub fn run_window(files: Vec<PathBuf>) -> Result<(), String> {
    let _ = files;
    eframe::run_ui_native(
        "Asteroid Stager",
        eframe::NativeOptions::default(),
        |ui, _frame| {
            ui.heading("Asteroid Stager");
        },
    )
    .map_err(|e| e.to_string())
}
