//! The app's commands through Tauri's real IPC path (`tauri::test`, mock runtime): the same
//! builder, managed state, setup and command handlers as the shipped app, with no webview.

mod common;

use common::{non_empty, services_or_skip, simulator, TestApp};
use sellerdesk_core::credentials::Keychain;
use serde_json::{json, Value};

#[test]
fn live_mode_without_an_account_asks_for_sign_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(false, dir.path());

    let info = app.ok("app_info", json!({}));
    assert_eq!(info["mode"], "live");
    assert_eq!(info["signedIn"], false);
    assert_eq!(info["connection"], Value::Null);
    assert_eq!(info["dataDir"], dir.path().display().to_string());

    let error = app
        .invoke("list_conversations", json!({}))
        .expect_err("nothing to list before signing in");
    assert_eq!(error["code"], "NOT_SIGNED_IN");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));

    let error = app
        .invoke(
            "sign_in",
            json!({"server": "http://127.0.0.1:9", "token": "two words"}),
        )
        .expect_err("a token with a space is refused before any connection");
    assert_eq!(
        error,
        json!({"code": "INVALID_TOKEN", "message": "the token is empty or contains spaces"})
    );

    let error = app
        .invoke("sign_in", json!({"server": "ftp://x", "token": "a.b.c"}))
        .expect_err("only http(s) servers");
    assert_eq!(error["code"], "INVALID_SERVER");

    let error = app
        .invoke(
            "send_message",
            json!({"conversationId": "c1", "content": "  \n"}),
        )
        .expect_err("blank messages are refused");
    assert_eq!(error["code"], "EMPTY_MESSAGE");
}

#[test]
fn closing_the_window_knows_the_tray_preference_without_waiting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(false, dir.path());
    // Read at start-up: the default keeps the app in the tray.
    assert!(app.state().close_to_tray());
    let mut preferences = app.ok("desktop_preferences", json!({}));
    preferences["closeToTray"] = json!(false);
    app.ok(
        "set_desktop_preferences",
        json!({ "preferences": preferences }),
    );
    assert!(!app.state().close_to_tray());
    // And from the file at the next start.
    drop(app);
    let again = TestApp::launch(false, dir.path());
    assert!(!again.state().close_to_tray());
}

#[cfg(feature = "demo")]
#[test]
fn the_demo_can_be_tried_from_the_sign_in_screen_and_left_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(false, dir.path());
    assert_eq!(app.ok("app_info", json!({}))["signedIn"], false);

    assert_eq!(app.ok("app_info", json!({}))["demoAvailable"], true);
    let info = app.ok("try_demo", json!({}));
    assert_eq!(info["mode"], "demo");
    assert_eq!(info["signedIn"], true);
    assert_eq!(
        info["dataDir"],
        dir.path().join("demo").display().to_string(),
        "the demo keeps to its subfolder"
    );
    app.wait_for(
        "demo conversations",
        "list_conversations",
        json!({}),
        non_empty,
    );
    assert!(!dir.path().join("account.json").exists(), "no account");

    let info = app.ok("leave_demo", json!({}));
    assert_eq!(info["mode"], "live");
    assert_eq!(info["signedIn"], false);
    assert_eq!(info["dataDir"], dir.path().display().to_string());
    let error = app
        .invoke("list_conversations", json!({}))
        .expect_err("back at the sign-in screen");
    assert_eq!(error["code"], "NOT_SIGNED_IN");
}

