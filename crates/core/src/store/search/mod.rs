//! Search over message text, buyer names, order ids and listing ids (FTS5, see the migration
//! `20261201000000_search_and_paging.sql`).
//!
//! Order: orders and listings whose id matches come first (a typed id is what the seller is
//! after, and bm25 over two differently sized indexes is not comparable), then messages by
//! bm25, then newest first.

mod query;
mod snippet;

use super::paging::PageRequest;
use super::queries::ts;
use super::{Store, StoreError};
use crate::models::{SearchResult, SearchResultKind, SnippetSegment};
use query::ParsedQuery;
use sqlx::Row;

// Every variant binds the same seven parameters, so one binding routine serves them all:
// ?1 messages match, ?2 conversation id, ?3 symbols (JSON array), ?4 records match,
// ?5 records kind, ?6 limit, ?7 offset.

macro_rules! message_match_arm {
    () => {
        "SELECT 'message' AS kind, m.seq AS seq, m.id AS id, m.conversation_id AS conversation_id, \
           m.sender_name AS sender_name, m.sent_at AS at, 1 AS tier, bm25(messages_fts) AS score \
         FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid \
         WHERE messages_fts MATCH ?1 AND (?2 IS NULL OR m.conversation_id = ?2) \
           AND NOT EXISTS (SELECT 1 FROM json_each(?3) s WHERE instr(m.content, s.value) = 0)"
    };
}

macro_rules! message_scan_arm {
    () => {
        "SELECT 'message' AS kind, m.seq AS seq, m.id AS id, m.conversation_id AS conversation_id, \
           m.sender_name AS sender_name, m.sent_at AS at, 1 AS tier, 0.0 AS score \
         FROM messages m WHERE (?2 IS NULL OR m.conversation_id = ?2) \
           AND NOT EXISTS (SELECT 1 FROM json_each(?3) s WHERE instr(m.content, s.value) = 0)"
    };
}

macro_rules! records_arm {
    () => {
        "SELECT records_fts.kind AS kind, records_fts.rowid AS seq, records_fts.record_id AS id, \
           NULL AS conversation_id, NULL AS sender_name, \
           COALESCE((SELECT o.updated_at FROM orders o WHERE records_fts.kind = 'order' AND o.id = records_fts.record_id), \
                    (SELECT l.updated_at FROM listings l WHERE records_fts.kind = 'listing' AND l.id = records_fts.record_id), \
                    0) AS at, \
           0 AS tier, bm25(records_fts) AS score \
         FROM records_fts WHERE records_fts MATCH ?4 AND (?5 IS NULL OR records_fts.kind = ?5)"
    };
}

macro_rules! ranked {
    ($($arm:expr),+) => {
        concat!(
            "SELECT kind, seq, id, conversation_id, sender_name, at FROM (",
            $($arm, )+
            ") ORDER BY tier, score, at DESC, kind, id LIMIT ?6 OFFSET ?7"
        )
    };
}

const MESSAGES_AND_RECORDS: &str = ranked!(message_match_arm!(), " UNION ALL ", records_arm!());
const MESSAGES_ONLY: &str = ranked!(message_match_arm!());
const RECORDS_ONLY: &str = ranked!(records_arm!());
// Only `in:` or symbols: no text to rank by, newest first. Other arms bind ?1/?4/?5 unused.
const MESSAGES_SCAN: &str = concat!(
    "SELECT kind, seq, id, conversation_id, sender_name, at FROM (",
    message_scan_arm!(),
    ") WHERE ?1 IS NULL AND ?4 IS NULL AND ?5 IS NULL ORDER BY at DESC, id LIMIT ?6 OFFSET ?7"
);

const MESSAGE_HIGHLIGHT: &str =
    "SELECT m.content AS text, highlight(messages_fts, 0, ?1, ?2) AS marked \
     FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid \
     WHERE messages_fts MATCH ?3 AND messages_fts.rowid = ?4";
const MESSAGE_TEXT: &str = "SELECT content AS text, NULL AS marked FROM messages WHERE seq = ?4 \
     AND ?1 IS NOT NULL AND ?2 IS NOT NULL AND ?3 IS NULL";
const RECORD_HIGHLIGHT: &str =
    "SELECT record_id AS text, highlight(records_fts, 1, ?1, ?2) AS marked \
     FROM records_fts WHERE records_fts MATCH ?3 AND rowid = ?4";

struct Hit {
    kind: String,
    seq: i64,
    id: String,
    conversation_id: Option<String>,
    sender_name: Option<String>,
    at: i64,
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
        let sql = match (&messages_match, &records_match) {
            (Some(_), Some(_)) => MESSAGES_AND_RECORDS,
            (Some(_), None) => MESSAGES_ONLY,
            (None, Some(_)) if parsed.conversation.is_none() && parsed.symbols.is_empty() => {
                RECORDS_ONLY
            }
            // `order:` with no usable id, or only `in:` / symbols.
            (None, _) if parsed.order.is_some() || parsed.buyer.is_some() => return Ok(Vec::new()),
            (None, _) => MESSAGES_SCAN,
        };
        let symbols = serde_json::to_string(&parsed.symbols).unwrap_or_else(|_| "[]".into());
        let rows = sqlx::query(sql)
            .bind(messages_match.as_deref())
            .bind(parsed.conversation.as_deref())
            .bind(symbols)
            .bind(records_match.as_deref())
            .bind(parsed.records_kind())
            .bind(page.sql_limit())
            .bind(page.sql_offset())
            .fetch_all(self.pool())
            .await?;
        let hits = rows
            .iter()
            .map(|row| {
                Ok(Hit {
                    kind: row.try_get("kind")?,
                    seq: row.try_get("seq")?,
                    id: row.try_get("id")?,
                    conversation_id: row.try_get("conversation_id")?,
                    sender_name: row.try_get("sender_name")?,
                    at: row.try_get("at")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let mut results = Vec::with_capacity(hits.len());
        for hit in hits {
            let (kind, expression) = match hit.kind.as_str() {
                "message" => (SearchResultKind::Message, messages_match.as_deref()),
                "order" => (SearchResultKind::Order, records_match.as_deref()),
                _ => (SearchResultKind::Listing, records_match.as_deref()),
            };
            let segments = self.snippet(kind, hit.seq, expression).await?;
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

    /// The hit's text with its matches marked (highlight() on the page's rows only).
    async fn snippet(
        &self,
        kind: SearchResultKind,
        seq: i64,
        expression: Option<&str>,
    ) -> Result<Vec<SnippetSegment>, StoreError> {
        let sql = match (kind, expression) {
            (SearchResultKind::Message, Some(_)) => MESSAGE_HIGHLIGHT,
            (SearchResultKind::Message, None) => MESSAGE_TEXT,
            (_, _) => RECORD_HIGHLIGHT,
        };
        let row = sqlx::query(sql)
            .bind(snippet::OPEN.to_string())
            .bind(snippet::CLOSE.to_string())
            .bind(expression)
            .bind(seq)
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else {
            return Ok(Vec::new());
        };
        let text: String = row.try_get("text")?;
        let marked: Option<String> = row.try_get("marked")?;
        Ok(snippet::segments(&text, marked.as_deref()))
    }
}
