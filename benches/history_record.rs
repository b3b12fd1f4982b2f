//! What recording a staged file costs as the history grows: `cargo bench --bench history_record`.
//!
//! For histories of 10, 1,000 and 100,000 entries, records one entry (what a file sent alone
//! costs) and a batch of 32 (a shared request) many times, and prints min / median / max per
//! size, with `synchronous=FULL` (what the app uses: every record is synced to the disk) and
//! `NORMAL` (synced at checkpoints only) side by side. Also how long opening the history and
//! reading it all take, which do grow with its size. Each size gets a fresh database in the
//! system's temporary folder; the sizes take turns record by record, so that the machine's
//! background load falls on all of them alike. `HISTORY_BENCH_RUNS` sets the number of single
//! records per size (default 300; batches get a third of that).

use std::time::{Duration, Instant, SystemTime};

use asteroid_stager::history::{
    AddedBy, GroupSource, HistoryEntry, HistoryStore, SourceFile, StagedGroup,
};

const SIZES: [usize; 3] = [10, 1_000, 100_000];
const BATCH: usize = 32;

fn entry(n: usize, now: SystemTime) -> HistoryEntry {
    HistoryEntry {
        id: format!(
            "{:08x}-5c1e-4d2a-9b7f-{:012x}",
            n * 2_654_435_761 % (1 << 32),
            n
        ),
        name: format!("scan {n:06}.pdf"),
        size: 40_000 + n as u64,
        organization_id: "11111111-2222-3333-4444-555555555555".into(),
        server: asteroid_stager::DEFAULT_BASE_URL.into(),
        staged_at: now,
        group: Some(StagedGroup {
            id: format!("6f1c2a8e-0000-4000-8000-{:012x}", n / BATCH),
            source: GroupSource::Added {
                how: AddedBy::Dropped,
                items: 32,
                name: None,
            },
            created_at: now,
        }),
        place_in_group: u32::try_from(n % BATCH).ok(),
        source: Some(SourceFile {
            path: format!("/home/operator/Scans/2025/scan {n:06}.pdf").into(),
            relative_path: format!("2025/scan {n:06}.pdf"),
            size: 40_000 + n as u64,
            modified: Some(now),
        }),
    }
}

struct Stats {
    min: Duration,
    median: Duration,
    max: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    Stats {
        min: samples[0],
        median: samples[samples.len() / 2],
        max: samples[samples.len() - 1],
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

struct Row {
    mode: &'static str,
    size: usize,
    one: Stats,
    batch: Stats,
    open: Duration,
    read_all: Duration,
}

/// A history of `size` entries, seeded, then reopened as a start would (timed), and read
/// whole once (timed).
struct Subject {
    size: usize,
    store: HistoryStore,
    next: usize,
    open: Duration,
    read_all: Duration,
    one: Vec<Duration>,
    batch: Vec<Duration>,
    _dir: tempfile::TempDir,
}

impl Subject {
    fn new(size: usize, mode: &str, now: SystemTime) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("history.sqlite3");
        {
            let (store, _) = HistoryStore::open(&path);
            let seed: Vec<_> = (0..size).map(|n| entry(n, now)).collect();
            for chunk in seed.chunks(10_000) {
                store.record(chunk).expect("seeded");
            }
        }
        let started = Instant::now();
        let (store, notice) = HistoryStore::open(&path);
        let open = started.elapsed();
        assert!(notice.is_none(), "{notice:?}");
        store.set_synchronous_for_bench(mode).expect("pragma");
        let started = Instant::now();
        let listed = store.entries().expect("read").len();
        let read_all = started.elapsed();
        assert_eq!(listed, size);
        Self {
            size,
            store,
            next: size,
            open,
            read_all,
            one: Vec::new(),
            batch: Vec::new(),
            _dir: dir,
        }
    }

    fn record(&mut self, count: usize, now: SystemTime) -> Duration {
        let list: Vec<_> = (self.next..self.next + count)
            .map(|n| entry(n, now))
            .collect();
        self.next += count;
        let started = Instant::now();
        self.store.record(&list).expect("recorded");
        started.elapsed()
    }
}

/// The sizes take turns, record by record, so that all of them meet the same background
/// load (other builds on the machine make fsync times swing a lot).
fn measure(mode: &'static str, runs: usize) -> Vec<Row> {
    let now = SystemTime::now();
    let mut subjects: Vec<_> = SIZES.iter().map(|&s| Subject::new(s, mode, now)).collect();
    for s in &mut subjects {
        for _ in 0..10 {
            s.record(1, now);
        }
    }
    for round in 0..runs {
        for i in 0..subjects.len() {
            let s = &mut subjects[(i + round) % SIZES.len()];
            let took = s.record(1, now);
            s.one.push(took);
        }
    }
    for round in 0..(runs / 3).max(1) {
        for i in 0..subjects.len() {
            let s = &mut subjects[(i + round) % SIZES.len()];
            let took = s.record(BATCH, now);
            s.batch.push(took);
        }
    }
    subjects
        .into_iter()
        .map(|s| {
            assert_eq!(s.store.len().expect("count"), s.next);
            Row {
                mode,
                size: s.size,
                one: stats(s.one),
                batch: stats(s.batch),
                open: s.open,
                read_all: s.read_all,
            }
        })
        .collect()
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "history_record is a benchmark, not a test: run it with `cargo bench --bench history_record`. Skipped."
        );
        return;
    }
    let runs: usize = std::env::var("HISTORY_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
        .max(3);
    println!(
        "history_record: {runs} single records and {} batches of {BATCH} per size; times in ms",
        (runs / 3).max(1)
    );
    let mut rows = Vec::new();
    for mode in ["FULL", "NORMAL"] {
        rows.extend(measure(mode, runs));
        eprintln!("  done: {mode}");
    }
    println!();
    println!(
        "| synchronous | entries | 1 entry min | median | max | {BATCH} entries min | median | max | open | read all |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.mode,
            r.size,
            ms(r.one.min),
            ms(r.one.median),
            ms(r.one.max),
            ms(r.batch.min),
            ms(r.batch.median),
            ms(r.batch.max),
            ms(r.open),
            ms(r.read_all),
        );
    }
    println!();
    for mode in ["FULL", "NORMAL"] {
        let of = |size| {
            rows.iter()
                .find(|r| r.mode == mode && r.size == size)
                .map(|r| (r.one.median.as_secs_f64(), r.batch.median.as_secs_f64()))
                .unwrap_or((f64::NAN, f64::NAN))
        };
        let (small, big) = (of(SIZES[0]), of(SIZES[2]));
        println!(
            "{mode}: median with {} entries / with {}: {:.2}x (1 entry), {:.2}x ({BATCH} entries)",
            SIZES[2],
            SIZES[0],
            big.0 / small.0,
            big.1 / small.1
        );
    }
}