#[cfg(feature = "demo")]
#[test]
fn demo_mode_lists_the_cache_and_sends_through_the_outbox() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(true, dir.path());

    let info = app.ok("app_info", json!({}));
    assert_eq!(info["mode"], "demo");
    assert_eq!(info["signedIn"], true, "{info}");
    assert!(info["server"]
        .as_str()
        .is_some_and(|s| s.starts_with("http://127.0.0.1:")));
    assert_eq!(
        info["dataDir"],
        dir.path().join("demo").display().to_string(),
        "demo data lives apart from a real account's"
    );
    let error = app
        .invoke("sign_out", json!({}))
        .expect_err("no account in demo mode");
    assert_eq!(error["code"], "DEMO_MODE");

    let conversations = app.wait_for(
        "cached conversations",
        "list_conversations",
        json!({}),
        non_empty,
    );
    let conversation = conversations[0]["id"].as_str().expect("an id").to_owned();
    assert!(non_empty(&conversations[0]["participants"]));
    app.wait_for(
        "the seller's id (known once connected)",
        "app_info",
        json!({}),
        |info| info["userId"] == "seller-1" && info["connection"]["state"] == "connected",
    );

    let item = app.ok(
        "send_message",
        json!({"conversationId": conversation, "content": "Hello <b>there</b>"}),
    );
    assert_eq!(item["state"], "queued");
    assert_eq!(item["conversationId"], conversation.as_str());
    let client_id = item["clientMessageId"]
        .as_str()
        .expect("client id")
        .to_owned();

    // The engine sends it; the simulator echoes it, then reports it delivered.
    let messages = app.wait_for(
        "the message to be delivered",
        "list_messages",
        json!({"conversationId": conversation}),
        |page| {
            page["messages"].as_array().is_some_and(|list| {
                list.iter().any(|m| {
                    m["clientMessageId"] == client_id.as_str()
                        && (m["status"] == "delivered" || m["status"] == "read")
                })
            })
        },
    );
    assert_eq!(messages["hasNewer"], false, "the newest page");
    let sent = messages["messages"]
        .as_array()
        .and_then(|list| {
            list.iter()
                .find(|m| m["clientMessageId"] == client_id.as_str())
        })
        .expect("the sent message");
    assert_eq!(sent["content"], "Hello <b>there</b>");
    assert_eq!(sent["sender"]["id"], "seller-1");
    app.wait_for("an empty outbox", "app_info", json!({}), |info| {
        info["pendingOutbox"] == 0
    });

    // Marking read clears the unread count of that conversation.
    app.ok(
        "mark_conversation_read",
        json!({"conversationId": conversation}),
    );
    let conversations = app.ok("list_conversations", json!({}));
    let unread = conversations
        .as_array()
        .and_then(|list| list.iter().find(|c| c["id"] == conversation.as_str()))
        .map(|c| c["unreadCount"].clone());
    assert_eq!(unread, Some(json!(0)));
    // The badge counts the conversations with unread messages (the demo keeps talking, so
    // compare two reads taken between the same live updates).
    let consistent = (0..20).any(|_| {
        let list = app.ok("list_conversations", json!({"limit": 1000}));
        let count = app.ok("count_unread_conversations", json!({}));
        let again = app.ok("list_conversations", json!({"limit": 1000}));
        let with_unread = list
            .as_array()
            .map(|l| l.iter().filter(|c| c["unreadCount"] != 0).count() as u64);
        list == again && count.as_u64() == with_unread
    });
    assert!(consistent, "the unread badge disagrees with the list");
    let one = app.ok("list_conversations", json!({"limit": 1}));
    assert_eq!(one.as_array().map(Vec::len), Some(1));

    assert!(app.ok("list_orders", json!({})).is_array());
    app.ok("retry_now", json!({}));

    // The simulator's first burst has listings and notifications; the center marks them read.
    let listings = app.wait_for("listings", "list_listings", json!({}), non_empty);
    assert!(listings[0]["id"].is_string());
    let notifications = app.wait_for("notifications", "list_notifications", json!({}), non_empty);
    let unread = app.ok("count_unread_notifications", json!({}));
    assert!(unread.as_i64().is_some_and(|n| n >= 0));
    let first = notifications[0]["id"].as_str().expect("an id").to_owned();
    app.ok("mark_notification_read", json!({"id": first}));
    assert_eq!(
        app.ok(
            "mark_notification_read",
            json!({"id": "no-such-notification"})
        ),
        json!(false)
    );
    // (The demo keeps sending: mark all again if one arrived in between.)
    let cleared = (0..20).any(|_| {
        app.ok("mark_all_notifications_read", json!({}));
        app.ok("count_unread_notifications", json!({})) == json!(0)
    });
    assert!(cleared, "mark all read leaves nothing unread");

    // What was sent is found, marked, and points at its conversation.
    let results = app.ok("search", json!({"query": "there"}));
    let hit = results
        .as_array()
        .and_then(|list| {
            list.iter()
                .find(|r| r["conversationId"] == conversation.as_str())
        })
        .unwrap_or_else(|| panic!("no result in {conversation}: {results}"));
    assert_eq!(hit["kind"], "message");
    assert!(hit["snippet"]
        .as_array()
        .is_some_and(|s| s.iter().any(|p| p["hit"] == true && p["text"] == "there")));
    let page = app.ok("search", json!({"query": "a", "limit": 1, "offset": 0}));
    assert!(page.as_array().is_some_and(|p| p.len() <= 1));
    assert_eq!(app.ok("search", json!({"query": "  "})), json!([]));
}

