//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]

pub mod proxy;

use sellerdesk_core::engine::{ConnectionState, EngineEvent};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The official Node `socket.io` server (tests/interop/server.mjs) on a free loopback port.
/// Every JSON line it prints (what it received, connects, disconnects) is kept for assertions.
pub struct NodePeer {
    child: Child,
    pub url: String,
    lines: Arc<Mutex<Vec<Value>>>,
}

impl NodePeer {
    pub fn start(args: &[&str]) -> Self {
        let script = repo_root().join("tests/interop/server.mjs");
        assert!(
            repo_root().join("tests/interop/node_modules/socket.io").exists(),
            "run `npm ci --prefix tests/interop` (scripts/install-deps.sh does) before the interop tests"
        );
        let mut child = Command::new("node")
            .arg(script)
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node is installed");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut reader = BufReader::new(stdout);
        let mut first = String::new();
        reader.read_line(&mut first).expect("first line");
        let url = first
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if let Ok(value) = serde_json::from_str::<Value>(&line) {
                    sink.lock().expect("lines lock").push(value);
                }
            }
        });
        Self { child, url, lines }
    }

    /// Arguments of every event the client sent with this name, in order.
    pub fn received(&self, name: &str) -> Vec<Vec<Value>> {
        self.lines
            .lock()
            .expect("lines lock")
            .iter()
            .filter(|line| line["recv"] == name)
            .map(|line| line["args"].as_array().cloned().unwrap_or_default())
            .collect()
    }

    /// Makes the server emit an event to every client (no arguments when `args` is empty).
    pub fn emit(&mut self, name: &str, args: Vec<Value>) {
        use std::io::Write;
        let line = serde_json::json!({ "emit": name, "args": args }).to_string();
        let stdin = self.child.stdin.as_mut().expect("piped stdin");
        writeln!(stdin, "{line}").expect("write to the node peer");
        stdin.flush().expect("flush");
    }

    /// Kills the server process outright (no goodbye to its clients).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn lines(&self) -> Vec<Value> {
        self.lines.lock().expect("lines lock").clone()
    }
}

impl Drop for NodePeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` every 20 ms until it holds or `timeout` passes.
pub async fn eventually(timeout: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + timeout;
    while !check() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits for a state the predicate accepts, returning it.
pub async fn wait_for_state(
    events: &mut broadcast::Receiver<EngineEvent>,
    timeout: Duration,
    mut accept: impl FnMut(&ConnectionState) -> bool,
) -> ConnectionState {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("timed out waiting for a connection state")
            .expect("engine events");
        if std::env::var_os("DEBUG_STATES").is_some() {
            eprintln!("event: {event:?}");
        }
        if let EngineEvent::State { state } = event {
            if accept(&state) {
                return state;
            }
        }
    }
}

/// Whether the real desktop services (Secret Service, X display) are expected: always in CI and
/// under `scripts/with-services.sh`. Elsewhere the tests that need them say so and return.
pub fn real_services_expected(test: &str) -> bool {
    let expected =
        std::env::var_os("CI").is_some() || std::env::var_os("SELLERDESK_SERVICES").is_some();
    if !expected {
        eprintln!("{test}: skipped outside CI; run it under scripts/with-services.sh");
    }
    expected
}
