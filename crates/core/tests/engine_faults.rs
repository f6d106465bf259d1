//! The engine under real network faults, injected by a loopback TCP proxy between it and the
//! simulator: cuts, refused connections, stalls, latency; and the spec's switch to long-polling
//! against a websocket-blocked server (the official Node socket.io server).

mod common;

use common::proxy::FaultProxy;
use common::{wait_for_state, wait_outbox, NodePeer};
use marketplace_sim::{SimConfig, Simulator};
use sellerdesk_core::engine::{
    ConnectionState, Engine, EngineConfig, EngineEvent, ReconnectPolicy, TokenSource,
};
use sellerdesk_core::models::OutboxState;
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::socket::Transport;
use sellerdesk_core::store::Store;
use std::time::Duration;
use tokio::sync::broadcast;

struct Rig {
    sim: Simulator,
    proxy: FaultProxy,
    store: Store,
    engine: Engine,
    events: broadcast::Receiver<EngineEvent>,
}

async fn rig(tune: impl FnOnce(&mut EngineConfig)) -> Rig {
    let token = marketplace_sim::make_jwt("seller-1", chrono::Utc::now().timestamp());
    let sim = Simulator::start(SimConfig {
        seed: Some(3),
        rate: 5.0,
        ping_interval: Duration::from_millis(250),
        delivered_delay: Duration::from_millis(20),
        read_delay: Duration::from_millis(40),
        tokens: vec![token.clone()],
        ..SimConfig::default()
    })
    .await
    .expect("sim");
    let proxy = FaultProxy::start(sim.local_addr().to_string()).await;
    let store = Store::open_in_memory().await.expect("store");
    let mut config = EngineConfig::new(
        &proxy.url,
        TokenSource::Fixed(Token::new(token).expect("token")),
    );
    config.reconnect = ReconnectPolicy {
        delay: Duration::from_millis(100),
        delay_max: Duration::from_millis(400),
        websocket_timeout: Duration::from_secs(2),
        polling_timeout: Duration::from_secs(3),
        ..ReconnectPolicy::default()
    };
    config.idle_probe_after = Duration::from_millis(500);
    config.heartbeat_timeout = Duration::from_millis(1500);
    tune(&mut config);
    let (engine, mut events) = Engine::start_subscribed(config, store.clone());
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    Rig {
        sim,
        proxy,
        store,
        engine,
        events,
    }
}

async fn wait_sent(store: &Store, ids: &[String]) {
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    wait_outbox(store, &ids, OutboxState::Sent, Duration::from_secs(15)).await;
}

