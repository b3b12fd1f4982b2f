//! The uploads: one row per file with its progress, speed, time left and, when it failed,
//! why in plain words. Rows are drawn with `show_rows`, so ten thousand files cost the
//! same per frame as ten.

use std::time::Duration;

use egui::{Align2, Color32, FontId, Id, LayerId, Order, RichText};

use super::fixed_cell;
use crate::format;
use crate::t;
use crate::ui::command::{Command, UploadsCommand};
use crate::ui::state::State;
use crate::upload_queue::{UploadRecord, UploadStatus};

/// The colour of "staged".
const STAGED_GREEN: Color32 = Color32::from_rgb(0x3a, 0xa5, 0x5d);

fn send(commands: &mut Vec<Command>, command: UploadsCommand) {
    commands.push(Command::Uploads(command));
}

/// The rows Uploads lists: staged files have left for the staged list; the running ones
/// come first, then those waiting, then the failed and cancelled ones.
pub fn shown_rows(rows: &[UploadRecord]) -> Vec<&UploadRecord> {
    let rank = |row: &UploadRecord| match row.status {
        UploadStatus::Sending
        | UploadStatus::WaitingForServer { .. }
        | UploadStatus::Retrying { .. } => 0,
        UploadStatus::Waiting | UploadStatus::WaitingForNetwork => 1,
        UploadStatus::Failed(_) | UploadStatus::Refused(_) => 2,
        UploadStatus::Cancelled => 3,
        UploadStatus::Staged { .. } => 4,
    };
    let mut shown: Vec<&UploadRecord> = rows
        .iter()
        .filter(|row| !matches!(row.status, UploadStatus::Staged { .. }))
        .collect();
    // Stable: within a rank, the order the files were added in.
    shown.sort_by_key(|row| rank(row));
    shown
}

/// Whether Uploads has anything to show: files being looked at, or rows not yet staged.
pub fn has_anything(state: &State) -> bool {
    state.uploads.inspecting > 0
        || state
            .uploads
            .table
            .rows()
            .iter()
            .any(|row| !matches!(row.status, UploadStatus::Staged { .. }))
}

/// The uploads section: a one-line summary and the rows not yet staged. Nothing at all
/// once every file is staged (they are in the staged list below).
pub fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    if !has_anything(state) {
        return;
    }
    let uploads = &state.uploads;
    ui.horizontal(|ui| {
        ui.heading(t!("uploads-heading"));
        if uploads.inspecting > 0 {
            ui.spinner();
            ui.label(t!("uploads-looking"));
        }
    });
    let rows = shown_rows(uploads.table.rows());
    if rows.is_empty() {
        ui.add_space(4.0);
        ui.separator();
        return;
    }

    overall(ui, state, commands);
    network_wait(ui, state, commands);

    let row_height = row_height(ui);
    // The queue takes at most half of the space; the staged list gets the rest.
    let max_height = (ui.available_height() * 0.5).max(row_height * 2.0);
    egui::ScrollArea::vertical()
        .id_salt("upload_rows")
        .max_height(max_height)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for row in &rows[range] {
                upload_row(ui, state, row, row_height, commands);
            }
        });
    ui.separator();
}

fn row_height(ui: &egui::Ui) -> f32 {
    let line = ui
        .text_style_height(&egui::TextStyle::Body)
        .max(ui.spacing().interact_size.y);
    let status = ui.text_style_height(&egui::TextStyle::Body);
    line + ui.spacing().item_spacing.y + status + 6.0
}

/// What the summary line says: "Staging 3 of 7 · about 2 min left", then what failed or
/// was cancelled. Files that failed or were cancelled are not part of the bar's fraction:
/// a bar is never full for files that did not arrive.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The sentence.
    pub text: String,
    /// The bar's fraction, when something is still on its way.
    pub fraction: Option<f32>,
}

