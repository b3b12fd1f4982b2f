//! The window's state as a whole: notices that clear themselves once what they report is
//! resolved, and what a re-stage of a file that is gone says.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use zeroize::Zeroizing;

use super::*;
use crate::api::ClientOptions;
use crate::key_store::{ApiKey, ApiKeyStore, KeyStoreError, MemoryKeyStore};
use crate::local_file::LocalFileError;
use crate::session::Overrides;
use crate::settings::Settings;
use crate::ui::command::ConnectionCommand;
use crate::upload_queue::{BatchSummary, QueueEvent};

fn state() -> State {
    let key = ApiKey::new("sk-old").expect("a key");
    let store: Arc<dyn ApiKeyStore> = Arc::new(MemoryKeyStore::with_key(key));
    State {
        connection: ConnectionState::new(
            Settings::default(),
            Overrides::default(),
            Arc::new(move |_| store.clone()),
            ClientOptions::default(),
        ),
        uploads: UploadsState::default(),
        staged: StagedState::new(Vec::new(), "history.sqlite3".into()),
        notices: Notices::default(),
        view: ViewState::default(),
        settings_path: "settings.toml".into(),
        now: SystemTime::now(),
        instant: Instant::now(),
    }
}

use super::connection::tests::{context, generation_of as generation};

fn texts(state: &State) -> Vec<String> {
    state
        .notices
        .list()
        .iter()
        .map(|n| n.text.clone())
        .collect()
}

/// Signs out (the store answering `deleted`), then enters a key the server accepts.
fn sign_out_then_enter_a_key(state: &mut State, deleted: Result<bool, KeyStoreError>) {
    let effects = state.handle(Command::Connection(ConnectionCommand::SignOut));
    let g = generation(&effects);
    state.on_event(Event::KeyDeleted {
        generation: g,
        result: deleted,
    });
    assert_eq!(state.connection.phase, Phase::NeedKey);
    assert!(!state.notices.list().is_empty(), "signing out is said");
    state.handle(Command::Connection(ConnectionCommand::EditKey(
        Zeroizing::new("sk-new".into()),
    )));
    let g = generation(&state.handle(Command::Connection(ConnectionCommand::SubmitKey)));
    state.on_event(Event::KeyChecked {
        generation: g,
        result: Ok(context()),
    });
    state.on_event(Event::KeySaved {
        generation: g,
        result: Ok(()),
    });
    assert_eq!(state.connection.phase, Phase::Ready);
}

#[test]
fn the_signed_out_notice_goes_once_a_new_key_is_accepted() {
    let mut state = state();
    state.notices.push(NoticeLevel::Info, "something else");
    let effects = state.handle(Command::Connection(ConnectionCommand::SignOut));
    let g = generation(&effects);
    state.on_event(Event::KeyDeleted {
        generation: g,
        result: Ok(true),
    });
    assert!(
        texts(&state).iter().any(|t| t.starts_with(
            "Signed out: the API key was removed from this computer. Enter a key to stage files again."
        )),
        "{:?}",
        texts(&state)
    );
    state.handle(Command::Connection(ConnectionCommand::EditKey(
        Zeroizing::new("sk-new".into()),
    )));
    let g = generation(&state.handle(Command::Connection(ConnectionCommand::SubmitKey)));
    state.on_event(Event::KeyChecked {
        generation: g,
        result: Ok(context()),
    });
    // Still signed out while the key is being saved.
    assert!(texts(&state).iter().any(|t| t.starts_with("Signed out")));
    state.on_event(Event::KeySaved {
        generation: g,
        result: Ok(()),
    });
    assert_eq!(state.connection.phase, Phase::Ready);
    assert_eq!(
        texts(&state),
        ["something else"],
        "only the notice about signing out goes"
    );
}

#[test]
fn a_key_that_could_not_be_removed_is_no_news_once_another_is_accepted() {
    let mut state = state();
    sign_out_then_enter_a_key(&mut state, Err(KeyStoreError::Refused("locked".into())));
    assert!(texts(&state).is_empty(), "{:?}", texts(&state));
}

