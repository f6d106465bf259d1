//! `pong` latency (server's `ping` out to its `pong` in, measured by the official Node server)
//! while it floods chat messages at 5,000 events/s: Seller Desk beside socket.io-client doing
//! nothing but answering.

use crate::committed::{start_engine, wait_committed};
use crate::stats::{percentile, sorted};
use marketplace_sim::reference::{repo_root, NodePeer};
use serde_json::Value;
use std::process::Command;
use std::time::Duration;

const TOKEN: &str = "bench.token.value";

/// Pairs each `ping_sent` with the next `pong` received and returns the latencies in ms.
fn latencies(lines: &[Value]) -> Vec<f64> {
    let mut pending: Option<f64> = None;
    let mut out = Vec::new();
    for line in lines {
        if let Some(t) = line["ping_sent"].as_f64() {
            pending = Some(t);
        } else if line["recv"] == "pong" {
            if let (Some(sent), Some(t)) = (pending.take(), line["t"].as_f64()) {
                out.push(t - sent);
            }
        }
    }
    out
}

pub async fn run(rate: usize, seconds: usize) -> Result<(), String> {
    let count = rate * seconds;
    let args: Vec<String> = [
        "--token",
        TOKEN,
        "--no-events",
        "--ping-interval-ms",
        "50",
        "--flood",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([count.to_string(), "--flood-rate".into(), rate.to_string()])
    .collect();

    let peer = NodePeer::start(&args.iter().map(String::as_str).collect::<Vec<_>>())?;
    let output = Command::new("node")
        .arg(repo_root().join("tests/interop/flood-client.mjs"))
        .args([&peer.url, TOKEN, &count.to_string(), "--pong"])
        .output()
        .map_err(|e| format!("flood client: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "flood client failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let reference = sorted(latencies(&peer.lines()));
    drop(peer);

    let peer = NodePeer::start(&args.iter().map(String::as_str).collect::<Vec<_>>())?;
    let (engine, mut events, _store, _dir) = start_engine(&peer.url, TOKEN).await?;
    wait_committed(
        &mut events,
        count,
        Duration::from_secs(seconds as u64 * 4 + 30),
    )
    .await?;
    engine.shutdown().await;
    let ours = sorted(latencies(&peer.lines()));

    println!("pong: ping every 50 ms during a {rate} events/s flood for {seconds} s (official Node socket.io server)");
    for (name, l) in [
        ("reference  socket.io-client", &reference),
        ("sellerdesk engine        ", &ours),
    ] {
        println!(
            "  {name}  n {:>4}  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
            l.len(),
            percentile(l, 50.0),
            percentile(l, 99.0),
            percentile(l, 100.0)
        );
    }
    Ok(())
}
