//! The simulated marketplace: a fixed cast of buyers, listings, conversations and orders, and the
//! traffic generator that moves them forward. Everything random comes from one seeded ChaCha
//! generator, so the same seed yields the same events, ids and texts (timestamps are real time).

mod catalog;
mod draw;
mod listings;
mod orders;

pub use listings::{stock_status, Listing, ViewCount, PERIODS};
pub use orders::Order;

use catalog::*;
use chrono::{DateTime, Duration, Utc};
use draw::pick;
use orders::Destination;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sellerdesk_protocol::*;
use serde_json::json;
use std::collections::{HashMap, VecDeque};

#[derive(Clone, Debug)]
struct Buyer {
    who: Participant,
    city: &'static str,
    country: &'static str,
    presence: PresenceStatus,
}

#[derive(Clone, Debug)]
struct Conversation {
    id: String,
    buyer: usize,
    archived: bool,
}

/// Kind of attachment a generated message carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Attach {
    Image,
    File,
}

/// At most this many conversations and orders are kept; older finished ones are forgotten.
const MAX_CONVERSATIONS: usize = 40;
const MAX_ORDERS: usize = 16;
/// The newest attachments the world still serves (older ones answer 404, like expired uploads).
const MAX_UPLOADS: usize = 4_096;

pub struct World {
    rng: ChaCha8Rng,
    seller: Participant,
    buyers: Vec<Buyer>,
    listings: Vec<Listing>,
    conversations: Vec<Conversation>,
    orders: Vec<Order>,
    /// Events of the current step not yet handed out by [`World::next_event`].
    queue: VecDeque<ServerEvent>,
    next_order_number: u32,
    /// Where attachment URLs point: the CDN by default, the simulator's own address once it
    /// serves them (see [`World::set_upload_base`]).
    upload_base: String,
    /// Attachments handed out, by the path after `/uploads/`, oldest first in `upload_order`.
    uploads: HashMap<String, crate::uploads::Upload>,
    upload_order: VecDeque<String>,
}

impl World {
    /// The world a seed describes: 8 buyers, 6 listings and 3 orders already under way.
    pub fn new(seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let seller = Participant {
            id: SELLER_ID.into(),
            name: SELLER_NAME.into(),
            avatar: format!("{CDN}/avatars/{SELLER_ID}.png"),
        };
        let buyers = BUYERS
            .choose_multiple(&mut rng, 8)
            .collect::<Vec<_>>()
            .into_iter()
            .map(|seed| {
                let id = format!("usr_{}", draw::hex(&mut rng, 10));
                Buyer {
                    who: Participant {
                        avatar: format!("{CDN}/avatars/{id}.jpg"),
                        id,
                        name: seed.name.into(),
                    },
                    city: seed.city,
                    country: seed.country,
                    presence: PresenceStatus::Offline,
                }
            })
            .collect();
        let listings = PRODUCTS
            .choose_multiple(&mut rng, 6)
            .collect::<Vec<_>>()
            .into_iter()
            .enumerate()
            .map(|(index, product)| {
                let month = rng.gen_range(200..3_000);
                let week = month * rng.gen_range(20..40) / 100;
                let day = week * rng.gen_range(10..30) / 100;
                let views = [day, week, month].map(|views| ViewCount {
                    views,
                    unique: views * 7 / 10,
                });
                Listing {
                    id: format!("lst_{}", draw::hex(&mut rng, 8)),
                    title: product.title.into(),
                    price_cents: product.price_cents,
                    currency: product.currency.into(),
                    quantity: if index == 0 {
                        rng.gen_range(10..40)
                    } else {
                        rng.gen_range(0..40)
                    },
                    threshold: rng.gen_range(3..=8),
                    active: true,
                    views,
                }
            })
            .collect();
        let mut world = Self {
            next_order_number: rng.gen_range(480_000..490_000),
            rng,
            seller,
            buyers,
            listings,
            conversations: Vec::new(),
            orders: Vec::new(),
            queue: VecDeque::new(),
            upload_base: CDN.into(),
            uploads: HashMap::new(),
            upload_order: VecDeque::new(),
        };
        for status in [
            OrderStatus::Confirmed,
            OrderStatus::Processing,
            OrderStatus::Shipped,
        ] {
            let mut order = world.make_order();
            order.payment = PaymentStatus::Completed;
            if status == OrderStatus::Shipped {
                let (carrier, prefix) = pick(&mut world.rng, CARRIERS);
                order.carrier = Some((*carrier).into());
                order.tracking = Some(draw::tracking(&mut world.rng, prefix));
                order.shipping = Some(ShippingStatus::Shipped);
                order.hops_left = 1;
            } else if status == OrderStatus::Processing {
                order.shipping = Some(ShippingStatus::Preparing);
            }
            order.status = status;
            world.orders.push(order);
        }
        world
    }

