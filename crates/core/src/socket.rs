//! The one place that knows rust_socketio. Its callbacks only push [`Signal`]s into a channel
//! and return (they run inline on the crate's single reader task). The channel is bounded (see
//! [`Signals`]): a full one makes the callback wait, so the reader stops reading and TCP pushes
//! back on the server instead of memory filling up. Its traps are mapped here:
//! success is the `Connect` event, not `connect()` returning; a refused handshake and the
//! server's `error` event both arrive as `Event::Error`; a zero-argument event arrives as
//! `Event::Message`; a dead transport shows only as an error string. Its own reconnect is off.

use crate::sensitive::Token;
use futures_util::FutureExt;
use rust_socketio::asynchronous::{Client, ClientBuilder};
use rust_socketio::{Event, Payload, TransportType};
use sellerdesk_protocol::limits::{self, MAX_EVENT_BYTES};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// How the connection is carried (the spec switches to long-polling after three failures).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Transport {
    Websocket,
    Polling,
}

/// What the socket reports, in arrival order.
#[derive(Clone, Debug, PartialEq)]
pub enum Signal {
    Connected,
    /// An application event with its arguments (`error` events included).
    Event {
        name: String,
        args: Vec<Value>,
    },
    /// The server refused the handshake (`connect_error`), e.g. `AUTH_FAILED`.
    Refused {
        message: String,
    },
    /// An error text: rust_socketio's own transport errors and a server `error` event whose
    /// payload is a plain string look the same, so the session checks the link before it
    /// gives up on it.
    ErrorText(String),
    /// The server closed the connection (`io server disconnect`).
    Closed,
    /// An event over [`MAX_EVENT_BYTES`], dropped on arrival: only its name and size are kept.
    Oversized {
        name: String,
        json_bytes: usize,
    },
    /// The server acknowledged an event sent with [`Socket::emit_with_ack`]; `round_trip` is
    /// from the send to the ack's arrival on the reader task (before any queueing here).
    Acked {
        name: String,
        round_trip: Duration,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum SocketError {
    #[error("the server refused the connection: {message}")]
    Refused { message: String },
    #[error("no connection within {0:?}")]
    Timeout(Duration),
    #[error("cannot reach the server; check its address and the network ({0})")]
    Unreachable(String),
    #[error("the connection is closed")]
    Closed,
    #[error("stopped")]
    Cancelled,
    #[error(transparent)]
    InsecureServer(#[from] crate::server_url::ServerUrlError),
}

impl SocketError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Refused { message } if message == "AUTH_FAILED" => "AUTH_FAILED",
            Self::Refused { .. } => "CONNECTION_REFUSED",
            Self::Timeout(_) => "CONNECT_TIMEOUT",
            Self::Unreachable(_) => "SERVER_UNREACHABLE",
            Self::Closed => "CONNECTION_CLOSED",
            Self::Cancelled => "CANCELLED",
            Self::InsecureServer(e) => e.code(),
        }
    }

    pub fn is_auth_failure(&self) -> bool {
        matches!(self, Self::Refused { message } if message == "AUTH_FAILED")
    }
}

/// An error with its causes: rust_socketio's own text is often just "EngineIO Error", and the
/// useful part ("Connection refused", a TLS failure) is further down the chain.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

const CONNECT_ERROR_PREFIX: &str = "Received an ConnectError frame: ";

/// The most signals waiting between the socket and the session.
pub const SIGNAL_QUEUE_EVENTS: usize = 1024;
/// The most bytes (as [`limits::ValueSize::held_bytes`] estimates them) waiting between the
/// socket and the session: 8 events at the event cap, or about 40,000 typing events.
pub const SIGNAL_QUEUE_BYTES: usize = 8 * MAX_EVENT_BYTES;
/// What a signal without arguments is charged.
const MIN_CHARGE: usize = 64;

