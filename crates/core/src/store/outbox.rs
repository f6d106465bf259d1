//! The persistent outbox: a chat message is stored before the first send attempt and leaves
//! only when the server echoes it. Claims are leases, so two processes sharing a data folder
//! never send the same message at once, and a crashed sender's claim expires.

use super::{now_ms, Store, StoreError};
use crate::models::{OutboxItem, OutboxState};
use sellerdesk_protocol::{Attachment, ChatSend, Timestamp};
use sqlx::Row;

/// How long a claim protects a message from other senders before it may be sent again. The
/// owner renews it every second while it lives, so this is how long a crashed sender's messages
/// wait before another process sends them (the server dedupes by client message id).
pub const LEASE_MS: i64 = 5_000;

/// Messages one process has claimed for sending.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxClaim {
    pub items: Vec<ChatSend>,
}

/// The columns of an [`OutboxItem`], spliced into queries at compile time.
macro_rules! item_columns {
    () => {
        "client_message_id, conversation_id, content, state, reason, server_message_id, created_at"
    };
}

fn item_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<OutboxItem, StoreError> {
    let state: String = row.try_get("state")?;
    Ok(OutboxItem {
        client_message_id: row.try_get("client_message_id")?,
        conversation_id: row.try_get("conversation_id")?,
        content: row.try_get("content")?,
        state: OutboxState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown outbox state {state:?}")))?,
        reason: row.try_get("reason")?,
        server_message_id: row.try_get("server_message_id")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?)
            .unwrap_or_else(Timestamp::now),
    })
}

impl Store {
    /// Stores a message the seller wrote, with a fresh client message id, as `queued`.
    pub async fn enqueue(
        &self,
        conversation_id: &str,
        content: &str,
        attachments: &[Attachment],
    ) -> Result<OutboxItem, StoreError> {
        let client_message_id = uuid::Uuid::new_v4().to_string();
        let _turn = self.write_turn().await;
        let now = now_ms();
        let attachments = serde_json::to_string(attachments).unwrap_or_else(|_| "[]".into());
        let sql = concat!(
            "INSERT INTO outbox (client_message_id, conversation_id, content, attachments, state, created_at, updated_at) \
             VALUES (?, ?, ?, ?, 'queued', ?, ?) RETURNING ",
            item_columns!()
        );
        let row = sqlx::query(sql)
            .bind(&client_message_id)
            .bind(conversation_id)
            .bind(content)
            .bind(attachments)
            .bind(now)
            .bind(now)
            .fetch_one(self.pool())
            .await?;
        item_from_row(&row)
    }

    /// Claims up to `limit` messages that are queued (or whose other sender's lease ran out),
    /// oldest first, for `owner`. The single UPDATE is atomic across processes. An owner never
    /// re-takes its own messages in flight: they wait for their echo or for a release.
    pub async fn claim_outbox(&self, owner: &str, limit: u32) -> Result<OutboxClaim, StoreError> {
        let turn = self.write_turn().await;
        self.claim_in_turn(turn, owner, limit).await
    }

    /// [`Store::claim_outbox`], unless this process's turn to write does not come within `wait`
    /// (the cache writer's transaction is under way): `None` then, and nothing was claimed. The
    /// wait is given up before any statement runs, so a give-up never leaves a claim behind.
    pub async fn claim_outbox_within(
        &self,
        owner: &str,
        limit: u32,
        wait: std::time::Duration,
    ) -> Result<Option<OutboxClaim>, StoreError> {
        match tokio::time::timeout(wait, self.write_turn()).await {
            Ok(turn) => self.claim_in_turn(turn, owner, limit).await.map(Some),
            Err(_) => Ok(None),
        }
    }

