//! A conversation's history a page at a time: back from a cursor (the CLI, scrolling up), forward
//! from one (scrolling down after a jump), or around one message (opened from search).

use super::queries::message_from_row;
use super::{Store, StoreError};
use crate::models::MessageView;
use sellerdesk_protocol::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A position in a conversation: the page returned holds messages strictly before (or after)
/// it. The message id breaks ties between messages sent in the same millisecond.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
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

/// Where a page of a thread starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "from")]
#[ts(export)]
pub enum ThreadAnchor {
    /// The newest messages, with what the seller wrote and is not echoed yet at the end.
    Newest,
    /// Messages strictly before the cursor.
    Before { cursor: MessageCursor },
    /// Messages strictly after the cursor.
    After { cursor: MessageCursor },
    /// The message (when it is in this conversation) with about half a page on each side.
    #[serde(rename_all = "camelCase")]
    Around { message_id: String },
}

/// A contiguous run of a thread, oldest first, and whether the thread goes on past each end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ThreadPage {
    pub messages: Vec<MessageView>,
    pub has_older: bool,
    /// False when the page ends with the newest message (and so carries the unsent ones).
    pub has_newer: bool,
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

const AFTER: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE conversation_id = ?1 AND (sent_at, id) > (?3, ?4) \
     ORDER BY sent_at, id LIMIT ?2"
);
const FROM: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE conversation_id = ?1 AND (sent_at, id) >= (?3, ?4) \
     ORDER BY sent_at, id LIMIT ?2"
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
        let limit = limit.clamp(1, super::PageRequest::MAX_LIMIT);
        let sql = if before.is_some() { BEFORE } else { NEWEST };
        let (mut page, _) = self.run_back(sql, conversation_id, before, limit).await?;
        if before.is_none() {
            self.append_unsent(conversation_id, &mut page).await?;
        }
        Ok(page)
    }

    /// A page of a thread starting at `anchor`; `limit` is clamped like every page.
    pub async fn thread_page(
        &self,
        conversation_id: &str,
        anchor: &ThreadAnchor,
        limit: u32,
    ) -> Result<ThreadPage, StoreError> {
        let limit = limit.clamp(1, super::PageRequest::MAX_LIMIT);
        let page = match anchor {
            ThreadAnchor::Newest => {
                let (mut messages, has_older) =
                    self.run_back(NEWEST, conversation_id, None, limit).await?;
                self.append_unsent(conversation_id, &mut messages).await?;
                ThreadPage {
                    messages,
                    has_older,
                    has_newer: false,
                }
            }
            ThreadAnchor::Before { cursor } => {
                let (messages, has_older) = self
                    .run_back(BEFORE, conversation_id, Some(cursor), limit)
                    .await?;
                ThreadPage {
                    messages,
                    has_older,
                    has_newer: true,
                }
            }
            ThreadAnchor::After { cursor } => {
                let (messages, has_newer) = self
                    .run_forward(AFTER, conversation_id, cursor, limit)
                    .await?;
                ThreadPage {
                    messages,
                    has_older: true,
                    has_newer,
                }
            }
            ThreadAnchor::Around { message_id } => {
                let Some(cursor) = self.message_cursor(conversation_id, message_id).await? else {
                    return Box::pin(self.thread_page(
                        conversation_id,
                        &ThreadAnchor::Newest,
                        limit,
                    ))
                    .await;
                };
                let before = limit / 2;
                let (mut messages, has_older) = if before == 0 {
                    (Vec::new(), true)
                } else {
                    self.run_back(BEFORE, conversation_id, Some(&cursor), before)
                        .await?
                };
                let (after, has_newer) = self
                    .run_forward(FROM, conversation_id, &cursor, limit - before)
                    .await?;
                messages.extend(after);
                ThreadPage {
                    messages,
                    has_older,
                    has_newer,
                }
            }
        };
        Ok(page)
    }

    /// Runs a newest-first query for `limit + 1` rows: the extra row only says whether there is more.
    async fn run_back(
        &self,
        sql: &'static str,
        conversation_id: &str,
        cursor: Option<&MessageCursor>,
        limit: u32,
    ) -> Result<(Vec<MessageView>, bool), StoreError> {
        let mut query = sqlx::query(sql)
            .bind(conversation_id)
            .bind(i64::from(limit) + 1);
        if let Some(cursor) = cursor {
            query = query
                .bind(cursor.timestamp.millis())
                .bind(cursor.id.as_str());
        }
        let rows = query.fetch_all(self.pool()).await?;
        let more = rows.len() > limit as usize;
        let messages = rows
            .iter()
            .take(limit as usize)
            .rev()
            .map(message_from_row)
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((messages, more))
    }

    /// Runs an oldest-first query from `cursor`; a run that reaches the newest message gets the
    /// unsent ones appended, as the newest page does.
    async fn run_forward(
        &self,
        sql: &'static str,
        conversation_id: &str,
        cursor: &MessageCursor,
        limit: u32,
    ) -> Result<(Vec<MessageView>, bool), StoreError> {
        let rows = sqlx::query(sql)
            .bind(conversation_id)
            .bind(i64::from(limit) + 1)
            .bind(cursor.timestamp.millis())
            .bind(cursor.id.as_str())
            .fetch_all(self.pool())
            .await?;
        let more = rows.len() > limit as usize;
        let mut messages = rows
            .iter()
            .take(limit as usize)
            .map(message_from_row)
            .collect::<Result<Vec<_>, StoreError>>()?;
        if !more {
            self.append_unsent(conversation_id, &mut messages).await?;
        }
        Ok((messages, more))
    }

    /// Where a cached message sits in its conversation.
    async fn message_cursor(
        &self,
        conversation_id: &str,
        message_id: &str,
    ) -> Result<Option<MessageCursor>, StoreError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT sent_at FROM messages WHERE conversation_id = ? AND id = ?")
                .bind(conversation_id)
                .bind(message_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row
            .and_then(|(sent_at,)| Timestamp::from_millis(sent_at))
            .map(|timestamp| MessageCursor {
                timestamp,
                id: message_id.to_owned(),
            }))
    }
}