/// One signal with its size, as the session receives it.
#[derive(Debug)]
pub struct Inbound {
    pub signal: Signal,
    /// Estimated bytes it holds (see [`limits::ValueSize::held_bytes`]).
    pub bytes: usize,
}

/// A queued signal and its share of the byte budget, given back when it is taken out.
struct Charged {
    inbound: Inbound,
    _charge: OwnedSemaphorePermit,
}

/// How full the socket's queue has been: its peaks, for tests and benchmarks.
#[derive(Debug, Default)]
pub struct QueueGauge {
    peak_bytes: AtomicUsize,
    peak_events: AtomicUsize,
}

impl QueueGauge {
    pub fn peak_bytes(&self) -> usize {
        self.peak_bytes.load(Ordering::Relaxed)
    }

    pub fn peak_events(&self) -> usize {
        self.peak_events.load(Ordering::Relaxed)
    }
}

/// The sending half the callbacks use: waits for room, never drops a signal.
#[derive(Clone)]
struct SignalSender {
    tx: mpsc::Sender<Charged>,
    /// Keeps the ack side channel open exactly as long as the event channel.
    _acks: mpsc::Sender<Signal>,
    budget: Arc<Semaphore>,
    gauge: Arc<QueueGauge>,
}

impl SignalSender {
    async fn push(&self, signal: Signal, bytes: usize) {
        let charge = bytes.clamp(MIN_CHARGE, SIGNAL_QUEUE_BYTES);
        // Fails only once the receiver is gone (the budget is closed with it).
        let Ok(permit) = self
            .budget
            .clone()
            .acquire_many_owned(u32::try_from(charge).unwrap_or(u32::MAX))
            .await
        else {
            return;
        };
        let used = SIGNAL_QUEUE_BYTES.saturating_sub(self.budget.available_permits());
        let charged = Charged {
            inbound: Inbound { signal, bytes },
            _charge: permit,
        };
        if self.tx.send(charged).await.is_ok() {
            self.gauge.peak_bytes.fetch_max(used, Ordering::Relaxed);
            let queued = self.tx.max_capacity() - self.tx.capacity();
            self.gauge.peak_events.fetch_max(queued, Ordering::Relaxed);
        }
    }

    /// Turns one callback into a signal and queues it. An event over the cap is measured (the
    /// walk stops at the cap) and dropped here, never queued: by now rust_socketio has parsed
    /// its frame into JSON once and cloned the arguments once; both are freed when this returns.
    async fn deliver(&self, event: &Event, payload: Payload) {
        let (signal, bytes) = match classify(event, payload) {
            Signal::Event { name, args } => match limits::measure(&args, MAX_EVENT_BYTES) {
                Ok(size) => (Signal::Event { name, args }, size.held_bytes()),
                Err(seen) => {
                    drop(args);
                    let json_bytes = seen.json_bytes;
                    (Signal::Oversized { name, json_bytes }, MIN_CHARGE)
                }
            },
            other => (other, MIN_CHARGE),
        };
        self.push(signal, bytes).await;
    }
}

/// What the socket reports, in order, through a queue bounded by [`SIGNAL_QUEUE_EVENTS`] and
/// [`SIGNAL_QUEUE_BYTES`]. Acks come on a side channel of their own (they are few: one per
/// `health.check`) and are handed out first.
pub struct Signals {
    rx: mpsc::Receiver<Charged>,
    acks: mpsc::Receiver<Signal>,
    budget: Arc<Semaphore>,
    gauge: Arc<QueueGauge>,
}

impl Signals {
    /// The next signal; `None` once the socket's reader has ended and everything was taken.
    pub async fn recv(&mut self) -> Option<Signal> {
        let mut one = Vec::with_capacity(1);
        self.recv_many(&mut one, 1).await;
        one.pop().map(|inbound| inbound.signal)
    }

