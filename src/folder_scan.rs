#![allow(missing_docs)] // A stand-in until the folder walk lands.
//! Stand-in until the folder walk lands: each path is looked at as one file.

use std::path::PathBuf;

use crate::local_file::{LocalFile, LocalFileError};

pub struct Expansion {
    pub files: Vec<LocalFile>,
    pub refused: Vec<Refusal>,
    pub folders: Vec<FolderSummary>,
}

pub struct Refusal {
    pub path: PathBuf,
    pub shown: String,
    pub error: LocalFileError,
}

pub struct FolderSummary;

impl FolderSummary {
    pub fn describe(&self) -> String {
        String::new()
    }
}

impl Expansion {
    pub fn confirmation_question(&self) -> Option<String> {
        None
    }
}

pub fn expand(paths: &[PathBuf]) -> Expansion {
    let mut out = Expansion {
        files: Vec::new(),
        refused: Vec::new(),
        folders: Vec::new(),
    };
    for path in paths {
        match LocalFile::inspect(path) {
            Ok(f) => out.files.push(f),
            Err(error) => out.refused.push(Refusal {
                path: path.clone(),
                shown: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.display().to_string()),
                error,
            }),
        }
    }
    out
}