    /// The seller this world belongs to (`seller-1`).
    pub fn seller(&self) -> &Participant {
        &self.seller
    }

    pub fn listings(&self) -> &[Listing] {
        &self.listings
    }

    pub fn orders(&self) -> &[Order] {
        &self.orders
    }

    /// Attachment URLs from now on start with `base` (`http://127.0.0.1:PORT`) instead of the
    /// CDN. Draws nothing from the generator: a seed gives the same traffic either way.
    pub fn set_upload_base(&mut self, base: &str) {
        self.upload_base = base.trim_end_matches('/').to_owned();
    }

    /// The attachment at `key` (the URL path after `/uploads/`, as sent), if this world sent it
    /// and still keeps it.
    pub fn upload(&self, key: &str) -> Option<crate::uploads::Upload> {
        self.uploads.get(key).cloned()
    }

    fn remember_upload(&mut self, key: String, upload: crate::uploads::Upload) {
        if self.uploads.insert(key.clone(), upload).is_none() {
            self.upload_order.push_back(key);
        }
        while self.upload_order.len() > MAX_UPLOADS {
            if let Some(old) = self.upload_order.pop_front() {
                self.uploads.remove(&old);
            }
        }
    }

    /// What a freshly connected client receives: every event category of the API.
    pub fn burst(&mut self, now: DateTime<Utc>) -> Vec<ServerEvent> {
        let mut out = Vec::new();
        for index in 0..self.buyers.len() {
            let status = match self.rng.gen_range(0..4) {
                0 | 1 => PresenceStatus::Online,
                2 => PresenceStatus::Away,
                _ => PresenceStatus::Offline,
            };
            out.push(self.set_presence(index, status, now));
        }
        out.extend(self.new_conversation(Some(Attach::Image), now));
        out.extend(self.new_conversation(Some(Attach::File), now));
        out.extend(self.new_conversation(None, now));
        let first = self.conversations.len().saturating_sub(3);
        out.extend(self.buyer_message(first, None, now));
        out.extend(self.seller_message(first + 1, now));
        out.extend(self.viewing(now));
        out.extend(self.new_order(now));
        for index in 0..self.orders.len() {
            if !self.orders[index].is_finished() {
                out.extend(self.advance_order(index, now));
            }
        }
        out.extend(self.change_price(0, now));
        for listing in &self.listings {
            out.push(ServerEvent::ListingStock(listing.stock_event()));
        }
        for period in 0..PERIODS.len() {
            out.push(ServerEvent::ListingViews(
                self.listings[0].views_event(period),
            ));
        }
        out.push(self.system_notification(now));
        out.push(self.user_notification(now));
        out
    }

    /// The next event of the running traffic, stamped `now`.
    pub fn next_event(&mut self, now: DateTime<Utc>) -> ServerEvent {
        loop {
            if let Some(mut event) = self.queue.pop_front() {
                restamp(&mut event, Timestamp(now));
                return event;
            }
            let step = self.step(now);
            self.queue.extend(step);
        }
    }

