//! Listings, the ones running out of stock first.

use super::paging::PageRequest;
use super::queries::ts;
use super::{Store, StoreError};
use crate::models::{ListingView, StockView, ViewCount};
use sellerdesk_protocol::Timestamp;
use serde_json::Value;
use sqlx::Row;
use std::collections::BTreeMap;

// 0: out of stock, 1: low (by the server's flag or the threshold), 2: the rest, 3: no stock known.
const PAGE: &str = "SELECT id, price, availability, status, changed_at, price_changed_at, \
       availability_changed_at, status_changed_at, quantity, stock_status, \
       stock_threshold, views, updated_at, \
       CASE WHEN quantity IS NULL AND stock_status IS NULL THEN 3 \
            WHEN stock_status = 'out_of_stock' OR quantity <= 0 THEN 0 \
            WHEN stock_status = 'low_stock' OR quantity <= stock_threshold THEN 1 \
            ELSE 2 END AS urgency \
     FROM listings ORDER BY urgency, quantity, id LIMIT ?1 OFFSET ?2";

impl Store {
    /// Listings: out of stock, then low stock (fewest left first), then the rest.
    pub async fn listings(&self, page: PageRequest) -> Result<Vec<ListingView>, StoreError> {
        let rows = sqlx::query(PAGE)
            .bind(page.sql_limit())
            .bind(page.sql_offset())
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                let urgency: i64 = row.try_get("urgency")?;
                let quantity: Option<i64> = row.try_get("quantity")?;
                let stock_status: Option<String> = row.try_get("stock_status")?;
                let stock = quantity.map(|quantity| StockView {
                    quantity,
                    status: stock_status,
                    threshold: row.try_get("stock_threshold").ok().flatten(),
                });
                Ok(ListingView {
                    id: row.try_get("id")?,
                    price: json_value(row.try_get("price")?),
                    availability: json_value(row.try_get("availability")?),
                    status: json_value(row.try_get("status")?),
                    changed_at: time(row, "changed_at")?,
                    price_changed_at: time(row, "price_changed_at")?,
                    availability_changed_at: time(row, "availability_changed_at")?,
                    status_changed_at: time(row, "status_changed_at")?,
                    stock,
                    low_stock: urgency <= 1,
                    views: views(&row.try_get::<String, _>("views")?),
                    updated_at: ts(row.try_get("updated_at")?),
                })
            })
            .collect()
    }
}

fn time(row: &sqlx::sqlite::SqliteRow, column: &str) -> Result<Option<Timestamp>, sqlx::Error> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(ts))
}

/// Stored as the JSON the server sent; text that is not JSON (never written by this app) is
/// shown as a string rather than failing the list.
fn json_value(text: Option<String>) -> Option<Value> {
    text.map(|t| serde_json::from_str(&t).unwrap_or(Value::String(t)))
}

fn views(text: &str) -> BTreeMap<String, ViewCount> {
    let map: BTreeMap<String, Value> = serde_json::from_str(text).unwrap_or_default();
    map.into_iter()
        .map(|(period, v)| {
            let count = |key: &str| v.get(key).and_then(Value::as_u64).unwrap_or(0);
            (
                period,
                ViewCount {
                    views: count("views"),
                    unique_views: count("uniqueViews"),
                },
            )
        })
        .collect()
}
