//! The notification policy: categories, do not disturb, mute, focus, coalescing, replays.

use super::*;
use crate::navigation::Target;
use sellerdesk_protocol::{ServerEvent, Timestamp};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const SELF: &str = "seller-1";
const T0: i64 = 1_795_000_000_000;

fn event(name: &str, data: Value) -> ServerEvent {
    ServerEvent::decode(name, &[data]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn at(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms).expect("time")
}

fn alert(name: &str, data: Value) -> Option<Alert> {
    classify(&event(name, data), SELF, at(T0))
}

fn order(id: &str, status: &str, previous: &str) -> Alert {
    alert(
        "order.status",
        json!({"orderId": id, "status": status, "previousStatus": previous, "timestamp": T0,
               "updatedBy": {"id": "sys", "role": "system"}}),
    )
    .expect("an order alert")
}

fn message(id: &str, conversation: &str, sender: &str) -> Alert {
    alert(
        "chat.message",
        json!({"id": id, "conversationId": conversation,
               "sender": {"id": sender, "name": format!("Buyer {sender}"), "avatar": ""},
               "content": "Is it still available?", "attachments": [], "timestamp": T0,
               "status": "sent"}),
    )
    .expect("a message alert")
}

#[test]
fn what_notifies_by_default() {
    let new = order("ord-1", "pending", "pending");
    assert_eq!((new.kind, new.money), (AlertKind::NewOrder, true));
    assert_eq!(new.title, "New order ord-1");
    assert_eq!(new.target, Target::Order("ord-1".into()));
    assert_eq!(
        order("ord-1", "shipped", "confirmed").kind,
        AlertKind::OrderStatus
    );

    let payment = |status: &str| {
        alert(
            "order.payment",
            json!({"orderId": "ord-1", "status": status, "amount": 24.5, "currency": "EUR",
                   "paymentMethod": "credit_card", "timestamp": T0}),
        )
    };
    for status in ["completed", "failed", "refunded"] {
        assert_eq!(
            payment(status).map(|a| a.kind),
            Some(AlertKind::Payment),
            "{status}"
        );
    }
    assert_eq!(payment("processing"), None);
    assert_eq!(
        payment("completed").map(|a| a.title),
        Some("Payment received: 24.50 EUR".into())
    );

    let shipping = |status: &str| {
        alert(
            "order.shipping",
            json!({"orderId": "ord-1", "status": status, "carrier": "DHL"}),
        )
    };
    assert!(shipping("delivered").is_some());
    assert!(shipping("returned").is_some());
    assert_eq!(shipping("shipped"), None);
    assert_eq!(shipping("preparing"), None);

    assert_eq!(message("m1", "c1", "b1").kind, AlertKind::Message);
    let own = alert(
        "chat.message",
        json!({"id": "m2", "conversationId": "c1", "sender": {"id": SELF, "name": "Me", "avatar": ""},
               "content": "hi", "attachments": [], "timestamp": T0, "status": "sent"}),
    );
    assert_eq!(own, None, "the seller's own messages never notify");
    let forged = alert(
        "chat.message",
        json!({"id": "m3", "conversationId": "c1", "sender": {"id": "b1", "name": "Buyer", "avatar": ""},
               "content": "hi", "attachments": [], "timestamp": T0, "status": "sent",
               "clientMessageId": "forged"}),
    );
    assert!(
        forged.is_some(),
        "a buyer's message with a client message id still notifies"
    );

    let system = |priority: &str| {
        alert(
            "notification.system",
            json!({"id": "n1", "type": "maintenance", "priority": priority, "title": "Maintenance",
                   "message": "Tonight"}),
        )
    };
    assert!(system("high").is_some());
    assert_eq!(
        system("medium"),
        None,
        "low and medium go to the notification center only"
    );
    assert_eq!(system("low"), None);

    let user = alert(
        "notification.user",
        json!({"id": "u1", "userId": SELF, "type": "order", "title": "Review", "message": "New review",
               "metadata": {"orderId": "ord-9"}, "read": false, "timestamp": T0}),
    )
    .expect("user notification");
    assert_eq!(user.target, Target::Order("ord-9".into()));

    for (name, data) in [
        (
            "listing.views",
            json!({"listingId": "l", "views": 1, "uniqueViews": 1, "period": "24h"}),
        ),
        (
            "presence.update",
            json!({"userId": "b1", "status": "online", "lastSeen": T0}),
        ),
    ] {
        assert_eq!(alert(name, data), None, "{name}");
    }
}

fn decide_at(
    alert: &Alert,
    settings: &NotificationSettings,
    focus: &Focus,
    minute: u16,
) -> Verdict {
    decide(alert, settings, focus, at(T0), minute)
}

#[test]
fn categories_pause_mute_and_focus() {
    let mut settings = NotificationSettings::default();
    let focus = Focus::default();
    let msg = message("m1", "c1", "b1");
    assert_eq!(decide_at(&msg, &settings, &focus, 600), Verdict::Notify);

    settings.categories.messages = false;
    assert_eq!(
        decide_at(&msg, &settings, &focus, 600),
        Verdict::CategoryOff
    );
    settings.categories.messages = true;

    settings.muted_conversations.push("c1".into());
    assert_eq!(decide_at(&msg, &settings, &focus, 600), Verdict::Muted);
    assert_eq!(
        decide_at(&message("m2", "c2", "b2"), &settings, &focus, 600),
        Verdict::Notify,
        "only that conversation"
    );
    settings.muted_conversations.clear();

    let open = Focus {
        window_focused: true,
        open_conversation: Some("c1".into()),
    };
    assert_eq!(decide_at(&msg, &settings, &open, 600), Verdict::OnScreen);
    let unfocused = Focus {
        window_focused: false,
        ..open.clone()
    };
    assert_eq!(
        decide_at(&msg, &settings, &unfocused, 600),
        Verdict::Notify,
        "open but the window is in the background"
    );

    settings.paused_until = Some(at(T0 + 3_600_000));
    let new_order = order("ord-1", "pending", "pending");
    assert_eq!(
        decide_at(&new_order, &settings, &focus, 600),
        Verdict::Paused
    );
    settings.paused_until = Some(at(T0 - 1));
    assert_eq!(
        decide_at(&new_order, &settings, &focus, 600),
        Verdict::Notify,
        "pause over"
    );
}

#[test]
fn do_not_disturb_lets_money_through_unless_included() {
    let mut settings = NotificationSettings::default();
    let focus = Focus::default();
    let msg = message("m1", "c1", "b1");
    let new_order = order("ord-1", "pending", "pending");

    settings.do_not_disturb.on = true;
    assert_eq!(decide_at(&msg, &settings, &focus, 600), Verdict::Quiet);
    assert_eq!(
        decide_at(&new_order, &settings, &focus, 600),
        Verdict::Notify
    );
    settings.do_not_disturb.include_money = true;
    assert_eq!(
        decide_at(&new_order, &settings, &focus, 600),
        Verdict::Quiet
    );

    settings.do_not_disturb = DoNotDisturb {
        on: false,
        schedule: Some(QuietHours {
            start_minute: 22 * 60,
            end_minute: 7 * 60,
        }),
        include_money: false,
    };
    assert_eq!(decide_at(&msg, &settings, &focus, 23 * 60), Verdict::Quiet);
    assert_eq!(decide_at(&msg, &settings, &focus, 12 * 60), Verdict::Notify);
    assert_eq!(
        decide_at(&new_order, &settings, &focus, 23 * 60),
        Verdict::Notify
    );
}

#[test]
fn a_single_alert_is_told_as_itself() {
    let mut c = Coalescer::new();
    let start = Instant::now();
    c.push(order("ord-1", "pending", "pending"), start);
    assert!(
        c.flush(start + Duration::from_millis(100)).is_empty(),
        "the window is open"
    );
    assert_eq!(c.next_deadline(), Some(start + BURST_WINDOW));
    let notices = c.flush(start + BURST_WINDOW);
    assert_eq!(
        notices,
        vec![Notice {
            title: "New order ord-1".into(),
            body: "Waiting for you to confirm".into(),
            target: Target::Order("ord-1".into()),
            count: 1,
        }]
    );
    assert!(c.flush(start + BURST_WINDOW * 3).is_empty());
    assert_eq!(c.next_deadline(), None);
}

#[test]
fn a_burst_becomes_one_summary() {
    let mut c = Coalescer::new();
    let start = Instant::now();
    for i in 0..50 {
        c.push(
            order(&format!("ord-{i}"), "pending", "pending"),
            start + Duration::from_millis(i * 10),
        );
    }
    let notices = c.flush(start + BURST_WINDOW);
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].body, "50 new orders");
    assert_eq!(notices[0].count, 50);
    assert_eq!(notices[0].target, Target::Orders);

    let mut c = Coalescer::new();
    for i in 0..3 {
        c.push(order(&format!("ord-{i}"), "pending", "pending"), start);
    }
    for i in 0..12 {
        c.push(
            message(
                &format!("m{i}"),
                &format!("c{}", i % 4),
                &format!("b{}", i % 4),
            ),
            start,
        );
    }
    let notices = c.flush(start + BURST_WINDOW);
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].title, "15 updates");
    assert_eq!(notices[0].body, "3 new orders, 12 messages from 4 buyers");

    // One buyer writing several messages: their name, and their conversation.
    let mut c = Coalescer::new();
    for i in 0..3 {
        c.push(message(&format!("m{i}"), "c1", "b1"), start);
    }
    let notice = &c.flush(start + BURST_WINDOW)[0];
    assert_eq!(notice.title, "Buyer b1");
    assert_eq!(notice.body, "3 messages from 1 buyer");
    assert_eq!(notice.target, Target::Conversation("c1".into()));
}

