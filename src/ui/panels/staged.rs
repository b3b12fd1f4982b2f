//! The staged files: the history, newest first, each with its ID, a Copy button and the
//! time left before the API deletes it.

use egui::RichText;

use super::fixed_cell;
use crate::format;
use crate::history::HistoryEntry;
use crate::ui::command::{Command, CopyWhat, StagedCommand};
use crate::ui::state::State;

fn send(commands: &mut Vec<Command>, command: StagedCommand) {
    commands.push(Command::Staged(command));
}

/// The staged list with its buttons.
pub fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let staged = &state.staged;
    let now = state.now;
    let live = staged.unexpired(now).count();
    let expired_count = staged.entries.len() - live;

    ui.horizontal(|ui| {
        ui.heading("Staged files");
        ui.label(
            RichText::new(format!(
                "Each file is kept by Asteroid for {} after staging.",
                format::lifetime()
            ))
            .weak(),
        );
    });
    if staged.entries.is_empty() {
        ui.label("Files you stage appear here with their IDs, ready to copy.");
        return;
    }

    ui.horizontal_wrapped(|ui| {
        copy_button(
            ui,
            state,
            commands,
            CopyWhat::AllIds,
            "Copy all IDs",
            "The IDs of the files not yet expired, one per line",
            live > 0,
        );
        copy_button(
            ui,
            state,
            commands,
            CopyWhat::Json,
            "Copy as tempFiles JSON",
            "The files not yet expired as [{\"id\":…,\"name\":…}], the array an agent execution's tempFiles takes",
            live > 0,
        );
        ui.separator();
        if ui
            .add_enabled(expired_count > 0, egui::Button::new("Clear expired"))
            .on_hover_text("Remove the files Asteroid has already deleted from this list")
            .clicked()
        {
            send(commands, StagedCommand::ClearExpired);
        }
        if !staged.confirm_clear_all && ui.button("Clear all…").clicked() {
            send(commands, StagedCommand::AskClearAll);
        }
    });
    if staged.confirm_clear_all {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(format!(
                "Remove all {} entries from this list? Files not yet expired stay on the server, but their IDs will no longer be shown here.",
                staged.entries.len()
            ));
            ui.horizontal(|ui| {
                if ui.button("Yes, clear the list").clicked() {
                    send(commands, StagedCommand::ClearAll);
                }
                if ui.button("Keep the list").clicked() {
                    send(commands, StagedCommand::KeepAll);
                }
            });
        });
    }
    ui.add_space(4.0);

    let row_height = ui.spacing().interact_size.y;
    let total = staged.entries.len();
    egui::ScrollArea::vertical()
        .id_salt("staged_rows")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, total, |ui, range| {
            for row in range {
                // Newest first.
                let Some(entry) = total
                    .checked_sub(row + 1)
                    .and_then(|index| staged.entries.get(index))
                else {
                    continue;
                };
                staged_row(ui, state, entry, commands);
            }
        });
}

fn staged_row(ui: &mut egui::Ui, state: &State, entry: &HistoryEntry, commands: &mut Vec<Command>) {
    let now = state.now;
    let expired = entry.is_expired(now);
    // The path inside its folder tells two `page1.pdf` apart; the server's name is what
    // the execute call gets, and is shown on hover.
    let shown = entry
        .source
        .as_ref()
        .map_or(entry.name.as_str(), |s| s.relative_path.as_str());
    let is_copied = state
        .staged
        .is_copied(&CopyWhat::Id(entry.id.clone()), state.instant);
    ui.horizontal(|ui| {
        let width = ui.available_width();
        let name_width = (width * 0.28).max(100.0);
        let name = if expired {
            RichText::new(shown).weak().strikethrough()
        } else {
            RichText::new(shown).strong()
        };
        fixed_cell(ui, name_width, name).on_hover_text(format!(
            "Staged as \"{}\" · {}",
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
                    .on_hover_text(format!("Copy the ID of {shown}"));
                // Every row has a "Copy" button: the accessible name says whose ID it copies.
                let spoken = if is_copied {
                    format!("Copied the ID of {shown}")
                } else {
                    format!("Copy the ID of {shown}")
                };
                button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &spoken));
                if button.clicked() {
                    send(
                        commands,
                        StagedCommand::Copy(CopyWhat::Id(entry.id.clone())),
                    );
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

/// A button that copies (the text is built by the state on the click) and says "Copied!"
/// for a moment, under the same name for screen readers as on screen.
fn copy_button(
    ui: &mut egui::Ui,
    state: &State,
    commands: &mut Vec<Command>,
    what: CopyWhat,
    idle_label: &str,
    hover: &str,
    enabled: bool,
) {
    let label = if state.staged.is_copied(&what, state.instant) {
        "Copied!"
    } else {
        idle_label
    };
    let button = ui
        .add_enabled(enabled, egui::Button::new(label))
        .on_hover_text(hover);
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, label));
    if button.clicked() {
        send(commands, StagedCommand::Copy(what));
    }
}
