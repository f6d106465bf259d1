//! What the engine tells its subscribers (the UI bridge, the CLI).

use crate::socket::Transport;
use crate::store::ApplyReport;
use sellerdesk_protocol::{ServerEvent, Timestamp};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use ts_rs::TS;

/// The connection as the seller sees it in the status bar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "camelCase")]
#[ts(export)]
pub enum ConnectionState {
    Connecting,
    Connected {
        transport: Transport,
        since: Timestamp,
    },
    Reconnecting {
        attempt: u32,
        #[serde(rename = "delayMs")]
        #[ts(type = "number")]
        delay_ms: u64,
        transport: Transport,
        /// Why the last connection ended or the last attempt failed.
        reason: String,
    },
    Offline {
        reason: String,
        #[serde(rename = "nextRetryAt")]
        next_retry_at: Option<Timestamp>,
    },
    AuthFailed {
        message: String,
    },
    /// The engine was shut down (sign-out, quit).
    Stopped,
}

/// Which cached things a batch of events changed, by id, so a view refetches only what shows
/// them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CacheChanges {
    pub conversations: Vec<String>,
    pub orders: Vec<String>,
    pub listings: Vec<String>,
    pub notifications: Vec<String>,
    /// Conversations whose outgoing messages changed (queued, sending, sent or failed).
    pub outbox: Vec<String>,
}

impl From<&ApplyReport> for CacheChanges {
    fn from(report: &ApplyReport) -> Self {
        Self {
            conversations: report.conversations.clone(),
            orders: report.orders.clone(),
            listings: report.listings.clone(),
            notifications: report.notifications.clone(),
            outbox: report.echoed_in.clone(),
        }
    }
}

/// Something the seller should see: a server error tied to what it concerns, or a payload
/// that could not be read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Problem {
    pub code: String,
    pub message: String,
    pub conversation_id: Option<String>,
    pub message_id: Option<String>,
    pub order_id: Option<String>,
}

impl Problem {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            conversation_id: None,
            message_id: None,
            order_id: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum EngineEvent {
    State {
        state: ConnectionState,
    },
    /// Events that were received and are now in the cache, in arrival order. Shared, not
    /// copied, between subscribers: a flood's batches are thousands of events.
    Received {
        events: Arc<Vec<ServerEvent>>,
        changes: CacheChanges,
    },
    /// Outgoing messages changed state (queued, sent, acknowledged, failed, retried).
    Outbox {
        /// How many messages wait in the outbox now.
        pending: u32,
        /// The conversations of the messages that changed.
        conversations: Vec<String>,
    },
    Problem {
        problem: Problem,
    },
    /// The round trip of the last acknowledged `health.check` on the current connection, in
    /// milliseconds. Only servers that acknowledge it produce one; a new connection starts
    /// without a figure (see [`crate::engine::Engine::latency`]).
    Latency {
        ms: u32,
    },
}
