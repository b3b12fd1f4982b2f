//! The steps before work: the API key and the organization.

use egui::RichText;

use super::text_field;
use crate::ui::command::{Command, ConnectionCommand};
use crate::ui::state::{ConnectionWait, Phase, State};

fn send(commands: &mut Vec<Command>, command: ConnectionCommand) {
    commands.push(Command::Connection(command));
}

/// Everything before the work screen.
pub fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let connection = &state.connection;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.set_max_width(620.0);
        match connection.phase {
            Phase::LoadingKey => busy(ui, "Looking for your API key in the keychain…".into()),
            Phase::CheckingKey => match &connection.network_wait {
                Some(wait) => network_wait(ui, wait, state.instant, commands),
                None => busy(
                    ui,
                    format!("Checking the API key with {}…", connection.base_url.host()),
                ),
            },
            Phase::SavingKey => busy(ui, "The key works. Saving it in the keychain…".into()),
            Phase::NeedKey => key_form(ui, state, commands),
            Phase::ChooseOrganization => organization_form(ui, state, commands),
            Phase::BadServer => {
                ui.heading("The server address is not valid");
                if let Some(problem) = &connection.base_url_problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                ui.label("Correct it in Settings, or use the default address.");
            }
            Phase::Ready => {}
        }
        let waiting = state.uploads.waiting();
        if waiting > 0 {
            ui.add_space(12.0);
            ui.label(if waiting == 1 {
                "1 file is waiting; it is sent as soon as the key and organization are set."
                    .to_owned()
            } else {
                format!(
                    "{waiting} files are waiting; they are sent as soon as the key and organization are set."
                )
            });
        }
    });
}

/// The server could not be reached: the key is kept, and checked again on its own.
fn network_wait(
    ui: &mut egui::Ui,
    wait: &ConnectionWait,
    now: std::time::Instant,
    commands: &mut Vec<Command>,
) {
    let left = wait.retry_at.saturating_duration_since(now);
    let when = if left.is_zero() {
        "trying again now".to_owned()
    } else {
        format!("trying again in {} s", left.as_secs() + 1)
    };
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(
            RichText::new(format!("Waiting for the network ({})… {when}", wait.reason))
                .color(ui.visuals().warn_fg_color),
        );
    });
    ui.label("The key is checked as soon as the server answers; files you add meanwhile wait.");
    ui.horizontal(|ui| {
        if ui
            .button("Retry now")
            .on_hover_text("Try to reach the server again at once")
            .clicked()
        {
            send(commands, ConnectionCommand::RetryConnectionNow);
        }
        if ui
            .button("Stop waiting")
            .on_hover_text("Stop trying, to enter another key or change the server in Settings")
            .clicked()
        {
            send(commands, ConnectionCommand::StopWaitingForNetwork);
        }
    });
}

fn busy(ui: &mut egui::Ui, text: String) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(text);
    });
}

fn key_form(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let form = &state.connection.key_form;
    ui.heading(if form.replacing {
        "Replace the API key"
    } else {
        "Connect to Asteroid"
    });
    ui.add_space(6.0);
    ui.label(
        "To stage files, this app needs your Asteroid API key. You find it at platform.asteroid.ai → your profile (top right) → API Keys. Copy the key there and paste it below.",
    );
    ui.hyperlink_to("Open platform.asteroid.ai", "https://platform.asteroid.ai");
    ui.add_space(8.0);

    if let Some(problem) = &form.keychain_problem {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.colored_label(ui.visuals().warn_fg_color, problem.to_string());
            ui.horizontal(|ui| {
                if ui
                    .button("Use the key for this session only")
                    .on_hover_text(
                        "The key is kept in memory until you close the window, never on disk",
                    )
                    .clicked()
                {
                    send(commands, ConnectionCommand::UseKeyForSessionOnly);
                }
                if ui.button("Try the keychain again").clicked() {
                    send(commands, ConnectionCommand::RetryKeychain);
                }
            });
        });
        ui.add_space(8.0);
        if form.accepted_waiting {
            // The key is already checked; only where to keep it is open.
            return;
        }
    }

    let label = ui.label("API key");
    let mut submit = false;
    ui.horizontal(|ui| {
        let (changed, entered, field) = text_field(ui, label.id, &form.input, |edit| {
            edit.password(!form.show)
                .hint_text("Paste your API key here")
                .desired_width(360.0)
        });
        if let Some(text) = changed {
            send(commands, ConnectionCommand::EditKey(text.into()));
        }
        submit |= entered;
        let field_id = field.id;
        // The form's first showing: the key field takes the keyboard, so Ctrl+V pastes
        // the key at once. Once only, so clicking elsewhere is not undone.
        let focused_once = egui::Id::unique("key field focused once");
        if !ui.data(|d| d.get_temp::<bool>(focused_once).unwrap_or(false)) {
            ui.data_mut(|d| d.insert_temp(focused_once, true));
            if ui.memory(|m| m.focused().is_none()) {
                field.request_focus();
            }
        }
        if ui
            .button("Paste")
            .on_hover_text("Paste the key from the clipboard")
            .clicked()
        {
            ui.memory_mut(|m| m.request_focus(field_id));
            ui.send_viewport_cmd(egui::ViewportCommand::RequestPaste);
        }
        let toggle = if form.show { "Hide" } else { "Show" };
        if ui
            .button(toggle)
            .on_hover_text("Show or hide the key's characters")
            .clicked()
        {
            send(commands, ConnectionCommand::ToggleShowKey);
        }
    });
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if ui.button("Check and save key").clicked() {
            submit = true;
        }
        if form.replacing && ui.button("Keep the current key").clicked() {
            send(commands, ConnectionCommand::CancelReplaceKey);
        }
    });
    if submit {
        send(commands, ConnectionCommand::SubmitKey);
    }
    if let Some(error) = &form.error {
        ui.add_space(6.0);
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    ui.add_space(10.0);
    if form.keychain_problem.is_some() {
        return;
    }
    ui.label(
        RichText::new(format!(
            "The key is checked with the server, then kept in {} — never in a file.",
            state.connection.key_store.describe()
        ))
        .weak(),
    );
}

fn organization_form(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let form = &state.connection.organization_form;
    ui.horizontal(|ui| {
        ui.heading("Choose the organization");
        if state.connection.organization_before_change.is_some()
            && ui
                .button("Cancel")
                .on_hover_text("Keep the organization in use and go back to the list")
                .clicked()
        {
            send(commands, ConnectionCommand::KeepOrganization);
        }
    });
    if let Some(message) = &form.message {
        ui.label(message);
    }
    ui.add_space(6.0);
    for organization in &form.choices {
        let text = if organization.name.is_empty() {
            organization.id.clone()
        } else {
            format!("{} ({})", organization.name, organization.id)
        };
        if ui.button(text).clicked() {
            send(
                commands,
                ConnectionCommand::ChooseOrganization(organization.clone()),
            );
        }
    }
    ui.add_space(10.0);
    let label = ui.label("Or enter an organization ID");
    ui.horizontal(|ui| {
        let (changed, entered, _) = text_field(ui, label.id, &form.input, |edit| {
            edit.hint_text("the organization's ID").desired_width(340.0)
        });
        if let Some(text) = changed {
            send(commands, ConnectionCommand::EditOrganization(text));
        }
        if ui.button("Use this organization").clicked() || entered {
            send(commands, ConnectionCommand::SubmitManualOrganization);
        }
    });
    if let Some(error) = &form.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
}
