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
    pub attachments: Vec<Attachment>,
    pub timestamp: Timestamp,
    /// `sent`, `delivered`, `read`; or the outbox state `queued`, `sending`, `failed`.
    pub status: String,
    pub client_message_id: Option<String>,
    /// Why sending failed, for `failed` messages.
    pub failure: Option<String>,
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
