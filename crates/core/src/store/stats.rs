//! What the cache holds (rows and bytes per kind) and emptying it.

use super::{Store, StoreError};
use crate::models::{CacheKindStats, CacheStats, ClearReport};
use sqlx::Row;
use std::collections::BTreeMap;

/// Kinds in display order, with the table holding each.
const KINDS: &[(&str, &str)] = &[
    ("conversations", "conversations"),
    ("messages", "messages"),
    ("orders", "orders"),
    ("orderEvents", "order_events"),
    ("listings", "listings"),
    ("notifications", "notifications"),
    ("presence", "presence"),
    ("outbox", "outbox"),
];
const SEARCH_INDEX: &str = "searchIndex";

// Row counts; the search index counts one row per indexed message, order and listing.
const ROWS: &str = "SELECT 'conversations' AS kind, COUNT(*) AS n FROM conversations \
     UNION ALL SELECT 'messages', COUNT(*) FROM messages \
     UNION ALL SELECT 'orders', COUNT(*) FROM orders \
     UNION ALL SELECT 'orderEvents', COUNT(*) FROM order_events \
     UNION ALL SELECT 'listings', COUNT(*) FROM listings \
     UNION ALL SELECT 'notifications', COUNT(*) FROM notifications \
     UNION ALL SELECT 'presence', COUNT(*) FROM presence \
     UNION ALL SELECT 'outbox', COUNT(*) FROM outbox \
     UNION ALL SELECT 'searchIndex', (SELECT COUNT(*) FROM messages_fts_docsize) \
                                   + (SELECT COUNT(*) FROM records_fts_docsize)";

// Pages on disk per table, its indexes included (dbstat names the b-tree; sqlite_schema maps
// an index to its table).
const DBSTAT_BYTES: &str = "SELECT COALESCE(s.tbl_name, d.name) AS tbl, SUM(d.pgsize) AS bytes \
     FROM dbstat d LEFT JOIN sqlite_schema s ON s.name = d.name GROUP BY tbl";

// Without dbstat: the bytes of the stored text and JSON (numbers and b-tree overhead left out).
const TEXT_BYTES: &str = "SELECT 'conversations' AS tbl, COALESCE(SUM(octet_length(id) + octet_length(state) \
       + octet_length(participants) + COALESCE(octet_length(last_message_content), 0)), 0) AS bytes FROM conversations \
     UNION ALL SELECT 'messages', COALESCE(SUM(octet_length(id) + octet_length(conversation_id) \
       + octet_length(sender_id) + octet_length(sender_name) + octet_length(sender_avatar) + octet_length(content) \
       + octet_length(attachments) + octet_length(status) + COALESCE(octet_length(client_message_id), 0)), 0) FROM messages \
     UNION ALL SELECT 'orders', COALESCE(SUM(octet_length(id) + COALESCE(octet_length(status), 0) \
       + COALESCE(octet_length(shipping_location), 0) + COALESCE(octet_length(tracking_number), 0)), 0) FROM orders \
     UNION ALL SELECT 'order_events', COALESCE(SUM(octet_length(order_id) + octet_length(kind) \
       + octet_length(payload) + octet_length(fingerprint)), 0) FROM order_events \
     UNION ALL SELECT 'listings', COALESCE(SUM(octet_length(id) + COALESCE(octet_length(price), 0) \
       + COALESCE(octet_length(availability), 0) + COALESCE(octet_length(status), 0) + octet_length(views)), 0) FROM listings \
     UNION ALL SELECT 'notifications', COALESCE(SUM(octet_length(id) + octet_length(title) \
       + octet_length(message) + octet_length(payload)), 0) FROM notifications \
     UNION ALL SELECT 'presence', COALESCE(SUM(octet_length(user_id) + COALESCE(octet_length(activity), 0)), 0) FROM presence \
     UNION ALL SELECT 'outbox', COALESCE(SUM(octet_length(client_message_id) + octet_length(content) \
       + octet_length(attachments)), 0) FROM outbox \
     UNION ALL SELECT 'messages_fts_data', COALESCE(SUM(octet_length(block)), 0) FROM messages_fts_data \
     UNION ALL SELECT 'records_fts_data', COALESCE(SUM(octet_length(block)), 0) FROM records_fts_data";

const FILE_BYTES: &str =
    "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";

/// Set while the cache is being emptied: the messages delete trigger then leaves the search
/// index alone (it is emptied in one step instead). See the migration.
const BULK_CLEAR_KEY: &str = "search_index_bulk_clear";

