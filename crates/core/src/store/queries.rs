//! Read models for the UI and the CLI.

use super::{Store, StoreError, META_SELF_ID};
use crate::models::*;
use sellerdesk_protocol::{Attachment, Participant, ShippingLocation, Timestamp};
use sqlx::Row;

pub(super) fn ts(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms)
        .unwrap_or_else(|| Timestamp::from_millis(0).unwrap_or_else(Timestamp::now))
}

pub(super) fn json_list<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    // A row written by this app is always valid; tolerate a damaged one rather than fail the view.
    serde_json::from_str(text).unwrap_or_default()
}

/// A buyer's message in conversation `c` that the seller has not read (`?1`: the seller's id).
macro_rules! unread_message {
    () => {
        "m.conversation_id = c.id AND m.sender_id != ?1 AND m.from_outbox = 0 \
         AND m.sent_at > c.last_read_at"
    };
}

/// Conversations with their unread counts; `?1` is the seller's own id.
// A conversation first seen through its messages has no participant list yet: the people who
// wrote in it (other than the seller) stand in for it.
macro_rules! conversations_sql {
    () => {
        concat!("SELECT c.id, c.state, \
           CASE WHEN c.participants != '[]' THEN c.participants ELSE \
             (SELECT json_group_array(json_object('id', s.sender_id, 'name', s.sender_name, 'avatar', s.sender_avatar)) \
              FROM (SELECT sender_id, MAX(sender_name) AS sender_name, MAX(sender_avatar) AS sender_avatar \
                    FROM messages WHERE conversation_id = c.id AND sender_id != ?1 GROUP BY sender_id) s) \
           END AS participants, \
           c.last_message_content, c.last_message_at, \
           (SELECT COUNT(*) FROM messages m WHERE ", unread_message!(), ") AS unread \
         FROM conversations c WHERE c.state != 'deleted'")
    };
}

/// Most recent first; the id makes the order total, so pages never overlap.
macro_rules! conversations_order {
    () => {
        "COALESCE(c.last_message_at, c.updated_at) DESC, c.id"
    };
}

fn conversation_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<ConversationView, StoreError> {
    let content: Option<String> = row.try_get("last_message_content")?;
    let at: Option<i64> = row.try_get("last_message_at")?;
    Ok(ConversationView {
        id: row.try_get("id")?,
        state: row.try_get("state")?,
        participants: json_list(&row.try_get::<String, _>("participants")?),
        last_message: content.zip(at).map(|(content, at)| LastMessageView {
            content,
            timestamp: ts(at),
        }),
        unread_count: row.try_get("unread")?,
        presence: None,
    })
}

impl Store {
    /// Rows of `conversations_sql!` as views, with each buyer's presence.
    async fn conversations_from_rows(
        &self,
        rows: &[sqlx::sqlite::SqliteRow],
        self_id: &str,
    ) -> Result<Vec<ConversationView>, StoreError> {
        let mut conversations = rows
            .iter()
            .map(conversation_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        self.attach_presence(&mut conversations, self_id).await?;
        Ok(conversations)
    }

    /// Conversations, most recent first, with their unread counts.
    pub async fn conversations(&self) -> Result<Vec<ConversationView>, StoreError> {
        let self_id = self.meta(META_SELF_ID).await?.unwrap_or_default();
        let rows = sqlx::query(concat!(
            conversations_sql!(),
            " ORDER BY ",
            conversations_order!()
        ))
        .bind(&self_id)
        .fetch_all(self.pool())
        .await?;
        self.conversations_from_rows(&rows, &self_id).await
    }

    /// How many conversations have messages from buyers the seller has not read (the inbox
    /// badge). Each conversation stops at its first unread message.
    pub async fn unread_conversations(&self) -> Result<i64, StoreError> {
        let self_id = self.meta(META_SELF_ID).await?.unwrap_or_default();
        Ok(sqlx::query_scalar(concat!(
            "SELECT COUNT(*) FROM conversations c WHERE c.state != 'deleted' AND EXISTS \
               (SELECT 1 FROM messages m WHERE ",
            unread_message!(),
            ")"
        ))
        .bind(self_id)
        .fetch_one(self.pool())
        .await?)
    }

    /// One page of [`Store::conversations`], in the same order, unread counts included.
    pub async fn conversations_page(
        &self,
        page: super::PageRequest,
    ) -> Result<Vec<ConversationView>, StoreError> {
        let self_id = self.meta(META_SELF_ID).await?.unwrap_or_default();
        let rows = sqlx::query(concat!(
            conversations_sql!(),
            " ORDER BY ",
            conversations_order!(),
            " LIMIT ?2 OFFSET ?3"
        ))
        .bind(&self_id)
        .bind(page.sql_limit())
        .bind(page.sql_offset())
        .fetch_all(self.pool())
        .await?;
        self.conversations_from_rows(&rows, &self_id).await
    }

    /// A conversation's messages, oldest first, followed by what the seller wrote that the
    /// server has not echoed yet (queued, sending or failed).
    pub async fn messages(&self, conversation_id: &str) -> Result<Vec<MessageView>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            message_columns!(),
            " FROM messages WHERE conversation_id = ? ORDER BY sent_at, id"
        ))
        .bind(conversation_id)
        .fetch_all(self.pool())
        .await?;
        let mut messages = rows
            .iter()
            .map(message_from_row)
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.append_unsent(conversation_id, &mut messages).await?;
        Ok(messages)
    }

    /// Marks everything in a conversation up to now as read, locally.
    pub async fn mark_conversation_read(&self, conversation_id: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE conversations SET last_read_at = MAX(last_read_at, \
               COALESCE((SELECT MAX(sent_at) FROM messages WHERE conversation_id = ?), 0)) WHERE id = ?",
        )
        .bind(conversation_id)
        .bind(conversation_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Orders with their current status, payment and shipping, most recently updated first.
    pub async fn orders(&self) -> Result<Vec<OrderView>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            order_columns!(),
            " FROM orders ORDER BY updated_at DESC, id"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(order_from_row).collect()
    }
}

