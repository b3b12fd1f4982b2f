//! Where the app keeps its files: the platform's config folder for settings and its data
//! folder for the history (XDG folders on Linux, Application Support on macOS, AppData on
//! Windows). Never the key: that lives in the keychain.

use std::path::PathBuf;

/// The folders the app writes to. Tests point these at temporary folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    /// Where the settings are.
    pub config_dir: PathBuf,
    /// Where the history (and pasted images) are.
    pub data_dir: PathBuf,
}

impl AppPaths {
    /// The platform's folders for this app, or `None` when the system has no home folder.
    pub fn platform() -> Option<Self> {
        let dirs = directories::ProjectDirs::from("ai", "Asteroid", "asteroid-stager")?;
        Some(Self {
            config_dir: dirs.config_dir().to_path_buf(),
            data_dir: dirs.data_dir().to_path_buf(),
        })
    }

    /// The platform's folders, or folders in the system's temporary folder as a last resort
    /// so the app still works (and says where it writes) on a machine without a home.
    pub fn platform_or_temp() -> Self {
        Self::platform().unwrap_or_else(|| {
            let base = std::env::temp_dir().join("asteroid-stager");
            Self {
                config_dir: base.join("config"),
                data_dir: base.join("data"),
            }
        })
    }

    /// Folders inside `dir` (for tests and portable use).
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        Self {
            config_dir: dir.join("config"),
            data_dir: dir.join("data"),
        }
    }

    /// The settings file.
    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.json")
    }

    /// The history of staged files, an SQLite database (see `history::HistoryStore`).
    pub fn history_file(&self) -> PathBuf {
        self.data_dir.join("history.sqlite3")
    }

    /// Where versions before the database kept the history. `HistoryStore::open` imports it
    /// once, from beside [`Self::history_file`], then renames it `history.json.imported-…`.
    pub fn legacy_history_file(&self) -> PathBuf {
        self.data_dir.join(crate::history::LEGACY_FILE_NAME)
    }
}