/// The summary of the table's rows.
pub fn summary(rows: &[UploadRecord]) -> Summary {
    let (mut files, mut staged, mut failed, mut cancelled, mut active) = (0, 0, 0, 0, 0);
    let (mut bytes, mut sent, mut speed) = (0u64, 0u64, 0.0f64);
    for row in rows {
        match &row.status {
            UploadStatus::Refused(_) | UploadStatus::Failed(_) => {
                failed += 1;
                continue;
            }
            UploadStatus::Cancelled => {
                cancelled += 1;
                continue;
            }
            UploadStatus::Staged { .. } => staged += 1,
            UploadStatus::Sending => speed += row.speed.max(0.0),
            _ => {}
        }
        if row.status.is_active() {
            active += 1;
        }
        files += 1;
        bytes = bytes.saturating_add(row.size);
        sent = sent.saturating_add(row.sent.min(row.size));
    }
    let mut parts = Vec::new();
    if active > 0 {
        parts.push(t!(
            "uploads-summary-staging",
            current = (staged + 1).min(files),
            total = files
        ));
        let left = bytes.saturating_sub(sent);
        if speed > 0.0 && left > 0 {
            parts.push(format::time_left(Duration::from_secs_f64(
                (left as f64 / speed).min(1e7),
            )));
        }
    }
    if failed > 0 {
        parts.push(t!("uploads-summary-failed", count = failed));
    }
    if cancelled > 0 {
        parts.push(t!("uploads-summary-cancelled", count = cancelled));
    }
    let fraction = (active > 0).then(|| {
        if bytes == 0 {
            0.0
        } else {
            sent as f32 / bytes as f32
        }
    });
    Summary {
        text: parts.join(" · "),
        fraction,
    }
}

/// The summary line and the buttons for all rows, each always in its place (greyed out
/// when there is nothing to do) so that none takes another's place under the cursor.
fn overall(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let rows = state.uploads.table.rows();
    let summary = summary(rows);
    let text = summary.text.clone();
    match summary.fraction {
        Some(fraction) => {
            ui.add(egui::ProgressBar::new(fraction).text(text.clone()))
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ProgressIndicator, true, &text)
                });
        }
        None => {
            ui.label(RichText::new(text).strong());
        }
    }
    let active = rows.iter().any(|r| r.status.is_active());
    let failed = rows
        .iter()
        .any(|r| matches!(r.status, UploadStatus::Failed(_)));
    let finished = rows
        .iter()
        .any(|r| r.status.is_finished() && !matches!(r.status, UploadStatus::Staged { .. }));
    ui.horizontal(|ui| {
        if ui
            .add_enabled(active, egui::Button::new(t!("uploads-cancel-all")))
            .on_hover_text(t!("uploads-cancel-all-hover"))
            .clicked()
        {
            send(commands, UploadsCommand::CancelAll);
        }
        if ui
            .add_enabled(failed, egui::Button::new(t!("uploads-retry-failed")))
            .on_hover_text(t!("uploads-retry-failed-hover"))
            .clicked()
        {
            send(commands, UploadsCommand::RetryAllFailed);
        }
        if ui
            .add_enabled(finished, egui::Button::new(t!("uploads-clear-finished")))
            .on_hover_text(t!("uploads-clear-finished-hover"))
            .clicked()
        {
            send(commands, UploadsCommand::ClearFinished);
        }
    });
}

/// While the server cannot be reached: what happens, and a way to try at once.
fn network_wait(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let Some(wait) = state.uploads.table.network() else {
        return;
    };
    let left = wait.retry_at.saturating_duration_since(state.instant);
    let text = if left.is_zero() {
        t!("uploads-network-retrying-now")
    } else {
        t!("uploads-network-retrying-in", seconds = left.as_secs() + 1)
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new(text).color(ui.visuals().warn_fg_color))
            .on_hover_text(&wait.reason);
        if ui
            .button(t!("uploads-retry-now"))
            .on_hover_text(t!("uploads-retry-now-hover"))
            .clicked()
        {
            send(commands, UploadsCommand::RetryNow);
        }
    });
}

fn upload_row(
    ui: &mut egui::Ui,
    state: &State,
    row: &UploadRecord,
    height: f32,
    commands: &mut Vec<Command>,
) {
    let width = ui.available_width();
    let refused = matches!(row.status, UploadStatus::Refused(_));
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_min_height(height);
            ui.horizontal(|ui| {
                fixed_cell(
                    ui,
                    (width * 0.35).max(120.0),
                    RichText::new(format::display_name(&row.shown)).strong(),
                )
                .on_hover_text(format::display_name(&row.shown).into_owned());
                let size = if refused {
                    String::new()
                } else {
                    format::human_bytes(row.size)
                };
                fixed_cell(ui, 72.0, RichText::new(size));
                // A bar only for a file on its way: never a full bar for one that failed
                // or was cancelled; a check for one that is staged.
                if matches!(row.status, UploadStatus::Staged { .. }) {
                    ui.label(RichText::new("✔").color(STAGED_GREEN));
                } else if row.status.is_active() {
                    let fraction = if row.size == 0 {
                        0.0
                    } else {
                        row.sent.min(row.size) as f32 / row.size as f32
                    };
                    let bar = egui::ProgressBar::new(fraction).desired_width(140.0);
                    let bar = if matches!(row.status, UploadStatus::Sending) {
                        bar.show_percentage()
                    } else {
                        bar
                    };
                    ui.add(bar).widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::ProgressIndicator,
                            true,
                            t!(
                                "uploads-progress-of",
                                name = format::display_name(&row.shown).into_owned()
                            ),
                        )
                    });
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    row_buttons(ui, row, commands);
                });
            });
            status_line(ui, state, row);
        },
    );
}

