//! Files that are either wholly old or wholly new: written to a temporary file beside the
//! target, flushed to disk, then renamed over it. A crash or a kill mid-write leaves the
//! previous version in place, never half a file.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Replaces `path` with `contents` atomically, creating the parent folder if needed.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // The rename itself lives in the directory: flush it too, where the platform allows.
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Temporary files left by a write that was killed before its rename. Only old ones: a
/// fresh one may belong to another instance writing right now.
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let is_ours = entry.file_name().to_string_lossy().starts_with(".tmp-");
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(600));
        if is_ours && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Moves a file the app could not read aside (`history.json` → `history.json.bad-<secs>`),
/// so that the operator or support can still look at it, and returns where it went. Never
/// overwrites an earlier backup: see [`move_aside`].
pub fn keep_aside(path: &Path) -> io::Result<PathBuf> {
    move_aside(path, "bad")
}

/// Renames `path` to `<name>.<label>-<secs>` (then `-<secs>-1`, `-<secs>-2`, … if that name
/// is taken), so that two files set aside within the same second, by this process or
/// another, both survive: a backup is evidence and must never be overwritten.
pub fn move_aside(path: &Path, label: &str) -> io::Result<PathBuf> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let base = path.file_name().unwrap_or_default().to_os_string();
    for n in 0..1000u32 {
        let mut name = base.clone();
        if n == 0 {
            name.push(format!(".{label}-{secs}"));
        } else {
            name.push(format!(".{label}-{secs}-{n}"));
        }
        let candidate = path.with_file_name(name);
        match rename_no_replace(path, &candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "too many files were already set aside in this second",
    ))
}

/// Renames `from` to `to` unless `to` exists. A hard link fails atomically when the name is
/// taken, even if another process takes it at the same moment; where links are not
/// supported (FAT, some network drives) the name is checked, then renamed.
fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => std::fs::remove_file(from).inspect_err(|_| {
            // Keep one name only: the original stays where it was.
            let _ = std::fs::remove_file(to);
        }),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::AlreadyExists | io::ErrorKind::NotFound
            ) =>
        {
            Err(e)
        }
        Err(_) => {
            if std::fs::symlink_metadata(to).is_ok() {
                return Err(io::Error::from(io::ErrorKind::AlreadyExists));
            }
            std::fs::rename(from, to)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_replaces_whole_file_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/settings.json");
        write(&path, b"first version, longer").unwrap();
        write(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("settings.json")]);
    }

    #[test]
    fn keep_aside_moves_the_bad_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.json");
        std::fs::write(&path, b"{not json").unwrap();
        let backup = keep_aside(&path).unwrap();
        assert!(!path.exists());
        assert_eq!(std::fs::read(backup).unwrap(), b"{not json");
    }

    #[test]
    fn files_kept_aside_within_one_second_never_overwrite_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.json");
        // Someone's file already has the name this second's first backup would take.
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        for s in [secs, secs + 1] {
            std::fs::write(dir.path().join(format!("history.json.bad-{s}")), b"theirs").unwrap();
        }
        // Three in a row: at least two of them fall within the same second.
        let mut backups = Vec::new();
        for i in 0..3 {
            std::fs::write(&path, format!("version {i}")).unwrap();
            backups.push(keep_aside(&path).unwrap());
            assert!(!path.exists());
        }
        for (i, backup) in backups.iter().enumerate() {
            assert_eq!(
                std::fs::read_to_string(backup).unwrap(),
                format!("version {i}")
            );
        }
        for s in [secs, secs + 1] {
            let theirs = dir.path().join(format!("history.json.bad-{s}"));
            assert_eq!(std::fs::read(theirs).unwrap(), b"theirs");
        }
        let names: std::collections::HashSet<_> = backups.iter().collect();
        assert_eq!(names.len(), 3);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 5);
    }

    #[test]
    fn move_aside_says_why_when_the_file_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let err = move_aside(&dir.path().join("none.json"), "imported").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}

/// What went wrong reading a stored JSON document, said so that the operator knows nothing
/// was lost: the bad file was kept aside and the app started fresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// The file that could not be used.
    pub original: PathBuf,
    /// Where it was kept, when it could be moved.
    pub backup: Option<PathBuf>,
    /// What was wrong with it, in plain words.
    pub reason: String,
}

impl std::fmt::Display for SetAside {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.backup {
            Some(b) => f.write_str(&crate::t!(
                "startup-file-kept-aside",
                reason = self.reason.as_str(),
                file = self.original.display().to_string(),
                backup = b.display().to_string()
            )),
            None => f.write_str(&crate::t!(
                "startup-file-not-moved",
                reason = self.reason.as_str(),
                file = self.original.display().to_string()
            )),
        }
    }
}

/// Reads a JSON document that carries a `version` field. A missing file is the default
/// document; a file that does not parse, or that a newer version of the app wrote, is
/// kept aside (never overwritten) and reported.
pub fn read_document<T>(path: &Path, current_version: u32) -> (T, Option<SetAside>)
where
    T: serde::de::DeserializeOwned + Default,
{
    if let Some(dir) = path.parent() {
        remove_stale_temp_files(dir);
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return (T::default(), None),
        Err(e) => {
            // Unreadable (permissions, a folder in its place): do not touch it.
            return (
                T::default(),
                Some(SetAside {
                    original: path.to_path_buf(),
                    backup: None,
                    reason: crate::t!("startup-file-unreadable", reason = e.to_string()),
                }),
            );
        }
    };
    #[derive(serde::Deserialize)]
    struct Versioned {
        #[serde(default)]
        version: u32,
    }
    let reason = match serde_json::from_slice::<Versioned>(&bytes) {
        Ok(v) if v.version > current_version => Some(crate::t!(
            "startup-file-newer",
            found = v.version,
            known = current_version
        )),
        Ok(_) => match serde_json::from_slice::<T>(&bytes) {
            Ok(doc) => return (doc, None),
            Err(e) => Some(crate::t!("startup-file-damaged", reason = e.to_string())),
        },
        Err(e) => Some(crate::t!("startup-file-damaged", reason = e.to_string())),
    };
    let reason = reason.unwrap_or_default();
    let backup = keep_aside(path).ok();
    (
        T::default(),
        Some(SetAside {
            original: path.to_path_buf(),
            backup,
            reason,
        }),
    )
}
