//! Property-based fuzzing of the event decoder: whatever the server sends (malformed, oversized,
//! wrongly typed, deeply nested), decoding returns a typed event or a clear error, never panics.

use proptest::prelude::*;
use sellerdesk_protocol::{limits, DecodeError, ServerEvent, SERVER_EVENT_NAMES};
use serde_json::{json, Map, Value};

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::from),
        // Values that look right to a careless parser.
        Just(json!("2026-11-26T06:49:09.823Z")),
        Just(json!("online")),
        Just(json!(-1)),
        Just(json!(1e308)),
    ];
    leaf.prop_recursive(6, 256, 10, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..10).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("id".to_owned()),
                    Just("conversationId".to_owned()),
                    Just("timestamp".to_owned()),
                    Just("status".to_owned()),
                    Just("sender".to_owned()),
                    Just("orderId".to_owned()),
                    Just("amount".to_owned()),
                    ".{0,12}"
                ],
                inner,
                0..10
            )
            .prop_map(|m| Value::Object(m.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

fn fixtures() -> Vec<(String, Value)> {
    let list: Vec<Value> =
        serde_json::from_str(include_str!("../fixtures/server-events.json")).expect("fixtures");
    list.into_iter()
        .filter_map(|f| Some((f["event"].as_str()?.to_owned(), f.get("data")?.clone())))
        .collect()
}

fn check(name: &str, args: &[Value]) {
    match ServerEvent::decode(name, args) {
        Ok(event) => {
            assert_eq!(event.name(), name);
            // Whatever was accepted can be written back out.
            let _ = event.payload();
        }
        Err(DecodeError::InvalidPayload { event, reason }) => {
            assert_eq!(event, name);
            assert!(!reason.is_empty());
        }
        Err(DecodeError::UnknownEvent(unknown)) => assert_eq!(unknown, name),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_payloads_never_panic(index in 0..SERVER_EVENT_NAMES.len(), args in prop::collection::vec(any_json(), 0..3)) {
        check(SERVER_EVENT_NAMES[index], &args);
    }

    #[test]
    fn arbitrary_names_never_panic(name in ".{0,30}", args in prop::collection::vec(any_json(), 0..2)) {
        check(&name, &args);
    }

    /// A valid payload with one field replaced by garbage or removed.
    #[test]
    fn mutated_valid_payloads_never_panic(index in 0..18usize, field in 0..12usize, garbage in any_json(), remove in any::<bool>()) {
        let fixtures = fixtures();
        let (name, mut data) = fixtures[index % fixtures.len()].clone();
        if let Value::Object(map) = &mut data {
            if let Some(key) = map.keys().nth(field % map.len().max(1)).cloned() {
                if remove { map.remove(&key); } else { map.insert(key, garbage); }
            }
        }
        check(&name, &[data]);
    }
}

#[test]
fn oversized_payloads_are_handled() {
    let huge = "é".repeat(4 * 1024 * 1024);
    let message = json!({"id": huge, "conversationId": "c", "sender": {"id": "b", "name": huge, "avatar": ""},
        "content": huge, "attachments": [], "timestamp": 0, "status": "sent"});
    // Over the caps (docs/protocol.md, "Limits"): refused as INVALID_PAYLOAD, borrowed or owned.
    let refused = |result: Result<ServerEvent, DecodeError>| matches!(result, Err(e) if e.code() == "INVALID_PAYLOAD");
    assert!(refused(ServerEvent::decode(
        "chat.message",
        std::slice::from_ref(&message)
    )));
    assert!(refused(ServerEvent::decode_owned(
        "chat.message",
        vec![message]
    )));
    let many: Vec<Value> = (0..100_000)
        .map(|i| json!({"type": "file", "url": format!("u{i}")}))
        .collect();
    let message = json!({"id": "m", "conversationId": "c", "sender": {"id": "b", "name": "n", "avatar": ""},
        "content": "x", "attachments": many, "timestamp": 0, "status": "sent"});
    assert!(refused(ServerEvent::decode("chat.message", &[message])));
    // At the caps: taken, and the owned decode gives the same event.
    let at_caps = json!({"id": "m", "conversationId": "c", "sender": {"id": "b", "name": "n", "avatar": ""},
        "content": "é".repeat(limits::MAX_CONTENT_BYTES / 2),
        "attachments": vec![json!({"type": "file", "url": "u"}); limits::MAX_ATTACHMENTS],
        "timestamp": 0, "status": "sent"});
    let borrowed = ServerEvent::decode("chat.message", std::slice::from_ref(&at_caps))
        .expect("within the caps");
    assert_eq!(
        ServerEvent::decode_owned("chat.message", vec![at_caps]),
        Ok(borrowed)
    );
    // Payloads come off the wire through serde_json's parser, which refuses nesting past 128
    // levels; the deepest value that can arrive is handled.
    let deepest: Value =
        serde_json::from_str(&format!("{}1{}", "[".repeat(127), "]".repeat(127))).expect("parses");
    check("chat.message", std::slice::from_ref(&deepest));
    check("order.status", &[json!({"orderId": deepest})]);
    assert!(
        serde_json::from_str::<Value>(&format!("{}1{}", "[".repeat(200), "]".repeat(200))).is_err()
    );
}
