//! Native notifications: the core's notices shown through tauri-plugin-notification, and a
//! click on one brings the window up on what it is about (the plugin reports clicks on Linux
//! through the notification server's `ActionInvoked` signal, on Windows while the toast is on
//! screen, and on macOS; see docs/notifications.md).

use crate::navigation::Navigator;
use sellerdesk_core::alerts::{Notice, NoticeSink};
use sellerdesk_core::navigation::Target;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;

/// How many shown notifications are remembered for their clicks.
const REMEMBERED: usize = 200;

pub struct DesktopNotices<R: Runtime> {
    app: AppHandle<R>,
    /// Where a click's target goes (the UI's channel).
    navigator: Navigator,
    next_id: AtomicI32,
    targets: Mutex<VecDeque<(i32, Target)>>,
}

impl<R: Runtime> DesktopNotices<R> {
    /// The sink, with its click handler registered on the plugin.
    pub fn install(app: &AppHandle<R>, navigator: Navigator) -> Arc<Self> {
        let notices = Arc::new(Self {
            app: app.clone(),
            navigator,
            next_id: AtomicI32::new(1),
            targets: Mutex::new(VecDeque::new()),
        });
        let weak = Arc::downgrade(&notices);
        let registered = app.notification().on_action(move |performed| {
            if performed.action_id() != "tap" {
                return;
            }
            let id = performed.notification().map(|n| n.id());
            if let (Some(notices), Some(id)) = (weak.upgrade(), id) {
                notices.clicked(id);
            }
        });
        if let Err(e) = registered {
            tracing::warn!("notification clicks will not be reported: {e}");
        }
        notices
    }

    fn clicked(&self, id: i32) {
        let target = self
            .targets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|(shown, _)| *shown == id)
            .map(|(_, target)| target.clone());
        if let Some(target) = target {
            crate::desktop::show_main(&self.app);
            self.navigator.open(target);
        }
    }
}

impl<R: Runtime> NoticeSink for DesktopNotices<R> {
    fn show(&self, notice: &Notice) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        {
            let mut targets = self.targets.lock().unwrap_or_else(PoisonError::into_inner);
            if targets.len() == REMEMBERED {
                targets.pop_front();
            }
            targets.push_back((id, notice.target.clone()));
        }
        let shown = self
            .app
            .notification()
            .builder()
            .id(id)
            .title(os_text(&notice.title))
            .body(os_text(&notice.body))
            .show();
        if let Err(e) = shown {
            tracing::warn!("cannot show a notification: {e}");
        }
    }
}

/// A title or body as it leaves for the OS: every notice goes through here, whatever made it.
/// Freedesktop notification servers read body markup (and several read the summary as markup
/// too), so there both are escaped; elsewhere the text is shown as plain text.
#[cfg(all(unix, not(target_os = "macos")))]
fn os_text(text: &str) -> String {
    sellerdesk_core::text::for_notification(text)
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn os_text(text: &str) -> String {
    sellerdesk_core::text::notification_plain(text)
}