    /// One thing happening in the marketplace, as the events that describe it (never empty).
    pub fn step(&mut self, now: DateTime<Utc>) -> Vec<ServerEvent> {
        let roll = self.rng.gen_range(0..100);
        let open = self.open_conversations();
        let events = match roll {
            0..=21 if !open.is_empty() => {
                let conversation = *pick(&mut self.rng, &open);
                let attach = match self.rng.gen_range(0..8) {
                    0 => Some(Attach::Image),
                    1 => Some(Attach::File),
                    _ => None,
                };
                self.buyer_message(conversation, attach, now)
            }
            0..=27 => self.new_conversation(None, now),
            28..=31 if !open.is_empty() => {
                let conversation = *pick(&mut self.rng, &open);
                self.seller_message(conversation, now)
            }
            32..=33 if open.len() > 4 => {
                let conversation = *pick(&mut self.rng, &open);
                self.archive(conversation)
            }
            32..=43 => {
                let buyer = self.rng.gen_range(0..self.buyers.len());
                let status = next_presence(&self.buyers[buyer].presence, &mut self.rng);
                vec![self.set_presence(buyer, status, now)]
            }
            44..=51 => self.viewing(now),
            52..=69 => {
                let active: Vec<usize> = (0..self.orders.len())
                    .filter(|i| !self.orders[*i].is_finished())
                    .collect();
                if active.is_empty() {
                    self.new_order(now)
                } else {
                    let order = *pick(&mut self.rng, &active);
                    self.advance_order(order, now)
                }
            }
            70..=76 => self.new_order(now),
            77..=81 => self.change_listing(now),
            82..=84 => {
                let listing = self.rng.gen_range(0..self.listings.len());
                self.restock(listing, now)
            }
            85..=92 => {
                let listing = self.rng.gen_range(0..self.listings.len());
                let (views, unique) = self.draw_views();
                self.listings[listing].add_views(views, unique);
                let period = self.rng.gen_range(0..PERIODS.len());
                vec![ServerEvent::ListingViews(
                    self.listings[listing].views_event(period),
                )]
            }
            93..=94 => vec![self.system_notification(now)],
            95..=97 => vec![self.user_notification(now)],
            98 => self.order_error(now),
            _ => self.chat_error(now),
        };
        if events.is_empty() {
            // Every branch yields events today; keep the contract if one ever does not.
            let period = self.rng.gen_range(0..PERIODS.len());
            return vec![ServerEvent::ListingViews(
                self.listings[0].views_event(period),
            )];
        }
        events
    }

    // ------------------------------------------------------------ people and chat

    fn open_conversations(&self) -> Vec<usize> {
        (0..self.conversations.len())
            .filter(|i| !self.conversations[*i].archived)
            .collect()
    }

    fn set_presence(
        &mut self,
        buyer: usize,
        status: PresenceStatus,
        now: DateTime<Utc>,
    ) -> ServerEvent {
        let last_seen = match status {
            PresenceStatus::Online => None,
            PresenceStatus::Away => Some(now - Duration::minutes(self.rng.gen_range(2..15))),
            _ => Some(now - Duration::minutes(self.rng.gen_range(20..60 * 30))),
        };
        let who = &mut self.buyers[buyer];
        who.presence = status.clone();
        ServerEvent::PresenceUpdate(PresenceUpdate {
            user_id: who.who.id.clone(),
            status,
            last_seen: last_seen.map(Timestamp),
        })
    }

    /// `presence.update` online when the buyer was not, so activity never comes from the offline.
    fn ensure_online(&mut self, buyer: usize, now: DateTime<Utc>) -> Option<ServerEvent> {
        (self.buyers[buyer].presence != PresenceStatus::Online)
            .then(|| self.set_presence(buyer, PresenceStatus::Online, now))
    }

    fn attachment(&mut self, kind: Attach) -> Attachment {
        let table = if kind == Attach::Image { IMAGES } else { FILES };
        let (name, min, max) = *pick(&mut self.rng, table);
        let folder = draw::uuid(&mut self.rng);
        let key = format!("{folder}/{}", name.replace(' ', "%20"));
        let size = draw::size(&mut self.rng, min, max);
        let url = format!("{}{}{key}", self.upload_base, crate::uploads::PREFIX);
        self.remember_upload(
            key,
            crate::uploads::Upload {
                image: kind == Attach::Image,
                size,
                name: name.into(),
            },
        );
        Attachment {
            kind: if kind == Attach::Image {
                AttachmentKind::Image
            } else {
                AttachmentKind::File
            },
            url,
            name: Some(name.into()),
            size: Some(size),
        }
    }

    fn message(
        &mut self,
        conversation: usize,
        sender: Participant,
        content: &str,
        attach: Option<Attach>,
        now: DateTime<Utc>,
    ) -> ChatMessage {
        let attachments = attach
            .map(|kind| self.attachment(kind))
            .into_iter()
            .collect();
        ChatMessage {
            id: format!("msg_{}", draw::uuid(&mut self.rng)),
            conversation_id: self.conversations[conversation].id.clone(),
            sender,
            content: content.into(),
            attachments,
            timestamp: Timestamp(now),
            status: MessageStatus::Sent,
            client_message_id: None,
        }
    }

