use super::*;
use std::collections::{HashMap, HashSet};

fn at() -> DateTime<Utc> {
    Timestamp::parse_iso("2026-03-01T12:00:00.000Z").map_or_else(Utc::now, |t| t.0)
}

/// A burst and then `steps` steps of traffic.
fn run(seed: u64, steps: usize) -> Vec<ServerEvent> {
    let mut world = World::new(seed);
    let mut events = world.burst(at());
    for _ in 0..steps {
        events.push(world.next_event(at()));
    }
    events
}

#[test]
fn same_seed_same_traffic() {
    assert_eq!(run(7, 500), run(7, 500));
    assert_ne!(run(7, 50), run(8, 50));
}

#[test]
fn burst_covers_every_category() {
    let names: HashSet<&str> = World::new(1)
        .burst(at())
        .iter()
        .map(ServerEvent::name)
        .collect();
    for name in SERVER_EVENT_NAMES {
        if !matches!(*name, "error" | "chat.error" | "order.error" | "ping") {
            assert!(names.contains(name), "burst lacks {name}");
        }
    }
}

#[test]
fn traffic_includes_the_rare_error_events() {
    let names: HashSet<&str> = run(4, 3_000).iter().map(ServerEvent::name).collect();
    assert!(names.contains("chat.error") && names.contains("order.error"));
    assert!(!names.contains("error") && !names.contains("ping"));
}

#[test]
fn every_event_decodes_as_the_client_would() {
    for event in run(3, 2_000) {
        let payload = event.payload().expect("payload");
        let decoded = ServerEvent::decode(event.name(), &[payload]).expect("decodes");
        assert_eq!(decoded.name(), event.name());
    }
}

#[test]
fn order_status_moves_forward_with_correct_previous_status() {
    let allowed: HashSet<(&str, &str)> = [
        ("pending", "pending"),
        ("pending", "confirmed"),
        ("pending", "cancelled"),
        ("confirmed", "processing"),
        ("processing", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "completed"),
        ("delivered", "refunded"),
    ]
    .into_iter()
    .collect();
    let mut last: HashMap<String, OrderStatus> = HashMap::new();
    let mut seen = HashSet::new();
    for seed in 0..5 {
        for event in run(seed, 3_000) {
            let ServerEvent::OrderStatus(change) = event else {
                continue;
            };
            let pair = (change.previous_status.as_str(), change.status.as_str());
            assert!(allowed.contains(&pair), "unexpected transition {pair:?}");
            if let Some(previous) = last.get(&format!("{seed}/{}", change.order_id)) {
                assert_eq!(
                    &change.previous_status, previous,
                    "order {}",
                    change.order_id
                );
            } else {
                // The first event of an order is either its creation or the next step of one
                // that was under way before the client connected.
                assert_ne!(change.previous_status, OrderStatus::Delivered);
            }
            if change.status == OrderStatus::Shipped {
                let metadata = change.metadata.as_ref().expect("shipped has metadata");
                assert!(metadata.tracking_number.is_some());
                assert!(metadata.estimated_delivery.is_some());
            }
            seen.insert(change.status.as_str().to_owned());
            last.insert(format!("{seed}/{}", change.order_id), change.status);
        }
    }
    for status in [
        "pending",
        "confirmed",
        "processing",
        "shipped",
        "delivered",
        "completed",
        "cancelled",
        "refunded",
    ] {
        assert!(seen.contains(status), "never saw {status}");
    }
}

#[test]
fn payment_and_shipping_move_forward() {
    let payment_ok: HashSet<(&str, &str)> = [
        ("processing", "completed"),
        ("processing", "failed"),
        ("completed", "refunded"),
    ]
    .into_iter()
    .collect();
    let shipping_ok: HashSet<(&str, &str)> = [
        ("preparing", "shipped"),
        ("shipped", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "returned"),
    ]
    .into_iter()
    .collect();
    let mut payments: HashMap<String, String> = HashMap::new();
    let mut shipping: HashMap<String, String> = HashMap::new();
    for event in run(11, 5_000) {
        match event {
            ServerEvent::OrderPayment(p) => {
                assert!(p.amount > 0.0);
                if let Some(previous) = payments.insert(p.order_id.clone(), p.status.to_string()) {
                    assert!(
                        payment_ok.contains(&(previous.as_str(), p.status.as_str())),
                        "{previous} -> {}",
                        p.status
                    );
                }
                if p.status == PaymentStatus::Completed {
                    assert!(p.transaction_id.is_some());
                }
            }
            ServerEvent::OrderShipping(s) => {
                if let Some(previous) = shipping.insert(s.order_id.clone(), s.status.to_string()) {
                    assert!(
                        shipping_ok.contains(&(previous.as_str(), s.status.as_str())),
                        "{previous} -> {}",
                        s.status
                    );
                }
                if s.status != ShippingStatus::Preparing {
                    assert!(s.carrier.is_some() && s.tracking_number.is_some());
                }
                assert!(s.location.is_some());
            }
            _ => {}
        }
    }
    assert!(payments.values().any(|s| s == "failed"));
    assert!(payments.values().any(|s| s == "refunded"));
}

