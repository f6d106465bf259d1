//! The simulator's lifecycle: bind, serve Socket.IO (and the attachment files) over hyper,
//! generate traffic, shut down.

use crate::config::SimConfig;
use crate::recorder::{ReceivedEvent, Stats};
use crate::session::{emit, lock, Hub};
use crate::upload_routes::UploadService;
use sellerdesk_protocol::ServerEvent;
use serde_json::Value;
use socketioxide::extract::{SocketRef, TryData};
use socketioxide::handler::ConnectHandler;
use socketioxide::service::SocketIoService;
use socketioxide::SocketIo;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the bound address: {0}")]
    LocalAddr(#[source] std::io::Error),
}

/// A running simulator. Dropping it stops its tasks; [`Simulator::shutdown`] also waits for them.
pub struct Simulator {
    hub: Arc<Hub>,
    io: SocketIo,
    addr: SocketAddr,
    seed: u64,
}

impl Simulator {
    /// Binds `127.0.0.1:config.port` and starts serving.
    pub async fn start(config: SimConfig) -> Result<Self, SimError> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| SimError::Bind { addr, source })?;
        let addr = listener.local_addr().map_err(SimError::LocalAddr)?;
        let seed = config.seed.unwrap_or_else(rand::random);
        tracing::info!(%addr, seed, rate = config.rate, "marketplace simulator starting");

        let cancel = CancellationToken::new();
        let tracker = TaskTracker::new();
        let tick = config.tick_interval();
        let hub = Arc::new(Hub::new(config, seed, cancel.clone(), tracker.clone()));
        // Attachments point at this server, which serves them (`uploads.rs`).
        lock(&hub.world).set_upload_base(&format!("http://{addr}"));

        let (svc, io) = SocketIo::builder()
            .max_buffer_size(4096)
            .build_with_inner_svc(UploadService { hub: hub.clone() });
        let on_connect = {
            let hub = hub.clone();
            move |socket: SocketRef| {
                let hub = hub.clone();
                async move { hub.on_connect(socket) }
            }
        };
        let middleware = {
            let hub = hub.clone();
            move |socket: SocketRef, TryData(auth): TryData<Value>| {
                let hub = hub.clone();
                async move { hub.authenticate(&socket, auth.ok()) }
            }
        };
        io.ns("/", on_connect.with(middleware));

        tracker.spawn(accept_loop(listener, svc, cancel.clone(), tracker.clone()));
        if let Some(every) = tick {
            tracker.spawn(ticker(hub.clone(), every));
        }
        Ok(Self {
            hub,
            io,
            addr,
            seed,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, what a Socket.IO client connects to.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The seed in use (drawn at start when the config had none).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Issues a JWT for `subject` that the handshake accepts from now on.
    pub fn issue_token(&self, subject: &str) -> String {
        self.hub.tokens.issue(subject)
    }

    /// Accepts `token` (a raw JWT, without `Bearer `) from now on.
    pub fn accept_token(&self, token: &str) {
        self.hub.tokens.add(token);
    }

    /// Everything clients sent, in arrival order.
    pub fn received(&self) -> Vec<ReceivedEvent> {
        self.hub.recorder.received()
    }

    /// Every chat message clients sent, `chat.send` and each `chat.batch` item alike, in the
    /// order they were handled (the raw payloads, `clientMessageId` included).
    pub fn chat_items(&self) -> Vec<serde_json::Value> {
        self.received()
            .into_iter()
            .filter(|r| r.event == "chat.send" || r.event == "chat.batch")
            .flat_map(|r| match r.args.into_iter().next() {
                Some(serde_json::Value::Array(items)) => items,
                Some(item) => vec![item],
                None => Vec::new(),
            })
            .collect()
    }

    /// Counters: pongs, health checks, chat sends and batches, refusals, invalid payloads.
    pub fn stats(&self) -> Stats {
        self.hub.recorder.stats()
    }

    /// Sockets currently connected to the namespace.
    pub fn connected_clients(&self) -> usize {
        self.io.sockets().len()
    }

    /// Ids of the sockets currently connected.
    pub fn client_ids(&self) -> Vec<String> {
        self.io.sockets().iter().map(|s| s.id.to_string()).collect()
    }

    /// Sends `event` to every connected socket; returns to how many it was queued.
    pub fn emit_to_all(&self, event: &ServerEvent) -> usize {
        self.io
            .sockets()
            .iter()
            .filter(|socket| emit(socket, event))
            .count()
    }

    /// Disconnects every client (a Socket.IO DISCONNECT); returns how many there were.
    pub fn disconnect_all(&self) -> usize {
        self.hub.disconnect_all()
    }

    /// Stops accepting, closes every connection and waits for every task to end.
    pub async fn shutdown(self) {
        self.hub.cancel.cancel();
        if tokio::time::timeout(Duration::from_secs(3), self.io.close())
            .await
            .is_err()
        {
            tracing::warn!("closing the Socket.IO sockets timed out");
        }
        self.hub.tracker.close();
        if tokio::time::timeout(Duration::from_secs(5), self.hub.tracker.wait())
            .await
            .is_err()
        {
            tracing::warn!("some simulator tasks did not stop in time");
        }
        tracing::info!("marketplace simulator stopped");
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.hub.cancel.cancel();
    }
}

async fn ticker(hub: Arc<Hub>, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = hub.cancel.cancelled() => return,
            _ = ticks.tick() => hub.tick(),
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    svc: SocketIoService<UploadService>,
    cancel: CancellationToken,
    tracker: TaskTracker,
) {
    loop {
        let stream = tokio::select! {
            () = cancel.cancelled() => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        tracker.spawn(serve_connection(stream, svc.clone(), cancel.clone()));
    }
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    svc: SocketIoService<UploadService>,
    cancel: CancellationToken,
) {
    let connection = hyper::server::conn::http1::Builder::new()
        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
        .with_upgrades();
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, "http connection ended with an error");
            }
        }
        () = cancel.cancelled() => {
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(1), connection).await;
        }
    }
}
