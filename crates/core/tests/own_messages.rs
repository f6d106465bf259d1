//! Who wrote a message: the seller when the sender is the seller's id, or when the message is
//! the echo of one sent from this device's outbox. A `clientMessageId` alone is not enough: any
//! buyer's message may carry one.

use sellerdesk_core::alerts::{Notice, NoticeSink, NotificationSettings, Notifier, SharedFocus};
use sellerdesk_core::engine::{CacheChanges, EngineEvent};
use sellerdesk_core::models::MessageView;
use sellerdesk_core::protocol::*;
use sellerdesk_core::store::{Store, META_SELF_ID};
use serde_json::{json, Value};

const SELLER: &str = "seller-1";

fn message(id: &str, sender: &str, client_id: Option<&str>, at: &str) -> ServerEvent {
    let mut data = json!({
        "id": id, "conversationId": "c1",
        "sender": {"id": sender, "name": sender, "avatar": ""},
        "content": format!("text of {id}"), "attachments": [],
        "timestamp": at, "status": "sent",
    });
    if let Some(client_id) = client_id {
        data["clientMessageId"] = Value::from(client_id);
    }
    ServerEvent::decode("chat.message", &[data]).expect("decode")
}

async fn store() -> Store {
    let store = Store::open_in_memory().await.expect("store");
    store.set_meta(META_SELF_ID, SELLER).await.expect("self id");
    store
}

fn by_id<'a>(messages: &'a [MessageView], id: &str) -> &'a MessageView {
    messages
        .iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("{id} in {messages:?}"))
}

async fn unread(store: &Store) -> i64 {
    store.conversations().await.expect("conversations")[0].unread_count
}

#[tokio::test]
async fn a_buyer_message_with_a_forged_client_id_is_theirs_and_unread() {
    let store = store().await;
    store
        .apply(
            &[message(
                "m1",
                "buyer-1",
                Some("forged-client-id"),
                "2026-12-01T10:00:00Z",
            )],
            Timestamp::now(),
        )
        .await
        .expect("apply");
    let messages = store.messages("c1").await.expect("messages");
    let m1 = by_id(&messages, "m1");
    assert!(
        !m1.own,
        "a client message id alone does not make it the seller's"
    );
    assert_eq!(m1.client_message_id.as_deref(), Some("forged-client-id"));
    assert_eq!(unread(&store).await, 1, "it counts as unread");
    assert_eq!(store.unread_conversations().await.expect("badge"), 1);
}

#[tokio::test]
async fn the_sellers_own_messages_are_own_by_sender_or_by_outbox() {
    let store = store().await;
    let sent = store.enqueue("c1", "hello", &[]).await.expect("enqueue");
    // Before the echo: the outbox entry is shown, as the seller's.
    let messages = store.messages("c1").await.expect("messages");
    assert!(by_id(&messages, &sent.client_message_id).own);

    store
        .apply(
            &[
                // The echo of the outbox message, from a server that names another sender id.
                message(
                    "m-echo",
                    "seller-alias",
                    Some(&sent.client_message_id),
                    "2026-12-01T10:00:00Z",
                ),
                // Written by the seller elsewhere (another device): no outbox row, own by sender.
                message(
                    "m-web",
                    SELLER,
                    Some("web-client-id"),
                    "2026-12-01T10:01:00Z",
                ),
                message("m-buyer", "buyer-1", None, "2026-12-01T10:02:00Z"),
            ],
            Timestamp::now(),
        )
        .await
        .expect("apply");
    let messages = store.messages("c1").await.expect("messages");
    assert!(
        by_id(&messages, "m-echo").own,
        "echo of this device's outbox"
    );
    assert!(by_id(&messages, "m-web").own, "the seller's id");
    assert!(!by_id(&messages, "m-buyer").own);
    assert_eq!(
        unread(&store).await,
        1,
        "only the buyer's message is unread"
    );

    // The cache is emptied (the outbox stays) and history brings the echo again.
    store.clear_cache(false).await.expect("clear");
    store
        .apply(
            &[message(
                "m-echo",
                "seller-alias",
                Some(&sent.client_message_id),
                "2026-12-01T10:00:00Z",
            )],
            Timestamp::now(),
        )
        .await
        .expect("apply again");
    let messages = store.messages("c1").await.expect("messages");
    assert!(
        by_id(&messages, "m-echo").own,
        "still the seller's once sent"
    );
    assert_eq!(unread(&store).await, 0);
}

#[derive(Default)]
struct Shown(std::sync::Mutex<Vec<Notice>>);

impl NoticeSink for Shown {
    fn show(&self, notice: &Notice) {
        self.0.lock().expect("lock").push(notice.clone());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_echo_of_an_outbox_message_never_notifies_and_a_forged_client_id_does() {
    let store = store().await;
    let sent = store.enqueue("c1", "hello", &[]).await.expect("enqueue");
    let now = Timestamp::now().to_string();
    let echo = message(
        "m-echo",
        "seller-alias",
        Some(&sent.client_message_id),
        &now,
    );
    let forged = message("m-forged", "buyer-1", Some("forged-client-id"), &now);
    store
        .apply(&[echo.clone(), forged.clone()], Timestamp::now())
        .await
        .expect("apply");
    let (tx, rx) = tokio::sync::broadcast::channel(8);
    let shown = std::sync::Arc::new(Shown::default());
    let notifier = Notifier::start(
        rx,
        store,
        NotificationSettings::default(),
        SharedFocus::default(),
        shown.clone(),
    );
    // In one batch, the echo first: once the buyer's notice is out, the echo was judged too.
    tx.send(EngineEvent::Received {
        events: std::sync::Arc::new(vec![echo, forged]),
        changes: CacheChanges::default(),
    })
    .expect("send");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let notices = loop {
        let notices = shown.0.lock().expect("lock").clone();
        if !notices.is_empty() {
            break notices;
        }
        assert!(std::time::Instant::now() < deadline, "no notice came");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    notifier.stop().await;
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].count, 1, "only the buyer's message: {notices:?}");
    assert_eq!(notices[0].title, "buyer-1");
}
