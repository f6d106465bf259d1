//! The cache writer: received events are committed here, off the session loop, so the socket's
//! heartbeat is answered promptly however slow the disk is. Batches that queue up while a
//! transaction runs are merged into the next one.
//!
//! The queue is bounded by bytes and events ([`WRITER_QUEUE_BYTES`], [`WRITER_QUEUE_EVENTS`],
//! the transaction being written included). A batch waits for room in [`CacheWriter::reserve`];
//! the session keeps reading the socket (and answering `ping`) while it holds less than its own
//! bound, and stops reading once that is full too, so TCP slows the server down: nothing is
//! dropped, and memory stays bounded by the sum of the bounds.
//!
//! What gives is latency: a `ping` behind data in the TCP stream is answered once that data is
//! read, i.e. once the writer has made room for it. Measured with `sellerdesk-bench hostile`
//! (release, 2-core VM, loopback, `ping` every 50 ms), `sellerdesk-cli sync`:
//! - 1 GiB of 256 KiB messages (over the content cap, refused) + 100,000 typing events: peak RSS
//!   20.5 MiB, pong p99 7.7 ms (unbounded queues before: 748 MiB, 1,934 ms);
//! - 512 MiB of 64 KiB messages (all cached; the writer is the bottleneck, about 16 MB/s) +
//!   100,000 typing events: peak RSS 103 MiB, pong p99 24 ms, max 49 ms (before: 469 MiB,
//!   1,829 ms; the stalls came every second, from the lease renewal awaited on the session loop).
//! - the app (release, its whole main process) under the first flood: 171 MiB (157 idle), pong
//!   p99 30 ms (before: 1,611 MiB, 1,114 ms).

use super::coalesce::Folded;
use super::gauges::Gauges;
use super::{EngineEvent, Problem};
use crate::store::{ApplyReport, Store, StoreError};
use sellerdesk_protocol::{ServerEvent, Timestamp};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;

/// How often a batch is tried again before its failure is reported.
const RETRIES: usize = 3;

/// The most events one transaction takes when batches queue up (a backlog after a reconnect,
/// a flood). Bigger transactions write each touched index page once for more rows: on a
/// 1,000,000-message cache 16,384 ingest about 53,000 messages/s where 4,096 did 41,000
/// (docs/performance.md); one such transaction commits in about 0.3 s.
pub const MAX_EVENTS_PER_TRANSACTION: usize = 16_384;

/// The most (estimated) bytes one transaction takes: 16,384 typical messages are about 8 MiB,
/// so the event count above still decides for them, while messages near the content cap make
/// smaller transactions that hold the write lock no longer than a typical one.
pub const MAX_TRANSACTION_BYTES: usize = 8 << 20;

/// The writer's queue bound in estimated bytes, the transaction being written included.
pub const WRITER_QUEUE_BYTES: usize = 32 << 20;

/// The writer's queue bound in events: two full transactions.
pub const WRITER_QUEUE_EVENTS: usize = 2 * MAX_EVENTS_PER_TRANSACTION;

/// Room in the writer's queue for one batch.
pub(crate) struct Reservation {
    bytes: usize,
    _bytes: Option<OwnedSemaphorePermit>,
    _events: Option<OwnedSemaphorePermit>,
}

struct Queued {
    events: Vec<ServerEvent>,
    sizes: Vec<usize>,
    reservation: Reservation,
}

pub(crate) struct CacheWriter {
    batches: mpsc::UnboundedSender<Queued>,
    room_bytes: Arc<Semaphore>,
    room_events: Arc<Semaphore>,
    gauges: Arc<Gauges>,
    task: JoinHandle<()>,
}

/// A batch's charge, within what the queue can ever give.
fn charge(bytes: usize, events: usize) -> (u32, u32) {
    let clamp = |n: usize, max: usize| u32::try_from(n.clamp(1, max)).unwrap_or(u32::MAX);
    (
        clamp(bytes, WRITER_QUEUE_BYTES),
        clamp(events, WRITER_QUEUE_EVENTS),
    )
}

