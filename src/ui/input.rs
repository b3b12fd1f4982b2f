//! What the keyboard, the clipboard and the window manager asked for in a frame, turned
//! into commands: dropped files, shortcuts, Ctrl+V outside a text field, a close request.

use std::path::PathBuf;
use std::sync::Arc;

use super::app::StagerApp;
use super::command::{Command, Origin, StagedCommand, UploadsCommand, ViewCommand};
use super::panels;
use super::state::Phase;

impl StagerApp {
    /// What the keyboard, the clipboard and the window manager asked for this frame, as
    /// commands (drawing pushes the rest).
    pub(super) fn read_input(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if !dropped.is_empty() {
            self.commands
                .push(Command::Uploads(UploadsCommand::AddPaths(
                    dropped,
                    Origin::Dropped,
                )));
        }
        let ready = self.state.connection.phase == Phase::Ready;
        let folder = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
        let files = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
        let find = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        if ctx.input_mut(|i| i.consume_shortcut(&folder)) {
            self.commands
                .push(Command::Uploads(UploadsCommand::PickFolder));
        } else if ctx.input_mut(|i| i.consume_shortcut(&files)) {
            self.commands
                .push(Command::Uploads(UploadsCommand::PickFiles));
        }
        // Taken only when there is something to close: else Escape stays a text field's.
        if let Some(command) = escape(&self.state)
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
        {
            self.commands.push(command);
        }
        if ready && ctx.input_mut(|i| i.consume_shortcut(&find)) {
            ctx.memory_mut(|m| m.request_focus(panels::staged::filter_id()));
        }
        // Ctrl+V outside a text field stages what was pasted; inside one, it is the
        // field's.
        if ready && !ctx.egui_wants_keyboard_input() {
            let pasted: Vec<UploadsCommand> = ctx.input(|i| {
                i.events
                    .iter()
                    .filter_map(|event| match event {
                        egui::Event::PasteImage(image) => Some(UploadsCommand::PastedImage {
                            width: image.size[0],
                            height: image.size[1],
                            rgba: Arc::new(
                                image
                                    .pixels
                                    .iter()
                                    .flat_map(|p| p.to_srgba_unmultiplied())
                                    .collect(),
                            ),
                        }),
                        egui::Event::Paste(text) => Some(UploadsCommand::PastedText(text.clone())),
                        _ => None,
                    })
                    .collect()
            });
            self.commands
                .extend(pasted.into_iter().map(Command::Uploads));
        }
        self.state.view.focused = ctx.input(|i| i.viewport().focused).unwrap_or(true);
        if ctx.input(|i| i.viewport().close_requested()) && !self.state.close_requested() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
    }
}

/// What Escape does: closes the question in front (the quit question, a large folder's,
/// a copy or clear-all confirmation) with its answer that changes nothing; without one, it
/// clears the filter. `None` when there is nothing to close.
fn escape(state: &super::state::State) -> Option<Command> {
    if state.view.confirm_quit {
        return Some(Command::View(ViewCommand::KeepRunning));
    }
    if let Some(question) = state.uploads.questions.first() {
        return Some(Command::Uploads(UploadsCommand::Confirm(
            question.batch,
            false,
        )));
    }
    let staged = &state.staged;
    if staged.confirm_copy.is_some() {
        return Some(Command::Staged(StagedCommand::KeepCopy));
    }
    if staged.confirm_clear_all {
        return Some(Command::Staged(StagedCommand::KeepAll));
    }
    if state.view.about_open {
        return Some(Command::View(ViewCommand::ToggleAbout));
    }
    if state.connection.phase == Phase::Ready && !staged.filter.is_empty() {
        return Some(Command::Staged(StagedCommand::EditFilter(String::new())));
    }
    None
}
