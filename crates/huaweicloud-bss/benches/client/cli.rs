//! The CLI path: `hcbss list-sub-customers --all -o json > file` against the loopback customer
//! server (this benchmark's server mode, in a child process), for 50,000 and 500,000 records:
//! the CPU (user + system) and peak resident memory of the `hcbss` process alone, next to the
//! official Python SDK paging the same records from the same server when
//! `HCBSS_BENCH_PYTHON` names a Python that has it (`python_sdk_paging.py`), run alternately.
//!
//! Needs the release `hcbss` beside this benchmark (`cargo build --release -p hcbss`); without
//! it the report says so and is skipped.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The record counts measured.
const COUNTS: [usize; 2] = [50_000, 500_000];
/// Rounds per count (hcbss and the SDK alternated).
const ROUNDS: usize = 3;

/// What one run of a client cost.
#[derive(Clone, Copy, Debug)]
struct Run {
    cpu: Duration,
    wall: Duration,
    max_rss_kib: u64,
}

impl Run {
    fn records_per_cpu_second(&self, records: usize) -> f64 {
        records as f64 / self.cpu.as_secs_f64()
    }
}

/// Prints the CLI report.
pub fn report(server_mode: &str, customers_var: &str) {
    let Some(hcbss) = hcbss_binary() else {
        println!(
            "hcbss --all: skipped (build the release hcbss first: cargo build --release -p hcbss)"
        );
        return;
    };
    let python = std::env::var_os("HCBSS_BENCH_PYTHON").map(PathBuf::from);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/python_sdk_paging.py");
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "hcbss --all -o json > file, {} (load average before: {})",
        hcbss.display(),
        load.trim()
    );
    for count in COUNTS {
        let (mut server, url) = start_server(server_mode, customers_var, count);
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        for round in 1..=ROUNDS {
            let run = run_hcbss(&hcbss, &url, count);
            println!(
                "  {count} records, round {round}: hcbss {:.2} s CPU, {:.2} s wall, max RSS {:.1} MiB, {:.0} records per CPU-second",
                run.cpu.as_secs_f64(),
                run.wall.as_secs_f64(),
                run.max_rss_kib as f64 / 1024.0,
                run.records_per_cpu_second(count)
            );
            ours.push(run);
            if let Some(python) = &python {
                match run_python(python, &script, &url, count) {
                    Some(run) => {
                        println!(
                            "  {count} records, round {round}: python sdk {:.2} s CPU, {:.2} s wall, max RSS {:.1} MiB, {:.0} records per CPU-second",
                            run.cpu.as_secs_f64(),
                            run.wall.as_secs_f64(),
                            run.max_rss_kib as f64 / 1024.0,
                            run.records_per_cpu_second(count)
                        );
                        theirs.push(run);
                    }
                    None => println!("  python sdk: failed (see its stderr)"),
                }
            }
        }
        let best = |runs: &[Run]| runs.iter().map(|r| r.cpu).min();
        let peak = ours.iter().map(|r| r.max_rss_kib).max().unwrap_or(0);
        match (best(&ours), best(&theirs)) {
            (Some(ours_cpu), Some(theirs_cpu)) => println!(
                "  {count} records, best of {ROUNDS}: hcbss {:.0} vs python sdk {:.0} records per CPU-second: {:.1}x; hcbss max RSS {:.1} MiB",
                count as f64 / ours_cpu.as_secs_f64(),
                count as f64 / theirs_cpu.as_secs_f64(),
                theirs_cpu.as_secs_f64() / ours_cpu.as_secs_f64(),
                peak as f64 / 1024.0
            ),
            (Some(ours_cpu), None) => println!(
                "  {count} records, best of {ROUNDS}: hcbss {:.0} records per CPU-second, max RSS {:.1} MiB (set HCBSS_BENCH_PYTHON for the SDK's figure)",
                count as f64 / ours_cpu.as_secs_f64(),
                peak as f64 / 1024.0
            ),
            _ => {}
        }
        drop(server.stdin.take());
        let _ = server.wait();
    }
}

