//! Every event of the spec survives decode -> encode -> decode, and malformed input is rejected
//! with a clear error instead of a panic.

use sellerdesk_protocol::*;
use serde_json::{json, Value};

fn fixtures() -> Vec<(String, Option<Value>)> {
    let text = include_str!("../fixtures/server-events.json");
    let list: Vec<Value> = serde_json::from_str(text).expect("fixture file is JSON");
    list.into_iter()
        .map(|item| {
            let name = item["event"].as_str().expect("event name").to_owned();
            (name, item.get("data").cloned())
        })
        .collect()
}

fn args(data: &Option<Value>) -> Vec<Value> {
    data.iter().cloned().collect()
}

#[test]
fn fixtures_cover_every_server_event() {
    let names: Vec<String> = fixtures().into_iter().map(|(n, _)| n).collect();
    for name in SERVER_EVENT_NAMES {
        assert!(names.iter().any(|n| n == name), "no fixture for {name}");
    }
}

#[test]
fn every_server_event_round_trips() {
    for (name, data) in fixtures() {
        let event = ServerEvent::decode(&name, &args(&data))
            .unwrap_or_else(|e| panic!("{name} should decode: {e}"));
        assert_eq!(event.name(), name);
        let wire = event.payload();
        let again = ServerEvent::decode(&name, &wire.iter().cloned().collect::<Vec<_>>())
            .unwrap_or_else(|e| panic!("{name} should decode again: {e}"));
        assert_eq!(event, again, "{name} changed in a round trip");
        // The tagged form (what the CLI prints and the UI receives) round-trips too.
        let tagged = serde_json::to_value(&event).expect("serialize");
        assert_eq!(tagged["event"], json!(name));
        let back: ServerEvent = serde_json::from_value(tagged).expect("tagged form decodes");
        assert_eq!(back, event);
    }
}

#[test]
fn dates_are_normalised_to_iso_utc() {
    let (_, data) = fixtures()
        .into_iter()
        .find(|(n, _)| n == "presence.typing")
        .expect("typing fixture");
    let event = ServerEvent::decode("presence.typing", &args(&data)).expect("decodes");
    let wire = event.payload().expect("payload");
    assert_eq!(wire["timestamp"], json!("2026-11-26T06:49:09.823Z"));
}

#[test]
fn unknown_enum_values_are_kept() {
    let data = json!({"orderId": "o", "status": "disputed", "previousStatus": "shipped",
        "timestamp": 0, "updatedBy": {"id": "x", "role": "moderator"}});
    let event = ServerEvent::decode("order.status", &[data]).expect("decodes");
    let ServerEvent::OrderStatus(change) = &event else {
        panic!("wrong variant")
    };
    assert_eq!(change.status, OrderStatus::Other("disputed".into()));
    assert_eq!(change.previous_status, OrderStatus::Shipped);
    assert_eq!(change.updated_by.role.as_str(), "moderator");
    assert_eq!(
        event.payload().expect("payload")["status"],
        json!("disputed")
    );
}

#[test]
fn unknown_fields_are_ignored() {
    let data = json!({"listingId": "l", "quantity": 1, "status": "in_stock", "warehouse": "B7"});
    assert!(ServerEvent::decode("listing.stock", &[data]).is_ok());
}

#[test]
fn malformed_payloads_are_invalid_payload_errors() {
    let cases: Vec<(&str, Vec<Value>)> = vec![
        ("chat.message", vec![]),
        ("chat.message", vec![json!(null)]),
        ("chat.message", vec![json!("a string")]),
        ("chat.message", vec![json!({"id": "m"})]),
        (
            "order.payment",
            vec![
                json!({"orderId": "o", "status": "completed", "amount": "12",
            "currency": "EUR", "paymentMethod": "card", "timestamp": 0}),
            ],
        ),
        (
            "listing.stock",
            vec![json!({"listingId": "l", "quantity": 1.5, "status": "in_stock"})],
        ),
        (
            "presence.typing",
            vec![
                json!({"userId": "u", "conversationId": "c", "isTyping": true,
            "timestamp": "not a date"}),
            ],
        ),
        ("error", vec![json!([1, 2, 3])]),
    ];
    for (name, args) in cases {
        let err = ServerEvent::decode(name, &args).expect_err(name);
        assert_eq!(err.code(), "INVALID_PAYLOAD", "{name}: {err}");
        assert!(
            err.to_string().contains(name),
            "error names the event: {err}"
        );
    }
}

#[test]
fn unknown_events_are_reported_not_fatal() {
    let err = ServerEvent::decode("wallet.update", &[json!({})]).expect_err("unknown");
    assert_eq!(err, DecodeError::UnknownEvent("wallet.update".into()));
    assert_eq!(err.code(), "UNKNOWN_EVENT");
}

#[test]
fn client_events_round_trip_with_spec_argument_shapes() {
    let send = ChatSend {
        conversation_id: "conv-1".into(),
        content: "Yes, still available".into(),
        attachments: vec![Attachment {
            kind: AttachmentKind::File,
            url: "https://cdn.example/f.pdf".into(),
            name: Some("invoice.pdf".into()),
            size: Some(1024),
        }],
        client_message_id: Some("0b6f0d7e-0000-4000-8000-000000000001".into()),
    };
    let events = vec![
        ClientEvent::ChatSend(send.clone()),
        ClientEvent::ChatBatch(vec![send.clone(), send]),
        ClientEvent::Pong(Pong {
            timestamp: 1_795_675_749_823,
        }),
        ClientEvent::HealthCheck,
    ];
    for event in events {
        let payload = event.payload();
        match &event {
            ClientEvent::HealthCheck => assert!(payload.is_none(), "health.check has no argument"),
            ClientEvent::ChatBatch(items) => {
                assert_eq!(
                    payload.as_ref().and_then(Value::as_array).map(Vec::len),
                    Some(items.len())
                )
            }
            _ => assert!(payload.as_ref().is_some_and(Value::is_object)),
        }
        let again = ClientEvent::decode(event.name(), &payload.into_iter().collect::<Vec<_>>())
            .expect("client event decodes");
        assert_eq!(again, event);
    }
}

#[test]
fn message_status_ranks_forward_only() {
    assert!(MessageStatus::Read.rank() > MessageStatus::Delivered.rank());
    assert!(MessageStatus::Delivered.rank() > MessageStatus::Sent.rank());
    assert!(MessageStatus::Sent.rank() > MessageStatus::Other("queued".into()).rank());
}