    fn new_conversation(&mut self, attach: Option<Attach>, now: DateTime<Utc>) -> Vec<ServerEvent> {
        if self.conversations.len() >= MAX_CONVERSATIONS {
            let drop_at = self
                .conversations
                .iter()
                .position(|c| c.archived)
                .unwrap_or(0);
            self.conversations.remove(drop_at);
        }
        let buyer = self.rng.gen_range(0..self.buyers.len());
        let id = format!("conv_{}", draw::hex(&mut self.rng, 12));
        self.conversations.push(Conversation {
            id: id.clone(),
            buyer,
            archived: false,
        });
        let conversation = self.conversations.len() - 1;
        let content = *pick(&mut self.rng, OPENERS);
        let who = self.buyers[buyer].who.clone();
        let mut out: Vec<ServerEvent> = self.ensure_online(buyer, now).into_iter().collect();
        out.push(ServerEvent::PresenceActivity(PresenceActivity {
            user_id: who.id.clone(),
            activity: Activity::Messaging,
            metadata: Some(ActivityMetadata {
                listing_id: None,
                conversation_id: Some(id.clone()),
            }),
        }));
        out.push(ServerEvent::ConversationUpdate(ConversationUpdate {
            conversation_id: id.clone(),
            kind: ConversationUpdateKind::New,
            participants: vec![self.seller.clone(), who.clone()],
            last_message: Some(LastMessage {
                content: content.into(),
                timestamp: Timestamp(now),
            }),
        }));
        let message = self.message(conversation, who.clone(), content, attach, now);
        out.push(ServerEvent::ChatMessage(message));
        out.push(self.message_notification(&who.name, &id, now));
        out
    }

    fn buyer_message(
        &mut self,
        conversation: usize,
        attach: Option<Attach>,
        now: DateTime<Utc>,
    ) -> Vec<ServerEvent> {
        let Some(buyer) = self.conversations.get(conversation).map(|c| c.buyer) else {
            return Vec::new();
        };
        let who = self.buyers[buyer].who.clone();
        let conversation_id = self.conversations[conversation].id.clone();
        let content = *pick(&mut self.rng, FOLLOW_UPS);
        let typing = |is_typing| {
            ServerEvent::PresenceTyping(PresenceTyping {
                user_id: who.id.clone(),
                conversation_id: conversation_id.clone(),
                is_typing,
                timestamp: Timestamp(now),
            })
        };
        let mut out: Vec<ServerEvent> = self.ensure_online(buyer, now).into_iter().collect();
        out.push(typing(true));
        let message = self.message(conversation, who.clone(), content, attach, now);
        out.push(ServerEvent::ChatMessage(message));
        out.push(typing(false));
        if self.rng.gen_bool(0.3) {
            out.push(self.message_notification(&who.name, &conversation_id, now));
        }
        out
    }

    /// A message the seller sent from another device, then its delivery and read receipts.
    fn seller_message(&mut self, conversation: usize, now: DateTime<Utc>) -> Vec<ServerEvent> {
        if conversation >= self.conversations.len() {
            return Vec::new();
        }
        let content = *pick(&mut self.rng, SELLER_LINES);
        let message = self.message(conversation, self.seller.clone(), content, None, now);
        let status = |status| {
            ServerEvent::ChatStatus(ChatStatus {
                message_id: message.id.clone(),
                conversation_id: message.conversation_id.clone(),
                status,
                timestamp: Timestamp(now),
            })
        };
        let mut out = vec![ServerEvent::ChatMessage(message.clone())];
        out.extend([MessageStatus::Delivered, MessageStatus::Read].map(status));
        out
    }

    fn archive(&mut self, conversation: usize) -> Vec<ServerEvent> {
        let Some(entry) = self.conversations.get_mut(conversation) else {
            return Vec::new();
        };
        entry.archived = true;
        let (id, buyer) = (entry.id.clone(), entry.buyer);
        vec![ServerEvent::ConversationUpdate(ConversationUpdate {
            conversation_id: id,
            kind: ConversationUpdateKind::Archived,
            participants: vec![self.seller.clone(), self.buyers[buyer].who.clone()],
            last_message: None,
        })]
    }

