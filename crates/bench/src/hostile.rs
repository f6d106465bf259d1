//! A hostile server: the official Node socket.io server (tests/interop/server.mjs `--hostile-*`)
//! pushes 1 GiB of 256 KiB `chat.message`s interleaved with 100,000 `presence.typing` events on
//! loopback, as fast as the client reads, with an app-level `ping` every 50 ms; then one normal
//! message. Measured on the real processes, each in its own run:
//!   - `sellerdesk-cli sync` (a child process): peak RSS from /proc/<pid>/status (VmHWM, and the
//!     largest VmRSS sampled every 20 ms);
//!   - the app (`sellerdesk --data-dir`, its backend runs the engine, the UI bridge and the
//!     notifier as a signed-in session does; needs a display, e.g. scripts/with-services.sh).
//!
//! Also: `pong` latency as the server measures it (each `ping` paired with the pong that answers
//! it, in order), whether the connection survived (one connection, no reconnect), and whether
//! the normal message after the flood is in the cache. Figures are printed, never asserted.
//! The CLI signs in through the OS keychain, so run it all under scripts/with-services.sh.

use crate::stats::{percentile, sorted};
use marketplace_sim::reference::NodePeer;
use sellerdesk_core::store::Store;
use serde_json::Value;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

const TOKEN: &str = "bench.token.value";
const AFTER_ID: &str = "hostile-after";
const CONVERSATION: &str = "conv-hostile";
/// How long one run may take before it is given up (the flood itself, then the last message).
const RUN_LIMIT: Duration = Duration::from_secs(900);

/// What the flood consists of.
#[derive(Clone, Copy, Debug)]
pub struct Flood {
    pub bytes: u64,
    pub message_bytes: u64,
    pub typing: u64,
}

/// The figures of one run.
struct Figures {
    label: String,
    peak_hwm_kib: u64,
    peak_rss_kib: u64,
    pongs: Vec<f64>,
    pings: usize,
    connects: usize,
    dropped_before_done: bool,
    flood_ms: Option<f64>,
    after_cached: bool,
    invalid_payload_lines: u64,
    wall: Duration,
}

pub async fn run(flood: Flood, app: Option<PathBuf>) -> Result<(), String> {
    let cli = sibling_binary("sellerdesk-cli")?;
    println!(
        "hostile: {} MiB of {} KiB chat.message + {} presence.typing, as fast as read; ping every 50 ms (official Node socket.io server, loopback)",
        flood.bytes >> 20,
        flood.message_bytes >> 10,
        flood.typing
    );
    let cli_figures = measure(flood, "sellerdesk-cli sync", |dir| {
        Command::new(&cli)
            .arg("--data-dir")
            .arg(dir)
            .arg("sync")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", cli.display()))
    })
    .await?;
    print(&cli_figures);

    let app = app.or_else(default_app_binary);
    match app {
        Some(app) if std::env::var_os("DISPLAY").is_some() => {
            let app_figures = measure(flood, &format!("app backend ({})", app.display()), |dir| {
                Command::new(&app)
                    .arg("--data-dir")
                    .arg(dir)
                    .env("SELLERDESK_LOG", "warn")
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .map_err(|e| format!("cannot start {}: {e}", app.display()))
            })
            .await?;
            print(&app_figures);
        }
        Some(_) => {
            println!("  app backend: skipped (no DISPLAY; run under scripts/with-services.sh)")
        }
        None => println!(
            "  app backend: skipped (no sellerdesk binary; cargo build --release, or --app PATH)"
        ),
    }
    Ok(())
}

