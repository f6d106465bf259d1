//! Bursts become one notice; replays after a (re)connect become one "while you were away".

use super::classify::{Alert, AlertKind};
use crate::navigation::Target;
use sellerdesk_protocol::Timestamp;
use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

/// Alerts arriving within this of the first one of a burst share one notice.
pub const BURST_WINDOW: Duration = Duration::from_secs(2);
/// After a (re)connect, what arrives this soon is the server catching the cache up.
pub const REPLAY_WINDOW: Duration = Duration::from_secs(3);
/// However long a catch-up goes on, its "while you were away" is shown this long after it
/// began at the latest (a server that keeps replaying gets one summary per this long).
pub const REPLAY_DEADLINE: Duration = Duration::from_secs(30);
/// An event this much older than the connection is a replay whenever it arrives.
const REPLAY_AGE_MS: i64 = 60_000;
/// How many alert keys are remembered to tell a repeat from news.
const SEEN_KEYS: usize = 10_000;
/// How many distinct buyers a summary tells apart; past it, it says this many.
const MAX_SENDERS: usize = 10_000;

/// One native notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
    pub target: Target,
    /// How many alerts it stands for.
    pub count: usize,
}

/// What a summary needs of the alerts it stands for: counts, never the alerts themselves (a
/// catch-up can be hundreds of thousands of them).
#[derive(Debug, Default)]
struct Tally {
    count: usize,
    /// By [`KINDS`] position.
    by_kind: [usize; KINDS.len()],
    senders: HashSet<String>,
    /// The first alert, as itself when it is the only one, and for its title and target.
    first: Option<Alert>,
    /// Every alert so far points where the first one does.
    one_target: bool,
    any_order: bool,
    all_messages: bool,
}

