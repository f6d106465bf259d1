//! Typing and presence are states, not history: of several for the same user (and conversation)
//! only the latest matters, so a flood of them is folded into one event per key wherever events
//! wait (the session's batch for the writer, the writer's transaction). Nothing that is cached
//! or shown as history is folded.

use sellerdesk_protocol::ServerEvent;
use std::collections::HashMap;

/// The most distinct typing indicators one batch keeps; past it, new ones are dropped (a
/// typing indicator is a transient hint that the next one, or its timeout in the UI, replaces).
pub const MAX_TYPING_KEYS: usize = 1024;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Typing { user: String, conversation: String },
    Presence(String),
    Activity(String),
}

fn key_of(event: &ServerEvent) -> Option<Key> {
    match event {
        ServerEvent::PresenceTyping(t) => Some(Key::Typing {
            user: t.user_id.clone(),
            conversation: t.conversation_id.clone(),
        }),
        ServerEvent::PresenceUpdate(p) => Some(Key::Presence(p.user_id.clone())),
        ServerEvent::PresenceActivity(a) => Some(Key::Activity(a.user_id.clone())),
        _ => None,
    }
}

/// Events in arrival order, where a typing or presence event replaces the earlier one for its
/// key in place.
#[derive(Debug, Default)]
pub(crate) struct Folded {
    events: Vec<ServerEvent>,
    /// Each event's estimated size, beside it.
    sizes: Vec<usize>,
    bytes: usize,
    slots: HashMap<Key, usize>,
    typing_keys: usize,
}

impl Folded {
    /// Adds an event of about `bytes`; returns whether it was folded into (or dropped in
    /// favour of) one held.
    pub fn push(&mut self, event: ServerEvent, bytes: usize) -> bool {
        let Some(key) = key_of(&event) else {
            self.append(event, bytes);
            return false;
        };
        if let Some(&slot) = self.slots.get(&key) {
            self.bytes = self.bytes - self.sizes[slot] + bytes;
            self.sizes[slot] = bytes;
            let earlier = std::mem::replace(&mut self.events[slot], event);
            // An update without `lastSeen` keeps the one known (the cache does the same).
            if let (ServerEvent::PresenceUpdate(later), ServerEvent::PresenceUpdate(earlier)) =
                (&mut self.events[slot], earlier)
            {
                if later.last_seen.is_none() {
                    later.last_seen = earlier.last_seen;
                }
            }
            return true;
        }
        if matches!(key, Key::Typing { .. }) {
            if self.typing_keys >= MAX_TYPING_KEYS {
                return true;
            }
            self.typing_keys += 1;
        }
        self.slots.insert(key, self.events.len());
        self.append(event, bytes);
        false
    }

    fn append(&mut self, event: ServerEvent, bytes: usize) {
        self.events.push(event);
        self.sizes.push(bytes);
        self.bytes += bytes;
    }

    /// The estimated bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The events with their sizes, and a fresh start.
    pub fn take(&mut self) -> (Vec<ServerEvent>, Vec<usize>) {
        self.slots.clear();
        self.typing_keys = 0;
        self.bytes = 0;
        (
            std::mem::take(&mut self.events),
            std::mem::take(&mut self.sizes),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(name: &str, data: serde_json::Value) -> ServerEvent {
        ServerEvent::decode(name, &[data]).expect("valid event")
    }

    fn typing(user: &str, conversation: &str, on: bool) -> ServerEvent {
        event(
            "presence.typing",
            json!({"userId": user, "conversationId": conversation, "isTyping": on,
                   "timestamp": 1_795_000_000_000_i64}),
        )
    }

    #[test]
    fn a_typing_flood_folds_to_the_latest_per_user_and_conversation() {
        let mut folded = Folded::default();
        let mut merged = 0;
        for i in 0..100_000 {
            merged +=
                usize::from(folded.push(typing(&format!("b{}", i % 4), "c1", i % 2 == 0), 100));
        }
        assert_eq!(folded.len(), 4);
        assert_eq!(merged, 100_000 - 4);
        assert_eq!(
            folded.bytes(),
            400,
            "a folded event's size replaces the earlier one's"
        );
        let (kept, _) = folded.take();
        // b3 typed last at i = 99_999 (odd: stopped).
        assert!(kept
            .iter()
            .any(|e| matches!(e, ServerEvent::PresenceTyping(t)
            if t.user_id == "b3" && !t.is_typing)));
        assert!(folded.is_empty());
    }

    #[test]
    fn messages_are_never_folded_and_keep_their_order() {
        let message = |id: &str| {
            event(
                "chat.message",
                json!({"id": id, "conversationId": "c1", "sender": {"id": "b", "name": "B"},
                       "content": "hi", "timestamp": 1, "status": "sent"}),
            )
        };
        let mut folded = Folded::default();
        folded.push(message("m1"), 100);
        folded.push(typing("b", "c1", true), 100);
        folded.push(message("m1"), 100);
        folded.push(typing("b", "c1", false), 100);
        let names: Vec<&str> = folded.events.iter().map(ServerEvent::name).collect();
        assert_eq!(names, ["chat.message", "presence.typing", "chat.message"]);
    }

    #[test]
    fn presence_keeps_the_latest_status_and_the_last_seen_it_knew() {
        let mut folded = Folded::default();
        folded.push(
            event(
                "presence.update",
                json!({"userId": "b", "status": "away", "lastSeen": 5}),
            ),
            100,
        );
        folded.push(
            event(
                "presence.update",
                json!({"userId": "b", "status": "online"}),
            ),
            100,
        );
        let (kept, _) = folded.take();
        let [ServerEvent::PresenceUpdate(p)] = kept.as_slice() else {
            panic!("one update: {kept:?}");
        };
        assert_eq!(p.status.as_str(), "online");
        assert_eq!(p.last_seen.map(|t| t.millis()), Some(5));
    }

    #[test]
    fn distinct_typing_keys_are_capped() {
        let mut folded = Folded::default();
        for i in 0..MAX_TYPING_KEYS + 10 {
            folded.push(typing(&format!("b{i}"), "c", true), 100);
        }
        assert_eq!(folded.len(), MAX_TYPING_KEYS);
    }
}
