//! The paged views: message history by cursor, orders by status, an order's timeline, listings
//! low-stock first, notifications unread first with expiry, cache statistics and clearing.

mod common;

use sellerdesk_core::protocol::*;
use sellerdesk_core::store::{MessageCursor, PageRequest, Store, ThreadAnchor};
use serde_json::{json, Value};

fn event(name: &str, data: Value) -> ServerEvent {
    ServerEvent::decode(name, &[data]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn message(id: &str, conversation: &str, at_ms: i64) -> ServerEvent {
    event(
        "chat.message",
        json!({"id": id, "conversationId": conversation,
               "sender": {"id": "buyer", "name": "Buyer", "avatar": ""},
               "content": format!("text of {id}"), "attachments": [], "timestamp": at_ms, "status": "sent"}),
    )
}

const T0: i64 = 1_795_000_000_000;

fn at(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms).expect("time")
}

async fn store() -> Store {
    Store::open_in_memory().await.expect("store")
}

fn ids(messages: &[sellerdesk_core::models::MessageView]) -> Vec<&str> {
    messages.iter().map(|m| m.id.as_str()).collect()
}

#[tokio::test]
async fn thread_pages_go_back_forward_and_around_a_message() {
    let store = store().await;
    let mut events: Vec<ServerEvent> = (0..10)
        .map(|i| message(&format!("m{i}"), "c1", T0 + i))
        .collect();
    events.push(message("m5b", "c1", T0 + 5));
    events.push(message("other", "c2", T0 + 100));
    store.apply(&events, at(T0)).await.expect("apply");
    store.enqueue("c1", "unsent", &[]).await.expect("enqueue");

    let newest = store
        .thread_page("c1", &ThreadAnchor::Newest, 3)
        .await
        .expect("newest");
    assert_eq!(&ids(&newest.messages)[..3], ["m7", "m8", "m9"]);
    assert_eq!(
        newest.messages[3].status, "queued",
        "unsent rides at the end"
    );
    assert!(newest.has_older && !newest.has_newer);

    // Around m5b: half a page before it, the rest from it on; m5 and m5b share a millisecond.
    let around = store
        .thread_page(
            "c1",
            &ThreadAnchor::Around {
                message_id: "m5b".into(),
            },
            4,
        )
        .await
        .expect("around");
    assert_eq!(ids(&around.messages), ["m4", "m5", "m5b", "m6"]);
    assert!(around.has_older && around.has_newer);

    let cursor = MessageCursor {
        timestamp: around.messages[3].timestamp,
        id: "m6".into(),
    };
    let after = store
        .thread_page("c1", &ThreadAnchor::After { cursor }, 3)
        .await
        .expect("after");
    assert_eq!(
        ids(&after.messages),
        ["m7", "m8", "m9", ids(&newest.messages)[3]]
    );
    assert!(
        !after.has_newer,
        "reached the newest, so the unsent one is there too"
    );

    let first = MessageCursor {
        timestamp: around.messages[0].timestamp,
        id: "m4".into(),
    };
    let before = store
        .thread_page("c1", &ThreadAnchor::Before { cursor: first }, 10)
        .await
        .expect("before");
    assert_eq!(ids(&before.messages), ["m0", "m1", "m2", "m3"]);
    assert!(!before.has_older && before.has_newer);

    // A message that is not in the conversation: the newest page instead.
    let missing = store
        .thread_page(
            "c1",
            &ThreadAnchor::Around {
                message_id: "other".into(),
            },
            3,
        )
        .await
        .expect("missing");
    assert_eq!(missing, newest);
}

#[tokio::test]
async fn the_inbox_shows_each_buyers_last_known_presence() {
    let store = store().await;
    let events = vec![
        message("m1", "c1", T0),
        message("m2", "c2", T0 + 1),
        event(
            "presence.update",
            json!({"userId": "buyer", "status": "away", "lastSeen": T0 + 5}),
        ),
        event(
            "presence.update",
            json!({"userId": "someone-else", "status": "online"}),
        ),
    ];
    store.apply(&events, at(T0)).await.expect("apply");
    let page = store
        .conversations_page(PageRequest::new(10, 0))
        .await
        .expect("page");
    assert_eq!(page.len(), 2);
    for conversation in &page {
        let presence = conversation.presence.as_ref().expect("presence");
        assert_eq!(presence.status, "away");
        assert_eq!(presence.last_seen, Some(at(T0 + 5)));
    }
    // A buyer the server never told us about has none.
    let stranger = event(
        "chat.message",
        json!({"id": "m3", "conversationId": "c3",
               "sender": {"id": "new-buyer", "name": "New", "avatar": ""},
               "content": "hello", "attachments": [], "timestamp": T0 + 2, "status": "sent"}),
    );
    store.apply(&[stranger], at(T0)).await.expect("apply");
    let all = store.conversations().await.expect("all");
    let c3 = all.iter().find(|c| c.id == "c3").expect("c3");
    assert_eq!(c3.presence, None);
}

#[tokio::test]
async fn message_pages_walk_back_from_a_cursor() {
    let store = store().await;
    // 7 messages, two of them in the same millisecond (the id breaks the tie).
    let mut events: Vec<ServerEvent> = (0..6)
        .map(|i| message(&format!("m{i}"), "c1", T0 + i))
        .collect();
    events.push(message("m5b", "c1", T0 + 5));
    events.push(message("other", "c2", T0 + 100));
    store.apply(&events, at(T0)).await.expect("apply");
    store
        .enqueue("c1", "not sent yet", &[])
        .await
        .expect("enqueue");

    let newest = store.messages_page("c1", None, 3).await.expect("page 1");
    let ids: Vec<&str> = newest.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(&ids[..3], ["m4", "m5", "m5b"], "newest page, oldest first");
    assert_eq!(
        newest.len(),
        4,
        "the unsent message rides on the newest page"
    );
    assert_eq!(newest[3].status, "queued");

    let cursor = MessageCursor::before(&newest).expect("cursor");
    assert_eq!(cursor.id, "m4");
    let older = store
        .messages_page("c1", Some(&cursor), 3)
        .await
        .expect("page 2");
    let ids: Vec<&str> = older.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["m1", "m2", "m3"]);
    let cursor = MessageCursor::before(&older).expect("cursor");
    let oldest = store
        .messages_page("c1", Some(&cursor), 3)
        .await
        .expect("page 3");
    assert_eq!(
        oldest.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        ["m0"]
    );
    let cursor = MessageCursor::before(&oldest).expect("cursor");
    assert!(store
        .messages_page("c1", Some(&cursor), 3)
        .await
        .expect("end")
        .is_empty());
}

