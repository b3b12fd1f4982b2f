//! Folders the operator adds (dropped on the window, picked with "Add folder…", opened with
//! the app, or named on `asteroid-stager stage DIR`) turned into the files to stage.
//!
//! It exists so that the window and the command line expand a folder the same way, and
//! so that a folder never fails as a whole: every regular file inside it, nested folders
//! too, is checked like a file added on its own ([`LocalFile::inspect`]); what cannot be
//! staged (an empty or unreadable file, an unreadable subfolder, a link loop, a pipe…)
//! becomes a [`Refusal`] with its message, and the walk goes on. Hidden items (a name
//! starting with `.`) and operating-system clutter (`.DS_Store`, `Thumbs.db`, …) are
//! skipped and counted, never reported one by one.
//!
//! **Order.** Inputs stay in the order given. Inside a folder, files come depth-first with
//! the entries of each folder sorted by name (byte order, so `B.pdf` before `a.pdf`), files
//! and subfolders together, each subfolder's contents in its place: `a/b.txt`,
//! `a/c/d.txt`, `a/e.txt`, `b.txt`. That is the order of the paths inside the folder
//! compared name by name, the same on every run.
//!
//! **Skipped items.** A hidden or clutter *folder* counts as one skipped item and is not
//! read at all (a `.git` folder may hold thousands of files), hence the wording "3 hidden
//! items skipped". The folder the operator gave is never skipped, nor is a file they named
//! themselves, whatever its name.
//!
//! **Links.** Links to folders are followed; a link that leads back into a folder being
//! walked is refused as a [`LocalFileError::LinkLoop`] instead of being walked for ever.
//!
//! Plain blocking Rust, no UI: call [`expand`] off the window's frame (a blocking thread).

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

use crate::EXECUTION_UPLOAD_LIMIT;
use crate::format::{count, human_bytes};
use crate::local_file::{LocalFile, LocalFileError, describe_io};

/// Above this many files, a folder's expansion is confirmed with the operator first.
pub const LARGE_FOLDER_FILES: usize = 100;

/// Names that operating systems and file managers leave in folders, compared ignoring
/// ASCII case. Names starting with `._` (macOS AppleDouble files) are clutter too.
pub const CLUTTER_NAMES: &[&str] = &[
    ".DS_Store",
    ".Spotlight-V100",
    ".Trashes",
    ".fseventsd",
    ".TemporaryItems",
    "Icon\r",
    "Thumbs.db",
    "ehthumbs.db",
    "desktop.ini",
    "$RECYCLE.BIN",
    "System Volume Information",
];

/// Why an item found inside a folder was left out without being reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// Its name starts with `.`.
    Hidden,
    /// Operating-system clutter: one of [`CLUTTER_NAMES`] or an AppleDouble `._` file.
    Clutter,
}

/// Whether an item found inside a folder is left out, and why. Clutter wins over hidden
/// (`.DS_Store` is clutter). Applies only to what is found inside a folder: a file or
/// folder the operator named themselves is never skipped.
pub fn is_hidden_or_clutter(name: &OsStr) -> Option<SkipReason> {
    let name = name.to_string_lossy();
    if name.starts_with("._") || CLUTTER_NAMES.iter().any(|c| c.eq_ignore_ascii_case(&name)) {
        Some(SkipReason::Clutter)
    } else if name.starts_with('.') {
        Some(SkipReason::Hidden)
    } else {
        None
    }
}

/// What a list of paths the operator added (dropped, picked, given on the command line)
/// turns into.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The files to stage, in the order described in the [module docs](self): inputs in
    /// the order given, each folder's files depth-first, sorted by name.
    pub files: Vec<LocalFile>,
    /// Every input or found item that cannot be staged, in the order met, with why.
    /// Nothing is dropped silently except the hidden and clutter items counted in
    /// [`FolderSummary`].
    pub refused: Vec<Refusal>,
    /// One per input that is a folder, in the order given.
    pub folders: Vec<FolderSummary>,
}