impl Tally {
    fn add(&mut self, alert: Alert) {
        self.count += 1;
        if let Some(i) = KINDS.iter().position(|(kind, _, _)| *kind == alert.kind) {
            self.by_kind[i] += 1;
        }
        if alert.kind == AlertKind::Message {
            if let Some(sender) = &alert.sender {
                if self.senders.len() < MAX_SENDERS && !self.senders.contains(sender) {
                    self.senders.insert(sender.clone());
                }
            }
        }
        let order = matches!(
            alert.kind,
            AlertKind::NewOrder | AlertKind::Payment | AlertKind::OrderStatus | AlertKind::Shipping
        );
        self.any_order |= order;
        match &self.first {
            None => {
                self.one_target = true;
                self.all_messages = alert.kind == AlertKind::Message;
                self.first = Some(alert);
            }
            Some(first) => {
                self.one_target &= first.target == alert.target;
                self.all_messages &= alert.kind == AlertKind::Message;
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn count_of(&self, kind: AlertKind) -> usize {
        KINDS
            .iter()
            .position(|(k, _, _)| *k == kind)
            .map_or(0, |i| self.by_kind[i])
    }

    /// One alert as itself; several as counts ("3 new orders, 12 messages from 4 buyers").
    fn notice(&self) -> Option<Notice> {
        let first = self.first.as_ref()?;
        if self.count == 1 {
            return Some(Notice {
                title: first.title.clone(),
                body: first.body.clone(),
                target: first.target.clone(),
                count: 1,
            });
        }
        let title = if self.all_messages && self.senders.len() == 1 {
            first.title.clone()
        } else {
            format!("{} updates", self.count)
        };
        Some(Notice {
            title,
            body: self.counts(),
            target: self.common_target(),
            count: self.count,
        })
    }

    /// Where a click on a summary goes: the one place they all point at, or the list they share.
    fn common_target(&self) -> Target {
        match &self.first {
            Some(first) if self.one_target => first.target.clone(),
            _ if self.any_order => Target::Orders,
            _ if self.all_messages => Target::Inbox,
            _ => Target::Notifications,
        }
    }

    /// Money first, then messages, then the rest.
    fn counts(&self) -> String {
        let parts: Vec<String> = KINDS
            .iter()
            .filter_map(|&(kind, one, many)| {
                let n = self.count_of(kind);
                (n > 0).then(|| match kind {
                    AlertKind::Message => format!(
                        "{} from {}",
                        plural(n, one, many),
                        plural(self.senders.len(), "buyer", "buyers")
                    ),
                    _ => plural(n, one, many),
                })
            })
            .collect();
        parts.join(", ")
    }
}

#[derive(Debug, Default)]
pub struct Coalescer {
    burst: Tally,
    burst_ends: Option<Instant>,
    replayed: Tally,
    replay_until: Option<Instant>,
    /// When the catch-up being summed up began: its summary is due by [`REPLAY_DEADLINE`].
    replay_began: Option<Instant>,
    connected_at: Option<Timestamp>,
    seen: HashSet<String>,
    seen_order: VecDeque<String>,
}

impl Coalescer {
    pub fn new() -> Self {
        Self::default()
    }

    /// A connection was (re)established: the server's catch-up that follows is replay.
    pub fn connected(&mut self, now: Instant, wall: Timestamp) {
        self.replay_until = Some(now + REPLAY_WINDOW);
        self.replay_began.get_or_insert(now);
        self.connected_at = Some(wall);
    }

    /// Whether this is the first time the alert's fact is told (a replayed event is not news).
    pub fn first_time(&mut self, alert: &Alert) -> bool {
        if self.seen.contains(&alert.key) {
            return false;
        }
        if self.seen_order.len() == SEEN_KEYS {
            if let Some(oldest) = self.seen_order.pop_front() {
                self.seen.remove(&oldest);
            }
        }
        self.seen.insert(alert.key.clone());
        self.seen_order.push_back(alert.key.clone());
        true
    }

    /// An alert the policy let through.
    pub fn push(&mut self, alert: Alert, now: Instant) {
        let catching_up = self.replay_until.is_some_and(|until| now < until);
        let old = self
            .connected_at
            .is_some_and(|at| alert.at.millis() < at.millis() - REPLAY_AGE_MS);
        if catching_up || old {
            // A long catch-up keeps the summary waiting until it has been quiet for a moment,
            // but never past its deadline.
            let began = *self.replay_began.get_or_insert(now);
            let quiet_from = now + BURST_WINDOW;
            let until = self
                .replay_until
                .map_or(quiet_from, |u| u.max(quiet_from))
                .min(began + REPLAY_DEADLINE);
            self.replay_until = Some(until);
            self.replayed.add(alert);
        } else {
            self.burst_ends.get_or_insert(now + BURST_WINDOW);
            self.burst.add(alert);
        }
    }

    /// When [`Coalescer::flush`] has something to give.
    pub fn next_deadline(&self) -> Option<Instant> {
        let replay = (!self.replayed.is_empty())
            .then_some(self.replay_until)
            .flatten();
        match (self.burst_ends, replay) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The notices whose window has closed by `now`.
    pub fn flush(&mut self, now: Instant) -> Vec<Notice> {
        let mut out = Vec::new();
        if self.replay_until.is_some_and(|until| now >= until) {
            self.replay_began = None;
            let replayed = std::mem::take(&mut self.replayed);
            if !replayed.is_empty() {
                // Counted even when it is one alert: the seller was away from all of it.
                out.push(Notice {
                    title: "While you were away".to_owned(),
                    body: replayed.counts(),
                    target: replayed.common_target(),
                    count: replayed.count,
                });
            }
        }
        if self.burst_ends.is_some_and(|end| now >= end) {
            self.burst_ends = None;
            if let Some(notice) = std::mem::take(&mut self.burst).notice() {
                out.push(notice);
            }
        }
        out
    }
}

/// One alert as itself; several as counts ("3 new orders, 12 messages from 4 buyers").
pub fn summarize(alerts: &[Alert]) -> Notice {
    let mut tally = Tally::default();
    for alert in alerts {
        tally.add(alert.clone());
    }
    tally.notice().unwrap_or_else(|| Notice {
        title: "0 updates".to_owned(),
        body: String::new(),
        target: Target::Notifications,
        count: 0,
    })
}

/// The kinds a summary counts, in the order it tells them: money first, then messages.
const KINDS: [(AlertKind, &str, &str); 7] = [
    (AlertKind::NewOrder, "new order", "new orders"),
    (AlertKind::Payment, "payment", "payments"),
    (AlertKind::OrderStatus, "order update", "order updates"),
    (AlertKind::Shipping, "delivery update", "delivery updates"),
    (AlertKind::Message, "message", "messages"),
    (AlertKind::UserNotification, "notification", "notifications"),
    (
        AlertKind::SystemNotification,
        "marketplace alert",
        "marketplace alerts",
    ),
];

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
