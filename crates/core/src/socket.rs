//! The one place that knows rust_socketio. Its callbacks only push [`Signal`]s into a channel
//! and return (they run inline on the crate's single reader task), and its traps are mapped here:
//! success is the `Connect` event, not `connect()` returning; a refused handshake and the
//! server's `error` event both arrive as `Event::Error`; a zero-argument event arrives as
//! `Event::Message`; a dead transport shows only as an error string. Its own reconnect is off.

use crate::sensitive::Token;
use futures_util::FutureExt;
use rust_socketio::asynchronous::{Client, ClientBuilder};
use rust_socketio::{Event, Payload, TransportType};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;
use tokio::sync::mpsc;
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
    /// Where ack callbacks report. Weak: the channel must still close when the crate's reader
    /// task (which holds the strong senders) ends, as that is how a silent end shows.
    signals: mpsc::WeakUnboundedSender<Signal>,
}

impl Socket {
    /// Connects and waits for the server's `Connect` (or its refusal) within `timeout`.
    /// Signals after `Connected` stay in the returned receiver.
    pub async fn connect(
        url: &str,
        token: &Token,
        transport: Transport,
        timeout: Duration,
    ) -> Result<(Self, mpsc::UnboundedReceiver<Signal>), SocketError> {
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
    ) -> Result<(Self, mpsc::UnboundedReceiver<Signal>), SocketError> {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let push = |tx: mpsc::UnboundedSender<Signal>, event: Event| {
            move |payload: Payload, _client: Client| {
                // The receiver may be gone after a close; nothing to do then.
                let _ = tx.send(classify(&event, payload));
                async {}.boxed()
            }
        };
        let any_tx = tx.clone();
        let weak_tx = tx.downgrade();
        let builder = ClientBuilder::new(url)
            .namespace("/")
            .auth(serde_json::json!({ "token": token.bearer() }))
            .transport_type(match transport {
                Transport::Websocket => TransportType::Websocket,
                Transport::Polling => TransportType::Polling,
            })
            .reconnect(false)
            .reconnect_on_disconnect(false)
            .on(Event::Connect, push(tx.clone(), Event::Connect))
            .on(Event::Close, push(tx.clone(), Event::Close))
            .on(Event::Error, push(tx, Event::Error))
            .on_any(move |event, payload, _client| {
                let _ = any_tx.send(classify(&event, payload));
                async {}.boxed()
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
                Ok(Some(Signal::Event { .. } | Signal::Acked { .. })) => continue,
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
                let _ = tx.send(Signal::Acked {
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
