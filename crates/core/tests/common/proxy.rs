//! A loopback TCP proxy that injects real network faults between the engine and a server:
//! cut every connection, stall them (bytes stop, sockets stay open), delay traffic, or refuse
//! new connections.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Default)]
struct Faults {
    refuse: AtomicBool,
    stall: AtomicBool,
    delay_ms: AtomicU64,
}

pub struct FaultProxy {
    pub url: String,
    faults: Arc<Faults>,
    /// Bumped to cut every open connection.
    generation: watch::Sender<u64>,
    task: JoinHandle<()>,
}

impl FaultProxy {
    /// Forwards 127.0.0.1:<free port> to `upstream` (host:port).
    pub async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let faults = Arc::new(Faults::default());
        let (generation, _) = watch::channel(0u64);
        let (f, g) = (faults.clone(), generation.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if f.refuse.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let (f, cut) = (f.clone(), g.subscribe());
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(&upstream).await {
                        pipe_both(client, server, f, cut).await;
                    }
                });
            }
        });
        Self {
            url,
            faults,
            generation,
            task,
        }
    }

    /// Closes every open connection at once (a network cut the server never saw coming).
    pub fn cut(&self) {
        self.generation.send_modify(|g| *g += 1);
    }

    /// New connections are accepted and closed at once while set.
    pub fn refuse(&self, on: bool) {
        self.faults.refuse.store(on, Ordering::SeqCst);
    }

    /// Bytes stop flowing in both directions while set; sockets stay open.
    pub fn stall(&self, on: bool) {
        self.faults.stall.store(on, Ordering::SeqCst);
    }

    /// Each chunk waits this long before it is forwarded.
    pub fn delay(&self, delay: Duration) {
        self.faults.delay_ms.store(
            u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            Ordering::SeqCst,
        );
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.cut();
        self.task.abort();
    }
}

async fn pipe_both(
    client: TcpStream,
    server: TcpStream,
    faults: Arc<Faults>,
    mut cut: watch::Receiver<u64>,
) {
    let (cr, cw) = client.into_split();
    let (sr, sw) = server.into_split();
    let up = pipe(cr, sw, faults.clone());
    let down = pipe(sr, cw, faults);
    tokio::select! {
        _ = up => {}
        _ = down => {}
        _ = cut.changed() => {}
    }
}

async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    faults: Arc<Faults>,
) {
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        while faults.stall.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let delay = faults.delay_ms.load(Ordering::SeqCst);
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
    }
}
