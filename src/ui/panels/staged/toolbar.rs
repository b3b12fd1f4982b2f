//! The staged list's buttons: the toolbar above the list (copy all, filter, the "…" menu),
//! the bar for the ticked files, and copy buttons that keep their width.

use egui::{Color32, RichText};

use super::{TEMP_FILES_FORM, filter_id, send};
use crate::format;
use crate::t;
use crate::ui::command::{Command, CopyWhat, StageAgain, StagedCommand};
use crate::ui::panels::{fixed_cell, text_field};
use crate::ui::state::State;

pub(super) fn toolbar(
    ui: &mut egui::Ui,
    state: &State,
    commands: &mut Vec<Command>,
    live: usize,
    expired: usize,
) {
    let staged = &state.staged;
    let filtering = !staged.filter.trim().is_empty();
    // One line from about 760 px; narrower, it wraps rather than pushing the rows' Copy
    // buttons out of the window.
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t!("staged-filter"));
        let (changed, _, _) = text_field(ui, label.id, &staged.filter, |edit| {
            edit.id(filter_id())
                .hint_text(t!("staged-filter-hint"))
                .desired_width(180.0)
        });
        if let Some(text) = changed {
            send(commands, StagedCommand::EditFilter(text));
        }
        // Always there (greyed out without a filter), so nothing beside it moves. "×" is in
        // the bundled font; "✕" is not, and drew as a box where no system font has it.
        let any_filter = !staged.filter.is_empty();
        let clear = ui
            .add_enabled(any_filter, egui::Button::new("×").small())
            .on_hover_text(t!("staged-filter-clear-hover"));
        let clear_name = t!("staged-filter-clear");
        clear
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, any_filter, &clear_name));
        if clear.clicked() {
            send(commands, StagedCommand::EditFilter(String::new()));
        }
        // How many the list shows, in a cell of its own width: the buttons never move.
        let total = staged.entries.len();
        let count = if filtering {
            t!("staged-shown-count", shown = staged.shown, total = total)
        } else {
            t!("count-files", count = total)
        };
        fixed_cell(ui, 110.0, RichText::new(count).weak());
        let (all_ids, shown_ids) = (t!("staged-copy-all-ids"), t!("staged-copy-shown-ids"));
        let (all_json, shown_json) = (t!("staged-copy-all-json"), t!("staged-copy-shown-json"));
        let (ids_label, json_label, ids_hover, json_hover) = if filtering {
            (
                &shown_ids,
                &shown_json,
                t!("staged-copy-shown-ids-hover"),
                t!("staged-copy-shown-json-hover", json = TEMP_FILES_FORM),
            )
        } else {
            (
                &all_ids,
                &all_json,
                t!("staged-copy-all-ids-hover"),
                t!("staged-copy-all-json-hover", json = TEMP_FILES_FORM),
            )
        };
        let any = if filtering {
            staged.shown > 0 && live > 0
        } else {
            live > 0
        };
        copy_button(
            ui,
            commands,
            CopyButton {
                what: CopyWhat::AllIds,
                label: ids_label,
                other_labels: &[&all_ids, &shown_ids],
                hover: &ids_hover,
                enabled: any,
            },
        );
        copy_button(
            ui,
            commands,
            CopyButton {
                what: CopyWhat::Json,
                label: json_label,
                other_labels: &[&all_json, &shown_json],
                hover: &json_hover,
                enabled: any,
            },
        );
        // The rarer actions in a menu: the toolbar stays on one line at 800 px.
        let more = ui.menu_button("…", |ui| {
            if ui
                .add_enabled(
                    expired > staged.restaging(),
                    egui::Button::new(t!("staged-stage-expired-again")),
                )
                .on_hover_text(t!("staged-stage-expired-again-hover"))
                .clicked()
            {
                send(commands, StagedCommand::StageAgain(StageAgain::AllExpired));
                ui.close();
            }
            if ui
                .add_enabled(expired > 0, egui::Button::new(t!("staged-clear-expired")))
                .on_hover_text(t!("staged-clear-expired-hover"))
                .clicked()
            {
                send(commands, StagedCommand::ClearExpired);
                ui.close();
            }
            if ui
                .add_enabled(
                    !staged.confirm_clear_all,
                    egui::Button::new(t!("staged-clear-all")),
                )
                .clicked()
            {
                send(commands, StagedCommand::AskClearAll);
                ui.close();
            }
        });
        let more_name = t!("staged-more");
        more.response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &more_name));
        more.response.on_hover_text(t!("staged-more-hover"));
    });
}

