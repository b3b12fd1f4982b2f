//! The operator's settings: which server, which organization, how many uploads at once.
//! Stored as JSON in the platform's config folder. Never holds the key.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::atomic_file::{self, SetAside};

/// Bumped when the file's meaning changes; older apps then keep a newer file aside
/// instead of misreading it.
pub const SETTINGS_VERSION: u32 = 1;

/// Requests in flight at once unless the settings say otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// What the operator chose, kept between runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    /// The file's format.
    pub version: u32,
    /// `None` means the public API.
    pub base_url: Option<String>,
    /// The organization files are staged for; `None` means "ask the key".
    pub organization_id: Option<String>,
    /// Its name, as the server gave it, to show it on later starts.
    pub organization_name: Option<String>,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Say when a group is staged while the window is in the background (taskbar and a
    /// desktop notification).
    pub notify_when_staged: bool,
    /// The language texts are worded in (`en`, `de`, `fr`, `es`, `ja`); `None` follows
    /// the system's (see [`crate::messages::Language::choose`]).
    pub language: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            version: SETTINGS_VERSION,
            base_url: None,
            organization_id: None,
            organization_name: None,
            concurrency: DEFAULT_CONCURRENCY,
            notify_when_staged: true,
            language: None,
        }
    }
}

impl Settings {
    /// Reads the settings; a damaged or newer file is kept aside and reported.
    pub fn load(path: &Path) -> (Self, Option<SetAside>) {
        let (mut s, problem): (Self, _) = atomic_file::read_document(path, SETTINGS_VERSION);
        s.version = SETTINGS_VERSION;
        s.concurrency = s.concurrency.clamp(1, 16);
        (s, problem)
    }

    /// Writes the settings atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        atomic_file::write(path, &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_unknown_fields_are_tolerated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let s = Settings {
            organization_id: Some("11111111-2222-3333-4444-555555555555".into()),
            ..Settings::default()
        };
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path), (s, None));
        std::fs::write(
            &path,
            br#"{"version":1,"concurrency":2,"somethingNew":true}"#,
        )
        .unwrap();
        assert_eq!(Settings::load(&path).0.concurrency, 2);
    }

    #[test]
    fn damaged_or_future_files_are_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, b"\x00garbage").unwrap();
        let (s, problem) = Settings::load(&path);
        assert_eq!(s, Settings::default());
        let problem = problem.unwrap();
        assert_eq!(
            std::fs::read(problem.backup.unwrap()).unwrap(),
            b"\x00garbage"
        );

        std::fs::write(&path, br#"{"version":99}"#).unwrap();
        let (_, problem) = Settings::load(&path);
        assert!(problem.unwrap().reason.contains("newer version"));
    }
}
