//! What the search triggers cost at ingest. Prints figures, asserts none; run with
//! `cargo test --release -p sellerdesk-core --test search_ingest -- --ignored --nocapture`.

use sellerdesk_core::protocol::*;
use sellerdesk_core::store::{Store, DATABASE_FILE};
use serde_json::json;
use std::time::Instant;

const MESSAGES: usize = 100_000;
const BATCH: usize = 500;

fn batches() -> Vec<Vec<ServerEvent>> {
    let words = [
        "parcel",
        "café",
        "refund",
        "don't",
        "https://shop.example.com/item?id=42",
        "ord-1001",
        "thanks",
        "when",
    ];
    (0..MESSAGES)
        .map(|i| {
            let text = (0..12).map(|w| words[(i * 7 + w * 3) % words.len()]).collect::<Vec<_>>().join(" ");
            ServerEvent::decode(
                "chat.message",
                &[json!({"id": format!("m{i}"), "conversationId": format!("c{}", i % 20),
                         "sender": {"id": format!("b{}", i % 20), "name": format!("Buyer Müller {}", i % 20)},
                         "content": text, "timestamp": 1_795_000_000_000_i64 + i as i64, "status": "sent"})],
            )
            .expect("event")
        })
        .collect::<Vec<_>>()
        .chunks(BATCH)
        .map(<[ServerEvent]>::to_vec)
        .collect()
}

async fn ingest(with_triggers: bool, batches: &[Vec<ServerEvent>]) -> f64 {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(dir.path()).await.expect("store");
    if !with_triggers {
        let pool = sqlx::SqlitePool::connect_with(
            sqlx::sqlite::SqliteConnectOptions::new().filename(dir.path().join(DATABASE_FILE)),
        )
        .await
        .expect("pool");
        sqlx::query("DROP TRIGGER messages_fts_insert")
            .execute(&pool)
            .await
            .expect("drop trigger");
        pool.close().await;
    }
    let start = Instant::now();
    for batch in batches {
        store.apply(batch, Timestamp::now()).await.expect("apply");
    }
    let rate = MESSAGES as f64 / start.elapsed().as_secs_f64();
    store.close().await;
    rate
}

#[tokio::test]
#[ignore = "a measurement, not a check; run in release"]
async fn ingest_rate_with_and_without_search_triggers() {
    let batches = batches();
    // Alternate to even out a noisy, shared machine; report the best of each.
    let mut with = 0.0_f64;
    let mut without = 0.0_f64;
    for _ in 0..2 {
        without = without.max(ingest(false, &batches).await);
        with = with.max(ingest(true, &batches).await);
    }
    println!(
        "ingest, {MESSAGES} messages in batches of {BATCH}: without FTS triggers {without:.0} msg/s, \
         with {with:.0} msg/s ({:+.1}%)",
        (with / without - 1.0) * 100.0
    );
}
