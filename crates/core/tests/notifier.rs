//! The notification task over a real event stream: one summary for a burst, nothing for what
//! the seller is looking at, one "while you were away" after a reconnect, stopped cleanly.

use sellerdesk_core::alerts::{Notice, NoticeSink, NotificationSettings, Notifier, SharedFocus};
use sellerdesk_core::engine::{CacheChanges, ConnectionState, EngineEvent};
use sellerdesk_core::protocol::*;
use sellerdesk_core::socket::Transport;
use sellerdesk_core::store::Store;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

#[derive(Default)]
struct Shown(Mutex<Vec<Notice>>);

impl NoticeSink for Shown {
    fn show(&self, notice: &Notice) {
        self.0.lock().expect("lock").push(notice.clone());
    }
}

impl Shown {
    fn take(&self) -> Vec<Notice> {
        std::mem::take(&mut *self.0.lock().expect("lock"))
    }
}

fn received(events: Vec<ServerEvent>) -> EngineEvent {
    EngineEvent::Received {
        events: Arc::new(events),
        changes: CacheChanges::default(),
    }
}

fn new_order(id: &str) -> ServerEvent {
    ServerEvent::decode(
        "order.status",
        &[json!({"orderId": id, "status": "pending", "previousStatus": "pending",
                 "timestamp": Timestamp::now().millis(), "updatedBy": {"id": "sys", "role": "system"}})],
    )
    .expect("order")
}

fn buyer_message(id: &str, conversation: &str) -> ServerEvent {
    ServerEvent::decode(
        "chat.message",
        &[json!({"id": id, "conversationId": conversation,
                 "sender": {"id": "buyer-1", "name": "Zoë", "avatar": ""}, "content": "Hello?",
                 "attachments": [], "timestamp": Timestamp::now().millis(), "status": "sent"})],
    )
    .expect("message")
}

async fn settle() {
    // The burst window (2 s) plus a margin.
    tokio::time::sleep(Duration::from_millis(2_600)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bursts_focus_and_reconnects() {
    let store = Store::open_in_memory().await.expect("store");
    let (tx, rx) = broadcast::channel(64);
    let shown = Arc::new(Shown::default());
    let focus = SharedFocus::default();
    let notifier = Notifier::start(
        rx,
        store,
        NotificationSettings::default(),
        focus.clone(),
        shown.clone(),
    );

    // 50 new orders at once: one summary.
    let orders: Vec<ServerEvent> = (0..50).map(|i| new_order(&format!("ord-{i}"))).collect();
    tx.send(received(orders.clone())).expect("send");
    settle().await;
    let notices = shown.take();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].body, "50 new orders");

    // The same events again (a replay): not news.
    tx.send(received(orders)).expect("send");
    settle().await;
    assert!(shown.take().is_empty());

    // A message in the conversation open in the focused window: nothing; in another: told.
    focus.set_window_focused(true);
    focus.set_open_conversation(Some("c1".into()));
    tx.send(received(vec![buyer_message("m1", "c1")]))
        .expect("send");
    settle().await;
    assert!(shown.take().is_empty(), "the seller is looking at it");
    tx.send(received(vec![buyer_message("m2", "c2")]))
        .expect("send");
    settle().await;
    let notices = shown.take();
    assert_eq!(notices.len(), 1);
    assert_eq!(
        (notices[0].title.as_str(), notices[0].body.as_str()),
        ("Zoë", "Hello?")
    );

    // Reconnected: the catch-up is one "while you were away".
    tx.send(EngineEvent::State {
        state: ConnectionState::Connected {
            transport: Transport::Websocket,
            since: Timestamp::now(),
        },
    })
    .expect("send");
    let catch_up: Vec<ServerEvent> = (0..5)
        .map(|i| new_order(&format!("ord-away-{i}")))
        .chain([buyer_message("m3", "c3")])
        .collect();
    tx.send(received(catch_up)).expect("send");
    tokio::time::sleep(Duration::from_millis(5_500)).await;
    let notices = shown.take();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].title, "While you were away");
    assert_eq!(notices[0].body, "5 new orders, 1 message from 1 buyer");

    // Switching the category off takes effect at once.
    let mut settings = notifier.settings();
    settings.categories.new_orders = false;
    notifier.set_settings(settings);
    tx.send(received(vec![new_order("ord-off")])).expect("send");
    settle().await;
    assert!(shown.take().is_empty());

    tokio::time::timeout(Duration::from_secs(2), notifier.stop())
        .await
        .expect("stops at once");
}