impl CacheWriter {
    pub(crate) fn spawn(
        store: Store,
        events: broadcast::Sender<EngineEvent>,
        gauges: Arc<Gauges>,
    ) -> Self {
        // The queue itself is unbounded: the semaphores are its bounds (every batch holds its
        // share of them until committed).
        let (batches, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(store, events, rx, gauges.clone()));
        Self {
            batches,
            room_bytes: Arc::new(Semaphore::new(WRITER_QUEUE_BYTES)),
            room_events: Arc::new(Semaphore::new(WRITER_QUEUE_EVENTS)),
            gauges,
            task,
        }
    }

    /// Waits for room for a batch of `events` holding about `bytes`. Cancel-safe: dropping the
    /// wait gives back whatever it had taken.
    pub(crate) async fn reserve(&self, bytes: usize, events: usize) -> Reservation {
        let (charge_bytes, charge_events) = charge(bytes, events);
        // The semaphores are never closed, so both waits end with their permits.
        let room_bytes = self
            .room_bytes
            .clone()
            .acquire_many_owned(charge_bytes)
            .await;
        let room_events = self
            .room_events
            .clone()
            .acquire_many_owned(charge_events)
            .await;
        let used_bytes = WRITER_QUEUE_BYTES - self.room_bytes.available_permits();
        let used_events = WRITER_QUEUE_EVENTS - self.room_events.available_permits();
        self.gauges.writer(used_bytes, used_events);
        Reservation {
            bytes: charge_bytes as usize,
            _bytes: room_bytes.ok(),
            _events: room_events.ok(),
        }
    }

    /// Queues a batch in the room reserved for it; it is committed in arrival order.
    pub(crate) fn write(
        &self,
        (events, sizes): (Vec<ServerEvent>, Vec<usize>),
        reservation: Reservation,
    ) {
        if self
            .batches
            .send(Queued {
                events,
                sizes,
                reservation,
            })
            .is_err()
        {
            tracing::error!("the cache writer has stopped; events were not cached");
        }
    }

    /// Commits everything queued, then stops.
    pub(crate) async fn finish(self) {
        drop(self.batches);
        if let Err(e) = self.task.await {
            tracing::error!("cache writer ended abnormally: {e}");
        }
    }
}

/// Whether a batch has anything the cache keeps (typing, pings and errors are not cached).
fn needs_cache(events: &[ServerEvent]) -> bool {
    events.iter().any(|e| {
        !matches!(
            e,
            ServerEvent::PresenceTyping(_)
                | ServerEvent::Error(_)
                | ServerEvent::ChatError(_)
                | ServerEvent::OrderError(_)
                | ServerEvent::Ping
        )
    })
}

