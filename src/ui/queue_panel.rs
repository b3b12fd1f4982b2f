//! The uploads: one row per file with its progress, speed, time left and, when it failed,
//! why in plain words. Rows are drawn with `show_rows`, so ten thousand files cost the
//! same per frame as ten.

use std::time::Duration;

use egui::{Align2, Color32, FontId, Id, LayerId, Order, RichText};

use super::app::{Command, RowState, StagerApp, UploadRow};
use super::format;

/// The uploads section, with its overall progress and buttons.
pub fn show(app: &mut StagerApp, ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        ui.heading("Uploads");
        if app.inspecting > 0 {
            ui.spinner();
            ui.label(format!("Looking at {} file(s)…", app.inspecting));
        }
    });
    if app.rows.is_empty() {
        ui.label(
            "Drop files anywhere on this window, or click \"Add files…\" at the top. They are uploaded right away.",
        );
        ui.add_space(8.0);
        ui.separator();
        return;
    }

    let overall_commands = overall(app, ui);
    app.commands.extend(overall_commands);

    let row_height = row_height(ui);
    // The queue takes at most half of the space; the staged list gets the rest.
    let max_height = (ui.available_height() * 0.5).max(row_height * 2.0);
    let rows = &app.rows;
    let commands = &mut app.commands;
    egui::ScrollArea::vertical()
        .id_salt("upload_rows")
        .max_height(max_height)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for index in range {
                if let Some(row) = rows.get(index) {
                    upload_row(ui, index, row, row_height, commands);
                }
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

/// The overall bar and buttons; returns what was clicked.
fn overall(app: &StagerApp, ui: &mut egui::Ui) -> Vec<Command> {
    let mut clicked = Vec::new();
    let counted = app
        .rows
        .iter()
        .filter(|r| !matches!(r.state, RowState::NotAdded(_) | RowState::Cancelled));
    let (mut files, mut staged, mut total, mut sent) = (0usize, 0usize, 0u64, 0u64);
    for row in counted {
        files += 1;
        total += row.size;
        sent += row.sent.min(row.size);
        if matches!(row.state, RowState::Staged { .. }) {
            staged += 1;
        }
    }
    let failed = app
        .rows
        .iter()
        .filter(|r| matches!(r.state, RowState::Failed(_)))
        .count();
    let active = app.rows.iter().filter(|r| r.is_active()).count();
    let fraction = if total == 0 {
        0.0
    } else {
        sent as f32 / total as f32
    };
    let mut summary = format!(
        "{staged} of {files} file(s) staged · {} of {}",
        format::human_bytes(sent),
        format::human_bytes(total)
    );
    if failed > 0 {
        summary.push_str(&format!(" · {failed} failed"));
    }
    ui.add(egui::ProgressBar::new(fraction).text(summary.clone()))
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ProgressIndicator, true, &summary));
    ui.horizontal(|ui| {
        if ui
            .add_enabled(active > 0, egui::Button::new("Cancel all"))
            .on_hover_text("Stop every upload that has not finished")
            .clicked()
        {
            clicked.push(Command::CancelAll);
        }
        if failed > 0
            && ui
                .button("Retry failed")
                .on_hover_text("Send the failed files again (only them)")
                .clicked()
        {
            clicked.push(Command::RetryAllFailed);
        }
        if app.rows.iter().any(UploadRow::is_finished)
            && ui
                .button("Clear finished")
                .on_hover_text("Remove staged, cancelled and refused files from this list (staged IDs stay below)")
                .clicked()
        {
            clicked.push(Command::ClearFinished);
        }
    });
    clicked
}

fn upload_row(
    ui: &mut egui::Ui,
    index: usize,
    row: &UploadRow,
    height: f32,
    commands: &mut Vec<Command>,
) {
    let width = ui.available_width();
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_min_height(height);
            ui.horizontal(|ui| {
                name_cell(
                    ui,
                    (width * 0.35).max(120.0),
                    RichText::new(&row.name).strong(),
                )
                .on_hover_text(&row.name);
                let size = if matches!(row.state, RowState::NotAdded(_)) {
                    String::new()
                } else {
                    format::human_bytes(row.size)
                };
                name_cell(ui, 72.0, RichText::new(size));
                let fraction = if row.size == 0 {
                    0.0
                } else {
                    row.sent.min(row.size) as f32 / row.size as f32
                };
                if !matches!(row.state, RowState::NotAdded(_)) {
                    let bar = egui::ProgressBar::new(fraction).desired_width(140.0);
                    let bar = if matches!(row.state, RowState::Sending) {
                        bar.show_percentage()
                    } else {
                        bar
                    };
                    ui.add(bar).widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::ProgressIndicator,
                            true,
                            format!("Progress of {}", row.name),
                        )
                    });
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    row_buttons(ui, index, row, commands);
                });
            });
            status_line(ui, row);
        },
    );
}

/// A left-aligned, truncated label of a fixed width, so the columns line up.
pub(crate) fn name_cell(ui: &mut egui::Ui, width: f32, text: RichText) -> egui::Response {
    let height = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_width(width);
            ui.add(egui::Label::new(text).truncate())
        },
    )
    .inner
}

fn row_buttons(ui: &mut egui::Ui, index: usize, row: &UploadRow, commands: &mut Vec<Command>) {
    let named = |response: egui::Response, name: String| {
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        response
    };
    let can_retry = matches!(row.state, RowState::Failed(_) | RowState::Cancelled);
    let can_remove = can_retry || matches!(row.state, RowState::NotAdded(_));
    if let Some(id) = row.id
        && row.is_active()
        && named(ui.button("Cancel"), format!("Cancel {}", row.name)).clicked()
    {
        commands.push(Command::Cancel(id));
    }
    if can_remove && named(ui.button("Remove"), format!("Remove {}", row.name)).clicked() {
        commands.push(Command::RemoveRow(index));
    }
    if let Some(id) = row.id
        && can_retry
        && named(ui.button("Retry"), format!("Retry {}", row.name)).clicked()
    {
        commands.push(Command::Retry(id));
    }
}

fn status_line(ui: &mut egui::Ui, row: &UploadRow) {
    let visuals = ui.visuals();
    let (text, color) = match &row.state {
        RowState::Waiting => ("Waiting to be sent".to_owned(), visuals.weak_text_color()),
        RowState::Sending => {
            let speed = row.speed.bytes_per_second;
            let mut text = format!("Sending · {}", format::speed(speed));
            if speed > 0.0 {
                let left = row.size.saturating_sub(row.sent) as f64 / speed;
                text.push_str(&format!(
                    " · {}",
                    format::time_left(Duration::from_secs_f64(left.min(1e7)))
                ));
            }
            (text, visuals.text_color())
        }
        RowState::WaitingForServer => (
            "Sent; waiting for the server to confirm".to_owned(),
            visuals.text_color(),
        ),
        RowState::Retrying { attempt, reason } => (
            format!("Trying again (attempt {}) · {reason}", attempt + 1),
            visuals.warn_fg_color,
        ),
        RowState::Staged { id } => (
            format!("Staged. ID {id}"),
            Color32::from_rgb(0x3a, 0xa5, 0x5d),
        ),
        RowState::Failed(reason) => (format!("Failed: {reason}"), visuals.error_fg_color),
        RowState::Cancelled => (
            "Cancelled. Click Retry to send it again.".to_owned(),
            visuals.weak_text_color(),
        ),
        RowState::NotAdded(reason) => (format!("Not added: {reason}"), visuals.warn_fg_color),
    };
    ui.add(egui::Label::new(RichText::new(&text).color(color)).truncate())
        .on_hover_text(text);
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
