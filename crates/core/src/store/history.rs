//! A conversation's history a page at a time, going back from a cursor.

use super::queries::message_from_row;
use super::{Store, StoreError};
use crate::models::MessageView;
use sellerdesk_protocol::Timestamp;

/// A position in a conversation: the page returned holds messages strictly before it. The
/// message id breaks ties between messages sent in the same millisecond.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageCursor {
    pub timestamp: Timestamp,
    pub id: String,
}

impl MessageCursor {
    /// The cursor for the page before `page` (its oldest message), if it has one.
    pub fn before(page: &[MessageView]) -> Option<Self> {
        // Unsent outbox items sit at the end and are not part of the server's history.
        page.iter()
            .find(|m| !matches!(m.status.as_str(), "queued" | "sending" | "failed"))
            .map(|m| Self {
                timestamp: m.timestamp,
                id: m.id.clone(),
            })
    }
}

const NEWEST: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE conversation_id = ?1 ORDER BY sent_at DESC, id DESC LIMIT ?2"
);
const BEFORE: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE conversation_id = ?1 AND (sent_at, id) < (?3, ?4) \
     ORDER BY sent_at DESC, id DESC LIMIT ?2"
);

impl Store {
    /// Up to `limit` messages sent before `before` (the newest ones when `None`), returned oldest
    /// first. The newest page also carries what the seller wrote that is not echoed yet, at
    /// the end, as `messages` does.
    pub async fn messages_page(
        &self,
        conversation_id: &str,
        before: Option<&MessageCursor>,
        limit: u32,
    ) -> Result<Vec<MessageView>, StoreError> {
        let limit = i64::from(limit.clamp(1, super::PageRequest::MAX_LIMIT));
        let query = match before {
            None => sqlx::query(NEWEST).bind(conversation_id).bind(limit),
            Some(cursor) => sqlx::query(BEFORE)
                .bind(conversation_id)
                .bind(limit)
                .bind(cursor.timestamp.millis())
                .bind(cursor.id.as_str()),
        };
        let rows = query.fetch_all(self.pool()).await?;
        let mut page = rows
            .iter()
            .rev()
            .map(message_from_row)
            .collect::<Result<Vec<_>, StoreError>>()?;
        if before.is_none() {
            self.append_unsent(conversation_id, &mut page).await?;
        }
        Ok(page)
    }
}
