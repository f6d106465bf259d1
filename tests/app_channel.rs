//! The one channel a window subscribes with carries navigation and badges as well as the cache's
//! changes (the page has no event permission): through the app's real state on the mock runtime.

mod common;

use common::TestApp;
use sellerdesk_app::ui_event::UiEvent;
use sellerdesk_core::navigation::Target;
use std::sync::{Arc, Mutex};
use tauri::ipc::{Channel, InvokeResponseBody};

/// A channel whose batches are collected.
fn recording_channel() -> (Channel<UiEvent>, Arc<Mutex<Vec<UiEvent>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let channel = Channel::new(move |body| {
        if let InvokeResponseBody::Json(json) = body {
            let event: UiEvent = serde_json::from_str(&json).expect("a UiEvent");
            sink.lock().expect("lock").push(event);
        }
        Ok(())
    });
    (channel, seen)
}

/// Waits (bounded) for a batch that `wanted` accepts.
#[cfg(feature = "demo")]
fn wait_for(seen: &Mutex<Vec<UiEvent>>, what: &str, wanted: impl Fn(&UiEvent) -> bool) -> UiEvent {
    wait_for_after(seen, 0, what, wanted)
}

/// The first batch from index `from` on that is `wanted` (earlier ones, e.g. of the demo's own
/// traffic, do not count).
#[cfg(feature = "demo")]
fn wait_for_after(
    seen: &Mutex<Vec<UiEvent>>,
    from: usize,
    what: &str,
    wanted: impl Fn(&UiEvent) -> bool,
) -> UiEvent {
    use std::time::{Duration, Instant};
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(event) = seen
            .lock()
            .expect("lock")
            .iter()
            .skip(from)
            .find(|e| wanted(e))
        {
            return event.clone();
        }
        assert!(Instant::now() < deadline, "no batch with {what}: {seen:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn subscribe(app: &TestApp, channel: Channel<UiEvent>) {
    tauri::async_runtime::block_on(app.state().subscribe("main", channel));
}

#[test]
fn a_navigation_before_the_window_subscribed_comes_in_its_first_batch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(false, dir.path());
    // The launch's deep link, before the page loaded.
    app.state().navigator().open(Target::Order("ord-1".into()));
    let (channel, seen) = recording_channel();
    subscribe(&app, channel);
    let first = seen.lock().expect("lock").first().cloned();
    assert_eq!(
        first.and_then(|e| e.navigate),
        Some(Target::Order("ord-1".into())),
        "signed out: the subscribe itself brings it"
    );
    assert_eq!(
        app.state().navigator().take_pending(),
        None,
        "handed over once"
    );

    // Once subscribed, navigation and a link the cache lacks go out at once.
    app.state().navigator().open(Target::Inbox);
    app.state().navigator().link_not_found("conversation");
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[1].navigate, Some(Target::Inbox));
    assert_eq!(seen[2].link_not_found.as_deref(), Some("conversation"));
}

#[cfg(feature = "demo")]
#[test]
fn the_first_batch_of_a_session_has_the_badges_and_the_waiting_navigation() {
    use serde_json::json;
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(true, dir.path());
    app.state()
        .navigator()
        .open(Target::Conversation("conv-1".into()));
    let (channel, seen) = recording_channel();
    subscribe(&app, channel);
    let resync = wait_for(&seen, "a resync", |e| e.resync);
    assert_eq!(resync.navigate, Some(Target::Conversation("conv-1".into())));
    assert!(resync.unread_notifications.is_some(), "{resync:?}");
    assert!(resync.state.is_some());
    // The count of unread conversations follows the resync by itself (the inbox reads first).
    wait_for(&seen, "the count after the resync", |e| {
        !e.resync && e.unread_conversations.is_some()
    });

    // A read mark made by a command comes back with the conversation's id and the new count,
    // equal to what the count command says.
    let conversations = app.wait_for(
        "conversations",
        "list_conversations",
        json!({}),
        common::non_empty,
    );
    let id = conversations[0]["id"].as_str().expect("an id").to_owned();
    let before = seen.lock().expect("lock").len();
    app.ok("mark_conversation_read", json!({"conversationId": id}));
    let marked = wait_for_after(&seen, before, "the read mark", |e| {
        e.changes.conversations.contains(&id) && e.unread_conversations.is_some()
    });
    assert!(marked.unread_conversations.is_some_and(|n| n >= 0));
}
