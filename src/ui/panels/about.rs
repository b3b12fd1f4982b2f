//! About: what this is, which version, where it sends files, where it keeps things and
//! which keychain holds the key — what support asks first.

use egui::RichText;

use crate::t;
use crate::ui::command::{Command, ViewCommand};
use crate::ui::state::State;

/// Where operators read about staged files and execute calls.
pub const DOCS_URL: &str = "https://docs.asteroid.ai";

/// The About window.
pub fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let mut open = true;
    egui::Window::new(t!("about-title"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(460.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ui.ctx(), |ui| {
            ui.label(
                RichText::new(t!("about-version", version = env!("CARGO_PKG_VERSION"))).strong(),
            );
            ui.label(t!("about-what"));
            ui.add_space(6.0);
            egui::Grid::new("about_facts")
                .num_columns(2)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    ui.label(t!("about-server"));
                    ui.label(RichText::new(state.connection.base_url.to_string()).monospace());
                    ui.end_row();
                    ui.label(t!("about-key-kept-in"));
                    ui.label(state.connection.key_store.describe());
                    ui.end_row();
                    ui.label(t!("about-history"));
                    ui.label(state.staged.history_path.display().to_string());
                    ui.end_row();
                    ui.label(t!("about-settings"));
                    ui.label(state.settings_path.display().to_string());
                    ui.end_row();
                });
            ui.add_space(6.0);
            ui.hyperlink_to(t!("about-documentation"), DOCS_URL);
            ui.add_space(4.0);
            if ui.button(t!("about-close")).clicked() {
                commands.push(Command::View(ViewCommand::ToggleAbout));
            }
        });
    if !open {
        commands.push(Command::View(ViewCommand::ToggleAbout));
    }
}
