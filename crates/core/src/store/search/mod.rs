//! Search over message text, buyer names, order ids and listing ids (FTS5, see the migration
//! `20261201000000_search_and_paging.sql`).
//!
//! Order: orders and listings whose id matches come first (a typed id is what the seller is
//! after), ranked by bm25 among themselves; then messages, newest first. Messages are not
//! ranked by bm25: that scores every match before the first 50 can be taken (seconds for a
//! common word in a million messages), while walking the index from the newest row down stops
//! after the page. Newest first is also what a seller looking for "that message about the
//! refund" expects, as in other chat clients.

mod highlight;
mod query;
#[cfg(test)]
mod query_proptest;
mod snippet;

use super::paging::PageRequest;
use super::queries::ts;
use super::{Store, StoreError};
use crate::models::{SearchResult, SearchResultKind};
use query::ParsedQuery;
use sqlx::Row;

// The message queries bind: ?1 match expression, ?2 conversation id, ?3 symbols (JSON array),
// ?4 limit, ?5 offset.

macro_rules! message_columns {
    () => {
        "SELECT 'message' AS kind, m.id AS id, m.conversation_id AS conversation_id, \
           m.sender_name AS sender_name, m.sent_at AS at, m.content AS text "
    };
}

// Symbols (emoji) are not in the index: matched as substrings of the rows the walk visits.
macro_rules! symbols_filter {
    () => {
        " AND NOT EXISTS (SELECT 1 FROM json_each(?3) s WHERE instr(m.content, s.value) = 0)"
    };
}

/// Walks the index newest row first; the LIMIT ends the walk.
const MESSAGES_BY_INDEX: &str = concat!(
    message_columns!(),
    "FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid \
     WHERE messages_fts MATCH ?1 AND ?2 IS NULL",
    symbols_filter!(),
    " ORDER BY messages_fts.rowid DESC LIMIT ?4 OFFSET ?5"
);

/// `in:CONVERSATION`: that conversation's messages (its index) checked against the set of
/// matching rows, read once. Walking the index newest first instead would visit every match in
/// every other conversation before a quiet conversation's few.
const MESSAGES_IN_CONVERSATION: &str = concat!(
    message_columns!(),
    "FROM messages m WHERE m.conversation_id = ?2 \
     AND m.seq IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?1)",
    symbols_filter!(),
    " ORDER BY m.sent_at DESC, m.id DESC LIMIT ?4 OFFSET ?5"
);

/// No text to look up (only `in:` or symbols): newest first off the table itself.
const MESSAGES_SCAN: &str = concat!(
    message_columns!(),
    "FROM messages m WHERE ?1 IS NULL AND ?2 IS NULL",
    symbols_filter!(),
    " ORDER BY m.seq DESC LIMIT ?4 OFFSET ?5"
);
const MESSAGES_SCAN_CONVERSATION: &str = concat!(
    message_columns!(),
    "FROM messages m WHERE ?1 IS NULL AND m.conversation_id = ?2",
    symbols_filter!(),
    " ORDER BY m.sent_at DESC, m.id DESC LIMIT ?4 OFFSET ?5"
);

/// Orders and listings; ?1 match expression, ?2 kind filter, ?3 limit.
const RECORDS: &str = "SELECT records_fts.kind AS kind, records_fts.record_id AS id, \
       records_fts.record_id AS text, NULL AS conversation_id, NULL AS sender_name, \
       COALESCE((SELECT o.updated_at FROM orders o WHERE records_fts.kind = 'order' AND o.id = records_fts.record_id), \
                (SELECT l.updated_at FROM listings l WHERE records_fts.kind = 'listing' AND l.id = records_fts.record_id), \
                0) AS at \
     FROM records_fts WHERE records_fts MATCH ?1 AND (?2 IS NULL OR records_fts.kind = ?2) \
     ORDER BY bm25(records_fts), at DESC, kind, id LIMIT ?3";

