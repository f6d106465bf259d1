//! Event -> alert: what a notification would say, and where clicking it leads.

use super::settings::Category;
use crate::navigation::Target;
use sellerdesk_protocol::{
    ChatMessage, OrderPayment, OrderShipping, OrderStatus, OrderStatusChange, PaymentStatus,
    Priority, ServerEvent, ShippingStatus, Timestamp,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AlertKind {
    NewOrder,
    OrderStatus,
    Payment,
    Shipping,
    Message,
    UserNotification,
    SystemNotification,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    pub kind: AlertKind,
    pub category: Category,
    /// Orders and payments: they notify even during do-not-disturb unless the seller chose
    /// otherwise.
    pub money: bool,
    pub title: String,
    pub body: String,
    pub target: Target,
    /// For messages: the conversation and who wrote.
    pub conversation_id: Option<String>,
    pub sender: Option<String>,
    /// The same fact told twice has the same key (a replayed event notifies once).
    pub key: String,
    /// When it happened, as the server says (arrival time where the spec gives none).
    pub at: Timestamp,
}

/// The alert an event raises, if any. `self_id` is the seller (their own messages never notify).
pub fn classify(event: &ServerEvent, self_id: &str, received_at: Timestamp) -> Option<Alert> {
    match event {
        ServerEvent::OrderStatus(change) => Some(order_status(change)),
        ServerEvent::OrderPayment(payment) => order_payment(payment),
        ServerEvent::OrderShipping(shipping) => order_shipping(shipping, received_at),
        ServerEvent::ChatMessage(message) => chat_message(message, self_id),
        ServerEvent::NotificationUser(n) => Some(Alert {
            kind: AlertKind::UserNotification,
            category: Category::UserNotifications,
            money: false,
            title: n.title.clone(),
            body: n.message.clone(),
            target: match (&n.metadata.order_id, &n.metadata.conversation_id) {
                (Some(order), _) => Target::Order(order.clone()),
                (None, Some(conversation)) => Target::Conversation(conversation.clone()),
                (None, None) => Target::Notifications,
            },
            conversation_id: None,
            sender: None,
            key: format!("user-notification:{}", n.id),
            at: n.timestamp,
        }),
        // Low and medium priority go to the in-app notification center only.
        ServerEvent::NotificationSystem(n) if n.priority == Priority::High => Some(Alert {
            kind: AlertKind::SystemNotification,
            category: Category::SystemHigh,
            money: false,
            title: n.title.clone(),
            body: n.message.clone(),
            target: Target::Notifications,
            conversation_id: None,
            sender: None,
            key: format!("system-notification:{}", n.id),
            at: received_at,
        }),
        _ => None,
    }
}

fn order_status(change: &OrderStatusChange) -> Alert {
    let id = &change.order_id;
    let new = change.status == OrderStatus::Pending
        && matches!(
            change.previous_status,
            OrderStatus::Pending | OrderStatus::Other(_)
        );
    let (kind, category, title) = if new {
        (
            AlertKind::NewOrder,
            Category::NewOrders,
            format!("New order {id}"),
        )
    } else {
        (
            AlertKind::OrderStatus,
            Category::OrderUpdates,
            format!("Order {id}: {}", words(change.status.as_str())),
        )
    };
    let reason = change.metadata.as_ref().and_then(|m| m.reason.clone());
    let body = match (new, reason) {
        (true, _) => "Waiting for you to confirm".to_owned(),
        (false, Some(reason)) => format!(
            "{} → {} ({reason})",
            words(change.previous_status.as_str()),
            words(change.status.as_str())
        ),
        (false, None) => format!(
            "{} → {}",
            words(change.previous_status.as_str()),
            words(change.status.as_str())
        ),
    };
    Alert {
        kind,
        category,
        money: true,
        title,
        body,
        target: Target::Order(id.clone()),
        conversation_id: None,
        sender: None,
        key: format!("order:{id}:{}", change.status.as_str()),
        at: change.timestamp,
    }
}

fn order_payment(payment: &OrderPayment) -> Option<Alert> {
    let what = match payment.status {
        PaymentStatus::Completed => "received",
        PaymentStatus::Failed => "failed",
        PaymentStatus::Refunded => "refunded",
        _ => return None,
    };
    let id = &payment.order_id;
    Some(Alert {
        kind: AlertKind::Payment,
        category: Category::Payments,
        money: true,
        title: format!(
            "Payment {what}: {}",
            money(payment.amount, &payment.currency)
        ),
        body: format!("Order {id} · {}", words(&payment.payment_method)),
        target: Target::Order(id.clone()),
        conversation_id: None,
        sender: None,
        key: format!("payment:{id}:{}", payment.status.as_str()),
        at: payment.timestamp,
    })
}

fn order_shipping(shipping: &OrderShipping, received_at: Timestamp) -> Option<Alert> {
    let what = match shipping.status {
        ShippingStatus::Delivered => "delivered",
        ShippingStatus::Returned => "returned",
        _ => return None,
    };
    let id = &shipping.order_id;
    let place = shipping
        .location
        .as_ref()
        .map(|l| format!(" in {}, {}", l.city, l.country))
        .unwrap_or_default();
    let carrier = shipping
        .carrier
        .as_deref()
        .map(|c| format!(" by {c}"))
        .unwrap_or_default();
    Some(Alert {
        kind: AlertKind::Shipping,
        category: Category::Shipping,
        money: false,
        title: format!("Order {id} {what}"),
        body: format!("{}{carrier}{place}", capitalized(what)),
        target: Target::Order(id.clone()),
        conversation_id: None,
        sender: None,
        key: format!("shipping:{id}:{}", shipping.status.as_str()),
        at: received_at,
    })
}

fn chat_message(message: &ChatMessage, self_id: &str) -> Option<Alert> {
    // A client message id proves nothing (any buyer's message may carry one): the echoes of
    // this device's own messages are recognised by the notifier against the outbox.
    if message.sender.id == self_id {
        return None;
    }
    let attachments = message.attachments.len();
    let body = match (message.content.trim().is_empty(), attachments) {
        (true, 1) => "Sent an attachment".to_owned(),
        (true, n) => format!("Sent {n} attachments"),
        (false, _) => message.content.clone(),
    };
    Some(Alert {
        kind: AlertKind::Message,
        category: Category::Messages,
        money: false,
        title: message.sender.name.clone(),
        body,
        target: Target::Conversation(message.conversation_id.clone()),
        conversation_id: Some(message.conversation_id.clone()),
        sender: Some(message.sender.id.clone()),
        key: format!("message:{}", message.id),
        at: message.timestamp,
    })
}

/// `in_transit` -> `in transit`.
fn words(value: &str) -> String {
    value.replace(['_', '-'], " ")
}

fn capitalized(value: &str) -> String {
    let mut chars = value.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn money(amount: f64, currency: &str) -> String {
    format!("{amount:.2} {currency}")
}
