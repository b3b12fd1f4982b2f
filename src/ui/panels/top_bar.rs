//! The top bar: title, organization, "Add files…", About, Settings, and the notices.

use egui::RichText;

use crate::t;
use crate::ui::command::{Command, UploadsCommand, ViewCommand};
use crate::ui::state::{NoticeLevel, State};

/// Title, organization, buttons, and the notices under them.
pub fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            // Everything left to right, so that Tab goes the way the eye reads: the
            // organization takes the width the buttons leave and is cut short (full on
            // hover), so a long name or a bare ID never runs under them. The buttons'
            // width is the one they took last time (a pass is redone when it changed).
            let width_id = egui::Id::unique("top_bar_buttons_width");
            let labels = labels(state);
            let buttons_width = ui
                .data(|d| d.get_temp::<f32>(width_id))
                .unwrap_or_else(|| estimated_width(ui, &labels));
            let spacing = ui.spacing().item_spacing.x;
            // The title gives way to the buttons in a narrow window (the window's own
            // title bar still says it): long German or French labels stay inside at 640 px.
            let title = t!("window-title");
            let title_width = text_width(ui, &title, egui::TextStyle::Heading);
            if ui.available_width() >= title_width + spacing + buttons_width {
                ui.heading(title);
            }
            let organization_width = (ui.available_width() - buttons_width - spacing).max(0.0);
            let height = ui.spacing().interact_size.y;
            ui.allocate_ui_with_layout(
                egui::vec2(organization_width, height),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.set_width(organization_width);
                    organization(ui, state);
                },
            );
            let drawn = ui
                .horizontal(|ui| buttons(ui, &labels, commands))
                .response
                .rect
                .width();
            if (drawn - buttons_width).abs() > 0.5 {
                ui.data_mut(|d| d.insert_temp(width_id, drawn));
                ui.ctx()
                    .request_discard("the top bar's buttons changed width");
            }
        });
        notices(ui, state, commands);
        ui.add_space(4.0);
    });
}

/// The buttons' texts, left to right: Add files…, Add folder…, About, Settings.
fn labels(state: &State) -> [String; 4] {
    [
        t!("top-bar-add-files"),
        t!("top-bar-add-folder"),
        t!("top-bar-about"),
        if state.view.settings_open {
            t!("top-bar-close-settings")
        } else {
            t!("top-bar-settings")
        },
    ]
}

/// The buttons' width before they were ever drawn: their texts, padding and spacing.
fn estimated_width(ui: &egui::Ui, labels: &[String]) -> f32 {
    let padding = 2.0 * ui.spacing().button_padding.x;
    let texts: f32 = labels
        .iter()
        .map(|label| text_width(ui, label, egui::TextStyle::Button) + padding)
        .sum();
    texts + ui.spacing().item_spacing.x * labels.len().saturating_sub(1) as f32
}

/// How wide `text` is on one line in `style`.
fn text_width(ui: &egui::Ui, text: &str, style: egui::TextStyle) -> f32 {
    let font = style.resolve(ui.style());
    ui.fonts_mut(|fonts| {
        fonts
            .layout_no_wrap(text.to_owned(), font, egui::Color32::PLACEHOLDER)
            .size()
            .x
    })
}

/// The organization in use, cut short to the width it is given.
fn organization(ui: &mut egui::Ui, state: &State) {
    if let Some((id, name)) = state.connection.organization() {
        let shown = if name.is_empty() {
            id.to_string()
        } else {
            name.to_owned()
        };
        ui.add(
            egui::Label::new(RichText::new(t!("top-bar-organization", name = shown)).weak())
                .truncate(),
        )
        .on_hover_text(t!("top-bar-organization-hover", id = id.to_string()));
    }
}

/// "Add files…" and "Add folder…" (their shortcuts in the tooltips), About and Settings.
fn buttons(ui: &mut egui::Ui, labels: &[String; 4], commands: &mut Vec<Command>) {
    let [add_files, add_folder, about, settings] = labels;
    if ui
        .button(add_files.as_str())
        .on_hover_text(t!("top-bar-add-files-hover"))
        .clicked()
    {
        commands.push(Command::Uploads(UploadsCommand::PickFiles));
    }
    if ui
        .button(add_folder.as_str())
        .on_hover_text(t!("top-bar-add-folder-hover"))
        .clicked()
    {
        commands.push(Command::Uploads(UploadsCommand::PickFolder));
    }
    if ui
        .button(about.as_str())
        .on_hover_text(t!("top-bar-about-hover"))
        .clicked()
    {
        commands.push(Command::View(ViewCommand::ToggleAbout));
    }
    if ui
        .button(settings.as_str())
        .on_hover_text(t!("top-bar-settings-hover"))
        .clicked()
    {
        commands.push(Command::View(ViewCommand::ToggleSettings));
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
                    let dismiss = ui.button(t!("top-bar-dismiss"));
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
