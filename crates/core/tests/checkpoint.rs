//! The WAL is checkpointed in the background after commits (store/checkpoint.rs), and closing
//! the store stops that task promptly.

use sellerdesk_core::protocol::*;
use sellerdesk_core::store::{Store, DATABASE_FILE};
use serde_json::json;
use std::time::{Duration, Instant};

fn messages(count: usize) -> Vec<ServerEvent> {
    (0..count)
        .map(|i| {
            ServerEvent::decode(
                "chat.message",
                &[
                    json!({"id": format!("m{i}"), "conversationId": format!("c{}", i % 50),
                  "sender": {"id": "b1", "name": "Buyer", "avatar": ""},
                  "content": format!("message number {i} about the parcel"), "attachments": [],
                  "timestamp": 1_795_000_000_000_i64 + i as i64, "status": "sent"}),
                ],
            )
            .expect("decodes")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commits_reach_the_database_file_without_a_blocking_checkpoint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).await.expect("open");
    let file = dir.path().join(DATABASE_FILE);
    let size = || std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let before = size();
    // Far below the backstop: SQLite alone would leave all of this in the WAL.
    store
        .apply(&messages(2_000), Timestamp::now())
        .await
        .expect("apply");
    let deadline = Instant::now() + Duration::from_secs(5);
    while size() <= before {
        assert!(Instant::now() < deadline, "no checkpoint within 5 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let started = Instant::now();
    store.close().await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // Everything is there when opened again.
    let store = Store::open(dir.path()).await.expect("reopen");
    let stats = store.cache_stats().await.expect("stats");
    let messages = stats
        .kinds
        .iter()
        .find(|k| k.kind == "messages")
        .map(|k| k.rows);
    assert_eq!(messages, Some(2_000));
    store.close().await;
}
