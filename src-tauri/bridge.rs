//! The UI event bridge: engine events go to each window's `ipc::Channel` as coalesced batches,
//! at most one per [`WINDOW`] (~60 per second), so a flood of server events costs the UI a
//! bounded number of refetches. The UI renders from the cache; a batch names what changed (by
//! id) and carries the unread counts, so the UI refetches only what shows those ids and never
//! asks for a badge (see `ui_event.rs`). The same channel brings navigation (`navigation.rs`).

use crate::badge::{Badge, BadgeFeed};
use crate::count_pacer::CountPacer;
use crate::navigation::Navigator;
use crate::subscribers::Subscribers;
use crate::ui_event::{union, UiEvent};
use sellerdesk_core::alerts::SharedFocus;
use sellerdesk_core::engine::{ConnectionState, EngineEvent};
use sellerdesk_core::protocol::ServerEvent;
use sellerdesk_core::store::Store;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, mpsc, watch, Notify};
use tokio::task::JoinHandle;
use tokio::time::{sleep_until, Instant};
use tokio_util::sync::CancellationToken;

/// How long a batch collects events after its first one.
pub const WINDOW: Duration = Duration::from_millis(16);

/// Where a resync batch reads the current picture from.
pub struct Snapshot {
    pub state: watch::Receiver<ConnectionState>,
    pub latency: watch::Receiver<Option<u32>>,
    pub store: Store,
}

/// What the bridge serves besides the engine's events: the conversation on screen (kept read
/// while the seller looks at it), the navigation waiting for a window, the badge it keeps
/// current.
#[derive(Clone)]
pub struct Surroundings {
    pub focus: SharedFocus,
    pub navigator: Navigator,
    pub badge: Option<Arc<dyn Badge>>,
}

/// Something the app itself changed in the cache (a command), told to the windows in the next
/// batch with the counts it affects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocalChange {
    ConversationRead(String),
    NotificationRead(String),
    AllNotificationsRead,
}

/// The running bridge of one engine session.
pub struct Bridge {
    resync: Arc<Notify>,
    local: mpsc::UnboundedSender<LocalChange>,
    cancel: CancellationToken,
    task: JoinHandle<()>,
}

impl Bridge {
    /// Starts forwarding; the first batch is a resync so subscribed views load everything.
    pub fn start(
        events: broadcast::Receiver<EngineEvent>,
        snapshot: Snapshot,
        subscribers: Subscribers,
        surroundings: Surroundings,
    ) -> Self {
        let resync = Arc::new(Notify::new());
        resync.notify_one();
        let (local, local_rx) = mpsc::unbounded_channel();
        let cancel = CancellationToken::new();
        let sources = Sources {
            events,
            local: local_rx,
            resync: resync.clone(),
            cancel: cancel.clone(),
        };
        let task = tokio::spawn(forward(sources, snapshot, subscribers, surroundings));
        Self {
            resync,
            local,
            cancel,
            task,
        }
    }

    /// Asks for a full-picture batch (a view subscribed).
    pub fn resync(&self) {
        self.resync.notify_one();
    }

    /// Tells the windows about a change a command made.
    pub fn note(&self, change: LocalChange) {
        // Fails only once the bridge stopped: then no window needs to know.
        let _ = self.local.send(change);
    }

    pub async fn stop(self) {
        self.cancel.cancel();
        if let Err(e) = self.task.await {
            tracing::error!("UI bridge task ended abnormally: {e}");
        }
    }
}

/// What the forwarder listens to.
struct Sources {
    events: broadcast::Receiver<EngineEvent>,
    local: mpsc::UnboundedReceiver<LocalChange>,
    resync: Arc<Notify>,
    cancel: CancellationToken,
}

/// What woke the forwarder up.
enum Wake {
    Stop,
    Event(EngineEvent),
    Local(LocalChange),
    Resync,
    Closed,
}