    async fn claim_in_turn(
        &self,
        turn: tokio::sync::MutexGuard<'_, ()>,
        owner: &str,
        limit: u32,
    ) -> Result<OutboxClaim, StoreError> {
        let now = now_ms();
        let rows = sqlx::query(
            "UPDATE outbox SET state = 'sending', lease_owner = ?, lease_until = ?, updated_at = ? \
             WHERE seq IN (SELECT seq FROM outbox \
                 WHERE state = 'queued' \
                    OR (state = 'sending' AND lease_until < ? AND lease_owner IS NOT ?) \
                 ORDER BY seq LIMIT ?) \
             RETURNING seq, client_message_id, conversation_id, content, attachments",
        )
        .bind(owner)
        .bind(now + LEASE_MS)
        .bind(now)
        .bind(now)
        .bind(owner)
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?;
        drop(turn);
        let mut claimed: Vec<(i64, ChatSend)> = rows
            .iter()
            .map(|row| {
                Ok((
                    row.try_get("seq")?,
                    ChatSend {
                        conversation_id: row.try_get("conversation_id")?,
                        content: row.try_get("content")?,
                        attachments: serde_json::from_str(
                            &row.try_get::<String, _>("attachments")?,
                        )
                        .unwrap_or_default(),
                        client_message_id: Some(row.try_get("client_message_id")?),
                    },
                ))
            })
            .collect::<Result<_, StoreError>>()?;
        // RETURNING gives no order guarantee; the send order is the queue order.
        claimed.sort_by_key(|(seq, _)| *seq);
        Ok(OutboxClaim {
            items: claimed.into_iter().map(|(_, item)| item).collect(),
        })
    }

    /// Extends `owner`'s claims: it is alive and still waiting for their echoes.
    pub async fn renew_outbox_claims(&self, owner: &str) -> Result<u64, StoreError> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE outbox SET lease_until = ? WHERE state = 'sending' AND lease_owner = ?",
        )
        .bind(now + LEASE_MS)
        .bind(owner)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// How many messages `owner` has sent that still wait for their echo.
    pub async fn outbox_in_flight(&self, owner: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE state = 'sending' AND lease_owner = ?",
        )
        .bind(owner)
        .fetch_one(self.pool())
        .await?)
    }

    /// Gives back what `owner` claimed but could not hand to the server (connection lost).
    pub async fn release_outbox(&self, owner: &str) -> Result<u64, StoreError> {
        let _turn = self.write_turn().await;
        let done = sqlx::query(
            "UPDATE outbox SET state = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = ? \
             WHERE state = 'sending' AND lease_owner = ?",
        )
        .bind(now_ms())
        .bind(owner)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// The server refused a message; it stays visible with the reason until the seller retries.
    /// Returns the conversation it is in, when it was one of ours still unsent.
    pub async fn fail_outbox(
        &self,
        client_message_id: &str,
        reason: &str,
    ) -> Result<Option<String>, StoreError> {
        let _turn = self.write_turn().await;
        Ok(sqlx::query_scalar(
            "UPDATE outbox SET state = 'failed', reason = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? \
             WHERE client_message_id = ? AND state != 'sent' RETURNING conversation_id",
        )
        .bind(reason)
        .bind(now_ms())
        .bind(client_message_id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Puts a failed message back in the queue; returns the conversation it is in.
    pub async fn retry_outbox(&self, client_message_id: &str) -> Result<String, StoreError> {
        let _turn = self.write_turn().await;
        let conversation: Option<String> = sqlx::query_scalar(
            "UPDATE outbox SET state = 'queued', reason = NULL, updated_at = ? \
             WHERE client_message_id = ? AND state = 'failed' RETURNING conversation_id",
        )
        .bind(now_ms())
        .bind(client_message_id)
        .fetch_optional(self.pool())
        .await?;
        conversation
            .ok_or_else(|| StoreError::NotFound(format!("failed message {client_message_id}")))
    }

    pub async fn outbox_item(
        &self,
        client_message_id: &str,
    ) -> Result<Option<OutboxItem>, StoreError> {
        let sql = concat!(
            "SELECT ",
            item_columns!(),
            " FROM outbox WHERE client_message_id = ?"
        );
        let row = sqlx::query(sql)
            .bind(client_message_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(item_from_row).transpose()
    }

    /// How many messages wait to be sent (queued or in flight).
    pub async fn outbox_pending(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'sending')")
                .fetch_one(self.pool())
                .await?,
        )
    }

    pub(crate) async fn unsent_outbox(
        &self,
        conversation_id: &str,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let sql = concat!(
            "SELECT ",
            item_columns!(),
            " FROM outbox WHERE conversation_id = ? AND state != 'sent' ORDER BY seq"
        );
        let rows = sqlx::query(sql)
            .bind(conversation_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(item_from_row).collect()
    }
}
