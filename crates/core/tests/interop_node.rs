//! The engine against the official Node `socket.io` v4 server: handshake auth, every event
//! category of the spec, a rejected token, `pong` replies, `health.check` and `chat.send`.

mod common;

use common::{eventually, wait_for_state, wait_outbox, NodePeer};
use sellerdesk_core::engine::{ConnectionState, Engine, EngineConfig, EngineEvent, TokenSource};
use sellerdesk_core::models::OutboxState;
use sellerdesk_core::protocol::SERVER_EVENT_NAMES;
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::socket::{Socket, Transport};
use sellerdesk_core::store::Store;
use std::collections::BTreeSet;
use std::time::Duration;

const TOKEN: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJzZWxsZXItMSJ9.c2ln";

fn token() -> Token {
    Token::new(TOKEN).expect("token")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_talks_to_the_official_server() {
    let peer = NodePeer::start(&["--token", TOKEN, "--ping-interval-ms", "200"]);
    let store = Store::open_in_memory().await.expect("store");
    let mut config = EngineConfig::new(&peer.url, TokenSource::Fixed(token()));
    config.health_check_every = Duration::from_millis(300);
    // The fixtures include a RATE_LIMIT error: sending pauses this long, then resumes by itself.
    config.rate_limit_pause = Duration::from_millis(500);
    let (engine, mut events) = Engine::start_subscribed(config, store.clone());

    let state = wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    assert!(matches!(
        state,
        ConnectionState::Connected {
            transport: Transport::Websocket,
            ..
        }
    ));
    eventually(Duration::from_secs(5), "the connect line", || {
        peer.lines().iter().any(|l| l.get("connect").is_some())
    })
    .await;
    let auth = peer
        .lines()
        .into_iter()
        .find(|l| l.get("connect").is_some())
        .expect("connect line");
    assert_eq!(
        auth["auth"]["token"],
        format!("Bearer {TOKEN}"),
        "handshake auth as the spec sends it"
    );

    // Every event of the spec arrives typed (the server sends the protocol fixtures).
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while seen.len() < SERVER_EVENT_NAMES.len() {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Ok(EngineEvent::Received { events, .. })) => {
                seen.extend(events.iter().map(|e| e.name().to_owned()));
            }
            Ok(Ok(EngineEvent::Problem { problem })) => problems.push(problem.code),
            Ok(Ok(_)) => {}
            other => panic!("missing events {:?} ({other:?})", missing(&seen)),
        }
    }
    // The fixtures' `error`, `chat.error` and `order.error` reach the seller as problems.
    assert!(problems.contains(&"RATE_LIMIT".to_string()), "{problems:?}");
    assert!(
        problems.contains(&"ORDER_LOCKED".to_string()),
        "{problems:?}"
    );
    assert_eq!(store.orders().await.expect("orders")[0].id, "ord-1001");

    // `ping` (no arguments) is answered with `pong {timestamp}`; health checks go out.
    eventually(Duration::from_secs(5), "pong replies", || {
        peer.received("pong").len() >= 2
    })
    .await;
    for args in peer.received("pong") {
        assert_eq!(args.len(), 1);
        assert!(
            args[0]["timestamp"]
                .as_i64()
                .is_some_and(|t| t > 1_700_000_000_000),
            "{args:?}"
        );
    }
    eventually(Duration::from_secs(5), "health.check", || {
        !peer.received("health.check").is_empty()
    })
    .await;
    assert!(
        peer.received("health.check").iter().all(Vec::is_empty),
        "health.check has no argument"
    );
    // The official server answers its ack: the round trip is known.
    eventually(Duration::from_secs(5), "a health.check round trip", || {
        engine.latency().is_some()
    })
    .await;

    // A message goes out through the outbox and the echo marks it sent.
    let item = engine
        .send_message("conv-1", "Yes, it ships tomorrow")
        .await
        .expect("queued");
    eventually(Duration::from_secs(5), "chat.send", || {
        !peer.received("chat.send").is_empty()
    })
    .await;
    let sent = &peer.received("chat.send")[0][0];
    assert_eq!(sent["clientMessageId"], item.client_message_id.as_str());
    assert_eq!(sent["content"], "Yes, it ships tomorrow");
    wait_outbox(
        &store,
        &[&item.client_message_id],
        OutboxState::Sent,
        Duration::from_secs(5),
    )
    .await;
    engine.shutdown().await;
}

