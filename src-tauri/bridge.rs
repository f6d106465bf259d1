//! The UI event bridge: engine events go to each window's `ipc::Channel` as coalesced batches,
//! at most one per [`WINDOW`] (~60 per second), so a flood of server events costs the UI a
//! bounded number of refetches. The UI renders from the cache; a batch only says what changed.

use sellerdesk_core::engine::{
    CacheChanges, ConnectionState, EngineEvent, Problem, MAX_TYPING_KEYS,
};
use sellerdesk_core::protocol::{PresenceTyping, ServerEvent};
use sellerdesk_core::store::Store;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
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
    /// The round trip of the last `health.check` ack in ms. A batch with a `state` always
    /// carries the latency that goes with it (`null`: unknown, e.g. not connected or a server
    /// that does not ack); without a `state`, `null` means unchanged.
    pub latency_ms: Option<u32>,
    /// Who started or stopped typing where, latest per user and conversation (transient: never
    /// cached, so it only reaches the UI here).
    pub typing: Vec<PresenceTyping>,
    /// A buyer's presence changed: the inbox shows it.
    pub presence_changed: bool,
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
            EngineEvent::State { state } => {
                // A new state is a new connection or none: the last figure no longer applies.
                self.state = Some(state);
                self.latency_ms = None;
            }
            EngineEvent::Received { events, changes } => {
                self.received = self
                    .received
                    .saturating_add(u32::try_from(events.len()).unwrap_or(u32::MAX));
                let mut typing = Vec::new();
                for event in events.iter() {
                    match event {
                        ServerEvent::PresenceTyping(t) => typing.push(t),
                        ServerEvent::PresenceUpdate(_) => self.presence_changed = true,
                        _ => {}
                    }
                }
                self.note_typing(typing);
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
            EngineEvent::Latency { ms } => self.latency_ms = Some(ms),
        }
    }
}

impl UiEvent {
    /// Keeps the latest typing state per user and conversation, latest last, in one pass over
    /// what is held (a flood must not cost a search of the list per event), and at most
    /// [`MAX_TYPING_KEYS`] of them.
    fn note_typing(&mut self, typing: Vec<&PresenceTyping>) {
        if typing.is_empty() {
            return;
        }
        let key = |t: &PresenceTyping| (t.user_id.clone(), t.conversation_id.clone());
        let mut latest: HashMap<(String, String), usize> = HashMap::new();
        for (i, t) in typing.iter().enumerate() {
            latest.insert(key(t), i);
        }
        self.typing.retain(|t| !latest.contains_key(&key(t)));
        let mut newest: Vec<usize> = latest.into_values().collect();
        newest.sort_unstable();
        self.typing
            .extend(newest.into_iter().map(|i| typing[i].clone()));
        let over = self.typing.len().saturating_sub(MAX_TYPING_KEYS);
        self.typing.drain(..over);
    }
}