/// An input, or an item found in a folder, that cannot be staged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Where it is on disk.
    pub path: PathBuf,
    /// How to show it: the path from the folder it was found in, starting with the
    /// folder's name (`Scans/2024/empty.pdf`), or the path as given for an input.
    pub shown: String,
    /// Why it cannot be staged; its message says what to do.
    pub error: LocalFileError,
}

/// What became of one folder given as input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderSummary {
    /// The folder as given.
    pub path: PathBuf,
    /// Its name as the operator knows it (`Scans`), also the first part of the
    /// `relative_path` of the files found in it.
    pub name: String,
    /// Files found that can be staged.
    pub files: usize,
    /// Their size in all.
    pub bytes: u64,
    /// Hidden items skipped (a hidden folder counts once, its contents are not read).
    pub hidden_skipped: usize,
    /// Clutter items skipped (`.DS_Store`, `Thumbs.db`, …).
    pub clutter_skipped: usize,
    /// Items found that cannot be staged (each is in [`Expansion::refused`]).
    pub refused: usize,
}

impl FolderSummary {
    /// One line for the operator, e.g. "12 files from Scans; 3 hidden items skipped" or
    /// "1 file from Scans; 1 hidden item and 2 system files skipped; 2 could not be added".
    pub fn describe(&self) -> String {
        let mut text = match self.files {
            0 => format!("No files from {}", self.name),
            n => format!("{} from {}", count(n, "file", "files"), self.name),
        };
        let mut skipped = Vec::new();
        if self.hidden_skipped > 0 {
            skipped.push(count(self.hidden_skipped, "hidden item", "hidden items"));
        }
        if self.clutter_skipped > 0 {
            skipped.push(count(self.clutter_skipped, "system file", "system files"));
        }
        if !skipped.is_empty() {
            text.push_str(&format!("; {} skipped", skipped.join(" and ")));
        }
        if self.refused > 0 {
            text.push_str(&format!("; {} could not be added", self.refused));
        }
        text
    }
}

impl Expansion {
    /// The size of all the files to stage.
    pub fn total_bytes(&self) -> u64 {
        self.files
            .iter()
            .fold(0, |sum, f| sum.saturating_add(f.size))
    }

    /// True when the operator should be asked first: a folder was given and the result
    /// has more than [`LARGE_FOLDER_FILES`] files or more than
    /// [`EXECUTION_UPLOAD_LIMIT`] bytes. Files named one by one never ask on their own.
    pub fn needs_confirmation(&self) -> bool {
        !self.folders.is_empty()
            && (self.files.len() > LARGE_FOLDER_FILES
                || self.total_bytes() > EXECUTION_UPLOAD_LIMIT)
    }

    /// The question to ask when [`needs_confirmation`](Self::needs_confirmation), e.g.
    /// "Scans holds 340 files (1.2 GB). An execution takes at most 200 MB of files. Stage
    /// them all?"; `None` when there is nothing to ask.
    pub fn confirmation_question(&self) -> Option<String> {
        if !self.needs_confirmation() {
            return None;
        }
        let (from_folders, folder_bytes) = self.folders.iter().fold((0, 0u64), |(n, b), f| {
            (n + f.files, b.saturating_add(f.bytes))
        });
        let subject = match self.folders.as_slice() {
            [one] => format!("{} holds", one.name),
            [a, b] => format!("{} and {} hold", a.name, b.name),
            [first, rest @ ..] => format!("{} and {} other folders hold", first.name, rest.len()),
            [] => return None,
        };
        let mut question = format!(
            "{subject} {} ({}).",
            count(from_folders, "file", "files"),
            human_bytes(folder_bytes)
        );
        let others = self.files.len().saturating_sub(from_folders);
        if others > 0 {
            question.push_str(&format!(
                " With the {} added, that makes {} ({}).",
                count(others, "other file", "other files"),
                count(self.files.len(), "file", "files"),
                human_bytes(self.total_bytes())
            ));
        }
        if self.total_bytes() > EXECUTION_UPLOAD_LIMIT {
            question.push_str(&format!(
                " An execution takes at most {} of files.",
                crate::format::execution_limit()
            ));
        }
        question.push_str(" Stage them all?");
        Some(question)
    }
}

