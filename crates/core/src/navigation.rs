//! Where the app can be asked to go: a view, or one order or conversation in it. Notification
//! clicks, `sellerdesk://` links and the tray all name their destination with a [`Target`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A view to open, with the order or conversation it shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "view", content = "id")]
#[ts(export)]
pub enum Target {
    Order(String),
    Conversation(String),
    Orders,
    Inbox,
    Notifications,
}

impl Target {
    /// The kind of thing the target names, as the UI words it (`"order"`, `"conversation"`);
    /// `None` for a plain view.
    pub fn kind(&self) -> Option<&'static str> {
        match self {
            Self::Order(_) => Some("order"),
            Self::Conversation(_) => Some("conversation"),
            Self::Orders | Self::Inbox | Self::Notifications => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_view_and_id() {
        let json = serde_json::to_value(Target::Order("o1".into())).expect("serialize");
        assert_eq!(json, serde_json::json!({"view": "order", "id": "o1"}));
        let json = serde_json::to_value(Target::Inbox).expect("serialize");
        assert_eq!(json, serde_json::json!({"view": "inbox"}));
    }

    #[test]
    fn names_the_kind_of_what_it_opens() {
        assert_eq!(Target::Order("o".into()).kind(), Some("order"));
        assert_eq!(
            Target::Conversation("c".into()).kind(),
            Some("conversation")
        );
        assert_eq!(Target::Notifications.kind(), None);
    }
}
