//! The staged files, in groups (one per drop, pick or paste), newest first: each file
//! with its ID, a Copy button and the time left before the API deletes it; a filter, a
//! selection across groups, and staging again once expired.

use egui::{Color32, RichText};

use super::{fixed_cell, text_field};
use crate::format;
use crate::history::HistoryEntry;
use crate::t;
use crate::ui::command::{Command, CopyWhat, StageAgain, StagedCommand};
use crate::ui::state::{EXPIRING_SOON, GroupView, ListRow, SameNames, State};

/// The form "tempFiles JSON" stands for, shown in the copy buttons' tooltips (the words
/// around it are the catalogue's).
const TEMP_FILES_FORM: &str = r#"{"tempFiles":[{"id":"…","name":"…"}]}"#;

fn send(commands: &mut Vec<Command>, command: StagedCommand) {
    commands.push(Command::Staged(command));
}

/// Where Ctrl+F puts the keyboard.
pub fn filter_id() -> egui::Id {
    egui::Id::unique("staged_filter")
}

/// The staged list with its buttons.
pub fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let staged = &state.staged;
    ui.horizontal(|ui| {
        ui.heading(t!("staged-heading"));
        // Wrapped, not pushing the list wider than the window (Japanese at 640 px did).
        let kept = RichText::new(t!("staged-kept-for", lifetime = format::lifetime())).weak();
        ui.add(egui::Label::new(kept).wrap());
    });
    if !staged.elsewhere.is_empty() {
        // Their IDs are valid only there: not listed, never copied, but not a secret either.
        ui.label(RichText::new(t!("staged-elsewhere", count = staged.elsewhere.len())).weak());
    }
    if staged.entries.is_empty() {
        ui.label(t!("staged-empty"));
        return;
    }
    let live = staged.live;
    let expired = staged.entries.len() - live;
    toolbar(ui, state, commands, live, expired);
    if let Some(question) = &staged.confirm_copy {
        same_names_question(ui, question, commands);
    }
    // Always drawn, greyed out while nothing is ticked: ticking a box never shifts the
    // list under the cursor.
    selection_bar(ui, state, commands);
    if staged.confirm_clear_all {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(t!(
                "staged-clear-all-question",
                count = staged.entries.len()
            ));
            ui.horizontal(|ui| {
                if ui.button(t!("staged-clear-all-yes")).clicked() {
                    send(commands, StagedCommand::ClearAll);
                }
                if ui.button(t!("staged-clear-all-no")).clicked() {
                    send(commands, StagedCommand::KeepAll);
                }
            });
        });
    }
    ui.add_space(4.0);
    if staged.rows.is_empty() {
        ui.label(t!("staged-no-match", filter = staged.filter.as_str()));
        return;
    }
    let row_height = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
    let jump = list_key(ui, state);
    egui::ScrollArea::vertical()
        .id_salt("staged_rows")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, staged.rows.len(), |ui, range| {
            if let Some(jump) = jump {
                // What the list shows at once, less a row kept in view as the thread.
                let page = (ui.clip_rect().height() - row_height).max(row_height);
                let all = row_height * staged.rows.len() as f32;
                // Positive moves the rows down, showing those above.
                let delta = match jump {
                    Jump::PageUp => page,
                    Jump::PageDown => -page,
                    Jump::Top => all,
                    Jump::Bottom => -all,
                };
                ui.scroll_with_delta_animation(
                    egui::vec2(0.0, delta),
                    egui::style::ScrollAnimation::none(),
                );
            }
            for row in &staged.rows[range] {
                match *row {
                    ListRow::Group(g) => {
                        if let Some(group) = staged.groups.get(g) {
                            group_header(ui, state, group, commands);
                        }
                    }
                    ListRow::Entry(i) => {
                        if let Some(entry) = staged.entries.get(i) {
                            staged_row(ui, state, entry, commands);
                        }
                    }
                }
            }
        });
}

/// Where a key moves the staged list.
#[derive(Debug, Clone, Copy)]
enum Jump {
    PageUp,
    PageDown,
    Top,
    Bottom,
}

/// PageUp, PageDown, Home or End, taken for the list when no text field has the keyboard
/// (there they move the cursor) and no dialog is over the list.
fn list_key(ui: &egui::Ui, state: &State) -> Option<Jump> {
    if ui.ctx().text_edit_focused() || state.view.settings_open || state.view.about_open {
        return None;
    }
    let keys = [
        (egui::Key::PageUp, Jump::PageUp),
        (egui::Key::PageDown, Jump::PageDown),
        (egui::Key::Home, Jump::Top),
        (egui::Key::End, Jump::Bottom),
    ];
    ui.input_mut(|input| {
        keys.into_iter()
            .find(|(key, _)| input.consume_key(egui::Modifiers::NONE, *key))
            .map(|(_, jump)| jump)
    })
}

