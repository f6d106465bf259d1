//! The simulator against a real Socket.IO client (rust_socketio 0.6, as the desktop client uses).

mod common;

use common::*;
use marketplace_sim::{Outcome, SimConfig};
use rust_socketio::Payload;
use sellerdesk_protocol::{ServerEvent, SERVER_EVENT_NAMES};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(5);

fn is_auth_failed(got: &Got) -> bool {
    matches!(got, Got::Error(args) if args.iter().any(|a| a.to_string().contains("AUTH_FAILED")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_missing_malformed_and_unknown_tokens_with_auth_failed() {
    let (sim, token) = start(quick(1, 0.0)).await;
    let cases = [
        None,
        Some(json!({})),
        Some(json!({ "token": token })),
        Some(json!({ "token": "Bearer not-a-token-we-issued" })),
        Some(json!({ "token": format!("bearer {token}") })),
    ];
    for auth in cases {
        let mut client = connect(&sim.url(), auth.clone()).await;
        let got = client
            .next_matching(WAIT, |g| is_auth_failed(g) || matches!(g, Got::Connect))
            .await;
        assert!(
            got.as_ref().is_some_and(is_auth_failed),
            "auth {auth:?} gave {got:?}"
        );
        // The CONNECT_ERROR carries exactly {"message":"AUTH_FAILED"}.
        if let Some(Got::Error(args)) = got {
            let text = args[0].as_str().unwrap_or_default();
            let json = &text[text.find('{').expect("json")..];
            assert_eq!(
                serde_json::from_str::<Value>(json).expect("json"),
                json!({"message": "AUTH_FAILED"})
            );
        }
        client.close().await;
    }
    assert_eq!(sim.stats().auth_failures, 5);
    assert_eq!(sim.stats().connections, 0);
    assert_eq!(sim.connected_clients(), 0);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn good_token_receives_every_event_category() {
    // Rate 0: the initial burst alone covers every category (the rare `chat.error` and
    // `order.error` only come with the running traffic, see the world's unit tests).
    let (sim, token) = start(quick(2, 0.0)).await;
    let mut client = connect(&sim.url(), Some(bearer(&token))).await;
    assert!(client.connected().await);
    let wanted: HashSet<&str> = SERVER_EVENT_NAMES
        .iter()
        .copied()
        .filter(|n| !matches!(*n, "error" | "chat.error" | "order.error" | "ping"))
        .collect();
    let mut seen = HashSet::new();
    while !wanted.iter().all(|n| seen.contains(n)) {
        let Some(Got::Event(name, args)) = client
            .next_matching(WAIT, |g| matches!(g, Got::Event(..)))
            .await
        else {
            break;
        };
        let event = ServerEvent::decode(&name, &args).expect("every event decodes");
        seen.insert(event.name());
    }
    let missing: Vec<_> = wanted.difference(&seen).collect();
    assert!(missing.is_empty(), "never received {missing:?}");
    assert_eq!(sim.connected_clients(), 1);
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_send_is_echoed_then_delivered_then_read() {
    let (sim, token) = start(quick(3, 0.0)).await;
    let mut client = connect(&sim.url(), Some(bearer(&token))).await;
    assert!(client.connected().await);
    let attachment = json!({"type": "image", "url": "https://cdn.example.com/a.jpg", "name": "a.jpg", "size": 1234});
    client
        .emit(
            "chat.send",
            json!({"conversationId": "conv_1", "content": "Hi Zoë — l'été 🌞", "attachments": [attachment], "clientMessageId": "c-1"}),
        )
        .await;
    let echo = client
        .next_matching(WAIT, |g| {
            g.event("chat.message")
                .is_some_and(|m| m["clientMessageId"] == "c-1")
        })
        .await
        .expect("echo");
    let echo = echo.event("chat.message").expect("message").clone();
    assert_eq!(echo["sender"]["id"], "seller-1");
    assert_eq!(echo["status"], "sent");
    assert_eq!(echo["conversationId"], "conv_1");
    assert_eq!(echo["content"], "Hi Zoë — l'été 🌞");
    assert_eq!(echo["attachments"][0], attachment);
    let id = echo["id"].as_str().expect("id").to_owned();
    for status in ["delivered", "read"] {
        let receipt = client
            .next_matching(WAIT, |g| {
                g.event("chat.status")
                    .is_some_and(|s| s["messageId"] == id.as_str())
            })
            .await
            .expect("receipt");
        let receipt = receipt.event("chat.status").expect("status");
        assert_eq!(receipt["status"], status);
        assert_eq!(receipt["conversationId"], "conv_1");
    }
    assert_eq!(sim.stats().chat_sends, 1);
    // Sent again (an outbox retry): the same message comes back, not a second one.
    client
        .emit("chat.send", json!({"conversationId": "conv_1", "content": "Hi Zoë — l'été 🌞", "clientMessageId": "c-1"}))
        .await;
    let again = client
        .next_matching(WAIT, |g| {
            g.event("chat.message")
                .is_some_and(|m| m["clientMessageId"] == "c-1")
        })
        .await
        .expect("second echo");
    assert_eq!(
        again.event("chat.message").expect("message")["id"],
        id.as_str()
    );
    assert_eq!(sim.stats().chat_sends, 2);
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_batch_of_three_gets_three_echoes() {
    let (sim, token) = start(quick(4, 0.0)).await;
    let mut client = connect(&sim.url(), Some(bearer(&token))).await;
    assert!(client.connected().await);
    let batch: Vec<Value> = (1..=3)
        .map(|i| json!({"conversationId": "conv_b", "content": format!("m{i}"), "clientMessageId": format!("b-{i}")}))
        .collect();
    client.emit("chat.batch", json!(batch)).await;
    let mut echoed = HashSet::new();
    while echoed.len() < 3 {
        let got = client
            .next_matching(WAIT, |g| {
                g.event("chat.message").is_some_and(|m| {
                    m["clientMessageId"]
                        .as_str()
                        .is_some_and(|c| c.starts_with("b-"))
                })
            })
            .await
            .expect("an echo");
        let message = got.event("chat.message").expect("message");
        echoed.insert(
            message["clientMessageId"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    assert_eq!(
        echoed,
        ["b-1", "b-2", "b-3"]
            .map(String::from)
            .into_iter()
            .collect()
    );
    let stats = sim.stats();
    assert_eq!(stats.chat_batches, 1);
    assert_eq!(stats.batch_sizes, vec![3]);
    assert_eq!(stats.batch_items, 3);
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ping_has_no_argument_and_pong_and_health_check_are_recorded() {
    let (sim, token) = start(quick(5, 0.0)).await;
    let mut client = connect(&sim.url(), Some(bearer(&token))).await;
    assert!(client.connected().await);
    // A zero-argument `ping` reaches rust_socketio as Event::Message("ping"); with a `null`
    // argument it would be Event::Custom("ping").
    let ping = client
        .next_matching(WAIT, |g| {
            matches!(g, Got::Message(_) | Got::Event(..)) && is_ping(g)
        })
        .await
        .expect("ping");
    assert!(
        matches!(&ping, Got::Message(args) if args == &vec![json!("ping")]),
        "{ping:?}"
    );
    client
        .emit("pong", json!({"timestamp": 1_767_000_000_000_i64}))
        .await;
    client.emit("health.check", Payload::Text(vec![])).await;
    assert!(
        eventually(WAIT, || sim.stats().pongs == 1
            && sim.stats().health_checks == 1)
        .await
    );
    let received = sim.received();
    let pong = received.iter().find(|r| r.event == "pong").expect("pong");
    assert_eq!(pong.args, vec![json!({"timestamp": 1_767_000_000_000_i64})]);
    assert_eq!(pong.outcome, Outcome::Accepted);
    let health = received
        .iter()
        .find(|r| r.event == "health.check")
        .expect("health");
    assert!(health.args.is_empty());
    assert_eq!(health.socket_id, pong.socket_id);
    assert_eq!(sim.client_ids(), vec![pong.socket_id.clone()]);
    client.close().await;
    sim.shutdown().await;
}

/// Sends `health.check` asking for an ack; the answer's arguments, if one comes within `wait`.
async fn health_check_answer(client: &TestClient, wait: Duration) -> Option<Vec<Value>> {
    use futures_util::FutureExt;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    client
        .client
        .emit_with_ack(
            "health.check",
            Payload::Text(vec![]),
            wait,
            move |answer: Payload, _client| {
                if let Payload::Text(args) = answer {
                    let _ = tx.send(args);
                }
                async {}.boxed()
            },
        )
        .await
        .expect("emit");
    tokio::time::timeout(wait, rx.recv()).await.ok().flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_check_acks_carry_status_and_timestamp_unless_turned_off() {
    let (sim, token) = start(quick(4, 0.0)).await;
    let mut client = connect(&sim.url(), Some(bearer(&token))).await;
    assert!(client.connected().await);
    let before = chrono::Utc::now().timestamp_millis();
    let answer = health_check_answer(&client, WAIT).await.expect("an ack");
    // rust_socketio hands an ack's argument list over as one array value.
    assert_eq!(answer.len(), 1, "{answer:?}");
    let args = answer[0].as_array().expect("the argument list");
    assert_eq!(args.len(), 1, "one argument: {args:?}");
    assert_eq!(args[0]["status"], "ok");
    let timestamp = args[0]["timestamp"].as_i64().expect("epoch ms");
    assert!(
        (before..before + 5_000).contains(&timestamp),
        "{timestamp} vs {before}"
    );
    assert_eq!(sim.stats().health_checks, 1, "still counted");
    client.close().await;
    sim.shutdown().await;

    let (sim, token) = start(SimConfig {
        health_check_acks: false,
        ..quick(4, 0.0)
    })
    .await;
    let mut client = connect(&sim.url(), Some(bearer(&token))).await;
    assert!(client.connected().await);
    assert_eq!(
        health_check_answer(&client, Duration::from_millis(500)).await,
        None
    );
    assert_eq!(sim.stats().health_checks, 1, "counted all the same");
    client.close().await;
    sim.shutdown().await;
}

fn is_ping(got: &Got) -> bool {
    match got {
        Got::Message(args) => args.first() == Some(&json!("ping")),
        Got::Event(name, _) => name == "ping",
        _ => false,
    }
}

/// Name and identifiers of an event: what must repeat for the same seed (timestamps may not).
fn fingerprint(name: &str, payload: &Value) -> String {
    let ids: Vec<String> = [
        "id",
        "conversationId",
        "orderId",
        "listingId",
        "userId",
        "messageId",
        "status",
        "period",
        "content",
    ]
    .iter()
    .filter_map(|k| payload.get(k).map(|v| format!("{k}={v}")))
    .collect();
    format!("{name} {}", ids.join(" "))
}

async fn first_events(seed: u64, n: usize) -> Vec<String> {
    let (sim, token) = start(quick(seed, 100.0)).await;
    let mut client = connect(&sim.url(), Some(bearer(&token))).await;
    assert!(client.connected().await);
    let events = client.events(n, Duration::from_secs(10)).await;
    client.close().await;
    sim.shutdown().await;
    events
        .iter()
        .map(|(name, payload)| fingerprint(name, payload))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_seed_gives_the_same_events() {
    let first = first_events(42, 120).await;
    let second = first_events(42, 120).await;
    assert_eq!(
        first.len(),
        120,
        "burst and traffic should give 120 events quickly"
    );
    assert_eq!(first, second);
    let other = first_events(43, 120).await;
    assert_ne!(first, other);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_payload_gets_invalid_payload_and_the_socket_stays() {
    let (sim, token) = start(quick(6, 0.0)).await;
    let mut client = connect(&sim.url(), Some(bearer(&token))).await;
    assert!(client.connected().await);
    for bad in [
        json!({"content": 5}),
        json!("just text"),
        json!({"conversationId": "", "content": "x"}),
    ] {
        client.emit("chat.send", bad.clone()).await;
        let error = client
            .next_matching(
                WAIT,
                |g| matches!(g, Got::Error(args) if args.first().is_some_and(Value::is_object)),
            )
            .await
            .expect("an error event");
        let Got::Error(args) = error else {
            unreachable!()
        };
        assert_eq!(args[0]["code"], "INVALID_PAYLOAD", "{bad}");
        assert!(args[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("chat.send")));
    }
    // A batch with a bad item, and a send without any argument.
    client
        .emit(
            "chat.batch",
            json!([{"conversationId": "c", "content": "ok"}, {"nope": true}]),
        )
        .await;
    client.emit("chat.send", Payload::Text(vec![])).await;
    // Unknown events are ignored without an answer.
    client
        .emit("chat.typing", json!({"conversationId": "c"}))
        .await;
    assert!(
        eventually(WAIT, || sim.stats().invalid_payloads == 5
            && sim.stats().unknown_events == 1)
        .await
    );
    // Still connected and served.
    client.emit("chat.send", json!({"conversationId": "conv_ok", "content": "still here", "clientMessageId": "ok-1"})).await;
    assert!(client
        .next_matching(WAIT, |g| g
            .event("chat.message")
            .is_some_and(|m| m["clientMessageId"] == "ok-1"))
        .await
        .is_some());
    assert!(!client.log.iter().any(|g| matches!(g, Got::Close)));
    assert_eq!(sim.connected_clients(), 1);
    let invalid = sim
        .received()
        .into_iter()
        .filter(|r| matches!(r.outcome, Outcome::Invalid(_)))
        .count();
    assert_eq!(invalid, 5);
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_events_reach_clients_and_disconnect_all_closes_them() {
    let (sim, token) = start(SimConfig {
        initial_burst: false,
        ..quick(7, 0.0)
    })
    .await;
    let mut client = connect(&sim.url(), Some(bearer(&token))).await;
    assert!(client.connected().await);
    assert!(eventually(WAIT, || sim.connected_clients() == 1).await);
    let notice: ServerEvent = serde_json::from_value(json!({
        "event": "notification.system",
        "data": {"id": "injected-1", "type": "alert", "priority": "high", "title": "T", "message": "M"}
    }))
    .expect("event");
    assert_eq!(sim.emit_to_all(&notice), 1);
    let got = client
        .next_matching(WAIT, |g| g.event("notification.system").is_some())
        .await
        .expect("injected");
    assert_eq!(
        got.event("notification.system").expect("payload")["id"],
        "injected-1"
    );
    // Without a burst the injected event is the first one.
    assert!(
        client
            .log
            .iter()
            .filter(|g| matches!(g, Got::Event(..)))
            .count()
            == 1
    );
    assert_eq!(sim.emit_to_all(&ServerEvent::Ping), 1);
    assert!(client.next_matching(WAIT, is_ping).await.is_some());
    assert_eq!(sim.disconnect_all(), 1);
    assert!(client
        .next_matching(WAIT, |g| matches!(g, Got::Close))
        .await
        .is_some());
    assert!(eventually(WAIT, || sim.connected_clients() == 0).await);
    tokio::time::timeout(Duration::from_secs(10), sim.shutdown())
        .await
        .expect("shutdown is quick");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_with_a_connected_client_is_clean() {
    let (sim, token) = start(quick(8, 20.0)).await;
    let url = sim.url();
    let mut client = connect(&url, Some(bearer(&token))).await;
    assert!(client.connected().await);
    client.events(10, WAIT).await;
    tokio::time::timeout(Duration::from_secs(10), sim.shutdown())
        .await
        .expect("shutdown is quick");
    // The port is closed.
    assert!(
        tokio::net::TcpStream::connect(url.trim_start_matches("http://"))
            .await
            .is_err()
    );
    client.close().await;
}
