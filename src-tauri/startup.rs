//! Start-up timing: how long from launch until the seller sees the first conversations. The UI
//! reports its first painted list; the figure goes to the log once per launch.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

pub struct StartupClock {
    launched: Instant,
    reported: AtomicBool,
}

impl StartupClock {
    pub fn start() -> Self {
        Self {
            launched: Instant::now(),
            reported: AtomicBool::new(false),
        }
    }

    /// Logs the first paint; later calls (a reload of the UI) are ignored.
    pub fn first_paint(&self, conversations: u32) {
        if self.reported.swap(true, Ordering::SeqCst) {
            return;
        }
        let ms = self.launched.elapsed().as_secs_f64() * 1000.0;
        tracing::info!(target: "sellerdesk_app::startup", conversations, "first paint {ms:.0} ms after launch");
    }
}