/// Turns what the operator added into files to stage: a file is checked as it is (and
/// kept even if its name is hidden: they named it), a folder is walked as described in
/// the [module docs](self). Blocking (it reads the disk); never panics, and ends even
/// when links loop.
pub fn expand(paths: &[PathBuf]) -> Expansion {
    let mut out = Expansion::default();
    for path in paths {
        if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            expand_folder(path, &mut out);
        } else {
            match LocalFile::inspect(path) {
                Ok(file) => out.files.push(file),
                Err(error) => out.refused.push(Refusal {
                    path: path.clone(),
                    shown: path.display().to_string(),
                    error,
                }),
            }
        }
    }
    out
}

fn expand_folder(root: &Path, out: &mut Expansion) {
    let name = folder_name(root);
    let mut summary = FolderSummary {
        path: root.to_path_buf(),
        name: name.clone(),
        ..FolderSummary::default()
    };
    let mut walk = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    // Not a `for` loop: skipping a folder's contents needs the iterator in the body.
    while let Some(next) = walk.next() {
        let (path, result) = match next {
            Ok(entry) => {
                if entry.depth() == 0 {
                    continue; // The folder itself, named by the operator.
                }
                if let Some(reason) = is_hidden_or_clutter(entry.file_name()) {
                    count_skip(&mut summary, reason);
                    if entry.file_type().is_dir() {
                        walk.skip_current_dir();
                    }
                    continue;
                }
                if entry.file_type().is_dir() {
                    continue; // Its contents follow.
                }
                let path = entry.into_path();
                let result = LocalFile::inspect(&path);
                (path, result)
            }
            Err(err) => {
                // A loop, a broken link, an unreadable subfolder (after its entry), or,
                // rarely, a failure not tied to a path: then the folder itself is named.
                let path = err.path().unwrap_or(root).to_path_buf();
                if path != root
                    && let Some(reason) = path.file_name().and_then(is_hidden_or_clutter)
                {
                    count_skip(&mut summary, reason);
                    continue;
                }
                let shown = path.display().to_string();
                let error = if err.loop_ancestor().is_some() {
                    LocalFileError::LinkLoop(shown)
                } else if let Some(io) = err.io_error() {
                    describe_io(&shown, io)
                } else {
                    LocalFileError::Unreadable(shown, err.to_string())
                };
                (path, Err(error))
            }
        };
        let shown = if path == root {
            root.display().to_string()
        } else {
            shown_inside(&name, root, &path)
        };
        match result {
            Ok(mut file) => {
                file.relative_path = shown;
                summary.files += 1;
                summary.bytes = summary.bytes.saturating_add(file.size);
                out.files.push(file);
            }
            Err(error) => {
                summary.refused += 1;
                out.refused.push(Refusal { path, shown, error });
            }
        }
    }
    out.folders.push(summary);
}

fn count_skip(summary: &mut FolderSummary, reason: SkipReason) {
    match reason {
        SkipReason::Hidden => summary.hidden_skipped += 1,
        SkipReason::Clutter => summary.clutter_skipped += 1,
    }
}

/// The folder's name as the operator knows it: its last component, or for `.`, `..` and
/// the like the name of the folder they stand for; the path itself as a last resort.
fn folder_name(root: &Path) -> String {
    let ends_in_a_name = matches!(root.components().next_back(), Some(Component::Normal(_)));
    let named = if ends_in_a_name {
        root.file_name().map(OsStr::to_os_string)
    } else {
        std::fs::canonicalize(root)
            .ok()
            .and_then(|p| p.file_name().map(OsStr::to_os_string))
    };
    match named {
        Some(n) => n.to_string_lossy().into_owned(),
        None => root.display().to_string(),
    }
}

