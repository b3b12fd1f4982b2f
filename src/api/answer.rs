//! Reading the staging answer: which returned ID belongs to which file sent.
//!
//! The API answers one entry per part, in the order of the parts, and the `name` in each
//! entry is the name an execute call must be given. Real servers change names on the way
//! (busboy, under Express/multer, keeps only what follows the last `\`; some normalise
//! Unicode or keep `%22` as sent), so a differing name is not a reason to fail: failing
//! would send files again that the server already stored, staging them twice.
//!
//! Names are compared by one canonical form ([`canonical_name`]), so that matching stays
//! linear however many files a request holds, and so that the queue can keep two names
//! the matcher could confuse out of one request. An answer that cannot be matched without
//! guessing, or that gives one ID to two files, is refused as malformed: an ID shown for
//! the wrong file is worse than a file sent again.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use super::TempFile;
use super::error::ApiError;
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
/// name when the server listed the names in another order. Fails when the answer cannot
/// say which ID is whose without guessing: a wrong count, an ID that is not a file ID, one
/// ID given twice, two files sent whose names the server may have made alike, or names
/// that fit more than one way.
pub fn match_answer(
    sent: &[LocalFile],
    answer: Vec<TempFile>,
) -> Result<Vec<StagedAnswer>, ApiError> {
    if answer.len() != sent.len() {
        return Err(ApiError::MalformedAnswer(crate::t!(
            "api-answer-count",
            confirmed = answer.len(),
            count = sent.len()
        )));
    }
    let mut ids = HashSet::with_capacity(answer.len());
    for (file, got) in sent.iter().zip(&answer) {
        let Ok(id) = uuid::Uuid::try_parse(got.id.trim()) else {
            return Err(ApiError::MalformedAnswer(crate::t!(
                "api-answer-not-a-file-id",
                name = file.name.as_str()
            )));
        };
        if !ids.insert(id) {
            return Err(ApiError::MalformedAnswer(crate::t!("api-answer-same-id")));
        }
    }
    let order = answer_order(sent, &answer)
        .ok_or_else(|| ApiError::MalformedAnswer(crate::t!("api-answer-names-unmatched")))?;
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

/// For each file sent, the position of its entry in the answer; `None` when that cannot be
/// told without guessing. Linear in the number of files.
fn answer_order(sent: &[LocalFile], answer: &[TempFile]) -> Option<Vec<usize>> {
    let sent_canon: Vec<String> = sent.iter().map(|f| canonical_name(&f.name)).collect();
    let mut sent_by_canon: HashMap<&str, usize> = HashMap::with_capacity(sent.len());
    let mut alike = false;
    for (index, canon) in sent_canon.iter().enumerate() {
        alike |= sent_by_canon.insert(canon.as_str(), index).is_some();
    }
    if alike {
        // Two names the server may have made alike: only an answer that repeats every
        // name exactly, in order, says which is whose (and only if no name was sent twice).
        let exact: HashSet<&str> = sent.iter().map(|f| f.name.as_str()).collect();
        let in_order = sent.iter().zip(answer).all(|(f, got)| f.name == got.name);
        return (in_order && exact.len() == sent.len()).then(|| (0..sent.len()).collect());
    }
    let answer_canon: Vec<String> = answer.iter().map(|t| canonical_name(&t.name)).collect();
    // By position, unless a name says an entry belongs to another file.
    let contradicted = answer_canon.iter().enumerate().any(|(index, canon)| {
        sent_by_canon
            .get(canon.as_str())
            .is_some_and(|&owner| owner != index)
    });
    if !contradicted {
        return Some((0..sent.len()).collect());
    }
    // By name; entries whose names fit no file go to the files no name fitted, and only
    // when that leaves no choice.
    let mut order: Vec<Option<usize>> = vec![None; sent.len()];
    let mut unnamed = Vec::new();
    for (index, canon) in answer_canon.iter().enumerate() {
        match sent_by_canon.get(canon.as_str()) {
            Some(&owner) => {
                if order[owner].replace(index).is_some() {
                    return None;
                }
            }
            None => unnamed.push(index),
        }
    }
    let unmatched: Vec<usize> = (0..sent.len()).filter(|&i| order[i].is_none()).collect();
    match (unmatched.as_slice(), unnamed.as_slice()) {
        ([], []) => {}
        ([file], [entry]) => order[*file] = Some(*entry),
        _ => return None,
    }
    order.into_iter().collect()
}

/// Whether `stored` is `sent` as a server may store it: the same, or changed in one of the
/// ways real servers change names.
pub fn same_file_name(sent: &str, stored: &str) -> bool {
    stored == sent || canonical_name(sent) == canonical_name(stored)
}

/// Whether a server could store `a` and `b` under names the matcher cannot tell apart:
/// such files never share a request.
pub fn confusable_names(a: &str, b: &str) -> bool {
    canonical_name(a) == canonical_name(b)
}

/// The one form a name and every way a server may store it come down to: percent-escapes
/// decoded (repeatedly: a server may encode what was already encoded), the header's
/// doubled backslashes undone, the path cut to its last part as busboy does, Unicode
/// normalised (NFC). Two names with the same form may come back alike; two with different
/// forms never match the same stored name.
pub fn canonical_name(name: &str) -> String {
    // Most names are plain ASCII with no escape, backslash or slash: already in their one
    // form (NFC leaves ASCII alone), and worked out for every file of every request.
    if name
        .bytes()
        .all(|b| b.is_ascii() && !matches!(b, b'%' | b'\\' | b'/'))
    {
        return name.to_owned();
    }
    canonical_name_worked_out(name)
}

/// [`canonical_name`] the long way, for any name.
fn canonical_name_worked_out(name: &str) -> String {
    let mut current: String = name.nfc().collect();
    // Each round only shortens the name; the bound is a guard, not a limit ever reached.
    for _ in 0..16 {
        let decoded = percent_encoding::percent_decode_str(&current)
            .decode_utf8_lossy()
            .into_owned();
        // What the header escaped (`"` → `%22`, controls) is covered by the decoding.
        let unescaped = decoded.replace("\\\\", "\\");
        let last = unescaped
            .rsplit(['\\', '/'])
            .find(|part| !part.is_empty())
            .unwrap_or("");
        let next: String = last.nfc().collect();
        if next == current {
            break;
        }
        current = next;
    }
    current
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

    #[test]
    fn confusable_names_have_one_canonical_form() {
        assert!(confusable_names("\u{e9}.txt", "e\u{301}.txt"));
        assert!(confusable_names("x\".txt", "x%22.txt"));
        assert!(confusable_names("a\\b.txt", "b.txt"));
        assert!(confusable_names("x%2522.txt", "x\".txt"));
        assert!(!confusable_names("invoice-01.pdf", "invoice-02.pdf"));
        assert!(!confusable_names("a.txt", "A.txt"));
    }

    #[test]
    fn a_reversed_answer_for_confusable_names_is_refused() {
        let nfc = "\u{e9}.txt";
        let nfd = "e\u{301}.txt";
        let sent = [file(nfc), file(nfd)];
        // A normalising server, answering in reverse: which is whose cannot be told.
        let err = match_answer(&sent, vec![temp(2, nfc), temp(1, nfc)]).unwrap_err();
        assert!(err.to_string().contains("without guessing"), "{err}");
        // Exact names in reverse order: refused too (position and names disagree).
        assert!(match_answer(&sent, vec![temp(2, nfd), temp(1, nfc)]).is_err());
        // Exact names in order: the only reading left.
        let got = match_answer(&sent, vec![temp(1, nfc), temp(2, nfd)]).unwrap();
        assert_eq!(got[1].temp_file.id, temp(2, "").id);
    }

    #[test]
    fn one_id_for_two_files_is_refused() {
        let sent = [file("a.txt"), file("b.txt")];
        let err = match_answer(&sent, vec![temp(1, "a.txt"), temp(1, "b.txt")]).unwrap_err();
        assert!(err.to_string().contains("same ID"), "{err}");
    }

    #[test]
    fn names_fitting_more_than_one_way_are_refused() {
        let sent = [file("a.txt"), file("b.txt"), file("c.txt")];
        // Two entries name a.txt.
        assert!(
            match_answer(
                &sent,
                vec![temp(1, "b.txt"), temp(2, "a.txt"), temp(3, "a.txt")]
            )
            .is_err()
        );
        // Two unexplained names for two files no name fitted: a guess either way.
        assert!(match_answer(&sent, vec![temp(1, "c.txt"), temp(2, "x"), temp(3, "y")]).is_err());
        // One unexplained name for the one file left: no choice.
        let got = match_answer(
            &sent,
            vec![temp(1, "c.txt"), temp(2, "a.txt"), temp(3, "x")],
        )
        .unwrap();
        let ids: Vec<_> = got.iter().map(|g| g.temp_file.id.clone()).collect();
        assert_eq!(ids, [temp(2, "").id, temp(3, "").id, temp(1, "").id]);
    }

    #[test]
    fn matching_ten_thousand_reversed_names_is_quick_enough_to_be_linear() {
        let sent: Vec<LocalFile> = (0..10_000)
            .map(|i| file(&format!("scan-{i}.pdf")))
            .collect();
        let answer: Vec<TempFile> = (0..10_000u32)
            .rev()
            .map(|i| temp(i, &format!("scan-{i}.pdf")))
            .collect();
        let got = match_answer(&sent, answer).unwrap();
        assert_eq!(got[9_999].temp_file.id, temp(9_999, "").id);
    }

    /// Names built from the characters servers change.
    fn tricky_name() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex("[ae\u{e9}\u{301}\"%25C2\\\\/. x]{1,10}")
            .expect("a valid pattern")
    }

    proptest::proptest! {
        #[test]
        fn the_quick_way_for_plain_names_gives_the_same_form(
            name in proptest::string::string_regex("[ -~\t\u{1}]{0,12}").unwrap(),
        ) {
            proptest::prop_assert_eq!(canonical_name(&name), canonical_name_worked_out(&name));
        }

        #[test]
        fn a_name_changed_as_servers_do_keeps_its_canonical_form(name in tricky_name()) {
            let canon = canonical_name(&name);
            let encoded = crate::api::encode_filename(&name);
            let busboy = encoded.rsplit(['\\', '/']).find(|p| !p.is_empty()).unwrap_or("").to_owned();
            for stored in [
                encoded.clone(),
                encoded.replace('\\', "\\\\"),
                name.nfc().collect::<String>(),
                name.nfd().collect::<String>(),
                busboy,
            ] {
                if !stored.is_empty() && !canonical_name(&stored).is_empty() {
                    proptest::prop_assert_eq!(canonical_name(&stored), canon.clone(), "stored {:?}", stored);
                }
            }
        }

        #[test]
        fn an_answer_is_applied_only_when_unambiguous(
            names in proptest::collection::vec(tricky_name(), 1..6),
            reverse in proptest::bool::ANY,
            repeat in proptest::bool::ANY,
        ) {
            let sent: Vec<LocalFile> = names.iter().map(|n| file(n)).collect();
            let mut answer: Vec<TempFile> = names
                .iter()
                .enumerate()
                .map(|(i, n)| temp(i as u32, &canonical_name(n)))
                .collect();
            if repeat && answer.len() > 1 {
                answer[1].id = answer[0].id.clone();
            }
            if reverse {
                answer.reverse();
            }
            if let Ok(got) = match_answer(&sent, answer) {
                // Whatever was accepted gives each file the ID issued for it.
                proptest::prop_assert!(!(repeat && names.len() > 1));
                for (i, staged) in got.iter().enumerate() {
                    proptest::prop_assert_eq!(&staged.temp_file.id, &temp(i as u32, "").id);
                }
            }
        }
    }
}