/// A row's widget that takes the keyboard (Tab) is scrolled into view with a row's room
/// above and below: the list follows the focus, and the next row is drawn, so the next
/// Tab finds it (the list draws only the rows in view).
fn follow_focus(ui: &egui::Ui, response: &egui::Response) {
    if response.gained_focus() {
        let room = response.rect.height() + ui.spacing().item_spacing.y;
        ui.scroll_to_rect(response.rect.expand2(egui::vec2(0.0, room)), None);
    }
}

fn toolbar(
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

fn selection_bar(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
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
fn limit_warning(ui: &mut egui::Ui, bytes: u64) {
    if bytes > crate::EXECUTION_UPLOAD_LIMIT {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            t!("staged-over-limit", limit = format::execution_limit()),
        );
    }
}

fn group_header(ui: &mut egui::Ui, state: &State, group: &GroupView, commands: &mut Vec<Command>) {
    let now = state.now;
    let entries = &state.staged.entries;
    let members = || group.members.iter().filter_map(|&i| entries.get(i));
    let live = members().filter(|e| !e.is_expired(now)).count();
    let expired = group.members.len() - live;
    ui.horizontal(|ui| {
        let (count, size) = (group.members.len(), format::human_bytes(group.bytes));
        let title = match group.created_at {
            Some(at) => t!(
                "staged-group-title",
                group = group.label.as_str(),
                time = format::when(at, now),
                count = count,
                size = size
            ),
            None => t!(
                "staged-group-title-undated",
                group = group.label.as_str(),
                count = count,
                size = size
            ),
        };
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if expired > 0 {
                let idle =
                    members().any(|e| e.is_expired(now) && !state.staged.is_restaging(&e.id));
                let again = ui
                    .add_enabled(
                        idle,
                        egui::Button::new(t!("staged-stage-expired-again")).small(),
                    )
                    .on_hover_text(t!("staged-group-stage-again-hover"));
                let spoken = t!("staged-group-stage-again-name", group = title.as_str());
                again.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, idle, &spoken));
                follow_focus(ui, &again);
                if again.clicked() {
                    send(
                        commands,
                        StagedCommand::StageAgain(StageAgain::Group(group.key.clone())),
                    );
                }
            }
            let key = group.key.clone();
            let select = ui.add_enabled(live > 0, egui::Button::new(t!("staged-select")).small());
            let spoken = t!("staged-select-name", name = title.as_str());
            select.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, live > 0, &spoken));
            follow_focus(ui, &select);
            if select.clicked() {
                send(commands, StagedCommand::SelectGroup(key.clone()));
            }
            let button = ui
                .add_enabled(
                    live > 0,
                    egui::Button::new(t!("staged-group-copy-json")).small(),
                )
                .on_hover_text(t!("staged-group-copy-json-hover", json = TEMP_FILES_FORM));
            let spoken = t!("staged-group-copy-json-name", group = title.as_str());
            button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, live > 0, &spoken));
            follow_focus(ui, &button);
            if button.clicked() {
                send(commands, StagedCommand::Copy(CopyWhat::Group(key)));
            }
            limit_warning(ui, group.bytes);
            // The title takes what is left, cut at its end (the full title on hover).
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                ui.add(egui::Label::new(RichText::new(&title).strong()).truncate());
            });
        });
    });
}

