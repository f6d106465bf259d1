//! Applying received events to the cache: one transaction per batch, idempotent, and a status
//! never moves backwards.

use super::{Store, StoreError};
use sellerdesk_protocol::*;
use serde_json::json;
use sqlx::{Sqlite, Transaction};
use std::collections::{HashMap, HashSet};

/// What a batch changed, for the UI to know which views to refresh.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyReport {
    pub conversations: Vec<String>,
    pub orders: Vec<String>,
    pub listings: Vec<String>,
    pub notifications: Vec<String>,
    /// Client message ids whose echo arrived in this batch.
    pub echoed: Vec<String>,
    /// The conversations of those echoes: their outgoing messages changed.
    pub echoed_in: Vec<String>,
    /// The ids in each list above, so each is added once in constant time (a batch touches
    /// thousands; searching the list for each would be quadratic).
    seen: [HashSet<String>; 5],
}

/// Which list of the report an id belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Conversation = 0,
    Order = 1,
    Listing = 2,
    Notification = 3,
    EchoedIn = 4,
}

impl ApplyReport {
    fn touch(&mut self, kind: Kind, id: &str) {
        let seen = &mut self.seen[kind as usize];
        if seen.contains(id) {
            return;
        }
        seen.insert(id.to_owned());
        let list = match kind {
            Kind::Conversation => &mut self.conversations,
            Kind::Order => &mut self.orders,
            Kind::Listing => &mut self.listings,
            Kind::Notification => &mut self.notifications,
            Kind::EchoedIn => &mut self.echoed_in,
        };
        list.push(id.to_owned());
    }
}

type Tx<'a> = Transaction<'a, Sqlite>;

impl Store {
    /// Caches a batch of events in one transaction. Events that are not cached (ping, errors,
    /// typing) pass through untouched.
    pub async fn apply(
        &self,
        events: &[ServerEvent],
        received_at: Timestamp,
    ) -> Result<ApplyReport, StoreError> {
        let mut report = ApplyReport::default();
        // The seller's own messages echoed by a server that does not return `clientMessageId`
        // are recognised by their sender.
        let self_id = self.meta(super::META_SELF_ID).await?.unwrap_or_default();
        let _turn = self.write_turn().await;
        // IMMEDIATE: the write lock is taken (waiting for it) at the start. A deferred
        // transaction that reads first fails at once with "database is locked" when it tries to
        // write after another connection wrote in between, which no busy timeout helps.
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await?;
        let now = received_at.millis();
        // Consecutive buyer messages (the bulk of any flood) go in as multi-row statements;
        // everything else, in order, one event at a time.
        let mut run: Vec<&ChatMessage> = Vec::new();
        for event in events {
            match event {
                // An echo of the seller's own message also settles its outbox entry: one at a time.
                ServerEvent::ChatMessage(m)
                    if m.client_message_id.is_none() && m.sender.id != self_id =>
                {
                    run.push(m)
                }
                other => {
                    insert_messages(&mut tx, &run, now, &mut report).await?;
                    run.clear();
                    apply_one(&mut tx, other, now, &self_id, &mut report).await?;
                }
            }
        }
        insert_messages(&mut tx, &run, now, &mut report).await?;
        settle_pending_statuses(&mut tx, now).await?;
        tx.commit().await?;
        self.committed();
        Ok(report)
    }
}