fn status(order: &str, status: &str, previous: &str, at_ms: i64) -> ServerEvent {
    event(
        "order.status",
        json!({"orderId": order, "status": status, "previousStatus": previous, "timestamp": at_ms,
               "updatedBy": {"id": "seller-1", "role": "user"}, "metadata": {"reason": format!("to {status}")}}),
    )
}

#[tokio::test]
async fn an_order_timeline_is_in_time_order_whatever_the_arrival() {
    let store = store().await;
    store
        .apply(
            &[
                status("o1", "shipped", "confirmed", T0 + 300),
                event("order.payment", json!({"orderId": "o1", "status": "completed", "amount": 24.5,
                      "currency": "EUR", "paymentMethod": "card", "timestamp": T0 + 150, "transactionId": "tx-9"})),
            ],
            at(T0 + 400),
        )
        .await
        .expect("first batch");
    // Late arrivals, older than what is stored.
    store
        .apply(
            &[
                status("o1", "confirmed", "pending", T0 + 100),
                status("o1", "confirmed", "pending", T0 + 100),
                event("order.shipping", json!({"orderId": "o1", "status": "shipped", "carrier": "DHL",
                      "trackingNumber": "JD0001", "location": {"city": "Leipzig", "country": "DE", "status": "in transit"}})),
            ],
            at(T0 + 500),
        )
        .await
        .expect("second batch");
    let detail = store.order_detail("o1").await.expect("detail");
    assert_eq!(
        detail.order.status.as_deref(),
        Some("shipped"),
        "not overwritten"
    );
    let kinds: Vec<&str> = detail.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["status", "payment", "status", "shipping"]);
    let first = detail.timeline[0].status.as_ref().expect("typed status");
    assert_eq!(first.status.as_str(), "confirmed");
    assert_eq!(first.updated_by.id, "seller-1");
    assert_eq!(
        first.metadata.as_ref().and_then(|m| m.reason.as_deref()),
        Some("to confirmed")
    );
    assert_eq!(
        detail.timeline[1].payment.as_ref().map(|p| p.amount),
        Some(24.5)
    );
    let shipping = detail.timeline[3]
        .shipping
        .as_ref()
        .expect("typed shipping");
    assert_eq!(shipping.carrier.as_deref(), Some("DHL"));
    assert_eq!(
        shipping.location.as_ref().map(|l| l.city.as_str()),
        Some("Leipzig")
    );

    let json = serde_json::to_value(&detail).expect("json");
    assert_eq!(json["id"], "o1");
    assert_eq!(json["timeline"][0]["at"], "2026-11-18T11:06:40.100Z");
    assert_eq!(json["timeline"][0]["status"]["updatedBy"]["role"], "user");

    let missing = store.order_detail("nope").await.expect_err("missing");
    assert_eq!(missing.code(), "NOT_FOUND");
}

