//! The staged files: the persisted history, newest first, each with its ID, a Copy button
//! and the time left before the API deletes it.

use std::time::SystemTime;

use egui::RichText;

use super::app::{Command, CopyWhat, StagerApp};
use super::format;
use crate::history::HistoryEntry;

pub fn show(app: &mut StagerApp, ui: &mut egui::Ui) {
    let now = SystemTime::now();
    let unexpired = app.unexpired(now);
    let expired_count = app.staged.len() - unexpired.len();

    ui.horizontal(|ui| {
        ui.heading("Staged files");
        ui.label(
            RichText::new("Each file is kept by Asteroid for 60 minutes after staging.").weak(),
        );
    });
    if app.staged.is_empty() {
        ui.label("Files you stage appear here with their IDs, ready to copy.");
        return;
    }

    ui.horizontal_wrapped(|ui| {
        let has_live = !unexpired.is_empty();
        // The texts are built only on a click, not on every frame.
        copy_button(
            app,
            ui,
            CopyWhat::AllIds,
            "Copy all IDs",
            "The IDs of the files not yet expired, one per line",
            has_live,
            || {
                unexpired
                    .iter()
                    .map(|e| e.id.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            },
        );
        copy_button(
            app,
            ui,
            CopyWhat::Json,
            "Copy as tempFiles JSON",
            "The files not yet expired as [{\"id\":…,\"name\":…}], the array an agent execution's tempFiles takes",
            has_live,
            || StagerApp::temp_files_json(&unexpired),
        );

        ui.separator();
        if ui
            .add_enabled(expired_count > 0, egui::Button::new("Clear expired"))
            .on_hover_text("Remove the files Asteroid has already deleted from this list")
            .clicked()
        {
            app.commands.push(Command::ClearExpired);
        }
        if !app.confirm_clear_all && ui.button("Clear all…").clicked() {
            app.commands.push(Command::AskClearAll);
        }
    });
    if app.confirm_clear_all {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(format!(
                "Remove all {} entries from this list? Files not yet expired stay on the server, but their IDs will no longer be shown here.",
                app.staged.len()
            ));
            ui.horizontal(|ui| {
                if ui.button("Yes, clear the list").clicked() {
                    app.commands.push(Command::ClearAll);
                }
                if ui.button("Keep the list").clicked() {
                    app.commands.push(Command::KeepAll);
                }
            });
        });
    }
    ui.add_space(4.0);

    let row_height = ui.spacing().interact_size.y;
    let total = app.staged.len();
    let entries = &app.staged;
    let copied = app.copied.clone();
    let commands = &mut app.commands;
    egui::ScrollArea::vertical()
        .id_salt("staged_rows")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, total, |ui, range| {
            for row in range {
                // Newest first.
                let Some(entry) = total
                    .checked_sub(row + 1)
                    .and_then(|index| entries.get(index))
                else {
                    continue;
                };
                let is_copied = copied.as_ref().is_some_and(|(what, at)| {
                    *what == CopyWhat::Id(entry.id.clone())
                        && at.elapsed() < super::app::COPIED_FEEDBACK
                });
                staged_row(ui, entry, now, is_copied, commands);
            }
        });
}

fn staged_row(
    ui: &mut egui::Ui,
    entry: &HistoryEntry,
    now: SystemTime,
    is_copied: bool,
    commands: &mut Vec<Command>,
) {
    let expired = entry.is_expired(now);
    ui.horizontal(|ui| {
        let width = ui.available_width();
        let name_width = (width * 0.28).max(100.0);
        let name = if expired {
            RichText::new(&entry.name).weak().strikethrough()
        } else {
            RichText::new(&entry.name).strong()
        };
        super::queue_panel::name_cell(ui, name_width, name).on_hover_text(format!(
            "{} · {}",
            entry.name,
            format::human_bytes(entry.size)
        ));
        let id = RichText::new(&entry.id).monospace();
        let id = if expired { id.weak() } else { id };
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if expired {
                ui.label(RichText::new("expired").weak().italics());
            } else {
                let label = if is_copied { "Copied!" } else { "Copy" };
                let button = ui
                    .button(label)
                    .on_hover_text(format!("Copy the ID of {}", entry.name));
                // Every row has a "Copy" button: the accessible name says whose ID it copies.
                let spoken = if is_copied {
                    format!("Copied the ID of {}", entry.name)
                } else {
                    format!("Copy the ID of {}", entry.name)
                };
                button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &spoken));
                if button.clicked() {
                    commands.push(Command::Copy(
                        CopyWhat::Id(entry.id.clone()),
                        entry.id.clone(),
                    ));
                }
                ui.label(format::expires_in(entry.time_left(now)));
            }
            // The ID takes what is left between the name and the buttons, never more.
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                ui.add(egui::Label::new(id).truncate())
                    .on_hover_text(&entry.id);
            });
        });
    });
}

/// A button that copies `text` (built only when clicked) and says "Copied!" for a moment,
/// under the same name for screen readers as on screen.
fn copy_button(
    app: &mut StagerApp,
    ui: &mut egui::Ui,
    what: CopyWhat,
    idle_label: &str,
    hover: &str,
    enabled: bool,
    text: impl FnOnce() -> String,
) {
    let label = if app.is_copied(&what) {
        "Copied!"
    } else {
        idle_label
    };
    let button = ui
        .add_enabled(enabled, egui::Button::new(label))
        .on_hover_text(hover);
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, label));
    if button.clicked() {
        app.commands.push(Command::Copy(what, text()));
    }
}
