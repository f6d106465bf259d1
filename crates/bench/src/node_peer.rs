//! The official Node socket.io server (tests/interop/server.mjs) as the benchmarks' peer.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub struct NodePeer {
    child: Child,
    pub url: String,
    lines: Arc<Mutex<Vec<Value>>>,
}

impl NodePeer {
    pub fn start(args: &[String]) -> Result<Self, String> {
        let mut child = Command::new("node")
            .arg(repo_root().join("tests/interop/server.mjs"))
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start node: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut reader = BufReader::new(stdout);
        let mut first = String::new();
        reader.read_line(&mut first).map_err(|e| e.to_string())?;
        let url = first
            .trim()
            .strip_prefix("listening on ")
            .ok_or_else(|| {
                format!("unexpected first line {first:?} (npm ci --prefix tests/interop?)")
            })?
            .to_owned();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if let Ok(value) = serde_json::from_str::<Value>(&line) {
                    if let Ok(mut lines) = sink.lock() {
                        lines.push(value);
                    }
                }
            }
        });
        Ok(Self { child, url, lines })
    }

    pub fn lines(&self) -> Vec<Value> {
        self.lines.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for NodePeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
