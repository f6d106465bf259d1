//! The read-only commands over a filled cache, with no server anywhere: `order`, `listings`,
//! `notifications`, `search`, `cache stats` and `cache clear`, checked through their JSON.

mod common;

use common::{cli, json_of};
use sellerdesk_core::protocol::{ServerEvent, Timestamp};
use sellerdesk_core::store::Store;
use serde_json::{json, Value};
use std::path::Path;

fn event(name: &str, data: Value) -> ServerEvent {
    ServerEvent::decode(name, &[data]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const T0: i64 = 1_795_000_000_000;

async fn fill(dir: &Path) {
    let store = Store::open(dir).await.expect("store");
    let fixtures: Vec<Value> =
        serde_json::from_str(include_str!("../../protocol/fixtures/server-events.json"))
            .expect("fixtures");
    let mut events: Vec<ServerEvent> = fixtures
        .iter()
        .filter_map(|f| ServerEvent::decode(f["event"].as_str()?, &[f["data"].clone()]).ok())
        .collect();
    events.extend([
        event("chat.message", json!({"id": "m-cafe", "conversationId": "conv-9",
              "sender": {"id": "b9", "name": "Zoë O'Brien"}, "content": "Le café pour ord-5005, don't forget",
              "timestamp": T0, "status": "sent"})),
        event("order.status", json!({"orderId": "ord-5005", "status": "shipped", "previousStatus": "confirmed",
              "timestamp": T0 + 200, "updatedBy": {"id": "seller", "role": "user"}})),
        event("order.status", json!({"orderId": "ord-5005", "status": "confirmed", "previousStatus": "pending",
              "timestamp": T0 + 100, "updatedBy": {"id": "sys", "role": "system"}})),
        event("listing.stock", json!({"listingId": "lst_low", "quantity": 1, "status": "low_stock", "threshold": 3})),
        event("listing.stock", json!({"listingId": "lst_many", "quantity": 50, "status": "in_stock", "threshold": 3})),
        event("notification.user", json!({"id": "n-unread", "userId": "s", "type": "order", "title": "New order",
              "message": "ord-5005", "read": false, "timestamp": T0})),
        event("notification.user", json!({"id": "n-read", "userId": "s", "type": "message", "title": "Hi",
              "message": "x", "read": true, "timestamp": T0 + 1})),
    ]);
    store
        .apply(&events, Timestamp::from_millis(T0 + 300).expect("time"))
        .await
        .expect("apply");
    store
        .enqueue("conv-9", "unsent reply", &[])
        .await
        .expect("enqueue");
    store.close().await;
}

#[tokio::test]
async fn read_commands_work_from_the_cache_alone() {
    let dir = tempfile::tempdir().expect("dir");
    fill(dir.path()).await;
    let data = dir.path();

    let order = json_of(&cli(data, &["order", "ord-5005", "--json"]));
    assert_eq!(order["id"], "ord-5005");
    assert_eq!(order["status"], "shipped");
    let timeline = order["timeline"].as_array().expect("timeline");
    assert_eq!(timeline.len(), 2);
    assert_eq!(timeline[0]["status"]["status"], "confirmed", "time order");
    assert_eq!(timeline[0]["at"], "2026-11-18T11:06:40.100Z");
    let missing = cli(data, &["order", "nope", "--json"]);
    assert_eq!(missing.status.code(), Some(1));

    let listings = json_of(&cli(data, &["listings", "--json"]));
    let listings = listings.as_array().expect("array");
    assert_eq!(listings[0]["id"], "lst_low");
    assert_eq!(listings[0]["lowStock"], true);
    assert_eq!(listings[0]["stock"]["threshold"], 3);
    let page = json_of(&cli(
        data,
        &["listings", "--json", "--limit", "1", "--offset", "1"],
    ));
    assert_eq!(page.as_array().map(Vec::len), Some(1));

    let all = json_of(&cli(data, &["conversations", "--json"]));
    let head = json_of(&cli(data, &["conversations", "--json", "--limit", "1"]));
    assert_eq!(head.as_array().map(Vec::len), Some(1));
    assert_eq!(head[0], all[0], "a page is the head of the whole list");
    let past = json_of(&cli(
        data,
        &["conversations", "--json", "--limit", "5", "--offset", "50"],
    ));
    assert_eq!(past, serde_json::json!([]));

    let notifications = json_of(&cli(data, &["notifications", "--json"]));
    let first = &notifications.as_array().expect("array")[0];
    assert_eq!(first["read"], false);
    let after = json_of(&cli(data, &["notifications", "--json", "--mark-all-read"]));
    assert!(after
        .as_array()
        .expect("array")
        .iter()
        .all(|n| n["read"] == true));

    let results = json_of(&cli(data, &["search", "cafe", "--json"]));
    let hit = &results.as_array().expect("array")[0];
    assert_eq!(hit["kind"], "message");
    assert_eq!(hit["conversationId"], "conv-9");
    assert_eq!(hit["messageId"], "m-cafe");
    assert!(hit["snippet"]
        .as_array()
        .expect("segments")
        .iter()
        .any(|s| s["hit"] == true && s["text"] == "café"));
    let results = json_of(&cli(
        data,
        &["search", "buyer:\"Zoë O'Brien\" ord-5005", "--json"],
    ));
    assert_eq!(results.as_array().map(Vec::len), Some(1));
    for hostile in ["\"", "NEAR(", "AND OR NOT", "(((", "*", "🎉"] {
        json_of(&cli(data, &["search", hostile, "--json"]));
    }
    let orders = json_of(&cli(data, &["orders", "--json", "--status", "shipped"]));
    assert!(orders
        .as_array()
        .expect("array")
        .iter()
        .all(|o| o["status"] == "shipped"));

    let stats = json_of(&cli(data, &["cache", "stats", "--json"]));
    let kinds = stats["kinds"].as_array().expect("kinds");
    let messages = kinds
        .iter()
        .find(|k| k["kind"] == "messages")
        .expect("messages");
    assert!(messages["rows"].as_i64() > Some(0));
    assert!(stats["totalBytes"].as_i64() > Some(0));
    let human = cli(data, &["cache", "stats"]);
    assert!(String::from_utf8_lossy(&human.stdout).contains("messages"));

    let cleared = json_of(&cli(data, &["cache", "clear", "--json"]));
    assert_eq!(cleared["outboxCleared"], false);
    assert!(cleared["rowsRemoved"].as_i64() > Some(0));
    let stats = json_of(&cli(data, &["cache", "stats", "--json"]));
    for k in stats["kinds"].as_array().expect("kinds") {
        let expected = if k["kind"] == "outbox" { 1 } else { 0 };
        assert_eq!(k["rows"], expected, "{}", k["kind"]);
    }
    let results = json_of(&cli(data, &["search", "cafe", "--json"]));
    assert_eq!(results, json!([]));
}
