//! Whether one alert notifies now.

use super::classify::{Alert, AlertKind};
use super::settings::NotificationSettings;
use sellerdesk_protocol::Timestamp;
use std::sync::{Arc, Mutex, PoisonError};

/// What the seller is looking at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Focus {
    /// A window of the app has keyboard focus.
    pub window_focused: bool,
    /// The conversation open on screen, if any.
    pub open_conversation: Option<String>,
}

/// What is on screen, updated by the app as windows gain focus and conversations open, read by
/// the notifier for each event.
#[derive(Clone, Debug, Default)]
pub struct SharedFocus(Arc<Mutex<Focus>>);

impl SharedFocus {
    pub fn get(&self) -> Focus {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn set_window_focused(&self, focused: bool) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .window_focused = focused;
    }

    pub fn set_open_conversation(&self, conversation: Option<String>) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .open_conversation = conversation;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Notify,
    /// The seller switched the category off.
    CategoryOff,
    /// "Pause notifications" is on.
    Paused,
    /// The conversation is muted.
    Muted,
    /// The conversation is open in a focused window: the seller sees it already.
    OnScreen,
    /// Do not disturb.
    Quiet,
}

/// `minute_of_day` is the local time, for the quiet hours.
pub fn decide(
    alert: &Alert,
    settings: &NotificationSettings,
    focus: &Focus,
    now: Timestamp,
    minute_of_day: u16,
) -> Verdict {
    if !settings.categories.allows(alert.category) {
        return Verdict::CategoryOff;
    }
    if settings.paused_until.is_some_and(|until| now < until) {
        return Verdict::Paused;
    }
    if alert.kind == AlertKind::Message {
        if let Some(conversation) = alert.conversation_id.as_deref() {
            if settings.is_muted(conversation) {
                return Verdict::Muted;
            }
            if focus.window_focused && focus.open_conversation.as_deref() == Some(conversation) {
                return Verdict::OnScreen;
            }
        }
    }
    let dnd = &settings.do_not_disturb;
    if dnd.active(minute_of_day) && (!alert.money || dnd.include_money) {
        return Verdict::Quiet;
    }
    Verdict::Notify
}
