//! The seller's notification settings: categories, do not disturb, muted conversations, pause.

use sellerdesk_protocol::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

/// The settings' file in the data folder (wiped with it at sign-out).
pub const SETTINGS_FILE: &str = "notification-settings.json";

/// What a notification is about; each can be switched off in settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Category {
    NewOrders,
    OrderUpdates,
    Payments,
    Shipping,
    Messages,
    UserNotifications,
    /// System notifications of high priority (low and medium only reach the in-app center).
    SystemHigh,
}

/// Which categories notify. All on by default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct CategorySwitches {
    pub new_orders: bool,
    pub order_updates: bool,
    pub payments: bool,
    pub shipping: bool,
    pub messages: bool,
    pub user_notifications: bool,
    pub system_high: bool,
}

impl Default for CategorySwitches {
    fn default() -> Self {
        Self {
            new_orders: true,
            order_updates: true,
            payments: true,
            shipping: true,
            messages: true,
            user_notifications: true,
            system_high: true,
        }
    }
}

impl CategorySwitches {
    pub fn allows(&self, category: Category) -> bool {
        match category {
            Category::NewOrders => self.new_orders,
            Category::OrderUpdates => self.order_updates,
            Category::Payments => self.payments,
            Category::Shipping => self.shipping,
            Category::Messages => self.messages,
            Category::UserNotifications => self.user_notifications,
            Category::SystemHigh => self.system_high,
        }
    }
}

/// A daily quiet period in local time, minutes after midnight; it may run past midnight
/// (22:00-07:00 is `start 1320, end 420`). `start == end` is never quiet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuietHours {
    pub start_minute: u16,
    pub end_minute: u16,
}

impl QuietHours {
    pub fn contains(&self, minute_of_day: u16) -> bool {
        let (start, end, now) = (
            self.start_minute % 1440,
            self.end_minute % 1440,
            minute_of_day % 1440,
        );
        if start <= end {
            start <= now && now < end
        } else {
            now >= start || now < end
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct DoNotDisturb {
    /// Switched on by hand, until switched off.
    pub on: bool,
    /// Also quiet every day in this period.
    pub schedule: Option<QuietHours>,
    /// Orders and payments are quiet too (by default they still notify).
    pub include_money: bool,
}

impl DoNotDisturb {
    pub fn active(&self, minute_of_day: u16) -> bool {
        self.on || self.schedule.is_some_and(|s| s.contains(minute_of_day))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct NotificationSettings {
    pub categories: CategorySwitches,
    pub do_not_disturb: DoNotDisturb,
    /// Conversations whose messages never notify.
    pub muted_conversations: Vec<String>,
    /// "Pause notifications for 1 hour": nothing notifies before this.
    pub paused_until: Option<Timestamp>,
}

impl NotificationSettings {
    pub fn is_muted(&self, conversation_id: &str) -> bool {
        self.muted_conversations
            .iter()
            .any(|c| c == conversation_id)
    }

    /// The settings saved in `data_dir`; the defaults when there are none or they are
    /// unreadable (logged: a damaged file must not silence notifications).
    pub fn load(data_dir: &Path) -> Self {
        crate::json_file::load_or_default(data_dir, SETTINGS_FILE)
    }

    /// Saves to `data_dir`, replacing the file in one step.
    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        crate::json_file::save(data_dir, SETTINGS_FILE, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_may_run_past_midnight() {
        let night = QuietHours {
            start_minute: 22 * 60,
            end_minute: 7 * 60,
        };
        assert!(night.contains(23 * 60));
        assert!(night.contains(0));
        assert!(night.contains(6 * 60 + 59));
        assert!(!night.contains(7 * 60));
        assert!(!night.contains(12 * 60));
        let lunch = QuietHours {
            start_minute: 12 * 60,
            end_minute: 13 * 60,
        };
        assert!(lunch.contains(12 * 60 + 30));
        assert!(!lunch.contains(13 * 60));
        let never = QuietHours {
            start_minute: 600,
            end_minute: 600,
        };
        assert!(!never.contains(600));
    }

    #[test]
    fn settings_read_with_defaults_for_what_is_missing() {
        let settings: NotificationSettings =
            serde_json::from_str(r#"{"categories": {"messages": false}}"#).expect("json");
        assert!(!settings.categories.messages);
        assert!(settings.categories.new_orders, "missing switches stay on");
        assert!(!settings.do_not_disturb.on);
    }

    #[test]
    fn saved_settings_come_back_and_a_damaged_file_means_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            NotificationSettings::load(dir.path()),
            NotificationSettings::default()
        );
        let mut settings = NotificationSettings::default();
        settings.do_not_disturb.schedule = Some(QuietHours {
            start_minute: 1320,
            end_minute: 420,
        });
        settings.muted_conversations.push("c1".into());
        settings.save(dir.path()).expect("save");
        assert_eq!(NotificationSettings::load(dir.path()), settings);
        std::fs::write(dir.path().join(SETTINGS_FILE), b"{not json").expect("write");
        assert_eq!(
            NotificationSettings::load(dir.path()),
            NotificationSettings::default()
        );
    }
}
