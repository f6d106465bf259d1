//! Time from the server coming back to connected with the outbox flushed, beside the backoff
//! delay the engine had scheduled for that attempt (the spec's defaults: 1 s, jittered by 0.5).

use crate::stats::{percentile, sorted};
use marketplace_sim::{SimConfig, Simulator};
use sellerdesk_core::engine::{ConnectionState, Engine, EngineConfig, EngineEvent, TokenSource};
use sellerdesk_core::models::OutboxState;
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::store::Store;
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

const QUEUED: usize = 5;

fn sim_config(port: u16, token: &str) -> SimConfig {
    SimConfig {
        port,
        seed: Some(1),
        rate: 0.0,
        initial_burst: false,
        tokens: vec![token.to_owned()],
        ..SimConfig::default()
    }
}

async fn next_state(
    events: &mut broadcast::Receiver<EngineEvent>,
    accept: impl Fn(&ConnectionState) -> bool,
) -> Result<ConnectionState, String> {
    loop {
        match tokio::time::timeout(Duration::from_secs(30), events.recv()).await {
            Ok(Ok(EngineEvent::State { state })) if accept(&state) => return Ok(state),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(e.to_string()),
            Err(_) => return Err("no state change in 30 s".into()),
        }
    }
}

pub async fn run(trials: usize) -> Result<(), String> {
    let token = marketplace_sim::make_jwt("seller-1", chrono::Utc::now().timestamp());
    let mut sim = Simulator::start(sim_config(0, &token))
        .await
        .map_err(|e| e.to_string())?;
    let port = sim.local_addr().port();
    let store = Store::open_in_memory().await.map_err(|e| e.to_string())?;
    let config = EngineConfig::new(
        sim.url(),
        TokenSource::Fixed(Token::new(token.clone()).ok_or("token")?),
    );
    let (engine, mut events) = Engine::start_subscribed(config, store.clone());
    next_state(&mut events, |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await?;

    let (mut scheduled, mut total, mut overhead) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..trials {
        sim.shutdown().await;
        let state = next_state(&mut events, |s| {
            matches!(s, ConnectionState::Reconnecting { .. })
        })
        .await?;
        let announced = Instant::now();
        let ConnectionState::Reconnecting { delay_ms, .. } = state else {
            return Err("state".into());
        };
        let mut ids = Vec::new();
        for i in 0..QUEUED {
            ids.push(
                engine
                    .send_message("conv-bench", &format!("queued {i}"))
                    .await
                    .map_err(|e| e.to_string())?
                    .client_message_id,
            );
        }
        sim = Simulator::start(sim_config(port, &token))
            .await
            .map_err(|e| e.to_string())?;
        let back = Instant::now();
        let attempt_at = announced + Duration::from_millis(delay_ms);
        loop {
            let mut all_sent = true;
            for id in &ids {
                let state = store
                    .outbox_item(id)
                    .await
                    .map_err(|e| e.to_string())?
                    .map(|i| i.state);
                all_sent &= state == Some(OutboxState::Sent);
            }
            if all_sent {
                break;
            }
            if back.elapsed() > Duration::from_secs(30) {
                return Err("outbox not flushed within 30 s".into());
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let done = Instant::now();
        total.push(done.duration_since(back).as_secs_f64() * 1000.0);
        scheduled.push(attempt_at.saturating_duration_since(back).as_secs_f64() * 1000.0);
        overhead.push(done.saturating_duration_since(attempt_at).as_secs_f64() * 1000.0);
    }
    engine.shutdown().await;
    sim.shutdown().await;

    let (scheduled, total, overhead) = (sorted(scheduled), sorted(total), sorted(overhead));
    println!("reconnect: {trials} server restarts, {QUEUED} messages queued each time (spec backoff defaults)");
    println!(
        "  scheduled backoff left when the server returned  p50 {:>6.0} ms  max {:>6.0} ms",
        percentile(&scheduled, 50.0),
        percentile(&scheduled, 100.0)
    );
    println!(
        "  server back -> connected + outbox flushed       p50 {:>6.0} ms  max {:>6.0} ms",
        percentile(&total, 50.0),
        percentile(&total, 100.0)
    );
    println!(
        "  beyond the scheduled attempt (goal < 200 ms)     p50 {:>6.1} ms  max {:>6.1} ms",
        percentile(&overhead, 50.0),
        percentile(&overhead, 100.0)
    );
    Ok(())
}
