//! How full the engine's queues have been and what it refused or merged under pressure: peaks
//! only go up, for tests and benchmarks to compare with the bounds.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

#[derive(Debug, Default)]
pub(crate) struct Gauges {
    socket_peak_bytes: AtomicUsize,
    socket_peak_events: AtomicUsize,
    pending_peak_bytes: AtomicUsize,
    pending_peak_events: AtomicUsize,
    writer_peak_bytes: AtomicUsize,
    writer_peak_events: AtomicUsize,
    rejected_payloads: AtomicU64,
    coalesced_events: AtomicU64,
    transactions: AtomicU64,
}

/// A reading of the engine's gauges since it started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueReport {
    /// Peak estimated bytes and signals between the socket and the session (bounded by
    /// [`crate::socket::SIGNAL_QUEUE_BYTES`] and [`crate::socket::SIGNAL_QUEUE_EVENTS`]).
    pub socket_peak_bytes: usize,
    pub socket_peak_events: usize,
    /// Peak of what the session held for the writer: it stops reading at [`PENDING_BYTES`] or
    /// [`PENDING_EVENTS`], so the peak is at most that plus one turn of signals (at most
    /// [`crate::socket::SIGNAL_QUEUE_BYTES`], 512 signals).
    pub pending_peak_bytes: usize,
    pub pending_peak_events: usize,
    /// Peak of the writer's queue, the transaction being written included (bounded by
    /// [`super::WRITER_QUEUE_BYTES`] and [`super::WRITER_QUEUE_EVENTS`]).
    pub writer_peak_bytes: usize,
    pub writer_peak_events: usize,
    /// Events refused as over a cap or unreadable (`INVALID_PAYLOAD`, `UNKNOWN_EVENT`).
    pub rejected_payloads: u64,
    /// Typing and presence events folded into a later one for the same user.
    pub coalesced_events: u64,
    /// Cache transactions committed.
    pub transactions: u64,
}

/// The most the session holds for the writer before it stops reading the socket.
pub const PENDING_BYTES: usize = 4 << 20;
/// The most events the session holds for the writer before it stops reading the socket.
pub const PENDING_EVENTS: usize = 4096;

impl Gauges {
    pub fn socket(&self, bytes: usize, events: usize) {
        self.socket_peak_bytes.fetch_max(bytes, Ordering::Relaxed);
        self.socket_peak_events.fetch_max(events, Ordering::Relaxed);
    }

    pub fn pending(&self, bytes: usize, events: usize) {
        self.pending_peak_bytes.fetch_max(bytes, Ordering::Relaxed);
        self.pending_peak_events
            .fetch_max(events, Ordering::Relaxed);
    }

    pub fn writer(&self, bytes: usize, events: usize) {
        self.writer_peak_bytes.fetch_max(bytes, Ordering::Relaxed);
        self.writer_peak_events.fetch_max(events, Ordering::Relaxed);
    }

    pub fn rejected(&self) {
        self.rejected_payloads.fetch_add(1, Ordering::Relaxed);
    }

    pub fn coalesced(&self, n: usize) {
        self.coalesced_events
            .fetch_add(u64::try_from(n).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    pub fn committed(&self) {
        self.transactions.fetch_add(1, Ordering::Relaxed);
    }

    pub fn report(&self) -> QueueReport {
        let get = |a: &AtomicUsize| a.load(Ordering::Relaxed);
        QueueReport {
            socket_peak_bytes: get(&self.socket_peak_bytes),
            socket_peak_events: get(&self.socket_peak_events),
            pending_peak_bytes: get(&self.pending_peak_bytes),
            pending_peak_events: get(&self.pending_peak_events),
            writer_peak_bytes: get(&self.writer_peak_bytes),
            writer_peak_events: get(&self.writer_peak_events),
            rejected_payloads: self.rejected_payloads.load(Ordering::Relaxed),
            coalesced_events: self.coalesced_events.load(Ordering::Relaxed),
            transactions: self.transactions.load(Ordering::Relaxed),
        }
    }
}
