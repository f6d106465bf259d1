//! `sellerdesk-cli sync | head -1`: the reader closes the pipe after one line. The CLI ends
//! quietly (exit 0, no panic), and a message queued before is sent or still queued, never lost
//! half-way. Against the simulator with the token in the real keychain (scripts/with-services.sh).

mod common;

use common::real_services_expected;
use marketplace_sim::{SimConfig, Simulator};
use sellerdesk_core::models::OutboxState;
use sellerdesk_core::store::Store;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn login(data: &Path, server: &str, token: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sellerdesk-cli"))
        .arg("--data-dir")
        .arg(data)
        .args(["login", "--server", server, "--token-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cli starts");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(token.as_bytes()).expect("token");
    drop(input);
    let output = child.wait_with_output().expect("login ends");
    assert!(
        output.status.success(),
        "login: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_whose_reader_leaves_ends_quietly_and_loses_no_message() {
    if !real_services_expected("sync_whose_reader_leaves_ends_quietly_and_loses_no_message") {
        return;
    }
    let sim = Simulator::start(SimConfig {
        seed: Some(5),
        rate: 50.0,
        delivered_delay: Duration::from_millis(50),
        read_delay: Duration::from_millis(100),
        ..SimConfig::default()
    })
    .await
    .expect("simulator starts");
    let token = sim.issue_token("seller-1");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().to_owned();
    login(&data, &sim.url(), &token);

    // Queued before `sync` starts: `sync` sends it on connect, while the pipe closes.
    let store = Store::open(&data).await.expect("store");
    let queued = store
        .enqueue("conv-test", "queued before the pipe closed", &[])
        .await
        .expect("enqueue");
    store.close().await;

    let sync_data = data.clone();
    let (status, stderr) = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sellerdesk-cli"))
            .arg("--data-dir")
            .arg(&sync_data)
            // The deadline only bounds a broken build; the closed pipe ends it long before.
            .args(["sync", "--for", "60"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sync starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("one line");
        assert!(first.starts_with('{'), "{first:?}");
        // The reader went away, like `head -1` after its line.
        let output = child.wait_with_output().expect("sync ends");
        (
            output.status,
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .expect("the sync thread");

    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("failed printing"), "{stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");

    // The message went out once, or waits for the next connection: never stuck half-sent.
    let store = Store::open(&data).await.expect("store");
    let item = store
        .outbox_item(&queued.client_message_id)
        .await
        .expect("outbox")
        .expect("the message is still known");
    store.close().await;
    let sends = sim
        .chat_items()
        .iter()
        .filter(|i| i["clientMessageId"] == queued.client_message_id.as_str())
        .count();
    match item.state {
        OutboxState::Sent => assert_eq!(sends, 1, "sent once"),
        OutboxState::Queued => assert!(sends <= 1, "sent at most once"),
        other => panic!("left {other:?} after sync ended"),
    }
    sim.shutdown().await;
}
