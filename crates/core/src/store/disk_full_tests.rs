//! A full disk, simulated with `max_page_count` on the in-memory store's only connection:
//! writes fail with `DiskFull`, nothing already stored is lost, and writing works again once
//! there is room.

use super::{Store, StoreError};
use sellerdesk_protocol::{ServerEvent, Timestamp};
use serde_json::json;

/// Caps the database at its current size (`max_page_count` is per connection; the in-memory
/// store has exactly one). Returns the cap.
async fn cap_at_current_size(store: &Store) -> i64 {
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(store.pool())
        .await
        .expect("page count");
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "PRAGMA max_page_count = {pages}"
    )))
    .fetch_one(store.pool())
    .await
    .expect("cap")
}

async fn lift_cap(store: &Store) {
    sqlx::query("PRAGMA max_page_count = 1073741823")
        .execute(store.pool())
        .await
        .expect("lift cap");
}

fn big_messages(prefix: &str, count: usize) -> Vec<ServerEvent> {
    (0..count)
        .map(|i| {
            let data = json!({"id": format!("{prefix}-{i}"), "conversationId": "c1",
                "sender": {"id": "b1", "name": "Buyer", "avatar": ""},
                "content": format!("{prefix} {i} {}", "x".repeat(4_000)), "attachments": [],
                "timestamp": 1_764_150_000_000_i64 + i as i64, "status": "sent"});
            ServerEvent::decode("chat.message", &[data]).expect("message")
        })
        .collect()
}

/// Received messages with ids starting with `prefix` (the list also shows the outbox).
async fn cached(store: &Store, prefix: &str) -> usize {
    let messages = store.messages("c1").await.expect("messages");
    messages.iter().filter(|m| m.id.starts_with(prefix)).count()
}

fn assert_disk_full<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    match result {
        Err(error @ StoreError::DiskFull) => {
            assert_eq!(error.code(), "DISK_FULL");
            assert!(error.to_string().contains("the disk is full"), "{error}");
        }
        other => panic!("expected DiskFull, got {other:?}"),
    }
}

#[tokio::test]
async fn a_full_disk_is_reported_and_loses_no_outbox_item() {
    let store = Store::open_in_memory().await.expect("store");
    let mut kept = Vec::new();
    for i in 0..3 {
        kept.push(
            store
                .enqueue("c1", &format!("waiting {i}"), &[])
                .await
                .expect("enqueue"),
        );
    }
    store
        .apply(&big_messages("before", 2), Timestamp::now())
        .await
        .expect("apply before the cap");

    cap_at_current_size(&store).await;
    assert_disk_full(
        store
            .apply(&big_messages("full", 50), Timestamp::now())
            .await,
    );
    assert_disk_full(store.enqueue("c1", &"y".repeat(200_000), &[]).await);

    // Everything stored before is still there, and the failed batch left nothing half-written.
    assert_eq!(store.outbox_pending().await.expect("pending"), 3);
    for item in &kept {
        let found = store
            .outbox_item(&item.client_message_id)
            .await
            .expect("read")
            .expect("still stored");
        assert_eq!(found.content, item.content);
    }
    assert_eq!(cached(&store, "before").await, 2);
    assert_eq!(
        cached(&store, "full").await,
        0,
        "the failed batch left nothing"
    );

    lift_cap(&store).await;
    store
        .apply(&big_messages("after", 50), Timestamp::now())
        .await
        .expect("apply with room again");
    store
        .enqueue("c1", &"y".repeat(200_000), &[])
        .await
        .expect("enqueue with room again");
    assert_eq!(store.outbox_pending().await.expect("pending"), 4);
    assert_eq!(cached(&store, "after").await, 50);
}
