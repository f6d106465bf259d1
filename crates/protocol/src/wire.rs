//! Event names and the mapping between `(name, arguments)` on the wire and typed events.

use crate::events::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Everything the marketplace sends, one variant per event of the spec.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "event", content = "data")]
#[ts(export)]
pub enum ServerEvent {
    #[serde(rename = "presence.update")]
    PresenceUpdate(PresenceUpdate),
    #[serde(rename = "presence.typing")]
    PresenceTyping(PresenceTyping),
    #[serde(rename = "presence.activity")]
    PresenceActivity(PresenceActivity),
    #[serde(rename = "chat.message")]
    ChatMessage(ChatMessage),
    #[serde(rename = "chat.status")]
    ChatStatus(ChatStatus),
    #[serde(rename = "chat.conversation.update")]
    ConversationUpdate(ConversationUpdate),
    #[serde(rename = "order.status")]
    OrderStatus(OrderStatusChange),
    #[serde(rename = "order.payment")]
    OrderPayment(OrderPayment),
    #[serde(rename = "order.shipping")]
    OrderShipping(OrderShipping),
    #[serde(rename = "listing.update")]
    ListingUpdate(ListingUpdate),
    #[serde(rename = "listing.stock")]
    ListingStock(ListingStock),
    #[serde(rename = "listing.views")]
    ListingViews(ListingViews),
    #[serde(rename = "notification.system")]
    NotificationSystem(SystemNotification),
    #[serde(rename = "notification.user")]
    NotificationUser(UserNotification),
    #[serde(rename = "error")]
    Error(ServerError),
    #[serde(rename = "chat.error")]
    ChatError(ChatError),
    #[serde(rename = "order.error")]
    OrderError(OrderError),
    #[serde(rename = "ping")]
    Ping,
}

/// Every event name the client understands, as sent on the wire.
pub const SERVER_EVENT_NAMES: &[&str] = &[
    "presence.update",
    "presence.typing",
    "presence.activity",
    "chat.message",
    "chat.status",
    "chat.conversation.update",
    "order.status",
    "order.payment",
    "order.shipping",
    "listing.update",
    "listing.stock",
    "listing.views",
    "notification.system",
    "notification.user",
    "error",
    "chat.error",
    "order.error",
    "ping",
];

/// Why an incoming event could not be turned into a [`ServerEvent`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("unknown event {0:?}")]
    UnknownEvent(String),
    #[error("INVALID_PAYLOAD: {event}: {reason}")]
    InvalidPayload { event: String, reason: String },
}

impl DecodeError {
    /// A stable code for logs and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownEvent(_) => "UNKNOWN_EVENT",
            Self::InvalidPayload { .. } => "INVALID_PAYLOAD",
        }
    }
}

/// The payload argument of an event, borrowed (decoding copies its strings) or owned (decoding
/// moves them: no second copy of a large text).
enum Args<'a> {
    Borrowed(&'a [Value]),
    Owned(Vec<Value>),
}

impl Args<'_> {
    fn payload<T: DeserializeOwned>(&mut self, event: &str) -> Result<T, DecodeError> {
        let invalid = |reason: String| DecodeError::InvalidPayload {
            event: event.to_owned(),
            reason,
        };
        let missing = || invalid("missing payload argument".to_owned());
        match self {
            Self::Borrowed(args) => T::deserialize(args.first().ok_or_else(missing)?)
                .map_err(|e| invalid(e.to_string())),
            Self::Owned(args) => {
                if args.is_empty() {
                    return Err(missing());
                }
                T::deserialize(args.swap_remove(0)).map_err(|e| invalid(e.to_string()))
            }
        }
    }

    fn values(&self) -> &[Value] {
        match self {
            Self::Borrowed(args) => args,
            Self::Owned(args) => args,
        }
    }
}

impl ServerEvent {
    /// Decodes one event from its name and Socket.IO arguments (the payload is the first one).
    /// An event over a cap of [`crate::limits`] is `INVALID_PAYLOAD`, refused before decoding.
    pub fn decode(name: &str, args: &[Value]) -> Result<Self, DecodeError> {
        Self::decode_args(name, Args::Borrowed(args))
    }

    /// [`ServerEvent::decode`] that takes the arguments: their strings move into the event
    /// instead of being copied.
    pub fn decode_owned(name: &str, args: Vec<Value>) -> Result<Self, DecodeError> {
        Self::decode_args(name, Args::Owned(args))
    }

