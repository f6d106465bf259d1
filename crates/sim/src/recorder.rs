//! What clients sent, kept for tests and for the log.

use sellerdesk_protocol::Timestamp;
use serde_json::Value;
use std::sync::{Mutex, PoisonError};

/// One event a client sent.
#[derive(Clone, Debug, PartialEq)]
pub struct ReceivedEvent {
    /// Socket.IO id of the sender.
    pub socket_id: String,
    /// Event name as sent.
    pub event: String,
    /// The Socket.IO arguments (empty for an event sent without one).
    pub args: Vec<Value>,
    /// When the simulator received it.
    pub at: Timestamp,
    /// How the simulator judged it.
    pub outcome: Outcome,
}

/// How a received event was handled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    /// Answered with an `error` `INVALID_PAYLOAD`; the reason is the one sent.
    Invalid(String),
    /// Not an event of the API: logged and ignored.
    Unknown,
}

/// Counters over everything received since the start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Sockets that passed authentication.
    pub connections: usize,
    /// Handshakes refused with `AUTH_FAILED`.
    pub auth_failures: usize,
    pub pongs: usize,
    pub health_checks: usize,
    /// `chat.send` events accepted.
    pub chat_sends: usize,
    /// `chat.batch` events accepted.
    pub chat_batches: usize,
    /// Messages inside accepted `chat.batch` events.
    pub batch_items: usize,
    /// Size of each accepted `chat.batch`, in arrival order.
    pub batch_sizes: Vec<usize>,
    pub invalid_payloads: usize,
    pub unknown_events: usize,
}

#[derive(Debug, Default)]
pub struct Recorder {
    events: Mutex<Vec<ReceivedEvent>>,
    stats: Mutex<Stats>,
}

impl Recorder {
    pub fn received(&self) -> Vec<ReceivedEvent> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn stats(&self) -> Stats {
        self.stats
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn record(&self, event: ReceivedEvent) {
        self.update(|stats| match (&event.outcome, event.event.as_str()) {
            (Outcome::Invalid(_), _) => stats.invalid_payloads += 1,
            (Outcome::Unknown, _) => stats.unknown_events += 1,
            (Outcome::Accepted, "pong") => stats.pongs += 1,
            (Outcome::Accepted, "health.check") => stats.health_checks += 1,
            (Outcome::Accepted, "chat.send") => stats.chat_sends += 1,
            (Outcome::Accepted, "chat.batch") => {
                let size = event
                    .args
                    .first()
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                stats.chat_batches += 1;
                stats.batch_items += size;
                stats.batch_sizes.push(size);
            }
            (Outcome::Accepted, _) => {}
        });
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event);
    }

    pub(crate) fn update(&self, change: impl FnOnce(&mut Stats)) {
        change(&mut self.stats.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(name: &str, args: Vec<Value>, outcome: Outcome) -> ReceivedEvent {
        ReceivedEvent {
            socket_id: "s".into(),
            event: name.into(),
            args,
            at: Timestamp::now(),
            outcome,
        }
    }

    #[test]
    fn counts_by_kind() {
        let recorder = Recorder::default();
        recorder.record(event(
            "pong",
            vec![json!({"timestamp": 1})],
            Outcome::Accepted,
        ));
        recorder.record(event("health.check", vec![], Outcome::Accepted));
        recorder.record(event(
            "chat.batch",
            vec![json!([{}, {}, {}])],
            Outcome::Accepted,
        ));
        recorder.record(event("chat.send", vec![], Outcome::Invalid("x".into())));
        recorder.record(event("typing", vec![], Outcome::Unknown));
        let stats = recorder.stats();
        assert_eq!(stats.pongs, 1);
        assert_eq!(stats.health_checks, 1);
        assert_eq!(stats.batch_sizes, vec![3]);
        assert_eq!(stats.batch_items, 3);
        assert_eq!(stats.invalid_payloads, 1);
        assert_eq!(stats.unknown_events, 1);
        assert_eq!(recorder.received().len(), 5);
    }
}
