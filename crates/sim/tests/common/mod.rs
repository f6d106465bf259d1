//! A real Socket.IO client (rust_socketio 0.6, as the desktop client uses) for the tests.
#![allow(dead_code)]

use futures_util::FutureExt;
use marketplace_sim::{SimConfig, Simulator};
use rust_socketio::asynchronous::{Client, ClientBuilder};
use rust_socketio::{Event, Payload};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// What the client saw, in order.
#[derive(Clone, Debug)]
pub enum Got {
    Connect,
    Close,
    /// `Event::Error`: the crate's own errors (a string) or the server's `error` event (an object).
    Error(Vec<Value>),
    /// An event with at least one argument.
    Event(String, Vec<Value>),
    /// `Event::Message`: how rust_socketio reports an event sent with no argument (`["ping"]`).
    Message(Vec<Value>),
}

impl Got {
    pub fn event(&self, name: &str) -> Option<&Value> {
        match self {
            Got::Event(n, args) if n == name => args.first(),
            _ => None,
        }
    }
}

pub struct TestClient {
    pub client: Client,
    rx: mpsc::UnboundedReceiver<Got>,
    pub log: Vec<Got>,
}

fn values(payload: Payload) -> Vec<Value> {
    #[allow(deprecated)]
    match payload {
        Payload::Text(values) => values,
        Payload::String(text) => vec![Value::String(text)],
        Payload::Binary(bytes) => vec![json!(bytes.to_vec())],
    }
}

pub fn bearer(token: &str) -> Value {
    json!({ "token": format!("Bearer {token}") })
}

/// Connects (without waiting for the namespace CONNECT: see [`TestClient::connected`]).
pub async fn connect(url: &str, auth: Option<Value>) -> TestClient {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut builder = ClientBuilder::new(url).reconnect(false);
    if let Some(auth) = auth {
        builder = builder.auth(auth);
    }
    let on = |tx: mpsc::UnboundedSender<Got>, make: fn(Payload) -> Got| {
        move |payload: Payload, _client: Client| {
            let _ = tx.send(make(payload));
            async {}.boxed()
        }
    };
    builder = builder
        .on(Event::Connect, on(tx.clone(), |_| Got::Connect))
        .on(Event::Close, on(tx.clone(), |_| Got::Close))
        .on(Event::Error, on(tx.clone(), |p| Got::Error(values(p))))
        .on_any(move |event, payload, _client| {
            let got = match event {
                Event::Custom(name) => Got::Event(name, values(payload)),
                _ => Got::Message(values(payload)),
            };
            let _ = tx.send(got);
            async {}.boxed()
        });
    let client = builder.connect().await.expect("engine.io connection");
    TestClient {
        client,
        rx,
        log: Vec::new(),
    }
}

impl TestClient {
    /// The next item matching `wanted` within `within` (everything seen is kept in `log`).
    pub async fn next_matching(
        &mut self,
        within: Duration,
        wanted: impl Fn(&Got) -> bool,
    ) -> Option<Got> {
        let deadline = Instant::now() + within;
        loop {
            let got = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .ok()??;
            self.log.push(got.clone());
            if wanted(&got) {
                return Some(got);
            }
        }
    }

    /// True once `Event::Connect` fired: rust_socketio's `connect()` returning Ok proves nothing.
    pub async fn connected(&mut self) -> bool {
        self.next_matching(Duration::from_secs(5), |g| matches!(g, Got::Connect))
            .await
            .is_some()
    }

    /// Named events received within `within`, up to `max` of them.
    pub async fn events(&mut self, max: usize, within: Duration) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        let deadline = Instant::now() + within;
        while out.len() < max {
            let left = deadline.saturating_duration_since(Instant::now());
            match self
                .next_matching(left, |g| matches!(g, Got::Event(..)))
                .await
            {
                Some(Got::Event(name, args)) => {
                    out.push((name, args.into_iter().next().unwrap_or(Value::Null)))
                }
                _ => break,
            }
        }
        out
    }

    pub async fn emit(&self, event: &str, payload: impl Into<Payload>) {
        self.client.emit(event, payload).await.expect("emit");
    }

    pub async fn close(self) {
        let _ = self.client.disconnect().await;
    }
}

pub async fn start(config: SimConfig) -> (Simulator, String) {
    let sim = Simulator::start(config).await.expect("simulator starts");
    let token = sim.issue_token("seller-1");
    (sim, token)
}

/// Small delays and a fast heartbeat, so tests do not wait.
pub fn quick(seed: u64, rate: f64) -> SimConfig {
    SimConfig {
        seed: Some(seed),
        rate,
        ping_interval: Duration::from_millis(200),
        delivered_delay: Duration::from_millis(50),
        read_delay: Duration::from_millis(150),
        ..SimConfig::default()
    }
}

/// Polls `check` every 20 ms until it holds or `within` passes.
pub async fn eventually(within: Duration, check: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    check()
}