struct Hit {
    kind: String,
    id: String,
    conversation_id: Option<String>,
    sender_name: Option<String>,
    at: i64,
    /// The text the match is marked in: the message, or the order or listing id.
    text: String,
}

impl Hit {
    fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Self, StoreError> {
        Ok(Self {
            kind: row.try_get("kind")?,
            id: row.try_get("id")?,
            conversation_id: row.try_get("conversation_id")?,
            sender_name: row.try_get("sender_name")?,
            at: row.try_get("at")?,
            text: row.try_get("text")?,
        })
    }
}

impl Store {
    /// Searches the cache. `query` is free text plus the filters `buyer:NAME`, `order:ID` and
    /// `in:CONVERSATION_ID` (values may be quoted); any input is accepted, none is an error.
    pub async fn search(
        &self,
        query: &str,
        page: PageRequest,
    ) -> Result<Vec<SearchResult>, StoreError> {
        let parsed = ParsedQuery::parse(query);
        if parsed.is_empty() {
            return Ok(Vec::new());
        }
        let messages_match = parsed.messages_match();
        let records_match = parsed.records_match();
        let (offset, limit) = (page.sql_offset(), page.sql_limit());

        // Records first: fetch up to the end of the page; fewer means that is all of them.
        let records = match &records_match {
            Some(expression) => {
                self.records(expression, parsed.records_kind(), offset + limit)
                    .await?
            }
            None => Vec::new(),
        };
        let record_count = i64::try_from(records.len()).unwrap_or(i64::MAX);
        let mut hits: Vec<Hit> = records
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .collect();
        let wanted = limit - i64::try_from(hits.len()).unwrap_or(i64::MAX);
        // A filter that names something no message can match (`order:` with no usable id, or
        // `buyer:` with nothing but punctuation) rules the messages out.
        let messages_ruled_out = messages_match.is_none()
            && (parsed.order.is_some() || parsed.buyer.is_some() || !parsed.terms.is_empty());
        if wanted > 0 && !messages_ruled_out {
            let sql = match (&messages_match, &parsed.conversation) {
                (Some(_), None) => MESSAGES_BY_INDEX,
                (Some(_), Some(_)) => MESSAGES_IN_CONVERSATION,
                (None, None) => MESSAGES_SCAN,
                (None, Some(_)) => MESSAGES_SCAN_CONVERSATION,
            };
            let symbols = serde_json::to_string(&parsed.symbols).unwrap_or_else(|_| "[]".into());
            let rows = sqlx::query(sql)
                .bind(messages_match.as_deref())
                .bind(parsed.conversation.as_deref())
                .bind(symbols)
                .bind(wanted)
                .bind((offset - record_count).max(0))
                .fetch_all(self.pool())
                .await?;
            for row in &rows {
                hits.push(Hit::from_row(row)?);
            }
        }

        let phrases = parsed.highlight_phrases();
        let mut results = Vec::with_capacity(hits.len());
        for hit in hits {
            let kind = match hit.kind.as_str() {
                "message" => SearchResultKind::Message,
                "order" => SearchResultKind::Order,
                _ => SearchResultKind::Listing,
            };
            let segments = highlight::mark(&hit.text, &phrases);
            let segments = snippet::window(snippet::mark_substrings(segments, &parsed.symbols));
            let id = Some(hit.id);
            results.push(SearchResult {
                kind,
                conversation_id: hit.conversation_id,
                message_id: id.clone().filter(|_| kind == SearchResultKind::Message),
                order_id: id.clone().filter(|_| kind == SearchResultKind::Order),
                listing_id: id.filter(|_| kind == SearchResultKind::Listing),
                sender_name: hit.sender_name,
                snippet: segments,
                timestamp: ts(hit.at),
            });
        }
        Ok(results)
    }

    /// Orders and listings whose id matches, best first, at most `limit`.
    async fn records(
        &self,
        expression: &str,
        kind: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Hit>, StoreError> {
        let rows = sqlx::query(RECORDS)
            .bind(expression)
            .bind(kind)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(Hit::from_row).collect()
    }
}
