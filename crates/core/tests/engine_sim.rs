//! The engine against the simulator: caches live traffic, reports a lost connection instead of
//! hanging, comes back by itself when the server returns, and sends what was queued meanwhile.

mod common;

use common::{eventually, wait_for_state, wait_outbox};
use marketplace_sim::{SimConfig, Simulator};
use sellerdesk_core::engine::{
    ConnectionState, Engine, EngineConfig, EngineEvent, ReconnectPolicy, TokenSource,
};
use sellerdesk_core::models::OutboxState;
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::store::Store;
use std::time::Duration;

fn sim_config(port: u16, token: &str) -> SimConfig {
    SimConfig {
        port,
        seed: Some(5),
        rate: 10.0,
        ping_interval: Duration::from_millis(200),
        delivered_delay: Duration::from_millis(20),
        read_delay: Duration::from_millis(40),
        tokens: vec![token.to_owned()],
        ..SimConfig::default()
    }
}

fn fast_policy() -> ReconnectPolicy {
    ReconnectPolicy {
        delay: Duration::from_millis(100),
        delay_max: Duration::from_millis(300),
        ..ReconnectPolicy::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_a_server_restart_and_flushes_the_outbox() {
    let token = marketplace_sim::make_jwt("seller-1", chrono::Utc::now().timestamp());
    let sim = Simulator::start(sim_config(0, &token)).await.expect("sim");
    let port = sim.local_addr().port();
    let store = Store::open_in_memory().await.expect("store");
    let mut config = EngineConfig::new(
        sim.url(),
        TokenSource::Fixed(Token::new(token.clone()).expect("token")),
    );
    config.reconnect = fast_policy();
    let (engine, mut events) = Engine::start_subscribed(config, store.clone());
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;

    // Live traffic reaches the cache.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while store
        .conversations()
        .await
        .expect("conversations")
        .is_empty()
    {
        assert!(tokio::time::Instant::now() < deadline, "nothing cached");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let pongs_before = sim.stats().pongs;
    assert!(
        pongs_before > 0 || {
            tokio::time::sleep(Duration::from_millis(500)).await;
            sim.stats().pongs > 0
        },
        "pings are answered"
    );

    // The server dies: the loss is reported, not hung on.
    sim.shutdown().await;
    let state = wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(
            s,
            ConnectionState::Reconnecting { .. } | ConnectionState::Offline { .. }
        )
    })
    .await;
    assert!(
        matches!(state, ConnectionState::Reconnecting { attempt: 1, .. }),
        "{state:?}"
    );

    // Written while offline: queued in the outbox.
    let item = engine
        .send_message("conv-offline", "written offline")
        .await
        .expect("queued");
    assert_eq!(item.state, OutboxState::Queued);

    // The server returns on the same port: the engine reconnects and sends the message.
    let sim = Simulator::start(sim_config(port, &token))
        .await
        .expect("sim again");
    wait_for_state(&mut events, Duration::from_secs(15), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    wait_outbox(
        &store,
        &[&item.client_message_id],
        OutboxState::Sent,
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(sim.stats().chat_sends, 1, "sent exactly once");
    engine.shutdown().await;
    // The close packet has gone out; the server notices it on its own task.
    eventually(
        Duration::from_secs(3),
        "the server to see the socket closed",
        || sim.connected_clients() == 0,
    )
    .await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_server_becomes_offline_after_the_attempts() {
    // Nothing listens here: bind a port and free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let store = Store::open_in_memory().await.expect("store");
    let mut config = EngineConfig::new(
        format!("http://127.0.0.1:{port}"),
        TokenSource::Fixed(Token::new("t.o.k").expect("token")),
    );
    config.reconnect = ReconnectPolicy {
        attempts: 2,
        ..fast_policy()
    };
    let (engine, mut events) = Engine::start_subscribed(config, store);
    let mut attempts = Vec::new();
    let offline = loop {
        let event = tokio::time::timeout(Duration::from_secs(20), events.recv())
            .await
            .expect("state changes")
            .expect("events");
        match event {
            EngineEvent::State {
                state: ConnectionState::Reconnecting { attempt, .. },
            } => attempts.push(attempt),
            EngineEvent::State {
                state: state @ ConnectionState::Offline { .. },
            } => break state,
            _ => {}
        }
    };
    assert_eq!(
        attempts,
        vec![1, 2],
        "the first connection is retried on the schedule"
    );
    let ConnectionState::Offline {
        reason,
        next_retry_at,
    } = offline
    else {
        unreachable!()
    };
    assert!(!reason.is_empty());
    assert!(next_retry_at.is_some());
    // Shutdown stops the waiting at once.
    tokio::time::timeout(Duration::from_secs(2), engine.shutdown())
        .await
        .expect("prompt shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_pauses_sending_and_invalid_payload_fails_the_message() {
    use sellerdesk_core::protocol::{ErrorCode, ServerError, ServerEvent};
    let token = marketplace_sim::make_jwt("seller-1", chrono::Utc::now().timestamp());
    let mut quiet = sim_config(0, &token);
    quiet.rate = 0.0;
    let sim = Simulator::start(quiet).await.expect("sim");
    let store = Store::open_in_memory().await.expect("store");
    let mut config = EngineConfig::new(
        sim.url(),
        TokenSource::Fixed(Token::new(token).expect("token")),
    );
    config.rate_limit_pause = Duration::from_millis(1500);
    let (engine, mut events) = Engine::start_subscribed(config, store.clone());
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;

    sim.emit_to_all(&ServerEvent::Error(ServerError {
        code: ErrorCode::RateLimit,
        message: "slow down".into(),
    }));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let paused = std::time::Instant::now();
    let item = engine
        .send_message("conv-1", "after the pause")
        .await
        .expect("queued");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while sim.stats().chat_sends == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "sending never resumed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        paused.elapsed() >= Duration::from_millis(1000),
        "sent during the pause: {:?}",
        paused.elapsed()
    );
    assert!(
        matches!(engine.state(), ConnectionState::Connected { .. }),
        "RATE_LIMIT keeps the connection"
    );

    // The server refuses one of our messages by its client id: it fails with the reason and is
    // not retried; the seller may retry it.
    let too_long = "x".repeat(marketplace_sim::MAX_CONTENT_CHARS + 1);
    let refused = engine
        .send_message("conv-1", &too_long)
        .await
        .expect("queued");
    let failed = wait_outbox(
        &store,
        &[&refused.client_message_id],
        OutboxState::Failed,
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(
        failed[0].reason.as_deref(),
        Some("INVALID_PAYLOAD: content is longer than 4000 characters")
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let attempts = sim
        .received()
        .iter()
        .filter(|r| r.event == "chat.send")
        .count();
    assert_eq!(
        attempts, 2,
        "the refused message is not sent again by itself"
    );
    assert_eq!(store.outbox_pending().await.expect("pending"), 0);
    let _ = item;
    engine.shutdown().await;
    sim.shutdown().await;
}

/// The first `EngineEvent::Latency`, if one comes within `within`; fails on a problem or a
/// state change, which a health check must never cause.
async fn first_latency(
    events: &mut tokio::sync::broadcast::Receiver<EngineEvent>,
    within: Duration,
) -> Option<u32> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Err(_) => return None,
            Ok(Ok(EngineEvent::Latency { ms })) => return Some(ms),
            Ok(Ok(EngineEvent::Problem { problem })) => panic!("unexpected problem {problem:?}"),
            Ok(Ok(EngineEvent::State { state })) => panic!("the connection changed: {state:?}"),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => panic!("engine events: {e}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_health_check_round_trip_is_known_right_after_connect() {
    let token = marketplace_sim::make_jwt("seller-1", chrono::Utc::now().timestamp());
    let sim = Simulator::start(sim_config(0, &token)).await.expect("sim");
    let store = Store::open_in_memory().await.expect("store");
    // The default cadence (30 s): a figure within seconds can only come from the check sent
    // at connect.
    let config = EngineConfig::new(
        sim.url(),
        TokenSource::Fixed(Token::new(token).expect("token")),
    );
    let started = std::time::Instant::now();
    let (engine, mut events) = Engine::start_subscribed(config, store);
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    let ms = first_latency(&mut events, Duration::from_secs(5))
        .await
        .expect("a latency soon after connect");
    assert!(
        u128::from(ms) <= started.elapsed().as_millis(),
        "{ms} ms is longer than the whole test"
    );
    assert!(ms < 2_000, "{ms} ms on loopback");
    assert_eq!(engine.latency(), Some(ms));
    assert_eq!(
        sim.stats().health_checks,
        1,
        "one check at connect, no more"
    );
    // The figure goes with the connection.
    let latency = engine.watch_latency();
    engine.shutdown().await;
    assert_eq!(*latency.borrow(), None);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_acks_gives_no_latency_and_no_error() {
    let token = marketplace_sim::make_jwt("seller-1", chrono::Utc::now().timestamp());
    let mut silent = sim_config(0, &token);
    silent.health_check_acks = false;
    silent.rate = 0.0;
    let sim = Simulator::start(silent).await.expect("sim");
    let store = Store::open_in_memory().await.expect("store");
    let mut config = EngineConfig::new(
        sim.url(),
        TokenSource::Fixed(Token::new(token).expect("token")),
    );
    config.health_check_every = Duration::from_millis(200);
    let (engine, mut events) = Engine::start_subscribed(config, store);
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    let latency = engine.watch_latency();
    assert_eq!(
        first_latency(&mut events, Duration::from_secs(1)).await,
        None
    );
    // Checks keep going, past the point where acks are no longer asked for (the watchdog
    // looks every 500 ms).
    common::eventually(Duration::from_secs(10), "more health checks", || {
        sim.stats().health_checks >= 6
    })
    .await;
    assert_eq!(
        first_latency(&mut events, Duration::from_millis(10)).await,
        None
    );
    assert_eq!(*latency.borrow(), None);
    assert!(matches!(engine.state(), ConnectionState::Connected { .. }));
    assert_eq!(sim.stats().connections, 1, "never reconnected");
    engine.shutdown().await;
    sim.shutdown().await;
}

/// Every change of an outgoing message (queued, handed to the server, echoed as sent, refused,
/// retried) names its conversation, so the app refetches only that thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbox_changes_name_the_conversation_of_the_message() {
    let token = marketplace_sim::make_jwt("seller-1", chrono::Utc::now().timestamp());
    let mut quiet = sim_config(0, &token);
    quiet.rate = 0.0;
    let sim = Simulator::start(quiet).await.expect("sim");
    let store = Store::open_in_memory().await.expect("store");
    let config = EngineConfig::new(
        sim.url(),
        TokenSource::Fixed(Token::new(token).expect("token")),
    );
    let (engine, mut events) = Engine::start_subscribed(config, store.clone());
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;

    let item = engine
        .send_message("conv-1", "hello")
        .await
        .expect("queued");
    wait_outbox(
        &store,
        &[&item.client_message_id],
        OutboxState::Sent,
        Duration::from_secs(10),
    )
    .await;
    let too_long = "x".repeat(marketplace_sim::MAX_CONTENT_CHARS + 1);
    let refused = engine
        .send_message("conv-2", &too_long)
        .await
        .expect("queued");
    wait_outbox(
        &store,
        &[&refused.client_message_id],
        OutboxState::Failed,
        Duration::from_secs(10),
    )
    .await;
    engine
        .retry_message(&refused.client_message_id)
        .await
        .expect("retried");

    // What the subscriber saw, up to now.
    let mut outbox: Vec<Vec<String>> = Vec::new();
    let mut echoed_in: Vec<String> = Vec::new();
    loop {
        match events.try_recv() {
            Ok(EngineEvent::Outbox { conversations, .. }) => outbox.push(conversations),
            Ok(EngineEvent::Received { changes, .. }) => echoed_in.extend(changes.outbox),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    let of = |conversation: &str| {
        outbox
            .iter()
            .filter(|c| c.as_slice() == [conversation.to_owned()])
            .count()
    };
    assert!(
        outbox.iter().all(|c| !c.is_empty()),
        "each outbox event names conversations: {outbox:?}"
    );
    // conv-1: queued, handed over, echoed as sent.
    assert!(of("conv-1") >= 3, "{outbox:?}");
    // conv-2: queued, handed over, refused, retried.
    assert!(of("conv-2") >= 4, "{outbox:?}");
    assert!(
        echoed_in.contains(&"conv-1".to_owned()),
        "the echo's cache change names it: {echoed_in:?}"
    );
    engine.shutdown().await;
    sim.shutdown().await;
}
