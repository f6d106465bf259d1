//! Order lifecycles: status, payment and shipping move together and only forward.

use super::catalog::{CARRIERS, HUBS, SELLER_ID, WAREHOUSE_CITY, WAREHOUSE_COUNTRY};
use super::draw::{self, pick};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sellerdesk_protocol::{
    Actor, ActorRole, OrderPayment, OrderShipping, OrderStatus, OrderStatusChange,
    OrderStatusMetadata, PaymentStatus, ServerEvent, ShippingLocation, ShippingStatus, Timestamp,
};

/// Who bought and where it goes; borrowed from the world when an order moves.
pub struct Destination<'a> {
    pub buyer_id: &'a str,
    pub city: &'a str,
    pub country: &'a str,
}

#[derive(Clone, Debug)]
pub struct Order {
    pub id: String,
    pub buyer: usize,
    pub listing: usize,
    pub quantity: u32,
    pub amount_cents: i64,
    pub currency: String,
    pub payment_method: String,
    pub status: OrderStatus,
    pub payment: PaymentStatus,
    pub shipping: Option<ShippingStatus>,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    pub estimated_delivery: Option<DateTime<Utc>>,
    /// Transit scans left before delivery.
    pub hops_left: u8,
}

impl Order {
    pub fn is_finished(&self) -> bool {
        matches!(
            self.status,
            OrderStatus::Completed | OrderStatus::Cancelled | OrderStatus::Refunded
        )
    }

    pub fn amount(&self) -> f64 {
        cents_to_amount(self.amount_cents)
    }
}

pub fn cents_to_amount(cents: i64) -> f64 {
    // Prices stay far below 2^53 cents, so the conversion is exact enough for money display.
    #[allow(clippy::cast_precision_loss)]
    let amount = cents as f64 / 100.0;
    amount
}

fn ts(at: DateTime<Utc>) -> Timestamp {
    Timestamp(at)
}

fn system() -> Actor {
    Actor {
        id: "system".into(),
        role: ActorRole::System,
    }
}

fn seller() -> Actor {
    Actor {
        id: SELLER_ID.into(),
        role: ActorRole::Provider,
    }
}

/// Events of a freshly placed order (`pending`, payment `processing`).
pub fn placed(order: &Order, dest: &Destination<'_>, now: DateTime<Utc>) -> Vec<ServerEvent> {
    vec![
        ServerEvent::OrderStatus(OrderStatusChange {
            order_id: order.id.clone(),
            status: OrderStatus::Pending,
            previous_status: OrderStatus::Pending,
            timestamp: ts(now),
            updated_by: Actor {
                id: dest.buyer_id.to_owned(),
                role: ActorRole::User,
            },
            metadata: Some(OrderStatusMetadata {
                reason: Some("Order placed".into()),
                ..OrderStatusMetadata::default()
            }),
        }),
        payment_event(order, PaymentStatus::Processing, None, now),
    ]
}

fn payment_event(
    order: &Order,
    status: PaymentStatus,
    transaction_id: Option<String>,
    now: DateTime<Utc>,
) -> ServerEvent {
    ServerEvent::OrderPayment(OrderPayment {
        order_id: order.id.clone(),
        status,
        amount: order.amount(),
        currency: order.currency.clone(),
        payment_method: order.payment_method.clone(),
        timestamp: ts(now),
        transaction_id,
    })
}

fn status_event(
    order: &mut Order,
    status: OrderStatus,
    by: Actor,
    metadata: Option<OrderStatusMetadata>,
    now: DateTime<Utc>,
) -> ServerEvent {
    let previous = std::mem::replace(&mut order.status, status.clone());
    ServerEvent::OrderStatus(OrderStatusChange {
        order_id: order.id.clone(),
        status,
        previous_status: previous,
        timestamp: ts(now),
        updated_by: by,
        metadata,
    })
}

fn shipping_event(
    order: &mut Order,
    status: ShippingStatus,
    location: Option<ShippingLocation>,
) -> ServerEvent {
    order.shipping = Some(status.clone());
    ServerEvent::OrderShipping(OrderShipping {
        order_id: order.id.clone(),
        status,
        carrier: order.carrier.clone(),
        tracking_number: order.tracking.clone(),
        estimated_delivery: order.estimated_delivery.map(ts),
        location,
    })
}

