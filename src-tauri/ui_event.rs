//! What the UI receives on its channel: one coalesced batch of engine events (what changed, by
//! id, and the counts after it), or a navigation.

use sellerdesk_core::engine::{
    CacheChanges, ConnectionState, EngineEvent, Problem, MAX_TYPING_KEYS,
};
use sellerdesk_core::navigation::Target;
use sellerdesk_core::protocol::{PresenceTyping, ServerEvent};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use ts_rs::TS;

/// One coalesced batch of engine events, or a navigation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UiEvent {
    /// The latest connection state, if it changed.
    pub state: Option<ConnectionState>,
    /// Everything the batch changed in the cache, by id (deduplicated).
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
    /// A view to open (a notification click, a `sellerdesk://` link, the tray).
    pub navigate: Option<Target>,
    /// A link named an order or conversation the cache does not have: its kind (`"order"`,
    /// `"conversation"`), never the id.
    pub link_not_found: Option<String>,
    /// Conversations with unread buyer messages after this batch; sent when it may have
    /// changed (and in a batch of its own soon after every resync), `null` otherwise.
    #[ts(type = "number | null")]
    pub unread_conversations: Option<i64>,
    /// Unread notifications after this batch; sent when it may have changed (and in every
    /// resync), `null` otherwise.
    #[ts(type = "number | null")]
    pub unread_notifications: Option<i64>,
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
                union(&mut self.changes.notifications, changes.notifications);
                union(&mut self.changes.outbox, changes.outbox);
            }
            EngineEvent::Outbox {
                pending,
                conversations,
            } => {
                self.outbox_pending = Some(pending);
                union(&mut self.changes.outbox, conversations);
            }
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
pub(crate) fn union(into: &mut Vec<String>, ids: Vec<String>) {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Arc;

    pub(crate) fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    pub(crate) fn received(conversations: &[&str], orders: &[&str]) -> EngineEvent {
        EngineEvent::Received {
            events: Default::default(),
            changes: CacheChanges {
                conversations: ids(conversations),
                orders: ids(orders),
                notifications: conversations.iter().map(|c| format!("n-{c}")).collect(),
                ..CacheChanges::default()
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
        batch.merge(EngineEvent::Outbox {
            pending: 3,
            conversations: ids(&["c9"]),
        });
        batch.merge(received(&["c2", "c3"], &[]));
        batch.merge(EngineEvent::Problem {
            problem: Problem::new("RATE_LIMIT", "slow down"),
        });
        batch.merge(EngineEvent::Outbox {
            pending: 1,
            conversations: ids(&["c1", "c9"]),
        });
        batch.merge(EngineEvent::State {
            state: ConnectionState::Stopped,
        });
        assert_eq!(batch.state, Some(ConnectionState::Stopped));
        assert_eq!(batch.changes.conversations, ["c1", "c2", "c3"]);
        assert_eq!(batch.changes.orders, ["o1"]);
        assert_eq!(batch.changes.notifications, ["n-c1", "n-c2", "n-c3"]);
        assert_eq!(
            batch.changes.outbox,
            ["c9", "c1"],
            "whose outgoing messages changed"
        );
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
}
