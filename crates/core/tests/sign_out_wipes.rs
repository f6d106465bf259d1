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

    // The canary really is on disk before sign-out (the test would prove nothing otherwise).
    assert!(
        !files_containing(&data, canary.as_bytes()).is_empty(),
        "canary written"
    );

    store.close().await;
    account::sign_out(&data, &keychain).await.expect("sign out");

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
}
