//! Moves WAL checkpoints off the ingest path.
//!
//! By default SQLite checkpoints inside the commit that pushes the WAL past 1,000 pages, so
//! every few batches of a flood one of them also copies the whole WAL into the database file
//! (about a fifth of ingest time on a 1,000,000-message cache). Here commits only nudge this
//! task, which checkpoints (PASSIVE: it never blocks a writer or a reader) a moment later on a
//! connection of its own. A high automatic threshold stays as a backstop, so the WAL stays
//! bounded even if this task falls behind.

use sqlx::SqlitePool;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Pages after which a commit checkpoints by itself (the backstop, 128 MiB of 4 KiB pages).
pub(super) const BACKSTOP_PAGES: &str = "32768";
/// The WAL file is cut back to this size once checkpointed (a flood can grow it a lot).
pub(super) const WAL_SIZE_LIMIT_BYTES: &str = "67108864";
/// Commits within this window share one checkpoint.
const SETTLE: Duration = Duration::from_millis(250);

#[derive(Debug)]
pub(super) struct Checkpointer {
    nudge: Arc<Notify>,
    cancel: CancellationToken,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Checkpointer {
    pub fn start(pool: SqlitePool) -> Self {
        let nudge = Arc::new(Notify::new());
        let cancel = CancellationToken::new();
        let task = tokio::spawn(run(pool, Arc::clone(&nudge), cancel.clone()));
        Self {
            nudge,
            cancel,
            task: Mutex::new(Some(task)),
        }
    }

    /// Something was committed: checkpoint soon.
    pub fn nudge(&self) {
        self.nudge.notify_one();
    }

    /// Stops the task and waits for it (a checkpoint under way finishes first).
    pub async fn stop(&self) {
        self.cancel.cancel();
        let task = self.task.lock().map(|mut t| t.take()).unwrap_or(None);
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        // The last handle to the store is gone without `close()`: let the task end by itself.
        self.cancel.cancel();
    }
}

async fn run(pool: SqlitePool, nudge: Arc<Notify>, cancel: CancellationToken) {
    loop {
        tokio::select! {
            () = cancel.cancelled() => return,
            () = nudge.notified() => {}
        }
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep(SETTLE) => {}
        }
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            // The next commit nudges again; the backstop covers a checkpoint that keeps failing.
            tracing::debug!("background checkpoint failed: {error}");
        }
    }
}
