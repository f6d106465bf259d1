//! The UI event bridge: engine events go to each window's `ipc::Channel` as coalesced batches,
//! at most one per [`WINDOW`] (~60 per second), so a flood of server events costs the UI a
//! bounded number of refetches. The UI renders from the cache; a batch only says what changed.

use sellerdesk_core::engine::{CacheChanges, ConnectionState, EngineEvent, Problem};
use sellerdesk_core::store::Store;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tauri::ipc::Channel;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, watch, Notify};
use tokio::task::JoinHandle;
use tokio::time::{sleep_until, Instant};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// How long a batch collects events after its first one.
pub const WINDOW: Duration = Duration::from_millis(16);

/// One coalesced batch of engine events.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UiEvent {
    /// The latest connection state, if it changed.
    pub state: Option<ConnectionState>,
    /// Everything the batch changed in the cache (ids deduplicated).
    pub changes: CacheChanges,
    /// Problems to show, oldest first.
    pub problems: Vec<Problem>,
    /// The latest outbox size, if the outbox changed.
    pub outbox_pending: Option<u32>,
    /// How many server events the batch covers.
    pub received: u32,
    /// Events may have been missed, or the view just (re)subscribed: refetch everything.
    pub resync: bool,
}

impl UiEvent {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Folds one engine event into the batch.
    pub fn merge(&mut self, event: EngineEvent) {
        match event {
            EngineEvent::State { state } => self.state = Some(state),
            EngineEvent::Received { events, changes } => {
                self.received = self
                    .received
                    .saturating_add(u32::try_from(events.len()).unwrap_or(u32::MAX));
                union(&mut self.changes.conversations, changes.conversations);
                union(&mut self.changes.orders, changes.orders);
                union(&mut self.changes.listings, changes.listings);
                self.changes.notifications = self
                    .changes
                    .notifications
                    .saturating_add(changes.notifications);
            }
            EngineEvent::Outbox { pending } => self.outbox_pending = Some(pending),
            EngineEvent::Problem { problem } => self.problems.push(problem),
        }
    }
}

fn union(into: &mut Vec<String>, ids: Vec<String>) {
    for id in ids {
        if !into.contains(&id) {
            into.push(id);
        }
    }
}

/// The channels of the windows that subscribed, by window label. A window that reloads
/// subscribes again and its new channel replaces the old one.
#[derive(Clone, Default)]
pub struct Subscribers {
    channels: Arc<Mutex<HashMap<String, Channel<UiEvent>>>>,
}

impl Subscribers {
    pub fn replace(&self, window: &str, channel: Channel<UiEvent>) {
        self.lock().insert(window.to_owned(), channel);
    }

