//! One client connection: the auth middleware, the burst, the heartbeat, and the answers to what
//! the client sends.

use crate::auth::TokenStore;
use crate::config::SimConfig;
use crate::recorder::{Outcome, ReceivedEvent, Recorder};
use crate::world::World;
use chrono::Utc;
use sellerdesk_protocol::{
    ChatError, ChatMessage, ChatSend, ChatStatus, ClientEvent, DecodeError, ErrorCode,
    MessageStatus, Participant, ServerError, ServerEvent, Timestamp,
};
use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use serde_json::Value;
use socketioxide::extract::{AckSender, Event, SocketRef, TryData};
use socketioxide::socket::DisconnectReason;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Every Socket.IO argument of an event (socketioxide's `Data<Value>` keeps only the first).
/// Deserializing as a tuple makes socketioxide hand over the whole argument list.
pub(crate) struct Args(pub Vec<Value>);

impl<'de> Deserialize<'de> for Args {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ArgsVisitor;
        impl<'de> Visitor<'de> for ArgsVisitor {
            type Value = Args;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of Socket.IO arguments")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Args, A::Error> {
                let mut args = Vec::new();
                while let Some(arg) = seq.next_element::<Value>()? {
                    args.push(arg);
                }
                Ok(Args(args))
            }
        }
        deserializer.deserialize_tuple(usize::MAX, ArgsVisitor)
    }
}

/// A zero-length array serializes as an empty tuple, which socketioxide sends as an event with
/// no argument at all (`["ping"]`); `&()` would send one `null` argument (`["ping",null]`).
const NO_ARGS: [(); 0] = [];

