//! Last-known presence of the buyer in each conversation, for the inbox.

use super::queries::ts;
use super::{Store, StoreError};
use crate::models::{ConversationView, PresenceView};
use std::collections::HashMap;

impl Store {
    /// Fills `presence` of each conversation with its counterpart's last-known status (the first
    /// participant who is not the seller), in one query for the whole page.
    pub(super) async fn attach_presence(
        &self,
        conversations: &mut [ConversationView],
        self_id: &str,
    ) -> Result<(), StoreError> {
        let counterparts: Vec<Option<String>> = conversations
            .iter()
            .map(|c| {
                c.participants
                    .iter()
                    .find(|p| p.id != self_id)
                    .map(|p| p.id.clone())
            })
            .collect();
        let ids: Vec<&String> = counterparts.iter().flatten().collect();
        if ids.is_empty() {
            return Ok(());
        }
        let ids = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
        let rows: Vec<(String, Option<String>, Option<i64>)> = sqlx::query_as(
            "SELECT user_id, status, last_seen FROM presence \
             WHERE user_id IN (SELECT value FROM json_each(?)) AND status IS NOT NULL",
        )
        .bind(ids)
        .fetch_all(self.pool())
        .await?;
        let known: HashMap<String, PresenceView> = rows
            .into_iter()
            .filter_map(|(user, status, last_seen)| {
                status.map(|status| {
                    let view = PresenceView {
                        status,
                        last_seen: last_seen.map(ts),
                    };
                    (user, view)
                })
            })
            .collect();
        for (conversation, counterpart) in conversations.iter_mut().zip(counterparts) {
            conversation.presence = counterpart.and_then(|id| known.get(&id).cloned());
        }
        Ok(())
    }
}
