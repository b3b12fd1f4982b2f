//! Files the operator asked to stage, checked before anything is sent: each one is a
//! readable, non-empty regular file, or gets a message that says what is wrong with it.

use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::t;

/// A file that passed the checks, with the name the server will store, and its size and
/// modification time when it was checked (a file that differs when it is sent is not the
/// file that was added).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    /// Where it is.
    pub path: PathBuf,
    /// The name sent to the server, which stores one flat name: the file name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// What the operator is shown: for a file found in a folder they added, its path from
    /// that folder, '/'-separated and starting with the folder's name (`Scans/2024/page1.pdf`,
    /// see [`crate::folder_scan`]); for a file added on its own, the same as `name`.
    pub relative_path: String,
    /// When the file was last changed, as seen when it was checked; `None` where the
    /// system does not say.
    pub modified: Option<SystemTime>,
}

/// Why a path cannot be staged, in words that say what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[expect(missing_docs, reason = "each variant's message is its documentation")]
pub enum LocalFileError {
    #[error("{}", t!("local-file-not-found", name = .0.as_str()))]
    NotFound(String),
    /// A file staged before is no longer where it was (staging it again): said so, not as
    /// a name the operator mistyped.
    #[error("{}", t!("local-file-gone", name = .0.as_str()))]
    Gone(String),
    #[error("{}", t!("local-file-is-folder", name = .0.as_str()))]
    IsFolder(String),
    #[error("{}", t!("local-file-permission-denied", name = .0.as_str()))]
    PermissionDenied(String),
    #[error("{}", t!("local-file-link-loop", name = .0.as_str()))]
    LinkLoop(String),
    #[error("{}", t!("local-file-not-regular", name = .0.as_str(), kind = kind_text(.1)))]
    NotRegular(String, &'static str),
    #[error("{}", t!("local-file-empty", name = .0.as_str()))]
    Empty(String),
    #[error("{}", t!("local-file-unreadable", name = .0.as_str(), reason = .1.as_str()))]
    Unreadable(String, String),
}

/// The kind of a special file ([`special_kind`]), in the operator's language.
fn kind_text(kind: &str) -> String {
    match kind {
        "named pipe" => t!("local-file-kind-pipe"),
        "socket" => t!("local-file-kind-socket"),
        "device" => t!("local-file-kind-device"),
        _ => t!("local-file-kind-special"),
    }
}

impl LocalFile {
    /// Checks a path without reading its content (and without opening pipes, which could
    /// block for ever).
    pub fn inspect(path: &Path) -> Result<Self, LocalFileError> {
        Self::inspect_with(path, std::fs::metadata(path))
    }

    /// [`inspect`](Self::inspect) with the path's metadata already read (it was, to tell
    /// a file from a folder): each file costs one look fewer.
    pub fn inspect_with(
        path: &Path,
        metadata: io::Result<std::fs::Metadata>,
    ) -> Result<Self, LocalFileError> {
        let shown = path.display().to_string();
        let meta = metadata.map_err(|e| describe_io(&shown, &e))?;
        let kind = meta.file_type();
        if kind.is_dir() {
            return Err(LocalFileError::IsFolder(shown));
        }
        if !kind.is_file() {
            return Err(LocalFileError::NotRegular(shown, special_kind(&kind)));
        }
        check_readable(path).map_err(|e| describe_io(&shown, &e))?;
        if meta.len() == 0 {
            return Err(LocalFileError::Empty(shown));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        Ok(Self {
            path: path.to_path_buf(),
            relative_path: name.clone(),
            name,
            size: meta.len(),
            modified: meta.modified().ok(),
        })
    }

    /// Checks the file again (before a retry, say), keeping the `name` and `relative_path`
    /// the operator saw: size and `modified` are fresh, the labels are not.
    pub fn reinspect(&self) -> Result<Self, LocalFileError> {
        let mut fresh = Self::inspect(&self.path)?;
        fresh.name.clone_from(&self.name);
        fresh.relative_path.clone_from(&self.relative_path);
        Ok(fresh)
    }
}

/// Whether this process may read the regular file at `path`. The system is asked for
/// the effective user's right to read (`faccessat` with `AT_EACCESS`: ACLs and root
/// included, as an open would), which costs half an open and close: at thousands of
/// files that is most of the look. When the system says no, or cannot say, an open gives
/// the answer and its reason, so no file is refused that an open would read.
#[cfg(unix)]
fn check_readable(path: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    if let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) {
        // SAFETY: `c_path` is a NUL-terminated string that lives through the call, and
        // faccessat only reads it.
        let answer = unsafe {
            libc::faccessat(
                libc::AT_FDCWD,
                c_path.as_ptr(),
                libc::R_OK,
                libc::AT_EACCESS,
            )
        };
        if answer == 0 {
            return Ok(());
        }
    }
    std::fs::File::open(path).map(drop)
}

/// Opening proves we may read it; permissions alone do not tell (ACLs, root).
#[cfg(not(unix))]
fn check_readable(path: &Path) -> io::Result<()> {
    std::fs::File::open(path).map(drop)
}

/// The message for an I/O error met while looking at `shown` (a file or a folder).
pub(crate) fn describe_io(shown: &str, e: &io::Error) -> LocalFileError {
    match e.kind() {
        io::ErrorKind::NotFound => LocalFileError::NotFound(shown.to_owned()),
        io::ErrorKind::PermissionDenied => LocalFileError::PermissionDenied(shown.to_owned()),
        io::ErrorKind::IsADirectory => LocalFileError::IsFolder(shown.to_owned()),
        _ if is_link_loop(e) => LocalFileError::LinkLoop(shown.to_owned()),
        _ => LocalFileError::Unreadable(shown.to_owned(), e.to_string()),
    }
}

#[cfg(unix)]
fn is_link_loop(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc_eloop())
}