fn staged_row(ui: &mut egui::Ui, state: &State, entry: &HistoryEntry, commands: &mut Vec<Command>) {
    let now = state.now;
    let expired = entry.is_expired(now);
    let left = entry.time_left(now);
    // The path inside its folder tells two `page1.pdf` apart; the server's name is what
    // the execute call gets, and is shown on hover.
    // Control characters in a name are shown escaped, never acted on.
    let shown = format::display_name(
        entry
            .source
            .as_ref()
            .map_or(entry.name.as_str(), |s| s.relative_path.as_str()),
    );
    let shown = shown.as_ref();
    ui.horizontal(|ui| {
        ui.add_space(12.0);
        let mut selected = state.staged.selected.contains(&entry.id);
        let check = ui.add_enabled(!expired, egui::Checkbox::without_text(&mut selected));
        let spoken = t!("staged-select-name", name = shown);
        check.widget_info(|| {
            egui::WidgetInfo::selected(egui::Role::CheckBox, !expired, selected, &spoken)
        });
        follow_focus(ui, &check);
        if check.clicked() {
            send(commands, StagedCommand::ToggleSelected(entry.id.clone()));
        }
        let width = ui.available_width();
        let name_width = (width * 0.3).max(100.0);
        let name = if expired {
            RichText::new(shown).weak().strikethrough()
        } else {
            RichText::new(shown).strong()
        };
        let cut = super::middle_cut(ui, shown, name_width);
        let name = if cut == shown {
            name
        } else if expired {
            RichText::new(cut).weak().strikethrough()
        } else {
            RichText::new(cut).strong()
        };
        fixed_cell(ui, name_width, name).on_hover_text(t!(
            "staged-staged-as",
            name = format::display_name(&entry.name).into_owned(),
            size = format::human_bytes(entry.size)
        ));
        let id = RichText::new(&entry.id).monospace();
        let id = if expired { id.weak() } else { id };
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if expired {
                if entry.source.is_some() {
                    // Disabled while it is being staged again: one new copy, not two.
                    let idle = !state.staged.is_restaging(&entry.id);
                    let hover = if idle {
                        t!("staged-stage-again-hover")
                    } else {
                        t!("staged-restaging-hover")
                    };
                    let again = ui
                        .add_enabled(idle, egui::Button::new(t!("staged-stage-again")))
                        .on_hover_text(&hover)
                        .on_disabled_hover_text(&hover);
                    let spoken = t!("staged-stage-again-name", name = shown);
                    again.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, idle, &spoken)
                    });
                    follow_focus(ui, &again);
                    if again.clicked() {
                        send(
                            commands,
                            StagedCommand::StageAgain(StageAgain::One(entry.id.clone())),
                        );
                    }
                }
                ui.label(RichText::new(t!("staged-expired")).weak().italics());
            } else {
                // Every row has a "Copy" button: the accessible name says whose ID it copies.
                let spoken = t!("staged-copy-name", name = shown);
                let button = ui.button(t!("staged-copy")).on_hover_text(&spoken);
                button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &spoken));
                follow_focus(ui, &button);
                if button.clicked() {
                    send(
                        commands,
                        StagedCommand::Copy(CopyWhat::Id(entry.id.clone())),
                    );
                }
                let countdown = RichText::new(format::expires_in(left));
                // Under five minutes left: stands out, to use or stage again now.
                let countdown = if left < EXPIRING_SOON {
                    countdown.color(ui.visuals().warn_fg_color).strong()
                } else {
                    countdown.color(Color32::GRAY)
                };
                ui.label(countdown);
            }
            // The ID takes what is left between the name and the buttons, never more.
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                // A cut ID shows itself whole on hover (egui's own tooltip): one, not two.
                ui.add(egui::Label::new(id).truncate());
            });
        });
    });
}

/// A copy button's parts.
struct CopyButton<'a> {
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
fn copy_button(ui: &mut egui::Ui, commands: &mut Vec<Command>, button: CopyButton<'_>) {
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
fn steady_width(ui: &egui::Ui, labels: &[&str]) -> f32 {
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

/// A copy's question when its files share names: the execute call would get one name for
/// several files.
fn same_names_question(ui: &egui::Ui, question: &SameNames, commands: &mut Vec<Command>) {
    egui::Window::new(t!("staged-same-names-title"))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ui.ctx(), |ui| {
            let names = question
                .names
                .iter()
                .map(|(name, count)| {
                    t!(
                        "staged-same-names-one",
                        count = *count,
                        name = name.as_str()
                    )
                })
                .collect::<Vec<_>>()
                .join(&t!("staged-list-separator"));
            ui.label(t!(
                "staged-same-names-question",
                count = question.files,
                names = names
            ));
            ui.label(t!("staged-same-names-explain"));
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button(t!("staged-copy-anyway")).clicked() {
                    send(commands, StagedCommand::CopyAnyway);
                }
                if ui.button(t!("staged-dont-copy")).clicked() {
                    send(commands, StagedCommand::KeepCopy);
                }
            });
        });
}

/// A small notice at the bottom of the window for a moment after a copy: it covers
/// nothing one clicks and changes no label's width.
pub fn copy_toast(ctx: &egui::Context, state: &State) {
    let Some((what, _)) = &state.staged.copied else {
        return;
    };
    if !state.staged.is_copied(what, state.instant) {
        return;
    }
    let text = match what {
        CopyWhat::Id(id) => state
            .staged
            .entries
            .iter()
            .find(|e| &e.id == id)
            .map(|entry| t!("staged-copied-id", name = row_name(entry)))
            .unwrap_or_else(|| t!("staged-copied")),
        _ => t!("staged-copied"),
    };
    egui::Area::new(egui::Id::unique("copy_toast"))
        .order(egui::Order::Tooltip)
        .interactable(false)
        .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -16.0))
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new("✔").color(Color32::from_rgb(0x3a, 0xa5, 0x5d)));
                    ui.label(text);
                });
            });
        });
}

/// The name a row shows: the path inside its folder tells two `page1.pdf` apart.
/// Control characters in a name are shown escaped, never acted on.
fn row_name(entry: &HistoryEntry) -> String {
    format::display_name(
        entry
            .source
            .as_ref()
            .map_or(entry.name.as_str(), |s| s.relative_path.as_str()),
    )
    .into_owned()
}
