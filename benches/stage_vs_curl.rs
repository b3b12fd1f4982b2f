//! Staging through a local server: our binary next to curl on the same server, in one run.
//!
//! `cargo bench --bench stage_vs_curl` (about 2 minutes; `STAGE_BENCH_QUICK=1` for a
//! smaller run). For each case both tools run several times, interleaved; the table shows
//! the median wall time and the peak memory (the largest `ru_maxrss` of the child
//! processes), then whether the targets are met:
//! - a 1 GiB file within 1.05x of curl's wall time and under 40 MB peak RSS, flat from
//!   10 MiB to 1 GiB;
//! - 1,000 files of 2 KiB through a server that takes 50 ms per request at least 8x faster
//!   than one curl process per file.
//!
//! The server is the test suite's (tests/support), with hashing off so that receiving a
//! gigabyte costs the server little. It runs in this process, on two tokio threads.
//! Under `cargo test --all-targets` (no `--bench` argument) this prints a note and exits.

#[cfg(unix)]
#[path = "../tests/support/mod.rs"]
mod support;

#[cfg(not(unix))]
fn main() {
    println!("stage_vs_curl measures child processes with wait4: Unix only. Skipped.");
}

#[cfg(unix)]
fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "stage_vs_curl is a benchmark, not a test: run it with `cargo bench --bench stage_vs_curl`. Skipped."
        );
        return;
    }
    bench::run();
}

#[cfg(unix)]
mod bench {
    use std::fs::File;
    use std::io::Write;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use crate::support::{KEY, ORG, StagingServer};

    const BIN: &str = env!("CARGO_BIN_EXE_asteroid-stager");
    const MIB: u64 = 1024 * 1024;
    const GIB: u64 = 1024 * MIB;

    const LARGE_TIME_RATIO: f64 = 1.05;
    const LARGE_RSS_LIMIT_MB: f64 = 40.0;
    /// "Flat": the 1 GiB peak at most this much above the 10 MiB peak.
    const FLAT_RSS_SLACK_MB: f64 = 4.0;
    const SMALL_SPEEDUP: f64 = 8.0;
    const SMALL_DELAY: Duration = Duration::from_millis(50);
    const SMALL_FILE_SIZE: u64 = 2048;

    struct Plan {
        large: Vec<(&'static str, u64)>,
        large_runs: usize,
        small_files: usize,
        small_runs_ours: usize,
        small_runs_curl: usize,
    }

    impl Plan {
        fn new(quick: bool) -> Self {
            if quick {
                Self {
                    large: vec![("10 MiB file", 10 * MIB), ("100 MiB file", 100 * MIB)],
                    large_runs: 3,
                    small_files: 200,
                    small_runs_ours: 3,
                    small_runs_curl: 1,
                }
            } else {
                Self {
                    large: vec![
                        ("10 MiB file", 10 * MIB),
                        ("100 MiB file", 100 * MIB),
                        ("1 GiB file", GIB),
                    ],
                    large_runs: 5,
                    small_files: 1000,
                    small_runs_ours: 3,
                    // One run is 1,000 processes and most of a minute.
                    small_runs_curl: 1,
                }
            }
        }
    }

    /// One child process: wall time from spawn to exit, and its peak resident set.
    #[derive(Clone, Copy)]
    struct Sample {
        wall: Duration,
        max_rss_kb: u64,
    }

    /// Several runs of one tool on one case.
    #[derive(Default)]
    struct Samples(Vec<Sample>);

    impl Samples {
        fn median_wall(&self) -> Duration {
            let mut walls: Vec<Duration> = self.0.iter().map(|s| s.wall).collect();
            walls.sort();
            walls[walls.len() / 2]
        }

        fn peak_rss_mb(&self) -> f64 {
            let kb = self.0.iter().map(|s| s.max_rss_kb).max().unwrap_or(0);
            kb as f64 * 1024.0 / 1e6
        }
    }

    struct Row {
        case: String,
        files: usize,
        ours: Samples,
        curl: Samples,
        note: &'static str,
    }

