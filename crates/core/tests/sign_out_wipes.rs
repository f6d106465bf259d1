//! Sign-out leaves nothing of the seller's data behind: a canary written everywhere the cache
//! keeps text is found in no file under the data folder afterwards, and the token is gone.

use sellerdesk_core::account::{self, Account, ACCOUNT_FILE, ATTACHMENTS_DIR};
use sellerdesk_core::credentials::Keychain;
use sellerdesk_core::protocol::*;
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::store::Store;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn event(name: &str, data: Value) -> ServerEvent {
    ServerEvent::decode(name, &[data]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|path| {
            let bytes = std::fs::read(path).expect("read file");
            bytes.windows(needle.len()).any(|w| w == needle)
        })
        .collect()
}

#[tokio::test]
async fn sign_out_leaves_no_trace_of_the_canary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let canary = format!("canary{}", uuid::Uuid::new_v4().simple());
    let server = "http://127.0.0.1:9";

    let keychain = Keychain::in_memory().expect("keychain");
    let token = Token::new("secret-token".to_owned()).expect("token");
    keychain.save(server, &token).await.expect("save token");
    std::fs::create_dir_all(&data).expect("data dir");
    let account = Account {
        server: sellerdesk_core::credentials::account_for(server),
    };
    std::fs::write(
        data.join(ACCOUNT_FILE),
        serde_json::to_string(&account).expect("json"),
    )
    .expect("account file");

    let store = Store::open(&data).await.expect("open");
    store
        .apply(
            &[
                event(
                    "chat.message",
                    json!({"id": "m1", "conversationId": "c1",
                           "sender": {"id": "b1", "name": "Buyer", "avatar": ""},
                           "content": format!("hello {canary} there"), "attachments": [],
                           "timestamp": "2026-11-26T10:00:00Z", "status": "sent"}),
                ),
                event(
                    "notification.user",
                    json!({"id": "n1", "userId": "s", "type": "order", "title": "T",
                           "message": format!("about {canary}"), "read": false,
                           "timestamp": 1_764_150_000_000_i64}),
                ),
                event(
                    "order.status",
                    json!({"orderId": format!("ord-{canary}"), "status": "paid",
                           "previousStatus": "pending", "timestamp": 1_764_150_000_000_i64,
                           "updatedBy": {"id": "sys", "role": "system"}}),
                ),
            ],
            Timestamp::now(),
        )
        .await
        .expect("apply");
    store
        .enqueue("c1", &format!("reply {canary}"), &[])
        .await
        .expect("enqueue");
    let attachments = data.join(ATTACHMENTS_DIR).join("c1");
    std::fs::create_dir_all(&attachments).expect("attachments dir");
    std::fs::write(attachments.join("photo.jpg"), format!("jpeg {canary}")).expect("attachment");
    // A download cut short, a muted conversation, a settings write a crash cut short.
    std::fs::write(
        attachments.join(".photo2.jpg.00ff.part"),
        format!("jp {canary}"),
    )
    .expect("part");
    let settings = sellerdesk_core::alerts::NotificationSettings {
        muted_conversations: vec![format!("conv-{canary}")],
        ..Default::default()
    };
    settings.save(&data).expect("settings");
    std::fs::write(
        data.join("notification-settings.json.partial"),
        format!("{{\"mutedConversations\": [\"{canary}\"]}}"),
    )
    .expect("partial settings");
    // A device preference, without ids: it survives.
    std::fs::write(
        data.join("desktop-preferences.json"),
        br#"{"closeToTray": false}"#,
    )
    .expect("preferences");

    // The canary really is on disk before sign-out (the test would prove nothing otherwise).
    assert!(
        !files_containing(&data, canary.as_bytes()).is_empty(),
        "canary written"
    );

    store.close().await;
    let report = sellerdesk_core::sign_out::sign_out(&data, async { Ok(keychain.clone()) }).await;
    assert!(report.is_complete(), "{report:?}");

    let left = files_containing(&data, canary.as_bytes());
    assert!(left.is_empty(), "canary still in {left:?}");
    assert!(!data.join(ATTACHMENTS_DIR).exists(), "attachments removed");
    assert!(
        keychain.load(server).await.expect("load").is_none(),
        "keychain entry removed"
    );
    assert!(
        account::load_account(&data).is_none(),
        "account file removed"
    );
    let mut left: Vec<_> = files_under(&data)
        .into_iter()
        .map(|p| p.strip_prefix(&data).expect("inside").display().to_string())
        .collect();
    left.sort();
    assert_eq!(
        left,
        vec!["desktop-preferences.json"],
        "only device preferences stay"
    );
}

/// An entry an earlier sign-out could not delete (the keychain was unreachable then) goes at
/// the next sign-in; the entry of the account signed in to stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_removes_the_entries_an_earlier_sign_out_left() {
    let sim = marketplace_sim::Simulator::start(marketplace_sim::SimConfig::default())
        .await
        .expect("sim");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let keychain = Keychain::in_memory().expect("keychain");
    let old = "https://old-market.example";
    let token = Token::new("old-token".to_owned()).expect("token");
    keychain.save(old, &token).await.expect("old entry");
    std::fs::create_dir_all(&data).expect("dir");
    sellerdesk_core::keychain_cleanup::remember(&data, old).expect("record");

    let fresh = Token::new(sim.issue_token("seller-1")).expect("token");
    account::sign_in(
        &data,
        &sim.url(),
        &fresh,
        &keychain,
        std::time::Duration::from_secs(10),
    )
    .await
    .expect("sign in");

    assert!(
        keychain.load(old).await.expect("load").is_none(),
        "orphan removed"
    );
    assert!(sellerdesk_core::keychain_cleanup::pending(&data).is_empty());
    assert_eq!(
        keychain.load(&sim.url()).await.expect("load"),
        Some(fresh),
        "the new account's entry stays"
    );
    sim.shutdown().await;
}