fn row_buttons(ui: &mut egui::Ui, row: &UploadRecord, commands: &mut Vec<Command>) {
    let named = |response: egui::Response, name: String| {
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        response
    };
    let can_retry = row.status.can_retry();
    let can_remove = can_retry || matches!(row.status, UploadStatus::Refused(_));
    // The rightmost place holds Cancel while the file is on its way and Retry once it was
    // cancelled or failed: a second click there undoes the first instead of removing the
    // row. Remove sits apart, to the left.
    if row.status.is_active()
        && !row.held
        && named(
            ui.button(t!("uploads-cancel")),
            t!(
                "uploads-cancel-name",
                name = format::display_name(&row.shown).into_owned()
            ),
        )
        .clicked()
    {
        send(commands, UploadsCommand::Cancel(row.id));
    }
    if can_retry
        && named(
            ui.button(t!("uploads-retry")),
            t!(
                "uploads-retry-name",
                name = format::display_name(&row.shown).into_owned()
            ),
        )
        .clicked()
    {
        send(commands, UploadsCommand::Retry(row.id));
    }
    if can_remove
        && named(
            ui.button(t!("uploads-remove")),
            t!(
                "uploads-remove-name",
                name = format::display_name(&row.shown).into_owned()
            ),
        )
        .clicked()
    {
        send(commands, UploadsCommand::Remove(row.id));
    }
}

fn status_line(ui: &mut egui::Ui, state: &State, row: &UploadRecord) {
    let visuals = ui.visuals();
    let max = state.uploads.table.max_tries();
    // A try after one failed is said as such, from its start to its answer: never "sent;
    // waiting for the server to confirm" as if it were the first.
    let retrying = || t!("uploads-status-retrying", number = row.tries + 1, max = max);
    let (mut text, color) = match &row.status {
        UploadStatus::Waiting if row.held => (t!("uploads-status-held"), visuals.weak_text_color()),
        UploadStatus::Waiting => (t!("uploads-status-waiting"), visuals.weak_text_color()),
        UploadStatus::WaitingForNetwork => (t!("uploads-status-network"), visuals.warn_fg_color),
        UploadStatus::Sending => {
            let first = if row.tries > 0 {
                retrying()
            } else {
                t!("uploads-status-sending")
            };
            let mut parts = vec![first, format::speed(row.speed)];
            parts.extend(row.time_left().map(format::time_left));
            parts.retain(|p| !p.is_empty());
            (parts.join(" · "), visuals.text_color())
        }
        // The queue is in fact waiting for the network (and will send again): say that.
        UploadStatus::WaitingForServer { .. } if state.uploads.table.network().is_some() => {
            (t!("uploads-status-network-again"), visuals.warn_fg_color)
        }
        UploadStatus::WaitingForServer { .. } if row.tries > 0 => {
            (retrying(), visuals.warn_fg_color)
        }
        UploadStatus::WaitingForServer { since } => {
            let waited = state.instant.saturating_duration_since(*since);
            let text = if waited < Duration::from_secs(2) {
                t!("uploads-status-confirming")
            } else {
                t!("uploads-status-confirming-for", seconds = waited.as_secs())
            };
            (text, visuals.text_color())
        }
        UploadStatus::Retrying {
            attempt,
            reason,
            at,
        } => {
            let left = at.saturating_duration_since(state.instant);
            let next = attempt + 1;
            let text = if left.is_zero() {
                t!("uploads-status-retrying", number = next, max = max)
            } else {
                t!(
                    "uploads-status-retry-wait",
                    seconds = left.as_secs() + 1,
                    number = next,
                    max = max
                )
            };
            (format!("{text} · {reason}"), visuals.warn_fg_color)
        }
        UploadStatus::Staged { entry } => (
            t!("uploads-status-staged", id = entry.id.as_str()),
            STAGED_GREEN,
        ),
        UploadStatus::Failed(reason) => (
            t!("uploads-status-failed", reason = reason.as_str()),
            visuals.error_fg_color,
        ),
        UploadStatus::Cancelled => (t!("uploads-status-cancelled"), visuals.weak_text_color()),
        UploadStatus::Refused(reason) => (
            t!("uploads-status-refused", reason = reason.as_str()),
            visuals.warn_fg_color,
        ),
    };
    if let Some(note) = &row.note {
        text.push_str(" · ");
        text.push_str(note);
    }
    ui.add(egui::Label::new(RichText::new(&text).color(color)).truncate())
        .on_hover_text(text);
}