impl Sources {
    async fn next(&mut self) -> Wake {
        tokio::select! {
            biased;
            () = self.cancel.cancelled() => Wake::Stop,
            () = self.resync.notified() => Wake::Resync,
            Some(change) = self.local.recv() => Wake::Local(change),
            received = self.events.recv() => match received {
                Ok(event) => Wake::Event(event),
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "UI bridge lagged; asking the UI to refetch");
                    Wake::Resync
                }
                Err(RecvError::Closed) => Wake::Closed,
            },
        }
    }
}

/// A batch being collected, with what decides the work done before it goes out.
#[derive(Default)]
struct Batch {
    event: UiEvent,
    /// Conversations a chat message arrived in.
    messages_in: HashSet<String>,
    /// A command marked notifications read.
    notifications_read: bool,
    /// A command marked a conversation read: the seller waits for the badge to follow.
    conversation_read: bool,
}

impl Batch {
    fn merge(&mut self, event: EngineEvent) {
        if let EngineEvent::Received { events, .. } = &event {
            for event in events.iter() {
                // Checked first: a flood is thousands of messages in a few conversations.
                if let ServerEvent::ChatMessage(m) = event {
                    if !self.messages_in.contains(&m.conversation_id) {
                        self.messages_in.insert(m.conversation_id.clone());
                    }
                }
            }
        }
        self.event.merge(event);
    }

    fn note(&mut self, change: LocalChange) {
        let changes = &mut self.event.changes;
        match change {
            LocalChange::ConversationRead(id) => {
                union(&mut changes.conversations, vec![id]);
                self.conversation_read = true;
            }
            LocalChange::NotificationRead(id) => {
                union(&mut changes.notifications, vec![id]);
                self.notifications_read = true;
            }
            LocalChange::AllNotificationsRead => self.notifications_read = true,
        }
    }
}

async fn forward(
    mut sources: Sources,
    snapshot: Snapshot,
    subscribers: Subscribers,
    surroundings: Surroundings,
) {
    let mut badge = BadgeFeed::new(surroundings.badge.clone());
    let mut pacer = CountPacer::default();
    let mut open = true;
    while open {
        let mut batch = Batch::default();
        // Sleep until something happens (or a count that was put off is due), then collect for
        // one window.
        let mut deadline = None;
        loop {
            let wake = match deadline.or(pacer.due()) {
                None => sources.next().await,
                // Due with nothing collected: a batch of just the count.
                Some(at) if deadline.is_none() => tokio::select! {
                    () = sleep_until(at) => break,
                    wake = sources.next() => wake,
                },
                Some(at) => tokio::select! {
                    () = sleep_until(at) => break,
                    wake = sources.next() => wake,
                },
            };
            match wake {
                Wake::Stop => return,
                Wake::Closed => {
                    open = false;
                    break;
                }
                Wake::Event(event) => batch.merge(event),
                Wake::Local(change) => batch.note(change),
                Wake::Resync => batch.event.resync = true,
            }
            deadline.get_or_insert_with(|| Instant::now() + WINDOW);
        }
        let mut event = finish(batch, &snapshot, &surroundings, &mut pacer).await;
        // Taken only for a window to see it; with none subscribed it keeps waiting.
        if event.resync && !subscribers.is_empty() {
            event.navigate = surroundings.navigator.take_pending();
        }
        if let Some(unread) = event.unread_conversations {
            badge.update(unread);
        }
        if !event.is_empty() {
            subscribers.send(&event);
        }
    }
}

