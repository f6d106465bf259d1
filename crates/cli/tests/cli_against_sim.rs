//! `sellerdesk-cli` end to end against the simulator over real loopback sockets, with the token in
//! the real OS keychain (gnome-keyring on a private D-Bus session, see scripts/with-services.sh).

mod common;

use common::json_of;
use common::real_services_expected;
use marketplace_sim::{SimConfig, Simulator};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn cli(data_dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sellerdesk-cli"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cli starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("cli finishes")
}

async fn simulator() -> (Simulator, String) {
    let sim = Simulator::start(SimConfig {
        seed: Some(11),
        rate: 20.0,
        delivered_delay: Duration::from_millis(50),
        read_delay: Duration::from_millis(100),
        ..SimConfig::default()
    })
    .await
    .expect("simulator starts");
    let token = sim.issue_token("seller-1");
    (sim, token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sync_then_read_offline() {
    if !real_services_expected("login_sync_then_read_offline") {
        return;
    }
    let (sim, token) = simulator().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();

    let login = cli(
        data,
        &["login", "--server", &sim.url(), "--token-stdin"],
        Some(&token),
    );
    assert!(
        login.status.success(),
        "login: {}",
        String::from_utf8_lossy(&login.stderr)
    );
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&login.stdout),
        String::from_utf8_lossy(&login.stderr)
    );
    assert!(!printed.contains(&token), "login never prints the token");

    let sync = cli(data, &["sync", "--for", "3"], None);
    assert!(
        sync.status.success(),
        "sync: {}",
        String::from_utf8_lossy(&sync.stderr)
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&sync.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("sync line {l:?}: {e}")))
        .collect();
    assert!(
        lines.len() > 20,
        "a burst of events is printed, got {}",
        lines.len()
    );
    for line in &lines {
        assert!(
            line["event"].is_string() && line.get("data").is_some(),
            "{line}"
        );
    }
    let names: Vec<&str> = lines.iter().filter_map(|l| l["event"].as_str()).collect();
    for category in [
        "chat.message",
        "order.status",
        "order.payment",
        "listing.stock",
        "notification.user",
    ] {
        assert!(names.contains(&category), "sync printed no {category}");
    }
    assert!(
        !String::from_utf8_lossy(&sync.stderr).contains(&token),
        "sync never logs the token"
    );

    // The server goes away: everything received stays readable.
    sim.shutdown().await;
    let conversations = json_of(&cli(data, &["conversations", "--json"], None));
    let conversations = conversations.as_array().expect("array");
    assert!(!conversations.is_empty());
    let first = &conversations[0];
    assert!(
        first["participants"]
            .as_array()
            .is_some_and(|p| !p.is_empty()),
        "{first}"
    );
    assert!(first["unreadCount"].is_number());
    let timestamps: Vec<&str> = conversations
        .iter()
        .filter_map(|c| c["lastMessage"]["timestamp"].as_str())
        .collect();
    let mut sorted = timestamps.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(timestamps, sorted, "most recent first");

    // A conversation whose messages sync printed (a `lastMessage` alone may come from a
    // conversation update without the message itself).
    let id = lines
        .iter()
        .find(|l| l["event"] == "chat.message")
        .and_then(|l| l["data"]["conversationId"].as_str())
        .expect("sync printed a chat.message");
    assert!(
        conversations.iter().any(|c| c["id"] == id),
        "its conversation is listed"
    );
    let messages = json_of(&cli(data, &["messages", id, "--json"], None));
    let messages = messages.as_array().expect("array");
    assert!(!messages.is_empty());
    for m in messages {
        for field in [
            "id",
            "conversationId",
            "sender",
            "content",
            "attachments",
            "timestamp",
            "status",
        ] {
            assert!(m.get(field).is_some(), "message lacks {field}: {m}");
        }
        assert!(
            m["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')),
            "ISO-8601 UTC: {m}"
        );
    }

    let orders = json_of(&cli(data, &["orders", "--json"], None));
    let orders = orders.as_array().expect("array");
    assert!(!orders.is_empty());
    assert!(
        orders
            .iter()
            .any(|o| o["status"].is_string() && o["payment"].is_object()),
        "{orders:?}"
    );

    // Sending while the server is gone: queued, not lost.
    let queued = json_of(&cli(data, &["send", id, "Back online soon"], None));
    assert_eq!(queued["state"], "queued");
    let thread = json_of(&cli(data, &["messages", id, "--json"], None));
    let last = thread.as_array().and_then(|t| t.last()).expect("a message");
    assert_eq!(
        (last["content"].as_str(), last["status"].as_str()),
        (Some("Back online soon"), Some("queued"))
    );

    let logout = cli(data, &["logout"], None);
    assert!(
        logout.status.success(),
        "logout: {}",
        String::from_utf8_lossy(&logout.stderr)
    );
    assert!(
        !data.join("cache.sqlite3").exists(),
        "logout wipes the cache"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_exits_3_and_stores_nothing() {
    if !real_services_expected("a_rejected_token_exits_3_and_stores_nothing") {
        return;
    }
    let (sim, _token) = simulator().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let login = cli(
        dir.path(),
        &["login", "--server", &sim.url(), "--token-stdin"],
        Some("forged.token.value"),
    );
    assert_eq!(
        login.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&login.stderr)
    );
    assert!(String::from_utf8_lossy(&login.stderr).contains("AUTH_FAILED"));
    assert!(!dir.path().join("account.json").exists(), "nothing stored");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_is_echoed_and_two_processes_never_send_twice() {
    if !real_services_expected("send_is_echoed_and_two_processes_never_send_twice") {
        return;
    }
    let (sim, token) = simulator().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().to_owned();
    let login = cli(
        &data,
        &["login", "--server", &sim.url(), "--token-stdin"],
        Some(&token),
    );
    assert!(
        login.status.success(),
        "login: {}",
        String::from_utf8_lossy(&login.stderr)
    );

    let sent = json_of(&cli(
        &data,
        &["send", "conv-test", "Hello from the terminal"],
        None,
    ));
    assert_eq!(sent["state"], "sent", "{sent}");
    let id = sent["clientMessageId"].as_str().expect("id").to_owned();

    // Four processes on one data folder, each sending its own message while the others flush.
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let data = data.clone();
            std::thread::spawn(move || {
                cli(
                    &data,
                    &["send", "conv-test", &format!("parallel {i}")],
                    None,
                )
            })
        })
        .collect();
    for handle in handles {
        let output = handle.join().expect("thread");
        assert_eq!(json_of(&output)["state"], "sent");
    }
    let sends: Vec<String> = sim
        .chat_items()
        .iter()
        .filter_map(|item| item["clientMessageId"].as_str().map(str::to_owned))
        .collect();
    let mut unique = sends.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        sends.len(),
        unique.len(),
        "a message was sent twice: {sends:?}"
    );
    assert_eq!(unique.len(), 5);
    assert!(unique.contains(&id));
    sim.shutdown().await;
}
