//! The cache writer: received events are committed here, off the session loop, so the socket's
//! heartbeat is answered promptly however slow the disk is. Batches that queue up while a
//! transaction runs are merged into the next one.

use super::{EngineEvent, Problem};
use crate::store::{ApplyReport, Store, StoreError};
use sellerdesk_protocol::{ServerEvent, Timestamp};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

/// How often a batch is tried again before its failure is reported.
const RETRIES: usize = 3;

/// The most events one transaction takes when batches queue up (a backlog after a reconnect,
/// a flood). Bigger transactions write each touched index page once for more rows: on a
/// 1,000,000-message cache 16,384 ingest about 53,000 messages/s where 4,096 did 41,000
/// (docs/performance.md); one such transaction commits in about 0.3 s.
pub const MAX_EVENTS_PER_TRANSACTION: usize = 16_384;

pub(crate) struct CacheWriter {
    batches: mpsc::UnboundedSender<Vec<ServerEvent>>,
    task: JoinHandle<()>,
}

impl CacheWriter {
    pub(crate) fn spawn(store: Store, events: broadcast::Sender<EngineEvent>) -> Self {
        let (batches, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(store, events, rx));
        Self { batches, task }
    }

    /// Queues a batch; it is committed in arrival order.
    pub(crate) fn write(&self, batch: Vec<ServerEvent>) {
        if self.batches.send(batch).is_err() {
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

async fn run(
    store: Store,
    events: broadcast::Sender<EngineEvent>,
    mut rx: mpsc::UnboundedReceiver<Vec<ServerEvent>>,
) {
    while let Some(mut batch) = rx.recv().await {
        while batch.len() < MAX_EVENTS_PER_TRANSACTION {
            match rx.try_recv() {
                Ok(more) => batch.extend(more),
                Err(_) => break,
            }
        }
        match apply_with_retries(&store, &batch).await {
            Ok(report) => {
                let echoed = !report.echoed.is_empty();
                let changes = (&report).into();
                let _ = events.send(EngineEvent::Received {
                    events: Arc::new(batch),
                    changes,
                });
                if echoed {
                    announce_outbox(&store, &events).await;
                }
            }
            Err(e) => {
                // Still shown live; the cache could not keep them (full disk, ...).
                tracing::warn!(code = e.code(), "{e}");
                let _ = events.send(EngineEvent::Problem {
                    problem: Problem::new(e.code(), e.to_string()),
                });
                let _ = events.send(EngineEvent::Received {
                    events: Arc::new(batch),
                    changes: Default::default(),
                });
            }
        }
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

/// Tells subscribers how many messages still wait in the outbox.
pub(crate) async fn announce_outbox(store: &Store, events: &broadcast::Sender<EngineEvent>) {
    if let Ok(pending) = store.outbox_pending().await {
        let pending = u32::try_from(pending).unwrap_or(u32::MAX);
        let _ = events.send(EngineEvent::Outbox { pending });
    }
}
