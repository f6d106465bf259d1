//! How often the bridge counts unread conversations. On a big cache the count reads every
//! conversation (about 0.5 s for 100,000 conversations and 1,000,000 messages on the 2-core test
//! machine), so a flood that touches conversations in every batch must not pay it ~60 times a
//! second. The first change after a quiet spell is counted at once, later ones at most once per
//! [`GAP`], and a count that was put off goes out by itself when its turn comes.

use std::time::Duration;
use tokio::time::Instant;

/// The least time between two counts while changes keep coming.
pub const GAP: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub struct CountPacer {
    last: Option<Instant>,
    owed: bool,
}

impl CountPacer {
    /// Whether to count now, for a batch that may have changed the count. `urgent` (a resync,
    /// the seller's own read mark) counts at once; otherwise a count within [`GAP`] of the last
    /// is owed and [`CountPacer::due`] says when.
    pub fn count_now(&mut self, urgent: bool, now: Instant) -> bool {
        let free = self.last.is_none_or(|last| now >= last + GAP);
        if urgent || free {
            self.last = Some(now);
            self.owed = false;
            true
        } else {
            self.owed = true;
            false
        }
    }

    /// Owes a count that goes out [`GAP`] from `now` (or sooner, with an urgent one).
    pub fn put_off(&mut self, now: Instant) {
        self.last = Some(now);
        self.owed = true;
    }

    /// A count was put off.
    pub fn owed(&self) -> bool {
        self.owed
    }

    /// When the count that was put off may go out.
    pub fn due(&self) -> Option<Instant> {
        match (self.owed, self.last) {
            (true, Some(last)) => Some(last + GAP),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_is_counted_once_per_gap_and_the_last_change_is_not_lost() {
        let t0 = Instant::now();
        let mut pacer = CountPacer::default();
        assert!(
            pacer.count_now(false, t0),
            "the first change counts at once"
        );
        assert_eq!(pacer.due(), None);
        // A batch every frame for the next second: none counted, one owed.
        let frame = Duration::from_millis(16);
        for i in 1..60 {
            assert!(!pacer.count_now(false, t0 + frame * i));
        }
        assert!(pacer.owed());
        assert_eq!(pacer.due(), Some(t0 + GAP));
        // Its turn: counted, nothing owed any more.
        assert!(pacer.count_now(false, t0 + GAP));
        assert!(!pacer.owed());
        assert_eq!(pacer.due(), None);
    }

    #[test]
    fn a_count_put_off_is_due_a_gap_later_and_changes_meanwhile_wait_for_it() {
        let t0 = Instant::now();
        let mut pacer = CountPacer::default();
        pacer.put_off(t0);
        assert_eq!(pacer.due(), Some(t0 + GAP));
        assert!(!pacer.count_now(false, t0 + Duration::from_millis(500)));
        assert_eq!(pacer.due(), Some(t0 + GAP));
        assert!(pacer.count_now(false, t0 + GAP));
        assert_eq!(pacer.due(), None);
    }

    #[test]
    fn urgent_counts_go_at_once_and_settle_what_was_owed() {
        let t0 = Instant::now();
        let mut pacer = CountPacer::default();
        assert!(pacer.count_now(false, t0));
        assert!(!pacer.count_now(false, t0 + Duration::from_millis(100)));
        assert!(pacer.count_now(true, t0 + Duration::from_millis(200)));
        assert!(!pacer.owed(), "the urgent count covered it");
        assert_eq!(pacer.due(), None);
    }
}
