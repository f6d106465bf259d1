//! The cache against the protocol rules: idempotent, statuses never move backwards, order events
//! out of order keep the newest state, unknown ids create their rows, the outbox claims atomically.

use sellerdesk_core::models::OutboxState;
use sellerdesk_core::protocol::*;
use sellerdesk_core::store::{Store, META_SELF_ID};
use serde_json::{json, Value};

fn event(name: &str, data: Value) -> ServerEvent {
    ServerEvent::decode(name, &[data]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn message(id: &str, conversation: &str, sender: &str, at: &str, status: &str) -> ServerEvent {
    event(
        "chat.message",
        json!({"id": id, "conversationId": conversation,
               "sender": {"id": sender, "name": format!("Name {sender}"), "avatar": ""},
               "content": format!("text of {id}"), "attachments": [], "timestamp": at, "status": status}),
    )
}

async fn store() -> Store {
    Store::open_in_memory().await.expect("in-memory store")
}

#[tokio::test]
async fn the_same_message_twice_is_one_row() {
    let store = store().await;
    let m = message("m1", "c1", "buyer", "2026-11-26T10:00:00Z", "sent");
    store
        .apply(std::slice::from_ref(&m), Timestamp::now())
        .await
        .expect("apply");
    store
        .apply(&[m.clone(), m], Timestamp::now())
        .await
        .expect("apply twice");
    let messages = store.messages("c1").await.expect("messages");
    assert_eq!(messages.len(), 1);
    assert_eq!(
        store.conversations().await.expect("conversations").len(),
        1,
        "unknown conversation created"
    );
}

#[tokio::test]
async fn status_never_moves_backwards() {
    let store = store().await;
    store
        .apply(
            &[message("m1", "c1", "buyer", "2026-11-26T10:00:00Z", "sent")],
            Timestamp::now(),
        )
        .await
        .expect("apply");
    let status = |s: &str| {
        event(
            "chat.status",
            json!({"messageId": "m1", "conversationId": "c1", "status": s, "timestamp": 0}),
        )
    };
    store
        .apply(&[status("read"), status("delivered")], Timestamp::now())
        .await
        .expect("statuses");
    assert_eq!(
        store.messages("c1").await.expect("messages")[0].status,
        "read"
    );
    // A replay of the original message with status `sent` does not undo `read` either.
    store
        .apply(
            &[message("m1", "c1", "buyer", "2026-11-26T10:00:00Z", "sent")],
            Timestamp::now(),
        )
        .await
        .expect("replay");
    assert_eq!(
        store.messages("c1").await.expect("messages")[0].status,
        "read"
    );
}

#[tokio::test]
async fn conversations_are_most_recent_first_with_unread_counts() {
    let store = store().await;
    store
        .set_meta(META_SELF_ID, "seller-1")
        .await
        .expect("meta");
    store
        .apply(
            &[
                message("a1", "ca", "buyer-a", "2026-11-26T10:00:00Z", "sent"),
                message("b1", "cb", "buyer-b", "2026-11-26T11:00:00Z", "sent"),
                message("b2", "cb", "buyer-b", "2026-11-26T11:05:00Z", "sent"),
                message("b3", "cb", "seller-1", "2026-11-26T11:06:00Z", "sent"),
            ],
            Timestamp::now(),
        )
        .await
        .expect("apply");
    let list = store.conversations().await.expect("conversations");
    let ids: Vec<&str> = list.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, vec!["cb", "ca"]);
    assert_eq!(
        list[0].unread_count, 2,
        "the seller's own message is not unread"
    );
    assert_eq!(
        list[0].last_message.as_ref().map(|m| m.content.as_str()),
        Some("text of b3")
    );
    store.mark_conversation_read("cb").await.expect("mark read");
    assert_eq!(
        store.conversations().await.expect("conversations")[0].unread_count,
        0
    );
}

#[tokio::test]
async fn an_older_order_event_joins_the_timeline_without_overwriting() {
    let store = store().await;
    let status = |s: &str, prev: &str, at: &str| {
        event(
            "order.status",
            json!({"orderId": "o1", "status": s, "previousStatus": prev, "timestamp": at,
            "updatedBy": {"id": "sys", "role": "system"}}),
        )
    };
    store
        .apply(
            &[status("shipped", "confirmed", "2026-11-26T12:00:00Z")],
            Timestamp::now(),
        )
        .await
        .expect("apply");
    store
        .apply(
            &[status("confirmed", "pending", "2026-11-26T11:00:00Z")],
            Timestamp::now(),
        )
        .await
        .expect("late");
    store
        .apply(
            &[status("confirmed", "pending", "2026-11-26T11:00:00Z")],
            Timestamp::now(),
        )
        .await
        .expect("replay");
    let orders = store.orders().await.expect("orders");
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].status.as_deref(), Some("shipped"));
    let payment = event(
        "order.payment",
        json!({"orderId": "o1", "status": "completed", "amount": 24.5,
        "currency": "EUR", "paymentMethod": "card", "timestamp": "2026-11-26T11:30:00Z"}),
    );
    let shipping = event(
        "order.shipping",
        json!({"orderId": "o1", "status": "shipped", "carrier": "DHL",
        "trackingNumber": "1Z", "location": {"city": "Lyon", "country": "FR", "status": "hub"}}),
    );
    store
        .apply(&[payment, shipping], Timestamp::now())
        .await
        .expect("apply");
    let order = &store.orders().await.expect("orders")[0];
    let payment = order.payment.as_ref().expect("payment");
    assert_eq!(
        (
            payment.status.as_str(),
            payment.amount,
            payment.currency.as_str()
        ),
        ("completed", 24.5, "EUR")
    );
    let shipping = order.shipping.as_ref().expect("shipping");
    assert_eq!(shipping.carrier.as_deref(), Some("DHL"));
    assert_eq!(
        shipping.location.as_ref().map(|l| l.city.as_str()),
        Some("Lyon")
    );
}

