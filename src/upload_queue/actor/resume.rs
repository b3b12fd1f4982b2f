//! Which unfinished files (left in the pending table by a process that ended) are staged
//! again, and when: plain decisions, tested here.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::history::{PendingFile, UnfinishedFile};
use crate::local_file::{LocalFile, LocalFileError};

/// What becomes of one unfinished file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ResumeDecision {
    /// Its bytes are on disk as they were when it was added: stage it.
    Resume,
    /// It is gone, unreadable, or changed since (another size or modification time):
    /// staging it now would stage something the operator did not ask for. Said, not sent.
    GoneOrChanged,
}

/// Whether `kept` (as it was added) may be staged as the file `now` is on disk.
pub(super) fn decide(
    kept: &PendingFile,
    now: &Result<LocalFile, LocalFileError>,
) -> ResumeDecision {
    match now {
        Ok(file)
            if file.size == kept.size
                && file.modified.map(to_millis) == kept.modified.map(to_millis) =>
        {
            ResumeDecision::Resume
        }
        _ => ResumeDecision::GoneOrChanged,
    }
}

/// The pending table keeps times to the millisecond; the file system has finer ones.
fn to_millis(at: SystemTime) -> i128 {
    match at.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_millis()).unwrap_or(i128::MAX),
        Err(before) => -i128::try_from(before.duration().as_millis()).unwrap_or(i128::MAX),
    }
}

/// Splits `files` into those meant for this organization on this server (staged now: an
/// ID is only valid where it was made) and the others (kept for a later target).
pub(super) fn for_target(
    files: Vec<UnfinishedFile>,
    organization: &str,
    server: &str,
) -> (Vec<UnfinishedFile>, Vec<UnfinishedFile>) {
    files
        .into_iter()
        .partition(|u| u.file.organization_id == organization && u.file.server == server)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Duration;

    use super::*;

    fn kept(size: u64, modified: Option<SystemTime>) -> PendingFile {
        PendingFile {
            path: PathBuf::from("/data/a.pdf"),
            relative_path: "a.pdf".to_owned(),
            size,
            modified,
            group: None,
            place_in_group: None,
            organization_id: "org-1".to_owned(),
            server: "https://a.example/v2".to_owned(),
            replaces: None,
        }
    }

    fn on_disk(size: u64, modified: Option<SystemTime>) -> Result<LocalFile, LocalFileError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pdf");
        std::fs::write(&path, vec![0u8; 3]).unwrap();
        let mut file = LocalFile::inspect(&path).unwrap();
        file.size = size;
        file.modified = modified;
        Ok(file)
    }

    #[test]
    fn only_unchanged_bytes_resume() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let later = at + Duration::from_millis(1);
        assert_eq!(
            decide(&kept(3, Some(at)), &on_disk(3, Some(at))),
            ResumeDecision::Resume
        );
        assert_eq!(
            decide(&kept(3, None), &on_disk(3, None)),
            ResumeDecision::Resume
        );
        assert_eq!(
            decide(&kept(3, Some(at)), &on_disk(4, Some(at))),
            ResumeDecision::GoneOrChanged
        );
        assert_eq!(
            decide(&kept(3, Some(at)), &on_disk(3, Some(later))),
            ResumeDecision::GoneOrChanged
        );
        let gone = Err(LocalFileError::Unreadable("a.pdf".into(), "gone".into()));
        assert_eq!(
            decide(&kept(3, Some(at)), &gone),
            ResumeDecision::GoneOrChanged
        );
    }

    #[test]
    fn files_go_only_to_their_own_organization_and_server() {
        let file = |org: &str, server: &str, seq: u64| UnfinishedFile {
            id: crate::history::PendingId::for_tests(seq),
            file: PendingFile {
                organization_id: org.to_owned(),
                server: server.to_owned(),
                ..kept(1, None)
            },
            maybe_stored: false,
        };
        let files = vec![
            file("org-1", "https://a.example/v2", 1),
            file("org-2", "https://a.example/v2", 2),
            file("org-1", "https://b.example/v2", 3),
        ];
        let (now, later) = for_target(files, "org-1", "https://a.example/v2");
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].id, crate::history::PendingId::for_tests(1));
        assert_eq!(later.len(), 2);
    }
}
