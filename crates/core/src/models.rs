//! What the cache hands to the UI and the CLI: read models, serialized as the wire's camelCase.

use sellerdesk_protocol::{Attachment, Participant, Timestamp};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConversationView {
    pub id: String,
    /// `new`, `archived`, `deleted` or a newer value from the server.
    pub state: String,
    pub participants: Vec<Participant>,
    pub last_message: Option<LastMessageView>,
    #[ts(type = "number")]
    pub unread_count: i64,
    /// The buyer's last-known presence, when the server told us.
    pub presence: Option<PresenceView>,
}

/// A user's last-known presence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PresenceView {
    /// `online`, `offline`, `away` or a newer value from the server.
    pub status: String,
    pub last_seen: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LastMessageView {
    pub content: String,
    pub timestamp: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MessageView {
    /// The server's id; for a message still in the outbox, its client message id.
    pub id: String,
    pub conversation_id: String,
    pub sender: Participant,
    pub content: String,
    pub attachments: Vec<AttachmentView>,
    pub timestamp: Timestamp,
    /// `sent`, `delivered`, `read`; or the outbox state `queued`, `sending`, `failed`.
    pub status: String,
    pub client_message_id: Option<String>,
    /// Written by the seller: the sender is the seller's own id, or the message is the echo of
    /// one this device sent (its client message id is in the outbox). A client message id alone
    /// proves nothing (a buyer's message may carry any), so the UI goes by this.
    pub own: bool,
    /// Why sending failed, for `failed` messages.
    pub failure: Option<String>,
}

/// An attachment as the server sent it, with the name to show and save it under (made safe in
/// Rust: no folders, bidi or control characters, reserved names; see
/// `file_names::display_name`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AttachmentView {
    #[serde(flatten)]
    pub attachment: Attachment,
    pub display_name: String,
}

impl From<Attachment> for AttachmentView {
    fn from(attachment: Attachment) -> Self {
        let display_name = crate::file_names::display_name(&attachment);
        Self {
            attachment,
            display_name,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderView {
    pub id: String,
    pub status: Option<String>,
    pub status_at: Option<Timestamp>,
    pub payment: Option<PaymentView>,
    pub shipping: Option<ShippingView>,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PaymentView {
    pub status: String,
    pub amount: f64,
    pub currency: String,
    pub payment_method: String,
    pub transaction_id: Option<String>,
    pub timestamp: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShippingView {
    pub status: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub estimated_delivery: Option<Timestamp>,
    pub location: Option<sellerdesk_protocol::ShippingLocation>,
}

/// A message the seller wrote, as the outbox tracks it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OutboxItem {
    pub client_message_id: String,
    pub conversation_id: String,
    pub content: String,
    pub state: OutboxState,
    pub reason: Option<String>,
    pub server_message_id: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum OutboxState {
    /// Stored, waiting for a connection.
    Queued,
    /// Handed to a connection, waiting for the server's echo.
    Sending,
    /// The server echoed it: it is a message now.
    Sent,
    /// The server refused it; the seller may retry.
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "queued" => Self::Queued,
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            "failed" => Self::Failed,
            _ => return None,
        })
    }
}

// ---------------------------------------------------------------- search

/// What a search result opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SearchResultKind {
    Message,
    Order,
    Listing,
}

/// A piece of a snippet; `hit` pieces matched the query. Plain text, never markup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SnippetSegment {
    pub text: String,
    pub hit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SearchResult {
    pub kind: SearchResultKind,
    /// Set for messages: the conversation to open...
    pub conversation_id: Option<String>,
    /// ...scrolled to this message.
    pub message_id: Option<String>,
    pub order_id: Option<String>,
    pub listing_id: Option<String>,
    /// The buyer who wrote the message.
    pub sender_name: Option<String>,
    /// Around the first match: the message text, or the order or listing id.
    pub snippet: Vec<SnippetSegment>,
    /// When the message was sent, or when the order or listing last changed.
    pub timestamp: Timestamp,
}

// ---------------------------------------------------------------- orders

/// One order with its whole timeline, oldest event first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderDetail {
    #[serde(flatten)]
    pub order: OrderView,
    pub timeline: Vec<TimelineEntry>,
}