fn missing(seen: &BTreeSet<String>) -> Vec<&'static str> {
    SERVER_EVENT_NAMES
        .iter()
        .copied()
        .filter(|n| !seen.contains(*n))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_is_auth_failed() {
    let peer = NodePeer::start(&["--token", TOKEN, "--no-events"]);
    let wrong = Token::new("not-the-token").expect("token");
    let refused = Socket::connect(
        &peer.url,
        &wrong,
        Transport::Websocket,
        Duration::from_secs(5),
    )
    .await;
    let error = refused.err().expect("refused");
    assert!(error.is_auth_failure(), "{error}");
    assert_eq!(error.code(), "AUTH_FAILED");

    let store = Store::open_in_memory().await.expect("store");
    let config = EngineConfig::new(&peer.url, TokenSource::Fixed(wrong));
    let (engine, mut events) = Engine::start_subscribed(config, store);
    let state = wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(
            s,
            ConnectionState::AuthFailed { .. } | ConnectionState::Connected { .. }
        )
    })
    .await;
    assert!(
        matches!(state, ConnectionState::AuthFailed { .. }),
        "{state:?}"
    );
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_polling_reaches_a_websocket_blocked_server() {
    let peer = NodePeer::start(&["--token", TOKEN, "--polling-only", "--no-events"]);
    let blocked = Socket::connect(
        &peer.url,
        &token(),
        Transport::Websocket,
        Duration::from_secs(3),
    )
    .await;
    assert!(
        blocked.is_err(),
        "websocket must fail against a polling-only server"
    );
    let (socket, _signals) = Socket::connect(
        &peer.url,
        &token(),
        Transport::Polling,
        Duration::from_secs(10),
    )
    .await
    .expect("polling connects");
    assert_eq!(socket.transport(), Transport::Polling);
    socket.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_is_detected_and_reported() {
    let mut peer = NodePeer::start(&["--token", TOKEN, "--no-events", "--ping-interval-ms", "0"]);
    let store = Store::open_in_memory().await.expect("store");
    let mut config = EngineConfig::new(&peer.url, TokenSource::Fixed(token()));
    config.idle_probe_after = Duration::from_secs(1);
    let (engine, mut events) = Engine::start_subscribed(config, store);
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    peer.kill();
    let started = std::time::Instant::now();
    let state = wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    let ConnectionState::Reconnecting { reason, .. } = state else {
        unreachable!()
    };
    assert!(
        reason == "transport error" || reason == "transport close",
        "{reason}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "detected in {:?}",
        started.elapsed()
    );
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_traffic_never_drops_the_connection() {
    use serde_json::json;
    let mut peer = NodePeer::start(&["--token", TOKEN, "--no-events", "--ping-interval-ms", "0"]);
    let store = Store::open_in_memory().await.expect("store");
    let config = EngineConfig::new(&peer.url, TokenSource::Fixed(token()));
    let (engine, mut events) = Engine::start_subscribed(config, store.clone());
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;

    let huge = "x".repeat(2 * 1024 * 1024);
    let garbage = vec![
        ("chat.message", vec![]),
        ("chat.message", vec![json!(null)]),
        ("chat.message", vec![json!({"id": 42})]),
        (
            "order.payment",
            vec![json!({"orderId": "o", "amount": "lots"})],
        ),
        ("listing.stock", vec![json!([1, 2, 3])]),
        (
            "presence.update",
            vec![json!({"userId": "u", "status": "online", "lastSeen": "never"})],
        ),
        ("error", vec![json!("just a string")]),
        ("error", vec![json!({"message": "no code"})]),
        ("wallet.update", vec![json!({"balance": 1})]),
        ("message", vec![json!("raw message event")]),
        (
            "chat.status",
            vec![json!({"messageId": huge, "conversationId": "c"})],
        ),
    ];
    let count = garbage.len();
    for (name, args) in garbage {
        peer.emit(name, args);
    }
    // Then a good event: it must still be processed, on the same connection.
    peer.emit(
        "chat.message",
        vec![json!({"id": "after-garbage", "conversationId": "conv-z", "sender": {"id": "b", "name": "Buyer", "avatar": ""},
            "content": "still here", "attachments": [], "timestamp": 0, "status": "sent"})],
    );
    let mut problems = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Ok(EngineEvent::Problem { problem })) => problems.push(problem.code),
            Ok(Ok(EngineEvent::Received { events, .. }))
                if events.iter().any(|e| e.name() == "chat.message") =>
            {
                break
            }
            Ok(Ok(EngineEvent::State { state })) => panic!("the connection changed: {state:?}"),
            Ok(Ok(_)) => {}
            other => {
                panic!("the good event never arrived ({other:?}); problems so far {problems:?}")
            }
        }
    }
    assert_eq!(store.messages("conv-z").await.expect("messages").len(), 1);
    assert!(
        problems.len() >= count - 2,
        "each bad payload is reported: {problems:?}"
    );
    assert!(
        problems.iter().any(|c| c == "INVALID_PAYLOAD")
            && problems.iter().any(|c| c == "UNKNOWN_EVENT")
    );
    assert!(matches!(engine.state(), ConnectionState::Connected { .. }));
    assert_eq!(
        peer.lines()
            .iter()
            .filter(|l| l.get("connect").is_some())
            .count(),
        1,
        "never reconnected"
    );
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_settles_without_the_client_id_extension() {
    let peer = NodePeer::start(&[
        "--token",
        TOKEN,
        "--no-events",
        "--ping-interval-ms",
        "0",
        "--no-echo-id",
    ]);
    let store = Store::open_in_memory().await.expect("store");
    let config = EngineConfig::new(&peer.url, TokenSource::Fixed(token()));
    let (engine, mut events) = Engine::start_subscribed(config, store.clone());
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    let first = engine
        .send_message("conv-1", "same words")
        .await
        .expect("queued");
    let second = engine
        .send_message("conv-1", "same words")
        .await
        .expect("queued");
    wait_outbox(
        &store,
        &[&first.client_message_id, &second.client_message_id],
        OutboxState::Sent,
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(store.outbox_pending().await.expect("pending"), 0);
    let thread = store.messages("conv-1").await.expect("messages");
    assert_eq!(
        thread.len(),
        2,
        "two echoes, no leftover bubbles: {thread:?}"
    );
    engine.shutdown().await;
    let items = peer.received("chat.send").len()
        + peer
            .received("chat.batch")
            .iter()
            .map(|args| args[0].as_array().map_or(0, Vec::len))
            .sum::<usize>();
    assert_eq!(items, 2, "each message sent exactly once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_failed_then_disconnect_asks_for_sign_in() {
    use serde_json::json;
    let mut peer = NodePeer::start(&["--token", TOKEN, "--no-events", "--ping-interval-ms", "0"]);
    let store = Store::open_in_memory().await.expect("store");
    let config = EngineConfig::new(&peer.url, TokenSource::Fixed(token()));
    let (engine, mut events) = Engine::start_subscribed(config, store);
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    // The usual way a server drops an expired session: the error, then the disconnect.
    peer.emit(
        "error",
        vec![json!({"code": "AUTH_FAILED", "message": "token expired"})],
    );
    peer.emit_raw(json!({"disconnect": true}));
    let state = wait_for_state(&mut events, Duration::from_secs(10), |s| {
        !matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    assert!(
        matches!(state, ConnectionState::AuthFailed { ref message } if message == "token expired"),
        "{state:?}"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        matches!(engine.state(), ConnectionState::AuthFailed { .. }),
        "no reconnect loop: {:?}",
        engine.state()
    );
    assert_eq!(
        peer.lines()
            .iter()
            .filter(|l| l.get("connect").is_some())
            .count(),
        1
    );
    engine.shutdown().await;
}
