//! Keeps this engine's outbox claims alive while a session runs, on a task of its own: a
//! renewal that waits for the database (the cache writer's transaction, another process) must
//! not hold up the session loop, which answers the heartbeat and reads the socket.

use crate::store::Store;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub(crate) struct LeaseKeeper {
    cancel: CancellationToken,
    task: JoinHandle<()>,
}

impl LeaseKeeper {
    /// Renews `owner`'s claims every `every` until stopped.
    pub(crate) fn start(store: Store, owner: String, every: Duration) -> Self {
        let cancel = CancellationToken::new();
        let stop = cancel.clone();
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    () = stop.cancelled() => return,
                    _ = tick.tick() => {}
                }
                // A process that died stops renewing and its claims pass to whoever connects next.
                let renewing = store.renew_outbox_claims(&owner);
                tokio::select! {
                    () = stop.cancelled() => return,
                    renewed = renewing => if let Err(e) = renewed {
                        tracing::warn!("could not renew outbox claims: {e}");
                    },
                }
            }
        });
        Self { cancel, task }
    }

    pub(crate) async fn stop(self) {
        self.cancel.cancel();
        if let Err(e) = self.task.await {
            tracing::error!("outbox lease task ended abnormally: {e}");
        }
    }
}