/// Completes a batch from the cache: the full picture for a resync (the count of unread
/// conversations a moment later), the open conversation marked read when a message came into
/// it while the seller looks at it, then the unread counts it may have changed (after that mark,
/// so the badge never blinks; the conversations' count paced, see `count_pacer.rs`).
async fn finish(
    batch: Batch,
    snapshot: &Snapshot,
    surroundings: &Surroundings,
    pacer: &mut CountPacer,
) -> UiEvent {
    let mut event = batch.event;
    if event.resync {
        fill_snapshot(&mut event, snapshot).await;
    }
    let focus = surroundings.focus.get();
    if let Some(open) = focus.open_conversation.filter(|_| focus.window_focused) {
        if batch.messages_in.contains(&open) {
            if let Err(e) = snapshot.store.mark_conversation_read(&open).await {
                tracing::warn!(
                    code = e.code(),
                    "cannot mark the open conversation read: {e}"
                );
            }
        }
    }
    let now = Instant::now();
    let urgent = batch.conversation_read;
    if event.resync && !urgent {
        // A resync comes as a window opens: its first page of conversations reads the cache
        // first, and the count (a few hundred ms on a big cache) follows in a batch of its own.
        pacer.put_off(now);
    } else if (urgent || pacer.owed() || !event.changes.conversations.is_empty())
        && pacer.count_now(urgent, now)
    {
        event.unread_conversations = count(snapshot.store.unread_conversations().await);
    }
    if event.resync || batch.notifications_read || !event.changes.notifications.is_empty() {
        event.unread_notifications = count(snapshot.store.unread_notifications().await);
    }
    event
}

