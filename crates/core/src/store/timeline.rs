//! Orders a page at a time, and one order with its timeline.

use super::paging::PageRequest;
use super::queries::{order_from_row, ts};
use super::{Store, StoreError};
use crate::models::{OrderDetail, OrderView, TimelineEntry};
use sellerdesk_protocol::{OrderPayment, OrderShipping, OrderStatusChange};
use serde_json::Value;
use sqlx::Row;

const PAGE: &str = concat!(
    "SELECT ",
    order_columns!(),
    " FROM orders WHERE (?1 IS NULL OR status = ?1) ORDER BY updated_at DESC, id LIMIT ?2 OFFSET ?3"
);
const ONE: &str = concat!("SELECT ", order_columns!(), " FROM orders WHERE id = ?");
// Same time: the order of arrival (rowid) keeps, e.g., `paid` before `shipped`.
const TIMELINE: &str =
    "SELECT kind, at, payload FROM order_events WHERE order_id = ? ORDER BY at, rowid";

impl Store {
    /// Orders, most recently updated first, optionally only those with `status`.
    pub async fn orders_page(
        &self,
        status: Option<&str>,
        page: PageRequest,
    ) -> Result<Vec<OrderView>, StoreError> {
        let rows = sqlx::query(PAGE)
            .bind(status)
            .bind(page.sql_limit())
            .bind(page.sql_offset())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(order_from_row).collect()
    }

    /// One order with every event received for it, oldest first (an event that arrived late
    /// sits at its own time).
    pub async fn order_detail(&self, order_id: &str) -> Result<OrderDetail, StoreError> {
        let row = sqlx::query(ONE)
            .bind(order_id)
            .fetch_optional(self.pool())
            .await?
            // The id is not echoed: a link from any web page can name one.
            .ok_or_else(|| StoreError::NotFound("order".to_owned()))?;
        let order = order_from_row(&row)?;
        let rows = sqlx::query(TIMELINE)
            .bind(order_id)
            .fetch_all(self.pool())
            .await?;
        let timeline = rows
            .iter()
            .map(|row| {
                Ok(timeline_entry(
                    row.try_get("kind")?,
                    row.try_get("at")?,
                    &row.try_get::<String, _>("payload")?,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(OrderDetail { order, timeline })
    }
}

/// Decodes a stored payload into its protocol type; one this version cannot read is kept raw.
fn timeline_entry(kind: String, at: i64, payload: &str) -> TimelineEntry {
    let mut entry = TimelineEntry {
        kind,
        at: ts(at),
        status: None,
        payment: None,
        shipping: None,
        raw: None,
    };
    let decoded = match entry.kind.as_str() {
        "status" => serde_json::from_str::<OrderStatusChange>(payload)
            .map(|s| entry.status = Some(s))
            .is_ok(),
        "payment" => serde_json::from_str::<OrderPayment>(payload)
            .map(|p| entry.payment = Some(p))
            .is_ok(),
        "shipping" => serde_json::from_str::<OrderShipping>(payload)
            .map(|s| entry.shipping = Some(s))
            .is_ok(),
        _ => false,
    };
    if !decoded {
        entry.raw = Some(serde_json::from_str(payload).unwrap_or(Value::Null));
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_payload_is_kept_raw() {
        let entry = timeline_entry("status".into(), 0, "{\"orderId\":\"o1\"}");
        assert!(entry.status.is_none());
        assert_eq!(entry.raw, Some(serde_json::json!({"orderId": "o1"})));
        let entry = timeline_entry("refund".into(), 0, "not json");
        assert_eq!(entry.raw, Some(Value::Null));
    }
}
