//! The history as older versions kept it (`history.json`), imported once.

use super::*;

/// The old format: `{"version":1,"entries":[{"id","name","size","organizationId","stagedAt"}]}`.
#[derive(Deserialize)]
pub(super) struct LegacyDocument {
    #[serde(default)]
    entries: Vec<LegacyEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct LegacyEntry {
    id: String,
    name: String,
    size: u64,
    organization_id: String,
    #[serde(with = "rfc3339")]
    staged_at: SystemTime,
}

/// Copies `history.json` from beside the database into it, in one transaction, once: it is
/// renamed afterwards. A damaged or newer-format file is kept aside, not imported.
pub(super) fn import_legacy(conn: &mut Connection, db_path: &Path, events: &mut Vec<OpenEvent>) {
    let file = db_path.with_file_name(LEGACY_FILE_NAME);
    if file == db_path {
        return;
    }
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => {
            events.push(OpenEvent::LegacyNotImported {
                file,
                reason: crate::t!("history-legacy-unreadable", reason = e.to_string()),
                kept_as: None,
            });
            return;
        }
    };
    #[derive(Deserialize)]
    struct Versioned {
        #[serde(default)]
        version: u32,
    }
    let problem = match serde_json::from_slice::<Versioned>(&bytes) {
        Ok(v) if v.version > LEGACY_VERSION => Err(crate::t!(
            "history-legacy-newer",
            found = v.version,
            known = LEGACY_VERSION
        )),
        Ok(_) => serde_json::from_slice::<LegacyDocument>(&bytes)
            .map_err(|e| crate::t!("history-legacy-damaged", reason = e.to_string())),
        Err(e) => Err(crate::t!("history-legacy-damaged", reason = e.to_string())),
    };
    let doc = match problem {
        Ok(doc) => doc,
        Err(reason) => {
            let kept_as = atomic_file::keep_aside(&file).ok();
            events.push(OpenEvent::LegacyNotImported {
                file,
                reason,
                kept_as,
            });
            return;
        }
    };
    let entries: Vec<HistoryEntry> = doc
        .entries
        .into_iter()
        .map(|e| HistoryEntry {
            id: e.id,
            name: e.name,
            size: e.size,
            organization_id: e.organization_id,
            server: crate::DEFAULT_BASE_URL.to_owned(),
            staged_at: e.staged_at,
            group: None,
            place_in_group: None,
            source: None,
        })
        .collect();
    let imported = write_to(conn, &mut None, db_path, |tx| insert_entries(tx, &entries));
    let imported = match imported {
        Ok(n) => n,
        Err(e) => {
            events.push(OpenEvent::LegacyNotImported {
                file,
                reason: crate::t!("history-legacy-not-copied", reason = e.to_string()),
                kept_as: None,
            });
            return;
        }
    };
    let kept_as = match atomic_file::move_aside(&file, "imported") {
        Ok(k) => Some(k),
        // Another instance opening at the same moment imported and moved it: its notice
        // tells; ours adds nothing.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && imported == 0 => return,
        Err(_) => None,
    };
    events.push(OpenEvent::Imported {
        from: file,
        imported,
        already_present: entries.len() - imported,
        kept_as,
    });
}

pub(super) mod rfc3339 {
    use std::fmt::Write;
    use std::time::{SystemTime, UNIX_EPOCH};

    use serde::{Deserialize, Deserializer, Serializer};

    /// To the millisecond, as the database keeps it. Times humantime cannot write (before
    /// 1970, after 9999) are an error, not a panic.
    pub fn serialize<S: Serializer>(t: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
        let mut text = String::new();
        if *t < UNIX_EPOCH || write!(text, "{}", humantime::format_rfc3339_millis(*t)).is_err() {
            return Err(serde::ser::Error::custom("time out of range"));
        }
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SystemTime, D::Error> {
        let s = String::deserialize(d)?;
        humantime::parse_rfc3339_weak(&s).map_err(serde::de::Error::custom)
    }

    pub mod option {
        use std::time::SystemTime;

        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(t: &Option<SystemTime>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<SystemTime>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|s| humantime::parse_rfc3339_weak(&s).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}
