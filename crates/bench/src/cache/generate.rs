//! Builds a cache of `messages` messages in `conversations` conversations through the real
//! ingest path: a `chat.conversation.update` per conversation (1-3 participants), then the
//! messages in time order as `chat.message` events, `BATCH` per `Store::apply` transaction.

use super::text::{self, Rng};
use sellerdesk_core::engine::MAX_EVENTS_PER_TRANSACTION;
use sellerdesk_core::protocol::{
    ChatMessage, ConversationUpdate, ConversationUpdateKind, MessageStatus, Participant,
    ServerEvent, Timestamp,
};
use sellerdesk_core::store::Store;
use std::path::Path;
use std::time::{Duration, Instant};

/// Events per `Store::apply` call (one transaction each): the most the engine's writer merges
/// into one transaction when events queue up, as they do in any backlog this large.
pub const BATCH: usize = MAX_EVENTS_PER_TRANSACTION;
/// Messages start this long before the newest one (about two years).
const SPAN_MS: i64 = 2 * 365 * 24 * 3_600_000;
const NEWEST_MS: i64 = 1_795_000_000_000; // 2026-11-18
pub const SELLER_ID: &str = "seller-1";

pub struct Generated {
    pub messages: usize,
    pub conversations: usize,
    pub elapsed: Duration,
    /// Messages per second in each tenth of the messages, in order (does ingest slow down
    /// as the cache grows?).
    pub tenths: Vec<f64>,
}

impl Generated {
    pub fn rate(&self) -> f64 {
        self.messages as f64 / self.elapsed.as_secs_f64()
    }
}

pub fn conversation_id(index: usize) -> String {
    format!("conv-{index:05}")
}

fn participants(rng: &mut Rng, index: usize) -> Vec<Participant> {
    let buyers = 1 + usize::from(rng.chance(25)) + usize::from(rng.chance(10));
    let mut people: Vec<Participant> = (0..buyers)
        .map(|n| Participant {
            id: format!("buyer-{index:05}-{n}"),
            name: format!(
                "{} {}",
                rng.pick(text::FIRST_NAMES),
                rng.pick(text::LAST_NAMES)
            ),
            avatar: format!("https://cdn.example.com/avatars/{index}-{n}.png"),
        })
        .collect();
    people.push(Participant {
        id: SELLER_ID.to_owned(),
        name: "Seller Desk Shop".to_owned(),
        avatar: String::new(),
    });
    people.truncate(3);
    people
}

fn timestamp(ms: i64) -> Result<Timestamp, String> {
    Timestamp::from_millis(ms).ok_or_else(|| format!("timestamp {ms} out of range"))
}

/// Generates into `dir` (which must not hold a cache yet) and returns the ingest time, measured
/// over every `apply` call (generating the text is not counted).
pub async fn run(
    dir: &Path,
    messages: usize,
    conversations: usize,
    seed: u64,
) -> Result<Generated, String> {
    if conversations == 0 {
        return Err("--conversations must be at least 1".into());
    }
    let store = Store::open(dir).await.map_err(|e| e.to_string())?;
    let existing = store.cache_stats().await.map_err(|e| e.to_string())?;
    if existing
        .kinds
        .iter()
        .any(|k| k.kind == "messages" && k.rows > 0)
    {
        return Err(format!("{} already holds a cache", dir.display()));
    }
    let mut rng = Rng::new(seed);
    let received = timestamp(NEWEST_MS)?;
    let mut elapsed = Duration::ZERO;
    let people: Vec<Vec<Participant>> = (0..conversations)
        .map(|i| participants(&mut rng, i))
        .collect();
    let updates: Vec<ServerEvent> = people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            ServerEvent::ConversationUpdate(ConversationUpdate {
                conversation_id: conversation_id(i),
                kind: ConversationUpdateKind::New,
                participants: p.clone(),
                last_message: None,
            })
        })
        .collect();
    for chunk in updates.chunks(BATCH) {
        let started = Instant::now();
        store
            .apply(chunk, received)
            .await
            .map_err(|e| e.to_string())?;
        elapsed += started.elapsed();
    }
    // Conversations are unevenly busy: the weight falls off with the index (min of two uniform
    // draws), so the busiest get about twice the average and the last ones a handful.
    let step = (SPAN_MS / messages.max(1) as i64).max(1);
    let mut batch = Vec::with_capacity(BATCH);
    let tenth = (messages / 10).max(1);
    let mut tenths = Vec::new();
    let mut tenth_time = Duration::ZERO;
    let mut tenth_count = 0;
    for n in 0..messages {
        let conv = rng.below(conversations).min(rng.below(conversations));
        let members = &people[conv];
        let sender = if rng.chance(40) {
            members[members.len() - 1].clone()
        } else {
            members[rng.below(members.len().saturating_sub(1).max(1))].clone()
        };
        let status = match rng.below(10) {
            0..=6 => MessageStatus::Read,
            7..=8 => MessageStatus::Delivered,
            _ => MessageStatus::Sent,
        };
        batch.push(ServerEvent::ChatMessage(ChatMessage {
            id: format!("msg-{n:08}"),
            conversation_id: conversation_id(conv),
            sender,
            content: text::message(&mut rng),
            attachments: Vec::new(),
            timestamp: timestamp(NEWEST_MS - SPAN_MS + n as i64 * step)?,
            status,
            client_message_id: None,
        }));
        if batch.len() == BATCH || n + 1 == messages {
            let started = Instant::now();
            store
                .apply(&batch, received)
                .await
                .map_err(|e| e.to_string())?;
            let took = started.elapsed();
            elapsed += took;
            tenth_time += took;
            tenth_count += batch.len();
            if tenth_count >= tenth || n + 1 == messages {
                tenths.push(tenth_count as f64 / tenth_time.as_secs_f64());
                tenth_time = Duration::ZERO;
                tenth_count = 0;
            }
            batch.clear();
        }
    }
    store.close().await;
    Ok(Generated {
        messages,
        conversations,
        elapsed,
        tenths,
    })
}
