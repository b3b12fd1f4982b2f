//! Staging through a local server: our binary next to curl, each used the way that suits
//! it best, on the same server, in one run.
//!
//! `cargo bench --bench stage_vs_curl` (several minutes; `STAGE_BENCH_QUICK=1` for a
//! smaller run, `STAGE_BENCH_ONLY=small` or `large` for one half of the cases). The cases:
//! - one large file (100 MiB, 1 GiB): ours vs `curl -F files=@file`;
//! - 1,000 and 10,000 files of 2 KiB through a server that takes 50 ms per request, and
//!   0 ms: ours vs the fair peers, curl with every file in ONE request (`-F files=@a -F
//!   files=@b …`, from a config file) and `curl --parallel --parallel-max 4` with one
//!   transfer per file; one curl process per file is kept as context only (fewer runs, and
//!   only at 1,000 files).
//!
//! Every tool gets one untimed warm-up run, then the runs alternate between the tools,
//! the order reversed every other round (A B C, C B A, …). The table gives min / median /
//! max wall time, the ratio of medians, and the peak resident memory (the child's `VmHWM`,
//! read every 2 ms; the largest over runs and, for one process per file, over processes). A
//! difference is claimed only where the ranges do not overlap.
//!
//! The server is the test suite's (tests/support), hashing off, in this process on two
//! tokio threads; after each run it checks it received every file and byte.
//! Under `cargo test --all-targets` (no `--bench` argument) this prints a note and exits.
//! `STAGE_BENCH_FAIR_ONLY=1` times only ours and curl in one request (no context tools),
//! `STAGE_BENCH_RUNS=9` sets the timed runs per tool (5 unless told).
//! `STAGE_BENCH_SERVE=50` only serves (taking 50 ms per request) and prints its base URL,
//! for profiling our binary by hand.

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

    use crate::support::{KEY, NO_DBUS, ORG, StagingServer};

    const BIN: &str = env!("CARGO_BIN_EXE_asteroid-stager");
    const MIB: u64 = 1024 * 1024;
    const GIB: u64 = 1024 * MIB;
    const SMALL_FILE_SIZE: u64 = 2048;

    struct Plan {
        large: Vec<(&'static str, u64)>,
        runs: usize,
        /// Folders of small files: one case each (one curl per file only for the first).
        small_files: Vec<usize>,
        delays: Vec<Duration>,
        /// One curl process per file: context only, a minute a run at 50 ms.
        per_file_runs: usize,
    }

    impl Plan {
        fn new(quick: bool) -> Self {
            if quick {
                Self {
                    large: vec![("100 MiB file", 100 * MIB)],
                    runs: 3,
                    small_files: vec![200],
                    delays: vec![Duration::from_millis(50)],
                    per_file_runs: 1,
                }
            } else {
                Self {
                    large: vec![("100 MiB file", 100 * MIB), ("1 GiB file", GIB)],
                    runs: 5,
                    small_files: vec![1000, 10_000],
                    delays: vec![Duration::from_millis(50), Duration::ZERO],
                    per_file_runs: 1,
                }
            }
        }
    }

    /// One child process (or, for one curl per file, the whole sequence): wall time and
    /// the peak resident set.
    #[derive(Clone, Copy)]
    struct Sample {
        wall: Duration,
        max_rss_kb: u64,
    }

    #[derive(Default)]
    struct Samples(Vec<Sample>);

    impl Samples {
        fn sorted(&self) -> Vec<Duration> {
            let mut walls: Vec<Duration> = self.0.iter().map(|s| s.wall).collect();
            walls.sort();
            walls
        }

        fn min(&self) -> Duration {
            self.sorted()[0]
        }

        fn max(&self) -> Duration {
            *self.sorted().last().unwrap()
        }

        /// The middle run (the mean of the two middle ones for an even count).
        fn median(&self) -> Duration {
            let w = self.sorted();
            let n = w.len();
            if n % 2 == 1 {
                w[n / 2]
            } else {
                (w[n / 2 - 1] + w[n / 2]) / 2
            }
        }

        fn peak_rss_mb(&self) -> f64 {
            let kb = self.0.iter().map(|s| s.max_rss_kb).max().unwrap_or(0);
            kb as f64 * 1024.0 / 1e6
        }
    }

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Tool {
        Ours,
        /// Every file in one request: `curl -F files=@a -F files=@b …` (a config file).
        CurlOneRequest,
        /// One transfer per file, 4 at a time, in one curl process.
        CurlParallel,
        /// One curl process per file, one after another.
        CurlPerFile,
    }

    impl Tool {
        fn label(self) -> &'static str {
            match self {
                Tool::Ours => "asteroid-stager",
                Tool::CurlOneRequest => "curl, all files in one request",
                Tool::CurlParallel => "curl --parallel --parallel-max 4, one transfer per file",
                Tool::CurlPerFile => "one curl process per file (context)",
            }
        }
    }

    struct Setup<'a> {
        server: &'a StagingServer,
        runtime: &'a tokio::runtime::Runtime,
        url: String,
        home: PathBuf,
        scratch: PathBuf,
    }

    struct Row {
        case: String,
        tool: Tool,
        samples: Samples,
    }

    /// The tests' server on two tokio threads of its own, hashing off (the bench's own
    /// cost stays out of the figures).
    fn start_server() -> (tokio::runtime::Runtime, StagingServer) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime for the server");
        let server = runtime.block_on(StagingServer::start());
        server.set_hashing(false);
        (runtime, server)
    }

    /// `STAGE_BENCH_SERVE=<ms>`: only the server, taking that long per request, until
    /// killed (it forgets what it stored every few seconds, when idle): to profile or trace our binary
    /// by hand. Its base URL is printed on the first line.
    fn serve(delay_ms: u64) {
        // Kept to the end: the server runs on it.
        let (_runtime, server) = start_server();
        server.set_delay(Duration::from_millis(delay_ms));
        println!("{}", server.base_url);
        loop {
            std::thread::sleep(Duration::from_secs(5));
            if server.requests().iter().all(|r| r.complete) {
                server.clear();
            }
        }
    }

    pub fn run() {
        if let Some(delay) = std::env::var("STAGE_BENCH_SERVE")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            serve(delay);
        }
        let quick = std::env::var("STAGE_BENCH_QUICK").is_ok_and(|v| v == "1");
        let mut plan = Plan::new(quick);
        // `STAGE_BENCH_ONLY=small` or `=large`: one half of the cases.
        match std::env::var("STAGE_BENCH_ONLY").as_deref() {
            Ok("small") => plan.large.clear(),
            Ok("large") => plan.small_files.clear(),
            _ => {}
        }
        // `STAGE_BENCH_FAIR_ONLY=1`: only ours and the fair peer (curl, every file in one
        // request), leaving out the minutes of context (one transfer or process per file).
        let fair_only = std::env::var("STAGE_BENCH_FAIR_ONLY").is_ok_and(|v| v == "1");
        // `STAGE_BENCH_RUNS=<n>`: timed runs per tool (5 unless told).
        if let Some(runs) = std::env::var("STAGE_BENCH_RUNS")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            plan.runs = runs;
        }
        check_curl();
        let started = Instant::now();

        let (runtime, server) = start_server();
        let dir = tempfile::Builder::new()
            .prefix("stage-vs-curl-")
            .tempdir()
            .expect("a temporary directory for the test files");
        let setup = Setup {
            server: &server,
            runtime: &runtime,
            url: format!("{}/temp-files/{ORG}", server.base_url),
            home: dir.path().join("home"),
            scratch: dir.path().to_path_buf(),
        };
        println!(
            "stage_vs_curl: {} vs curl on {} ({} CPU(s), load average {}{})",
            BIN,
            server.base_url,
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            load_average(),
            if quick { ", quick run" } else { "" }
        );

        let mut rows = Vec::new();
        for &(case, size) in &plan.large {
            let path = dir.path().join(format!("large-{size}.bin"));
            write_data_file(&path, size, size);
            let files = vec![path.clone()];
            server.set_delay(Duration::ZERO);
            let tools = [(Tool::Ours, plan.runs), (Tool::CurlOneRequest, plan.runs)];
            for (tool, samples) in measure(&setup, &files, size, &tools) {
                rows.push(Row {
                    case: case.to_owned(),
                    tool,
                    samples,
                });
            }
            std::fs::remove_file(&path).expect("removing a test file");
        }

        for (nth, &count) in plan.small_files.iter().enumerate() {
            let small_dir = dir.path().join(format!("small-{count}"));
            std::fs::create_dir(&small_dir).expect("a folder for the small files");
            let small: Vec<PathBuf> = (0..count)
                .map(|i| {
                    let p = small_dir.join(format!("note-{i:05}.txt"));
                    write_data_file(&p, SMALL_FILE_SIZE, i as u64 + 1);
                    p
                })
                .collect();
            for &delay in &plan.delays {
                server.set_delay(delay);
                let case = format!(
                    "{count} files of {} KiB, server {} ms per request",
                    SMALL_FILE_SIZE / 1024,
                    delay.as_millis()
                );
                // One transfer per file takes two minutes a run at 10,000 files and 50 ms:
                // full runs at the first size, one run of context after that.
                let parallel_runs = if nth == 0 {
                    plan.runs
                } else {
                    plan.per_file_runs
                };
                let mut tools = vec![(Tool::Ours, plan.runs), (Tool::CurlOneRequest, plan.runs)];
                if !fair_only {
                    tools.push((Tool::CurlParallel, parallel_runs));
                }
                // One curl per file takes minutes at 10,000 files: context for the first only.
                if nth == 0 && !fair_only {
                    tools.push((Tool::CurlPerFile, plan.per_file_runs));
                }
                for (tool, samples) in
                    measure(&setup, &small, SMALL_FILE_SIZE * small.len() as u64, &tools)
                {
                    rows.push(Row {
                        case: case.clone(),
                        tool,
                        samples,
                    });
                }
            }
            std::fs::remove_dir_all(&small_dir).expect("removing the small files");
        }

        print_table(&rows);
        println!(
            "\nTotal bench time: {:.0} s; load average at the end {}",
            started.elapsed().as_secs_f64(),
            load_average()
        );
    }

    fn load_average() -> String {
        std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "unknown".into())
    }

    fn check_curl() {
        let ok = Command::new("curl")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "curl is needed on PATH to compare against");
    }

    /// One untimed warm-up per tool, then rounds in which every tool with runs left runs
    /// once, the order reversed every other round. Returns the samples per tool.
    fn measure(
        setup: &Setup<'_>,
        files: &[PathBuf],
        total_bytes: u64,
        tools: &[(Tool, usize)],
    ) -> Vec<(Tool, Samples)> {
        let mut out: Vec<(Tool, Samples)> = tools
            .iter()
            .map(|(t, _)| (*t, Samples::default()))
            .collect();
        for (tool, runs) in tools {
            // A minute-long sequence of processes is no warm-up material.
            if *runs > 1 || *tool != Tool::CurlPerFile {
                run_tool(setup, *tool, files, total_bytes);
            }
        }
        let most = tools.iter().map(|(_, runs)| *runs).max().unwrap_or(0);
        for round in 0..most {
            let mut order: Vec<usize> = (0..tools.len()).collect();
            if round % 2 == 1 {
                order.reverse();
            }
            for i in order {
                let (tool, runs) = tools[i];
                if round < runs {
                    let sample = run_tool(setup, tool, files, total_bytes);
                    out[i].1.0.push(sample);
                }
            }
        }
        out
    }

    fn run_tool(setup: &Setup<'_>, tool: Tool, files: &[PathBuf], total_bytes: u64) -> Sample {
        setup
            .runtime
            .block_on(setup.server.wait_idle(Duration::from_secs(30)));
        setup.server.clear();
        let sample = match tool {
            Tool::Ours => run_ours(setup, files),
            Tool::CurlOneRequest => run_curl_config(setup, &one_request_config(setup, files)),
            Tool::CurlParallel => run_curl_config(setup, &parallel_config(setup, files)),
            Tool::CurlPerFile => {
                let started = Instant::now();
                let mut peak = 0;
                for file in files {
                    let config = one_request_config(setup, std::slice::from_ref(file));
                    peak = peak.max(run_curl_config(setup, &config).max_rss_kb);
                }
                Sample {
                    wall: started.elapsed(),
                    max_rss_kb: peak,
                }
            }
        };
        setup
            .runtime
            .block_on(setup.server.wait_idle(Duration::from_secs(30)));
        let requests = setup.server.requests();
        assert!(
            requests.iter().all(|r| r.complete),
            "the server saw an incomplete request"
        );
        let parts: Vec<_> = requests.iter().flat_map(|r| &r.parts).collect();
        let bytes: u64 = parts.iter().map(|p| p.size).sum();
        assert_eq!(
            parts.len(),
            files.len(),
            "{}: the server received {} file(s), {} were sent",
            tool.label(),
            parts.len(),
            files.len()
        );
        assert_eq!(
            bytes,
            total_bytes,
            "{}: the server received the wrong byte count",
            tool.label()
        );
        assert_eq!(setup.server.ledger().len(), files.len(), "each stored once");
        sample
    }

    fn run_ours(setup: &Setup<'_>, files: &[PathBuf]) -> Sample {
        // A fresh history each run, inside the temporary directory.
        let home = &setup.home;
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
            .env_remove("RUST_LOG")
            .env("ASTEROID_API_KEY", KEY)
            .env("ASTEROID_BASE_URL", &setup.server.base_url)
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("DBUS_SESSION_BUS_ADDRESS", NO_DBUS)
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

    /// A curl config string value: quoted, `\` and `"` escaped.
    fn quoted(value: &str) -> String {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }

    /// One request carrying every file as a `files` part.
    fn one_request_config(setup: &Setup<'_>, files: &[PathBuf]) -> String {
        let mut config = String::from("silent\nshow-error\nfail\noutput = \"/dev/null\"\n");
        config += &format!(
            "header = {}\nurl = {}\n",
            quoted(&format!("X-Asteroid-Agents-Api-Key: {KEY}")),
            quoted(&setup.url)
        );
        for file in files {
            config += &format!("form = {}\n", quoted(&format!("files=@{}", file.display())));
        }
        config
    }

    /// One transfer per file, at most 4 at once, in one process (connections reused).
    fn parallel_config(setup: &Setup<'_>, files: &[PathBuf]) -> String {
        let mut config = String::from("parallel\nparallel-max = 4\nsilent\nshow-error\n");
        for (i, file) in files.iter().enumerate() {
            if i > 0 {
                config += "next\n";
            }
            config += &format!(
                "fail\noutput = \"/dev/null\"\nheader = {}\nurl = {}\nform = {}\n",
                quoted(&format!("X-Asteroid-Agents-Api-Key: {KEY}")),
                quoted(&setup.url),
                quoted(&format!("files=@{}", file.display()))
            );
        }
        config
    }

    fn run_curl_config(setup: &Setup<'_>, config: &str) -> Sample {
        let config_path = setup.scratch.join("curl.config");
        std::fs::write(&config_path, config).expect("writing a curl config");
        let stderr_path = setup.scratch.join("curl-stderr.txt");
        let mut cmd = Command::new("curl");
        cmd.arg("--config")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(&stderr_path).expect("a stderr file"));
        spawn_and_wait(&mut cmd, &stderr_path)
    }

    /// Spawns, waits with `wait4`, and fails loudly (showing its stderr) when it did not
    /// exit 0. The peak resident set is the child's own `VmHWM`, read every 2 ms while it
    /// runs: `ru_maxrss` would also count this process's memory (Linux keeps the high-water
    /// mark of the memory a child had before its exec, i.e. the bench's own, which holds
    /// the server's copy of the files).
    fn spawn_and_wait(cmd: &mut Command, stderr_path: &Path) -> Sample {
        let started = Instant::now();
        let child = cmd.spawn().expect("spawning a child process");
        let pid = child.id() as libc::pid_t;
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let watcher = {
            let peak = peak.clone();
            std::thread::spawn(move || {
                let status = format!("/proc/{pid}/status");
                // Gone (or a zombie without memory) once it has exited.
                while let Ok(text) = std::fs::read_to_string(&status) {
                    let Some(kb) = text
                        .lines()
                        .find_map(|l| l.strip_prefix("VmHWM:"))
                        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                    else {
                        break;
                    };
                    peak.fetch_max(kb, std::sync::atomic::Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(2));
                }
            })
        };
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
        let _ = watcher.join();
        drop(child);
        let exited_ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
        if !exited_ok {
            let stderr = std::fs::read_to_string(stderr_path).unwrap_or_default();
            panic!("{cmd:?} failed (wait status {status}):\n{stderr}");
        }
        Sample {
            wall,
            // Linux reports kilobytes (KiB).
            max_rss_kb: peak.load(std::sync::atomic::Ordering::Relaxed),
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
        let s = d.as_secs_f64();
        if s >= 10.0 {
            format!("{s:.1} s")
        } else {
            format!("{s:.3} s")
        }
    }

    /// What the ranges allow one to say about ours against this tool.
    fn verdict(ours: &Samples, other: &Samples) -> String {
        let ratio = other.median().as_secs_f64() / ours.median().as_secs_f64();
        if ours.max() < other.min() {
            format!("ours faster ({ratio:.2}x)")
        } else if other.max() < ours.min() {
            format!("curl faster ({:.2}x)", 1.0 / ratio)
        } else {
            "ranges overlap: no difference shown".to_owned()
        }
    }

    fn print_table(rows: &[Row]) {
        println!();
        println!(
            "| case | tool | runs | min | median | max | ours / this (medians) | what the spread shows | peak RSS |"
        );
        println!("|---|---|---:|---:|---:|---:|---:|---|---:|");
        for row in rows {
            let ours = rows
                .iter()
                .find(|r| r.case == row.case && r.tool == Tool::Ours)
                .expect("ours runs in every case");
            let s = &row.samples;
            let (ratio, shown) = if row.tool == Tool::Ours {
                ("".to_owned(), "".to_owned())
            } else {
                (
                    format!(
                        "{:.2}",
                        ours.samples.median().as_secs_f64() / s.median().as_secs_f64()
                    ),
                    if s.0.len() < 3 {
                        "context only (too few runs)".to_owned()
                    } else {
                        verdict(&ours.samples, s)
                    },
                )
            };
            println!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {:.1} MB |",
                row.case,
                row.tool.label(),
                s.0.len(),
                secs(s.min()),
                secs(s.median()),
                secs(s.max()),
                ratio,
                shown,
                s.peak_rss_mb(),
            );
        }
        println!(
            "\nruns after one untimed warm-up each (none for one curl per file), alternating, order reversed every other round; MB = 10^6 bytes; \"ours / this\" below 1 means ours took less time"
        );
    }
}