/// A count for the UI; a read error is logged and the count left out (unchanged).
fn count(counted: Result<i64, sellerdesk_core::store::StoreError>) -> Option<i64> {
    counted
        .inspect_err(|e| tracing::warn!(code = e.code(), "cannot count unread: {e}"))
        .ok()
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
    use crate::navigation::Navigator;
    use crate::subscribers::tests::recording_channel;
    use crate::ui_event::tests::received;
    use sellerdesk_core::navigation::Target;
    use std::sync::Mutex;

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

    /// A bridge and what it talks to.
    struct Rig {
        bridge: Bridge,
        seen: Arc<Mutex<Vec<UiEvent>>>,
        store: Store,
        focus: SharedFocus,
        navigator: Navigator,
        subscribers: Subscribers,
        badge: Arc<crate::badge::tests::RecordingBadge>,
    }

    impl Rig {
        fn seen(&self) -> Vec<UiEvent> {
            self.seen.lock().expect("lock").clone()
        }

        /// Waits (bounded) until `n` batches went out.
        async fn batches(&self, n: usize) -> Vec<UiEvent> {
            for _ in 0..500 {
                let seen = self.seen();
                if seen.len() >= n {
                    return seen;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            panic!("fewer than {n} batches: {:?}", self.seen());
        }

        /// Waits (bounded) for the first batch from the `from`-th on that carries the count of
        /// unread conversations (the count may be paced), and says which it was.
        async fn counted_from(&self, from: usize) -> (usize, UiEvent) {
            for _ in 0..500 {
                let seen = self.seen();
                let found = seen
                    .iter()
                    .enumerate()
                    .skip(from)
                    .find(|(_, e)| e.unread_conversations.is_some());
                if let Some((i, event)) = found {
                    return (i, event.clone());
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            panic!("no count from batch {from} on: {:?}", self.seen());
        }
    }

    /// A bridge over `rx` whose one window's batches are collected (Connecting, no latency).
    async fn rig(rx: broadcast::Receiver<EngineEvent>) -> Rig {
        rig_with(rx, true).await
    }

    async fn rig_with(rx: broadcast::Receiver<EngineEvent>, subscribed: bool) -> Rig {
        let store = Store::open_in_memory().await.expect("store");
        let (_state_tx, state) = watch::channel(ConnectionState::Connecting);
        let (_latency_tx, latency) = watch::channel(None);
        let subscribers = Subscribers::default();
        let (channel, seen) = recording_channel();
        if subscribed {
            subscribers.replace("main", channel);
        }
        let snapshot = Snapshot {
            state,
            latency,
            store: store.clone(),
        };
        let focus = SharedFocus::default();
        let navigator = Navigator::new(subscribers.clone());
        let badge = Arc::new(crate::badge::tests::RecordingBadge::default());
        let surroundings = Surroundings {
            focus: focus.clone(),
            navigator: navigator.clone(),
            badge: Some(badge.clone()),
        };
        Rig {
            bridge: Bridge::start(rx, snapshot, subscribers.clone(), surroundings),
            subscribers,
            seen,
            store,
            focus,
            navigator,
            badge,
        }
    }

    #[tokio::test]
    async fn coalesces_a_burst_and_resyncs_first() {
        let (events, rx) = broadcast::channel(1024);
        let rig = rig(rx).await;
        // Let the first (resync) batch go out.
        rig.batches(1).await;
        for i in 0..200 {
            let id = format!("c{}", i % 5);
            events.send(received(&[id.as_str()], &[])).expect("send");
        }
        // Put off by the resync, then sent by itself.
        let (counted, late) = rig.counted_from(1).await;
        assert_eq!(late.unread_conversations, Some(0));
        assert!(late.changes.conversations.is_empty(), "{late:?}");
        drop(events);
        rig.bridge.stop().await;
        let seen = rig.seen.lock().expect("lock").clone();
        assert!(seen[0].resync, "first batch resyncs: {seen:?}");
        assert_eq!(seen[0].state, Some(ConnectionState::Connecting));
        assert_eq!(seen[0].outbox_pending, Some(0));
        assert_eq!(
            seen[0].unread_conversations, None,
            "a resync's count of unread conversations comes after it"
        );
        assert_eq!(seen[0].unread_notifications, Some(0));
        let burst = &seen[1..counted];
        assert!(
            !burst.is_empty() && burst.len() <= 3,
            "200 events within a window or two: {} batches",
            burst.len()
        );
        assert!(
            burst.iter().all(|b| b.unread_conversations.is_none()),
            "a count within a second of the last is put off"
        );
        let mut ids: Vec<String> = burst
            .iter()
            .flat_map(|b| b.changes.conversations.clone())
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids, ["c0", "c1", "c2", "c3", "c4"]);
        let mut notifications: Vec<String> = burst
            .iter()
            .flat_map(|b| b.changes.notifications.clone())
            .collect();
        notifications.sort();
        notifications.dedup();
        assert_eq!(notifications, ["n-c0", "n-c1", "n-c2", "n-c3", "n-c4"]);
    }

    #[tokio::test]
    async fn a_lagging_bridge_asks_for_a_resync() {
        let (events, rx) = broadcast::channel(4);
        // Overflow the buffer before the bridge reads anything.
        for _ in 0..10 {
            events.send(received(&["c1"], &[])).expect("send");
        }
        let rig = rig(rx).await;
        rig.batches(1).await;
        // The engine is gone: the bridge ends by itself.
        drop(events);
        rig.bridge.stop().await;
        let seen = rig.seen.lock().expect("lock").clone();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert!(seen[0].resync);
        assert_eq!(
            seen[0].changes.conversations,
            ["c1"],
            "the kept events still count"
        );
    }

    /// A buyer's message sent at `minute` past 06:00.
    fn chat(id: &str, conversation: &str, sender: &str, minute: u32) -> ServerEvent {
        let at = format!("2026-11-26T06:{minute:02}:00.000Z");
        ServerEvent::decode(
            "chat.message",
            &[serde_json::json!({"id": id, "conversationId": conversation,
                "sender": {"id": sender, "name": sender}, "content": "hello",
                "attachments": [], "timestamp": at, "status": "sent"})],
        )
        .expect("valid event")
    }

    /// Caches `events` as the engine would, and announces them.
    async fn arrive(rig: &Rig, events: &broadcast::Sender<EngineEvent>, batch: Vec<ServerEvent>) {
        let report = rig
            .store
            .apply(&batch, sellerdesk_core::protocol::Timestamp::now())
            .await
            .expect("apply");
        events
            .send(EngineEvent::Received {
                events: Arc::new(batch),
                changes: (&report).into(),
            })
            .expect("send");
    }

    #[tokio::test]
    async fn a_message_in_the_open_focused_conversation_is_read_before_the_counts() {
        let (events, rx) = broadcast::channel(64);
        let rig = rig(rx).await;
        rig.batches(1).await;
        rig.focus.set_window_focused(true);
        rig.focus.set_open_conversation(Some("c1".into()));
        arrive(
            &rig,
            &events,
            vec![chat("m1", "c1", "b1", 1), chat("m2", "c2", "b2", 2)],
        )
        .await;
        let seen = rig.batches(2).await;
        assert_eq!(seen[1].changes.conversations, ["c1", "c2"]);
        let (_, batch) = rig.counted_from(1).await;
        assert_eq!(
            batch.unread_conversations,
            Some(1),
            "only c2 is unread: the open one was read by the backend"
        );
        assert_eq!(rig.store.unread_conversations().await.expect("count"), 1);
        let unread = |id: &str| {
            let store = rig.store.clone();
            let id = id.to_owned();
            async move {
                store
                    .conversations_page(sellerdesk_core::store::PageRequest::new(10, 0))
                    .await
                    .expect("page")
                    .into_iter()
                    .find(|c| c.id == id)
                    .map(|c| c.unread_count)
            }
        };
        assert_eq!(unread("c1").await, Some(0));
        assert_eq!(
            *rig.badge.0.lock().expect("lock"),
            [1],
            "the badge follows (the resync's own count was put off and covered by this one)"
        );

        // Not focused: the seller is not looking, the message stays unread.
        rig.focus.set_window_focused(false);
        let from = rig.seen().len();
        arrive(&rig, &events, vec![chat("m3", "c1", "b1", 3)]).await;
        let (_, batch) = rig.counted_from(from).await;
        assert_eq!(batch.unread_conversations, Some(2));
        assert_ne!(unread("c1").await, Some(0));
        drop(events);
        rig.bridge.stop().await;
    }

    #[tokio::test]
    async fn a_read_mark_of_a_command_brings_the_new_counts() {
        let (events, rx) = broadcast::channel(64);
        let rig = rig(rx).await;
        rig.batches(1).await;
        arrive(&rig, &events, vec![chat("m1", "c1", "b1", 1)]).await;
        let (counted, batch) = rig.counted_from(1).await;
        assert_eq!(batch.unread_conversations, Some(1));
        assert_eq!(batch.unread_notifications, None, "no notification changed");

        // The seller's own read mark is counted at once, however recent the last count.
        rig.store.mark_conversation_read("c1").await.expect("mark");
        rig.bridge.note(LocalChange::ConversationRead("c1".into()));
        let seen = rig.batches(counted + 2).await;
        let marked = &seen[counted + 1];
        assert_eq!(marked.changes.conversations, ["c1"]);
        assert_eq!(marked.unread_conversations, Some(0));
        assert_eq!(marked.unread_notifications, None);

        rig.bridge.note(LocalChange::AllNotificationsRead);
        let seen = rig.batches(counted + 3).await;
        let all_read = &seen[counted + 2];
        assert_eq!(all_read.unread_notifications, Some(0));
        assert_eq!(all_read.unread_conversations, None);
        assert!(all_read.changes.conversations.is_empty());
        drop(events);
        rig.bridge.stop().await;
    }

    #[tokio::test]
    async fn the_first_resync_after_a_window_subscribed_carries_the_waiting_navigation() {
        let (events, rx) = broadcast::channel(64);
        let rig = rig_with(rx, false).await;
        rig.navigator.open(Target::Order("o1".into()));
        // The session's own first resync goes to nobody: the navigation keeps waiting.
        tokio::time::sleep(WINDOW * 4).await;
        assert!(rig.seen().is_empty());
        // The badge is set all the same, once the count put off by the resync comes due.
        let deadline = Instant::now() + crate::count_pacer::GAP * 5;
        while rig.badge.0.lock().expect("lock").is_empty() && Instant::now() < deadline {
            tokio::time::sleep(WINDOW).await;
        }
        assert_eq!(rig.badge.0.lock().expect("lock").as_slice(), [0]);
        assert!(rig.seen().is_empty(), "the count went to nobody either");
        let (channel, seen) = recording_channel();
        rig.subscribers.replace("main", channel);
        rig.bridge.resync();
        let rig = Rig { seen, ..rig };
        let seen = rig.batches(1).await;
        assert!(seen[0].resync);
        assert_eq!(seen[0].navigate, Some(Target::Order("o1".into())));
        assert_eq!(rig.navigator.take_pending(), None, "handed over once");
        drop(events);
        rig.bridge.stop().await;
    }
}
