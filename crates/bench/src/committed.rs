//! Waiting for the engine to commit a number of flooded messages.

use sellerdesk_core::engine::{ConnectionState, EngineEvent};
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
