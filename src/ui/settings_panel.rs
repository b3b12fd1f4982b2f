//! Settings: the key (where it is kept, replace, sign out), the organization, the server
//! address (advanced) and where the app keeps its files.

use egui::RichText;

use super::app::{Command, KeySource, Phase, StagerApp};
use crate::connection;

pub fn show(app: &mut StagerApp, ui: &mut egui::Ui) {
    egui::Panel::right("settings")
        .resizable(true)
        .default_size(320.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.heading("Settings");
                ui.add_space(6.0);
                key_section(app, ui);
                ui.separator();
                organization_section(app, ui);
                ui.separator();
                server_section(app, ui);
                ui.separator();
                ui.label(RichText::new("Files").strong());
                ui.label(format!(
                    "Staged files are listed in {}",
                    app.history_path().display()
                ));
                ui.label(format!(
                    "Settings are kept in {}",
                    app.paths.settings_file().display()
                ));
            });
        });
}

fn key_section(app: &mut StagerApp, ui: &mut egui::Ui) {
    ui.label(RichText::new("API key").strong());
    match &app.key {
        Some((_, KeySource::Environment)) => {
            ui.label(format!(
                "Taken from the {} environment variable; it is not stored by this app.",
                connection::ENV_API_KEY
            ));
        }
        Some(_) => {
            ui.label(format!("Kept in: {}", app.key_store_description()));
        }
        None => {
            ui.label("No key yet.");
            ui.label(format!(
                "A key you enter is kept in: {}",
                app.key_store_description()
            ));
        }
    }
    if let Some(email) = &app.account_email {
        ui.label(format!("Account: {email}"));
    }
    let from_env = app.overrides.api_key.is_some();
    ui.horizontal_wrapped(|ui| {
        if app.phase != Phase::NeedKey
            && ui
                .add_enabled(!from_env, egui::Button::new("Replace key…"))
                .on_disabled_hover_text(format!(
                    "The key comes from {}; change it there",
                    connection::ENV_API_KEY
                ))
                .on_hover_text(
                    "Enter another API key; it replaces the saved one once the server accepts it",
                )
                .clicked()
        {
            app.commands.push(Command::ReplaceKey);
        }
        if ui
            .add_enabled(!from_env, egui::Button::new("Sign out"))
            .on_hover_text("Remove the saved key from this computer")
            .on_disabled_hover_text(format!(
                "The key comes from {}; unset it to sign out",
                connection::ENV_API_KEY
            ))
            .clicked()
        {
            app.commands.push(Command::SignOut);
        }
    });
}

fn organization_section(app: &mut StagerApp, ui: &mut egui::Ui) {
    ui.label(RichText::new("Organization").strong());
    match &app.organization {
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
    if app.overrides.organization.is_some() {
        ui.label(format!("Set by {}.", connection::ENV_ORG_ID));
    } else if app.key.is_some()
        && ui
            .button("Choose another organization")
            .on_hover_text("Ask the server again which organizations the key belongs to")
            .clicked()
    {
        app.commands.push(Command::ChangeOrganization);
    }
}

fn server_section(app: &mut StagerApp, ui: &mut egui::Ui) {
    let open = app.phase == Phase::BadServer;
    egui::CollapsingHeader::new("Server address (advanced)")
        .default_open(open)
        .show(ui, |ui| {
            ui.label(
                "Only change this if Asteroid support asked you to. Each server has its own saved key.",
            );
            if app.overrides.base_url.is_some() {
                ui.label(format!(
                    "Set by {}: {}",
                    connection::ENV_BASE_URL,
                    app.base_url
                ));
                return;
            }
            let label = ui.label("Server address");
            ui.add(
                egui::TextEdit::singleline(&mut app.settings_form.base_url_input)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            ui.horizontal(|ui| {
                if ui.button("Save address").clicked() {
                    app.commands.push(Command::SaveBaseUrl);
                }
                if ui.button("Use the default").clicked() {
                    app.commands.push(Command::ResetBaseUrl);
                }
            });
            if let Some(error) = &app.settings_form.base_url_error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
        });
}