    /// Up to `limit` signals into `into`, waiting for the first; 0 once the reader has ended.
    pub async fn recv_many(&mut self, into: &mut Vec<Inbound>, limit: usize) -> usize {
        let limit = limit.max(1);
        let before = into.len();
        while into.len() - before < limit {
            match self.acks.try_recv() {
                Ok(signal) => into.push(Inbound { signal, bytes: 0 }),
                Err(_) => break,
            }
        }
        let room = limit - (into.len() - before);
        if room == 0 {
            return limit;
        }
        let mut charged = Vec::new();
        if into.len() > before {
            while charged.len() < room {
                match self.rx.try_recv() {
                    Ok(item) => charged.push(item),
                    Err(_) => break,
                }
            }
        } else {
            tokio::select! {
                biased;
                Some(signal) = self.acks.recv() => into.push(Inbound { signal, bytes: 0 }),
                _ = self.rx.recv_many(&mut charged, room) => {}
            }
        }
        // Taken out of the queue: their bytes are free again as they drop here.
        into.extend(charged.into_iter().map(|item| item.inbound));
        into.len() - before
    }

    /// The queue's peaks so far.
    pub fn gauge(&self) -> Arc<QueueGauge> {
        self.gauge.clone()
    }

    /// Takes no more signals: a callback waiting for room returns at once, so the reader can
    /// end when the connection is closed.
    pub fn close(&mut self) {
        self.budget.close();
        self.rx.close();
        self.acks.close();
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        self.close();
    }
}

/// Turns one rust_socketio callback into a signal.
fn classify(event: &Event, payload: Payload) -> Signal {
    let args = match payload {
        Payload::Text(values) => values,
        // Binary payloads are not part of the marketplace API; keep the event, drop the bytes.
        _ => Vec::new(),
    };
    match event {
        Event::Connect => Signal::Connected,
        Event::Close => Signal::Closed,
        Event::Custom(name) => Signal::Event {
            name: name.clone(),
            args,
        },
        // `emit("ping")` with no argument arrives as a message whose only value is the name.
        Event::Message => match args.as_slice() {
            [Value::String(name)] => Signal::Event {
                name: name.clone(),
                args: Vec::new(),
            },
            _ => Signal::Event {
                name: "message".into(),
                args,
            },
        },
        Event::Error => match args.as_slice() {
            [Value::String(text)] => match text.strip_prefix(CONNECT_ERROR_PREFIX) {
                Some(frame) => Signal::Refused {
                    message: connect_error_message(frame),
                },
                None => Signal::ErrorText(text.clone()),
            },
            // An object is the server's own `error` event ({code, message}).
            _ => Signal::Event {
                name: "error".into(),
                args,
            },
        },
    }
}

fn connect_error_message(frame: &str) -> String {
    #[derive(Deserialize)]
    struct Frame {
        message: String,
    }
    serde_json::from_str::<Frame>(frame)
        .map(|f| f.message)
        .or_else(|_| serde_json::from_str::<String>(frame))
        .unwrap_or_else(|_| frame.to_owned())
}

/// Acks waiting to be taken (at most three `health.check`s are ever unanswered).
const ACK_QUEUE: usize = 16;

/// The longest a single send may take.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// Says goodbye to the server, but never waits long for it: a dead link must not hold up a
/// sign-out or the app's exit.
async fn close_client(client: &Client) {
    let _ = tokio::time::timeout(Duration::from_secs(2), client.disconnect()).await;
}

/// A live connection. Dropping it does not close it: call [`Socket::close`].
pub struct Socket {
    client: Client,
    transport: Transport,
    /// Where ack callbacks report, on a side channel. They never wait for room (rust_socketio
    /// runs them holding its list of acks, which sending a `health.check` needs too): an ack
    /// that finds the side channel full is dropped. Weak: it ends with the [`Signals`].
    signals: mpsc::WeakSender<Signal>,
}

impl Socket {
    /// Connects and waits for the server's `Connect` (or its refusal) within `timeout`.
    /// Signals after `Connected` stay in the returned receiver.
    pub async fn connect(
        url: &str,
        token: &Token,
        transport: Transport,
        timeout: Duration,
    ) -> Result<(Self, Signals), SocketError> {
        Self::connect_cancellable(url, token, transport, timeout, &CancellationToken::new()).await
    }

