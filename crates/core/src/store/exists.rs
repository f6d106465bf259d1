//! Whether the cache knows an order or a conversation: a link from outside the app names ids
//! the seller may never have seen, and is followed only to what is really there.

use super::{Store, StoreError};

impl Store {
    pub async fn has_order(&self, order_id: &str) -> Result<bool, StoreError> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT EXISTS (SELECT 1 FROM orders WHERE id = ?1)")
                .bind(order_id)
                .fetch_one(self.pool())
                .await?
                != 0,
        )
    }

    /// A conversation with a row of its own, or one that messages name.
    pub async fn has_conversation(&self, conversation_id: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>(
            "SELECT EXISTS (SELECT 1 FROM conversations WHERE id = ?1) \
             OR EXISTS (SELECT 1 FROM messages WHERE conversation_id = ?1)",
        )
        .bind(conversation_id)
        .fetch_one(self.pool())
        .await?
            != 0)
    }
}
