//! The token in the real OS keychain: a gnome-keyring Secret Service on a private D-Bus session
//! (started by scripts/with-services.sh). `secret-tool` checks the entry independently.

mod common;

use sellerdesk_core::credentials::{Keychain, KEYCHAIN_SERVICE};
use sellerdesk_core::sensitive::Token;
use std::process::Command;

fn secret_tool_lookup(account: &str) -> Option<String> {
    let output = Command::new("secret-tool")
        .args(["lookup", "service", KEYCHAIN_SERVICE, "username", account])
        .output()
        .expect("secret-tool is installed (libsecret-tools)");
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

#[tokio::test]
async fn token_round_trips_through_the_secret_service() {
    if !common::real_services_expected("token_round_trips_through_the_secret_service") {
        return;
    }
    let keychain = Keychain::platform()
        .await
        .expect("Secret Service reachable");
    let server = format!("https://round-trip.invalid/{}/", std::process::id());
    let account = server.trim_end_matches('/').to_owned();
    let token = Token::new("header.eyJzdWIiOiJzZWxsZXItMSJ9.keychain-test").expect("token");

    keychain.save(&server, &token).await.expect("save");
    assert_eq!(
        secret_tool_lookup(&account).as_deref(),
        Some(token.expose()),
        "stored in the Secret Service"
    );
    assert_eq!(
        keychain.load(&server).await.expect("load"),
        Some(token.clone())
    );

    // A second sign-in replaces the entry rather than adding one.
    let newer = Token::new("header.eyJzdWIiOiJzZWxsZXItMSJ9.newer").expect("token");
    keychain.save(&server, &newer).await.expect("save again");
    assert_eq!(keychain.load(&server).await.expect("load"), Some(newer));

    assert!(keychain.delete(&server).await.expect("delete"));
    assert_eq!(
        secret_tool_lookup(&account),
        None,
        "gone from the Secret Service"
    );
    assert_eq!(keychain.load(&server).await.expect("load"), None);
}

#[tokio::test]
async fn entries_are_one_per_server() {
    if !common::real_services_expected("entries_are_one_per_server") {
        return;
    }
    let keychain = Keychain::platform()
        .await
        .expect("Secret Service reachable");
    let a = format!("https://server-a.invalid/{}", std::process::id());
    let b = format!("https://server-b.invalid/{}", std::process::id());
    keychain
        .save(&a, &Token::new("token-a").expect("token"))
        .await
        .expect("save a");
    keychain
        .save(&b, &Token::new("token-b").expect("token"))
        .await
        .expect("save b");
    assert_eq!(
        keychain
            .load(&a)
            .await
            .expect("load")
            .map(|t| t.expose().to_owned())
            .as_deref(),
        Some("token-a")
    );
    assert_eq!(
        keychain
            .load(&b)
            .await
            .expect("load")
            .map(|t| t.expose().to_owned())
            .as_deref(),
        Some("token-b")
    );
    keychain.delete(&a).await.expect("delete a");
    keychain.delete(&b).await.expect("delete b");
}
