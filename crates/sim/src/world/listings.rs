//! Listings: price, availability, stock (with a status consistent with the quantity) and views.

use super::orders::cents_to_amount;
use sellerdesk_protocol::{ListingStock, ListingViews, StockStatus, ViewPeriod};

/// The three view windows, shortest first.
pub const PERIODS: [ViewPeriod; 3] = [ViewPeriod::Day, ViewPeriod::Week, ViewPeriod::Month];

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ViewCount {
    pub views: u64,
    pub unique: u64,
}

#[derive(Clone, Debug)]
pub struct Listing {
    pub id: String,
    pub title: String,
    pub price_cents: i64,
    pub currency: String,
    pub quantity: i64,
    pub threshold: i64,
    pub active: bool,
    /// Views per window, in the order of [`PERIODS`]; a longer window never has fewer.
    pub views: [ViewCount; 3],
}

/// The stock status a quantity implies: none left is out of stock, at or under the threshold is
/// low stock.
pub fn stock_status(quantity: i64, threshold: i64) -> StockStatus {
    if quantity <= 0 {
        StockStatus::OutOfStock
    } else if quantity <= threshold {
        StockStatus::LowStock
    } else {
        StockStatus::InStock
    }
}

impl Listing {
    pub fn price(&self) -> f64 {
        cents_to_amount(self.price_cents)
    }

    pub fn available(&self) -> bool {
        self.quantity > 0
    }

    pub fn stock_event(&self) -> ListingStock {
        ListingStock {
            listing_id: self.id.clone(),
            quantity: self.quantity.max(0),
            status: stock_status(self.quantity, self.threshold),
            threshold: Some(self.threshold),
        }
    }

    /// Counts `new_views` views (of which `new_unique` by new visitors) in every window.
    pub fn add_views(&mut self, new_views: u64, new_unique: u64) {
        let new_unique = new_unique.min(new_views);
        for count in &mut self.views {
            count.views = count.views.saturating_add(new_views);
            count.unique = count.unique.saturating_add(new_unique);
        }
    }

    pub fn views_event(&self, period: usize) -> ListingViews {
        let index = period.min(PERIODS.len() - 1);
        let count = self.views[index];
        ListingViews {
            listing_id: self.id.clone(),
            views: count.views,
            unique_views: count.unique.min(count.views),
            period: PERIODS[index].clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stock_status_follows_quantity_and_threshold() {
        assert_eq!(stock_status(0, 5), StockStatus::OutOfStock);
        assert_eq!(stock_status(-2, 5), StockStatus::OutOfStock);
        assert_eq!(stock_status(1, 5), StockStatus::LowStock);
        assert_eq!(stock_status(5, 5), StockStatus::LowStock);
        assert_eq!(stock_status(6, 5), StockStatus::InStock);
    }
}
