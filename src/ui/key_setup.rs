//! The top bar, the notices, and the steps before work: the API key and the organization.

use egui::RichText;

use super::app::{Command, NoticeLevel, Phase, StagerApp};

/// Title, organization, "Add files…", "Settings", and the notices under them.
pub fn top_bar(app: &mut StagerApp, ui: &mut egui::Ui) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.heading("Asteroid Stager");
            if let Some((id, name)) = &app.organization {
                let shown = if name.is_empty() {
                    id.to_string()
                } else {
                    name.clone()
                };
                ui.label(RichText::new(format!("Organization: {shown}")).weak())
                    .on_hover_text(format!("Organization ID {id}"));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let label = if app.settings_form.open {
                    "Close settings"
                } else {
                    "Settings"
                };
                if ui
                    .button(label)
                    .on_hover_text("API key, organization and server address")
                    .clicked()
                {
                    app.commands.push(Command::ToggleSettings);
                }
                if ui
                    .button("About")
                    .on_hover_text("Version, server, and where the app keeps its files")
                    .clicked()
                {
                    app.commands.push(Command::ToggleAbout);
                }
                if ui
                    .button("Add files…")
                    .on_hover_text("Choose files to stage (you can also drop them on this window)")
                    .clicked()
                {
                    app.commands.push(Command::PickFiles);
                }
            });
        });
        notices(app, ui);
        ui.add_space(4.0);
    });
}

fn notices(app: &mut StagerApp, ui: &mut egui::Ui) {
    for notice in &app.notices {
        let color = match notice.level {
            NoticeLevel::Info => ui.visuals().hyperlink_color,
            NoticeLevel::Warning => ui.visuals().warn_fg_color,
        };
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.0, color))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let dismiss = ui.button("Dismiss");
                    ui.add(egui::Label::new(RichText::new(&notice.text).color(color)).wrap());
                    if dismiss.clicked() {
                        app.commands.push(Command::DismissNotice(notice.id));
                    }
                });
            });
    }
}

/// Everything before the work screen.
pub fn show(app: &mut StagerApp, ui: &mut egui::Ui) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.set_max_width(620.0);
        match app.phase {
            Phase::LoadingKey => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Looking for your API key in the keychain…");
                });
            }
            Phase::CheckingKey => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Checking the API key with {}…", app.base_url.host()));
                });
            }
            Phase::SavingKey => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("The key works. Saving it in the keychain…");
                });
            }
            Phase::NeedKey => key_form(app, ui),
            Phase::ChooseOrganization => organization_form(app, ui),
            Phase::BadServer => {
                ui.heading("The server address is not valid");
                if let Some(problem) = &app.base_url_problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                ui.label("Correct it in Settings (on the right), or use the default address.");
            }
            Phase::Ready => {}
        }
        let waiting = app.rows.iter().filter(|r| r.is_active()).count() + app.inspecting;
        if waiting > 0 {
            ui.add_space(12.0);
            ui.label(format!(
                "{waiting} file(s) are waiting; they are sent as soon as the key and organization are set."
            ));
        }
    });
}

fn key_form(app: &mut StagerApp, ui: &mut egui::Ui) {
    let form = &mut app.key_form;
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
                    app.commands.push(Command::UseKeyForSessionOnly);
                }
                if ui.button("Try the keychain again").clicked() {
                    app.commands.push(Command::RetryKeychain);
                }
            });
        });
        ui.add_space(8.0);
        if form.accepted.is_some() {
            // The key is already checked; only where to keep it is open.
            return;
        }
    }

    let label = ui.label("API key");
    let mut submit = false;
    ui.horizontal(|ui| {
        let field = ui.add(
            egui::TextEdit::singleline(&mut form.input)
                .password(!form.show)
                .hint_text("Paste your API key here")
                .desired_width(360.0),
        );
        let field = field.labelled_by(label.id);
        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            submit = true;
        }
        let field_id = field.id;
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
            form.show = !form.show;
        }
    });
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if ui.button("Check and save key").clicked() {
            submit = true;
        }
        if form.replacing && ui.button("Keep the current key").clicked() {
            app.commands.push(Command::CancelReplaceKey);
        }
    });
    if submit {
        app.commands.push(Command::SubmitKey);
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
            app.key_store_description()
        ))
        .weak(),
    );
}

fn organization_form(app: &mut StagerApp, ui: &mut egui::Ui) {
    let form = &mut app.organization_form;
    ui.heading("Choose the organization");
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
            app.commands
                .push(Command::ChooseOrganization(organization.clone()));
        }
    }
    ui.add_space(10.0);
    let label = ui.label("Or enter an organization ID");
    ui.horizontal(|ui| {
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut form.manual_input)
                    .hint_text("11111111-2222-3333-4444-555555555555")
                    .desired_width(340.0),
            )
            .labelled_by(label.id);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Use this organization").clicked() || entered {
            app.commands.push(Command::SubmitManualOrganization);
        }
    });
    if let Some(error) = &form.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
}
