#![allow(missing_docs)] // A stand-in until the SQLite history lands.
//! Every file staged from this computer: its ID, name, size, organization and when it was
//! staged (so when it expires). Kept as JSON in the platform's data folder and rewritten
//! atomically at each change (a stand-in until the SQLite history lands), so a crash or a kill never loses what was already staged.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::api::TempFile;
use crate::atomic_file::{self, SetAside};

pub const HISTORY_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub organization_id: String,
    #[serde(with = "rfc3339")]
    pub staged_at: SystemTime,
    #[serde(skip)]
    pub group: Option<StagedGroup>,
    #[serde(skip)]
    pub source: Option<SourceFile>,
}

/// The drop, pick or paste a staged file came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedGroup {
    pub id: String,
    pub label: String,
    pub created_at: SystemTime,
}

/// The local file a staged file was staged from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    pub relative_path: String,
    pub size: u64,
    pub modified: Option<SystemTime>,
}

pub type HistoryNotice = SetAside;
pub type HistoryError = std::io::Error;

impl HistoryEntry {
    pub fn expires_at(&self) -> SystemTime {
        self.staged_at + crate::STAGED_FILE_LIFETIME
    }

    /// Time left before the API deletes the file; zero once it has.
    pub fn time_left(&self, now: SystemTime) -> Duration {
        self.expires_at()
            .duration_since(now)
            .unwrap_or(Duration::ZERO)
    }

    pub fn is_expired(&self, now: SystemTime) -> bool {
        self.time_left(now).is_zero()
    }