/// Adds the ids not there yet, in order, in time linear in both lists.
fn union(into: &mut Vec<String>, ids: Vec<String>) {
    if ids.is_empty() {
        return;
    }
    let mut known: HashSet<String> = into.iter().cloned().collect();
    for id in ids {
        if known.insert(id.clone()) {
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
    pub latency: watch::Receiver<Option<u32>>,
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
    batch.latency_ms = *snapshot.latency.borrow();
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

    #[test]
    fn latency_latest_wins_and_a_new_state_clears_it() {
        let connected = ConnectionState::Connected {
            transport: sellerdesk_core::socket::Transport::Websocket,
            since: sellerdesk_core::protocol::Timestamp::now(),
        };
        let mut batch = UiEvent::default();
        batch.merge(EngineEvent::Latency { ms: 40 });
        batch.merge(EngineEvent::Latency { ms: 12 });
        assert_eq!(batch.latency_ms, Some(12));
        assert!(!batch.is_empty(), "a latency alone is worth a batch");

        // The connection dropped after the figure: it must not outlive it.
        batch.merge(EngineEvent::State {
            state: ConnectionState::Connecting,
        });
        assert_eq!(batch.latency_ms, None);

        // A new connection, then its first figure.
        batch.merge(EngineEvent::State { state: connected });
        batch.merge(EngineEvent::Latency { ms: 7 });
        assert_eq!(batch.latency_ms, Some(7));
    }

    #[tokio::test]
    async fn a_resync_carries_the_last_latency() {
        let store = Store::open_in_memory().await.expect("store");
        let (_state_tx, state) = watch::channel(ConnectionState::Connecting);
        let (_latency_tx, latency) = watch::channel(Some(23));
        let mut batch = UiEvent {
            resync: true,
            ..UiEvent::default()
        };
        fill_snapshot(
            &mut batch,
            &Snapshot {
                state,
                latency,
                store,
            },
        )
        .await;
        assert_eq!(batch.latency_ms, Some(23));
    }

    #[test]
    fn typing_keeps_the_latest_per_user_and_conversation_and_presence_is_flagged() {
        let decode = |name: &str, data: serde_json::Value| {
            ServerEvent::decode(name, &[data]).expect("valid event")
        };
        let typing = |user: &str, conversation: &str, on: bool| {
            decode(
                "presence.typing",
                serde_json::json!({"userId": user, "conversationId": conversation,
                                   "isTyping": on, "timestamp": 1_795_000_000_000_i64}),
            )
        };
        let mut batch = UiEvent::default();
        batch.merge(EngineEvent::Received {
            events: Arc::new(vec![
                typing("b1", "c1", true),
                typing("b2", "c2", true),
                typing("b1", "c1", false),
            ]),
            changes: CacheChanges::default(),
        });
        let seen: Vec<(&str, bool)> = batch
            .typing
            .iter()
            .map(|t| (t.user_id.as_str(), t.is_typing))
            .collect();
        assert_eq!(seen, [("b2", true), ("b1", false)]);
        assert!(!batch.presence_changed);
        batch.merge(EngineEvent::Received {
            events: Arc::new(vec![decode(
                "presence.update",
                serde_json::json!({"userId": "b1", "status": "online"}),
            )]),
            changes: CacheChanges::default(),
        });
        assert!(batch.presence_changed);
    }

    #[test]
    fn a_typing_flood_of_distinct_keys_keeps_the_latest_few() {
        let typing: Vec<ServerEvent> = (0..5 * MAX_TYPING_KEYS)
            .map(|i| {
                ServerEvent::decode(
                    "presence.typing",
                    &[
                        serde_json::json!({"userId": format!("b{i}"), "conversationId": "c",
                                         "isTyping": true, "timestamp": 1_795_000_000_000_i64}),
                    ],
                )
                .expect("valid event")
            })
            .collect();
        let mut batch = UiEvent::default();
        for chunk in typing.chunks(100) {
            batch.merge(EngineEvent::Received {
                events: Arc::new(chunk.to_vec()),
                changes: CacheChanges::default(),
            });
        }
        assert_eq!(batch.typing.len(), MAX_TYPING_KEYS);
        let last = format!("b{}", 5 * MAX_TYPING_KEYS - 1);
        assert_eq!(
            batch.typing.last().map(|t| t.user_id.as_str()),
            Some(last.as_str())
        );
    }

    /// A bridge over `rx` whose one window's batches are collected (Connecting, no latency).
    async fn recording_bridge(
        rx: broadcast::Receiver<EngineEvent>,
    ) -> (Bridge, Arc<Mutex<Vec<UiEvent>>>) {
        let store = Store::open_in_memory().await.expect("store");
        let (_state_tx, state) = watch::channel(ConnectionState::Connecting);
        let (_latency_tx, latency) = watch::channel(None);
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
        let snapshot = Snapshot {
            state,
            latency,
            store,
        };
        (Bridge::start(rx, snapshot, subscribers), seen)
    }

    #[tokio::test]
    async fn coalesces_a_burst_and_resyncs_first() {
        let (events, rx) = broadcast::channel(1024);
        let (bridge, seen) = recording_bridge(rx).await;
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
        let (events, rx) = broadcast::channel(4);
        // Overflow the buffer before the bridge reads anything.
        for _ in 0..10 {
            events.send(received(&["c1"], &[])).expect("send");
        }
        let (bridge, seen) = recording_bridge(rx).await;
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