#[tokio::test]
async fn every_cached_category_is_accepted() {
    let store = store().await;
    let fixtures: Vec<Value> =
        serde_json::from_str(include_str!("../../protocol/fixtures/server-events.json"))
            .expect("fixtures");
    let events: Vec<ServerEvent> = fixtures
        .iter()
        .map(|f| {
            let name = f["event"].as_str().expect("name");
            ServerEvent::decode(
                name,
                &f.get("data").cloned().into_iter().collect::<Vec<_>>(),
            )
            .expect("decode")
        })
        .collect();
    let report = store
        .apply(&events, Timestamp::now())
        .await
        .expect("apply all");
    assert_eq!(report.orders, vec!["ord-1001".to_string()]);
    assert_eq!(report.listings, vec!["lst-1".to_string()]);
    assert_eq!(
        report.notifications,
        ["sys-1", "un-1"],
        "the ids that changed"
    );
    // Applying the same batch again changes nothing visible.
    store
        .apply(&events, Timestamp::now())
        .await
        .expect("apply again");
    assert_eq!(store.messages("conv-1").await.expect("messages").len(), 1);
    assert_eq!(
        store.messages("conv-1").await.expect("messages")[0].status,
        "delivered"
    );
}

#[tokio::test]
async fn outbox_claims_are_exclusive_and_echo_marks_sent() {
    let store = store().await;
    let first = store.enqueue("c1", "one", &[]).await.expect("enqueue");
    let second = store.enqueue("c1", "two", &[]).await.expect("enqueue");
    assert_eq!(store.outbox_pending().await.expect("pending"), 2);
    let claim = store.claim_outbox("proc-a", 10).await.expect("claim");
    let contents: Vec<&str> = claim.items.iter().map(|i| i.content.as_str()).collect();
    assert_eq!(contents, vec!["one", "two"], "claimed in queue order");
    assert!(
        store
            .claim_outbox("proc-b", 10)
            .await
            .expect("claim")
            .items
            .is_empty(),
        "no double claim"
    );
    // Unsent messages show in the thread, marked by their outbox state.
    let thread = store.messages("c1").await.expect("messages");
    assert_eq!(
        thread.iter().map(|m| m.status.as_str()).collect::<Vec<_>>(),
        vec!["sending", "sending"]
    );

    let mut echo = message("srv-1", "c1", "seller-1", "2026-11-26T10:00:00Z", "sent");
    if let ServerEvent::ChatMessage(m) = &mut echo {
        m.client_message_id = Some(first.client_message_id.clone());
    }
    let report = store.apply(&[echo], Timestamp::now()).await.expect("echo");
    assert_eq!(report.echoed, vec![first.client_message_id.clone()]);
    assert_eq!(
        report.echoed_in,
        ["c1"],
        "the conversation whose outbox changed"
    );
    let item = store
        .outbox_item(&first.client_message_id)
        .await
        .expect("item")
        .expect("exists");
    assert_eq!(item.state, OutboxState::Sent);
    assert_eq!(item.server_message_id.as_deref(), Some("srv-1"));

    // A lost connection gives the rest back; a failure is kept with its reason and can be retried.
    assert_eq!(store.release_outbox("proc-a").await.expect("release"), 1);
    let failed_in = store
        .fail_outbox(&second.client_message_id, "INVALID_PAYLOAD: too long")
        .await
        .expect("fail");
    assert_eq!(
        failed_in.as_deref(),
        Some("c1"),
        "the conversation it failed in"
    );
    let failed = store
        .outbox_item(&second.client_message_id)
        .await
        .expect("item")
        .expect("exists");
    assert_eq!(
        (failed.state, failed.reason.as_deref()),
        (OutboxState::Failed, Some("INVALID_PAYLOAD: too long"))
    );
    assert_eq!(store.outbox_pending().await.expect("pending"), 0);
    let retried_in = store
        .retry_outbox(&second.client_message_id)
        .await
        .expect("retry");
    assert_eq!(retried_in, "c1");
    assert_eq!(store.outbox_pending().await.expect("pending"), 1);
    let thread = store.messages("c1").await.expect("messages");
    assert_eq!(
        thread.len(),
        2,
        "the echoed message plus the one still queued"
    );
}