    fn viewing(&mut self, now: DateTime<Utc>) -> Vec<ServerEvent> {
        let buyer = self.rng.gen_range(0..self.buyers.len());
        let listing = self.rng.gen_range(0..self.listings.len());
        self.listings[listing].add_views(1, 1);
        let mut out: Vec<ServerEvent> = self.ensure_online(buyer, now).into_iter().collect();
        out.push(ServerEvent::PresenceActivity(PresenceActivity {
            user_id: self.buyers[buyer].who.id.clone(),
            activity: Activity::Viewing,
            metadata: Some(ActivityMetadata {
                listing_id: Some(self.listings[listing].id.clone()),
                conversation_id: None,
            }),
        }));
        out
    }

    // ------------------------------------------------------------ orders

    fn make_order(&mut self) -> Order {
        let buyer = self.rng.gen_range(0..self.buyers.len());
        let in_stock: Vec<usize> = (0..self.listings.len())
            .filter(|i| self.listings[*i].available())
            .collect();
        let listing = if in_stock.is_empty() {
            0
        } else {
            *pick(&mut self.rng, &in_stock)
        };
        let available = self.listings[listing].quantity.clamp(1, 3);
        let quantity = self.rng.gen_range(1..=available);
        let number = self.next_order_number;
        self.next_order_number += self.rng.gen_range(1..40);
        let product = &self.listings[listing];
        Order {
            id: format!("ORD-{number}"),
            buyer,
            listing,
            quantity: u32::try_from(quantity).unwrap_or(1),
            amount_cents: product.price_cents * quantity,
            currency: product.currency.clone(),
            payment_method: (*pick(&mut self.rng, PAYMENT_METHODS)).into(),
            status: OrderStatus::Pending,
            payment: PaymentStatus::Processing,
            shipping: None,
            carrier: None,
            tracking: None,
            estimated_delivery: None,
            hops_left: 0,
        }
    }

    fn new_order(&mut self, now: DateTime<Utc>) -> Vec<ServerEvent> {
        if self.orders.len() >= MAX_ORDERS {
            if let Some(done) = self.orders.iter().position(Order::is_finished) {
                self.orders.remove(done);
            }
        }
        if !self.listings.iter().any(Listing::available) {
            return self.restock(0, now);
        }
        let order = self.make_order();
        let buyer = order.buyer;
        let who = self.buyers[buyer].who.clone();
        let mut out: Vec<ServerEvent> = self.ensure_online(buyer, now).into_iter().collect();
        out.push(ServerEvent::PresenceActivity(PresenceActivity {
            user_id: who.id.clone(),
            activity: Activity::Ordering,
            metadata: Some(ActivityMetadata {
                listing_id: Some(self.listings[order.listing].id.clone()),
                conversation_id: None,
            }),
        }));
        let dest = Destination {
            buyer_id: &who.id,
            city: self.buyers[buyer].city,
            country: self.buyers[buyer].country,
        };
        out.extend(orders::placed(&order, &dest, now));
        out.extend(self.take_stock(order.listing, i64::from(order.quantity), now));
        let title = self.listings[order.listing].title.clone();
        out.push(self.order_notification(
            &order,
            format!("New order {}", order.id),
            format!("{} ordered {} × {title}", who.name, order.quantity),
            now,
        ));
        self.orders.push(order);
        out
    }

    fn advance_order(&mut self, index: usize, now: DateTime<Utc>) -> Vec<ServerEvent> {
        let Some(order) = self.orders.get_mut(index) else {
            return Vec::new();
        };
        let buyer = &self.buyers[order.buyer];
        let dest = Destination {
            buyer_id: &buyer.who.id,
            city: buyer.city,
            country: buyer.country,
        };
        let mut out = orders::advance(order, &dest, &mut self.rng, now);
        let order = order.clone();
        let title = self.listings[order.listing].title.clone();
        match order.status {
            OrderStatus::Delivered => out.push(self.order_notification(
                &order,
                format!("Order {} delivered", order.id),
                format!(
                    "{title} was delivered to {}, {}.",
                    self.buyers[order.buyer].city, self.buyers[order.buyer].country
                ),
                now,
            )),
            OrderStatus::Cancelled | OrderStatus::Refunded => {
                let restored = i64::from(order.quantity);
                out.extend(self.take_stock(order.listing, -restored, now));
                out.push(self.order_notification(
                    &order,
                    format!("Order {} {}", order.id, order.status),
                    format!("{} × {title} went back to stock.", order.quantity),
                    now,
                ));
            }
            _ => {}
        }
        out
    }