async fn run(
    store: Store,
    events: broadcast::Sender<EngineEvent>,
    mut rx: mpsc::UnboundedReceiver<Queued>,
    gauges: Arc<Gauges>,
) {
    let mut carried: Option<Queued> = None;
    loop {
        let first = match carried.take() {
            Some(first) => first,
            None => match rx.recv().await {
                Some(first) => first,
                None => return,
            },
        };
        let mut held = vec![first.reservation];
        let (mut bytes, mut count) = (held[0].bytes, first.events.len());
        let mut folded = Folded::default();
        let mut merged = 0;
        for (event, size) in first.events.into_iter().zip(first.sizes) {
            merged += usize::from(folded.push(event, size));
        }
        // Merge what queued meanwhile, up to one transaction's worth.
        while count < MAX_EVENTS_PER_TRANSACTION && bytes < MAX_TRANSACTION_BYTES {
            let Ok(more) = rx.try_recv() else { break };
            if count + more.events.len() > MAX_EVENTS_PER_TRANSACTION
                || bytes + more.reservation.bytes > MAX_TRANSACTION_BYTES
            {
                carried = Some(more);
                break;
            }
            bytes += more.reservation.bytes;
            count += more.events.len();
            for (event, size) in more.events.into_iter().zip(more.sizes) {
                merged += usize::from(folded.push(event, size));
            }
            held.push(more.reservation);
        }
        gauges.coalesced(merged);
        let (batch, sizes) = folded.take();
        let applied = if needs_cache(&batch) {
            apply_with_retries(&store, &batch).await.map(Some)
        } else {
            Ok(None)
        };
        match applied {
            Ok(report) => {
                if report.is_some() {
                    gauges.committed();
                }
                let report = report.unwrap_or_default();
                let changes = super::CacheChanges::from(&report);
                let echoed_in = changes.outbox.clone();
                announce(&events, batch, &sizes, changes);
                if !echoed_in.is_empty() {
                    announce_outbox(&store, &events, echoed_in).await;
                }
            }
            Err(e) => {
                // Still shown live; the cache could not keep them (full disk, ...).
                tracing::warn!(code = e.code(), "{}", crate::text::for_log(&e.to_string()));
                let _ = events.send(EngineEvent::Problem {
                    problem: Problem::new(e.code(), e.to_string()),
                });
                announce(&events, batch, &sizes, Default::default());
            }
        }
        // The room is given back once the batch is committed and handed to subscribers.
        drop(held);
    }
}

/// The most (estimated) bytes of events one `Received` carries: a subscriber that falls behind
/// (a paused pager on the CLI's output) holds at most [`super::EVENT_BUFFER`] of them before it
/// loses the oldest, so a transaction's events go out in slices of this size.
pub const MAX_RECEIVED_BYTES: usize = 128 << 10;

/// Tells subscribers what a transaction changed and carried, in slices of at most
/// [`MAX_RECEIVED_BYTES`] (one event at least); the changes go with the first.
fn announce(
    events: &broadcast::Sender<EngineEvent>,
    batch: Vec<ServerEvent>,
    sizes: &[usize],
    changes: super::CacheChanges,
) {
    let mut changes = Some(changes);
    let send = |slice: Vec<ServerEvent>, changes: &mut Option<super::CacheChanges>| {
        let _ = events.send(EngineEvent::Received {
            events: Arc::new(slice),
            changes: changes.take().unwrap_or_default(),
        });
    };
    let mut slice = Vec::new();
    let mut slice_bytes = 0;
    for (event, size) in batch.into_iter().zip(sizes) {
        if !slice.is_empty() && slice_bytes + size > MAX_RECEIVED_BYTES {
            send(std::mem::take(&mut slice), &mut changes);
            slice_bytes = 0;
        }
        slice_bytes += size;
        slice.push(event);
    }
    if !slice.is_empty() || changes.is_some() {
        send(slice, &mut changes);
    }
}

/// Retries a batch that failed for a passing reason (another process holding the database
/// longer than the busy timeout); a full disk or a broken database is reported at once.
async fn apply_with_retries(
    store: &Store,
    batch: &[ServerEvent],
) -> Result<ApplyReport, StoreError> {
    let mut delay = Duration::from_millis(100);
    for _ in 0..RETRIES {
        match store.apply(batch, Timestamp::now()).await {
            Err(StoreError::Database(e)) => {
                tracing::warn!("caching a batch failed, retrying in {delay:?}: {e}");
                tokio::time::sleep(delay).await;
                delay *= 4;
            }
            other => return other,
        }
    }
    store.apply(batch, Timestamp::now()).await
}

/// Tells subscribers which conversations' outgoing messages changed, and how many messages
/// still wait in the outbox.
pub(crate) async fn announce_outbox(
    store: &Store,
    events: &broadcast::Sender<EngineEvent>,
    conversations: Vec<String>,
) {
    if let Ok(pending) = store.outbox_pending().await {
        let pending = u32::try_from(pending).unwrap_or(u32::MAX);
        let _ = events.send(EngineEvent::Outbox {
            pending,
            conversations,
        });
    }
}