    fn decode_args(name: &str, mut args: Args<'_>) -> Result<Self, DecodeError> {
        if let Some(reason) = crate::limits::check(name, args.values()) {
            return Err(DecodeError::InvalidPayload {
                event: name.to_owned(),
                reason,
            });
        }
        let args = &mut args;
        Ok(match name {
            "presence.update" => Self::PresenceUpdate(args.payload(name)?),
            "presence.typing" => Self::PresenceTyping(args.payload(name)?),
            "presence.activity" => Self::PresenceActivity(args.payload(name)?),
            "chat.message" => Self::ChatMessage(args.payload(name)?),
            "chat.status" => Self::ChatStatus(args.payload(name)?),
            "chat.conversation.update" => Self::ConversationUpdate(args.payload(name)?),
            "order.status" => Self::OrderStatus(args.payload(name)?),
            "order.payment" => Self::OrderPayment(args.payload(name)?),
            "order.shipping" => Self::OrderShipping(args.payload(name)?),
            "listing.update" => Self::ListingUpdate(args.payload(name)?),
            "listing.stock" => Self::ListingStock(args.payload(name)?),
            "listing.views" => Self::ListingViews(args.payload(name)?),
            "notification.system" => Self::NotificationSystem(args.payload(name)?),
            "notification.user" => Self::NotificationUser(args.payload(name)?),
            "error" => Self::Error(args.payload(name)?),
            "chat.error" => Self::ChatError(args.payload(name)?),
            "order.error" => Self::OrderError(args.payload(name)?),
            "ping" => Self::Ping,
            other => return Err(DecodeError::UnknownEvent(other.to_owned())),
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::PresenceUpdate(_) => "presence.update",
            Self::PresenceTyping(_) => "presence.typing",
            Self::PresenceActivity(_) => "presence.activity",
            Self::ChatMessage(_) => "chat.message",
            Self::ChatStatus(_) => "chat.status",
            Self::ConversationUpdate(_) => "chat.conversation.update",
            Self::OrderStatus(_) => "order.status",
            Self::OrderPayment(_) => "order.payment",
            Self::OrderShipping(_) => "order.shipping",
            Self::ListingUpdate(_) => "listing.update",
            Self::ListingStock(_) => "listing.stock",
            Self::ListingViews(_) => "listing.views",
            Self::NotificationSystem(_) => "notification.system",
            Self::NotificationUser(_) => "notification.user",
            Self::Error(_) => "error",
            Self::ChatError(_) => "chat.error",
            Self::OrderError(_) => "order.error",
            Self::Ping => "ping",
        }
    }

    /// The payload as it travels on the wire (`None` for `ping`, which has no argument).
    pub fn payload(&self) -> Option<Value> {
        let value = match self {
            Self::PresenceUpdate(p) => serde_json::to_value(p),
            Self::PresenceTyping(p) => serde_json::to_value(p),
            Self::PresenceActivity(p) => serde_json::to_value(p),
            Self::ChatMessage(p) => serde_json::to_value(p),
            Self::ChatStatus(p) => serde_json::to_value(p),
            Self::ConversationUpdate(p) => serde_json::to_value(p),
            Self::OrderStatus(p) => serde_json::to_value(p),
            Self::OrderPayment(p) => serde_json::to_value(p),
            Self::OrderShipping(p) => serde_json::to_value(p),
            Self::ListingUpdate(p) => serde_json::to_value(p),
            Self::ListingStock(p) => serde_json::to_value(p),
            Self::ListingViews(p) => serde_json::to_value(p),
            Self::NotificationSystem(p) => serde_json::to_value(p),
            Self::NotificationUser(p) => serde_json::to_value(p),
            Self::Error(p) => serde_json::to_value(p),
            Self::ChatError(p) => serde_json::to_value(p),
            Self::OrderError(p) => serde_json::to_value(p),
            Self::Ping => return None,
        };
        // Serializing these plain structs into a Value cannot fail (string keys, finite data);
        // a NaN amount would become null rather than panic.
        Some(value.unwrap_or(Value::Null))
    }
}

/// Everything the client sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "event", content = "data")]
#[ts(export)]
pub enum ClientEvent {
    #[serde(rename = "chat.send")]
    ChatSend(ChatSend),
    /// The spec's batching: one argument, an array of `chat.send` payloads.
    #[serde(rename = "chat.batch")]
    ChatBatch(Vec<ChatSend>),
    #[serde(rename = "pong")]
    Pong(Pong),
    /// Sent with no argument, as `socket.emit('health.check')`.
    #[serde(rename = "health.check")]
    HealthCheck,
}

impl ClientEvent {
    pub fn name(&self) -> &'static str {
        match self {
            Self::ChatSend(_) => "chat.send",
            Self::ChatBatch(_) => "chat.batch",
            Self::Pong(_) => "pong",
            Self::HealthCheck => "health.check",
        }
    }

    /// The single argument to emit, or `None` for an event sent without arguments.
    pub fn payload(&self) -> Option<Value> {
        let value = match self {
            Self::ChatSend(p) => serde_json::to_value(p),
            Self::ChatBatch(p) => serde_json::to_value(p),
            Self::Pong(p) => serde_json::to_value(p),
            Self::HealthCheck => return None,
        };
        Some(value.unwrap_or(Value::Null))
    }

    /// Decodes what a client sent (used by the simulator).
    pub fn decode(name: &str, args: &[Value]) -> Result<Self, DecodeError> {
        let args = &mut Args::Borrowed(args);
        Ok(match name {
            "chat.send" => Self::ChatSend(args.payload(name)?),
            "chat.batch" => Self::ChatBatch(args.payload(name)?),
            "pong" => Self::Pong(args.payload(name)?),
            "health.check" => Self::HealthCheck,
            other => return Err(DecodeError::UnknownEvent(other.to_owned())),
        })
    }
}
