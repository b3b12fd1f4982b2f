//! Settings: the key (where it is kept, replace, sign out), the organization, the server
//! address (advanced) and where the app keeps its files.

use egui::RichText;

use super::text_field;
use crate::messages::Language;
use crate::session::{self, KeySource};
use crate::t;
use crate::ui::command::{Command, ConnectionCommand, ViewCommand};
use crate::ui::state::{ConnectionState, Phase, State};

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
            ui.heading(t!("settings-title"));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(t!("settings-close")).clicked() {
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
                ui.label(RichText::new(t!("settings-notifications")).strong());
                let mut notify = state.connection.settings.notify_when_staged;
                if ui
                    .checkbox(&mut notify, t!("settings-notify-when-staged"))
                    .changed()
                {
                    send(commands, ConnectionCommand::ToggleNotifications);
                }
                ui.separator();
                language_section(ui, state, commands);
                ui.separator();
                ui.label(RichText::new(t!("settings-files")).strong());
                ui.label(t!(
                    "settings-history-file",
                    path = state.staged.history_path.display().to_string()
                ));
                ui.label(t!(
                    "settings-settings-file",
                    path = state.settings_path.display().to_string()
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
    let heading = ui.label(RichText::new(t!("settings-language")).strong());
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
        })
        // Named by its heading, for screen readers.
        .response
        .labelled_by(heading.id);
}

/// Signing out forgets the key: asked first, with the safe answer as the default place.
fn sign_out_question(ctx: &egui::Context, state: &State, commands: &mut Vec<Command>) {
    let answer = egui::Modal::new(egui::Id::unique("sign_out_question")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading(t!("settings-sign-out-question"));
        ui.label(t!(
            "settings-sign-out-explain",
            store = state.connection.key_store.describe()
        ));
        ui.label(RichText::new(t!("settings-sign-out-files-kept")).weak());
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button(t!("settings-cancel")).clicked() {
                commands.push(Command::View(ViewCommand::KeepKey));
            }
            if ui.button(t!("settings-sign-out-confirm")).clicked() {
                commands.push(Command::View(ViewCommand::KeepKey));
                send(commands, ConnectionCommand::SignOut);
            }
        });
    });
    if answer.should_close() {
        commands.push(Command::View(ViewCommand::KeepKey));
    }
}

/// What Settings say about the key: read from the same state as the window's steps and
/// the top bar, so that the two never disagree (a key being checked, or one waiting for
/// the organization to be chosen, is not "No key yet.").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyStatus {
    /// `ASTEROID_API_KEY`'s, in use or checked.
    Environment,
    /// Kept in the key store: in use, or checked and waiting for the organization.
    Kept,
    /// Looking in the key store.
    Looking,
    /// Asking the server about a key.
    Checking,
    /// Waiting for the network to ask the server about a key.
    WaitingForNetwork,
    /// Putting a key the server accepted in the key store.
    Saving,
    /// The server accepted a key the key store would not take.
    NotSaved,
    /// No key is looked up until the server address is valid.
    AfterServer,
    /// No key at all.
    Missing,
}

fn key_status(connection: &ConnectionState) -> KeyStatus {
    match connection.key_source() {
        Some(KeySource::Environment) => return KeyStatus::Environment,
        Some(KeySource::Stored | KeySource::Typed) => return KeyStatus::Kept,
        None => {}
    }
    match connection.phase {
        Phase::LoadingKey => KeyStatus::Looking,
        Phase::CheckingKey if connection.network_wait.is_some() => KeyStatus::WaitingForNetwork,
        Phase::CheckingKey => KeyStatus::Checking,
        Phase::SavingKey => KeyStatus::Saving,
        // The key was checked, and kept unless it is the environment's: only the
        // organization is still open ("Choose another organization", or several).
        Phase::ChooseOrganization if environment_key(connection) => KeyStatus::Environment,
        Phase::ChooseOrganization => KeyStatus::Kept,
        Phase::NeedKey if connection.key_form.accepted_waiting => KeyStatus::NotSaved,
        Phase::BadServer => KeyStatus::AfterServer,
        Phase::NeedKey | Phase::Ready => KeyStatus::Missing,
    }
}

/// Whether `ASTEROID_API_KEY` holds a usable key (the one the window then uses).
fn environment_key(connection: &ConnectionState) -> bool {
    matches!(connection.overrides.api_key(), Some(Ok(_)))
}

