//! The app's sign-out with no keychain reachable: the local data and the webview's storage are
//! wiped all the same, the session ends, and the sign-in screen is told what stayed.
//! Its own test binary: the session bus address is this process's alone.

mod common;

use common::TestApp;
use serde_json::json;

#[test]
fn sign_out_without_a_keychain_wipes_everything_and_says_what_stayed() {
    let root = tempfile::tempdir().expect("tempdir");
    // No Secret Service: the bus does not exist. Set before anything opens the keychain.
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", root.path().join("no-bus").display()),
    );
    // The webview's data folder (the mock app's identifier is empty: this folder itself).
    let webview = root.path().join("webview-data");
    std::env::set_var("XDG_DATA_HOME", &webview);
    std::fs::create_dir_all(webview.join("localstorage")).expect("webview dir");
    std::fs::write(
        webview.join("localstorage/app.localstorage"),
        b"kept by a page",
    )
    .expect("w");
    std::fs::write(webview.join("cookies"), b"cookie").expect("w");

    let data = root.path().join("data");
    std::fs::create_dir_all(data.join("attachments/c1")).expect("dirs");
    std::fs::write(
        data.join("account.json"),
        r#"{"server": "http://127.0.0.1:9"}"#,
    )
    .expect("account");
    std::fs::write(
        data.join("notification-settings.json"),
        r#"{"mutedConversations": ["c-secret"]}"#,
    )
    .expect("settings");
    std::fs::write(data.join("attachments/c1/photo.jpg"), b"jpeg").expect("attachment");

    let app = TestApp::launch(false, &data);
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["signedIn"], true, "{info}");
    assert!(data.join("cache.sqlite3").exists(), "the cache is open");

    let info = app.ok("sign_out", json!({}));

    assert_eq!(info["signedIn"], false, "{info}");
    let notice = &info["signOutNotice"];
    assert_eq!(notice["code"], "SIGN_OUT_INCOMPLETE", "{info}");
    let message = notice["message"].as_str().expect("message");
    assert!(message.contains("KEYCHAIN_UNAVAILABLE"), "{message}");
    assert!(message.contains("http://127.0.0.1:9"), "{message}");
    for gone in [
        "account.json",
        "cache.sqlite3",
        "cache.sqlite3-wal",
        "notification-settings.json",
        "attachments",
    ] {
        assert!(!data.join(gone).exists(), "{gone} removed");
    }
    assert!(
        data.join("keychain-cleanup.json").exists(),
        "retry recorded"
    );
    assert!(
        !webview.join("localstorage").exists(),
        "webview storage removed"
    );
    assert!(!webview.join("cookies").exists(), "webview cookies removed");
}
