//! Reading the staging answer: which returned ID belongs to which file sent.
//!
//! The API answers one entry per part, in the order of the parts, and the `name` in each
//! entry is the name an execute call must be given. Real servers change names on the way
//! (busboy, under Express/multer, keeps only what follows the last `\`; some normalise
//! Unicode or keep `%22` as sent), so a differing name is not a reason to fail: failing
//! would send files again that the server already stored, staging them twice.

use unicode_normalization::UnicodeNormalization;

use super::error::ApiError;
use super::{TempFile, encode_filename};
use crate::local_file::LocalFile;

/// One file's entry in the answer, and what the operator should know about its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedAnswer {
    /// The ID and the name the server stored.
    pub temp_file: TempFile,
    /// Set when the server stored another name than the one sent.
    pub renamed: Option<Renamed>,
}

/// How the stored name differs from the one sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renamed {
    /// As servers do: a path cut off, Unicode normalised, characters percent-encoded.
    AsServersDo,
    /// In a way no known server does; the ID is still the one issued for this part.
    Unexplained,
}

/// Matches the answer's entries to the files sent, by position (as the API promises), or by
/// name when the server listed the same names in another order. Fails only when the answer
/// cannot say which ID is whose: a wrong count, or an ID that is not a file ID.
pub fn match_answer(
    sent: &[LocalFile],
    answer: Vec<TempFile>,
) -> Result<Vec<StagedAnswer>, ApiError> {
    if answer.len() != sent.len() {
        return Err(ApiError::MalformedAnswer(format!(
            "it confirmed {} file(s) of the {} sent",
            answer.len(),
            sent.len()
        )));
    }
    for (file, got) in sent.iter().zip(&answer) {
        if uuid::Uuid::try_parse(got.id.trim()).is_err() {
            return Err(ApiError::MalformedAnswer(format!(
                "the ID given for {} is not a file ID",
                file.name
            )));
        }
    }
    let in_order = sent
        .iter()
        .zip(&answer)
        .all(|(file, got)| same_file_name(&file.name, &got.name));
    let order: Vec<usize> = if in_order {
        (0..sent.len()).collect()
    } else {
        reordered(sent, &answer).unwrap_or_else(|| (0..sent.len()).collect())
    };
    Ok(order
        .into_iter()
        .zip(sent)
        .map(|(index, file)| {
            let got = &answer[index];
            let renamed = if got.name == file.name {
                None
            } else if same_file_name(&file.name, &got.name) {
                Some(Renamed::AsServersDo)
            } else {
                Some(Renamed::Unexplained)
            };
            StagedAnswer {
                temp_file: TempFile {
                    id: got.id.trim().to_owned(),
                    name: got.name.clone(),
                },
                renamed,
            }
        })
        .collect())
}

/// When every stored name matches exactly one sent name, the positions of the answer's
/// entries for each file sent.
fn reordered(sent: &[LocalFile], answer: &[TempFile]) -> Option<Vec<usize>> {
    let mut taken = vec![false; answer.len()];
    let mut order = Vec::with_capacity(sent.len());
    for file in sent {
        let mut candidates = answer
            .iter()
            .enumerate()
            .filter(|(i, got)| !taken[*i] && same_file_name(&file.name, &got.name));
        let (index, _) = candidates.next()?;
        if candidates.next().is_some() {
            return None;
        }
        taken[index] = true;
        order.push(index);
    }
    Some(order)
}

/// Whether `stored` is `sent` as a server may store it: the same, or changed in one of the
/// ways real servers change names.
pub fn same_file_name(sent: &str, stored: &str) -> bool {
    if stored == sent {
        return true;
    }
    let forms = |name: &str| -> Vec<String> {
        let encoded = encode_filename(name);
        let mut forms = vec![
            name.to_owned(),
            encoded.clone(),
            // The header's backslash escapes kept as they came.
            encoded.replace('\\', "\\\\"),
            percent_encoding::percent_decode_str(name)
                .decode_utf8_lossy()
                .into_owned(),
        ];
        // busboy keeps what follows the last backslash; others cut at '/'.
        for form in forms.clone() {
            if let Some(tail) = form.rsplit(['\\', '/']).next() {
                forms.push(tail.to_owned());
            }
        }
        forms.into_iter().map(|f| f.nfc().collect()).collect()
    };
    let sent_forms = forms(sent);
    let stored_forms = forms(stored);
    let stored_nfc: String = stored.nfc().collect();
    sent_forms.contains(&stored_nfc)
        || stored_forms
            .iter()
            .any(|s| !s.is_empty() && sent_forms.contains(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str) -> LocalFile {
        LocalFile {
            path: name.into(),
            name: name.into(),
            relative_path: name.into(),
            size: 1,
            modified: None,
        }
    }

    fn temp(id: u32, name: &str) -> TempFile {
        TempFile {
            id: format!("00000000-0000-4000-8000-{id:012}"),
            name: name.into(),
        }
    }

    #[test]
    fn names_changed_as_servers_do_are_accepted() {
        assert!(same_file_name("back\\slash.txt", "slash.txt"));
        assert!(same_file_name("a \"b\".pdf", "a %22b%22.pdf"));
        assert!(same_file_name("a\\b\"c", "a\\\\b%22c"));
        // NFD on the wire, NFC stored.
        assert!(same_file_name("re\u{301}sume\u{301}.txt", "résumé.txt"));
        assert!(!same_file_name("a.pdf", "b.pdf"));
    }

    #[test]
    fn the_answer_is_matched_by_position_and_the_server_name_kept() {
        let sent = [file("back\\slash.txt"), file("b.txt")];
        let got = match_answer(&sent, vec![temp(1, "slash.txt"), temp(2, "b.txt")]).unwrap();
        assert_eq!(got[0].temp_file.name, "slash.txt");
        assert_eq!(got[0].renamed, Some(Renamed::AsServersDo));
        assert_eq!(got[1].renamed, None);
    }

    #[test]
    fn a_reordered_answer_is_matched_by_name() {
        let sent = [file("a.txt"), file("b.txt")];
        let got = match_answer(&sent, vec![temp(2, "b.txt"), temp(1, "a.txt")]).unwrap();
        assert_eq!(got[0].temp_file.id, temp(1, "").id);
        assert_eq!(got[1].temp_file.id, temp(2, "").id);
    }

    #[test]
    fn an_unexplained_name_is_kept_by_position_and_flagged() {
        let sent = [file("a.txt")];
        let got = match_answer(&sent, vec![temp(1, "upload-1")]).unwrap();
        assert_eq!(got[0].renamed, Some(Renamed::Unexplained));
        assert_eq!(got[0].temp_file.name, "upload-1");
    }

    #[test]
    fn a_wrong_count_or_a_bad_id_fails() {
        let sent = [file("a.txt"), file("b.txt")];
        assert!(match_answer(&sent, vec![temp(1, "a.txt")]).is_err());
        let bad = TempFile {
            id: "nope".into(),
            name: "a.txt".into(),
        };
        assert!(match_answer(&sent[..1], vec![bad]).is_err());
    }
}
