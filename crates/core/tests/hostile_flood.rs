//! A hostile server (the official Node socket.io server's `--hostile-*` and `--flood` modes):
//! oversized messages, a typing flood and a burst of ordinary messages at once, as fast as the
//! engine reads them. The connection must survive, the oversized events be refused as
//! `INVALID_PAYLOAD`, a message sent meanwhile be sent and echoed, the message after the flood
//! be cached, and no queue pass its bound. Small volumes: seconds, not the benchmark's minutes.

mod common;

use common::{wait_for_state, NodePeer};
use sellerdesk_core::engine::{
    ConnectionState, Engine, EngineConfig, EngineEvent, TokenSource, PENDING_BYTES, PENDING_EVENTS,
    WRITER_QUEUE_BYTES, WRITER_QUEUE_EVENTS,
};
use sellerdesk_core::models::OutboxState;
use sellerdesk_core::protocol::limits::{MAX_CONTENT_BYTES, MAX_EVENT_BYTES};
use sellerdesk_core::protocol::ServerEvent;
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::socket::{SIGNAL_QUEUE_BYTES, SIGNAL_QUEUE_EVENTS};
use sellerdesk_core::store::Store;
use serde_json::json;
use std::time::Duration;

const TOKEN: &str = "hostile.token.value";
const OVERSIZED: u64 = 64;
const TYPING: u64 = 20_000;
const ORDINARY: u64 = 20_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_flood_is_refused_folded_and_bounded_and_the_link_survives() {
    let message_bytes = 2 * MAX_CONTENT_BYTES as u64;
    let hostile_bytes = (OVERSIZED * message_bytes).to_string();
    let message_bytes = message_bytes.to_string();
    let typing = TYPING.to_string();
    let ordinary = ORDINARY.to_string();
    let mut peer = NodePeer::start(&[
        "--token",
        TOKEN,
        "--no-events",
        "--ping-interval-ms",
        "50",
        "--hostile-bytes",
        &hostile_bytes,
        "--hostile-message-bytes",
        &message_bytes,
        "--hostile-typing",
        &typing,
        "--flood",
        &ordinary,
        "--flood-rate",
        "0",
    ]);
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).await.expect("store");
    let config = EngineConfig::new(
        &peer.url,
        TokenSource::Fixed(Token::new(TOKEN).expect("token")),
    );
    let (engine, mut events) = Engine::start_subscribed(config, store.clone());
    wait_for_state(&mut events, Duration::from_secs(10), |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;

    // A message the seller sends while the flood runs.
    let sent = engine
        .send_message("conv-seller", "sent during the flood")
        .await
        .expect("queued");
    // One event over the whole-event cap, beside the ones over the content cap.
    peer.emit(
        "chat.message",
        vec![json!({"id": "too-big", "conversationId": "conv-hostile",
                    "sender": {"id": "buyer-1", "name": "Buyer"},
                    "content": "y".repeat(MAX_EVENT_BYTES + 1), "timestamp": 1, "status": "sent"})],
    );

    let mut typing_seen = 0u64;
    let mut ordinary_seen = 0u64;
    let mut refusals_reported = 0usize;
    let mut after_cached = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while !after_cached || ordinary_seen < ORDINARY {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the flood and the message after it arrive in time")
            .expect("engine events (a lagging test would see Lagged here)");
        match event {
            EngineEvent::Received { events, .. } => {
                for event in events.iter() {
                    match event {
                        ServerEvent::PresenceTyping(_) => typing_seen += 1,
                        ServerEvent::ChatMessage(m) if m.id == "hostile-after" => {
                            after_cached = true
                        }
                        ServerEvent::ChatMessage(m) if m.conversation_id == "conv-flood" => {
                            ordinary_seen += 1
                        }
                        ServerEvent::ChatMessage(m) => {
                            assert!(
                                m.content.len() <= MAX_CONTENT_BYTES,
                                "an oversized message got through: {}",
                                m.id
                            );
                        }
                        _ => {}
                    }
                }
            }
            EngineEvent::Problem { problem } if problem.code == "INVALID_PAYLOAD" => {
                refusals_reported += 1;
            }
            EngineEvent::State { state } => {
                assert!(
                    matches!(state, ConnectionState::Connected { .. }),
                    "the connection must survive the flood: {state:?}"
                );
            }
            _ => {}
        }
    }

    // Cached, not only shown.
    let cached = store.messages("conv-hostile").await.expect("messages");
    assert!(cached.iter().any(|m| m.id == "hostile-after"), "{cached:?}");
    assert!(cached.iter().all(|m| m.id != "too-big"));
    assert_eq!(
        store.messages("conv-flood").await.expect("messages").len() as u64,
        ORDINARY
    );

    // The message sent meanwhile went out and its echo settled it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let item = store
            .outbox_item(&sent.client_message_id)
            .await
            .expect("outbox")
            .expect("the item");
        if item.state == OutboxState::Sent {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not echoed: {item:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let queues = engine.queues();
    eprintln!("typing events passed on: {typing_seen} of {TYPING}; refusals reported: {refusals_reported}; {queues:?}");
    // Every oversized event refused and counted; reported, a flood of them as a few reports.
    assert!(
        queues.rejected_payloads > OVERSIZED,
        "{} refused: {queues:?}",
        queues.rejected_payloads
    );
    assert!(refusals_reported >= 1, "refusals reach the seller");
    assert!(
        (refusals_reported as u64) < queues.rejected_payloads,
        "{refusals_reported} problems for {} refusals: a flood is summed up",
        queues.rejected_payloads
    );
    // The typing flood was folded, never passed on one by one.
    assert!(
        typing_seen < TYPING / 2,
        "{typing_seen} typing events reached subscribers for {TYPING}"
    );
    assert!(queues.coalesced_events > 0, "{queues:?}");
    // No queue passed its bound.
    assert!(queues.socket_peak_bytes <= SIGNAL_QUEUE_BYTES, "{queues:?}");
    assert!(
        queues.socket_peak_events <= SIGNAL_QUEUE_EVENTS,
        "{queues:?}"
    );
    assert!(
        queues.pending_peak_bytes <= PENDING_BYTES + SIGNAL_QUEUE_BYTES,
        "{queues:?}"
    );
    assert!(
        queues.pending_peak_events <= PENDING_EVENTS + 512,
        "{queues:?}"
    );
    assert!(queues.writer_peak_bytes <= WRITER_QUEUE_BYTES, "{queues:?}");
    assert!(
        queues.writer_peak_events <= WRITER_QUEUE_EVENTS,
        "{queues:?}"
    );
    assert!(
        queues.socket_peak_events > 0,
        "the gauges saw the flood: {queues:?}"
    );

    // One connection throughout: the server saw no second one.
    let connects = peer
        .lines()
        .iter()
        .filter(|l| l["connect"].is_string())
        .count();
    assert_eq!(connects, 1, "reconnected during the flood");
    engine.shutdown().await;
}

/// The writer stalls (another process holds the database's write lock for 8 s) while a flood
/// of ordinary messages arrives: every queue fills to its bound and no further, the session
/// stops reading (TCP pushes back on the server) instead of dropping anything, and once the
/// lock is free everything is cached on the same connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_writer_fills_the_queues_to_their_bounds_and_nothing_is_lost() {
    use sqlx::Connection;
    // Messages of about 3.6 KB on the wire, so that the queues' byte bounds (about 40 MB
    // together, some 11,000 of these) fill within the stall even when a busy machine slows the
    // server down to a few thousand events a second; the flood is twice what they hold.
    const FLOOD: u64 = 25_000;
    let flood = FLOOD.to_string();
    let peer = NodePeer::start(&[
        "--token",
        TOKEN,
        "--no-events",
        "--ping-interval-ms",
        "50",
        "--flood",
        &flood,
        "--flood-rate",
        "0",
        "--flood-content-bytes",
        "3000",
    ]);
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).await.expect("store");
    let config = EngineConfig::new(
        &peer.url,
        TokenSource::Fixed(Token::new(TOKEN).expect("token")),
    );
    let (engine, mut events) = Engine::start_subscribed(config, store.clone());
    // Once the flood is flowing, another process takes the write lock for a while.
    loop {
        let event = tokio::time::timeout(Duration::from_secs(30), events.recv())
            .await
            .expect("the flood starts");
        if let Ok(EngineEvent::Received { .. }) = event {
            break;
        }
    }
    let file = dir.path().join(sellerdesk_core::store::DATABASE_FILE);
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
        .await
        .expect("second connection");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .expect("write lock");
    let stall = tokio::spawn(async move {
        // Long enough for the flood to fill every queue, short of the 10 s busy timeout.
        tokio::time::sleep(Duration::from_secs(8)).await;
        sqlx::query("COMMIT")
            .execute(&mut other)
            .await
            .expect("release");
        other.close().await.expect("closed");
    });

    let mut reader = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
        .await
        .expect("reading connection");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    let mut check = tokio::time::interval(Duration::from_millis(250));
    loop {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the flood is cached in time"
        );
        tokio::select! {
            event = events.recv() => match event {
                Ok(EngineEvent::State { state }) => assert!(
                    matches!(state, ConnectionState::Connecting | ConnectionState::Connected { .. }),
                    "the connection must survive the stall: {state:?}"
                ),
                Ok(EngineEvent::Problem { problem }) => panic!("nothing fails: {problem:?}"),
                Ok(_) => {}
                // A subscriber may fall behind a flood; the cache is what counts.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(e) => panic!("engine events: {e}"),
            },
            _ = check.tick() => {
                let cached: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM messages WHERE conversation_id = 'conv-flood'",
                )
                .fetch_one(&mut reader)
                .await
                .expect("count");
                if cached as u64 == FLOOD {
                    break;
                }
            }
        }
    }
    stall.await.expect("stall task");
    reader.close().await.expect("closed");
    let queues = engine.queues();
    eprintln!("{queues:?}");
    assert!(
        queues.writer_peak_events <= WRITER_QUEUE_EVENTS,
        "{queues:?}"
    );
    assert!(queues.writer_peak_bytes <= WRITER_QUEUE_BYTES, "{queues:?}");
    assert!(
        queues.socket_peak_events <= SIGNAL_QUEUE_EVENTS,
        "{queues:?}"
    );
    assert!(queues.socket_peak_bytes <= SIGNAL_QUEUE_BYTES, "{queues:?}");
    assert!(
        queues.pending_peak_events <= PENDING_EVENTS + 512,
        "{queues:?}"
    );
    // The stall really filled them: the bounds, not the flood's size, held the backlog.
    assert!(
        queues.writer_peak_events > WRITER_QUEUE_EVENTS / 2
            || queues.writer_peak_bytes > WRITER_QUEUE_BYTES / 2,
        "{queues:?}"
    );
    assert!(
        queues.pending_peak_events >= PENDING_EVENTS || queues.pending_peak_bytes >= PENDING_BYTES,
        "the session stopped reading at its bound: {queues:?}"
    );
    let connects = peer
        .lines()
        .iter()
        .filter(|l| l["connect"].is_string())
        .count();
    assert_eq!(connects, 1, "reconnected during the stall");
    engine.shutdown().await;
}
