//! Payloads of every event in `websocket-api.md`, one struct per event.

use crate::open_enum;
use crate::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

// ---------------------------------------------------------------- presence

open_enum!(
    #[ts(export)]
    PresenceStatus { Online = "online", Offline = "offline", Away = "away" }
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PresenceUpdate {
    pub user_id: String,
    pub status: PresenceStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_seen: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PresenceTyping {
    pub user_id: String,
    pub conversation_id: String,
    pub is_typing: bool,
    pub timestamp: Timestamp,
}

open_enum!(
    #[ts(export)]
    Activity { Viewing = "viewing", Messaging = "messaging", Ordering = "ordering" }
);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ActivityMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub listing_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub conversation_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PresenceActivity {
    pub user_id: String,
    pub activity: Activity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub metadata: Option<ActivityMetadata>,
}

// ---------------------------------------------------------------- chat

open_enum!(
    #[ts(export)]
    AttachmentKind { Image = "image", File = "file" }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Attachment {
    #[serde(rename = "type")]
    pub kind: AttachmentKind,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub size: Option<u64>,
}

/// `chat.send` (client to server). `clientMessageId` is our extension: the server echoes it in
/// `chat.message` so the outbox can match the echo to the queued message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChatSend {
    pub conversation_id: String,
    pub content: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub client_message_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Participant {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub avatar: String,
}

open_enum!(
    /// Ordered: a message moves `sent` -> `delivered` -> `read`, never back.
    #[ts(export)]
    MessageStatus { Sent = "sent", Delivered = "delivered", Read = "read" }
);

impl MessageStatus {
    /// Position in the delivery order; unknown values rank lowest so they never undo a known one.
    pub fn rank(&self) -> u8 {
        match self {
            Self::Other(_) => 0,
            Self::Sent => 1,
            Self::Delivered => 2,
            Self::Read => 3,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChatMessage {
    pub id: String,
    pub conversation_id: String,
    pub sender: Participant,
    pub content: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub timestamp: Timestamp,
    pub status: MessageStatus,
    /// Present on the echo of a message this client sent (extension, see `docs/protocol.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub client_message_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChatStatus {
    pub message_id: String,
    pub conversation_id: String,
    pub status: MessageStatus,
    pub timestamp: Timestamp,
}

open_enum!(
    #[ts(export)]
    ConversationUpdateKind { New = "new", Archived = "archived", Deleted = "deleted" }
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LastMessage {
    pub content: String,
    pub timestamp: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConversationUpdate {
    pub conversation_id: String,
    #[serde(rename = "type")]
    pub kind: ConversationUpdateKind,
    #[serde(default)]
    pub participants: Vec<Participant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_message: Option<LastMessage>,
}

// ---------------------------------------------------------------- orders

open_enum!(
    /// The spec leaves `OrderStatus` open; these are the values the marketplace is known to use.
    #[ts(export)]
    OrderStatus {
        Pending = "pending",
        Confirmed = "confirmed",
        Processing = "processing",
        Shipped = "shipped",
        Delivered = "delivered",
        Completed = "completed",
        Cancelled = "cancelled",
        Refunded = "refunded",
    }
);

open_enum!(
    #[ts(export)]
    ActorRole { System = "system", Provider = "provider", User = "user" }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Actor {
    pub id: String,
    pub role: ActorRole,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderStatusMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub estimated_delivery: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tracking_number: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderStatusChange {
    pub order_id: String,
    pub status: OrderStatus,
    pub previous_status: OrderStatus,
    pub timestamp: Timestamp,
    pub updated_by: Actor,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub metadata: Option<OrderStatusMetadata>,
}

open_enum!(
    #[ts(export)]
    PaymentStatus {
        Processing = "processing",
        Completed = "completed",
        Failed = "failed",
        Refunded = "refunded",
    }
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderPayment {
    pub order_id: String,
    pub status: PaymentStatus,
    /// In the currency's major unit, as the marketplace sends it (e.g. `24.99`).
    pub amount: f64,
    pub currency: String,
    pub payment_method: String,
    pub timestamp: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub transaction_id: Option<String>,
}

open_enum!(
    #[ts(export)]
    ShippingStatus {
        Preparing = "preparing",
        Shipped = "shipped",
        Delivered = "delivered",
        Returned = "returned",
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShippingLocation {
    pub city: String,
    pub country: String,
    pub status: String,
}

/// `order.shipping` has no timestamp in the spec; the receiver stamps it on arrival.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderShipping {
    pub order_id: String,
    pub status: ShippingStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub carrier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tracking_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub estimated_delivery: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub location: Option<ShippingLocation>,
}

// ---------------------------------------------------------------- listings

open_enum!(
    #[ts(export)]
    ListingChangeKind { Price = "price", Availability = "availability", Status = "status" }
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListingChanges {
    pub previous: Value,
    pub current: Value,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListingUpdate {
    pub listing_id: String,
    #[serde(rename = "type")]
    pub kind: ListingChangeKind,
    pub changes: ListingChanges,
    pub timestamp: Timestamp,
}

open_enum!(
    #[ts(export)]
    StockStatus { InStock = "in_stock", LowStock = "low_stock", OutOfStock = "out_of_stock" }
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListingStock {
    pub listing_id: String,
    #[ts(type = "number")]
    pub quantity: i64,
    pub status: StockStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub threshold: Option<i64>,
}

open_enum!(
    #[ts(export)]
    ViewPeriod { Day = "24h", Week = "7d", Month = "30d" }
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListingViews {
    pub listing_id: String,
    #[ts(type = "number")]
    pub views: u64,
    #[ts(type = "number")]
    pub unique_views: u64,
    pub period: ViewPeriod,
}

// ---------------------------------------------------------------- notifications

open_enum!(
    #[ts(export)]
    SystemNotificationKind {
        Maintenance = "maintenance",
        Announcement = "announcement",
        Alert = "alert",
    }
);

open_enum!(
    #[ts(export)]
    Priority { Low = "low", Medium = "medium", High = "high" }
);

open_enum!(
    #[ts(export)]
    ActionKind { Link = "link", Button = "button" }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NotificationAction {
    #[serde(rename = "type")]
    pub kind: ActionKind,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SystemNotification {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: SystemNotificationKind,
    pub priority: Priority,
    pub title: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub action: Option<NotificationAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub expiry: Option<Timestamp>,
}

open_enum!(
    #[ts(export)]
    UserNotificationKind {
        Order = "order",
        Message = "message",
        Promotion = "promotion",
        Reminder = "reminder",
    }
);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UserNotificationMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub order_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub conversation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub listing_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UserNotification {
    pub id: String,
    pub user_id: String,
    #[serde(rename = "type")]
    pub kind: UserNotificationKind,
    pub title: String,
    pub message: String,
    #[serde(default)]
    pub metadata: UserNotificationMetadata,
    #[serde(default)]
    pub read: bool,
    pub timestamp: Timestamp,
}

// ---------------------------------------------------------------- errors

open_enum!(
    #[ts(export)]
    ErrorCode {
        AuthFailed = "AUTH_FAILED",
        RateLimit = "RATE_LIMIT",
        InvalidPayload = "INVALID_PAYLOAD",
    }
);

/// The connection-level `error` event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServerError {
    pub code: ErrorCode,
    #[serde(default)]
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChatError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub conversation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub message_id: Option<String>,
    pub timestamp: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderError {
    pub code: ErrorCode,
    pub message: String,
    pub order_id: String,
    pub operation: String,
    pub timestamp: Timestamp,
}

// ---------------------------------------------------------------- heartbeat

/// `pong` (client to server), answering the server's `ping`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Pong {
    /// Epoch milliseconds, as `Date.now()` gives them.
    #[ts(type = "number")]
    pub timestamp: i64,
}
