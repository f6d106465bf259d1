//! Where the app is asked to go (a notification click, a `sellerdesk://` link, the tray) reaches
//! the UI on the windows' event channel, like every other update. Asked before any window
//! subscribed (the launch's own link), the target waits and rides in the first batch after
//! `subscribe`.

use crate::subscribers::Subscribers;
use crate::ui_event::UiEvent;
use sellerdesk_core::navigation::Target;
use std::sync::{Arc, Mutex, PoisonError};

/// Sends navigation to the subscribed windows, or keeps the latest until one subscribes.
#[derive(Clone)]
pub struct Navigator {
    subscribers: Subscribers,
    /// Taken by the first batch after a window subscribes. The lock is held while deciding
    /// between sending and keeping, so a window subscribing at that moment cannot miss it.
    pending: Arc<Mutex<Option<Target>>>,
}

impl Navigator {
    pub fn new(subscribers: Subscribers) -> Self {
        Self {
            subscribers,
            pending: Arc::default(),
        }
    }

    /// Opens `target` in the subscribed windows now, or once one subscribes.
    pub fn open(&self, target: Target) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        if self.subscribers.is_empty() {
            *pending = Some(target);
            return;
        }
        self.subscribers.send(&UiEvent {
            navigate: Some(target),
            ..UiEvent::default()
        });
    }

    /// A link named an order or conversation the cache does not have: the UI says so. Only the
    /// kind goes out, never the id a web page chose. Nobody to tell: it is dropped (logged).
    pub fn link_not_found(&self, kind: &str) {
        if self.subscribers.is_empty() {
            tracing::info!(
                kind,
                "a link named something unknown before the window subscribed"
            );
            return;
        }
        self.subscribers.send(&UiEvent {
            link_not_found: Some(kind.to_owned()),
            ..UiEvent::default()
        });
    }

    /// The target waiting for the first batch after a window subscribed.
    pub fn take_pending(&self) -> Option<Target> {
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subscribers::tests::recording_channel;

    #[test]
    fn a_navigation_before_any_window_waits_then_goes_at_once() {
        let subscribers = Subscribers::default();
        let navigator = Navigator::new(subscribers.clone());
        navigator.open(Target::Order("o1".into()));
        navigator.open(Target::Conversation("c1".into()));
        navigator.link_not_found("order");
        let (channel, seen) = recording_channel();
        subscribers.replace("main", channel);
        assert!(
            seen.lock().expect("lock").is_empty(),
            "nothing sent to nobody"
        );
        assert_eq!(
            navigator.take_pending(),
            Some(Target::Conversation("c1".into())),
            "the latest waits"
        );
        assert_eq!(navigator.take_pending(), None, "handed over once");

        navigator.open(Target::Inbox);
        navigator.link_not_found("conversation");
        assert_eq!(navigator.take_pending(), None, "sent, not kept");
        let seen = seen.lock().expect("lock").clone();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(seen[0].navigate, Some(Target::Inbox));
        assert_eq!(seen[1].link_not_found.as_deref(), Some("conversation"));
        assert_eq!(seen[1].navigate, None);
    }
}