/// Sign-in and sign-out need the OS keychain; they run where scripts/with-services.sh provides
/// a real, unlocked gnome-keyring on a private session bus.
/// A live build (the installers, `--no-default-features`) has no simulator: the demo is refused
/// with a code the UI knows, and the sign-in screen is told not to offer it.
#[cfg(not(feature = "demo"))]
#[test]
fn a_build_without_the_demo_refuses_it_and_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(false, dir.path());
    assert_eq!(app.ok("app_info", json!({}))["demoAvailable"], false);
    let error = app.invoke("try_demo", json!({})).expect_err("no demo");
    assert_eq!(error["code"], "DEMO_UNAVAILABLE");
    assert_eq!(app.ok("app_info", json!({}))["signedIn"], false);
    assert!(
        !dir.path().join("demo").exists(),
        "nothing was set up for it"
    );
    drop(app);

    // Launched with --demo: the sign-in screen opens, saying why there is no demo.
    let app = TestApp::launch(true, dir.path());
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["mode"], "live");
    assert_eq!(info["signedIn"], false);
    assert_eq!(info["startupError"]["code"], "DEMO_UNAVAILABLE", "{info}");
}

#[test]
fn sign_in_reads_offline_and_sign_out_forgets() {
    if !services_or_skip("sign_in_reads_offline_and_sign_out_forgets") {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let sim = simulator(&runtime, 11, 5.0);
    let server = sim.url().to_string();
    let token = sim.issue_token("seller-9");

    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(false, dir.path());
    let info = app.ok("sign_in", json!({"server": server, "token": token}));
    assert_eq!(info["signedIn"], true);
    assert_eq!(info["server"], server.trim_end_matches('/'));
    let account = std::fs::read_to_string(dir.path().join("account.json")).expect("account file");
    assert!(
        !account.contains(&token),
        "the token never reaches the disk"
    );
    assert!(!info.to_string().contains(&token), "nor the UI");

    let cached = app.wait_for("conversations", "list_conversations", json!({}), non_empty);
    // The token's expiry (read from it, about 30 days for the simulator's tokens) reaches the UI.
    let info = app.wait_for("the token's expiry", "app_info", json!({}), |info| {
        info["tokenExpiresAt"].is_string()
    });
    let expires = info["tokenExpiresAt"].as_str().expect("iso");
    let expires = chrono::DateTime::parse_from_rfc3339(expires)
        .expect("ISO-8601")
        .with_timezone(&chrono::Utc);
    let days = (expires - chrono::Utc::now()).num_days();
    assert!((29..=30).contains(&days), "expires in {days} days");
    drop(app);
    runtime.block_on(sim.shutdown());

    // Next start, the server is gone: the account and the cache are still there, and the
    // status says the app is trying to reconnect.
    let app = TestApp::launch(false, dir.path());
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["signedIn"], true, "{info}");
    assert_eq!(info["userId"], "seller-9");
    app.wait_for(
        "the engine to give up connecting",
        "app_info",
        json!({}),
        |info| {
            matches!(
                info["connection"]["state"].as_str(),
                Some("reconnecting" | "offline")
            )
        },
    );
    let offline = app.ok("list_conversations", json!({}));
    let count = |list: &Value| list.as_array().map_or(0, Vec::len);
    assert!(
        count(&offline) >= count(&cached),
        "everything seen is still readable"
    );

    let info = app.ok("sign_out", json!({}));
    assert_eq!(info["signedIn"], false);
    assert!(!dir.path().join("account.json").exists());
    let keychain = runtime
        .block_on(Keychain::platform())
        .expect("the keychain");
    assert_eq!(
        runtime
            .block_on(keychain.load(&server))
            .expect("keychain read"),
        None,
        "the token left the keychain"
    );
    assert_eq!(
        app.invoke("list_conversations", json!({}))
            .expect_err("signed out")["code"],
        "NOT_SIGNED_IN"
    );
}

