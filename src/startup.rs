//! What every face reads once at start: the settings and the history, with what the
//! operator should know about them (a damaged file kept aside, an old history imported),
//! worded once here so that the window and every command say it alike.

use crate::history::HistoryStore;
use crate::paths::AppPaths;
use crate::settings::Settings;

/// Something found at start, for the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartupNotice {
    /// A problem (a file could not be used), as opposed to news (a history imported).
    pub problem: bool,
    /// What happened and what became of it, in plain words.
    pub text: String,
}

/// The settings and the history, read once.
pub struct Startup {
    /// The operator's settings (defaults when the file is missing or unusable).
    pub settings: Settings,
    /// The history of staged files (in memory only when it cannot be opened).
    pub history: HistoryStore,
    /// What the operator should know, in the order found.
    pub notices: Vec<StartupNotice>,
}

impl Startup {
    /// Reads the settings and opens the history in `paths`. Never fails: whatever cannot be
    /// used is replaced by a fresh one and said in [`Startup::notices`].
    pub fn load(paths: &AppPaths) -> Self {
        let mut notices = Vec::new();
        let (settings, problem) = Settings::load(&paths.settings_file());
        // Before anything is worded: the notices below are in the operator's language.
        let chosen = settings.language.as_deref();
        // The unit tests share one process and read English texts, whatever the locale of
        // the machine they run on (a Settings' choice still counts).
        #[cfg(test)]
        let chosen = chosen.or(Some("en"));
        crate::messages::set_language(crate::messages::Language::choose(chosen));
        if let Some(problem) = problem {
            notices.push(StartupNotice {
                problem: true,
                text: crate::t!("startup-settings-unusable", problem = problem.to_string()),
            });
        }
        let (history, notice) = HistoryStore::open(&paths.history_file());
        if let Some(notice) = notice {
            let problem = notice.is_problem();
            let text = if problem {
                crate::t!("startup-history-unusable", problem = notice.to_string())
            } else {
                notice.to_string()
            };
            notices.push(StartupNotice { problem, text });
        }
        Self {
            settings,
            history,
            notices,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusable_files_are_replaced_and_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::in_dir(dir.path().to_path_buf());
        let fresh = Startup::load(&paths);
        assert!(fresh.notices.is_empty(), "{:?}", fresh.notices);
        drop(fresh);
        std::fs::create_dir_all(paths.settings_file().parent().unwrap()).unwrap();
        std::fs::write(paths.settings_file(), b"\x00\x01").unwrap();
        std::fs::write(
            paths.history_file().with_file_name("history.json"),
            b"{\"entries\": [tru",
        )
        .unwrap();
        let damaged = Startup::load(&paths);
        let texts: Vec<&str> = damaged.notices.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].starts_with("The settings file could not be used. "));
        assert!(texts[1].starts_with("The history file could not be used. "));
        assert!(damaged.notices.iter().all(|n| n.problem));
    }
}