fn print(f: &Figures) {
    let sorted = sorted(f.pongs.clone());
    println!("  {}", f.label);
    println!(
        "    peak RSS      VmHWM {:>7.1} MiB   (largest VmRSS sampled {:.1} MiB)",
        f.peak_hwm_kib as f64 / 1024.0,
        f.peak_rss_kib as f64 / 1024.0
    );
    println!(
        "    pong          n {} of {} pings   p50 {:.2} ms   p99 {:.2} ms   max {:.2} ms",
        sorted.len(),
        f.pings,
        percentile(&sorted, 50.0),
        percentile(&sorted, 99.0),
        percentile(&sorted, 100.0)
    );
    let slow: Vec<String> = f
        .pongs
        .iter()
        .enumerate()
        .filter(|(_, ms)| **ms > 50.0)
        .map(|(i, ms)| format!("#{i} {ms:.0} ms"))
        .collect();
    println!(
        "    slow pongs    {} over 50 ms{}{}",
        slow.len(),
        if slow.is_empty() { "" } else { ": " },
        slow.iter().take(12).cloned().collect::<Vec<_>>().join(", ")
    );
    println!(
        "    connection    {} connection(s){}",
        f.connects,
        if f.connects == 1 && !f.dropped_before_done {
            ", survived the flood"
        } else {
            ", LOST during the flood (reconnected)"
        }
    );
    println!(
        "    flood         emitted in {}   whole run {:.1} s   INVALID_PAYLOAD warnings printed {}",
        f.flood_ms.map_or("(not finished)".to_owned(), |ms| format!(
            "{:.1} s",
            ms / 1000.0
        )),
        f.wall.as_secs_f64(),
        f.invalid_payload_lines
    );
    println!(
        "    after flood   normal message {}",
        if f.after_cached {
            "cached"
        } else {
            "NOT cached"
        }
    );
}

/// The binary built beside this one (target/release/NAME for a release bench).
fn sibling_binary(name: &str) -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let path = me.with_file_name(name);
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "{} not found; build it: cargo build --release -p sellerdesk-cli",
            path.display()
        ))
    }
}

fn default_app_binary() -> Option<PathBuf> {
    let me = std::env::current_exe().ok()?;
    let beside = me.with_file_name("sellerdesk");
    beside.exists().then_some(beside)
}

/// Reads a process's peak and current resident size (KiB) from /proc.
fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<u64>().ok())
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

/// Reads a child's output in the background: counts the lines with `needle`, keeps the last few.
fn count_lines(
    stream: impl std::io::Read + Send + 'static,
    needle: &'static str,
) -> (Arc<AtomicU64>, Arc<Mutex<VecDeque<String>>>) {
    let matches = Arc::new(AtomicU64::new(0));
    let tail = Arc::new(Mutex::new(VecDeque::new()));
    let (counter, last) = (matches.clone(), tail.clone());
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if line.contains(needle) {
                counter.fetch_add(1, Ordering::Relaxed);
            }
            let mut last = last.lock().unwrap_or_else(PoisonError::into_inner);
            if last.len() == 5 {
                last.pop_front();
            }
            last.push_back(line);
        }
    });
    (matches, tail)
}

