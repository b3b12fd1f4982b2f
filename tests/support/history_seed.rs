//! Entries written into a history before the app starts, for what cannot be staged quickly
//! (hundreds of megabytes) or only an hour later (expiry): the app reads them as its own.

use std::path::Path;
use std::time::{Duration, SystemTime};

use asteroid_stager::history::{GroupSource, HistoryEntry, HistoryStore, StagedGroup};

use super::ORG;

/// The ID the seeded entry number `n` gets (apart from the IDs the test server issues).
pub fn seeded_id(n: u64) -> String {
    format!("00000000-0000-4000-9000-{n:012}")
}

/// A group as a drop makes it, `ago` before now.
pub fn group(label: &str, ago: Duration) -> StagedGroup {
    StagedGroup {
        id: uuid::Uuid::new_v4().to_string(),
        source: GroupSource::Labelled(label.to_owned()),
        created_at: SystemTime::now() - ago,
    }
}

/// File number `n` of `size` bytes, staged `ago` before now in `group` (at `place`), for
/// the test organization on the default server (see [`write_on`] for another one); where
/// it came from is unknown (it cannot be staged again).
pub fn entry(
    n: u64,
    name: &str,
    size: u64,
    ago: Duration,
    group: Option<(&StagedGroup, u32)>,
) -> HistoryEntry {
    HistoryEntry {
        id: seeded_id(n),
        name: name.to_owned(),
        size,
        organization_id: ORG.to_owned(),
        server: asteroid_stager::DEFAULT_BASE_URL.to_owned(),
        staged_at: SystemTime::now() - ago,
        group: group.map(|(g, _)| g.clone()),
        place_in_group: group.map(|(_, place)| place),
        source: None,
    }
}

/// Writes `entries` into the history database at `path` (made if missing).
pub fn write(path: &Path, entries: &[HistoryEntry]) {
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("history folder");
    let (history, _) = HistoryStore::open(path);
    history.record(entries).expect("history written");
}

/// As [`write`], with every entry staged on `server` (as the history records it), so the
/// window, which lists only the server in use, shows them.
pub fn write_on(path: &Path, server: &str, entries: &[HistoryEntry]) {
    let on_server: Vec<HistoryEntry> = entries
        .iter()
        .map(|entry| HistoryEntry {
            server: server.to_owned(),
            ..entry.clone()
        })
        .collect();
    write(path, &on_server);
}