/// The release `hcbss` in the target directory this benchmark was built in.
fn hcbss_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    // target/release/deps/client-<hash> → target/release/hcbss
    let path = exe.parent()?.parent()?.join("hcbss");
    path.is_file().then_some(path)
}

/// Starts this benchmark in server mode with `count` customers; returns the child and its URL.
fn start_server(
    server_mode: &str,
    customers_var: &str,
    count: usize,
) -> (std::process::Child, String) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(server_mode, "1")
        .env(customers_var, count.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    (child, url.trim().to_string())
}

/// Runs `hcbss list-sub-customers --all -o json > file` and checks the file holds `count`
/// records.
fn run_hcbss(hcbss: &Path, url: &str, count: usize) -> Run {
    let path = std::env::temp_dir().join(format!("hcbss-bench-{}.json", std::process::id()));
    let file = std::fs::File::create(&path).unwrap();
    let mut command = Command::new(hcbss);
    command
        .args([
            "list-sub-customers",
            "--all",
            "-o",
            "json",
            "--endpoint",
            url,
        ])
        .env_clear()
        .env("HUAWEICLOUD_SDK_AK", "BENCHAK")
        .env("HUAWEICLOUD_SDK_SK", "bench-secret")
        .stdout(file)
        .stderr(Stdio::inherit());
    let run = measure(command);
    let mut text = Vec::new();
    std::fs::File::open(&path)
        .unwrap()
        .read_to_end(&mut text)
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let records = text
        .windows(b"\"customer_id\"".len())
        .filter(|w| *w == b"\"customer_id\"")
        .count();
    assert_eq!(records, count, "hcbss wrote every record");
    assert!(text.ends_with(b"]\n"), "one complete JSON array");
    run
}

/// Runs `command` to the end: its CPU from `wait4`, its peak resident memory from `VmHWM` read
/// while it runs (`wait4`'s `ru_maxrss` would charge a child started with vfork with this
/// process's own peak at `exec`).
fn measure(mut command: Command) -> Run {
    let started = Instant::now();
    let child = command.spawn().unwrap();
    let pid = child.id();
    let status_file = format!("/proc/{pid}/status");
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let mut status = 0;
        // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: pid is this process's own unreaped child; status and usage are writable.
        let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
        let _ = done_tx.send(());
        assert_eq!(reaped, pid as libc::pid_t);
        assert_eq!(status, 0, "the client exited with status {status}");
        let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
        time(usage.ru_utime) + time(usage.ru_stime)
    });
    let mut peak = 0;
    while done_rx.try_recv().is_err() {
        let text = std::fs::read_to_string(&status_file).unwrap_or_default();
        if let Some(kib) = text
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kib);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let cpu = waiter.join().unwrap();
    // wait4 reaped the child: std must not wait for it again.
    std::mem::forget(child);
    Run {
        cpu,
        wall: started.elapsed(),
        max_rss_kib: peak,
    }
}

/// One round of the Python SDK paging `count` records from `url`; it reports its own CPU and
/// peak memory on a line `cpu_seconds=… wall_seconds=… max_rss_kib=…`.
fn run_python(python: &Path, script: &Path, url: &str, count: usize) -> Option<Run> {
    let out = Command::new(python)
        .arg(script)
        .args(["--url", url, "--count", &count.to_string(), "--rounds", "1"])
        .stderr(Stdio::inherit())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.contains("cpu_seconds="))?;
    let field = |name: &str| -> Option<f64> {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(name))
            .and_then(|v| v.parse().ok())
    };
    Some(Run {
        cpu: Duration::from_secs_f64(field("cpu_seconds=")?),
        wall: Duration::from_secs_f64(field("wall_seconds=")?),
        max_rss_kib: field("max_rss_kib=")? as u64,
    })
}