fn key_section(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let connection = &state.connection;
    let store = || connection.key_store.describe();
    ui.label(RichText::new(t!("settings-api-key")).strong());
    let status = key_status(connection);
    ui.label(match status {
        KeyStatus::Environment => t!(
            "settings-key-from-environment",
            variable = session::ENV_API_KEY
        ),
        KeyStatus::Kept => t!("settings-key-kept", store = store()),
        KeyStatus::Looking => t!("settings-key-looking", store = store()),
        KeyStatus::Checking => t!("settings-key-checking", host = connection.base_url.host()),
        KeyStatus::WaitingForNetwork => t!("settings-key-waiting-for-network"),
        KeyStatus::Saving => t!("settings-key-saving", store = store()),
        KeyStatus::NotSaved => t!("settings-key-not-saved"),
        KeyStatus::AfterServer => t!("settings-key-after-server"),
        KeyStatus::Missing => t!("settings-no-key"),
    });
    if status == KeyStatus::Missing {
        ui.label(t!("settings-key-will-be-kept-in", store = store()));
    }
    if let Some(email) = connection
        .connection
        .as_ref()
        .and_then(|c| c.email.as_ref())
    {
        ui.label(t!("settings-account", email = email.as_str()));
    }
    // The environment's key is changed or unset there, not here.
    let from_env = match connection.key_source() {
        Some(source) => source == KeySource::Environment,
        None => environment_key(connection),
    };
    ui.horizontal_wrapped(|ui| {
        if connection.phase != Phase::NeedKey
            && ui
                .add_enabled(!from_env, egui::Button::new(t!("settings-replace-key")))
                .on_disabled_hover_text(t!(
                    "settings-replace-key-from-environment",
                    variable = session::ENV_API_KEY
                ))
                .on_hover_text(t!("settings-replace-key-hover"))
                .clicked()
        {
            send(commands, ConnectionCommand::ReplaceKey);
        }
    });
    // Apart from Replace key…, so that it never takes that button's place, and asked first.
    if matches!(status, KeyStatus::Kept | KeyStatus::Environment) {
        ui.add_space(6.0);
        if ui
            .add_enabled(!from_env, egui::Button::new(t!("settings-sign-out")))
            .on_hover_text(t!("settings-sign-out-hover"))
            .on_disabled_hover_text(t!(
                "settings-sign-out-from-environment",
                variable = session::ENV_API_KEY
            ))
            .clicked()
        {
            commands.push(Command::View(ViewCommand::AskSignOut));
        }
    }
}

fn organization_section(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    ui.label(RichText::new(t!("settings-organization")).strong());
    match state.connection.organization() {
        Some((id, name)) if !name.is_empty() => {
            ui.label(name);
            ui.label(RichText::new(id.to_string()).monospace());
        }
        Some((id, _)) => {
            ui.label(RichText::new(id.to_string()).monospace());
        }
        None => {
            ui.label(t!("settings-organization-not-chosen"));
        }
    }
    if state.connection.overrides.organization.is_some() {
        ui.label(t!(
            "settings-organization-set-by",
            variable = session::ENV_ORG_ID
        ));
    } else if state.connection.connection.is_some()
        && ui
            .button(t!("settings-choose-another-organization"))
            .on_hover_text(t!("settings-choose-another-organization-hover"))
            .clicked()
    {
        send(commands, ConnectionCommand::ChangeOrganization);
    }
}

fn server_section(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let connection = &state.connection;
    let open = connection.phase == Phase::BadServer;
    egui::CollapsingHeader::new(t!("settings-server"))
        .default_open(open)
        .show(ui, |ui| {
            ui.label(t!("settings-server-explain"));
            if connection.overrides.base_url.is_some() {
                ui.label(t!(
                    "settings-server-set-by",
                    variable = session::ENV_BASE_URL,
                    address = connection.base_url.to_string()
                ));
                return;
            }
            let label = ui.label(t!("settings-server-address"));
            let (changed, entered, _) =
                text_field(ui, label.id, &connection.base_url_input, |edit| {
                    edit.desired_width(f32::INFINITY)
                });
            if let Some(text) = changed {
                send(commands, ConnectionCommand::EditBaseUrl(text));
            }
            ui.horizontal(|ui| {
                if ui.button(t!("settings-save-address")).clicked() || entered {
                    send(commands, ConnectionCommand::SaveBaseUrl);
                }
                if ui.button(t!("settings-use-default-address")).clicked() {
                    send(commands, ConnectionCommand::ResetBaseUrl);
                }
            });
            if let Some(error) = &connection.base_url_error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
        });
}