    /// [`Socket::connect`] that gives up as soon as `cancel` fires, closing what it opened (a
    /// dropped rust_socketio client would keep its reader task and the connection alive).
    pub async fn connect_cancellable(
        url: &str,
        token: &Token,
        transport: Transport,
        timeout: Duration,
        cancel: &CancellationToken,
    ) -> Result<(Self, Signals), SocketError> {
        // Every connection carries the token: refused before any socket is opened.
        crate::server_url::require_secure(url)?;
        let (tx, rx) = mpsc::channel(SIGNAL_QUEUE_EVENTS);
        let (ack_tx, acks) = mpsc::channel(ACK_QUEUE);
        let budget = Arc::new(Semaphore::new(SIGNAL_QUEUE_BYTES));
        let gauge = Arc::new(QueueGauge::default());
        let weak_tx = ack_tx.downgrade();
        let sender = SignalSender {
            tx,
            _acks: ack_tx,
            budget: budget.clone(),
            gauge: gauge.clone(),
        };
        let mut rx = Signals {
            rx,
            acks,
            budget,
            gauge,
        };
        // Awaiting in a callback holds up rust_socketio's reader: that is the backpressure.
        let push = |sender: SignalSender, event: Event| {
            move |payload: Payload, _client: Client| {
                let sender = sender.clone();
                let event = event.clone();
                async move { sender.deliver(&event, payload).await }.boxed()
            }
        };
        let any_sender = sender.clone();
        let builder = ClientBuilder::new(url)
            .namespace("/")
            .auth(serde_json::json!({ "token": token.bearer() }))
            .transport_type(match transport {
                Transport::Websocket => TransportType::Websocket,
                Transport::Polling => TransportType::Polling,
            })
            .reconnect(false)
            .reconnect_on_disconnect(false)
            .on(Event::Connect, push(sender.clone(), Event::Connect))
            .on(Event::Close, push(sender.clone(), Event::Close))
            .on(Event::Error, push(sender, Event::Error))
            .on_any(move |event, payload, _client| {
                let sender = any_sender.clone();
                async move { sender.deliver(&event, payload).await }.boxed()
            });

        let deadline = tokio::time::Instant::now() + timeout;
        let opened = tokio::select! {
            opened = tokio::time::timeout_at(deadline, builder.connect()) => opened,
            () = cancel.cancelled() => return Err(SocketError::Cancelled),
        };
        let client = match opened {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => return Err(SocketError::Unreachable(error_chain(&e))),
            Err(_) => return Err(SocketError::Timeout(timeout)),
        };
        let outcome = loop {
            let next = tokio::select! {
                next = tokio::time::timeout_at(deadline, rx.recv()) => next,
                () = cancel.cancelled() => break Err(SocketError::Cancelled),
            };
            match next {
                Ok(Some(Signal::Connected)) => break Ok(()),
                Ok(Some(Signal::Refused { message })) => {
                    break Err(SocketError::Refused { message })
                }
                Ok(Some(Signal::ErrorText(e))) => break Err(SocketError::Unreachable(e)),
                Ok(Some(Signal::Closed)) | Ok(None) => break Err(SocketError::Closed),
                // Nothing but the handshake can come before `Connected`.
                Ok(Some(
                    Signal::Event { .. } | Signal::Acked { .. } | Signal::Oversized { .. },
                )) => continue,
                Err(_) => break Err(SocketError::Timeout(timeout)),
            }
        };
        match outcome {
            Ok(()) => Ok((
                Self {
                    client,
                    transport,
                    signals: weak_tx,
                },
                rx,
            )),
            Err(e) => {
                close_client(&client).await;
                Err(e)
            }
        }
    }

    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// Sends one event; `payload` `None` sends it without arguments.
    /// A send that takes longer than [`SEND_TIMEOUT`] (a polling POST into a dead proxy has no
    /// timeout of its own) counts as a failed transport.
    pub async fn emit(&self, name: &str, payload: Option<Value>) -> Result<(), SocketError> {
        bounded_send(self.client.emit(name, as_payload(payload))).await
    }