    fn order_notification(
        &mut self,
        order: &Order,
        title: String,
        message: String,
        now: DateTime<Utc>,
    ) -> ServerEvent {
        ServerEvent::NotificationUser(UserNotification {
            id: draw::uuid(&mut self.rng),
            user_id: SELLER_ID.into(),
            kind: UserNotificationKind::Order,
            title,
            message,
            metadata: UserNotificationMetadata {
                order_id: Some(order.id.clone()),
                conversation_id: None,
                listing_id: Some(self.listings[order.listing].id.clone()),
            },
            read: false,
            timestamp: Timestamp(now),
        })
    }

    fn message_notification(
        &mut self,
        from: &str,
        conversation_id: &str,
        now: DateTime<Utc>,
    ) -> ServerEvent {
        ServerEvent::NotificationUser(UserNotification {
            id: draw::uuid(&mut self.rng),
            user_id: SELLER_ID.into(),
            kind: UserNotificationKind::Message,
            title: format!("New message from {from}"),
            message: format!("{from} sent you a message."),
            metadata: UserNotificationMetadata {
                conversation_id: Some(conversation_id.into()),
                ..UserNotificationMetadata::default()
            },
            read: false,
            timestamp: Timestamp(now),
        })
    }

    // ------------------------------------------------------------ listings

    /// Removes `taken` items (negative: puts them back) and reports stock and availability.
    fn take_stock(&mut self, listing: usize, taken: i64, now: DateTime<Utc>) -> Vec<ServerEvent> {
        let Some(entry) = self.listings.get_mut(listing) else {
            return Vec::new();
        };
        let was_available = entry.available();
        entry.quantity = (entry.quantity - taken).max(0);
        let mut out = vec![ServerEvent::ListingStock(entry.stock_event())];
        if was_available != entry.available() {
            out.push(ServerEvent::ListingUpdate(ListingUpdate {
                listing_id: entry.id.clone(),
                kind: ListingChangeKind::Availability,
                changes: ListingChanges {
                    previous: json!(was_available),
                    current: json!(entry.available()),
                },
                timestamp: Timestamp(now),
            }));
        }
        out
    }

    fn restock(&mut self, listing: usize, now: DateTime<Utc>) -> Vec<ServerEvent> {
        let added = self.rng.gen_range(5..30);
        self.take_stock(listing, -added, now)
    }

    fn change_price(&mut self, listing: usize, now: DateTime<Utc>) -> Vec<ServerEvent> {
        let percent = self.rng.gen_range(80..=115);
        let Some(entry) = self.listings.get_mut(listing) else {
            return Vec::new();
        };
        let previous = entry.price();
        // Retail-looking prices: whole dollars minus a cent, never below 0.99.
        let cents = (entry.price_cents * percent / 100 / 100 * 100 - 1).max(99);
        entry.price_cents = if cents == entry.price_cents {
            cents + 100
        } else {
            cents
        };
        vec![ServerEvent::ListingUpdate(ListingUpdate {
            listing_id: entry.id.clone(),
            kind: ListingChangeKind::Price,
            changes: ListingChanges {
                previous: json!(previous),
                current: json!(entry.price()),
            },
            timestamp: Timestamp(now),
        })]
    }

    fn change_listing(&mut self, now: DateTime<Utc>) -> Vec<ServerEvent> {
        let listing = self.rng.gen_range(0..self.listings.len());
        match self.rng.gen_range(0..3) {
            0 => self.change_price(listing, now),
            1 => {
                // Sold elsewhere (a market stall, another platform), or back in stock.
                let quantity = self.listings[listing].quantity;
                if quantity > 0 {
                    self.take_stock(listing, quantity, now)
                } else {
                    self.restock(listing, now)
                }
            }
            _ => {
                let entry = &mut self.listings[listing];
                let previous = if entry.active { "active" } else { "paused" };
                entry.active = !entry.active;
                let current = if entry.active { "active" } else { "paused" };
                vec![ServerEvent::ListingUpdate(ListingUpdate {
                    listing_id: entry.id.clone(),
                    kind: ListingChangeKind::Status,
                    changes: ListingChanges {
                        previous: json!(previous),
                        current: json!(current),
                    },
                    timestamp: Timestamp(now),
                })]
            }
        }
    }

    fn draw_views(&mut self) -> (u64, u64) {
        let views = self.rng.gen_range(1..40);
        let unique = self.rng.gen_range(1..=views);
        (views, unique)
    }

