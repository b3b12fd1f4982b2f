//! The steps before work: the API key and the organization.

use egui::RichText;

use super::text_field;
use crate::t;
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
            Phase::LoadingKey => busy(ui, t!("key-setup-loading")),
            Phase::CheckingKey => match &connection.network_wait {
                Some(wait) => network_wait(ui, wait, state.instant, commands),
                None => busy(
                    ui,
                    t!("key-setup-checking", host = connection.base_url.host()),
                ),
            },
            Phase::SavingKey => busy(ui, t!("key-setup-saving")),
            Phase::NeedKey => key_form(ui, state, commands),
            Phase::ChooseOrganization => organization_form(ui, state, commands),
            Phase::BadServer => {
                ui.heading(t!("key-setup-bad-server"));
                if let Some(problem) = &connection.base_url_problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                ui.label(t!("key-setup-bad-server-hint"));
            }
            Phase::Ready => {}
        }
        let waiting = state.uploads.waiting();
        if waiting > 0 {
            ui.add_space(12.0);
            ui.label(t!("key-setup-files-waiting", count = waiting));
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
        t!("key-setup-trying-again-now")
    } else {
        t!("key-setup-trying-again-in", seconds = left.as_secs() + 1)
    };
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(
            RichText::new(t!(
                "key-setup-network-wait",
                reason = wait.reason.to_string(),
                when = when
            ))
            .color(ui.visuals().warn_fg_color),
        );
    });
    ui.label(t!("key-setup-network-wait-hint"));
    ui.horizontal(|ui| {
        if ui
            .button(t!("key-setup-retry-now"))
            .on_hover_text(t!("key-setup-retry-now-hover"))
            .clicked()
        {
            send(commands, ConnectionCommand::RetryConnectionNow);
        }
        if ui
            .button(t!("key-setup-stop-waiting"))
            .on_hover_text(t!("key-setup-stop-waiting-hover"))
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
        t!("key-setup-replace-heading")
    } else {
        t!("key-setup-connect-heading")
    });
    ui.add_space(6.0);
    ui.label(t!("key-setup-where-to-find"));
    ui.hyperlink_to(
        t!("key-setup-open-platform"),
        "https://platform.asteroid.ai",
    );
    ui.add_space(8.0);

    if let Some(problem) = &form.keychain_problem {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.colored_label(ui.visuals().warn_fg_color, problem.to_string());
            ui.horizontal(|ui| {
                if ui
                    .button(t!("key-setup-session-only"))
                    .on_hover_text(t!("key-setup-session-only-hover"))
                    .clicked()
                {
                    send(commands, ConnectionCommand::UseKeyForSessionOnly);
                }
                if ui.button(t!("key-setup-retry-keychain")).clicked() {
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

    let label = ui.label(t!("key-setup-key"));
    let mut submit = false;
    ui.horizontal(|ui| {
        let (changed, entered, field) = text_field(ui, label.id, &form.input, |edit| {
            edit.password(!form.show)
                .hint_text(t!("key-setup-key-hint"))
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
            .button(t!("key-setup-paste"))
            .on_hover_text(t!("key-setup-paste-hover"))
            .clicked()
        {
            ui.memory_mut(|m| m.request_focus(field_id));
            ui.send_viewport_cmd(egui::ViewportCommand::RequestPaste);
        }
        let toggle = if form.show {
            t!("key-setup-hide")
        } else {
            t!("key-setup-show")
        };
        if ui
            .button(toggle)
            .on_hover_text(t!("key-setup-show-hover"))
            .clicked()
        {
            send(commands, ConnectionCommand::ToggleShowKey);
        }
    });
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if ui.button(t!("key-setup-check-and-save")).clicked() {
            submit = true;
        }
        if form.replacing && ui.button(t!("key-setup-keep-current")).clicked() {
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
        RichText::new(t!(
            "key-setup-kept-in",
            store = state.connection.key_store.describe()
        ))
        .weak(),
    );
}

fn organization_form(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let form = &state.connection.organization_form;
    ui.horizontal(|ui| {
        ui.heading(t!("key-setup-choose-organization"));
        if state.connection.organization_before_change.is_some()
            && ui
                .button(t!("key-setup-cancel"))
                .on_hover_text(t!("key-setup-cancel-hover"))
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
            t!(
                "key-setup-organization-choice",
                name = organization.name.as_str(),
                id = organization.id.as_str()
            )
        };
        if ui.button(text).clicked() {
            send(
                commands,
                ConnectionCommand::ChooseOrganization(organization.clone()),
            );
        }
    }
    ui.add_space(10.0);
    let label = ui.label(t!("key-setup-organization-id"));
    ui.horizontal(|ui| {
        let (changed, entered, _) = text_field(ui, label.id, &form.input, |edit| {
            edit.hint_text(t!("key-setup-organization-id-hint"))
                .desired_width(340.0)
        });
        if let Some(text) = changed {
            send(commands, ConnectionCommand::EditOrganization(text));
        }
        if ui.button(t!("key-setup-use-organization")).clicked() || entered {
            send(commands, ConnectionCommand::SubmitManualOrganization);
        }
    });
    if let Some(error) = &form.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
}
