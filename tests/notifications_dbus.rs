//! Native notifications observed on a real D-Bus session bus: this test owns
//! `org.freedesktop.Notifications` there (scripts/with-services.sh leaves it free) and records
//! every `Notify` call the app makes, while the simulator sends orders.
#![cfg(target_os = "linux")]

mod common;

use common::{services_or_skip, simulator, TestApp};
use sellerdesk_core::navigation::Target;
use sellerdesk_core::protocol::{ServerEvent, Timestamp};
use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug, PartialEq)]
struct Shown {
    summary: String,
    body: String,
}

/// The server's id of each notification, in the order shown.
type Ids = Arc<Mutex<Vec<u32>>>;

#[derive(Default)]
struct NotificationServer {
    shown: Arc<Mutex<Vec<Shown>>>,
    ids: Ids,
    next_id: AtomicU32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl NotificationServer {
    #[allow(clippy::too_many_arguments)] // the specification's signature
    fn notify(
        &self,
        _app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, zbus::zvariant::OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        self.ids.lock().expect("lock").push(id);
        self.shown
            .lock()
            .expect("lock")
            .push(Shown { summary, body });
        id
    }

    /// What the server sends when the user clicks a notification (action `default`).
    #[zbus(signal)]
    async fn action_invoked(
        emitter: &zbus::object_server::SignalEmitter<'_>,
        id: u32,
        action_key: &str,
    ) -> zbus::Result<()>;

    /// Like GNOME Shell, KDE Plasma, dunst or mako: the body is read as markup.
    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into(), "body-markup".into(), "actions".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "recorder".into(),
            "sellerdesk tests".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

fn new_order(id: &str) -> ServerEvent {
    ServerEvent::decode(
        "order.status",
        &[
            json!({"orderId": id, "status": "pending", "previousStatus": "pending",
                 "timestamp": Timestamp::now().millis(),
                 "updatedBy": {"id": "system", "role": "system"}}),
        ],
    )
    .expect("order")
}

fn buyer_message(id: &str, sender_name: &str, content: &str) -> ServerEvent {
    ServerEvent::decode(
        "chat.message",
        &[json!({"id": id, "conversationId": "conv-hostile",
                 "sender": {"id": "buyer-hostile", "name": sender_name},
                 "content": content, "timestamp": Timestamp::now().millis(), "status": "sent"})],
    )
    .expect("message")
}

/// Waits until `shown` stops growing for `quiet`, then returns what was added since `from`.
fn settle(shown: &Mutex<Vec<Shown>>, from: usize, quiet: Duration) -> Vec<Shown> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = (usize::MAX, Instant::now());
    loop {
        let len = shown.lock().expect("lock").len();
        if len != last.0 {
            last = (len, Instant::now());
        } else if last.1.elapsed() >= quiet || Instant::now() > deadline {
            return shown.lock().expect("lock")[from..].to_vec();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_new_order_notifies_once_and_a_burst_once() {
    if !services_or_skip("a_new_order_notifies_once_and_a_burst_once") {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let recorder = NotificationServer::default();
    let shown = Arc::clone(&recorder.shown);
    let ids = Arc::clone(&recorder.ids);
    let bus = runtime
        .block_on(async {
            zbus::connection::Builder::session()?
                .name("org.freedesktop.Notifications")?
                .serve_at("/org/freedesktop/Notifications", recorder)?
                .build()
                .await
        })
        .expect("owning org.freedesktop.Notifications on the session bus");
    let sim = simulator(&runtime, 5, 0.0);
    let token = sim.issue_token("seller-1");

    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::launch(false, dir.path());
    app.ok("sign_in", json!({"server": sim.url(), "token": token}));
    app.wait_for("connected", "app_info", json!({}), |info| {
        info["connection"]["state"] == "connected"
    });

    // The server's first burst catches the cache up: one "while you were away" at most.
    let catch_up = settle(&shown, 0, Duration::from_secs(5));
    assert!(catch_up.len() <= 1, "{catch_up:?}");
    assert!(
        catch_up.iter().all(|s| s.summary == "While you were away"),
        "{catch_up:?}"
    );

    // A new order: exactly one notification, saying so.
    let before = shown.lock().expect("lock").len();
    assert_eq!(sim.emit_to_all(&new_order("ORD-DBUS-1")), 1);
    let calls = settle(&shown, before, Duration::from_secs(3));
    assert_eq!(
        calls,
        vec![Shown {
            summary: "New order ORD-DBUS-1".into(),
            body: "Waiting for you to confirm".into(),
        }]
    );

    // A click on it opens that order: with no window subscribed (no webview here) it waits for
    // the first batch after `subscribe`.
    let clicked = *ids.lock().expect("lock").last().expect("an id");
    runtime
        .block_on(async {
            let server = bus
                .object_server()
                .interface::<_, NotificationServer>("/org/freedesktop/Notifications")
                .await?;
            NotificationServer::action_invoked(server.signal_emitter(), clicked, "default").await
        })
        .expect("ActionInvoked sent");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match app.state().navigator().take_pending() {
            Some(target) => {
                assert_eq!(target, Target::Order("ORD-DBUS-1".into()));
                break;
            }
            None => assert!(
                Instant::now() < deadline,
                "timed out waiting for the click to open the order"
            ),
        }
        std::thread::sleep(Duration::from_millis(100));
    }

    // Fifty at once: one summary.
    let before = shown.lock().expect("lock").len();
    for i in 0..50 {
        sim.emit_to_all(&new_order(&format!("ORD-BURST-{i}")));
    }
    let calls = settle(&shown, before, Duration::from_secs(3));
    assert_eq!(
        calls,
        vec![Shown {
            summary: "50 updates".into(),
            body: "50 new orders".into(),
        }]
    );

    // A buyer's message written to act on a markup-reading server and on the text around it:
    // shown as text, without its controls, and cut.
    let before = shown.lock().expect("lock").len();
    let hostile = format!(
        "<a href=\"http://evil\">x</a> & <img src=x>\u{1b}[31m\u{202E}{}",
        "A".repeat(500)
    );
    sim.emit_to_all(&buyer_message(
        "msg-hostile-1",
        "Eve\u{1b}]0;pwned\u{7}<b>boss</b>\u{2066}",
        &hostile,
    ));
    let calls = settle(&shown, before, Duration::from_secs(3));
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].summary, "Eve]0;pwned&lt;b&gt;boss&lt;/b&gt;");
    // 45 characters before the A's, 154 A's and the ellipsis make 200.
    assert_eq!(
        calls[0].body,
        format!(
            "&lt;a href=&quot;http://evil&quot;&gt;x&lt;/a&gt; &amp; &lt;img src=x&gt;[31m{}…",
            "A".repeat(154)
        )
    );

    app.ok("sign_out", json!({}));
    drop(app);
    runtime.block_on(sim.shutdown());
}