#[test]
fn settings_that_could_not_be_saved_are_no_news_once_they_are() {
    let mut state = state();
    state.on_event(Event::SettingsSaved(Err("disk full".into())));
    assert_eq!(
        texts(&state),
        [
            "Settings could not be saved to settings.toml (disk full); they apply until the window closes."
        ]
    );
    state.on_event(Event::SettingsSaved(Ok(())));
    assert!(texts(&state).is_empty());
}

#[test]
fn a_history_that_could_not_be_saved_is_no_news_once_it_is() {
    let mut state = state();
    let not_saved = QueueEvent::HistoryNotSaved {
        reason: "disk full".into(),
    };
    state.on_event(Event::Queue(Box::new(not_saved)));
    assert_eq!(texts(&state).len(), 1);
    state.on_event(Event::Queue(Box::new(QueueEvent::HistorySaved {
        recovered: 2,
    })));
    assert_eq!(
        texts(&state),
        ["The list of staged files is saved again (2 waiting records written to history.sqlite3)."]
    );
}

fn refused(id: u64, path: &str, error: LocalFileError) -> Event {
    Event::Queue(Box::new(QueueEvent::Refused {
        id,
        batch: 7,
        shown: path.rsplit('/').next().unwrap_or(path).into(),
        error,
        named: true,
        replaces: Some(format!("old-{id}")),
    }))
}

fn inspected(refused: usize) -> Event {
    Event::Queue(Box::new(QueueEvent::Inspected {
        batch: 7,
        summary: BatchSummary {
            files: 0,
            bytes: 0,
            refused,
            folders: Vec::new(),
            question: None,
        },
    }))
}

#[test]
fn staging_again_a_file_that_is_gone_says_where_it_was_and_what_to_do() {
    let mut state = state();
    state.on_event(refused(
        1,
        "/home/op/Scans/a.pdf",
        LocalFileError::NotFound("/home/op/Scans/a.pdf".into()),
    ));
    state.on_event(inspected(1));
    assert_eq!(
        texts(&state),
        [
            "The original file is no longer at /home/op/Scans/a.pdf. If you moved or renamed it, add it again from where it is now."
        ]
    );
    assert!(
        state.uploads.table.rows().is_empty(),
        "no row says \"there is no such file\""
    );
}

#[test]
fn several_gone_files_are_said_once_and_other_refusals_keep_their_rows() {
    let mut state = state();
    state.on_event(refused(
        1,
        "/a/x.pdf",
        LocalFileError::NotFound("/a/x.pdf".into()),
    ));
    state.on_event(refused(
        2,
        "/a/y.pdf",
        LocalFileError::NotFound("/a/y.pdf".into()),
    ));
    state.on_event(refused(
        3,
        "/a/z.pdf",
        LocalFileError::Empty("/a/z.pdf".into()),
    ));
    state.on_event(inspected(3));
    assert_eq!(
        texts(&state),
        [
            "2 original files are no longer where they were (/a/x.pdf, /a/y.pdf). If you moved or renamed them, add them again from where they are now.",
            "1 item could not be added; the list below says why.",
        ]
    );
    assert_eq!(state.uploads.table.rows().len(), 1);
}

fn added(id: u64) -> Event {
    let name = format!("{id}.pdf");
    Event::Queue(Box::new(QueueEvent::Added {
        id,
        batch: 9,
        file: crate::local_file::LocalFile {
            path: format!("/a/{name}").into(),
            name: name.clone(),
            size: 10,
            relative_path: name,
            modified: None,
        },
        group: None,
        replaces: None,
    }))
}

#[test]
fn the_resumed_notice_goes_once_none_of_its_files_is_on_its_way() {
    let mut state = state();
    state.on_event(added(1));
    state.on_event(added(2));
    state.on_event(Event::Queue(Box::new(QueueEvent::Resumed {
        batch: 9,
        ids: vec![1, 2],
        maybe_stored: 0,
        not_resumed: vec!["gone.pdf".into()],
    })));
    assert_eq!(texts(&state).len(), 2);
    state.on_event(Event::Queue(Box::new(QueueEvent::Cancelled { id: 1 })));
    assert!(
        texts(&state)[0].contains("are being staged now"),
        "one is still on its way"
    );
    state.on_event(Event::Queue(Box::new(QueueEvent::Cancelled { id: 2 })));
    let left = texts(&state);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        left[0].contains("(gone.pdf)"),
        "what was not resumed stays: {left:?}"
    );
}
