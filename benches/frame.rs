//! The window's own work per frame, measured headlessly: the real panels drawn through
//! egui's `Context::run_ui` (layout and tessellation, no GPU) for 0, 1,000 and 10,000
//! staged files, and with 200 uploads in progress, plus the frame's logic (when to wake
//! next). CPU time of the drawing thread per frame, min / median / max over many frames.
//!
//! `cargo bench --bench frame`

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use asteroid_stager::api::ClientOptions;
use asteroid_stager::history::{AddedBy, GroupSource, HistoryEntry, SourceFile, StagedGroup};
use asteroid_stager::key_store::{ApiKeyStore, MemoryKeyStore};
use asteroid_stager::local_file::LocalFile;
use asteroid_stager::session::Overrides;
use asteroid_stager::settings::Settings;
use asteroid_stager::ui::command::Command;
use asteroid_stager::ui::state::{
    ConnectionState, Notices, Phase, StagedState, State, UploadsState, ViewState,
};
use asteroid_stager::upload_queue::QueueEvent;

fn staged(n: usize, now: SystemTime) -> Vec<HistoryEntry> {
    (0..n)
        .map(|i| {
            // Groups of 20, as drops of a few files each.
            let group = i / 20;
            HistoryEntry {
                id: format!("00000000-0000-4000-8000-{i:012}"),
                name: format!("scan {i:05}.pdf"),
                size: 250_000 + i as u64,
                organization_id: "11111111-2222-3333-4444-555555555555".into(),
                server: asteroid_stager::DEFAULT_BASE_URL.into(),
                // Half expired, half still valid.
                staged_at: now - Duration::from_secs(if i % 2 == 0 { 7200 } else { 600 }),
                group: Some(StagedGroup {
                    id: format!("group-{group}"),
                    source: GroupSource::Added {
                        how: AddedBy::Dropped,
                        items: 1,
                        name: Some("Scans".into()),
                    },
                    created_at: now - Duration::from_secs(600),
                }),
                // Finished in another order than given, as larger files do.
                place_in_group: u32::try_from((i * 7) % 20).ok(),
                source: Some(SourceFile {
                    path: format!("/home/op/Scans/scan {i:05}.pdf").into(),
                    relative_path: format!("Scans/batch {group}/scan {i:05}.pdf"),
                    size: 250_000,
                    modified: None,
                }),
            }
        })
        .collect()
}

fn state(staged_rows: usize, uploading: usize) -> State {
    let now = SystemTime::now();
    let store: Arc<dyn ApiKeyStore> = Arc::new(MemoryKeyStore::default());
    let mut connection = ConnectionState::new(
        Settings::default(),
        Overrides::default(),
        Arc::new(move |_| store.clone()),
        ClientOptions::default(),
    );
    connection.phase = Phase::Ready;
    let mut uploads = UploadsState::default();
    let instant = Instant::now();
    for id in 0..uploading as u64 {
        let file = LocalFile {
            path: format!("/tmp/up {id}.bin").into(),
            name: format!("up {id}.bin"),
            size: 10_000_000,
            relative_path: format!("Folder/up {id}.bin"),
            modified: None,
        };
        for event in [
            QueueEvent::Added {
                id,
                batch: 1,
                file,
                group: None,
                replaces: None,
            },
            QueueEvent::Sending { id },
            QueueEvent::Progress {
                id,
                sent: 4_000_000,
                total: 10_000_000,
            },
        ] {
            uploads.on_event(&event, instant);
        }
    }
    let mut state = State {
        connection,
        uploads,
        staged: StagedState::new(staged(staged_rows, now), "history.sqlite3".into()),
        notices: Notices::default(),
        view: ViewState::default(),
        settings_path: "settings.json".into(),
        now,
        instant,
    };
    state.prepare();
    state
}

/// CPU time of this thread, so that other processes on the machine do not count.
fn thread_cpu() -> Duration {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: a plain call filling a timespec we own.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
    }
    #[cfg(not(unix))]
    {
        // Wall time where thread CPU time is not at hand.
        static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
        START.get_or_init(Instant::now).elapsed()
    }
}

fn measure(label: &str, state: &State, frames: usize) {
    let ctx = egui::Context::default();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1000.0, 760.0),
        )),
        ..Default::default()
    };
    let mut commands: Vec<Command> = Vec::new();
    // Warm-up: fonts, caches.
    for _ in 0..frames.min(20) {
        let mut out = ctx.run_ui(input(), |ui| {
            asteroid_stager::ui::draw(ui, state, &mut commands)
        });
        // No GPU here: the font atlas a painter would upload is dropped on purpose.
        out.textures_delta.clear();
        let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
    }
    let mut samples = Vec::new();
    for _ in 0..frames {
        let start = thread_cpu();
        let mut out = ctx.run_ui(input(), |ui| {
            asteroid_stager::ui::draw(ui, state, &mut commands)
        });
        out.textures_delta.clear();
        let meshes = ctx.tessellate(out.shapes, out.pixels_per_point);
        std::hint::black_box(meshes);
        samples.push(thread_cpu() - start);
    }
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "| {label} | {:.3} | {:.3} | {:.3} |",
        ms(samples[0]),
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() - 1])
    );
}

fn main() {
    // Under `cargo test` one frame of each only shows that they draw; times need
    // `cargo bench` (an optimized build).
    let frames = if std::env::args().any(|a| a == "--bench") {
        300
    } else {
        1
    };
    if frames == 1 {
        println!(
            "One frame of each, to show they draw (a test build: run `cargo bench --bench frame` for times).\n"
        );
    } else {
        println!("CPU time per frame (ms), {frames} frames each, window 1000x760:\n");
    }
    println!("| window | min | median | max |");
    println!("| --- | ---: | ---: | ---: |");
    measure("empty (the drop zone)", &state(0, 0), frames);
    measure("1,000 staged files", &state(1_000, 0), frames);
    measure("10,000 staged files", &state(10_000, 0), frames);
    measure("200 uploads in progress", &state(0, 200), frames);
    measure("200 uploads and 10,000 staged", &state(10_000, 200), frames);
}
