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
//! A file reached a second time (through a linked folder or a link to a file met before)
//! is staged once, at the first place met, and counted in [`FolderSummary::found_twice`]:
//! two IDs for one file would only confuse the execute call that gets both.
//!
//! Plain blocking Rust, no UI: call [`expand`] off the window's frame (a blocking thread).

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

use crate::EXECUTION_UPLOAD_LIMIT;
use crate::format::{human_bytes, sentences};
use crate::local_file::{LocalFile, LocalFileError, describe_io};
use crate::t;

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
    /// Files found a second time through a link (the same file on disk): staged once.
    pub found_twice: usize,
}

impl FolderSummary {
    /// One line for the operator, e.g. "12 files from Scans; 3 hidden items skipped" or
    /// "1 file from Scans; 1 hidden item and 2 system files skipped; 2 could not be added".
    pub fn describe(&self) -> String {
        let folder = self.name.as_str();
        let mut text = match self.files {
            0 => t!("folder-scan-no-files-from", folder = folder),
            n => t!("folder-scan-files-from", count = n, folder = folder),
        };
        let mut skipped = Vec::new();
        if self.hidden_skipped > 0 {
            skipped.push(t!("folder-scan-hidden-items", count = self.hidden_skipped));
        }
        if self.clutter_skipped > 0 {
            skipped.push(t!("folder-scan-system-files", count = self.clutter_skipped));
        }
        if self.found_twice > 0 {
            skipped.push(t!("folder-scan-found-twice", count = self.found_twice));
        }
        let skipped = skipped
            .into_iter()
            .reduce(|first, second| t!("folder-scan-and", first = first, second = second));
        if let Some(items) = skipped {
            text.push_str(&t!("folder-scan-skipped", items = items));
        }
        if self.refused > 0 {
            text.push_str(&t!("folder-scan-not-added", count = self.refused));
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
        let files = t!("count-files", count = from_folders);
        let size = human_bytes(folder_bytes);
        let mut question = match self.folders.as_slice() {
            [one] => t!(
                "folder-scan-question-one-folder",
                folder = one.name.as_str(),
                files = files,
                size = size
            ),
            [a, b] => t!(
                "folder-scan-question-two-folders",
                first = a.name.as_str(),
                second = b.name.as_str(),
                files = files,
                size = size
            ),
            [first, rest @ ..] => t!(
                "folder-scan-question-more-folders",
                first = first.name.as_str(),
                others = rest.len(),
                files = files,
                size = size
            ),
            [] => return None,
        };
        let others = self.files.len().saturating_sub(from_folders);
        if others > 0 {
            let with_others = t!(
                "folder-scan-question-with-others",
                others = others,
                files = t!("count-files", count = self.files.len()),
                size = human_bytes(self.total_bytes())
            );
            question = sentences(&question, &with_others);
        }
        if self.total_bytes() > EXECUTION_UPLOAD_LIMIT {
            let limit = t!(
                "folder-scan-question-limit",
                limit = crate::format::execution_limit()
            );
            question = sentences(&question, &limit);
        }
        Some(sentences(&question, &t!("folder-scan-question-stage-all")))
    }
}

/// Turns what the operator added into files to stage: a file is checked as it is (and
/// kept even if its name is hidden: they named it), a folder is walked as described in
/// the [module docs](self). Blocking (it reads the disk); never panics, and ends even
/// when links loop.
pub fn expand(paths: &[PathBuf]) -> Expansion {
    let mut out = Expansion::default();
    let mut seen = HashSet::new();
    for path in paths {
        let metadata = std::fs::metadata(path);
        if metadata.as_ref().is_ok_and(|m| m.is_dir()) {
            expand_folder(path, &mut out, &mut seen);
        } else {
            match LocalFile::inspect_with(path, metadata) {
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

fn expand_folder(root: &Path, out: &mut Expansion, seen: &mut HashSet<FileKey>) {
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
            Ok(_) if file_key(&path).is_some_and(|key| !seen.insert(key)) => {
                summary.found_twice += 1;
            }
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

/// What makes two paths the same file: its device and inode where the system has them,
/// else its canonical path (every link resolved).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileKey {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Canonical(PathBuf),
}

/// `None` when the file cannot be looked at again (then it is never taken for another).
fn file_key(path: &Path) -> Option<FileKey> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileKey::Inode(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(FileKey::Canonical)
    }
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
mod tests;
