//! Settings: the key (where it is kept, replace, sign out), the organization, the server
//! address (advanced) and where the app keeps its files.

use egui::RichText;

use super::text_field;
use crate::session::{self, KeySource};
use crate::ui::command::{Command, ConnectionCommand};
use crate::ui::state::{Phase, State};

fn send(commands: &mut Vec<Command>, command: ConnectionCommand) {
    commands.push(Command::Connection(command));
}

/// The settings panel, on the right.
pub fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    egui::Panel::right("settings")
        .resizable(true)
        .default_size(320.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.heading("Settings");
                ui.add_space(6.0);
                key_section(ui, state, commands);
                ui.separator();
                organization_section(ui, state, commands);
                ui.separator();
                server_section(ui, state, commands);
                ui.separator();
                ui.label(RichText::new("Notifications").strong());
                let mut notify = state.connection.settings.notify_when_staged;
                if ui
                    .checkbox(
                        &mut notify,
                        "Tell me when files are staged while this window is in the background",
                    )
                    .changed()
                {
                    send(commands, ConnectionCommand::ToggleNotifications);
                }
                ui.separator();
                ui.label(RichText::new("Files").strong());
                ui.label(format!(
                    "Staged files are listed in {}",
                    state.staged.history_path.display()
                ));
                ui.label(format!(
                    "Settings are kept in {}",
                    state.settings_path.display()
                ));
            });
        });
}

fn key_section(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let connection = &state.connection;
    ui.label(RichText::new("API key").strong());
    match connection.key_source() {
        Some(KeySource::Environment) => {
            ui.label(format!(
                "Taken from the {} environment variable; it is not stored by this app.",
                session::ENV_API_KEY
            ));
        }
        Some(_) => {
            ui.label(format!("Kept in: {}", connection.key_store.describe()));
        }
        None => {
            ui.label("No key yet.");
            ui.label(format!(
                "A key you enter is kept in: {}",
                connection.key_store.describe()
            ));
        }
    }
    if let Some(email) = connection
        .connection
        .as_ref()
        .and_then(|c| c.email.as_ref())
    {
        ui.label(format!("Account: {email}"));
    }
    let from_env = connection.overrides.api_key.is_some();
    ui.horizontal_wrapped(|ui| {
        if connection.phase != Phase::NeedKey
            && ui
                .add_enabled(!from_env, egui::Button::new("Replace key…"))
                .on_disabled_hover_text(format!(
                    "The key comes from {}; change it there",
                    session::ENV_API_KEY
                ))
                .on_hover_text(
                    "Enter another API key; it replaces the saved one once the server accepts it",
                )
                .clicked()
        {
            send(commands, ConnectionCommand::ReplaceKey);
        }
        if ui
            .add_enabled(!from_env, egui::Button::new("Sign out"))
            .on_hover_text("Remove the saved key from this computer")
            .on_disabled_hover_text(format!(
                "The key comes from {}; unset it to sign out",
                session::ENV_API_KEY
            ))
            .clicked()
        {
            send(commands, ConnectionCommand::SignOut);
        }
    });
}

fn organization_section(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    ui.label(RichText::new("Organization").strong());
    match state.connection.organization() {
        Some((id, name)) if !name.is_empty() => {
            ui.label(name);
            ui.label(RichText::new(id.to_string()).monospace());
        }
        Some((id, _)) => {
            ui.label(RichText::new(id.to_string()).monospace());
        }
        None => {
            ui.label("Not chosen yet.");
        }
    }
    if state.connection.overrides.organization.is_some() {
        ui.label(format!("Set by {}.", session::ENV_ORG_ID));
    } else if state.connection.connection.is_some()
        && ui
            .button("Choose another organization")
            .on_hover_text("Ask the server again which organizations the key belongs to")
            .clicked()
    {
        send(commands, ConnectionCommand::ChangeOrganization);
    }
}

fn server_section(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let connection = &state.connection;
    let open = connection.phase == Phase::BadServer;
    egui::CollapsingHeader::new("Server address (advanced)")
        .default_open(open)
        .show(ui, |ui| {
            ui.label(
                "Only change this if Asteroid support asked you to. Each server has its own saved key.",
            );
            if connection.overrides.base_url.is_some() {
                ui.label(format!(
                    "Set by {}: {}",
                    session::ENV_BASE_URL,
                    connection.base_url
                ));
                return;
            }
            let label = ui.label("Server address");
            let (changed, entered, _) = text_field(ui, label.id, &connection.base_url_input, |edit| {
                edit.desired_width(f32::INFINITY)
            });
            if let Some(text) = changed {
                send(commands, ConnectionCommand::EditBaseUrl(text));
            }
            ui.horizontal(|ui| {
                if ui.button("Save address").clicked() || entered {
                    send(commands, ConnectionCommand::SaveBaseUrl);
                }
                if ui.button("Use the default").clicked() {
                    send(commands, ConnectionCommand::ResetBaseUrl);
                }
            });
            if let Some(error) = &connection.base_url_error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
        });
}