#[tokio::test]
async fn a_file_cache_survives_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let store = Store::open(dir.path()).await.expect("open");
        store
            .apply(
                &[message("m1", "c1", "b", "2026-11-26T10:00:00Z", "sent")],
                Timestamp::now(),
            )
            .await
            .expect("apply");
        store.close().await;
    }
    let store = Store::open(dir.path()).await.expect("reopen");
    assert_eq!(store.messages("c1").await.expect("messages").len(), 1);
}

#[tokio::test]
async fn participants_come_from_senders_until_the_server_names_them() {
    let store = store().await;
    store
        .set_meta(META_SELF_ID, "seller-1")
        .await
        .expect("meta");
    store
        .apply(
            &[
                message("m1", "c1", "buyer-7", "2026-11-26T10:00:00Z", "sent"),
                message("m2", "c1", "seller-1", "2026-11-26T10:01:00Z", "sent"),
            ],
            Timestamp::now(),
        )
        .await
        .expect("apply");
    let list = store.conversations().await.expect("conversations");
    let names: Vec<&str> = list[0]
        .participants
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, vec!["Name buyer-7"], "the buyer, not the seller");
    let update = event(
        "chat.conversation.update",
        json!({"conversationId": "c1", "type": "new", "participants": [{"id": "buyer-7", "name": "Zoë", "avatar": ""}]}),
    );
    store
        .apply(&[update], Timestamp::now())
        .await
        .expect("apply");
    let list = store.conversations().await.expect("conversations");
    assert_eq!(list[0].participants[0].name, "Zoë");
}

#[tokio::test]
async fn a_second_echo_of_one_client_message_never_aborts_the_batch() {
    let store = store().await;
    let echo = |id: &str| {
        let mut m = message(id, "c1", "seller-1", "2026-11-26T10:00:00Z", "sent");
        if let ServerEvent::ChatMessage(inner) = &mut m {
            inner.client_message_id = Some("client-1".into());
        }
        m
    };
    store
        .apply(&[echo("srv-1")], Timestamp::now())
        .await
        .expect("first echo");
    // A server that does not dedupe answers a resend with a new id; the rest of the batch stands.
    let batch = [
        echo("srv-2"),
        message("m9", "c1", "buyer", "2026-11-26T10:05:00Z", "sent"),
    ];
    store
        .apply(&batch, Timestamp::now())
        .await
        .expect("batch with a duplicate");
    let ids: Vec<String> = store
        .messages("c1")
        .await
        .expect("messages")
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids, vec!["srv-1".to_string(), "m9".to_string()]);
}

#[tokio::test]
async fn a_replayed_shipping_event_does_not_move_shipping_back() {
    let store = store().await;
    let shipping = |status: &str| {
        event(
            "order.shipping",
            json!({"orderId": "o1", "status": status, "carrier": "DHL"}),
        )
    };
    store
        .apply(&[shipping("shipped")], Timestamp::now())
        .await
        .expect("shipped");
    store
        .apply(&[shipping("delivered")], Timestamp::now())
        .await
        .expect("delivered");
    store
        .apply(&[shipping("shipped")], Timestamp::now())
        .await
        .expect("replay");
    let order = &store.orders().await.expect("orders")[0];
    assert_eq!(
        order.shipping.as_ref().map(|s| s.status.as_str()),
        Some("delivered")
    );
}