fn login(cli: &Path, dir: &Path, url: &str) -> Result<(), String> {
    let mut child = Command::new(cli)
        .arg("--data-dir")
        .arg(dir)
        .args(["login", "--server", url, "--token-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the CLI: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(TOKEN.as_bytes())
            .map_err(|e| e.to_string())?;
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "login failed (run under scripts/with-services.sh for a keychain): {}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// One run: a fresh server and data folder, sign in with the CLI, start the process under
/// test, sample its memory until the flood is over and the last message is cached.
async fn measure(
    flood: Flood,
    label: &str,
    start: impl FnOnce(&Path) -> Result<Child, String>,
) -> Result<Figures, String> {
    let cli = sibling_binary("sellerdesk-cli")?;
    let args: Vec<String> = vec![
        "--token".into(),
        TOKEN.into(),
        "--no-events".into(),
        "--ping-interval-ms".into(),
        "50".into(),
        "--hostile-bytes".into(),
        flood.bytes.to_string(),
        "--hostile-message-bytes".into(),
        flood.message_bytes.to_string(),
        "--hostile-typing".into(),
        flood.typing.to_string(),
    ];
    let peer = NodePeer::start(&args.iter().map(String::as_str).collect::<Vec<_>>())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    login(&cli, dir.path(), &peer.url)?;
    // The sign-in's own connection got a flood too; only what comes after counts.
    let skip = peer.lines().len();

    let began = Instant::now();
    let mut child = start(dir.path())?;
    let pid = child.id();
    let (invalid, stderr_tail) = child
        .stderr
        .take()
        .map(|s| count_lines(s, "INVALID_PAYLOAD"))
        .unwrap_or_default();
    let _stdout = child.stdout.take().map(|s| count_lines(s, AFTER_ID));

    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
    let sampler = {
        let stop = stop.clone();
        let peak = peak.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Some((hwm, rss)) = memory_kib(pid) {
                    peak.0.fetch_max(hwm, Ordering::Relaxed);
                    peak.1.fetch_max(rss, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };

    // Wait for the flood to end, then for the normal message to reach the cache.
    let mut flood_ms = None;
    let mut after_cached = false;
    // Opened once the flood is over: by then the process under test has set the cache up (two
    // processes migrating a new cache at once would trip over each other).
    let mut store: Option<Store> = None;
    while began.elapsed() < RUN_LIMIT {
        if let Ok(Some(status)) = child.try_wait() {
            let tail = stderr_tail.lock().unwrap_or_else(PoisonError::into_inner);
            println!("  {label} ended by itself ({status}): {tail:?}");
            break;
        }
        if flood_ms.is_none() {
            flood_ms = peer.lines()[skip..]
                .iter()
                .find_map(|l| l["hostile_done"].as_u64().and(l["ms"].as_f64()));
        }
        if flood_ms.is_some() {
            if store.is_none() {
                store = Some(Store::open(dir.path()).await.map_err(|e| e.to_string())?);
            }
            let cached = match &store {
                Some(store) => store
                    .messages(CONVERSATION)
                    .await
                    .map(|m| m.iter().any(|m| m.id == AFTER_ID))
                    .unwrap_or(false),
                None => false,
            };
            if cached {
                after_cached = true;
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let wall = began.elapsed();
    if let Some(store) = store {
        store.close().await;
    }
    stop_child(&mut child);
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.join();

    let lines = peer.lines()[skip..].to_vec();
    let (pongs, pings, connects, dropped) = connection_figures(&lines);
    Ok(Figures {
        label: label.to_owned(),
        peak_hwm_kib: peak.0.load(Ordering::Relaxed),
        peak_rss_kib: peak.1.load(Ordering::Relaxed),
        pongs,
        pings,
        connects,
        dropped_before_done: dropped,
        flood_ms,
        after_cached,
        invalid_payload_lines: invalid.load(Ordering::Relaxed),
        wall,
    })
}

/// Asks the child to stop (SIGINT, as Ctrl-C), and kills it if it does not within 10 s.
fn stop_child(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// From the server's lines (after the sign-in): pong latencies of the flooded connection (the
/// first one), its pings, how many connections there were, and whether the first one ended
/// before the flood was done.
fn connection_figures(lines: &[Value]) -> (Vec<f64>, usize, usize, bool) {
    let connects: Vec<&str> = lines.iter().filter_map(|l| l["connect"].as_str()).collect();
    let Some(&sid) = connects.first() else {
        return (Vec::new(), 0, 0, true);
    };
    let mut waiting: VecDeque<f64> = VecDeque::new();
    let mut pongs = Vec::new();
    let mut pings = 0;
    let mut done = false;
    let mut dropped = false;
    for line in lines {
        if line["hostile_done"].is_u64() && line["sid"] == sid {
            done = true;
        }
        if line["disconnect"] == sid && !done {
            dropped = true;
        }
        if line["sid"] != sid {
            continue;
        }
        if let Some(t) = line["ping_sent"].as_f64() {
            pings += 1;
            waiting.push_back(t);
        } else if line["recv"] == "pong" {
            // One pong per ping, in order, on one connection.
            if let (Some(sent), Some(t)) = (waiting.pop_front(), line["t"].as_f64()) {
                pongs.push(t - sent);
            }
        }
    }
    (pongs, pings, connects.len(), dropped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pongs_pair_with_pings_in_order_on_the_flooded_connection() {
        let lines = vec![
            json!({"connect": "a"}),
            json!({"ping_sent": 0.0, "sid": "a"}),
            json!({"ping_sent": 50.0, "sid": "a"}),
            json!({"ping_sent": 10.0, "sid": "b"}),
            json!({"recv": "pong", "t": 70.0, "sid": "a"}),
            json!({"recv": "pong", "t": 75.0, "sid": "a"}),
            json!({"hostile_done": 1, "sid": "a"}),
            json!({"disconnect": "a"}),
        ];
        let (pongs, pings, connects, dropped) = connection_figures(&lines);
        // A late pong is charged to the ping it answers, not to the latest one.
        assert_eq!(pongs, [70.0, 25.0]);
        assert_eq!(pings, 2);
        assert_eq!(connects, 1);
        assert!(!dropped);
    }

    #[test]
    fn a_disconnect_before_the_end_counts_as_lost() {
        let lines = vec![
            json!({"connect": "a"}),
            json!({"disconnect": "a"}),
            json!({"connect": "c"}),
            json!({"hostile_done": 1, "sid": "c"}),
        ];
        let (_, _, connects, dropped) = connection_figures(&lines);
        assert_eq!(connects, 2);
        assert!(dropped);
    }
}
