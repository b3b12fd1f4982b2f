//! The staged files, in groups (one per drop, pick or paste), newest first: each file
//! with its ID, a Copy button and the time left before the API deletes it; a filter, a
//! selection across groups, and staging again once expired.

use egui::{Color32, RichText};

mod toolbar;

use self::toolbar::{limit_warning, selection_bar, toolbar};
use super::fixed_cell;
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
