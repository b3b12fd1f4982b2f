//! The top bar: title, organization, "Add files…", About, Settings, and the notices.

use egui::RichText;

use crate::ui::command::{Command, UploadsCommand, ViewCommand};
use crate::ui::state::{NoticeLevel, State};

/// Title, organization, buttons, and the notices under them.
pub fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.heading("Asteroid Stager");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let label = if state.view.settings_open {
                    "Close settings"
                } else {
                    "Settings"
                };
                if ui
                    .button(label)
                    .on_hover_text("API key, organization and server address")
                    .clicked()
                {
                    commands.push(Command::View(ViewCommand::ToggleSettings));
                }
                if ui
                    .button("About")
                    .on_hover_text("Version, server, and where the app keeps its files")
                    .clicked()
                {
                    commands.push(Command::View(ViewCommand::ToggleAbout));
                }
                add_buttons(ui, commands);
                // The buttons first, then the organization in what is left, cut short
                // (full on hover): a long name or a bare ID never runs under the buttons.
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    if let Some((id, name)) = state.connection.organization() {
                        let shown = if name.is_empty() {
                            id.to_string()
                        } else {
                            name.to_owned()
                        };
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("Organization: {shown}")).weak(),
                            )
                            .truncate(),
                        )
                        .on_hover_text(format!("Organization ID {id}"));
                    }
                });
            });
        });
        notices(ui, state, commands);
        ui.add_space(4.0);
    });
}

/// "Add folder…" and "Add files…", with their shortcuts in the tooltips (right to left).
pub fn add_buttons(ui: &mut egui::Ui, commands: &mut Vec<Command>) {
    if ui
        .button("Add folder…")
        .on_hover_text("Choose folders to stage with every file inside (Ctrl+Shift+O)")
        .clicked()
    {
        commands.push(Command::Uploads(UploadsCommand::PickFolder));
    }
    if ui
        .button("Add files…")
        .on_hover_text(
            "Choose files to stage (Ctrl+O); you can also drop them on this window or paste with Ctrl+V",
        )
        .clicked()
    {
        commands.push(Command::Uploads(UploadsCommand::PickFiles));
    }
}

fn notices(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    for notice in state.notices.list() {
        let color = match notice.level {
            NoticeLevel::Info => ui.visuals().hyperlink_color,
            NoticeLevel::Warning => ui.visuals().warn_fg_color,
        };
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.0, color))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let dismiss = ui.button("Dismiss");
                    if let Some(label) = notice.action_label()
                        && ui.button(label).clicked()
                    {
                        commands.push(Command::View(ViewCommand::NoticeAction(notice.id)));
                    }
                    ui.add(egui::Label::new(RichText::new(&notice.text).color(color)).wrap());
                    if dismiss.clicked() {
                        commands.push(Command::View(ViewCommand::DismissNotice(notice.id)));
                    }
                });
            });
    }
}