    pub fn send(&self, event: &UiEvent) {
        // Clone the channels out so no lock is held while serializing.
        let channels: Vec<(String, Channel<UiEvent>)> = self
            .lock()
            .iter()
            .map(|(label, channel)| (label.clone(), channel.clone()))
            .collect();
        for (label, channel) in channels {
            if let Err(e) = channel.send(event.clone()) {
                tracing::debug!(window = %label, "UI channel send failed: {e}");
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Channel<UiEvent>>> {
        self.channels.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Where a resync batch reads the current picture from.
pub struct Snapshot {
    pub state: watch::Receiver<ConnectionState>,
    pub store: Store,
}

/// The running bridge of one engine session.
pub struct Bridge {
    resync: Arc<Notify>,
    cancel: CancellationToken,
    task: JoinHandle<()>,
}

impl Bridge {
    /// Starts forwarding; the first batch is a resync so subscribed views load everything.
    pub fn start(
        events: broadcast::Receiver<EngineEvent>,
        snapshot: Snapshot,
        subscribers: Subscribers,
    ) -> Self {
        let resync = Arc::new(Notify::new());
        resync.notify_one();
        let cancel = CancellationToken::new();
        let task = tokio::spawn(forward(
            events,
            snapshot,
            subscribers,
            resync.clone(),
            cancel.clone(),
        ));
        Self {
            resync,
            cancel,
            task,
        }
    }

    /// Asks for a full-picture batch (a view subscribed).
    pub fn resync(&self) {
        self.resync.notify_one();
    }

    pub async fn stop(self) {
        self.cancel.cancel();
        if let Err(e) = self.task.await {
            tracing::error!("UI bridge task ended abnormally: {e}");
        }
    }
}

/// What woke the forwarder up.
enum Wake {
    Stop,
    Event(EngineEvent),
    Resync,
    Closed,
}

async fn next(
    events: &mut broadcast::Receiver<EngineEvent>,
    resync: &Notify,
    cancel: &CancellationToken,
) -> Wake {
    tokio::select! {
        biased;
        () = cancel.cancelled() => Wake::Stop,
        () = resync.notified() => Wake::Resync,
        received = events.recv() => match received {
            Ok(event) => Wake::Event(event),
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "UI bridge lagged; asking the UI to refetch");
                Wake::Resync
            }
            Err(RecvError::Closed) => Wake::Closed,
        },
    }
}

async fn forward(
    mut events: broadcast::Receiver<EngineEvent>,
    snapshot: Snapshot,
    subscribers: Subscribers,
    resync: Arc<Notify>,
    cancel: CancellationToken,
) {
    let mut open = true;
    while open {
        let mut batch = UiEvent::default();
        // Sleep until something happens, then collect for one window.
        let mut deadline = None;
        loop {
            let wake = match deadline {
                None => next(&mut events, &resync, &cancel).await,
                Some(at) => tokio::select! {
                    () = sleep_until(at) => break,
                    wake = next(&mut events, &resync, &cancel) => wake,
                },
            };
            match wake {
                Wake::Stop => return,
                Wake::Closed => {
                    open = false;
                    break;
                }
                Wake::Event(event) => batch.merge(event),
                Wake::Resync => batch.resync = true,
            }
            deadline.get_or_insert_with(|| Instant::now() + WINDOW);
        }
        if batch.resync {
            fill_snapshot(&mut batch, &snapshot).await;
        }
        if !batch.is_empty() {
            subscribers.send(&batch);
        }
    }
}

async fn fill_snapshot(batch: &mut UiEvent, snapshot: &Snapshot) {
    batch.state = Some(snapshot.state.borrow().clone());
    match snapshot.store.outbox_pending().await {
        Ok(pending) => batch.outbox_pending = Some(u32::try_from(pending).unwrap_or(u32::MAX)),
        Err(e) => tracing::warn!(code = e.code(), "cannot count the outbox: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn received(conversations: &[&str], orders: &[&str]) -> EngineEvent {
        EngineEvent::Received {
            events: Default::default(),
            changes: CacheChanges {
                conversations: conversations.iter().map(|s| s.to_string()).collect(),
                orders: orders.iter().map(|s| s.to_string()).collect(),
                listings: Vec::new(),
                notifications: 1,
            },
        }
    }

    #[test]
    fn merge_keeps_latest_state_and_unions_changes() {
        let mut batch = UiEvent::default();
        batch.merge(EngineEvent::State {
            state: ConnectionState::Connecting,
        });
        batch.merge(received(&["c1", "c2"], &["o1"]));
        batch.merge(EngineEvent::Outbox { pending: 3 });
        batch.merge(received(&["c2", "c3"], &[]));
        batch.merge(EngineEvent::Problem {
            problem: Problem::new("RATE_LIMIT", "slow down"),
        });
        batch.merge(EngineEvent::Outbox { pending: 1 });
        batch.merge(EngineEvent::State {
            state: ConnectionState::Stopped,
        });
        assert_eq!(batch.state, Some(ConnectionState::Stopped));
        assert_eq!(batch.changes.conversations, ["c1", "c2", "c3"]);
        assert_eq!(batch.changes.orders, ["o1"]);
        assert_eq!(batch.changes.notifications, 2);
        assert_eq!(batch.outbox_pending, Some(1));
        assert_eq!(batch.problems.len(), 1);
        assert!(!batch.resync);
        assert!(!batch.is_empty());
    }

    #[tokio::test]
    async fn coalesces_a_burst_and_resyncs_first() {
        let store = Store::open_in_memory().await.expect("store");
        let (_state_tx, state) = watch::channel(ConnectionState::Connecting);
        let (events, rx) = broadcast::channel(1024);
        let seen = Arc::new(Mutex::new(Vec::<UiEvent>::new()));
        let subscribers = Subscribers::default();
        let sink = seen.clone();
        subscribers.replace(
            "main",
            Channel::new(move |body| {
                if let tauri::ipc::InvokeResponseBody::Json(json) = body {
                    let event: UiEvent = serde_json::from_str(&json).expect("a UiEvent");
                    sink.lock().expect("lock").push(event);
                }
                Ok(())
            }),
        );
        let bridge = Bridge::start(rx, Snapshot { state, store }, subscribers);
        // Let the first (resync) batch go out.
        tokio::time::sleep(WINDOW * 4).await;
        for i in 0..200 {
            let id = format!("c{}", i % 5);
            events.send(received(&[id.as_str()], &[])).expect("send");
        }
        tokio::time::sleep(WINDOW * 6).await;
        drop(events);
        bridge.stop().await;
        let seen = seen.lock().expect("lock").clone();
        assert!(seen[0].resync, "first batch resyncs: {seen:?}");
        assert_eq!(seen[0].state, Some(ConnectionState::Connecting));
        assert_eq!(seen[0].outbox_pending, Some(0));
        let burst = &seen[1..];
        assert!(
            !burst.is_empty() && burst.len() <= 3,
            "200 events within a window or two: {} batches",
            burst.len()
        );
        let total: u32 = burst.iter().map(|b| b.changes.notifications).sum();
        assert_eq!(total, 200);
        let mut ids: Vec<String> = burst
            .iter()
            .flat_map(|b| b.changes.conversations.clone())
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids, ["c0", "c1", "c2", "c3", "c4"]);
    }

    #[tokio::test]
    async fn a_lagging_bridge_asks_for_a_resync() {
        let store = Store::open_in_memory().await.expect("store");
        let (_state_tx, state) = watch::channel(ConnectionState::Connecting);
        let (events, rx) = broadcast::channel(4);
        // Overflow the buffer before the bridge reads anything.
        for _ in 0..10 {
            events.send(received(&["c1"], &[])).expect("send");
        }
        let seen = Arc::new(Mutex::new(Vec::<UiEvent>::new()));
        let subscribers = Subscribers::default();
        let sink = seen.clone();
        subscribers.replace(
            "main",
            Channel::new(move |body| {
                if let tauri::ipc::InvokeResponseBody::Json(json) = body {
                    sink.lock()
                        .expect("lock")
                        .push(serde_json::from_str(&json).expect("a UiEvent"));
                }
                Ok(())
            }),
        );
        let bridge = Bridge::start(rx, Snapshot { state, store }, subscribers);
        tokio::time::sleep(WINDOW * 4).await;
        // The engine is gone: the bridge ends by itself.
        drop(events);
        bridge.stop().await;
        let seen = seen.lock().expect("lock").clone();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert!(seen[0].resync);
        assert_eq!(
            seen[0].changes.notifications, 4,
            "the 4 kept events still count"
        );
    }
}
