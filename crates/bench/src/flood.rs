//! Events per second from the socket to the committed cache, under a flood from the official
//! Node socket.io server, beside the official socket.io-client merely receiving the same flood.

use crate::committed::{start_engine, wait_committed};
use marketplace_sim::reference::{repo_root, NodePeer};
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::socket::{Signal, Socket, Transport};
use std::process::Command;
use std::time::{Duration, Instant};

const TOKEN: &str = "bench.token.value";

pub async fn run(count: usize) -> Result<(), String> {
    let flood = [
        "--token",
        TOKEN,
        "--no-events",
        "--ping-interval-ms",
        "0",
        "--flood",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([count.to_string(), "--flood-rate".into(), "0".into()])
    .collect::<Vec<_>>();

    // The reference: socket.io-client only counting.
    let peer = NodePeer::start(&flood.iter().map(String::as_str).collect::<Vec<_>>())?;
    let output = Command::new("node")
        .arg(repo_root().join("tests/interop/flood-client.mjs"))
        .args([&peer.url, TOKEN, &count.to_string()])
        .output()
        .map_err(|e| format!("flood client: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "flood client failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let reference: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("flood client output: {e}"))?;
    let reference_rate = reference["perSecond"].as_f64().unwrap_or(f64::NAN);
    drop(peer);

    // Breakdown: rust_socketio alone (through our socket wrapper), receiving only.
    let peer = NodePeer::start(&flood.iter().map(String::as_str).collect::<Vec<_>>())?;
    let token = Token::new(TOKEN).ok_or("token")?;
    let (socket, mut signals) = Socket::connect(
        &peer.url,
        &token,
        Transport::Websocket,
        Duration::from_secs(5),
    )
    .await
    .map_err(|e| e.to_string())?;
    let mut got = 0usize;
    let mut first: Option<Instant> = None;
    while got < count {
        match tokio::time::timeout(Duration::from_secs(30), signals.recv()).await {
            Ok(Some(Signal::Event { name, .. })) if name == "chat.message" => {
                first.get_or_insert_with(Instant::now);
                got += 1;
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => return Err(format!("rust_socketio stalled at {got} of {count}")),
        }
    }
    let socket_rate = count as f64 / first.map_or(f64::NAN, |f| f.elapsed().as_secs_f64());
    socket.close().await;
    drop(peer);

    // Seller Desk: decode, apply to a file cache in WAL mode, commit, notify.
    let peer = NodePeer::start(&flood.iter().map(String::as_str).collect::<Vec<_>>())?;
    let (engine, mut events, store, _dir) = start_engine(&peer.url, TOKEN).await?;
    let first = wait_committed(&mut events, count, Duration::from_secs(120)).await?;
    let ms = first
        .map(|f| f.elapsed().as_secs_f64() * 1000.0)
        .unwrap_or(f64::NAN);
    let ours = count as f64 / ms * 1000.0;
    let cached = store
        .messages("conv-flood")
        .await
        .map_err(|e| e.to_string())?
        .len();
    engine.shutdown().await;
    let emitted_ms = peer
        .lines()
        .iter()
        .find_map(|l| l["flood_done"].as_u64().and(l["ms"].as_f64()))
        .unwrap_or(f64::NAN);

    println!("flood: {count} chat.message events from the official Node socket.io server (emitted in {emitted_ms:.0} ms)");
    println!("  reference  socket.io-client, receive only       {reference_rate:>10.0} events/s");
    println!("  breakdown  rust_socketio 0.6, receive only       {socket_rate:>10.0} events/s");
    println!("  sellerdesk decode + SQLite commit (WAL)          {ours:>10.0} events/s  ({cached} rows cached)");
    println!("  ratio      {:.2}x the reference", ours / reference_rate);
    Ok(())
}