    /// Sends one event asking the server to acknowledge it; the ack, if it comes within
    /// `ack_timeout`, arrives as [`Signal::Acked`]. A missing ack is not an error: servers
    /// need not answer. Fails like [`Socket::emit`] only when the send itself fails.
    ///
    /// rust_socketio keeps an unanswered ack in its list for the life of the connection (it
    /// only drops one when its answer comes), so callers should stop asking a server that
    /// never answers.
    pub async fn emit_with_ack(
        &self,
        name: &str,
        payload: Option<Value>,
        ack_timeout: Duration,
    ) -> Result<(), SocketError> {
        let payload = as_payload(payload);
        let signals = self.signals.clone();
        let event = name.to_owned();
        let sent = tokio::time::Instant::now();
        // Runs on the crate's reader task: only measure, push and return.
        let on_ack = move |_answer: Payload, _client: Client| {
            if let Some(tx) = signals.upgrade() {
                let _ = tx.try_send(Signal::Acked {
                    name: event.clone(),
                    round_trip: sent.elapsed(),
                });
            }
            async {}.boxed()
        };
        bounded_send(
            self.client
                .emit_with_ack(name, payload, ack_timeout, on_ack),
        )
        .await
    }

    /// Closes the connection; the crate's reader task ends with it.
    pub async fn close(self) {
        close_client(&self.client).await;
    }
}

/// One event's arguments: none, or the one payload.
fn as_payload(payload: Option<Value>) -> Payload {
    Payload::Text(payload.into_iter().collect())
}

/// A send that takes longer than [`SEND_TIMEOUT`] counts as a failed transport.
async fn bounded_send<E: std::error::Error>(
    sending: impl std::future::Future<Output = Result<(), E>>,
) -> Result<(), SocketError> {
    match tokio::time::timeout(SEND_TIMEOUT, sending).await {
        Ok(sent) => sent.map_err(|e| SocketError::Unreachable(error_chain(&e))),
        Err(_) => Err(SocketError::Timeout(SEND_TIMEOUT)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn zero_argument_events_arrive_as_messages() {
        let signal = classify(&Event::Message, Payload::Text(vec![json!("ping")]));
        assert_eq!(
            signal,
            Signal::Event {
                name: "ping".into(),
                args: vec![]
            }
        );
    }

    #[test]
    fn connect_errors_are_refusals_with_their_message() {
        let text = format!(
            "{CONNECT_ERROR_PREFIX}{}",
            json!({"message": "AUTH_FAILED", "data": {"x": 1}})
        );
        let signal = classify(&Event::Error, Payload::Text(vec![Value::String(text)]));
        assert_eq!(
            signal,
            Signal::Refused {
                message: "AUTH_FAILED".into()
            }
        );
    }

    #[test]
    fn object_errors_are_server_events_and_text_errors_are_ambiguous() {
        let app = classify(
            &Event::Error,
            Payload::Text(vec![json!({"code": "RATE_LIMIT", "message": "slow"})]),
        );
        assert!(matches!(app, Signal::Event { ref name, .. } if name == "error"));
        let transport = classify(&Event::Error, Payload::Text(vec![json!("EngineIO Error")]));
        assert_eq!(transport, Signal::ErrorText("EngineIO Error".into()));
    }

    #[test]
    fn custom_events_keep_their_arguments() {
        let signal = classify(
            &Event::Custom("chat.message".into()),
            Payload::Text(vec![json!({"id": "m"})]),
        );
        assert_eq!(
            signal,
            Signal::Event {
                name: "chat.message".into(),
                args: vec![json!({"id": "m"})]
            }
        );
    }
}
