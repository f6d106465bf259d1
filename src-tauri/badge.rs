//! The unread count outside the window (the tray, the launcher or dock badge): set by the
//! backend from the cache after each batch, never relayed by the UI.

use std::sync::Arc;

/// Where the number of conversations with unread messages is shown.
pub trait Badge: Send + Sync {
    fn show_unread(&self, conversations: i64);
}

/// Passes a count on only when it differs from the last one shown: on Linux each tray update
/// is a D-Bus round trip, and a flood brings a batch every frame.
pub struct BadgeFeed {
    badge: Option<Arc<dyn Badge>>,
    shown: Option<i64>,
}

impl BadgeFeed {
    pub fn new(badge: Option<Arc<dyn Badge>>) -> Self {
        Self { badge, shown: None }
    }

    pub fn update(&mut self, conversations: i64) {
        if self.shown == Some(conversations) {
            return;
        }
        self.shown = Some(conversations);
        if let Some(badge) = &self.badge {
            badge.show_unread(conversations);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A badge that records what it was asked to show.
    #[derive(Default)]
    pub struct RecordingBadge(pub Mutex<Vec<i64>>);

    impl Badge for RecordingBadge {
        fn show_unread(&self, conversations: i64) {
            self.0.lock().expect("lock").push(conversations);
        }
    }

    #[test]
    fn only_a_changed_count_reaches_the_badge() {
        let badge = Arc::new(RecordingBadge::default());
        let mut feed = BadgeFeed::new(Some(badge.clone()));
        for count in [3, 3, 3, 2, 2, 0, 0, 4] {
            feed.update(count);
        }
        assert_eq!(*badge.0.lock().expect("lock"), [3, 2, 0, 4]);
    }
}