fn distinct_client_ids(sim: &Simulator) -> (usize, usize) {
    let mut ids: Vec<String> = sim
        .chat_items()
        .iter()
        .filter_map(|item| item["clientMessageId"].as_str().map(str::to_owned))
        .collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    (total, ids.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_connection_comes_back_and_loses_nothing() {
    let mut rig = rig(|_| {}).await;
    rig.proxy.refuse(true);
    rig.proxy.cut();
    let state = wait_for_state(&mut rig.events, Duration::from_secs(5), |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    let ConnectionState::Reconnecting { reason, .. } = state else {
        unreachable!()
    };
    assert!(
        ["transport close", "transport error", "ping timeout"].contains(&reason.as_str()),
        "{reason}"
    );

    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            rig.engine
                .send_message("conv-1", &format!("during the cut {i}"))
                .await
                .expect("queued")
                .client_message_id,
        );
    }
    // A few failed attempts against refused connections, then the network returns.
    wait_for_state(&mut rig.events, Duration::from_secs(5), |s| {
        matches!(s, ConnectionState::Reconnecting { attempt: 2.., .. })
    })
    .await;
    rig.proxy.refuse(false);
    wait_for_state(&mut rig.events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    wait_sent(&rig.store, &ids).await;
    assert_eq!(
        distinct_client_ids(&rig.sim),
        (5, 5),
        "each message exactly once"
    );
    rig.engine.shutdown().await;
    rig.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_connection_is_a_ping_timeout() {
    let mut rig = rig(|_| {}).await;
    rig.proxy.stall(true);
    let started = std::time::Instant::now();
    let state = wait_for_state(&mut rig.events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    let ConnectionState::Reconnecting { reason, .. } = state else {
        unreachable!()
    };
    assert_eq!(reason, "ping timeout");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "detected after {:?}",
        started.elapsed()
    );
    rig.proxy.cut();
    rig.proxy.stall(false);
    wait_for_state(&mut rig.events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    rig.engine.shutdown().await;
    rig.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_network_still_delivers() {
    let mut rig = rig(|_| {}).await;
    rig.proxy.delay(Duration::from_millis(150));
    let id = rig
        .engine
        .send_message("conv-1", "over a slow link")
        .await
        .expect("queued")
        .client_message_id;
    wait_sent(&rig.store, &[id]).await;
    assert!(matches!(
        rig.engine.state(),
        ConnectionState::Connected { .. }
    ));
    // Pongs still go out and the session survives the latency.
    let pongs = rig.sim.stats().pongs;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(rig.sim.stats().pongs > pongs, "pongs keep flowing");
    assert!(matches!(
        rig.engine.state(),
        ConnectionState::Connected { .. }
    ));
    let _ = rig.events.try_recv();
    rig.engine.shutdown().await;
    rig.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_leaves_in_batches_of_at_most_ten() {
    let rig = rig(|_| {}).await;
    rig.proxy.refuse(true);
    rig.proxy.cut();
    let mut ids = Vec::new();
    for i in 0..25 {
        ids.push(
            rig.store
                .enqueue("conv-1", &format!("burst {i}"), &[])
                .await
                .expect("enqueue")
                .client_message_id,
        );
    }
    rig.proxy.refuse(false);
    wait_sent(&rig.store, &ids).await;
    let stats = rig.sim.stats();
    assert!(
        stats.batch_sizes.iter().all(|n| *n <= 10),
        "{:?}",
        stats.batch_sizes
    );
    assert_eq!(
        stats.batch_sizes.iter().sum::<usize>() + stats.chat_sends,
        25
    );
    assert!(
        stats.batch_sizes.len() >= 2,
        "sent as batches: {:?}",
        stats.batch_sizes
    );
    rig.engine.shutdown().await;
    rig.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attempt_four_switches_to_long_polling() {
    let peer = NodePeer::start(&["--polling-only", "--no-events", "--ping-interval-ms", "0"]);
    let store = Store::open_in_memory().await.expect("store");
    let mut config = EngineConfig::new(
        &peer.url,
        TokenSource::Fixed(Token::new("t").expect("token")),
    );
    config.reconnect = ReconnectPolicy {
        delay: Duration::from_millis(50),
        delay_max: Duration::from_millis(100),
        websocket_timeout: Duration::from_secs(2),
        ..ReconnectPolicy::default()
    };
    let (engine, mut events) = Engine::start_subscribed(config, store);
    let mut attempts = Vec::new();
    let connected = loop {
        let event = tokio::time::timeout(Duration::from_secs(20), events.recv())
            .await
            .expect("progress")
            .expect("events");
        match event {
            EngineEvent::State {
                state:
                    ConnectionState::Reconnecting {
                        attempt, transport, ..
                    },
            } => {
                attempts.push((attempt, transport));
            }
            EngineEvent::State {
                state: state @ ConnectionState::Connected { .. },
            } => break state,
            _ => {}
        }
    };
    // Attempts 1-3 over websocket, then long-polling from attempt 4 (a slow machine may need
    // more than one polling attempt; they all use polling).
    assert!(attempts.len() >= 4, "{attempts:?}");
    assert_eq!(
        attempts[..3],
        [
            (1, Transport::Websocket),
            (2, Transport::Websocket),
            (3, Transport::Websocket)
        ]
    );
    assert!(
        attempts[3..]
            .iter()
            .all(|(n, t)| *n >= 4 && *t == Transport::Polling),
        "{attempts:?}"
    );
    assert!(matches!(
        connected,
        ConnectionState::Connected {
            transport: Transport::Polling,
            ..
        }
    ));
    assert!(peer.lines().iter().any(|l| l["transport"] == "polling"));
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_reaches_the_official_server_in_order_in_batches() {
    let peer = NodePeer::start(&["--no-events", "--ping-interval-ms", "0"]);
    let store = Store::open_in_memory().await.expect("store");
    let mut ids = Vec::new();
    for i in 0..25 {
        ids.push(
            store
                .enqueue("conv-1", &format!("burst {i}"), &[])
                .await
                .expect("enqueue")
                .client_message_id,
        );
    }
    let config = EngineConfig::new(
        &peer.url,
        TokenSource::Fixed(Token::new("t").expect("token")),
    );
    let (engine, _events) = Engine::start_subscribed(config, store.clone());
    wait_sent(&store, &ids).await;
    let batches = peer.received("chat.batch");
    let sizes: Vec<usize> = batches
        .iter()
        .map(|args| args[0].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(
        sizes,
        vec![10, 10, 5],
        "one argument, an array of at most 10"
    );
    let contents: Vec<String> = batches
        .iter()
        .flat_map(|args| args[0].as_array().cloned().unwrap_or_default())
        .filter_map(|item| item["content"].as_str().map(str::to_owned))
        .collect();
    let expected: Vec<String> = (0..25).map(|i| format!("burst {i}")).collect();
    assert_eq!(contents, expected, "in queue order");
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_during_a_stalled_connect_is_prompt_and_leaves_no_connection() {
    let token = marketplace_sim::make_jwt("seller-1", chrono::Utc::now().timestamp());
    let sim = Simulator::start(SimConfig {
        tokens: vec![token.clone()],
        rate: 0.0,
        ..SimConfig::default()
    })
    .await
    .expect("sim");
    let proxy = FaultProxy::start(sim.local_addr().to_string()).await;
    proxy.stall(true);
    let store = Store::open_in_memory().await.expect("store");
    let mut config = EngineConfig::new(
        &proxy.url,
        TokenSource::Fixed(Token::new(token).expect("token")),
    );
    config.reconnect.websocket_timeout = Duration::from_secs(30);
    let (engine, _events) = Engine::start_subscribed(config, store);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = std::time::Instant::now();
    tokio::time::timeout(Duration::from_secs(5), engine.shutdown())
        .await
        .expect("shutdown returns");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    proxy.stall(false);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        sim.connected_clients(),
        0,
        "the abandoned attempt left no connection behind"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_in_front_of_the_official_server_comes_back_and_sends_once() {
    let peer = NodePeer::start(&["--no-events", "--ping-interval-ms", "200"]);
    let upstream = peer.url.trim_start_matches("http://").to_owned();
    let proxy = FaultProxy::start(upstream).await;
    let store = Store::open_in_memory().await.expect("store");
    let mut config = EngineConfig::new(
        &proxy.url,
        TokenSource::Fixed(Token::new("t").expect("token")),
    );
    config.reconnect = ReconnectPolicy {
        delay: Duration::from_millis(100),
        delay_max: Duration::from_millis(300),
        ..ReconnectPolicy::default()
    };
    config.idle_probe_after = Duration::from_millis(500);
    let (engine, mut events) = Engine::start_subscribed(config, store.clone());
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;

    proxy.refuse(true);
    proxy.cut();
    wait_for_state(&mut events, Duration::from_secs(5), |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(
            engine
                .send_message("conv-1", &format!("while cut {i}"))
                .await
                .expect("queued")
                .client_message_id,
        );
    }
    proxy.refuse(false);
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    wait_sent(&store, &ids).await;
    let sent: Vec<String> = peer
        .received("chat.send")
        .into_iter()
        .map(|args| args[0].clone())
        .chain(
            peer.received("chat.batch")
                .into_iter()
                .flat_map(|args| args[0].as_array().cloned().unwrap_or_default()),
        )
        .filter_map(|item| item["clientMessageId"].as_str().map(str::to_owned))
        .collect();
    let mut sorted = sent.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        (sent.len(), sorted.len()),
        (3, 3),
        "each message once: {sent:?}"
    );
    assert_eq!(
        peer.lines()
            .iter()
            .filter(|l| l.get("connect").is_some())
            .count(),
        2,
        "one reconnect"
    );
    engine.shutdown().await;
}