/// `Scans/2024/page1.pdf` for `page1.pdf` found in `<root>/2024` where root is named Scans.
fn shown_inside(folder: &str, root: &Path, path: &Path) -> String {
    let inside: Vec<String> = match path.strip_prefix(root) {
        Ok(rest) => rest
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect(),
        Err(_) => vec![path.display().to_string()],
    };
    let inside = inside.join("/");
    if folder.ends_with(['/', '\\']) {
        format!("{folder}{inside}")
    } else {
        format!("{folder}/{inside}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// Writes `content` at `root/rel`, making the folders on the way.
    fn put(root: &Path, rel: &str, content: &[u8]) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
    }

    fn shown(e: &Expansion) -> Vec<&str> {
        e.files.iter().map(|f| f.relative_path.as_str()).collect()
    }

    #[test]
    fn nested_tree_gives_every_visible_file_in_order_and_counts_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let scans = dir.path().join("Scans");
        put(&scans, "b.txt", b"bb");
        put(&scans, "A.pdf", b"a");
        put(&scans, "a/c.txt", b"ccc");
        put(&scans, "a/d/e.txt", b"eeee");
        put(&scans, "a/f.txt", b"f");
        // Hidden: a file, and a folder counted once and not read.
        put(&scans, ".hidden.txt", b"h");
        put(&scans, ".git/config", b"x");
        put(&scans, ".git/objects/ab/cdef", b"x");
        // Clutter, wherever it is and whatever its case.
        put(&scans, ".DS_Store", b"x");
        put(&scans, "._b.txt", b"x");
        put(&scans, "Thumbs.db", b"x");
        put(&scans, "a/desktop.ini", b"x");
        put(&scans, "a/d/THUMBS.DB", b"x");
        put(&scans, "$RECYCLE.BIN/old.txt", b"x");

        let e = expand(std::slice::from_ref(&scans));
        assert_eq!(
            shown(&e),
            [
                "Scans/A.pdf",
                "Scans/a/c.txt",
                "Scans/a/d/e.txt",
                "Scans/a/f.txt",
                "Scans/b.txt"
            ]
        );
        let names: Vec<&str> = e.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["A.pdf", "c.txt", "e.txt", "f.txt", "b.txt"]);
        assert_eq!(e.files[2].path, scans.join("a").join("d").join("e.txt"));
        assert!(e.refused.is_empty(), "{:?}", e.refused);
        assert_eq!(
            e.folders,
            [FolderSummary {
                path: scans.clone(),
                name: "Scans".into(),
                files: 5,
                bytes: 11,
                hidden_skipped: 2,
                clutter_skipped: 6,
                refused: 0,
            }]
        );
        assert_eq!(e.total_bytes(), 11);
        assert_eq!(
            e.folders[0].describe(),
            "5 files from Scans; 2 hidden items and 6 system files skipped"
        );
        assert!(!e.needs_confirmation());
        assert_eq!(e.confirmation_question(), None);
    }

    #[test]
    fn same_name_in_two_subfolders_is_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let scans = dir.path().join("Scans");
        put(&scans, "march/page1.pdf", b"%PDF-3");
        put(&scans, "april/page1.pdf", b"%PDF-4");
        let e = expand(&[scans]);
        assert_eq!(
            shown(&e),
            ["Scans/april/page1.pdf", "Scans/march/page1.pdf"]
        );
        assert!(e.files.iter().all(|f| f.name == "page1.pdf"));
        assert_eq!(e.folders[0].describe(), "2 files from Scans");
    }

    #[test]
    fn two_folders_with_the_same_file_are_told_apart_by_their_names() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "Scans/page1.pdf", b"1");
        put(dir.path(), "Invoices/page1.pdf", b"2");
        let e = expand(&[dir.path().join("Scans"), dir.path().join("Invoices")]);
        assert_eq!(shown(&e), ["Scans/page1.pdf", "Invoices/page1.pdf"]);
    }

    #[cfg(unix)]
    #[test]
    fn link_loops_and_broken_links_are_reported_and_the_rest_is_staged() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let scans = dir.path().join("Scans");
        put(&scans, "a.txt", b"a");
        put(&scans, "sub/b.txt", b"b");
        put(&scans, "z.txt", b"z");
        put(dir.path(), "Elsewhere/o.txt", b"o");
        symlink("..", scans.join("sub/up")).unwrap(); // back to Scans: a loop
        symlink("self", scans.join("self")).unwrap(); // points to itself
        symlink("nowhere", scans.join("broken")).unwrap();
        symlink("../Elsewhere", scans.join("linked")).unwrap(); // a linked folder: walked
        symlink("z.txt", scans.join("zz-link.txt")).unwrap(); // a linked file: staged
        symlink("nowhere", scans.join(".hidden-broken")).unwrap(); // hidden: skipped

        let e = expand(std::slice::from_ref(&scans));
        assert_eq!(
            shown(&e),
            [
                "Scans/a.txt",
                "Scans/linked/o.txt",
                "Scans/sub/b.txt",
                "Scans/z.txt",
                "Scans/zz-link.txt"
            ]
        );
        let refused: Vec<(&str, &LocalFileError)> = e
            .refused
            .iter()
            .map(|r| (r.shown.as_str(), &r.error))
            .collect();
        assert_eq!(refused.len(), 3, "{refused:?}");
        assert!(matches!(
            refused[0],
            ("Scans/broken", LocalFileError::NotFound(_))
        ));
        assert!(matches!(
            refused[1],
            ("Scans/self", LocalFileError::LinkLoop(_))
        ));
        assert!(matches!(
            refused[2],
            ("Scans/sub/up", LocalFileError::LinkLoop(_))
        ));
        assert_eq!(e.refused[2].path, scans.join("sub/up"));
        assert!(e.refused[2].error.to_string().contains("(a loop)"));
        assert_eq!(
            e.folders[0].describe(),
            "5 files from Scans; 1 hidden item skipped; 3 could not be added"
        );
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_subfolder_does_not_stop_the_rest() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let scans = dir.path().join("Scans");
        put(&scans, "a.txt", b"a");
        put(&scans, "locked/secret.txt", b"s");
        put(&scans, "z.txt", b"z");
        let locked = scans.join("locked");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        let can_still_read = fs::read_dir(&locked).is_ok();
        let e = expand(std::slice::from_ref(&scans));
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();

        if can_still_read {
            // Root reads it anyway: nothing to observe but that all of it comes through.
            eprintln!("note: running as root, the locked folder is readable; check skipped");
            assert_eq!(
                shown(&e),
                ["Scans/a.txt", "Scans/locked/secret.txt", "Scans/z.txt"]
            );
            return;
        }
        assert_eq!(shown(&e), ["Scans/a.txt", "Scans/z.txt"]);
        assert_eq!(e.refused.len(), 1, "{:?}", e.refused);
        assert_eq!(e.refused[0].shown, "Scans/locked");
        assert_eq!(e.refused[0].path, locked);
        assert!(matches!(
            e.refused[0].error,
            LocalFileError::PermissionDenied(_)
        ));
        assert_eq!(
            e.folders[0].describe(),
            "2 files from Scans; 1 could not be added"
        );
    }

    #[test]
    fn empty_files_inside_a_folder_are_refused_with_the_empty_message() {
        let dir = tempfile::tempdir().unwrap();
        let scans = dir.path().join("Scans");
        put(&scans, "empty.txt", b"");
        put(&scans, "full.txt", b"full");
        let e = expand(std::slice::from_ref(&scans));
        assert_eq!(shown(&e), ["Scans/full.txt"]);
        assert_eq!(e.refused.len(), 1);
        assert_eq!(e.refused[0].shown, "Scans/empty.txt");
        assert_eq!(e.refused[0].path, scans.join("empty.txt"));
        assert!(matches!(e.refused[0].error, LocalFileError::Empty(_)));
        assert!(
            e.refused[0]
                .error
                .to_string()
                .contains("is empty (0 bytes)")
        );
        assert_eq!(
            e.folders[0].describe(),
            "1 file from Scans; 1 could not be added"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_inside_a_folder_is_refused_without_being_opened() {
        let dir = tempfile::tempdir().unwrap();
        let scans = dir.path().join("Scans");
        put(&scans, "a.txt", b"a");
        let made = std::process::Command::new("mkfifo")
            .arg(scans.join("pipe"))
            .status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("note: mkfifo unavailable; check skipped");
            return;
        }
        // Opening the pipe would block this test for ever.
        let e = expand(&[scans]);
        assert_eq!(shown(&e), ["Scans/a.txt"]);
        assert!(matches!(
            e.refused[0].error,
            LocalFileError::NotRegular(_, "named pipe")
        ));
    }

    #[test]
    fn more_than_100_files_in_a_folder_asks_first() {
        let dir = tempfile::tempdir().unwrap();
        let scans = dir.path().join("Scans");
        for i in 0..100 {
            put(&scans, &format!("p{i:03}.txt"), b"x");
        }
        let e = expand(std::slice::from_ref(&scans));
        assert_eq!(e.files.len(), 100);
        assert!(!e.needs_confirmation());
        assert_eq!(e.confirmation_question(), None);

        put(&scans, "p100.txt", b"x");
        let e = expand(std::slice::from_ref(&scans));
        assert_eq!(e.files.len(), 101);
        assert!(e.needs_confirmation());
        assert_eq!(
            e.confirmation_question().unwrap(),
            "Scans holds 101 files (101 bytes). Stage them all?"
        );

        // The same 101 files named one by one were chosen one by one: no question.
        let one_by_one: Vec<PathBuf> = e.files.iter().map(|f| f.path.clone()).collect();
        assert!(!expand(&one_by_one).needs_confirmation());
    }

    #[test]
    fn more_than_an_execution_takes_asks_first() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("Big");
        fs::create_dir(&big).unwrap();
        // Sparse: takes no room on disk.
        let exactly = fs::File::create(big.join("exactly.bin")).unwrap();
        exactly.set_len(EXECUTION_UPLOAD_LIMIT).unwrap();
        let e = expand(std::slice::from_ref(&big));
        assert_eq!(e.total_bytes(), EXECUTION_UPLOAD_LIMIT);
        assert!(!e.needs_confirmation(), "exactly the limit is allowed");

        let more = fs::File::create(big.join("more.bin")).unwrap();
        more.set_len(50_000_000).unwrap();
        let e = expand(std::slice::from_ref(&big));
        assert!(e.needs_confirmation());
        assert_eq!(
            e.confirmation_question().unwrap(),
            "Big holds 2 files (250.0 MB). An execution takes at most 200 MB of files. \
             Stage them all?"
        );
    }

    #[test]
    fn the_question_names_several_folders_and_the_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for i in 0..60 {
            put(d, &format!("Scans/s{i:02}.txt"), b"xx");
            put(d, &format!("Invoices/i{i:02}.txt"), b"xx");
        }
        put(d, "Receipts/r.txt", b"xx");
        put(d, "note.txt", b"xx");
        let e = expand(&[d.join("Scans"), d.join("Invoices")]);
        assert_eq!(
            e.confirmation_question().unwrap(),
            "Scans and Invoices hold 120 files (240 bytes). Stage them all?"
        );
        let e = expand(&[
            d.join("Scans"),
            d.join("note.txt"),
            d.join("Invoices"),
            d.join("Receipts"),
        ]);
        assert_eq!(
            e.confirmation_question().unwrap(),
            "Scans and 2 other folders hold 121 files (242 bytes). With the 1 other file \
             added, that makes 122 files (244 bytes). Stage them all?"
        );
    }

    #[test]
    fn a_file_added_alone_is_shown_by_its_name() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "sub/report.pdf", b"%PDF");
        let e = expand(&[dir.path().join("sub/report.pdf")]);
        assert_eq!(e.files.len(), 1);
        assert_eq!(e.files[0].relative_path, "report.pdf");
        assert_eq!(e.files[0].name, "report.pdf");
        assert!(e.folders.is_empty());
    }

    #[test]
    fn mixed_inputs_keep_the_order_given() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        put(d, "z.txt", b"z");
        put(d, "Scans/b.txt", b"b");
        put(d, "Scans/a.txt", b"a");
        put(d, "a.txt", b"a");
        put(d, ".env", b"named by the operator");
        put(d, "Scans/.env", b"found: hidden");
        let e = expand(&[
            d.join("z.txt"),
            d.join("Scans"),
            d.join("missing.pdf"),
            d.join("a.txt"),
            d.join(".env"),
        ]);
        assert_eq!(
            shown(&e),
            ["z.txt", "Scans/a.txt", "Scans/b.txt", "a.txt", ".env"]
        );
        assert_eq!(e.refused.len(), 1);
        assert_eq!(
            e.refused[0].shown,
            d.join("missing.pdf").display().to_string()
        );
        assert!(matches!(e.refused[0].error, LocalFileError::NotFound(_)));
        assert_eq!(e.folders.len(), 1);
        assert_eq!(
            e.folders[0].describe(),
            "2 files from Scans; 1 hidden item skipped"
        );
    }

    #[test]
    fn a_hidden_folder_named_by_the_operator_is_walked_and_named_sensibly() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), ".config/app/x.toml", b"x");
        let e = expand(&[dir.path().join(".config")]);
        assert_eq!(shown(&e), [".config/app/x.toml"]);
        // A path ending in `..` is named after the folder it stands for.
        put(dir.path(), "Scans/sub/p.txt", b"p");
        let e = expand(&[dir.path().join("Scans/sub/..")]);
        assert_eq!(e.folders[0].name, "Scans");
        assert_eq!(shown(&e), ["Scans/sub/p.txt"]);
    }

    #[test]
    fn an_empty_folder_says_so() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "Scans/.DS_Store", b"x");
        let e = expand(&[dir.path().join("Scans")]);
        assert!(e.files.is_empty() && e.refused.is_empty());
        assert_eq!(
            e.folders[0].describe(),
            "No files from Scans; 1 system file skipped"
        );
    }

    #[test]
    fn hidden_and_clutter_names() {
        let cases: &[(&str, Option<SkipReason>)] = &[
            (".DS_Store", Some(SkipReason::Clutter)),
            (".ds_store", Some(SkipReason::Clutter)),
            ("Thumbs.db", Some(SkipReason::Clutter)),
            ("thumbs.DB", Some(SkipReason::Clutter)),
            ("Desktop.ini", Some(SkipReason::Clutter)),
            ("._page1.pdf", Some(SkipReason::Clutter)),
            ("$RECYCLE.BIN", Some(SkipReason::Clutter)),
            ("System Volume Information", Some(SkipReason::Clutter)),
            (".git", Some(SkipReason::Hidden)),
            (".env", Some(SkipReason::Hidden)),
            ("page1.pdf", None),
            ("Thumbs.db.pdf", None),
            ("my.DS_Store", None),
        ];
        for (name, want) in cases {
            assert_eq!(is_hidden_or_clutter(OsStr::new(name)), *want, "{name}");
        }
    }

    #[test]
    fn describe_gets_singular_and_plural_right() {
        let s = FolderSummary {
            name: "Scans".into(),
            files: 1,
            hidden_skipped: 1,
            clutter_skipped: 1,
            refused: 1,
            ..FolderSummary::default()
        };
        assert_eq!(
            s.describe(),
            "1 file from Scans; 1 hidden item and 1 system file skipped; 1 could not be added"
        );
        let s = FolderSummary {
            name: "Scans".into(),
            files: 12,
            hidden_skipped: 3,
            ..FolderSummary::default()
        };
        assert_eq!(s.describe(), "12 files from Scans; 3 hidden items skipped");
    }
}
