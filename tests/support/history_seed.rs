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

/// A group named `label` (as an older version stored names), `ago` before now.
pub fn group(label: &str, ago: Duration) -> StagedGroup {
    StagedGroup {
        id: uuid::Uuid::new_v4().to_string(),
        source: GroupSource::Labelled(label.to_owned()),
        created_at: SystemTime::now() - ago,
    }
}

/// File number `n` of `size` bytes, staged `ago` before now in `group` (at `place`), for
/// the test organization on the default server (see [`write`]); where it came from is
/// unknown (it cannot be staged again).
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

/// Writes `entries` into the history database at `path` (made if missing), as staged on
/// `server` (the window lists only its own server's files: pass the test server's address
/// as the app records it).
pub fn write(path: &Path, server: &str, entries: &[HistoryEntry]) {
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("history folder");
    let entries: Vec<HistoryEntry> = entries
        .iter()
        .cloned()
        .map(|e| HistoryEntry {
            server: server.to_owned(),
            ..e
        })
        .collect();
    let (history, _) = HistoryStore::open(path);
    history.record(&entries).expect("history written");
}
