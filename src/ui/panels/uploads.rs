//! The uploads: one row per file with its progress, speed, time left and, when it failed,
//! why in plain words. Rows are drawn with `show_rows`, so ten thousand files cost the
//! same per frame as ten.

use std::time::Duration;

use egui::{Align2, Color32, FontId, Id, LayerId, Order, RichText};

use super::fixed_cell;
use crate::format;
use crate::ui::command::{Command, UploadsCommand};
use crate::ui::state::State;
use crate::upload_queue::{UploadRecord, UploadStatus};

fn send(commands: &mut Vec<Command>, command: UploadsCommand) {
    commands.push(Command::Uploads(command));
}

/// The uploads section, with its overall progress and buttons.
pub fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let uploads = &state.uploads;
    ui.horizontal(|ui| {
        ui.heading("Uploads");
        if uploads.inspecting > 0 {
            ui.spinner();
            ui.label("Looking at the files…");
        }
    });
    let rows = uploads.table.rows();
    if rows.is_empty() {
        ui.label(
            "Drop files anywhere on this window, or click \"Add files…\" at the top. They are uploaded right away.",
        );
        ui.add_space(8.0);
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

/// The overall bar and buttons.
fn overall(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let totals = state.uploads.table.totals();
    let fraction = if totals.bytes == 0 {
        0.0
    } else {
        totals.sent as f32 / totals.bytes as f32
    };
    let mut summary = format!(
        "{} of {} file(s) staged · {} of {}",
        totals.staged,
        totals.files,
        format::human_bytes(totals.sent),
        format::human_bytes(totals.bytes)
    );
    if totals.failed > 0 {
        summary.push_str(&format!(" · {} failed", totals.failed));
    }
    ui.add(egui::ProgressBar::new(fraction).text(summary.clone()))
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ProgressIndicator, true, &summary));
    ui.horizontal(|ui| {
        if ui
            .add_enabled(totals.active > 0, egui::Button::new("Cancel all"))
            .on_hover_text("Stop every upload that has not finished")
            .clicked()
        {
            send(commands, UploadsCommand::CancelAll);
        }
        if totals.failed > 0
            && ui
                .button("Retry failed")
                .on_hover_text("Send the failed files again (only them)")
                .clicked()
        {
            send(commands, UploadsCommand::RetryAllFailed);
        }
        if state
            .uploads
            .table
            .rows()
            .iter()
            .any(|r| r.status.is_finished())
            && ui
                .button("Clear finished")
                .on_hover_text("Remove staged, cancelled and refused files from this list (staged IDs stay below)")
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
    let when = if left.is_zero() {
        "retrying now".to_owned()
    } else {
        format!("retrying in {} s", left.as_secs() + 1)
    };
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!("Waiting for the network… {when}"))
                .color(ui.visuals().warn_fg_color),
        )
        .on_hover_text(&wait.reason);
        if ui
            .button("Retry now")
            .on_hover_text("Try to reach the server again at once")
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
                if !refused {
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
                            format!("Progress of {}", format::display_name(&row.shown)),
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
    if row.status.is_active()
        && !row.held
        && named(
            ui.button("Cancel"),
            format!("Cancel {}", format::display_name(&row.shown)),
        )
        .clicked()
    {
        send(commands, UploadsCommand::Cancel(row.id));
    }
    if can_remove
        && named(
            ui.button("Remove"),
            format!("Remove {}", format::display_name(&row.shown)),
        )
        .clicked()
    {
        send(commands, UploadsCommand::Remove(row.id));
    }
    if can_retry
        && named(
            ui.button("Retry"),
            format!("Retry {}", format::display_name(&row.shown)),
        )
        .clicked()
    {
        send(commands, UploadsCommand::Retry(row.id));
    }
}