#[test]
fn replays_after_a_connect_are_one_while_you_were_away() {
    let mut c = Coalescer::new();
    let start = Instant::now();
    c.connected(start, at(T0 + 600_000));
    for i in 0..20 {
        c.push(
            order(&format!("ord-{i}"), "pending", "pending"),
            start + Duration::from_millis(i * 50),
        );
    }
    c.push(
        message("m1", "c1", "b1"),
        start + Duration::from_millis(1_500),
    );
    assert!(
        c.flush(start + BURST_WINDOW).is_empty(),
        "nothing raised for the catch-up itself"
    );
    let deadline = c.next_deadline().expect("a summary is due");
    let notices = c.flush(deadline);
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].title, "While you were away");
    assert_eq!(notices[0].body, "20 new orders, 1 message from 1 buyer");

    // Later, live news is told as usual; an old event replayed late is still a replay.
    let later = deadline + Duration::from_secs(30);
    let mut live = order("ord-live", "pending", "pending");
    live.at = at(T0 + 630_000);
    c.push(live, later);
    let mut old = order("ord-old", "pending", "pending");
    old.at = at(T0);
    c.push(old, later);
    let notices = c.flush(later + BURST_WINDOW * 2);
    let titles: Vec<&str> = notices.iter().map(|n| n.title.as_str()).collect();
    assert!(titles.contains(&"New order ord-live"), "{titles:?}");
    assert!(titles.contains(&"While you were away"), "{titles:?}");
}

