//! Running what the states ask for: keychain calls and disk writes on the blocking pool,
//! requests and dialogs on the runtime, queue commands, the clipboard and the window.
//! Every result comes back to the window as an [`Event`].

use std::sync::Arc;
use std::time::Instant;

use futures_util::FutureExt;

use super::app::StagerApp;
use super::command::{Effect, Event, HistoryChange};
use crate::api::ApiClient;
use crate::clipboard::ClipboardContent;
use crate::key_store::KeyStoreError;
use crate::t;

impl StagerApp {
    pub(super) fn run_effects(&mut self, effects: Vec<Effect>, frame: Option<&eframe::Frame>) {
        for effect in effects {
            self.run(effect, frame);
        }
    }

    /// Runs one effect: on the runtime when it may block or wait.
    fn run(&mut self, effect: Effect, frame: Option<&eframe::Frame>) {
        match effect {
            Effect::LoadKey { store, generation } => self.blocking(
                move || store.load(),
                move |result| Event::KeyLoaded {
                    generation,
                    result: result.unwrap_or_else(|e| Err(KeyStoreError::Refused(e))),
                },
            ),
            Effect::SaveKey {
                store,
                key,
                generation,
            } => self.blocking(
                move || store.save(&key),
                move |result| Event::KeySaved {
                    generation,
                    result: result.unwrap_or_else(|e| Err(KeyStoreError::Refused(e))),
                },
            ),
            Effect::DeleteKey { store, generation } => self.blocking(
                move || store.delete(),
                move |result| Event::KeyDeleted {
                    generation,
                    result: result.unwrap_or_else(|e| Err(KeyStoreError::Refused(e))),
                },
            ),
            Effect::CheckKey {
                base,
                key,
                options,
                generation,
            } => {
                let inbox = self.inbox.clone();
                self.runtime.spawn(async move {
                    let result = match ApiClient::new(base, &key, options) {
                        Ok(client) => client.context().await,
                        Err(e) => Err(e),
                    };
                    inbox.send(Event::KeyChecked { generation, result });
                });
            }
            Effect::RetryConnectionAfter {
                delay,
                generation,
                tries,
            } => {
                // Only a timer: the connection state decides whether it still matters.
                let inbox = self.inbox.clone();
                self.runtime.spawn(async move {
                    tokio::time::sleep(delay).await;
                    inbox.send(Event::ConnectionRetryDue { generation, tries });
                });
            }
            Effect::SaveSettings(settings) => {
                let path = self.paths.settings_file();
                self.blocking(
                    move || settings.save(&path).map_err(|e| e.to_string()),
                    |result| Event::SettingsSaved(result.and_then(|saved| saved)),
                );
            }
            Effect::UseLanguage(language) => {
                crate::messages::set_language(language);
                self.inbox.ctx.request_repaint();
            }
            Effect::Queue(command) => {
                self.queue.send(command);
            }
            Effect::PickFiles => self.pick(frame, false),
            Effect::PickFolder => self.pick(frame, true),
            Effect::ReadClipboard => {
                let read = self.clipboard.clone();
                self.blocking(
                    move || read(),
                    |result| Event::Clipboard(result.unwrap_or(ClipboardContent::Empty)),
                );
            }
            Effect::SavePastedImage {
                width,
                height,
                rgba,
                at,
            } => {
                // Kept beside the history: the file is there to stage again after expiry.
                let dir = self.paths.data_dir.join("pasted");
                self.blocking(
                    move || {
                        let rgba = Arc::unwrap_or_clone(rgba);
                        crate::clipboard::save_pasted_image(&dir, at, width, height, rgba)
                            .map_err(|e| e.to_string())
                    },
                    |result| Event::ImageSaved(result.and_then(|r| r)),
                );
            }
            Effect::RequestAttention => {
                self.viewport_commands
                    .push(egui::ViewportCommand::RequestUserAttention(
                        egui::UserAttentionType::Informational,
                    ))
            }
            Effect::DesktopNotification { summary, body } => {
                let notifier = self.notifier.clone();
                // Nobody waits for it: a desktop without a notification service just
                // does not show one (the taskbar still asks for attention).
                self.runtime.spawn_blocking(move || {
                    if let Err(e) = notifier(&summary, &body) {
                        tracing::info!("no desktop notification: {e}");
                    }
                });
            }
            Effect::RaiseWindow => {
                // Focus where the window manager allows it; where it refuses, the taskbar
                // entry asks for attention instead.
                self.viewport_commands
                    .push(egui::ViewportCommand::Minimized(false));
                self.viewport_commands.push(egui::ViewportCommand::Focus);
                self.viewport_commands
                    .push(egui::ViewportCommand::RequestUserAttention(
                        egui::UserAttentionType::Informational,
                    ));
            }
            Effect::ForgetPending => {
                // On this thread, before the window closes (a few milliseconds): the
                // process may end right after.
                if let Err(e) = self.history.stop_pending() {
                    tracing::warn!("the files to resume were not forgotten: {e}");
                }
            }
            Effect::CloseWindow => self.viewport_commands.push(egui::ViewportCommand::Close),
            Effect::CopyText(text) => self.inbox.ctx.copy_text(text),
            Effect::ChangeHistory(change) => {
                let history = self.history.clone();
                self.blocking(
                    move || {
                        match change {
                            HistoryChange::ClearExpired(now) => history.clear_expired(now),
                            HistoryChange::ClearAll => history.clear_all(),
                        }
                        .map_err(|e| e.to_string())
                    },
                    |result| Event::HistoryChanged(result.and_then(|r| r)),
                );
            }
            // Kept by the state itself; never reach here.
            Effect::Notice(..)
            | Effect::NoticeAbout(..)
            | Effect::Resolved(_)
            | Effect::ShowSettings
            | Effect::GroupStaged { .. } => {}
        }
    }

