//! Notifications: unread first, expired system notices hidden, read state kept locally.

use super::paging::PageRequest;
use super::queries::ts;
use super::{now_ms, Store, StoreError};
use crate::models::NotificationView;
use sellerdesk_protocol::{SystemNotification, UserNotification};
use sqlx::Row;

// Shown: user notifications, and system ones without an expiry or not yet expired (?1 = now).
const PAGE: &str = concat!(
    "SELECT id, source, kind, title, message, payload, read, created_at, expires_at \
     FROM notifications WHERE ",
    "(source != 'system' OR expires_at IS NULL OR expires_at > ?1)",
    " ORDER BY read, created_at DESC, id LIMIT ?2 OFFSET ?3"
);
const UNREAD: &str = concat!(
    "SELECT COUNT(*) FROM notifications WHERE read = 0 AND ",
    "(source != 'system' OR expires_at IS NULL OR expires_at > ?1)"
);

impl Store {
    /// Notifications, unread first, newest first within each; system notifications past their
    /// expiry are left out.
    pub async fn notifications(
        &self,
        page: PageRequest,
    ) -> Result<Vec<NotificationView>, StoreError> {
        let rows = sqlx::query(PAGE)
            .bind(now_ms())
            .bind(page.sql_limit())
            .bind(page.sql_offset())
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                let source: String = row.try_get("source")?;
                let payload: String = row.try_get("payload")?;
                let (priority, action, metadata) = if source == "system" {
                    match serde_json::from_str::<SystemNotification>(&payload) {
                        Ok(n) => (Some(n.priority.as_str().to_owned()), n.action, None),
                        Err(_) => (None, None, None),
                    }
                } else {
                    let metadata = serde_json::from_str::<UserNotification>(&payload)
                        .ok()
                        .map(|n| n.metadata);
                    (None, None, metadata)
                };
                Ok(NotificationView {
                    id: row.try_get("id")?,
                    source,
                    kind: row.try_get("kind")?,
                    title: row.try_get("title")?,
                    message: row.try_get("message")?,
                    priority,
                    action,
                    expires_at: row.try_get::<Option<i64>, _>("expires_at")?.map(ts),
                    metadata,
                    read: row.try_get("read")?,
                    timestamp: ts(row.try_get("created_at")?),
                })
            })
            .collect()
    }

    /// Unread notifications that are still shown.
    pub async fn unread_notifications(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(UNREAD)
            .bind(now_ms())
            .fetch_one(self.pool())
            .await?)
    }

    /// Marks one notification read, locally. Returns whether it exists.
    pub async fn mark_notification_read(&self, id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE notifications SET read = 1 WHERE id = ?")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Marks every notification read, locally. Returns how many were unread.
    pub async fn mark_all_notifications_read(&self) -> Result<u64, StoreError> {
        let done = sqlx::query("UPDATE notifications SET read = 1 WHERE read = 0")
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