/// A rejected or expired token is replaced by signing in again to the same server: the new token
/// goes to the keychain, the engine reconnects with it, and the cache is kept. Another server
/// needs a sign-out first.
#[test]
fn signing_in_again_replaces_the_token_and_keeps_the_cache() {
    if !services_or_skip("signing_in_again_replaces_the_token_and_keeps_the_cache") {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let sim = simulator(&runtime, 12, 5.0);
    let server = sim.url().to_string();
    let first = sim.issue_token("seller-9");
    let second = sim.issue_token("seller-9");

    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(false, dir.path());
    app.ok("sign_in", json!({"server": server, "token": first}));
    let cached = app.wait_for("conversations", "list_conversations", json!({}), non_empty);

    let info = app.ok("sign_in", json!({"server": server, "token": second}));
    assert_eq!(info["signedIn"], true);
    let keychain = runtime
        .block_on(Keychain::platform())
        .expect("the keychain");
    let stored = runtime
        .block_on(keychain.load(&server))
        .expect("keychain read")
        .expect("a token");
    assert_eq!(
        stored.expose(),
        second,
        "the new token replaced the old one"
    );
    let kept = app.ok("list_conversations", json!({}));
    assert!(
        kept.as_array().map_or(0, Vec::len) >= cached.as_array().map_or(0, Vec::len),
        "the cache is kept"
    );

    let other = app
        .invoke(
            "sign_in",
            json!({"server": "http://127.0.0.1:9", "token": second}),
        )
        .expect_err("another server");
    assert_eq!(other["code"], "ALREADY_SIGNED_IN");
    app.ok("sign_out", json!({}));
    drop(app);
    runtime.block_on(sim.shutdown());
}

/// A damaged cache is moved aside at start-up; the app works on a fresh one and tells the seller.
#[test]
fn a_damaged_cache_is_rebuilt_and_the_seller_is_told() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("account.json"),
        r#"{"server": "http://127.0.0.1:9"}"#,
    )
    .expect("account file");
    std::fs::write(
        dir.path().join("cache.sqlite3"),
        b"this is not a database at all",
    )
    .expect("garbage");
    let app = TestApp::launch(false, dir.path());
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["signedIn"], true, "{info}");
    assert_eq!(info["cacheNotice"]["code"], "CACHE_RECOVERED", "{info}");
    assert!(info["cacheNotice"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("damaged")));
    assert_eq!(
        app.ok("list_conversations", json!({})),
        json!([]),
        "a fresh, working cache"
    );
    let moved = std::fs::read_dir(dir.path())
        .expect("data dir")
        .filter_map(Result::ok)
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("cache.sqlite3.corrupt-")
        });
    assert!(moved, "the damaged file is kept aside");
}

#[test]
fn plain_http_to_another_host_is_refused_before_the_keychain_or_a_connection() {
    // A loopback listener reached through 0.0.0.0 (not a loopback address): a sign-in that
    // got past the check would knock on it.
    let canary = std::net::TcpListener::bind("127.0.0.1:0").expect("canary");
    canary.set_nonblocking(true).expect("nonblocking");
    let port = canary.local_addr().expect("addr").port();
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(false, dir.path());
    for server in [
        format!("http://0.0.0.0:{port}"),
        "http://market.example.com".to_owned(),
    ] {
        let error = app
            .invoke("sign_in", json!({"server": server, "token": "a.b.c"}))
            .expect_err("refused");
        assert_eq!(error["code"], "INSECURE_SERVER", "{server}: {error}");
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.contains("https://")),
            "{error}"
        );
    }
    assert!(
        matches!(canary.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the canary saw a connection"
    );
    assert_eq!(app.ok("app_info", json!({}))["signedIn"], false);
}

#[test]
fn a_link_that_hides_its_host_is_refused_naming_the_real_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(false, dir.path());
    let error = app
        .invoke(
            "open_link",
            json!({"url": "https://paypal.com@evil.test/login"}),
        )
        .expect_err("refused");
    assert_eq!(error["code"], "LINK_USERINFO_REFUSED");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("evil.test")),
        "the real host is named: {error}"
    );
}