fn location(city: &str, country: &str, status: &str) -> Option<ShippingLocation> {
    Some(ShippingLocation {
        city: city.into(),
        country: country.into(),
        status: status.into(),
    })
}

/// Moves `order` one step forward and returns the events describing the step (empty when the
/// order is finished).
pub fn advance<R: Rng>(
    order: &mut Order,
    dest: &Destination<'_>,
    rng: &mut R,
    now: DateTime<Utc>,
) -> Vec<ServerEvent> {
    match order.status {
        OrderStatus::Pending => {
            if rng.gen_bool(0.12) {
                order.payment = PaymentStatus::Failed;
                let reason = "Payment declined by the card issuer";
                vec![
                    payment_event(order, PaymentStatus::Failed, None, now),
                    status_event(
                        order,
                        OrderStatus::Cancelled,
                        system(),
                        Some(OrderStatusMetadata {
                            reason: Some(reason.into()),
                            ..Default::default()
                        }),
                        now,
                    ),
                ]
            } else {
                order.payment = PaymentStatus::Completed;
                let tx = draw::transaction(rng);
                vec![
                    payment_event(order, PaymentStatus::Completed, Some(tx), now),
                    status_event(order, OrderStatus::Confirmed, system(), None, now),
                ]
            }
        }
        OrderStatus::Confirmed => {
            order.estimated_delivery = Some(now + Duration::days(rng.gen_range(3..8)));
            vec![
                status_event(order, OrderStatus::Processing, seller(), None, now),
                shipping_event(
                    order,
                    ShippingStatus::Preparing,
                    location(WAREHOUSE_CITY, WAREHOUSE_COUNTRY, "Packing"),
                ),
            ]
        }
        OrderStatus::Processing => {
            let (carrier, prefix) = pick(rng, CARRIERS);
            order.carrier = Some((*carrier).to_owned());
            order.tracking = Some(draw::tracking(rng, prefix));
            order.hops_left = rng.gen_range(0..3);
            if order.estimated_delivery.is_none() {
                order.estimated_delivery = Some(now + Duration::days(rng.gen_range(2..6)));
            }
            let metadata = OrderStatusMetadata {
                reason: None,
                estimated_delivery: order.estimated_delivery.map(ts),
                tracking_number: order.tracking.clone(),
            };
            vec![
                status_event(order, OrderStatus::Shipped, seller(), Some(metadata), now),
                shipping_event(
                    order,
                    ShippingStatus::Shipped,
                    location(WAREHOUSE_CITY, WAREHOUSE_COUNTRY, "Picked up by carrier"),
                ),
            ]
        }
        OrderStatus::Shipped if order.hops_left > 0 => {
            order.hops_left -= 1;
            let (city, country, text) = pick(rng, HUBS);
            vec![shipping_event(
                order,
                ShippingStatus::Shipped,
                location(city, country, text),
            )]
        }
        OrderStatus::Shipped => vec![
            status_event(order, OrderStatus::Delivered, system(), None, now),
            shipping_event(
                order,
                ShippingStatus::Delivered,
                location(dest.city, dest.country, "Delivered to recipient"),
            ),
        ],
        OrderStatus::Delivered => {
            if rng.gen_bool(0.1) {
                order.payment = PaymentStatus::Refunded;
                let tx = draw::transaction(rng);
                let reason = "Returned by buyer: item not as described";
                vec![
                    shipping_event(
                        order,
                        ShippingStatus::Returned,
                        location(WAREHOUSE_CITY, WAREHOUSE_COUNTRY, "Returned to sender"),
                    ),
                    payment_event(order, PaymentStatus::Refunded, Some(tx), now),
                    status_event(
                        order,
                        OrderStatus::Refunded,
                        seller(),
                        Some(OrderStatusMetadata {
                            reason: Some(reason.into()),
                            ..Default::default()
                        }),
                        now,
                    ),
                ]
            } else {
                vec![status_event(
                    order,
                    OrderStatus::Completed,
                    system(),
                    None,
                    now,
                )]
            }
        }
        _ => Vec::new(),
    }
}
