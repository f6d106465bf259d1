//! The engine under measurement: started over a fresh file cache, and waited on until it has
//! committed a number of flooded messages.

use sellerdesk_core::engine::{ConnectionState, Engine, EngineConfig, EngineEvent, TokenSource};
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::store::Store;
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// Counts `chat.message` events as the engine reports them committed, until `count`; returns
/// when the first of them was committed. Fails on a lost connection or a stall.
pub async fn wait_committed(
    events: &mut broadcast::Receiver<EngineEvent>,
    count: usize,
    within: Duration,
) -> Result<Option<Instant>, String> {
    let deadline = Instant::now() + within;
    let mut committed = 0usize;
    let mut first = None;
    while committed < count {
        if Instant::now() > deadline {
            return Err(format!("only {committed} of {count} committed"));
        }
        match tokio::time::timeout(Duration::from_secs(30), events.recv()).await {
            Ok(Ok(EngineEvent::Received { events, .. })) => {
                let n = events.iter().filter(|e| e.name() == "chat.message").count();
                if n > 0 {
                    first.get_or_insert_with(Instant::now);
                }
                committed += n;
            }
            Ok(Ok(EngineEvent::State {
                state: ConnectionState::Reconnecting { reason, .. },
            })) => {
                return Err(format!("connection lost during the flood: {reason}"));
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(format!("engine events: {e}")),
            Err(_) => return Err(format!("stalled at {committed} of {count}")),
        }
    }
    Ok(first)
}

/// An engine with `token` against `url`, over a new file cache (WAL, as the app uses) that
/// lives as long as the returned folder.
pub async fn start_engine(
    url: &str,
    token: &str,
) -> Result<
    (
        Engine,
        broadcast::Receiver<EngineEvent>,
        Store,
        tempfile::TempDir,
    ),
    String,
> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let store = Store::open(dir.path()).await.map_err(|e| e.to_string())?;
    let token = Token::new(token).ok_or("token")?;
    let (engine, events) = Engine::start_subscribed(
        EngineConfig::new(url, TokenSource::Fixed(token)),
        store.clone(),
    );
    Ok((engine, events, store, dir))
}