    // ------------------------------------------------------------ notifications and errors

    fn system_notification(&mut self, now: DateTime<Utc>) -> ServerEvent {
        let seed = pick(&mut self.rng, SYSTEM_NOTES);
        ServerEvent::NotificationSystem(SystemNotification {
            id: draw::uuid(&mut self.rng),
            kind: SystemNotificationKind::from_wire(seed.kind),
            priority: Priority::from_wire(seed.priority),
            title: seed.title.into(),
            message: seed.message.into(),
            action: seed.action.map(|(kind, label, url)| NotificationAction {
                kind: ActionKind::from_wire(kind),
                label: label.into(),
                url: url.map(Into::into),
            }),
            expiry: seed
                .expiry_hours
                .map(|hours| Timestamp(now + Duration::hours(hours))),
        })
    }

    fn user_notification(&mut self, now: DateTime<Utc>) -> ServerEvent {
        let promotion = self.rng.gen_bool(0.5);
        let (title, message) = if promotion {
            *pick(&mut self.rng, PROMOTIONS)
        } else {
            *pick(&mut self.rng, REMINDERS)
        };
        let listing = self.rng.gen_range(0..self.listings.len());
        ServerEvent::NotificationUser(UserNotification {
            id: draw::uuid(&mut self.rng),
            user_id: SELLER_ID.into(),
            kind: if promotion {
                UserNotificationKind::Promotion
            } else {
                UserNotificationKind::Reminder
            },
            title: title.into(),
            message: message.into(),
            metadata: UserNotificationMetadata {
                listing_id: promotion.then(|| self.listings[listing].id.clone()),
                ..UserNotificationMetadata::default()
            },
            read: false,
            timestamp: Timestamp(now),
        })
    }

    fn order_error(&mut self, now: DateTime<Utc>) -> Vec<ServerEvent> {
        let active: Vec<usize> = (0..self.orders.len())
            .filter(|i| !self.orders[*i].is_finished())
            .collect();
        if active.is_empty() {
            return self.new_order(now);
        }
        let order = *pick(&mut self.rng, &active);
        vec![ServerEvent::OrderError(OrderError {
            code: ErrorCode::Other("LABEL_PURCHASE_FAILED".into()),
            message: "Couldn't buy a shipping label: the carrier didn't answer in time.".into(),
            order_id: self.orders[order].id.clone(),
            operation: "purchase_label".into(),
            timestamp: Timestamp(now),
        })]
    }

    fn chat_error(&mut self, now: DateTime<Utc>) -> Vec<ServerEvent> {
        let open = self.open_conversations();
        if open.is_empty() {
            return self.new_conversation(None, now);
        }
        let conversation = *pick(&mut self.rng, &open);
        vec![ServerEvent::ChatError(ChatError {
            code: ErrorCode::RateLimit,
            message: "You're sending messages too fast. Try again in 30 seconds.".into(),
            conversation_id: Some(self.conversations[conversation].id.clone()),
            message_id: None,
            timestamp: Timestamp(now),
        })]
    }
}

fn next_presence<R: Rng>(current: &PresenceStatus, rng: &mut R) -> PresenceStatus {
    match current {
        PresenceStatus::Online if rng.gen_bool(0.6) => PresenceStatus::Away,
        PresenceStatus::Online => PresenceStatus::Offline,
        PresenceStatus::Away if rng.gen_bool(0.5) => PresenceStatus::Online,
        PresenceStatus::Away => PresenceStatus::Offline,
        _ => PresenceStatus::Online,
    }
}

/// Sets the event's own time (`timestamp`) to `now`, for events generated ahead of sending.
fn restamp(event: &mut ServerEvent, now: Timestamp) {
    match event {
        ServerEvent::PresenceTyping(e) => e.timestamp = now,
        ServerEvent::ChatMessage(e) => e.timestamp = now,
        ServerEvent::ChatStatus(e) => e.timestamp = now,
        ServerEvent::OrderStatus(e) => e.timestamp = now,
        ServerEvent::OrderPayment(e) => e.timestamp = now,
        ServerEvent::ListingUpdate(e) => e.timestamp = now,
        ServerEvent::NotificationUser(e) => e.timestamp = now,
        ServerEvent::ChatError(e) => e.timestamp = now,
        ServerEvent::OrderError(e) => e.timestamp = now,
        _ => {}
    }
}

#[cfg(test)]
mod tests;