    /// Runs blocking work (the disk, the keychain) on tokio's blocking pool, never in a
    /// frame, and posts what `report` makes of its result. A panic in `work` arrives as
    /// `Err` with its message, so every request gets an answer.
    fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
        report: impl FnOnce(Result<T, String>) -> Event + Send + 'static,
    ) {
        let inbox = self.inbox.clone();
        self.runtime.spawn(async move {
            let result = tokio::task::spawn_blocking(work)
                .await
                .map_err(|e| t!("notice-internal-error", reason = e.to_string()));
            inbox.send(report(result));
        });
    }

    fn pick(&mut self, frame: Option<&eframe::Frame>, folders: bool) {
        // Built here (it needs the window as parent), awaited on tokio: the window keeps
        // painting while the dialog is open.
        let title = if folders {
            t!("uploads-state-dialog-folders")
        } else {
            t!("uploads-state-dialog-files")
        };
        let mut dialog = rfd::AsyncFileDialog::new().set_title(title);
        if let Some(frame) = frame {
            dialog = dialog.set_parent(frame);
        }
        let dialog = if folders {
            dialog.pick_folders().boxed()
        } else {
            dialog.pick_files().boxed()
        };
        let opened = Instant::now();
        let inbox = self.inbox.clone();
        self.runtime.spawn(async move {
            let picked = dialog.await;
            let paths = picked.map(|handles| {
                handles
                    .into_iter()
                    .map(|h| h.path().to_path_buf())
                    .collect()
            });
            inbox.send(Event::FilesPicked {
                paths,
                took: opened.elapsed(),
            });
        });
    }
}

/// A desktop notification through the system's service (D-Bus on Linux, the notification
/// centre on macOS and Windows).
pub(super) fn show_notification(summary: &str, body: &str) -> Result<(), String> {
    notify_rust::Notification::new()
        .appname("Asteroid Stager")
        .summary(summary)
        .body(body)
        .icon(super::APP_ID)
        .show()
        .map(|_| ())
        .map_err(|e| e.to_string())
}
