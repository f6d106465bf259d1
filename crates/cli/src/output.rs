//! Printing: JSON (the wire's camelCase, ISO-8601 UTC) for machines, short lines for people.

use sellerdesk_core::models::{ConversationView, MessageView, OrderView};
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