#[test]
fn the_same_fact_is_news_once() {
    let mut c = Coalescer::new();
    let a = order("ord-1", "pending", "pending");
    assert!(c.first_time(&a));
    assert!(!c.first_time(&a.clone()));
    assert!(
        c.first_time(&order("ord-1", "confirmed", "pending")),
        "a new status is news"
    );
}

#[test]
fn a_catch_up_that_never_ends_is_summed_up_by_its_deadline() {
    let mut c = Coalescer::new();
    let start = Instant::now();
    c.connected(start, at(T0 + 600_000));
    // A server replaying one old order every second, for a minute, never goes quiet.
    let mut notices = Vec::new();
    for i in 0..60u64 {
        let now = start + Duration::from_secs(i);
        notices.extend(c.flush(now));
        let mut old = order(&format!("ord-{i}"), "pending", "pending");
        old.at = at(T0);
        c.push(old, now);
    }
    assert!(
        !notices.is_empty(),
        "a summary came before the catch-up ended"
    );
    assert_eq!(notices[0].title, "While you were away");
    assert!(
        notices[0].count <= 31,
        "due {REPLAY_DEADLINE:?} after the catch-up began: {} alerts",
        notices[0].count
    );
    assert_eq!(notices[0].body, format!("{} new orders", notices[0].count));
}

#[test]
fn a_huge_catch_up_is_counted_exactly() {
    let mut c = Coalescer::new();
    let start = Instant::now();
    c.connected(start, at(T0 + 600_000));
    for i in 0..100_000 {
        let (m, b) = (format!("m{i}"), format!("b{}", i % 1000));
        c.push(message(&m, "c1", &b), start);
    }
    let notices = c.flush(start + REPLAY_DEADLINE);
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].count, 100_000);
    assert_eq!(notices[0].body, "100000 messages from 1000 buyers");
}
