//! `kill -9` of `sellerdesk-cli sync` while it sends 1,000 queued messages, again and again, then
//! a restart: nothing is lost, and the server ends up with each message exactly once.

mod common;

use common::real_services_expected;
use marketplace_sim::{SimConfig, Simulator};
use sellerdesk_core::models::OutboxState;
use sellerdesk_core::store::Store;
use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MESSAGES: usize = 1000;

/// The client message id of every chat item the server received, in order.
fn received_ids(sim: &Simulator) -> Vec<String> {
    sim.chat_items()
        .iter()
        .filter_map(|item| item["clientMessageId"].as_str().map(str::to_owned))
        .collect()
}

fn sync(data: &std::path::Path, seconds: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_sellerdesk-cli"))
        .arg("--data-dir")
        .arg(data)
        .args(["sync", "--for", seconds])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cli starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_while_sending_loses_and_duplicates_nothing() {
    if !real_services_expected("kill_9_while_sending_loses_and_duplicates_nothing") {
        return;
    }
    let sim = Simulator::start(SimConfig {
        seed: Some(9),
        rate: 0.0,
        initial_burst: false,
        ..SimConfig::default()
    })
    .await
    .expect("sim");
    let token = sim.issue_token("seller-1");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    let mut login = Command::new(env!("CARGO_BIN_EXE_sellerdesk-cli"))
        .arg("--data-dir")
        .arg(data)
        .args(["login", "--server", &sim.url(), "--token-stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("login");
    {
        use std::io::Write;
        let mut stdin = login.stdin.take().expect("stdin");
        stdin.write_all(token.as_bytes()).expect("token");
    }
    assert!(login.wait().expect("login ends").success());

    let store = Store::open(data).await.expect("store");
    let mut queued = Vec::with_capacity(MESSAGES);
    for i in 0..MESSAGES {
        let item = store
            .enqueue(&format!("conv-{}", i % 7), &format!("message {i}"), &[])
            .await
            .expect("enqueue");
        queued.push(item.client_message_id);
    }

    // Kill the sender mid-flight, three times, each as soon as it has made progress.
    let mut kills = 0;
    while kills < 3 && received_ids(&sim).len() < MESSAGES {
        let before = received_ids(&sim).len();
        let mut child = sync(data, "60");
        let deadline = Instant::now() + Duration::from_secs(20);
        while received_ids(&sim).len() == before {
            assert!(Instant::now() < deadline, "no progress before the kill");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        kills += 1;
    }

    // A last run finishes the job (the dead senders' claims expire after the lease).
    let mut child = sync(data, "60");
    let deadline = Instant::now() + Duration::from_secs(45);
    loop {
        let sent: i64 = count_sent(&store, &queued).await;
        if sent as usize == MESSAGES {
            break;
        }
        assert!(Instant::now() < deadline, "only {sent} of {MESSAGES} sent");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();

    let received = received_ids(&sim);
    let distinct: HashSet<&String> = received.iter().collect();
    assert_eq!(distinct.len(), MESSAGES, "every message reached the server");
    assert!(queued.iter().all(|id| distinct.contains(id)));
    // Resent after a kill are those sent but not yet confirmed when it struck; the server keys on
    // the client message id, so a resend gets the same message back and nothing is stored twice.
    let resent = received.len() - distinct.len();
    eprintln!(
        "kill -9 x{kills}: {} sends for {MESSAGES} messages ({resent} resent in flight)",
        received.len()
    );
    let mut total_rows = 0;
    for c in 0..7 {
        let thread = store
            .messages(&format!("conv-{c}"))
            .await
            .expect("messages");
        let ids: HashSet<&str> = thread.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids.len(), thread.len(), "no duplicate rows");
        total_rows += thread
            .iter()
            .filter(|m| m.content.starts_with("message "))
            .count();
    }
    assert_eq!(total_rows, MESSAGES, "each message cached exactly once");
    sim.shutdown().await;
}

async fn count_sent(store: &Store, ids: &[String]) -> i64 {
    let mut sent = 0;
    for id in ids {
        if let Ok(Some(item)) = store.outbox_item(id).await {
            if item.state == OutboxState::Sent {
                sent += 1;
            }
        }
    }
    sent
}