pub(super) fn selection_bar(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let staged = &state.staged;
    let (count, bytes) = staged.selection().fold((0usize, 0u64), |(n, b), e| {
        (n + 1, b.saturating_add(e.size))
    });
    let any = count > 0;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            if any {
                ui.label(t!(
                    "staged-selected",
                    count = count,
                    size = format::human_bytes(bytes)
                ));
            } else {
                ui.label(RichText::new(t!("staged-tick-hint")).weak());
            }
            limit_warning(ui, bytes);
            copy_button(
                ui,
                commands,
                CopyButton {
                    what: CopyWhat::SelectedJson,
                    label: &t!("staged-copy-selected-json"),
                    other_labels: &[],
                    hover: &t!("staged-copy-selected-json-hover", json = TEMP_FILES_FORM),
                    enabled: any,
                },
            );
            copy_button(
                ui,
                commands,
                CopyButton {
                    what: CopyWhat::SelectedIds,
                    label: &t!("staged-copy-selected-ids"),
                    other_labels: &[],
                    hover: &t!("staged-copy-selected-ids-hover"),
                    enabled: any,
                },
            );
            if ui
                .add_enabled(any, egui::Button::new(t!("staged-clear-selection")))
                .clicked()
            {
                send(commands, StagedCommand::ClearSelection);
            }
        });
    });
}

/// Past the limit of an execution, say so where the size is shown.
pub(super) fn limit_warning(ui: &mut egui::Ui, bytes: u64) {
    if bytes > crate::EXECUTION_UPLOAD_LIMIT {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            t!("staged-over-limit", limit = format::execution_limit()),
        );
    }
}

/// A copy button's parts.
pub(super) struct CopyButton<'a> {
    what: CopyWhat,
    /// Its label now.
    label: &'a str,
    /// The labels it has at other times (with or without a filter): it is as wide as the
    /// widest of them, so that nothing beside it moves.
    other_labels: &'a [&'a str],
    hover: &'a str,
    enabled: bool,
}

/// A button that copies (the text is built by the state on the click); the toast says it
/// was copied, so the button keeps its label and width.
pub(super) fn copy_button(ui: &mut egui::Ui, commands: &mut Vec<Command>, button: CopyButton<'_>) {
    let label = button.label;
    let mut labels = vec![button.label];
    labels.extend_from_slice(button.other_labels);
    let width = steady_width(ui, &labels);
    let response = ui
        .add_enabled(
            button.enabled,
            egui::Button::new(label).min_size(egui::vec2(width, 0.0)),
        )
        .on_hover_text(button.hover);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, button.enabled, label));
    if response.clicked() {
        send(commands, StagedCommand::Copy(button.what));
    }
}

/// The width of a button wide enough for each of `labels` (buttons draw their text in the
/// body style, padded on both sides).
pub(super) fn steady_width(ui: &egui::Ui, labels: &[&str]) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let widest = ui.fonts_mut(|fonts| {
        labels
            .iter()
            .map(|label| {
                fonts
                    .layout_no_wrap((*label).to_owned(), font.clone(), Color32::PLACEHOLDER)
                    .size()
                    .x
            })
            .fold(0.0, f32::max)
    });
    widest + 2.0 * ui.spacing().button_padding.x
}
