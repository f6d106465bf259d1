//! Printing: JSON (the wire's camelCase, ISO-8601 UTC) for machines, short lines for people.

use sellerdesk_core::models::{
    CacheStats, ClearReport, ConversationView, ListingView, MessageView, NotificationView,
    OrderDetail, OrderView, SearchResult, SearchResultKind,
};
use serde::Serialize;

pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: cannot encode output: {e}"),
    }
}

pub fn conversations(list: &[ConversationView]) {
    for c in list {
        let who: Vec<&str> = c.participants.iter().map(|p| p.name.as_str()).collect();
        let last = c
            .last_message
            .as_ref()
            .map(|m| m.content.as_str())
            .unwrap_or("");
        println!(
            "{}  [{} unread]  {}  {}",
            c.id,
            c.unread_count,
            who.join(", "),
            last
        );
    }
}

pub fn messages(list: &[MessageView]) {
    for m in list {
        println!(
            "{}  {}  {} ({}): {}",
            m.timestamp, m.status, m.sender.name, m.sender.id, m.content
        );
    }
}

pub fn orders(list: &[OrderView]) {
    for o in list {
        let payment = o
            .payment
            .as_ref()
            .map(|p| format!("{} {:.2} {}", p.status, p.amount, p.currency))
            .unwrap_or_else(|| "-".into());
        let shipping = o
            .shipping
            .as_ref()
            .map(|s| format!("{} {}", s.status, s.carrier.as_deref().unwrap_or("")))
            .unwrap_or_else(|| "-".into());
        println!(
            "{}  status {}  payment {}  shipping {}",
            o.id,
            o.status.as_deref().unwrap_or("-"),
            payment,
            shipping.trim_end()
        );
    }
}

pub fn order_detail(detail: &OrderDetail) {
    orders(std::slice::from_ref(&detail.order));
    for entry in &detail.timeline {
        let what = if let Some(s) = &entry.status {
            format!(
                "{} -> {} by {} ({})",
                s.previous_status.as_str(),
                s.status.as_str(),
                s.updated_by.id,
                s.updated_by.role.as_str()
            )
        } else if let Some(p) = &entry.payment {
            format!(
                "{} {:.2} {} {}",
                p.status.as_str(),
                p.amount,
                p.currency,
                p.payment_method
            )
        } else if let Some(s) = &entry.shipping {
            format!(
                "{} {} {}",
                s.status.as_str(),
                s.carrier.as_deref().unwrap_or(""),
                s.tracking_number.as_deref().unwrap_or("")
            )
        } else {
            "(unreadable)".into()
        };
        println!("  {}  {:<8} {}", entry.at, entry.kind, what.trim_end());
    }
}

pub fn listings(list: &[ListingView]) {
    for l in list {
        let stock = l
            .stock
            .as_ref()
            .map(|s| {
                format!(
                    "{} left ({})",
                    s.quantity,
                    s.status.as_deref().unwrap_or("-")
                )
            })
            .unwrap_or_else(|| "stock unknown".into());
        let price = l
            .price
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_else(|| "-".into());
        let flag = if l.low_stock { "LOW  " } else { "     " };
        println!("{flag}{}  {stock}  price {price}", l.id);
    }
}

pub fn notifications(list: &[NotificationView]) {
    for n in list {
        let mark = if n.read { " " } else { "*" };
        println!(
            "{mark} {}  {}  [{}] {}: {}",
            n.timestamp, n.id, n.kind, n.title, n.message
        );
    }
}

pub fn search(list: &[SearchResult]) {
    for r in list {
        let target = match r.kind {
            SearchResultKind::Message => format!(
                "message {} in {}",
                r.message_id.as_deref().unwrap_or(""),
                r.conversation_id.as_deref().unwrap_or("")
            ),
            SearchResultKind::Order => format!("order {}", r.order_id.as_deref().unwrap_or("")),
            SearchResultKind::Listing => {
                format!("listing {}", r.listing_id.as_deref().unwrap_or(""))
            }
        };
        // Matches between brackets, for a terminal.
        let snippet: String = r
            .snippet
            .iter()
            .map(|s| {
                if s.hit {
                    format!("[{}]", s.text)
                } else {
                    s.text.clone()
                }
            })
            .collect();
        println!("{}  {target}  {}", r.timestamp, snippet.replace('\n', " "));
    }
}

pub fn cache_stats(stats: &CacheStats) {
    for k in &stats.kinds {
        println!("{:<14} {:>10} rows {:>14} bytes", k.kind, k.rows, k.bytes);
    }
    println!(
        "{:<14} {:>10} rows {:>14} bytes (file {} bytes; bytes from {})",
        "total", stats.total_rows, stats.total_bytes, stats.file_bytes, stats.bytes_source
    );
}

pub fn cleared(report: &ClearReport) {
    let outbox = if report.outbox_cleared {
        "the outbox too"
    } else {
        "unsent messages kept"
    };
    println!(
        "cache cleared: {} rows removed ({outbox}); file {} -> {} bytes",
        report.rows_removed, report.file_bytes_before, report.file_bytes_after
    );
}