fn status_line(ui: &mut egui::Ui, state: &State, row: &UploadRecord) {
    let visuals = ui.visuals();
    let (mut text, color) = match &row.status {
        UploadStatus::Waiting if row.held => (
            "Waiting for your answer above".to_owned(),
            visuals.weak_text_color(),
        ),
        UploadStatus::Waiting => ("Waiting to be sent".to_owned(), visuals.weak_text_color()),
        UploadStatus::WaitingForNetwork => (
            "Waiting for the network; it goes on its own when the server can be reached".to_owned(),
            visuals.warn_fg_color,
        ),
        UploadStatus::Sending => {
            let mut text = format!("Sending · {}", format::speed(row.speed));
            if let Some(left) = row.time_left() {
                text.push_str(&format!(" · {}", format::time_left(left)));
            }
            (text, visuals.text_color())
        }
        UploadStatus::WaitingForServer { since } => {
            let waited = state.instant.saturating_duration_since(*since);
            let text = if waited < Duration::from_secs(2) {
                "Sent; waiting for the server to confirm".to_owned()
            } else {
                format!(
                    "Sent; waiting for the server to confirm ({} s so far)",
                    waited.as_secs()
                )
            };
            (text, visuals.text_color())
        }
        UploadStatus::Retrying {
            attempt,
            reason,
            at,
        } => {
            let left = at.saturating_duration_since(state.instant);
            let when = if left.is_zero() {
                "now".to_owned()
            } else {
                format!("in {} s", left.as_secs() + 1)
            };
            (
                format!("Trying again {when} (attempt {}) · {reason}", attempt + 1),
                visuals.warn_fg_color,
            )
        }
        UploadStatus::Staged { entry } => (
            format!("Staged. ID {}", entry.id),
            Color32::from_rgb(0x3a, 0xa5, 0x5d),
        ),
        UploadStatus::Failed(reason) => (format!("Failed: {reason}"), visuals.error_fg_color),
        UploadStatus::Cancelled => (
            "Cancelled. Click Retry to send it again.".to_owned(),
            visuals.weak_text_color(),
        ),
        UploadStatus::Refused(reason) => (format!("Not added: {reason}"), visuals.warn_fg_color),
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
                ui.label(RichText::new("Drop files or folders here").size(28.0).strong());
                ui.add_space(8.0);
                ui.label(
                    "They are uploaded right away, and their IDs appear here, ready to copy into an execute call.",
                );
                ui.add_space(16.0);
                ui.horizontal(|ui| {
                    // Centred: the three buttons share the middle of the zone.
                    let width = 240.0_f32.min(ui.available_width());
                    ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
                    if ui
                        .button("Add files…")
                        .on_hover_text("Choose files to stage (Ctrl+O)")
                        .clicked()
                    {
                        send(commands, UploadsCommand::PickFiles);
                    }
                    if ui
                        .button("Add folder…")
                        .on_hover_text("Choose folders to stage with every file inside (Ctrl+Shift+O)")
                        .clicked()
                    {
                        send(commands, UploadsCommand::PickFolder);
                    }
                    if ui
                        .button("Paste")
                        .on_hover_text("Stage a screenshot or files copied in your file manager (Ctrl+V)")
                        .clicked()
                    {
                        send(commands, UploadsCommand::Paste);
                    }
                });
                ui.add_space(12.0);
                ui.label(
                    RichText::new(format!(
                        "Staged files are kept by Asteroid for {}. An execution takes at most {} of files.",
                        format::lifetime(),
                        format::execution_limit()
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
    egui::Window::new("Stage all these files?")
        .collapsible(false)
        .resizable(false)
        .default_width(440.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ui.ctx(), |ui| {
            ui.label(&question.text);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Stage them all").clicked() {
                    send(commands, UploadsCommand::Confirm(question.batch, true));
                }
                if ui.button("Don't stage them").clicked() {
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
    let text = if hovering == 1 {
        "Drop the file to stage it".to_owned()
    } else {
        format!("Drop the {hovering} files to stage them")
    };
    painter.text(
        screen.center(),
        Align2::CENTER_CENTER,
        text,
        FontId::proportional(26.0),
        Color32::WHITE,
    );
}