pub(super) fn message_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<MessageView, StoreError> {
    Ok(MessageView {
        id: row.try_get("id")?,
        conversation_id: row.try_get("conversation_id")?,
        sender: Participant {
            id: row.try_get("sender_id")?,
            name: row.try_get("sender_name")?,
            avatar: row.try_get("sender_avatar")?,
        },
        content: row.try_get("content")?,
        attachments: json_list::<Attachment>(&row.try_get::<String, _>("attachments")?)
            .into_iter()
            .map(Into::into)
            .collect(),
        timestamp: ts(row.try_get("sent_at")?),
        status: row.try_get("status")?,
        client_message_id: row.try_get("client_message_id")?,
        own: row.try_get("own")?,
        failure: None,
    })
}

impl Store {
    /// Appends what the seller wrote that the server has not echoed yet (queued, sending, failed).
    pub(super) async fn append_unsent(
        &self,
        conversation_id: &str,
        messages: &mut Vec<MessageView>,
    ) -> Result<(), StoreError> {
        let self_id = self.meta(META_SELF_ID).await?.unwrap_or_default();
        for item in self.unsent_outbox(conversation_id).await? {
            messages.push(MessageView {
                id: item.client_message_id.clone(),
                conversation_id: item.conversation_id,
                sender: Participant {
                    id: self_id.clone(),
                    name: "You".into(),
                    avatar: String::new(),
                },
                content: item.content,
                attachments: Vec::new(),
                timestamp: item.created_at,
                status: item.state.as_str().to_owned(),
                client_message_id: Some(item.client_message_id),
                own: true,
                failure: item.reason,
            });
        }
        Ok(())
    }
}

pub(super) fn order_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<OrderView, StoreError> {
    let payment_status: Option<String> = row.try_get("payment_status")?;
    let payment = match payment_status {
        Some(status) => Some(PaymentView {
            status,
            amount: row
                .try_get::<Option<f64>, _>("payment_amount")?
                .unwrap_or(0.0),
            currency: row
                .try_get::<Option<String>, _>("payment_currency")?
                .unwrap_or_default(),
            payment_method: row
                .try_get::<Option<String>, _>("payment_method")?
                .unwrap_or_default(),
            transaction_id: row.try_get("transaction_id")?,
            timestamp: ts(row.try_get::<Option<i64>, _>("payment_at")?.unwrap_or(0)),
        }),
        None => None,
    };
    let shipping_status: Option<String> = row.try_get("shipping_status")?;
    let shipping = match shipping_status {
        Some(status) => Some(ShippingView {
            status,
            carrier: row.try_get("carrier")?,
            tracking_number: row.try_get("tracking_number")?,
            estimated_delivery: row.try_get::<Option<i64>, _>("estimated_delivery")?.map(ts),
            location: row
                .try_get::<Option<String>, _>("shipping_location")?
                .and_then(|text| serde_json::from_str::<ShippingLocation>(&text).ok()),
        }),
        None => None,
    };
    Ok(OrderView {
        id: row.try_get("id")?,
        status: row.try_get("status")?,
        status_at: row.try_get::<Option<i64>, _>("status_at")?.map(ts),
        payment,
        shipping,
        updated_at: ts(row.try_get("updated_at")?),
    })
}
