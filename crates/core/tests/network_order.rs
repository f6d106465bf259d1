//! Events in the order a real network delivers them: a status before its message, listing
//! fields changed out of order, and events for things the cache has never seen.

mod common;

use sellerdesk_core::protocol::*;
use sellerdesk_core::store::{PageRequest, Store};
use serde_json::{json, Value};

const T0: i64 = 1_795_000_000_000;

fn event(name: &str, data: Value) -> ServerEvent {
    ServerEvent::decode(name, &[data]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn message(id: &str, status: &str) -> ServerEvent {
    event(
        "chat.message",
        json!({"id": id, "conversationId": "c1", "sender": {"id": "seller", "name": "Me", "avatar": ""},
               "content": format!("text of {id}"), "attachments": [], "timestamp": T0, "status": status}),
    )
}

fn status(id: &str, status: &str) -> ServerEvent {
    event(
        "chat.status",
        json!({"messageId": id, "conversationId": "c1", "status": status, "timestamp": T0}),
    )
}

fn listing(kind: &str, current: Value, at: i64) -> ServerEvent {
    event(
        "listing.update",
        json!({"listingId": "lst-1", "type": kind, "changes": {"previous": null, "current": current},
               "timestamp": at}),
    )
}

async fn store() -> Store {
    Store::open_in_memory().await.expect("store")
}

async fn apply(store: &Store, events: &[ServerEvent]) {
    store.apply(events, Timestamp::now()).await.expect("apply");
}

async fn status_of(store: &Store, id: &str) -> String {
    let messages = store.messages("c1").await.expect("messages");
    let found = messages
        .iter()
        .find(|m| m.id == id)
        .expect("message cached");
    found.status.clone()
}

#[tokio::test]
async fn a_status_before_its_message_is_kept_and_applied() {
    let store = store().await;
    apply(&store, &[status("m1", "delivered")]).await;
    apply(&store, &[status("m1", "read")]).await;
    apply(&store, &[status("m1", "delivered")]).await;
    apply(&store, &[message("m1", "sent")]).await;
    assert_eq!(
        status_of(&store, "m1").await,
        "read",
        "the highest waiting status"
    );

    // In one batch, and never lowering what the message already says.
    apply(&store, &[status("m2", "delivered"), message("m2", "sent")]).await;
    assert_eq!(status_of(&store, "m2").await, "delivered");
    apply(&store, &[status("m3", "delivered")]).await;
    apply(&store, &[message("m3", "read")]).await;
    assert_eq!(status_of(&store, "m3").await, "read", "not lowered");

    // Applied once: a later lower status for the same message changes nothing.
    apply(&store, &[status("m1", "delivered")]).await;
    assert_eq!(status_of(&store, "m1").await, "read");
}

#[tokio::test]
async fn each_listing_field_keeps_its_own_change_time() {
    let store = store().await;
    apply(&store, &[listing("price", json!(120), T0 + 200)]).await;
    apply(&store, &[listing("status", json!("active"), T0 + 300)]).await;
    // Older than the last change of another field, but the newest of its own: kept.
    apply(
        &store,
        &[listing("availability", json!("in_stock"), T0 + 100)],
    )
    .await;
    // Older than the price already stored: dropped.
    apply(&store, &[listing("price", json!(90), T0 + 150)]).await;

    let listings = store
        .listings(PageRequest::new(10, 0))
        .await
        .expect("listings");
    let l = listings.first().expect("listing created");
    assert_eq!(l.price, Some(json!(120)));
    assert_eq!(l.availability, Some(json!("in_stock")));
    assert_eq!(l.status, Some(json!("active")));
    assert_eq!(l.price_changed_at.map(|t| t.millis()), Some(T0 + 200));
    assert_eq!(
        l.availability_changed_at.map(|t| t.millis()),
        Some(T0 + 100)
    );
    assert_eq!(l.status_changed_at.map(|t| t.millis()), Some(T0 + 300));
    assert_eq!(
        l.changed_at.map(|t| t.millis()),
        Some(T0 + 300),
        "the latest"
    );
}

#[tokio::test]
async fn events_for_unknown_things_create_them() {
    let store = store().await;
    apply(
        &store,
        &[
            event(
                "chat.conversation.update",
                json!({"conversationId": "c-new", "type": "new",
                  "participants": [{"id": "b1", "name": "Buyer", "avatar": ""}]}),
            ),
            event(
                "order.payment",
                json!({"orderId": "o-new", "status": "completed", "amount": 10,
                  "currency": "EUR", "paymentMethod": "card", "timestamp": T0}),
            ),
            event(
                "order.shipping",
                json!({"orderId": "o-ship", "status": "shipped", "carrier": "DHL"}),
            ),
            event(
                "listing.stock",
                json!({"listingId": "l-stock", "quantity": 2, "status": "low_stock",
                  "threshold": 3}),
            ),
            event(
                "listing.views",
                json!({"listingId": "l-views", "views": 5, "uniqueViews": 4,
                  "period": "24h"}),
            ),
        ],
    )
    .await;
    let conversations = store.conversations().await.expect("conversations");
    assert!(conversations.iter().any(|c| c.id == "c-new"));
    let orders = store.orders().await.expect("orders");
    for id in ["o-new", "o-ship"] {
        assert!(orders.iter().any(|o| o.id == id), "order {id} created");
        assert_eq!(
            store.order_detail(id).await.expect("detail").timeline.len(),
            1
        );
    }
    let listings = store
        .listings(PageRequest::new(10, 0))
        .await
        .expect("listings");
    for id in ["l-stock", "l-views"] {
        assert!(listings.iter().any(|l| l.id == id), "listing {id} created");
    }
}

/// A listing cached by the first schema keeps its values on upgrade, and its one known change
/// time bounds each field it has.
#[tokio::test]
async fn upgrading_backfills_each_listing_field_time() {
    let dir = tempfile::tempdir().expect("dir");
    let (data, pool) = common::cache_at_first_schema(dir.path()).await;
    sqlx::query(
        "INSERT INTO listings (id, price, changed_at, updated_at) VALUES ('lst-1', '120', ?, 1)",
    )
    .bind(T0 + 200)
    .execute(&pool)
    .await
    .expect("old listing");
    pool.close().await;

    let store = Store::open(&data).await.expect("upgrade");
    // Older than the known price change: dropped. The first availability, however old: kept.
    apply(&store, &[listing("price", json!(90), T0 + 100)]).await;
    apply(
        &store,
        &[listing("availability", json!("in_stock"), T0 + 50)],
    )
    .await;
    let listings = store
        .listings(PageRequest::new(10, 0))
        .await
        .expect("listings");
    let l = listings.first().expect("listing");
    assert_eq!(l.price, Some(json!(120)));
    assert_eq!(l.price_changed_at.map(|t| t.millis()), Some(T0 + 200));
    assert_eq!(l.availability, Some(json!("in_stock")));
    assert_eq!(l.status_changed_at, None);
}