    pub fn run() {
        let quick = std::env::var("STAGE_BENCH_QUICK").is_ok_and(|v| v == "1");
        let plan = Plan::new(quick);
        check_curl();
        let started = Instant::now();

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime for the server");
        let server = runtime.block_on(StagingServer::start());
        server.set_hashing(false);
        let url = format!("{}/temp-files/{ORG}", server.base_url);

        let dir = tempfile::Builder::new()
            .prefix("stage-vs-curl-")
            .tempdir()
            .expect("a temporary directory for the test files");
        let home = dir.path().join("home");
        println!(
            "stage_vs_curl: {} vs curl on {} ({} CPU(s){})",
            BIN,
            server.base_url,
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            if quick { ", quick run" } else { "" }
        );

        let mut rows = Vec::new();
        for &(case, size) in &plan.large {
            let path = dir.path().join(format!("large-{size}.bin"));
            write_data_file(&path, size, size);
            let files = vec![path.clone()];
            let ours = Tool::Ours {
                home: &home,
                base_url: &server.base_url,
            };
            let curl = Tool::Curl {
                url: &url,
                scratch: dir.path(),
            };
            let (ours_samples, curl_samples) = measure_interleaved(
                &server,
                &files,
                size,
                &[(ours, plan.large_runs), (curl, plan.large_runs)],
            );
            rows.push(Row {
                case: case.to_owned(),
                files: 1,
                ours: ours_samples,
                curl: curl_samples,
                note: "",
            });
            std::fs::remove_file(&path).expect("removing a test file");
        }

        server.set_delay(SMALL_DELAY);
        let small_dir = dir.path().join("small");
        std::fs::create_dir(&small_dir).expect("a folder for the small files");
        let small: Vec<PathBuf> = (0..plan.small_files)
            .map(|i| {
                let p = small_dir.join(format!("note-{i:04}.txt"));
                write_data_file(&p, SMALL_FILE_SIZE, i as u64 + 1);
                p
            })
            .collect();
        let ours = Tool::Ours {
            home: &home,
            base_url: &server.base_url,
        };
        let curl = Tool::Curl {
            url: &url,
            scratch: dir.path(),
        };
        let (ours_samples, curl_samples) = measure_interleaved(
            &server,
            &small,
            SMALL_FILE_SIZE * small.len() as u64,
            &[(ours, plan.small_runs_ours), (curl, plan.small_runs_curl)],
        );
        rows.push(Row {
            case: format!(
                "{} x {} KiB, 50 ms/request",
                plan.small_files,
                SMALL_FILE_SIZE / 1024
            ),
            files: plan.small_files,
            ours: ours_samples,
            curl: curl_samples,
            note: "curl: one process per file, one after another",
        });

        print_table(&rows);
        print_targets(&rows, quick);
        println!(
            "\nTotal bench time: {:.0} s",
            started.elapsed().as_secs_f64()
        );
    }

    fn check_curl() {
        let ok = Command::new("curl")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "curl is needed on PATH to compare against");
    }

