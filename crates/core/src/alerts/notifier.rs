//! The task that turns applied events into notices: classify, decide, coalesce, show.

use super::classify::classify;
use super::coalesce::{Coalescer, Notice};
use super::policy::{decide, SharedFocus, Verdict};
use super::settings::NotificationSettings;
use crate::engine::{ConnectionState, EngineEvent};
use crate::store::{Store, META_SELF_ID};
use chrono::Timelike;
use sellerdesk_protocol::{ServerEvent, Timestamp};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Where notices go: the OS notification service in the app, a list in tests.
pub trait NoticeSink: Send + Sync + 'static {
    fn show(&self, notice: &Notice);
}

#[derive(Debug, Default)]
struct Shared {
    settings: Mutex<NotificationSettings>,
    focus: SharedFocus,
}

/// Owns the notification task of one session.
#[derive(Debug)]
pub struct Notifier {
    shared: Arc<Shared>,
    cancel: CancellationToken,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Notifier {
    pub fn start(
        events: broadcast::Receiver<EngineEvent>,
        store: Store,
        settings: NotificationSettings,
        focus: SharedFocus,
        sink: Arc<dyn NoticeSink>,
    ) -> Self {
        let shared = Arc::new(Shared {
            settings: Mutex::new(settings),
            focus,
        });
        let cancel = CancellationToken::new();
        let task = tokio::spawn(run(
            events,
            store,
            Arc::clone(&shared),
            sink,
            cancel.clone(),
        ));
        Self {
            shared,
            cancel,
            task: Mutex::new(Some(task)),
        }
    }

    pub fn settings(&self) -> NotificationSettings {
        lock(&self.shared.settings).clone()
    }

    pub fn set_settings(&self, settings: NotificationSettings) {
        *lock(&self.shared.settings) = settings;
    }

    /// Stops the task; notices still waiting in a burst window are dropped (the events are
    /// in the cache).
    pub async fn stop(&self) {
        self.cancel.cancel();
        let task = lock(&self.task).take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

impl Drop for Notifier {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn minute_of_day() -> u16 {
    let now = chrono::Local::now();
    u16::try_from(now.hour() * 60 + now.minute()).unwrap_or(0)
}

/// The echo of a message this device sent (its client message id is in the outbox): the
/// seller's own, whatever sender the server names. It is in the cache by the time it gets here.
async fn sent_from_this_device(store: &Store, event: &ServerEvent) -> bool {
    let ServerEvent::ChatMessage(message) = event else {
        return false;
    };
    let Some(client_id) = &message.client_message_id else {
        return false;
    };
    matches!(store.outbox_item(client_id).await, Ok(Some(_)))
}

async fn run(
    mut events: broadcast::Receiver<EngineEvent>,
    store: Store,
    shared: Arc<Shared>,
    sink: Arc<dyn NoticeSink>,
    cancel: CancellationToken,
) {
    let mut coalescer = Coalescer::new();
    let mut self_id = seller_id(&store).await;
    loop {
        let deadline = coalescer.next_deadline();
        let event = tokio::select! {
            () = cancel.cancelled() => return,
            () = sleep_until(deadline) => {
                for notice in coalescer.flush(Instant::now()) {
                    sink.show(&notice);
                }
                continue;
            }
            event = events.recv() => event,
        };
        match event {
            Ok(EngineEvent::State {
                state: ConnectionState::Connected { .. },
            }) => {
                coalescer.connected(Instant::now(), Timestamp::now());
                self_id = seller_id(&store).await;
            }
            Ok(EngineEvent::Received { events, .. }) => {
                let received_at = Timestamp::now();
                let settings = lock(&shared.settings).clone();
                let focus = shared.focus.get();
                let minute = minute_of_day();
                for event in events.iter() {
                    let Some(alert) = classify(event, &self_id, received_at) else {
                        continue;
                    };
                    // Only for what would notify, so most events cost no lookup.
                    if sent_from_this_device(&store, event).await {
                        continue;
                    }
                    if !coalescer.first_time(&alert) {
                        continue;
                    }
                    match decide(&alert, &settings, &focus, received_at, minute) {
                        Verdict::Notify => coalescer.push(alert, Instant::now()),
                        verdict => tracing::debug!(?verdict, kind = ?alert.kind, "not notified"),
                    }
                }
            }
            Ok(_) => {}
            // Missed events are in the cache all the same; only their notices are lost.
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "notifications fell behind the event stream")
            }
            Err(RecvError::Closed) => return,
        }
    }
}

async fn seller_id(store: &Store) -> String {
    store
        .meta(META_SELF_ID)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}
