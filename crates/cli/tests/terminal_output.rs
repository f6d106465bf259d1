//! Server and buyer text on a terminal: the human output of every read command shows escape
//! sequences, controls and bidi characters as U+FFFD, while `--json` is the exact bytes of the
//! data. No server anywhere: the cache is filled directly.

mod common;

use common::cli;
use sellerdesk_core::protocol::{ServerEvent, Timestamp};
use sellerdesk_core::store::{PageRequest, Store};
use serde_json::{json, Value};
use std::path::Path;
use std::process::Output;

const T0: i64 = 1_795_000_000_000;
/// Retitles the window, clears the screen, colours, a C1 CSI, and a right-to-left override.
const HOSTILE: &str = "hi\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31mred\u{9b}1m \u{202E}gpj.exe\u{2066}";

fn stdout_of(output: &Output) -> String {
    assert!(
        output.status.success(),
        "cli failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

fn event(name: &str, data: Value) -> ServerEvent {
    ServerEvent::decode(name, &[data]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

async fn fill(dir: &Path) -> Store {
    let store = Store::open(dir).await.expect("store");
    let events = [
        event(
            "chat.conversation.update",
            json!({"conversationId": "conv-x", "type": "new",
                   "participants": [{"id": "buyer-x", "name": format!("Eve {HOSTILE}"), "avatar": ""}],
                   "lastMessage": {"content": HOSTILE, "timestamp": T0}}),
        ),
        event(
            "chat.message",
            json!({"id": "m-x", "conversationId": "conv-x",
                   "sender": {"id": "buyer-x", "name": format!("Eve {HOSTILE}")},
                   "content": format!("line one\n{HOSTILE}"), "timestamp": T0, "status": "sent"}),
        ),
        event(
            "notification.user",
            json!({"id": "n-x", "userId": "s", "type": "message", "title": HOSTILE,
                   "message": HOSTILE, "read": false, "timestamp": T0}),
        ),
    ];
    store
        .apply(&events, Timestamp::from_millis(T0 + 1).expect("time"))
        .await
        .expect("apply");
    store
}

fn assert_cannot_act(printed: &str) {
    for c in printed.chars() {
        assert!(
            c == '\n' || !sellerdesk_core::text::acts(c),
            "{c:?} reached the terminal in {printed:?}"
        );
    }
    assert!(printed.contains('\u{FFFD}'), "{printed:?}");
}

#[tokio::test]
async fn human_output_shows_what_could_act_as_replacement_characters() {
    let dir = tempfile::tempdir().expect("dir");
    fill(dir.path()).await.close().await;
    let data = dir.path();

    let conversations = stdout_of(&cli(data, &["conversations"]));
    assert_cannot_act(&conversations);
    assert!(
        conversations.contains("hi\u{FFFD}]0;pwned\u{FFFD}\u{FFFD}[2J\u{FFFD}[31mred\u{FFFD}1m \u{FFFD}gpj.exe\u{FFFD}"),
        "{conversations:?}"
    );

    let messages = stdout_of(&cli(data, &["messages", "conv-x"]));
    assert_cannot_act(&messages);
    // One line per message: the buyer's line break does not start a forged line.
    assert_eq!(messages.lines().count(), 1, "{messages:?}");
    assert!(messages.contains("line one hi\u{FFFD}"), "{messages:?}");

    for args in [&["notifications"][..], &["search", "line"][..]] {
        let printed = stdout_of(&cli(data, args));
        assert!(!printed.is_empty(), "{args:?} printed nothing");
        assert_cannot_act(&printed);
    }
}

#[tokio::test]
async fn json_output_is_the_exact_bytes_of_the_data() {
    let dir = tempfile::tempdir().expect("dir");
    let store = fill(dir.path()).await;
    let conversations = store.conversations().await.expect("conversations");
    let messages = store.messages("conv-x").await.expect("messages");
    let notifications = store
        .notifications(PageRequest::new(50, 0))
        .await
        .expect("notifications");
    store.close().await;
    let data = dir.path();

    for (args, expected) in [
        (
            &["conversations", "--json"][..],
            serde_json::to_string(&conversations).expect("json"),
        ),
        (
            &["messages", "conv-x", "--json"][..],
            serde_json::to_string(&messages).expect("json"),
        ),
        (
            &["notifications", "--json"][..],
            serde_json::to_string(&notifications).expect("json"),
        ),
    ] {
        let printed = cli(data, args);
        assert!(printed.status.success(), "{args:?}");
        assert_eq!(
            String::from_utf8(printed.stdout).expect("utf-8"),
            format!("{expected}\n"),
            "{args:?}"
        );
    }
    // The buyer's text is all there: the override as it is, ESC as JSON writes it.
    let printed = stdout_of(&cli(data, &["messages", "conv-x", "--json"]));
    assert!(printed.contains("\u{202E}gpj.exe"), "{printed}");
    assert!(printed.contains("\\u001b]0;pwned\\u0007"), "{printed}");
    let parsed: Value = serde_json::from_str(&printed).expect("json");
    assert_eq!(parsed[0]["content"], format!("line one\n{HOSTILE}"));
}