#[test]
fn stock_status_is_consistent_with_quantity() {
    let mut quantity: HashMap<String, i64> = HashMap::new();
    for event in run(5, 5_000) {
        match event {
            ServerEvent::ListingStock(stock) => {
                let threshold = stock.threshold.expect("threshold");
                assert!(stock.quantity >= 0);
                assert_eq!(
                    stock.status,
                    stock_status(stock.quantity, threshold),
                    "{stock:?}"
                );
                quantity.insert(stock.listing_id, stock.quantity);
            }
            ServerEvent::ListingUpdate(update)
                if update.kind == ListingChangeKind::Availability =>
            {
                let now_available = update.changes.current.as_bool().expect("bool");
                assert_eq!(update.changes.previous.as_bool(), Some(!now_available));
                let known = quantity
                    .get(&update.listing_id)
                    .copied()
                    .expect("stock came first");
                assert_eq!(known > 0, now_available);
            }
            ServerEvent::ListingUpdate(update) if update.kind == ListingChangeKind::Price => {
                assert_ne!(update.changes.previous, update.changes.current);
                assert!(update.changes.current.as_f64().is_some_and(|p| p > 0.0));
            }
            _ => {}
        }
    }
}

#[test]
fn views_grow_and_longer_windows_count_more() {
    let mut world = World::new(9);
    let mut last: HashMap<(String, String), u64> = HashMap::new();
    let mut events = world.burst(at());
    for _ in 0..3_000 {
        events.push(world.next_event(at()));
    }
    for event in events {
        if let ServerEvent::ListingViews(v) = event {
            assert!(v.unique_views <= v.views);
            let key = (v.listing_id.clone(), v.period.to_string());
            let previous = last.insert(key, v.views).unwrap_or(0);
            assert!(v.views >= previous);
        }
    }
    for listing in world.listings() {
        let [day, week, month] = listing.views;
        assert!(day.views <= week.views && week.views <= month.views);
        assert!(listing.views.iter().all(|c| c.unique <= c.views));
    }
}

#[test]
fn conversations_are_announced_before_their_messages() {
    let mut known = HashSet::new();
    for event in run(13, 3_000) {
        match event {
            ServerEvent::ConversationUpdate(update) => {
                if update.kind == ConversationUpdateKind::New {
                    assert_eq!(update.participants.len(), 2);
                    assert!(update.last_message.is_some());
                }
                known.insert(update.conversation_id);
            }
            ServerEvent::ChatMessage(message) => {
                assert!(known.contains(&message.conversation_id));
                for attachment in &message.attachments {
                    assert!(attachment.url.starts_with("https://"));
                    assert!(attachment.name.is_some() && attachment.size.is_some_and(|s| s > 0));
                }
            }
            _ => {}
        }
    }
}

#[test]
fn text_includes_edge_cases() {
    let text = serde_json::to_string(
        &run(2, 2_000)
            .iter()
            .map(ServerEvent::payload)
            .collect::<Vec<_>>(),
    )
    .expect("json");
    let names: Vec<&str> = BUYERS.iter().map(|b| b.name).collect();
    assert!(names.iter().any(|n| n.contains('\'')) && names.iter().any(|n| n.contains('ë')));
    assert!(text.contains("https://"));
    assert!(text.chars().any(|c| c as u32 > 0x1F000), "some emoji");
}

#[test]
fn tables_are_not_empty() {
    assert!(!BUYERS.is_empty() && BUYERS.len() >= 8);
    assert!(!PRODUCTS.is_empty() && PRODUCTS.len() >= 6);
    for len in [
        OPENERS.len(),
        FOLLOW_UPS.len(),
        SELLER_LINES.len(),
        IMAGES.len(),
        FILES.len(),
        CARRIERS.len(),
        HUBS.len(),
        PAYMENT_METHODS.len(),
        SYSTEM_NOTES.len(),
        PROMOTIONS.len(),
        REMINDERS.len(),
    ] {
        assert!(len > 0);
    }
}

#[test]
fn attachments_point_at_the_upload_base_and_are_remembered() {
    let mut world = World::new(21);
    world.set_upload_base("http://127.0.0.1:4000/");
    let mut events = world.burst(at());
    for _ in 0..2_000 {
        events.push(world.next_event(at()));
    }
    let mut seen = 0;
    for event in events {
        if let ServerEvent::ChatMessage(message) = event {
            for attachment in message.attachments {
                let key = attachment
                    .url
                    .strip_prefix("http://127.0.0.1:4000/uploads/")
                    .expect("served by the simulator");
                let upload = world.upload(key).expect("remembered");
                assert_eq!(Some(upload.size), attachment.size);
                assert_eq!(Some(upload.name), attachment.name);
                assert_eq!(upload.image, attachment.kind == AttachmentKind::Image);
                seen += 1;
            }
        }
    }
    assert!(seen > 10, "only {seen} attachments");
    assert_eq!(world.upload("nope/photo.png"), None);
    // The base changes no draw: the same seed gives the same traffic.
    let mut plain = World::new(21);
    let mut other = World::new(21);
    other.set_upload_base("http://127.0.0.1:1");
    assert_eq!(plain.burst(at()).len(), other.burst(at()).len());
    for _ in 0..200 {
        let (a, b) = (plain.next_event(at()), other.next_event(at()));
        assert_eq!(a.name(), b.name());
    }
}
