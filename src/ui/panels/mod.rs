//! The panels: free functions that draw from `&State` and only push [`Command`]s. No panel
//! changes state; a text field edits a copy and sends the new text as a command.

pub mod about;
pub mod key_setup;
pub mod settings;
pub mod staged;
pub mod top_bar;
pub mod uploads;

use egui::RichText;

use super::command::Command;
use super::state::{Phase, State};
use crate::t;

/// The whole window, in drawing order.
pub fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    top_bar::show(ui, state, commands);
    egui::CentralPanel::default().show(ui, |ui| match state.connection.phase {
        Phase::Ready if !uploads::has_anything(state) && state.staged.entries.is_empty() => {
            uploads::drop_zone(ui, commands);
        }
        Phase::Ready => {
            uploads::show(ui, state, commands);
            staged::show(ui, state, commands);
        }
        _ => key_setup::show(ui, state, commands),
    });
    uploads::question(ui, state, commands);
    if state.view.confirm_quit {
        quit_question(ui, state, commands);
    }
    if state.view.settings_open {
        settings::show(ui, state, commands);
    }
    if state.view.about_open {
        about::show(ui, state, commands);
    }
    staged::copy_toast(ui.ctx(), state);
    uploads::drop_overlay(ui.ctx());
}

/// Closing the window while uploads run: ask first.
fn quit_question(ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
    let running = state.uploads.waiting();
    egui::Window::new(t!("window-quit-title"))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ui.ctx(), |ui| {
            ui.label(t!("window-quit-running", count = running));
            ui.label(RichText::new(t!("window-quit-staged-kept")).weak());
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button(t!("window-quit-and-cancel")).clicked() {
                    commands.push(Command::View(super::command::ViewCommand::QuitAndCancel));
                }
                if ui.button(t!("window-keep-uploading")).clicked() {
                    commands.push(Command::View(super::command::ViewCommand::KeepRunning));
                }
            });
        });
}

/// A left-aligned, truncated label of a fixed width, so the columns line up.
pub(crate) fn fixed_cell(ui: &mut egui::Ui, width: f32, text: RichText) -> egui::Response {
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

/// A single-line text field over a copy of `text`; returns the new text when it changed
/// and whether Enter was pressed in it.
pub(crate) fn text_field(
    ui: &mut egui::Ui,
    label: egui::Id,
    text: &str,
    configure: impl FnOnce(egui::TextEdit<'_>) -> egui::TextEdit<'_>,
) -> (Option<String>, bool, egui::Response) {
    // Wiped when dropped: the field may hold the API key.
    let mut copy = zeroize::Zeroizing::new(text.to_owned());
    let response = ui
        .add(configure(egui::TextEdit::singleline(&mut *copy)))
        .labelled_by(label);
    let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let changed = response.changed().then(|| copy.to_string());
    (changed, entered, response)
}

/// `text` cut in the middle to fit `width` in the body font: a path keeps its first folder
/// and its file name (`Batch250/…/invoice-0923.pdf`), since the start and the end tell
/// files apart; the full text is in the row's tooltip.
pub(crate) fn middle_cut(ui: &egui::Ui, text: &str, width: f32) -> String {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let fits = |candidate: &str| {
        ui.fonts_mut(|fonts| {
            fonts
                .layout_no_wrap(
                    candidate.to_owned(),
                    font.clone(),
                    egui::Color32::PLACEHOLDER,
                )
                .size()
                .x
        }) <= width
    };
    if fits(text) {
        return text.to_owned();
    }
    if let (Some((first, _)), Some((_, last))) = (text.split_once('/'), text.rsplit_once('/')) {
        let short = format!("{first}/…/{last}");
        if short.len() < text.len() && fits(&short) {
            return short;
        }
    }
    let chars: Vec<char> = text.chars().collect();
    let cut = |keep: usize| {
        let head = keep / 3;
        let tail = keep - head;
        let mut out: String = chars[..head].iter().collect();
        out.push('…');
        out.extend(&chars[chars.len() - tail..]);
        out
    };
    // The most characters that fit, found by halving.
    let (mut low, mut high) = (0, chars.len().saturating_sub(1));
    while low < high {
        let mid = (low + high).div_ceil(2);
        if fits(&cut(mid)) {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    cut(low)
}

#[cfg(test)]
mod tests {
    /// Symbols drawn alone on buttons, where a missing glyph leaves an empty box and no
    /// word to read: they must be in the fonts egui bundles, since a computer may have no
    /// system font with them (Windows under Wine had none for "✕"): the filter's clear button and the list's menu.
    #[test]
    fn symbol_buttons_are_in_the_bundled_fonts() {
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let font = egui::FontId::proportional(14.0);
        for symbol in ["×", "…"] {
            assert!(
                ctx.fonts_mut(|f| f.has_glyphs(&font, symbol)),
                "{symbol} is not in egui's own fonts"
            );
        }
    }
}
