//! `messages ID --limit N --before TIMESTAMP,ID`: pages of history from the cache; without the
//! options the command prints the whole conversation as before.

mod common;

use common::cli;
use sellerdesk_core::protocol::{ServerEvent, Timestamp};
use sellerdesk_core::store::Store;
use serde_json::{json, Value};
use std::process::Output;

const T0: i64 = 1_795_000_000_000;

fn ids(output: &Output) -> Vec<String> {
    assert!(
        output.status.success(),
        "cli failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let list: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    list.as_array()
        .expect("array")
        .iter()
        .map(|m| m["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn messages_page_back_from_a_cursor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).await.expect("store");
    // m0..m4, with m2 and m3 in the same millisecond (the id breaks the tie).
    let events: Vec<ServerEvent> = [0, 1, 2, 2, 3]
        .iter()
        .enumerate()
        .map(|(i, offset)| {
            let data = json!({"id": format!("m{i}"), "conversationId": "c1",
                "sender": {"id": "buyer", "name": "Buyer", "avatar": ""},
                "content": format!("text {i}"), "attachments": [], "timestamp": T0 + offset,
                "status": "sent"});
            ServerEvent::decode("chat.message", &[data]).expect("message")
        })
        .collect();
    store.apply(&events, Timestamp::now()).await.expect("apply");
    store.close().await;
    let data = dir.path();

    assert_eq!(
        ids(&cli(data, &["messages", "c1", "--json"])),
        ["m0", "m1", "m2", "m3", "m4"],
        "unchanged without paging options"
    );
    assert_eq!(
        ids(&cli(data, &["messages", "c1", "--json", "--limit", "2"])),
        ["m3", "m4"]
    );
    let before = format!("{},m3", T0 + 2);
    assert_eq!(
        ids(&cli(
            data,
            &["messages", "c1", "--json", "--limit", "2", "--before", &before]
        )),
        ["m1", "m2"]
    );
    assert_eq!(
        ids(&cli(
            data,
            &[
                "messages",
                "c1",
                "--json",
                "--before",
                "2020-01-01T00:00:00Z,x"
            ]
        )),
        Vec::<String>::new(),
        "ISO-8601 accepted; nothing before it"
    );
    let bad = cli(data, &["messages", "c1", "--before", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2), "a usage error, not a panic");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("TIMESTAMP,ID"));
}