    pub fn temp_file(&self) -> TempFile {
        TempFile {
            id: self.id.clone(),
            name: self.name.clone(),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct HistoryDocument {
    version: u32,
    entries: Vec<HistoryEntry>,
}

/// The history, shared between the upload queue (which records) and the faces (which
/// read and clear). Methods that write do blocking file I/O: call them off the UI thread.
#[derive(Clone)]
pub struct HistoryStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    entries: Mutex<Vec<HistoryEntry>>,
}

impl HistoryStore {
    /// Loads the history, keeping a damaged or newer-format file aside (and saying so)
    /// rather than overwriting it.
    pub fn open(path: &Path) -> (Self, Option<SetAside>) {
        let (doc, problem): (HistoryDocument, _) =
            atomic_file::read_document(path, HISTORY_VERSION);
        let store = Self {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                entries: Mutex::new(doc.entries),
            }),
        };
        (store, problem)
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// All entries, oldest first.
    pub fn entries(&self) -> Result<Vec<HistoryEntry>, HistoryError> {
        Ok(self.lock().clone())
    }

    pub fn unexpired(&self, now: SystemTime) -> Result<Vec<HistoryEntry>, HistoryError> {
        Ok(self
            .lock()
            .iter()
            .filter(|e| !e.is_expired(now))
            .cloned()
            .collect())
    }

    pub fn replace(&self, old_id: &str, new: &HistoryEntry) -> Result<bool, HistoryError> {
        let mut found = false;
        self.update(|entries| {
            if let Some(e) = entries.iter_mut().find(|e| e.id == old_id) {
                let group = e.group.clone();
                *e = new.clone();
                e.group = group;
                found = true;
            }
        })?;
        Ok(found)
    }

    /// Appends and saves. The entries stay in memory even if the disk refuses, so the
    /// session still shows them; the error says the file could not be written.
    pub fn record(&self, new: &[HistoryEntry]) -> std::io::Result<()> {
        self.update(|entries| entries.extend_from_slice(new))
    }

    /// Removes entries whose files the API has already deleted.
    pub fn clear_expired(&self, now: SystemTime) -> std::io::Result<usize> {
        let mut n = 0;
        self.update(|entries| {
            let before = entries.len();
            entries.retain(|e| !e.is_expired(now));
            n = before - entries.len();
        })?;
        Ok(n)
    }

    pub fn clear_all(&self) -> std::io::Result<usize> {
        let mut n = 0;
        self.update(|entries| {
            n = entries.len();
            entries.clear();
        })?;
        Ok(n)
    }

    /// Applies `change` to the history as it is on disk now and writes it back, under a
    /// lock file: the window and a command line staging at the same time both keep what
    /// they recorded, neither overwrites the other's.
    fn update(&self, change: impl FnOnce(&mut Vec<HistoryEntry>)) -> std::io::Result<()> {
        let mut entries = self.lock();
        let _exclusive = lock_file(&self.inner.path);
        if let Some(on_disk) = read_entries(&self.inner.path) {
            *entries = on_disk;
        }
        change(&mut entries);
        save(&self.inner.path, &entries)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<HistoryEntry>> {
        // A panic elsewhere while holding the lock leaves a valid Vec: keep going.
        self.inner
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The entries another process may have written since we loaded; `None` when the file is
/// missing or unreadable, and then what this process holds is the best there is.
fn read_entries(path: &Path) -> Option<Vec<HistoryEntry>> {
    let bytes = std::fs::read(path).ok()?;
    let doc: HistoryDocument = serde_json::from_slice(&bytes).ok()?;
    (doc.version <= HISTORY_VERSION).then_some(doc.entries)
}

/// Holds an exclusive advisory lock on `<history>.lock` until dropped. Best effort: where
/// locking is impossible (read-only folder, odd file system) writing goes on without it.
fn lock_file(path: &Path) -> Option<std::fs::File> {
    let mut name = path.file_name()?.to_os_string();
    name.push(".lock");
    let lock_path = path.with_file_name(name);
    if let Some(dir) = lock_path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)
        .ok()?;
    file.lock().ok()?;
    Some(file)
}

fn save(path: &Path, entries: &[HistoryEntry]) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        version: u32,
        entries: &'a [HistoryEntry],
    }
    let json = serde_json::to_vec_pretty(&Doc {
        version: HISTORY_VERSION,
        entries,
    })
    .map_err(std::io::Error::other)?;
    atomic_file::write(path, &json)
}

mod rfc3339 {
    use std::time::SystemTime;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&humantime::format_rfc3339_seconds(*t).to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SystemTime, D::Error> {
        let s = String::deserialize(d)?;
        humantime::parse_rfc3339_weak(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, staged_at: SystemTime) -> HistoryEntry {
        HistoryEntry {
            id: id.into(),
            name: format!("{id}.pdf"),
            size: 3,
            organization_id: "11111111-2222-3333-4444-555555555555".into(),
            staged_at,
            group: None,
            source: None,
        }
    }

    #[test]
    fn records_survive_reopening_and_expired_ones_can_be_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.json");
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let (store, problem) = HistoryStore::open(&path);
        assert!(problem.is_none());
        store
            .record(&[entry("old", now - Duration::from_secs(3601))])
            .unwrap();
        store
            .record(&[entry("new", now - Duration::from_secs(60))])
            .unwrap();

        let (reopened, _) = HistoryStore::open(&path);
        assert_eq!(reopened.entries().unwrap().len(), 2);
        assert_eq!(
            reopened.entries().unwrap()[1].time_left(now),
            Duration::from_secs(59 * 60)
        );
        assert!(reopened.entries().unwrap()[0].is_expired(now));

        reopened.clear_expired(now).unwrap();
        let (again, _) = HistoryStore::open(&path);
        let ids: Vec<_> = again.entries().unwrap().into_iter().map(|e| e.id).collect();
        assert_eq!(ids, ["new"]);
    }

    #[test]
    fn two_processes_recording_at_once_keep_both_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.json");
        let now = SystemTime::now();
        let (window, _) = HistoryStore::open(&path);
        let (command_line, _) = HistoryStore::open(&path);
        window.record(&[entry("from-window", now)]).unwrap();
        command_line.record(&[entry("from-cli", now)]).unwrap();
        window.record(&[entry("from-window-2", now)]).unwrap();
        let (reopened, _) = HistoryStore::open(&path);
        let ids: Vec<_> = reopened
            .entries()
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(ids, ["from-window", "from-cli", "from-window-2"]);
    }
}