async fn apply_one(
    tx: &mut Tx<'_>,
    event: &ServerEvent,
    now: i64,
    self_id: &str,
    report: &mut ApplyReport,
) -> Result<(), StoreError> {
    match event {
        ServerEvent::ChatMessage(m) => {
            insert_messages(tx, &[m], now, report).await?;
            let settled: Option<String> = match &m.client_message_id {
                Some(client_id) => sqlx::query_scalar(
                    "UPDATE outbox SET state = 'sent', server_message_id = ?, lease_owner = NULL, \
                     lease_until = NULL, reason = NULL, updated_at = ? \
                     WHERE client_message_id = ? AND state != 'sent' RETURNING client_message_id",
                )
                .bind(&m.id)
                .bind(now)
                .bind(client_id)
                .fetch_optional(&mut **tx)
                .await?,
                // Without the extension: the oldest message in flight with the same text in the
                // same conversation is the one echoed.
                None if !self_id.is_empty() && m.sender.id == self_id => sqlx::query_scalar(
                    "UPDATE outbox SET state = 'sent', server_message_id = ?, lease_owner = NULL, \
                     lease_until = NULL, reason = NULL, updated_at = ? \
                     WHERE seq = (SELECT seq FROM outbox WHERE state = 'sending' \
                                  AND conversation_id = ? AND content = ? ORDER BY seq LIMIT 1) \
                     RETURNING client_message_id",
                )
                .bind(&m.id)
                .bind(now)
                .bind(&m.conversation_id)
                .bind(&m.content)
                .fetch_optional(&mut **tx)
                .await?,
                None => None,
            };
            // The echo of a message this device sent is the seller's own, also when it comes
            // again later (a replay, or history after the cache was cleared): sent rows stay in
            // the outbox. A client id that matches no outbox row proves nothing.
            // One statement: marked when it settled an outbox row just now, or when its client
            // id is in the outbox.
            if settled.is_some() || m.client_message_id.is_some() {
                sqlx::query(
                    "UPDATE messages SET from_outbox = 1 WHERE id = ?1 AND from_outbox = 0 \
                     AND (?2 OR EXISTS (SELECT 1 FROM outbox WHERE client_message_id = ?3))",
                )
                .bind(&m.id)
                .bind(settled.is_some())
                .bind(&m.client_message_id)
                .execute(&mut **tx)
                .await?;
            }
            if let Some(client_id) = settled {
                report.echoed.push(client_id);
                report.touch(Kind::EchoedIn, &m.conversation_id);
            }
        }
        ServerEvent::ChatStatus(s) => {
            let rank = i64::from(s.status.rank());
            sqlx::query(
                "UPDATE messages SET status = ?, status_rank = ? WHERE id = ? AND status_rank < ?",
            )
            .bind(s.status.as_str())
            .bind(rank)
            .bind(&s.message_id)
            .bind(rank)
            .execute(&mut **tx)
            .await?;
            // A status for a message not cached yet waits for it (the highest one wins).
            sqlx::query(
                "INSERT INTO pending_statuses (message_id, conversation_id, status, status_rank, received_at) \
                 SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM messages WHERE id = ?1) \
                 ON CONFLICT(message_id) DO UPDATE SET \
                 status = CASE WHEN excluded.status_rank > status_rank THEN excluded.status ELSE status END, \
                 status_rank = MAX(status_rank, excluded.status_rank)",
            )
            .bind(&s.message_id)
            .bind(&s.conversation_id)
            .bind(s.status.as_str())
            .bind(rank)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            report.touch(Kind::Conversation, &s.conversation_id);
        }
        ServerEvent::ConversationUpdate(c) => {
            let participants = serde_json::to_string(&c.participants).unwrap_or_default();
            sqlx::query(
                "INSERT INTO conversations (id, state, participants, updated_at) VALUES (?, ?, ?, ?) \
                 ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, \
                 participants = CASE WHEN excluded.participants = '[]' THEN participants ELSE excluded.participants END",
            )
            .bind(&c.conversation_id)
            .bind(c.kind.as_str())
            .bind(participants)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            if let Some(last) = &c.last_message {
                bump_last_message(
                    tx,
                    &c.conversation_id,
                    &last.content,
                    last.timestamp.millis(),
                )
                .await?;
            }
            report.touch(Kind::Conversation, &c.conversation_id);
        }
        ServerEvent::OrderStatus(o) => {
            record_order_event(tx, &o.order_id, "status", o.timestamp.millis(), event, now).await?;
            sqlx::query(
                "UPDATE orders SET status = ?, status_at = ?, updated_at = ? \
                 WHERE id = ? AND (status_at IS NULL OR status_at <= ?)",
            )
            .bind(o.status.as_str())
            .bind(o.timestamp.millis())
            .bind(now)
            .bind(&o.order_id)
            .bind(o.timestamp.millis())
            .execute(&mut **tx)
            .await?;
            report.touch(Kind::Order, &o.order_id);
        }
        ServerEvent::OrderPayment(p) => {
            record_order_event(tx, &p.order_id, "payment", p.timestamp.millis(), event, now)
                .await?;
            sqlx::query(
                "UPDATE orders SET payment_status = ?, payment_amount = ?, payment_currency = ?, \
                 payment_method = ?, transaction_id = COALESCE(?, transaction_id), payment_at = ?, updated_at = ? \
                 WHERE id = ? AND (payment_at IS NULL OR payment_at <= ?)",
            )
            .bind(p.status.as_str())
            .bind(p.amount)
            .bind(&p.currency)
            .bind(&p.payment_method)
            .bind(&p.transaction_id)
            .bind(p.timestamp.millis())
            .bind(now)
            .bind(&p.order_id)
            .bind(p.timestamp.millis())
            .execute(&mut **tx)
            .await?;
            report.touch(Kind::Order, &p.order_id);
        }
        ServerEvent::OrderShipping(s) => {
            // The spec gives shipping events no timestamp: the arrival time orders them, and a
            // replay of an older one (already in the timeline) must not move shipping back.
            let new = record_order_event(tx, &s.order_id, "shipping", now, event, now).await?;
            report.touch(Kind::Order, &s.order_id);
            if !new {
                return Ok(());
            }
            let location = s
                .location
                .as_ref()
                .and_then(|l| serde_json::to_string(l).ok());
            sqlx::query(
                "UPDATE orders SET shipping_status = ?, carrier = COALESCE(?, carrier), \
                 tracking_number = COALESCE(?, tracking_number), \
                 estimated_delivery = COALESCE(?, estimated_delivery), \
                 shipping_location = COALESCE(?, shipping_location), shipping_at = ?, updated_at = ? \
                 WHERE id = ?",
            )
            .bind(s.status.as_str())
            .bind(&s.carrier)
            .bind(&s.tracking_number)
            .bind(s.estimated_delivery.map(|t| t.millis()))
            .bind(location)
            .bind(now)
            .bind(now)
            .bind(&s.order_id)
            .execute(&mut **tx)
            .await?;
            report.touch(Kind::Order, &s.order_id);
        }
        ServerEvent::ListingUpdate(l) => {
            ensure_listing(tx, &l.listing_id, now).await?;
            // One literal statement per column: the column name is never spliced in at run time.
            // Each field is ordered by its own change time; `changed_at` is the latest of all.
            let sql = match l.kind {
                ListingChangeKind::Price => Some(
                    "UPDATE listings SET price = ?1, price_changed_at = ?2, \
                     changed_at = MAX(COALESCE(changed_at, ?2), ?2), updated_at = ?3 \
                     WHERE id = ?4 AND (price_changed_at IS NULL OR price_changed_at <= ?2)",
                ),
                ListingChangeKind::Availability => Some(
                    "UPDATE listings SET availability = ?1, availability_changed_at = ?2, \
                     changed_at = MAX(COALESCE(changed_at, ?2), ?2), updated_at = ?3 \
                     WHERE id = ?4 AND (availability_changed_at IS NULL OR availability_changed_at <= ?2)",
                ),
                ListingChangeKind::Status => Some(
                    "UPDATE listings SET status = ?1, status_changed_at = ?2, \
                     changed_at = MAX(COALESCE(changed_at, ?2), ?2), updated_at = ?3 \
                     WHERE id = ?4 AND (status_changed_at IS NULL OR status_changed_at <= ?2)",
                ),
                ListingChangeKind::Other(_) => None,
            };
            if let Some(sql) = sql {
                // Stored as JSON text so a number, a string or an object all survive as sent.
                sqlx::query(sql)
                    .bind(l.changes.current.to_string())
                    .bind(l.timestamp.millis())
                    .bind(now)
                    .bind(&l.listing_id)
                    .execute(&mut **tx)
                    .await?;
            }
            report.touch(Kind::Listing, &l.listing_id);
        }
        ServerEvent::ListingStock(s) => {
            ensure_listing(tx, &s.listing_id, now).await?;
            sqlx::query(
                "UPDATE listings SET quantity = ?, stock_status = ?, \
                 stock_threshold = COALESCE(?, stock_threshold), updated_at = ? WHERE id = ?",
            )
            .bind(s.quantity)
            .bind(s.status.as_str())
            .bind(s.threshold)
            .bind(now)
            .bind(&s.listing_id)
            .execute(&mut **tx)
            .await?;
            report.touch(Kind::Listing, &s.listing_id);
        }
        ServerEvent::ListingViews(v) => {
            ensure_listing(tx, &v.listing_id, now).await?;
            let path = format!("$.\"{}\"", v.period.as_str().replace('"', ""));
            let value = json!({"views": v.views, "uniqueViews": v.unique_views}).to_string();
            sqlx::query(
                "UPDATE listings SET views = json_set(views, ?, json(?)), updated_at = ? WHERE id = ?",
            )
            .bind(path)
            .bind(value)
            .bind(now)
            .bind(&v.listing_id)
            .execute(&mut **tx)
            .await?;
            report.touch(Kind::Listing, &v.listing_id);
        }
        ServerEvent::NotificationSystem(n) => {
            let payload = serde_json::to_string(n).unwrap_or_default();
            upsert_notification(
                tx,
                NotificationRow {
                    id: &n.id,
                    source: "system",
                    kind: n.kind.as_str(),
                    title: &n.title,
                    message: &n.message,
                    payload: &payload,
                    read: false,
                    created_at: now,
                    expires_at: n.expiry.map(|t| t.millis()),
                },
            )
            .await?;
            report.touch(Kind::Notification, &n.id);
        }
        ServerEvent::NotificationUser(n) => {
            let payload = serde_json::to_string(n).unwrap_or_default();
            upsert_notification(
                tx,
                NotificationRow {
                    id: &n.id,
                    source: "user",
                    kind: n.kind.as_str(),
                    title: &n.title,
                    message: &n.message,
                    payload: &payload,
                    read: n.read,
                    created_at: n.timestamp.millis(),
                    expires_at: None,
                },
            )
            .await?;
            report.touch(Kind::Notification, &n.id);
        }
        ServerEvent::PresenceUpdate(p) => {
            sqlx::query(
                "INSERT INTO presence (user_id, status, last_seen, updated_at) VALUES (?, ?, ?, ?) \
                 ON CONFLICT(user_id) DO UPDATE SET status = excluded.status, \
                 last_seen = COALESCE(excluded.last_seen, last_seen), updated_at = excluded.updated_at",
            )
            .bind(&p.user_id)
            .bind(p.status.as_str())
            .bind(p.last_seen.map(|t| t.millis()))
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        ServerEvent::PresenceActivity(a) => {
            let activity = serde_json::to_string(a).unwrap_or_default();
            sqlx::query(
                "INSERT INTO presence (user_id, activity, updated_at) VALUES (?, ?, ?) \
                 ON CONFLICT(user_id) DO UPDATE SET activity = excluded.activity, updated_at = excluded.updated_at",
            )
            .bind(&a.user_id)
            .bind(activity)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        // Transient or connection-level: nothing to keep.
        ServerEvent::PresenceTyping(_)
        | ServerEvent::Error(_)
        | ServerEvent::ChatError(_)
        | ServerEvent::OrderError(_)
        | ServerEvent::Ping => {}
    }
    Ok(())
}

/// Rows per multi-row INSERT: 12 parameters each stays far below SQLite's variable limit.
const ROWS_PER_INSERT: usize = 256;

const MESSAGE_COLUMNS: &str = "INSERT INTO messages (id, conversation_id, sender_id, sender_name, \
     sender_avatar, content, attachments, sent_at, status, status_rank, client_message_id, received_at) ";

/// On a message id seen before, only a higher status is taken (a replay never lowers it). A
/// second message carrying a client message id already stored (a server that does not dedupe)
/// is dropped rather than aborting the whole batch.
const MESSAGE_UPSERT: &str = " ON CONFLICT(id) DO UPDATE SET \
     status = CASE WHEN excluded.status_rank > status_rank THEN excluded.status ELSE status END, \
     status_rank = MAX(status_rank, excluded.status_rank) \
     ON CONFLICT DO NOTHING";

/// Caches messages: multi-row upserts, then each conversation once, with its newest message.
async fn insert_messages(
    tx: &mut Tx<'_>,
    run: &[&ChatMessage],
    now: i64,
    report: &mut ApplyReport,
) -> Result<(), StoreError> {
    if run.is_empty() {
        return Ok(());
    }
    // Rows added from here on get higher sequence numbers (this transaction is the only
    // writer), so the search index takes exactly the new ones in one statement afterwards.
    let indexed_upto: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM messages")
        .fetch_one(&mut **tx)
        .await?;
    for chunk in run.chunks(ROWS_PER_INSERT) {
        let mut insert = sqlx::QueryBuilder::<Sqlite>::new(MESSAGE_COLUMNS);
        insert.push_values(chunk, |mut row, m| {
            row.push_bind(m.id.as_str())
                .push_bind(m.conversation_id.as_str())
                .push_bind(m.sender.id.as_str())
                .push_bind(m.sender.name.as_str())
                .push_bind(m.sender.avatar.as_str())
                .push_bind(m.content.as_str())
                .push_bind(serde_json::to_string(&m.attachments).unwrap_or_else(|_| "[]".into()))
                .push_bind(m.timestamp.millis())
                .push_bind(m.status.as_str().to_owned())
                .push_bind(i64::from(m.status.rank()))
                .push_bind(m.client_message_id.as_deref())
                .push_bind(now);
        });
        insert.push(MESSAGE_UPSERT);
        insert.build().execute(&mut **tx).await?;
    }
    sqlx::query(
        "INSERT INTO messages_fts (rowid, content, sender_name) \
         SELECT seq, content, sender_name FROM messages WHERE seq > ?",
    )
    .bind(indexed_upto)
    .execute(&mut **tx)
    .await?;
    // Each conversation once, with its newest message of the run.
    let mut newest: Vec<&ChatMessage> = Vec::new();
    let mut slot: HashMap<&str, usize> = HashMap::new();
    for m in run {
        match slot.get(m.conversation_id.as_str()) {
            Some(&i) if m.timestamp >= newest[i].timestamp => newest[i] = m,
            Some(_) => {}
            None => {
                slot.insert(m.conversation_id.as_str(), newest.len());
                newest.push(m);
            }
        }
    }
    for chunk in newest.chunks(ROWS_PER_INSERT) {
        let mut upsert = sqlx::QueryBuilder::<Sqlite>::new(CONVERSATION_COLUMNS);
        upsert.push_values(chunk, |mut row, m| {
            row.push_bind(m.conversation_id.as_str())
                .push_bind(m.content.as_str())
                .push_bind(m.timestamp.millis())
                .push_bind(now);
        });
        upsert.push(CONVERSATION_BUMP);
        upsert.build().execute(&mut **tx).await?;
    }
    for m in newest {
        report.touch(Kind::Conversation, &m.conversation_id);
    }
    Ok(())
}

const CONVERSATION_COLUMNS: &str =
    "INSERT INTO conversations (id, last_message_content, last_message_at, updated_at) ";

/// A message for a conversation we have not heard of creates it; a known one takes the message
/// as its last unless it already shows a newer one. (The right-hand sides all see the old row.)
const CONVERSATION_BUMP: &str = " ON CONFLICT(id) DO UPDATE SET \
     last_message_content = CASE WHEN last_message_at IS NULL OR last_message_at <= excluded.last_message_at \
       THEN excluded.last_message_content ELSE last_message_content END, \
     last_message_at = CASE WHEN last_message_at IS NULL OR last_message_at <= excluded.last_message_at \
       THEN excluded.last_message_at ELSE last_message_at END";

/// How long a status waits for its message before it is given up.
const PENDING_STATUS_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// Applies statuses that arrived before their message, now that it is cached.
async fn settle_pending_statuses(tx: &mut Tx<'_>, now: i64) -> Result<(), StoreError> {
    // Nothing waits in the usual case: one index probe, and ingest never pays for the join.
    let waiting: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pending_statuses)")
        .fetch_one(&mut **tx)
        .await?;
    if !waiting {
        return Ok(());
    }
    // Driven by the pending rows (`id IN`), never by a scan of the messages.
    sqlx::query(
        "UPDATE messages SET status = p.status, status_rank = p.status_rank \
         FROM pending_statuses AS p \
         WHERE messages.id IN (SELECT message_id FROM pending_statuses) \
         AND p.message_id = messages.id AND p.status_rank > messages.status_rank",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "DELETE FROM pending_statuses \
         WHERE EXISTS (SELECT 1 FROM messages WHERE messages.id = pending_statuses.message_id) \
         OR received_at < ?",
    )
    .bind(now - PENDING_STATUS_MS)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn bump_last_message(
    tx: &mut Tx<'_>,
    conversation_id: &str,
    content: &str,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE conversations SET last_message_content = ?, last_message_at = ? \
         WHERE id = ? AND (last_message_at IS NULL OR last_message_at <= ?)",
    )
    .bind(content)
    .bind(at)
    .bind(conversation_id)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds an order event to the timeline (once, however often it is replayed) and makes sure
/// the order exists. Returns whether the event was new.
async fn record_order_event(
    tx: &mut Tx<'_>,
    order_id: &str,
    kind: &str,
    at: i64,
    event: &ServerEvent,
    now: i64,
) -> Result<bool, StoreError> {
    sqlx::query("INSERT OR IGNORE INTO orders (id, updated_at) VALUES (?, ?)")
        .bind(order_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    let payload = event.payload().map(|p| p.to_string()).unwrap_or_default();
    // Shipping events carry no time of their own, so their content alone identifies a replay.
    let fingerprint = if kind == "shipping" {
        format!("{kind}:{payload}")
    } else {
        format!("{kind}:{at}:{payload}")
    };
    let inserted = sqlx::query(
        "INSERT OR IGNORE INTO order_events (order_id, kind, at, payload, fingerprint) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(order_id)
    .bind(kind)
    .bind(at)
    .bind(payload)
    .bind(fingerprint)
    .execute(&mut **tx)
    .await?;
    Ok(inserted.rows_affected() > 0)
}

async fn ensure_listing(tx: &mut Tx<'_>, listing_id: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT OR IGNORE INTO listings (id, updated_at) VALUES (?, ?)")
        .bind(listing_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

struct NotificationRow<'a> {
    id: &'a str,
    source: &'a str,
    kind: &'a str,
    title: &'a str,
    message: &'a str,
    payload: &'a str,
    read: bool,
    created_at: i64,
    expires_at: Option<i64>,
}

async fn upsert_notification(tx: &mut Tx<'_>, n: NotificationRow<'_>) -> Result<(), StoreError> {
    // A replay never marks a read notification unread again.
    sqlx::query(
        "INSERT INTO notifications (id, source, kind, title, message, payload, read, created_at, expires_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT(id) DO UPDATE SET title = excluded.title, message = excluded.message, \
         payload = excluded.payload, read = MAX(read, excluded.read), expires_at = excluded.expires_at",
    )
    .bind(n.id)
    .bind(n.source)
    .bind(n.kind)
    .bind(n.title)
    .bind(n.message)
    .bind(n.payload)
    .bind(n.read)
    .bind(n.created_at)
    .bind(n.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
