//! Bursts become one notice; replays after a (re)connect become one "while you were away".

use super::classify::{Alert, AlertKind, Target};
use sellerdesk_protocol::Timestamp;
use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

/// Alerts arriving within this of the first one of a burst share one notice.
pub const BURST_WINDOW: Duration = Duration::from_secs(2);
/// After a (re)connect, what arrives this soon is the server catching the cache up.
pub const REPLAY_WINDOW: Duration = Duration::from_secs(3);
/// An event this much older than the connection is a replay whenever it arrives.
const REPLAY_AGE_MS: i64 = 60_000;
/// How many alert keys are remembered to tell a repeat from news.
const SEEN_KEYS: usize = 10_000;

/// One native notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
    pub target: Target,
    /// How many alerts it stands for.
    pub count: usize,
}

#[derive(Debug, Default)]
pub struct Coalescer {
    burst: Vec<Alert>,
    burst_ends: Option<Instant>,
    replayed: Vec<Alert>,
    replay_until: Option<Instant>,
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
            // A long catch-up keeps the summary waiting until it has been quiet for a moment.
            let quiet_from = now + BURST_WINDOW;
            self.replay_until = Some(self.replay_until.map_or(quiet_from, |u| u.max(quiet_from)));
            self.replayed.push(alert);
        } else {
            self.burst_ends.get_or_insert(now + BURST_WINDOW);
            self.burst.push(alert);
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
        if self.replay_until.is_some_and(|until| now >= until) && !self.replayed.is_empty() {
            let replayed = std::mem::take(&mut self.replayed);
            // Counted even when it is one alert: the seller was away from all of it.
            out.push(Notice {
                title: "While you were away".to_owned(),
                body: counts(&replayed),
                target: common_target(&replayed),
                count: replayed.len(),
            });
        }
        if self.burst_ends.is_some_and(|end| now >= end) {
            self.burst_ends = None;
            let burst = std::mem::take(&mut self.burst);
            if !burst.is_empty() {
                out.push(summarize(&burst));
            }
        }
        out
    }
}

/// One alert as itself; several as counts ("3 new orders, 12 messages from 4 buyers").
pub fn summarize(alerts: &[Alert]) -> Notice {
    if let [one] = alerts {
        return Notice {
            title: one.title.clone(),
            body: one.body.clone(),
            target: one.target.clone(),
            count: 1,
        };
    }
    let title = if alerts.iter().all(|a| a.kind == AlertKind::Message) && senders(alerts).len() == 1
    {
        alerts[0].title.clone()
    } else {
        format!("{} updates", alerts.len())
    };
    Notice {
        title,
        body: counts(alerts),
        target: common_target(alerts),
        count: alerts.len(),
    }
}

fn count(alerts: &[Alert], kind: AlertKind) -> usize {
    alerts.iter().filter(|a| a.kind == kind).count()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Money first, then messages, then the rest.
fn counts(alerts: &[Alert]) -> String {
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
    let parts: Vec<String> = KINDS
        .iter()
        .filter_map(|&(kind, one, many)| {
            let n = count(alerts, kind);
            (n > 0).then(|| match kind {
                AlertKind::Message => format!(
                    "{} from {}",
                    plural(n, one, many),
                    plural(senders(alerts).len(), "buyer", "buyers")
                ),
                _ => plural(n, one, many),
            })
        })
        .collect();
    parts.join(", ")
}

/// The buyers who wrote the messages among `alerts`.
fn senders(alerts: &[Alert]) -> HashSet<&str> {
    alerts
        .iter()
        .filter(|a| a.kind == AlertKind::Message)
        .filter_map(|a| a.sender.as_deref())
        .collect()
}

/// Where a click on a summary goes: the one place they all point at, or the list they share.
fn common_target(alerts: &[Alert]) -> Target {
    let first = alerts.first().map(|a| a.target.clone());
    if let Some(first) = first {
        if alerts.iter().all(|a| a.target == first) {
            return first;
        }
    }
    let orders = alerts.iter().any(|a| {
        matches!(
            a.kind,
            AlertKind::NewOrder | AlertKind::Payment | AlertKind::OrderStatus | AlertKind::Shipping
        )
    });
    if orders {
        Target::Orders
    } else if alerts.iter().all(|a| a.kind == AlertKind::Message) {
        Target::Inbox
    } else {
        Target::Notifications
    }
}