impl Store {
    /// Rows and bytes per kind. Bytes come from SQLite's `dbstat` table (pages on disk, indexes
    /// included) when the linked SQLite has it, else from the length of the stored text.
    pub async fn cache_stats(&self) -> Result<CacheStats, StoreError> {
        let mut rows: BTreeMap<String, i64> = BTreeMap::new();
        for row in sqlx::query(ROWS).fetch_all(self.pool()).await? {
            rows.insert(row.try_get("kind")?, row.try_get("n")?);
        }
        let (per_table, bytes_source) = match self.table_bytes(DBSTAT_BYTES).await {
            Ok(bytes) => (bytes, "dbstat"),
            Err(e) => {
                tracing::debug!(error = %e, "no dbstat; estimating bytes from text lengths");
                (self.table_bytes(TEXT_BYTES).await?, "textLength")
            }
        };
        let mut bytes: BTreeMap<&str, i64> = BTreeMap::new();
        for (table, size) in &per_table {
            *bytes.entry(kind_of(table)).or_default() += size;
        }
        let kinds: Vec<CacheKindStats> = KINDS
            .iter()
            .map(|(kind, _)| *kind)
            .chain([SEARCH_INDEX])
            .map(|kind| CacheKindStats {
                kind: kind.to_owned(),
                rows: rows.get(kind).copied().unwrap_or(0),
                bytes: bytes.get(kind).copied().unwrap_or(0),
            })
            .collect();
        // Schema, meta and other bookkeeping pages count towards the total only.
        let other = bytes.get("other").copied().unwrap_or(0);
        let total_bytes = kinds.iter().map(|k| k.bytes).sum::<i64>() + other;
        let total_rows = kinds.iter().map(|k| k.rows).sum();
        Ok(CacheStats {
            kinds,
            total_rows,
            total_bytes,
            file_bytes: self.file_bytes().await?,
            bytes_source: bytes_source.to_owned(),
        })
    }

    async fn table_bytes(&self, sql: &'static str) -> Result<Vec<(String, i64)>, StoreError> {
        sqlx::query(sql)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| Ok((row.try_get("tbl")?, row.try_get("bytes")?)))
            .collect()
    }

    async fn file_bytes(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(FILE_BYTES)
            .fetch_one(self.pool())
            .await?)
    }

    /// Empties every cached table and the search index, and the outbox too when
    /// `include_outbox` (otherwise messages not yet sent survive). The account (meta) stays.
    /// The file is compacted afterwards (VACUUM) so the space is given back.
    pub async fn clear_cache(&self, include_outbox: bool) -> Result<ClearReport, StoreError> {
        let file_bytes_before = self.file_bytes().await?;
        let mut tx = self.pool().begin().await?;
        sqlx::query("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')")
            .bind(BULK_CLEAR_KEY)
            .execute(&mut *tx)
            .await?;
        let mut rows_removed = 0;
        for sql in [
            "DELETE FROM messages",
            "DELETE FROM conversations",
            "DELETE FROM order_events",
            "DELETE FROM notifications",
            "DELETE FROM presence",
            "DELETE FROM pending_statuses",
        ] {
            rows_removed += sqlx::query(sql).execute(&mut *tx).await?.rows_affected();
        }
        sqlx::query("INSERT INTO messages_fts (messages_fts) VALUES ('delete-all')")
            .execute(&mut *tx)
            .await?;
        // Emptied before its tables, so their delete triggers find nothing left to remove.
        sqlx::query("DELETE FROM records_fts")
            .execute(&mut *tx)
            .await?;
        for sql in ["DELETE FROM orders", "DELETE FROM listings"] {
            rows_removed += sqlx::query(sql).execute(&mut *tx).await?.rows_affected();
        }
        if include_outbox {
            rows_removed += sqlx::query("DELETE FROM outbox")
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        sqlx::query("DELETE FROM meta WHERE key = ?")
            .bind(BULK_CLEAR_KEY)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        sqlx::query("VACUUM").execute(self.pool()).await?;
        // Hand the WAL's pages back too (ignored for an in-memory cache).
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(self.pool())
            .await?;
        Ok(ClearReport {
            rows_removed: i64::try_from(rows_removed).unwrap_or(i64::MAX),
            outbox_cleared: include_outbox,
            file_bytes_before,
            file_bytes_after: self.file_bytes().await?,
            // The attachment files are the caller's (`attachments::clear_cache`).
            attachment_files_removed: 0,
            attachment_bytes_removed: 0,
        })
    }
}

/// The kind a table (or an FTS5 shadow table) belongs to.
fn kind_of(table: &str) -> &'static str {
    if table.starts_with("messages_fts") || table.starts_with("records_fts") {
        return SEARCH_INDEX;
    }
    KINDS
        .iter()
        .find(|(_, t)| *t == table)
        .map_or("other", |(kind, _)| kind)
}