    #[derive(Clone, Copy)]
    enum Tool<'a> {
        Ours { home: &'a Path, base_url: &'a str },
        Curl { url: &'a str, scratch: &'a Path },
    }

    /// Runs every tool `runs` times on `files`, alternating between them (after one
    /// untimed warm-up each), and checks the server got every file each time.
    fn measure_interleaved(
        server: &StagingServer,
        files: &[PathBuf],
        total_bytes: u64,
        tools: &[(Tool<'_>, usize); 2],
    ) -> (Samples, Samples) {
        let mut out = [Samples::default(), Samples::default()];
        let most = tools.iter().map(|(_, runs)| *runs).max().unwrap_or(0);
        for round in 0..=most {
            for (which, (tool, runs)) in tools.iter().enumerate() {
                // Round 0 is the warm-up. A single curl run of many small files is no
                // warm-up material: it is most of a minute.
                let warm_up = round == 0;
                if warm_up && *runs == 1 && files.len() > 1 {
                    continue;
                }
                if !warm_up && round > *runs {
                    continue;
                }
                let sample = run_tool(server, *tool, files, total_bytes);
                if !warm_up {
                    out[which].0.push(sample);
                }
            }
        }
        let [ours, curl] = out;
        (ours, curl)
    }

    fn run_tool(
        server: &StagingServer,
        tool: Tool<'_>,
        files: &[PathBuf],
        total_bytes: u64,
    ) -> Sample {
        let before = server.requests().len();
        let sample = match tool {
            Tool::Ours { home, base_url } => run_ours(home, base_url, files),
            Tool::Curl { url, scratch } => {
                let started = Instant::now();
                let mut peak = 0;
                for file in files {
                    peak = peak.max(run_curl(url, file, scratch).max_rss_kb);
                }
                Sample {
                    wall: started.elapsed(),
                    max_rss_kb: peak,
                }
            }
        };
        let requests = server.requests();
        let new = &requests[before..];
        assert!(
            new.iter().all(|r| r.complete),
            "the server saw an incomplete request"
        );
        let parts: Vec<_> = new.iter().flat_map(|r| &r.parts).collect();
        let bytes: u64 = parts.iter().map(|p| p.size).sum();
        assert_eq!(
            parts.len(),
            files.len(),
            "the server received {} file(s), {} were sent",
            parts.len(),
            files.len()
        );
        assert_eq!(
            bytes, total_bytes,
            "the server received the wrong byte count"
        );
        sample
    }

    fn run_ours(home: &Path, base_url: &str, files: &[PathBuf]) -> Sample {
        // A fresh history each run, inside the temporary directory.
        let _ = std::fs::remove_dir_all(home);
        std::fs::create_dir_all(home).expect("a temporary home");
        let stdout_path = home.join("stdout.json");
        let stderr_path = home.join("stderr.txt");
        let mut cmd = Command::new(BIN);
        cmd.arg("stage")
            .arg("--org")
            .arg(ORG)
            .args(files)
            .env_remove("ASTEROID_ORG_ID")
            .env("ASTEROID_API_KEY", KEY)
            .env("ASTEROID_BASE_URL", base_url)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_STATE_HOME", home.join("state"))
            .stdin(Stdio::null())
            .stdout(File::create(&stdout_path).expect("a stdout file"))
            .stderr(File::create(&stderr_path).expect("a stderr file"));
        let sample = spawn_and_wait(&mut cmd, &stderr_path);
        let out = std::fs::read(&stdout_path).expect("reading our stdout");
        let answer: serde_json::Value =
            serde_json::from_slice(&out).expect("our stdout is the tempFiles JSON");
        let staged = answer["tempFiles"].as_array().map_or(0, Vec::len);
        assert_eq!(staged, files.len(), "our binary staged the wrong number");
        sample
    }

    fn run_curl(url: &str, file: &Path, scratch: &Path) -> Sample {
        let stderr_path = scratch.join("curl-stderr.txt");
        let mut cmd = Command::new("curl");
        cmd.args(["-sS", "--fail", "-o", "/dev/null", "-H"])
            .arg(format!("X-Asteroid-Agents-Api-Key: {KEY}"))
            .arg("-F")
            .arg(format!("files=@{}", file.display()))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(&stderr_path).expect("a stderr file"));
        spawn_and_wait(&mut cmd, &stderr_path)
    }

    /// Spawns, waits with `wait4` for the child's own rusage, and fails loudly (showing its
    /// stderr) when it did not exit 0.
    fn spawn_and_wait(cmd: &mut Command, stderr_path: &Path) -> Sample {
        let started = Instant::now();
        let child = cmd.spawn().expect("spawning a child process");
        let pid = child.id() as libc::pid_t;
        let mut status: libc::c_int = 0;
        // SAFETY: a zeroed rusage is a valid value; wait4 fills it.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        loop {
            // SAFETY: pid is our child, not yet reaped (std's Child never waits on drop);
            // both pointers are to live locals.
            let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            if reaped == pid {
                break;
            }
            let err = std::io::Error::last_os_error();
            assert_eq!(
                err.kind(),
                std::io::ErrorKind::Interrupted,
                "wait4 failed: {err}"
            );
        }
        let wall = started.elapsed();
        drop(child);
        let exited_ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
        if !exited_ok {
            let stderr = std::fs::read_to_string(stderr_path).unwrap_or_default();
            panic!("{cmd:?} failed (wait status {status}):\n{stderr}");
        }
        Sample {
            wall,
            // Linux reports kilobytes (KiB).
            max_rss_kb: usage.ru_maxrss as u64,
        }
    }

    /// Writes `size` bytes of pseudo-random data (no zero runs, nothing a file system could
    /// make sparse); `seed` makes each file different.
    fn write_data_file(path: &Path, size: u64, seed: u64) {
        let mut file = std::io::BufWriter::with_capacity(
            MIB as usize,
            File::create(path).expect("creating a test file"),
        );
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut buf = vec![0u8; MIB as usize];
        let mut left = size;
        while left > 0 {
            for word in buf.chunks_exact_mut(8) {
                // xorshift64
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                word.copy_from_slice(&state.to_le_bytes());
            }
            let n = left.min(buf.len() as u64) as usize;
            file.write_all(&buf[..n]).expect("writing a test file");
            left -= n as u64;
        }
        file.flush().expect("writing a test file");
    }

    fn secs(d: Duration) -> String {
        format!("{:.3} s", d.as_secs_f64())
    }

    fn print_table(rows: &[Row]) {
        println!();
        println!(
            "| {:<30} | {:>5} | {:>13} | {:>13} | {:>9} | {:>13} | {:>13} |",
            "case",
            "runs",
            "ours (median)",
            "curl (median)",
            "ours/curl",
            "ours peak RSS",
            "curl peak RSS"
        );
        println!(
            "|{}|{}:|{}:|{}:|{}:|{}:|{}:|",
            "-".repeat(32),
            "-".repeat(6),
            "-".repeat(14),
            "-".repeat(14),
            "-".repeat(10),
            "-".repeat(14),
            "-".repeat(14)
        );
        for row in rows {
            let ours = row.ours.median_wall();
            let curl = row.curl.median_wall();
            println!(
                "| {:<30} | {:>5} | {:>13} | {:>13} | {:>8.3}x | {:>10.1} MB | {:>10.1} MB |",
                row.case,
                format!("{}/{}", row.ours.0.len(), row.curl.0.len()),
                secs(ours),
                secs(curl),
                ours.as_secs_f64() / curl.as_secs_f64(),
                row.ours.peak_rss_mb(),
                row.curl.peak_rss_mb(),
            );
        }
        for row in rows.iter().filter(|r| !r.note.is_empty()) {
            println!("{}: {}", row.case, row.note);
        }
        println!("runs: ours/curl, after one untimed warm-up each; MB = 10^6 bytes");
    }

    fn print_targets(rows: &[Row], quick: bool) {
        let verdict = |ok: bool| if ok { "MET" } else { "NOT MET" };
        println!("\nTargets:");
        let large: Vec<&Row> = rows.iter().filter(|r| r.files == 1).collect();
        if let Some(biggest) = large.last() {
            let ratio =
                biggest.ours.median_wall().as_secs_f64() / biggest.curl.median_wall().as_secs_f64();
            println!(
                "  {}: ours/curl wall time {:.3}x <= {LARGE_TIME_RATIO}x: {}",
                biggest.case,
                ratio,
                verdict(ratio <= LARGE_TIME_RATIO)
            );
            let rss = biggest.ours.peak_rss_mb();
            println!(
                "  {}: peak RSS {:.1} MB < {LARGE_RSS_LIMIT_MB} MB: {}",
                biggest.case,
                rss,
                verdict(rss < LARGE_RSS_LIMIT_MB)
            );
            let smallest = large[0].ours.peak_rss_mb();
            let spread = large
                .iter()
                .map(|r| r.ours.peak_rss_mb())
                .fold(f64::MIN, f64::max)
                - smallest;
            println!(
                "  peak RSS flat from {} to {}: +{:.1} MB <= {FLAT_RSS_SLACK_MB} MB: {}",
                large[0].case,
                biggest.case,
                spread,
                verdict(spread <= FLAT_RSS_SLACK_MB)
            );
        }
        if let Some(small) = rows.iter().find(|r| r.files > 1) {
            let speedup =
                small.curl.median_wall().as_secs_f64() / small.ours.median_wall().as_secs_f64();
            println!(
                "  {}: {:.1}x faster than curl per file >= {SMALL_SPEEDUP}x: {}",
                small.case,
                speedup,
                verdict(speedup >= SMALL_SPEEDUP)
            );
        }
        if quick {
            println!(
                "  (quick run: no 1 GiB file and fewer small files; run without STAGE_BENCH_QUICK for the targets as stated)"
            );
        }
    }
}