#[tokio::test]
async fn orders_by_status_in_pages() {
    let store = store().await;
    let events: Vec<ServerEvent> = (0..5)
        .map(|i| {
            status(
                &format!("o{i}"),
                if i % 2 == 0 { "shipped" } else { "pending" },
                "pending",
                T0 + i,
            )
        })
        .collect();
    store.apply(&events, at(T0)).await.expect("apply");
    let shipped = store
        .orders_page(Some("shipped"), PageRequest::new(2, 0))
        .await
        .expect("page");
    assert_eq!(shipped.len(), 2);
    assert!(shipped
        .iter()
        .all(|o| o.status.as_deref() == Some("shipped")));
    let rest = store
        .orders_page(Some("shipped"), PageRequest::new(2, 2))
        .await
        .expect("page 2");
    assert_eq!(rest.len(), 1);
    assert_eq!(
        store
            .orders_page(None, PageRequest::default())
            .await
            .expect("all")
            .len(),
        5
    );
}

fn stock(listing: &str, quantity: i64, status: &str, threshold: i64) -> ServerEvent {
    event(
        "listing.stock",
        json!({"listingId": listing, "quantity": quantity, "status": status, "threshold": threshold}),
    )
}

#[tokio::test]
async fn listings_low_stock_first() {
    let store = store().await;
    store
        .apply(
            &[
                stock("plenty", 90, "in_stock", 5),
                stock("low-by-threshold", 4, "in_stock", 5),
                stock("flagged-low", 7, "low_stock", 5),
                stock("gone", 0, "out_of_stock", 5),
                event("listing.update", json!({"listingId": "no-stock-info", "type": "price",
                      "changes": {"previous": 10, "current": {"amount": 12.5, "currency": "EUR"}}, "timestamp": T0})),
                event("listing.views", json!({"listingId": "plenty", "views": 120, "uniqueViews": 80, "period": "24h"})),
                event("listing.views", json!({"listingId": "plenty", "views": 700, "uniqueViews": 300, "period": "7d"})),
            ],
            at(T0),
        )
        .await
        .expect("apply");
    let listings = store
        .listings(PageRequest::default())
        .await
        .expect("listings");
    let ids: Vec<&str> = listings.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "gone",
            "low-by-threshold",
            "flagged-low",
            "plenty",
            "no-stock-info"
        ]
    );
    let low: Vec<bool> = listings.iter().map(|l| l.low_stock).collect();
    assert_eq!(low, [true, true, true, false, false]);
    let plenty = &listings[3];
    assert_eq!(plenty.views.get("7d").map(|v| v.unique_views), Some(300));
    assert_eq!(plenty.stock.as_ref().and_then(|s| s.threshold), Some(5));
    assert_eq!(
        listings[4].price,
        Some(json!({"amount": 12.5, "currency": "EUR"}))
    );
    let page = store.listings(PageRequest::new(2, 3)).await.expect("page");
    assert_eq!(
        page.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        ["plenty", "no-stock-info"]
    );
}

#[tokio::test]
async fn notifications_unread_first_and_expired_hidden() {
    let store = store().await;
    let now = Timestamp::now().millis();
    store
        .apply(
            &[
                event("notification.system", json!({"id": "expired", "type": "maintenance", "priority": "high",
                      "title": "Old", "message": "gone", "expiry": now - 1000})),
                event("notification.system", json!({"id": "current", "type": "alert", "priority": "high",
                      "title": "Now", "message": "soon", "expiry": now + 3_600_000,
                      "action": {"type": "link", "label": "Open", "url": "https://example.com"}})),
                event("notification.user", json!({"id": "read-one", "userId": "s", "type": "order", "title": "A",
                      "message": "a", "read": true, "timestamp": now - 10, "metadata": {"orderId": "o1"}})),
                event("notification.user", json!({"id": "unread-old", "userId": "s", "type": "message", "title": "B",
                      "message": "b", "read": false, "timestamp": now - 5_000})),
            ],
            at(now - 20_000),
        )
        .await
        .expect("apply");
    let list = store
        .notifications(PageRequest::default())
        .await
        .expect("list");
    let ids: Vec<&str> = list.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["unread-old", "current", "read-one"]);
    let current = &list[1];
    assert_eq!(current.priority.as_deref(), Some("high"));
    assert_eq!(
        current.action.as_ref().map(|a| a.label.as_str()),
        Some("Open")
    );
    assert_eq!(
        list[2]
            .metadata
            .as_ref()
            .and_then(|m| m.order_id.as_deref()),
        Some("o1")
    );
    assert_eq!(store.unread_notifications().await.expect("count"), 2);

    assert!(store
        .mark_notification_read("unread-old")
        .await
        .expect("mark"));
    assert!(!store
        .mark_notification_read("unknown")
        .await
        .expect("mark unknown"));
    let ids: Vec<String> = store
        .notifications(PageRequest::default())
        .await
        .expect("list")
        .into_iter()
        .map(|n| n.id)
        .collect();
    assert_eq!(
        ids,
        ["current", "read-one", "unread-old"],
        "read ones newest first"
    );
    // The expired notice was unread too (hidden, not deleted).
    assert_eq!(store.mark_all_notifications_read().await.expect("all"), 2);
    assert_eq!(store.unread_notifications().await.expect("count"), 0);
}

