//! Settings: the key (where it is kept, replace, sign out), the organization, the server
//! address (advanced) and where the app keeps its files.

use egui::RichText;

use super::text_field;
use crate::messages::Language;
use crate::session::{self, KeySource};
use crate::t;
use crate::ui::command::{Command, ConnectionCommand, ViewCommand};
use crate::ui::state::{Phase, State};

fn send(commands: &mut Vec<Command>, command: ConnectionCommand) {
    commands.push(Command::Connection(command));
}

/// Settings, in a dialog over the window: the list keeps its whole width underneath.
/// Escape, a click beside it or Close closes it.
pub fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let ctx = ui.ctx().clone();
    let screen = ctx.content_rect();
    let width = (screen.width() - 48.0).clamp(240.0, 520.0);
    let height = (screen.height() - 96.0).max(160.0);
    let modal = egui::Modal::new(egui::Id::unique("settings")).show(&ctx, |ui| {
        ui.set_width(width);
        ui.horizontal(|ui| {
            ui.heading("Settings");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Close").clicked() {
                    commands.push(Command::View(ViewCommand::ToggleSettings));
                }
            });
        });
        ui.add_space(6.0);
        egui::ScrollArea::vertical()
            .max_height(height)
            .show(ui, |ui| {
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
                language_section(ui, state, commands);
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
    if modal.should_close() && !state.view.confirm_sign_out {
        commands.push(Command::View(ViewCommand::ToggleSettings));
    }
    if state.view.confirm_sign_out {
        sign_out_question(&ctx, state, commands);
    }
}

/// The language every text is worded in: the system's unless the operator picks one.
fn language_section(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    ui.label(RichText::new(t!("settings-language")).strong());
    let chosen = state
        .connection
        .settings
        .language
        .as_deref()
        .and_then(Language::from_code);
    let system = t!(
        "language-system",
        language = Language::from_system().native_name()
    );
    let shown = chosen.map_or(system.clone(), |l| l.native_name().to_string());
    egui::ComboBox::from_id_salt("language")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            if ui.selectable_label(chosen.is_none(), system).clicked() && chosen.is_some() {
                send(commands, ConnectionCommand::ChooseLanguage(None));
            }
            for language in Language::ALL {
                let picked = chosen == Some(language);
                if ui
                    .selectable_label(picked, language.native_name())
                    .clicked()
                    && !picked
                {
                    send(commands, ConnectionCommand::ChooseLanguage(Some(language)));
                }
            }
        });
}

/// Signing out forgets the key: asked first, with the safe answer as the default place.
fn sign_out_question(ctx: &egui::Context, state: &State, commands: &mut Vec<Command>) {
    let answer = egui::Modal::new(egui::Id::unique("sign_out_question")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading("Sign out?");
        ui.label(format!(
            "The API key is removed from {}. To stage files again you will need to paste a key.",
            state.connection.key_store.describe()
        ));
        ui.label(RichText::new("Files already staged keep their IDs and stay in the list.").weak());
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Cancel").clicked() {
                commands.push(Command::View(ViewCommand::KeepKey));
            }
            if ui.button("Sign out and remove the key").clicked() {
                commands.push(Command::View(ViewCommand::KeepKey));
                send(commands, ConnectionCommand::SignOut);
            }
        });
    });
    if answer.should_close() {
        commands.push(Command::View(ViewCommand::KeepKey));
    }
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
    });
    // Apart from Replace key…, so that it never takes that button's place, and asked first.
    if connection.key_source().is_some() {
        ui.add_space(6.0);
        if ui
            .add_enabled(!from_env, egui::Button::new("Sign out…"))
            .on_hover_text("Remove the saved key from this computer (asks first)")
            .on_disabled_hover_text(format!(
                "The key comes from {}; unset it to sign out",
                session::ENV_API_KEY
            ))
            .clicked()
        {
            commands.push(Command::View(ViewCommand::AskSignOut));
        }
    }
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