/// Sends `event` to one socket; `false` when it could not be queued (closed socket, full buffer).
pub(crate) fn emit(socket: &SocketRef, event: &ServerEvent) -> bool {
    let result = match event.payload() {
        Some(payload) => socket.emit(event.name(), &payload),
        None => socket.emit(event.name(), &NO_ARGS),
    };
    match result {
        Ok(()) => true,
        Err(error) => {
            tracing::debug!(sid = %socket.id, event = event.name(), %error, "emit failed");
            false
        }
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A client that has received its burst and now gets the running traffic.
struct Client {
    socket: SocketRef,
    cancel: CancellationToken,
}

/// State shared by every connection of one simulator.
pub(crate) struct Hub {
    pub config: SimConfig,
    pub tokens: TokenStore,
    pub recorder: Recorder,
    pub world: Mutex<World>,
    pub seller: Participant,
    clients: Mutex<HashMap<String, Client>>,
    /// Echoes by `clientMessageId`: a message sent again gets the same answer, not a second copy.
    sent: Mutex<HashMap<String, ChatMessage>>,
    pub cancel: CancellationToken,
    pub tracker: TaskTracker,
}

impl Hub {
    pub fn new(
        config: SimConfig,
        seed: u64,
        cancel: CancellationToken,
        tracker: TaskTracker,
    ) -> Self {
        let world = World::new(seed);
        Self {
            tokens: TokenStore::new(config.tokens.iter().cloned()),
            seller: world.seller().clone(),
            world: Mutex::new(world),
            recorder: Recorder::default(),
            clients: Mutex::new(HashMap::new()),
            sent: Mutex::new(HashMap::new()),
            config,
            cancel,
            tracker,
        }
    }

    /// Connect middleware: refuses the handshake with `AUTH_FAILED` unless the token is known,
    /// and registers the event handlers before the client can send anything.
    pub fn authenticate(
        self: &Arc<Self>,
        socket: &SocketRef,
        auth: Option<Value>,
    ) -> Result<(), crate::AuthError> {
        let auth = auth.unwrap_or(Value::Null);
        if let Err(error) = self.tokens.check(&auth) {
            tracing::info!(sid = %socket.id, reason = error.reason(), "handshake refused: AUTH_FAILED");
            self.recorder.update(|stats| stats.auth_failures += 1);
            return Err(error);
        }
        let hub = self.clone();
        // socketioxide 0.18 runs each call of a handler as its own task, so two events of one
        // client may be handled out of order (batches keep their inner order). Ordering is
        // checked against the official Node server, which handles a socket's events in order.
        socket.on_fallback(
            move |socket: SocketRef,
                  Event(name): Event,
                  TryData(args): TryData<Args>,
                  ack: AckSender| {
                let hub = hub.clone();
                async move {
                    let args = args.map(|Args(args)| args).map_err(|e| e.to_string());
                    hub.on_client_event(&socket, name, args, ack);
                }
            },
        );
        let hub = self.clone();
        socket.on_disconnect(move |socket: SocketRef, reason: DisconnectReason| {
            let hub = hub.clone();
            async move { hub.on_disconnect(&socket, reason) }
        });
        Ok(())
    }

    /// Connect handler: the burst, then the socket joins the running traffic and gets pings.
    pub fn on_connect(self: &Arc<Self>, socket: SocketRef) {
        let sid = socket.id.to_string();
        tracing::info!(%sid, "client connected");
        self.recorder.update(|stats| stats.connections += 1);
        let cancel = self.cancel.child_token();
        {
            // Burst and registration under the world lock: no generated event can slip between
            // them, so a client sees the same sequence for the same seed.
            let mut world = lock(&self.world);
            if self.config.initial_burst {
                for event in world.burst(Utc::now()) {
                    emit(&socket, &event);
                }
            }
            lock(&self.clients).insert(
                sid.clone(),
                Client {
                    socket: socket.clone(),
                    cancel: cancel.clone(),
                },
            );
        }
        if !socket.connected() {
            // Gone before the disconnect handler could see it registered.
            if let Some(client) = lock(&self.clients).remove(&sid) {
                client.cancel.cancel();
            }
            return;
        }
        let every = self.config.ping_interval.max(Duration::from_millis(10));
        self.tracker.spawn(ping_loop(socket, every, cancel));
    }

    fn on_disconnect(&self, socket: &SocketRef, reason: DisconnectReason) {
        tracing::info!(sid = %socket.id, ?reason, "client disconnected");
        if let Some(client) = lock(&self.clients).remove(&socket.id.to_string()) {
            client.cancel.cancel();
        }
    }

    /// One generated event to every client that has had its burst. Nothing is generated while
    /// nobody listens, so the sequence a client sees depends only on the seed.
    pub fn tick(&self) {
        let mut world = lock(&self.world);
        let clients: Vec<SocketRef> = lock(&self.clients)
            .values()
            .map(|c| c.socket.clone())
            .collect();
        if clients.is_empty() {
            return;
        }
        let event = world.next_event(Utc::now());
        for socket in &clients {
            emit(socket, &event);
        }
    }

    pub fn disconnect_all(&self) -> usize {
        let clients: Vec<SocketRef> = lock(&self.clients)
            .values()
            .map(|c| c.socket.clone())
            .collect();
        for socket in &clients {
            if let Err(error) = socket.clone().disconnect() {
                tracing::debug!(sid = %socket.id, %error, "disconnect failed");
            }
        }
        clients.len()
    }

    fn on_client_event(
        self: &Arc<Self>,
        socket: &SocketRef,
        name: String,
        args: Result<Vec<Value>, String>,
        ack: AckSender,
    ) {
        let sid = socket.id.to_string();
        let (args, decoded) = match args {
            Ok(args) => {
                let decoded = ClientEvent::decode(&name, &args);
                (args, decoded)
            }
            Err(reason) => (
                Vec::new(),
                Err(DecodeError::InvalidPayload {
                    event: name.clone(),
                    reason,
                }),
            ),
        };
        let messages: Vec<ChatSend> = match &decoded {
            Ok(ClientEvent::ChatSend(message)) => vec![message.clone()],
            Ok(ClientEvent::ChatBatch(messages)) => messages.clone(),
            _ => Vec::new(),
        };
        let verdicts: Vec<Result<(), String>> = messages.iter().map(check_message).collect();
        let outcome = match &decoded {
            Ok(_) => match verdicts.iter().find_map(|v| v.as_ref().err()) {
                Some(reason) => Outcome::Invalid(format!("INVALID_PAYLOAD: {name}: {reason}")),
                None => Outcome::Accepted,
            },
            Err(DecodeError::UnknownEvent(_)) => Outcome::Unknown,
            Err(error @ DecodeError::InvalidPayload { .. }) => Outcome::Invalid(error.to_string()),
        };
        self.recorder.record(ReceivedEvent {
            socket_id: sid.clone(),
            event: name.clone(),
            args,
            at: Timestamp::now(),
            outcome,
        });
        match decoded {
            Ok(ClientEvent::ChatSend(_)) | Ok(ClientEvent::ChatBatch(_)) => {
                tracing::debug!(%sid, size = messages.len(), "{name}");
                // Each message stands alone: the valid ones of a batch are still delivered.
                for (message, verdict) in messages.into_iter().zip(verdicts) {
                    match verdict {
                        Ok(()) => self.echo(socket, message),
                        Err(reason) => refuse(socket, &name, &message, reason),
                    }
                }
            }
            Ok(ClientEvent::Pong(pong)) => {
                tracing::trace!(%sid, timestamp = pong.timestamp, "pong")
            }
            Ok(ClientEvent::HealthCheck) => {
                tracing::debug!(%sid, "health.check");
                // Only a client that asked gets an answer (a no-op otherwise); the client
                // measures its round trip from it.
                if self.config.health_check_acks {
                    let answer = serde_json::json!({
                        "status": "ok",
                        "timestamp": Utc::now().timestamp_millis(),
                    });
                    if let Err(error) = ack.send(&answer) {
                        tracing::debug!(%sid, %error, "health.check ack failed");
                    }
                }
            }
            Err(DecodeError::UnknownEvent(_)) => {
                tracing::info!(%sid, event = %name, "unknown client event ignored")
            }
            Err(error) => {
                tracing::info!(%sid, %error, "invalid client payload");
                emit(
                    socket,
                    &ServerEvent::Error(ServerError {
                        code: ErrorCode::InvalidPayload,
                        message: error.to_string(),
                    }),
                );
            }
        }
    }

    /// The echo of a sent message, then `delivered` and `read` after the configured delays.
    /// A `clientMessageId` seen before is answered with the message stored the first time.
    fn echo(&self, socket: &SocketRef, sent: ChatSend) {
        let fresh = || ChatMessage {
            id: format!("msg_{}", uuid::Uuid::new_v4()),
            conversation_id: sent.conversation_id.clone(),
            sender: self.seller.clone(),
            content: sent.content.clone(),
            attachments: sent.attachments.clone(),
            timestamp: Timestamp::now(),
            status: MessageStatus::Sent,
            client_message_id: sent.client_message_id.clone(),
        };
        let message = match &sent.client_message_id {
            Some(key) => lock(&self.sent)
                .entry(key.clone())
                .or_insert_with(fresh)
                .clone(),
            None => fresh(),
        };
        emit(socket, &ServerEvent::ChatMessage(message.clone()));
        let socket = socket.clone();
        let cancel = self.cancel.clone();
        let delivered_after = self.config.delivered_delay;
        let read_after = self.config.read_delay.saturating_sub(delivered_after);
        self.tracker.spawn(async move {
            for (wait, status) in [
                (delivered_after, MessageStatus::Delivered),
                (read_after, MessageStatus::Read),
            ] {
                tokio::select! {
                    () = cancel.cancelled() => return,
                    () = tokio::time::sleep(wait) => {}
                }
                let receipt = ServerEvent::ChatStatus(ChatStatus {
                    message_id: message.id.clone(),
                    conversation_id: message.conversation_id.clone(),
                    status,
                    timestamp: Timestamp::now(),
                });
                if !emit(&socket, &receipt) {
                    return;
                }
            }
        });
    }
}

/// The longest message the marketplace accepts, in characters.
pub const MAX_CONTENT_CHARS: usize = 4000;

/// Checks beyond the shape: a message needs a conversation, something to say, and not too much.
fn check_message(message: &ChatSend) -> Result<(), String> {
    if message.conversation_id.trim().is_empty() {
        Err("conversationId is empty".into())
    } else if message.content.is_empty() && message.attachments.is_empty() {
        Err("a message needs content or attachments".into())
    } else if message.content.chars().count() > MAX_CONTENT_CHARS {
        Err(format!(
            "content is longer than {MAX_CONTENT_CHARS} characters"
        ))
    } else {
        Ok(())
    }
}

/// Refuses one message: by its client id in `chat.error` when it has one (so the client can mark
/// exactly that message failed), else with the connection-level `error`.
fn refuse(socket: &SocketRef, event: &str, message: &ChatSend, reason: String) {
    tracing::info!(sid = %socket.id, %reason, "message refused");
    let refusal = match &message.client_message_id {
        Some(id) => ServerEvent::ChatError(ChatError {
            code: ErrorCode::InvalidPayload,
            message: reason,
            conversation_id: Some(message.conversation_id.clone()),
            message_id: Some(id.clone()),
            timestamp: Timestamp::now(),
        }),
        None => ServerEvent::Error(ServerError {
            code: ErrorCode::InvalidPayload,
            message: DecodeError::InvalidPayload {
                event: event.to_owned(),
                reason,
            }
            .to_string(),
        }),
    };
    emit(socket, &refusal);
}

async fn ping_loop(socket: SocketRef, every: Duration, cancel: CancellationToken) {
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = cancel.cancelled() => return,
            _ = ticks.tick() => {}
        }
        if !emit(&socket, &ServerEvent::Ping) && !socket.connected() {
            return;
        }
    }
}
