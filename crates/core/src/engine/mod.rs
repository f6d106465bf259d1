//! The engine: one supervisor task owns the socket, caches what arrives, answers the heartbeat
//! and sends the outbox; the rest of the app talks to it through an [`Engine`] handle.

mod backoff;
mod coalesce;
mod gauges;
mod lease;
mod state;
mod supervisor;
mod writer;

pub use backoff::ReconnectPolicy;
pub use coalesce::MAX_TYPING_KEYS;
pub use gauges::{QueueReport, PENDING_BYTES, PENDING_EVENTS};
pub use state::{CacheChanges, ConnectionState, EngineEvent, Problem};
pub use writer::{
    MAX_EVENTS_PER_TRANSACTION, MAX_TRANSACTION_BYTES, WRITER_QUEUE_BYTES, WRITER_QUEUE_EVENTS,
};

use crate::credentials::{CredentialError, Keychain};
use crate::models::OutboxItem;
use crate::sensitive::Token;
use crate::store::{Store, StoreError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Where the engine gets the token, read again before every connection attempt.
#[derive(Clone, Debug)]
pub enum TokenSource {
    /// The OS keychain entry for the server (a new sign-in takes effect at the next attempt).
    Keychain(Keychain),
    /// The OS keychain, opened at each attempt: a keychain that is locked or missing at start-up
    /// delays the connection, never the offline cache, and is picked up once it is available.
    Platform,
    /// A token held in memory only (demo mode).
    Fixed(Token),
}

impl TokenSource {
    pub async fn load(&self, server: &str) -> Result<Option<Token>, CredentialError> {
        match self {
            Self::Keychain(keychain) => keychain.load(server).await,
            Self::Platform => Keychain::platform().await?.load(server).await,
            Self::Fixed(token) => Ok(Some(token.clone())),
        }
    }
}

#[derive(Clone, Debug)]
pub struct EngineConfig {
    pub server_url: String,
    pub tokens: TokenSource,
    pub reconnect: ReconnectPolicy,
    /// `health.check` cadence while connected (the spec's 30 s).
    pub health_check_every: Duration,
    /// When nothing has arrived for this long, a `health.check` goes out early (at most this
    /// often): rust_socketio ends silently when the server vanishes, and only a send notices.
    pub idle_probe_after: Duration,
    /// With nothing at all received for this long (not even the server's `ping`), the
    /// connection is taken as dead (`ping timeout`): a stalled link keeps TCP open and sends
    /// succeed into its buffers, so only silence tells.
    pub heartbeat_timeout: Duration,
    /// How often the outbox is looked at for messages queued by another process.
    pub outbox_poll_every: Duration,
    /// The spec's batching window for outgoing messages.
    pub batch_window: Duration,
    /// The spec's batch size.
    pub batch_max: u32,
    /// How long sending pauses after the server says `RATE_LIMIT`.
    pub rate_limit_pause: Duration,
}

impl EngineConfig {
    pub fn new(server_url: impl Into<String>, tokens: TokenSource) -> Self {
        Self {
            server_url: server_url.into(),
            tokens,
            reconnect: ReconnectPolicy::default(),
            health_check_every: Duration::from_secs(30),
            idle_probe_after: Duration::from_secs(5),
            heartbeat_timeout: Duration::from_secs(60),
            outbox_poll_every: Duration::from_secs(1),
            batch_window: Duration::from_millis(100),
            batch_max: 10,
            rate_limit_pause: Duration::from_secs(10),
        }
    }
}

#[derive(Debug)]
pub(crate) enum Command {
    /// A message was queued: send it within the batching window.
    Flush,
    /// Skip the wait and try to connect now.
    RetryNow,
}

/// The handle to a running engine. Dropping it without [`Engine::shutdown`] cancels the task.
pub struct Engine {
    store: Store,
    commands: mpsc::UnboundedSender<Command>,
    state: watch::Receiver<ConnectionState>,
    latency: watch::Receiver<Option<u32>>,
    events: broadcast::Sender<EngineEvent>,
    gauges: Arc<gauges::Gauges>,
    cancel: CancellationToken,
    task: Option<JoinHandle<()>>,
}

/// Subscribers that fall this far behind lose the oldest events (and are told so by `Lagged`).
/// It is also what one that stops reading holds: at most this many events, each a slice of
/// at most [`writer::MAX_RECEIVED_BYTES`] (or one event) when it carries received events.
pub(crate) const EVENT_BUFFER: usize = 1024;

impl Engine {
    /// Starts the supervisor on the current tokio runtime.
    pub fn start(config: EngineConfig, store: Store) -> Self {
        Self::start_subscribed(config, store).0
    }

    /// Starts the supervisor and returns a subscription that sees every event from the first.
    pub fn start_subscribed(
        config: EngineConfig,
        store: Store,
    ) -> (Self, broadcast::Receiver<EngineEvent>) {
        let (commands, command_rx) = mpsc::unbounded_channel();
        let (state_tx, state) = watch::channel(ConnectionState::Connecting);
        let (latency_tx, latency) = watch::channel(None);
        let (events, first_subscriber) = broadcast::channel(EVENT_BUFFER);
        let cancel = CancellationToken::new();
        let supervisor = supervisor::Supervisor::new(
            config,
            store.clone(),
            command_rx,
            state_tx,
            events.clone(),
            latency_tx,
            cancel.clone(),
        );
        let gauges = supervisor.gauges();
        let task = tokio::spawn(supervisor.run());
        let engine = Self {
            store,
            commands,
            state,
            latency,
            events,
            gauges,
            cancel,
            task: Some(task),
        };
        (engine, first_subscriber)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn state(&self) -> ConnectionState {
        self.state.borrow().clone()
    }

    pub fn watch_state(&self) -> watch::Receiver<ConnectionState> {
        self.state.clone()
    }

    /// The round trip of the last acknowledged `health.check` in milliseconds, while connected
    /// to a server that acknowledges it; `None` otherwise.
    pub fn latency(&self) -> Option<u32> {
        *self.latency.borrow()
    }

    pub fn watch_latency(&self) -> watch::Receiver<Option<u32>> {
        self.latency.clone()
    }

    /// How full the queues between the socket and the cache have been, and what was refused
    /// or folded under pressure.
    pub fn queues(&self) -> QueueReport {
        self.gauges.report()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.events.subscribe()
    }

    /// Stores the message in the outbox first, then asks the supervisor to send it.
    pub async fn send_message(
        &self,
        conversation_id: &str,
        content: &str,
    ) -> Result<OutboxItem, StoreError> {
        let item = self.store.enqueue(conversation_id, content, &[]).await?;
        let _ = self.commands.send(Command::Flush);
        writer::announce_outbox(
            &self.store,
            &self.events,
            vec![item.conversation_id.clone()],
        )
        .await;
        Ok(item)
    }

    /// Puts a message the server refused back in the queue (the seller chose to retry it).
    pub async fn retry_message(&self, client_message_id: &str) -> Result<(), StoreError> {
        let conversation = self.store.retry_outbox(client_message_id).await?;
        let _ = self.commands.send(Command::Flush);
        writer::announce_outbox(&self.store, &self.events, vec![conversation]).await;
        Ok(())
    }

    /// Connect now instead of waiting for the next scheduled attempt.
    pub fn retry_now(&self) {
        let _ = self.commands.send(Command::RetryNow);
    }

    /// Stops every attempt, closes the socket and waits for the task to end.
    pub async fn shutdown(mut self) {
        self.cancel.cancel();
        if let Some(task) = self.task.take() {
            if let Err(e) = task.await {
                tracing::error!("engine task ended abnormally: {e}");
            }
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}
