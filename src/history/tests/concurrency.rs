//! Two writers at once, in two processes or two threads: every record is kept.

use super::*;

const CHILD: &str = "ASTEROID_STAGER_HISTORY_TEST_CHILD";

/// Records 300 entries one at a time, as the window or the command line does; returns
/// when the first record started and when the last one ended (unix nanoseconds).
fn record_one_by_one(store: &HistoryStore, prefix: &str) -> (u128, u128) {
    let nanos = || {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    };
    let started = nanos();
    for i in 0..300 {
        store
            .record(&[entry(&format!("{prefix}-{i:03}"), SystemTime::now())])
            .unwrap_or_else(|e| panic!("{prefix}-{i:03}: {e}"));
    }
    (started, nanos())
}

/// The writers were at work at the same time: each started before the others ended.
fn assert_overlap(spans: &[(u128, u128)]) {
    let last_start = spans.iter().map(|s| s.0).max().unwrap();
    let first_end = spans.iter().map(|s| s.1).min().unwrap();
    assert!(
        last_start < first_end,
        "the writers did not run at the same time: {spans:?}"
    );
}

/// How often the writer changes along the history (1: one after the other). SQLite's
/// busy handler is not fair: a writer that waits may get in only when the other is done.
fn switches(all: &[HistoryEntry]) -> usize {
    all.windows(2)
        .filter(|w| w[0].id[..2] != w[1].id[..2])
        .count()
}

fn check_all_present(path: &Path, prefixes: &[&str]) {
    let (store, _) = HistoryStore::open(path);
    let all = store.entries().unwrap();
    let mut want: Vec<String> = prefixes
        .iter()
        .flat_map(|p| (0..300).map(move |i| format!("{p}-{i:03}")))
        .collect();
    let mut got: Vec<String> = all.iter().map(|e| e.id.clone()).collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    eprintln!(
        "{} entries, the writer changed {} times along them",
        all.len(),
        switches(&all)
    );
}

#[test]
fn two_processes_recording_at_once_keep_every_record() {
    if let Ok(spec) = std::env::var(CHILD) {
        // The child: wait for the signal, then record.
        let mut parts = spec.splitn(3, '\n');
        let (db, go, prefix) = (
            PathBuf::from(parts.next().unwrap()),
            PathBuf::from(parts.next().unwrap()),
            parts.next().unwrap().to_owned(),
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !go.exists() {
            assert!(std::time::Instant::now() < deadline, "no go signal");
            std::thread::sleep(Duration::from_millis(2));
        }
        let started = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let (store, notice) = HistoryStore::open(&db);
        assert_eq!(notice, None);
        let (_, ended) = record_one_by_one(&store, &prefix);
        println!("span {} {ended}", started.as_nanos());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Both create the database too: neither exists before the signal.
    let db = dir.path().join("data/history.sqlite3");
    let go = dir.path().join("go");
    let children: Vec<_> = ["p1", "p2"]
        .iter()
        .map(|prefix| {
            std::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "history::tests::concurrency::two_processes_recording_at_once_keep_every_record",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(
                    CHILD,
                    format!("{}\n{}\n{prefix}", db.display(), go.display()),
                )
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(&go, b"").unwrap();
    let mut spans = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("1 passed"),
            "the child ran the test: {stdout}"
        );
        let span = stdout
            .lines()
            .find_map(|l| l.split_once("span ").map(|(_, span)| span))
            .and_then(|l| l.split_once(' '))
            .map(|(a, b)| (a.parse().unwrap(), b.parse().unwrap()))
            .unwrap_or_else(|| panic!("no span: {stdout}"));
        spans.push(span);
    }
    check_all_present(&db, &["p1", "p2"]);
    assert_overlap(&spans);
}

#[test]
fn two_threads_recording_at_once_keep_every_record() {
    let (_dir, path, first) = fresh();
    let (second, _) = HistoryStore::open(&path);
    let shared = first.clone();
    let start = Arc::new(std::sync::Barrier::new(3));
    let threads: Vec<_> = [(first, "t1"), (second, "t2"), (shared, "t3")]
        .into_iter()
        .map(|(store, prefix)| {
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                record_one_by_one(&store, prefix)
            })
        })
        .collect();
    let spans: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    check_all_present(&path, &["t1", "t2", "t3"]);
    assert_overlap(&spans);
}

#[test]
fn the_store_can_be_shared_with_blocking_threads() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<HistoryStore>();
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    error::<HistoryError>();
}