#[cfg(unix)]
const fn libc_eloop() -> i32 {
    // ELOOP: 40 on Linux, 62 on macOS and the BSDs.
    if cfg!(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    )) {
        62
    } else {
        40
    }
}

#[cfg(not(unix))]
fn is_link_loop(_e: &io::Error) -> bool {
    false
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "named pipe"
    } else if kind.is_socket() {
        "socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "device"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_kind: &std::fs::FileType) -> &'static str {
    "special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_file_passes_with_its_name_and_size() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("report final.pdf");
        std::fs::write(&p, b"%PDF").unwrap();
        let f = LocalFile::inspect(&p).unwrap();
        assert_eq!((f.name.as_str(), f.size), ("report final.pdf", 4));
        // Added on its own, it is shown by its name; its time is the one on disk.
        assert_eq!(f.relative_path, "report final.pdf");
        let on_disk = std::fs::metadata(&p).unwrap().modified().ok();
        assert!(f.modified.is_some());
        assert_eq!(f.modified, on_disk);
    }

    #[test]
    fn reinspect_keeps_the_labels_and_refreshes_the_size() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("page1.pdf");
        std::fs::write(&p, b"%PDF").unwrap();
        let mut f = LocalFile::inspect(&p).unwrap();
        f.relative_path = "Scans/2024/page1.pdf".into();
        f.name = "page1 (scan).pdf".into();
        std::fs::write(&p, b"%PDF-1.7 longer").unwrap();
        let fresh = f.reinspect().unwrap();
        assert_eq!(fresh.relative_path, "Scans/2024/page1.pdf");
        assert_eq!(fresh.name, "page1 (scan).pdf");
        assert_eq!(fresh.size, 15);
        std::fs::write(&p, b"").unwrap();
        assert!(matches!(f.reinspect(), Err(LocalFileError::Empty(_))));
    }

    #[test]
    fn each_bad_input_gets_its_own_message() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert!(matches!(
            LocalFile::inspect(&d.join("missing")),
            Err(LocalFileError::NotFound(_))
        ));
        assert!(matches!(
            LocalFile::inspect(d),
            Err(LocalFileError::IsFolder(_))
        ));
        std::fs::write(d.join("empty"), b"").unwrap();
        let e = LocalFile::inspect(&d.join("empty")).unwrap_err();
        assert!(e.to_string().contains("empty (0 bytes)"), "{e}");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(d.join("loop"), d.join("loop")).unwrap();
            assert!(matches!(
                LocalFile::inspect(&d.join("loop")),
                Err(LocalFileError::LinkLoop(_))
            ));
            assert!(matches!(
                LocalFile::inspect(Path::new("/dev/null")),
                Err(LocalFileError::NotRegular(_, "device"))
            ));
            // A pipe must be refused without being opened (opening would block).
            let fifo = d.join("pipe");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                assert!(matches!(
                    LocalFile::inspect(&fifo),
                    Err(LocalFileError::NotRegular(_, "named pipe"))
                ));
            }
            // Unreadable: only observable when not running as root.
            use std::os::unix::fs::PermissionsExt;
            let locked = d.join("locked.pdf");
            std::fs::write(&locked, b"x").unwrap();
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
            if std::fs::File::open(&locked).is_err() {
                assert!(matches!(
                    LocalFile::inspect(&locked),
                    Err(LocalFileError::PermissionDenied(_))
                ));
            }
        }
    }
}