/// The empty window: one large place to drop files, saying what to do, with the buttons
/// inside it.
pub fn drop_zone(ui: &mut egui::Ui, commands: &mut Vec<Command>) {
    let size = ui.available_size();
    let stroke = egui::Stroke::new(2.0, ui.visuals().weak_text_color());
    egui::Frame::new()
        .stroke(stroke)
        .corner_radius(12.0)
        .inner_margin(24.0)
        .show(ui, |ui| {
            ui.set_min_size(size - egui::vec2(52.0, 52.0));
            ui.vertical_centered(|ui| {
                ui.add_space((size.y * 0.25).max(12.0));
                ui.label(RichText::new(t!("uploads-drop-title")).size(28.0).strong());
                ui.add_space(8.0);
                ui.label(t!("uploads-drop-explain"));
                ui.add_space(16.0);
                ui.horizontal(|ui| {
                    // Centred: the three buttons share the middle of the zone.
                    let width = 240.0_f32.min(ui.available_width());
                    ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
                    if ui
                        .button(t!("uploads-add-files"))
                        .on_hover_text(t!("uploads-add-files-hover"))
                        .clicked()
                    {
                        send(commands, UploadsCommand::PickFiles);
                    }
                    if ui
                        .button(t!("uploads-add-folder"))
                        .on_hover_text(t!("uploads-add-folder-hover"))
                        .clicked()
                    {
                        send(commands, UploadsCommand::PickFolder);
                    }
                    if ui
                        .button(t!("uploads-paste"))
                        .on_hover_text(t!("uploads-paste-hover"))
                        .clicked()
                    {
                        send(commands, UploadsCommand::Paste);
                    }
                });
                ui.add_space(12.0);
                ui.label(
                    RichText::new(t!(
                        "uploads-drop-limits",
                        lifetime = format::lifetime(),
                        limit = format::execution_limit()
                    ))
                    .weak(),
                );
            });
        });
}

/// A batch that asks first (a large folder): the question, with its two answers.
pub fn question(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let Some(question) = state.uploads.questions.first() else {
        return;
    };
    egui::Window::new(t!("uploads-question-title"))
        .collapsible(false)
        .resizable(false)
        .default_width(440.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ui.ctx(), |ui| {
            ui.label(&question.text);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(t!("uploads-question-yes")).clicked() {
                    send(commands, UploadsCommand::Confirm(question.batch, true));
                }
                if ui.button(t!("uploads-question-no")).clicked() {
                    send(commands, UploadsCommand::Confirm(question.batch, false));
                }
            });
        });
}

/// While files are dragged over the window, say that dropping them will stage them.
pub fn drop_overlay(ctx: &egui::Context) {
    let hovering = ctx.input(|i| i.raw.hovered_files.len());
    if hovering == 0 {
        return;
    }
    let painter = ctx.layer_painter(LayerId::new(Order::Foreground, Id::unique("drop_overlay")));
    let screen = ctx.content_rect();
    painter.rect_filled(screen, 0.0, Color32::from_black_alpha(170));
    painter.rect_stroke(
        screen.shrink(12.0),
        8.0,
        egui::Stroke::new(3.0, Color32::from_rgb(0x6c, 0xb4, 0xff)),
        egui::StrokeKind::Inside,
    );
    let text = t!("uploads-drop-overlay", count = hovering);
    painter.text(
        screen.center(),
        Align2::CENTER_CENTER,
        text,
        FontId::proportional(26.0),
        Color32::WHITE,
    );
}