#[tokio::test]
async fn stats_count_each_kind_and_clear_keeps_the_outbox() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open(dir.path()).await.expect("store");
    let events: Vec<ServerEvent> = (0..200)
        .map(|i| message(&format!("m{i}"), "c1", T0 + i))
        .collect();
    store.apply(&events, at(T0)).await.expect("apply");
    store
        .apply(
            &[
                status("o1", "shipped", "confirmed", T0),
                stock("l1", 3, "low_stock", 5),
            ],
            at(T0),
        )
        .await
        .expect("apply");
    store
        .enqueue("c1", "pending text", &[])
        .await
        .expect("enqueue");

    let stats = store.cache_stats().await.expect("stats");
    let kind = |name: &str| {
        stats
            .kinds
            .iter()
            .find(|k| k.kind == name)
            .unwrap_or_else(|| panic!("{name} in stats"))
            .clone()
    };
    assert_eq!(kind("messages").rows, 200);
    assert_eq!(kind("conversations").rows, 1);
    assert_eq!(kind("orders").rows, 1);
    assert_eq!(kind("orderEvents").rows, 1);
    assert_eq!(kind("listings").rows, 1);
    assert_eq!(kind("outbox").rows, 1);
    assert_eq!(kind("searchIndex").rows, 202);
    assert!(kind("messages").bytes > 0 && kind("searchIndex").bytes > 0);
    assert!(stats.total_bytes <= stats.file_bytes, "{stats:?}");
    println!("stats: bytes from {}", stats.bytes_source);

    let report = store.clear_cache(false).await.expect("clear");
    assert_eq!(report.rows_removed, 200 + 1 + 1 + 1 + 1);
    assert!(!report.outbox_cleared);
    let after = store.cache_stats().await.expect("stats");
    for k in &after.kinds {
        let expected = if k.kind == "outbox" { 1 } else { 0 };
        assert_eq!(k.rows, expected, "{}", k.kind);
    }
    assert!(store
        .search("text", PageRequest::default())
        .await
        .expect("search")
        .is_empty());
    // The seller's unsent message is still there to send.
    assert_eq!(store.messages("c1").await.expect("messages").len(), 1);

    let report = store.clear_cache(true).await.expect("clear all");
    assert!(report.outbox_cleared);
    assert_eq!(report.rows_removed, 1);
    assert!(report.file_bytes_after <= report.file_bytes_before);
}

/// A cache written by the first schema gains search on upgrade: existing rows are indexed.
#[tokio::test]
async fn upgrading_from_the_first_schema_backfills_the_index() {
    let dir = tempfile::tempdir().expect("dir");
    let (data, pool) = common::cache_at_first_schema(dir.path()).await;
    sqlx::query(
        "INSERT INTO messages (id, conversation_id, sender_id, sender_name, content, sent_at, status, status_rank, received_at) \
         VALUES ('old-1', 'c1', 'b', 'Zoë', 'Bonjour, le café est prêt', 1, 'read', 3, 1)",
    )
    .execute(&pool)
    .await
    .expect("old message");
    sqlx::query("INSERT INTO orders (id, updated_at) VALUES ('ord-77', 1)")
        .execute(&pool)
        .await
        .expect("old order");
    pool.close().await;

    let store = Store::open(&data).await.expect("upgrade");
    let found = store
        .search("cafe", PageRequest::default())
        .await
        .expect("search");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].message_id.as_deref(), Some("old-1"));
    let found = store
        .search("ord-77", PageRequest::default())
        .await
        .expect("search");
    assert_eq!(found[0].order_id.as_deref(), Some("ord-77"));
    // The upgraded table still takes upserts on the message id.
    store
        .apply(
            &[message("old-1", "c1", 1), message("new-1", "c1", 2)],
            at(T0),
        )
        .await
        .expect("apply");
    assert_eq!(store.messages("c1").await.expect("messages").len(), 2);
    assert_eq!(
        store.messages("c1").await.expect("messages")[0].status,
        "read"
    );
}
