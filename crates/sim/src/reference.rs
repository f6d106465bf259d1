//! The other test peer: the official Node `socket.io` v4 server (tests/interop/server.mjs), for
//! interop tests and benchmarks. It prints what it receives as JSON lines; they are kept here.

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};

/// The repository root (the script and its `node_modules` live under it).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A running `node tests/interop/server.mjs --port 0 ARGS…`; killed when dropped.
pub struct NodePeer {
    child: Child,
    pub url: String,
    lines: Arc<Mutex<Vec<Value>>>,
}

impl NodePeer {
    pub fn start(args: &[&str]) -> Result<Self, String> {
        if !repo_root()
            .join("tests/interop/node_modules/socket.io")
            .exists()
        {
            return Err(
                "run `npm ci --prefix tests/interop` (scripts/install-deps.sh does) first".into(),
            );
        }
        let mut child = Command::new("node")
            .arg(repo_root().join("tests/interop/server.mjs"))
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start node: {e}"))?;
        let stdout = child.stdout.take().ok_or("node has no stdout")?;
        let mut reader = BufReader::new(stdout);
        let mut first = String::new();
        reader.read_line(&mut first).map_err(|e| e.to_string())?;
        let Some(url) = first
            .trim()
            .strip_prefix("listening on ")
            .map(str::to_owned)
        else {
            let _ = child.kill();
            return Err(format!(
                "unexpected first line from the node server: {first:?}"
            ));
        };
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if let Ok(value) = serde_json::from_str::<Value>(&line) {
                    sink.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(value);
                }
            }
        });
        Ok(Self { child, url, lines })
    }

    /// Every JSON line printed so far (connects, receipts, pings, disconnects).
    pub fn lines(&self) -> Vec<Value> {
        self.lines
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Arguments of every event the client sent with this name, in order.
    pub fn received(&self, name: &str) -> Vec<Vec<Value>> {
        self.lines()
            .iter()
            .filter(|line| line["recv"] == name)
            .map(|line| line["args"].as_array().cloned().unwrap_or_default())
            .collect()
    }

    /// Makes the server emit an event to every client (no arguments when `args` is empty).
    pub fn emit(&mut self, name: &str, args: Vec<Value>) -> std::io::Result<()> {
        self.control(&serde_json::json!({ "emit": name, "args": args }))
    }

    /// Sends one control line to the server's stdin (`{"disconnect": true}` drops every client).
    pub fn control(&mut self, line: &Value) -> std::io::Result<()> {
        let stdin = self
            .child
            .stdin
            .as_mut()
            .ok_or_else(|| std::io::Error::other("no stdin"))?;
        writeln!(stdin, "{line}")?;
        stdin.flush()
    }

    /// Kills the server outright (no goodbye to its clients).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for NodePeer {
    fn drop(&mut self) {
        self.kill();
    }
}