/// An order event as received. Exactly one of `status`, `payment`, `shipping` is set for the
/// known kinds; `raw` keeps a payload this version cannot read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TimelineEntry {
    /// `status`, `payment` or `shipping`.
    pub kind: String,
    /// The event's own time (status, payment) or its arrival (shipping has no time on the wire).
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status: Option<sellerdesk_protocol::OrderStatusChange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub payment: Option<sellerdesk_protocol::OrderPayment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub shipping: Option<sellerdesk_protocol::OrderShipping>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub raw: Option<serde_json::Value>,
}

// ---------------------------------------------------------------- listings

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListingView {
    pub id: String,
    /// As the server sent it (a number, a string or an object).
    pub price: Option<serde_json::Value>,
    pub availability: Option<serde_json::Value>,
    pub status: Option<serde_json::Value>,
    /// When price, availability or status last changed.
    pub changed_at: Option<Timestamp>,
    /// When each of them last changed (each field is ordered by its own time).
    pub price_changed_at: Option<Timestamp>,
    pub availability_changed_at: Option<Timestamp>,
    pub status_changed_at: Option<Timestamp>,
    pub stock: Option<StockView>,
    /// Out of stock, flagged low by the server, or at or under its threshold.
    pub low_stock: bool,
    /// Views per period (`24h`, `7d`, `30d`, or a newer period).
    pub views: std::collections::BTreeMap<String, ViewCount>,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StockView {
    #[ts(type = "number")]
    pub quantity: i64,
    /// `in_stock`, `low_stock`, `out_of_stock` or a newer value.
    pub status: Option<String>,
    #[ts(type = "number | null")]
    pub threshold: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ViewCount {
    #[ts(type = "number")]
    pub views: u64,
    #[ts(type = "number")]
    pub unique_views: u64,
}

// ---------------------------------------------------------------- notifications

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NotificationView {
    pub id: String,
    /// `system` or `user`.
    pub source: String,
    /// The notification's `type` (`maintenance`, `order`, ...).
    pub kind: String,
    pub title: String,
    pub message: String,
    /// System notifications only.
    pub priority: Option<String>,
    pub action: Option<sellerdesk_protocol::NotificationAction>,
    pub expires_at: Option<Timestamp>,
    /// User notifications only: what it is about.
    pub metadata: Option<sellerdesk_protocol::UserNotificationMetadata>,
    pub read: bool,
    pub timestamp: Timestamp,
}

// ---------------------------------------------------------------- cache

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CacheStats {
    pub kinds: Vec<CacheKindStats>,
    #[ts(type = "number")]
    pub total_rows: i64,
    #[ts(type = "number")]
    pub total_bytes: i64,
    /// The database file's size (pages in use and free).
    #[ts(type = "number")]
    pub file_bytes: i64,
    /// `dbstat`: pages on disk, tables with their indexes; `textLength`: the text stored, an estimate.
    pub bytes_source: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CacheKindStats {
    /// `conversations`, `messages`, `orders`, `orderEvents`, `listings`, `notifications`,
    /// `presence`, `outbox`, `searchIndex`; and `attachments` (rows: cached files) when the
    /// figures include the attachment cache.
    pub kind: String,
    #[ts(type = "number")]
    pub rows: i64,
    #[ts(type = "number")]
    pub bytes: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClearReport {
    #[ts(type = "number")]
    pub rows_removed: i64,
    pub outbox_cleared: bool,
    #[ts(type = "number")]
    pub file_bytes_before: i64,
    #[ts(type = "number")]
    pub file_bytes_after: i64,
    /// Cached attachment files removed, and their bytes (0 when only the database was cleared).
    #[serde(default)]
    #[ts(type = "number")]
    pub attachment_files_removed: i64,
    #[serde(default)]
    #[ts(type = "number")]
    pub attachment_bytes_removed: i64,
}
