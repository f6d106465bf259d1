//! The data folder is the seller's only: 0700, every file in it 0600 (the cache with its WAL
//! and SHM, attachments, settings), enforced when the cache is opened; a folder of another user
//! is refused. The test process keeps the usual umask (022), so nothing here comes from it.
#![cfg(unix)]

use sellerdesk_core::alerts::NotificationSettings;
use sellerdesk_core::protocol::*;
use sellerdesk_core::store::Store;
use serde_json::json;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[tokio::test]
async fn the_folder_and_every_file_in_it_are_private_after_open_and_writes() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    // Left world-readable by an older version.
    std::fs::create_dir_all(data.join("attachments/c1")).expect("dirs");
    chmod(&data, 0o755);
    chmod(&data.join("attachments"), 0o755);
    let photo = data.join("attachments/c1/photo.jpg");
    std::fs::write(&photo, b"jpeg").expect("attachment");
    chmod(&photo, 0o644);
    let account = data.join("account.json");
    std::fs::write(&account, br#"{"server": "https://m.example"}"#).expect("account");
    chmod(&account, 0o644);

    let store = Store::open(&data).await.expect("open");
    let message = ServerEvent::decode(
        "chat.message",
        &[json!({"id": "m1", "conversationId": "c1",
                 "sender": {"id": "b1", "name": "Buyer", "avatar": ""},
                 "content": "hello", "attachments": [],
                 "timestamp": "2026-12-01T10:00:00Z", "status": "sent"})],
    )
    .expect("decode");
    store
        .apply(&[message], Timestamp::now())
        .await
        .expect("apply");
    NotificationSettings::default()
        .save(&data)
        .expect("settings");

    assert_eq!(mode(&data), 0o700, "the folder");
    assert_eq!(mode(&data.join("attachments")), 0o700);
    assert_eq!(mode(&data.join("attachments/c1")), 0o700);
    for file in [
        data.join("cache.sqlite3"),
        data.join("cache.sqlite3-wal"),
        data.join("cache.sqlite3-shm"),
        photo,
        account,
        data.join(sellerdesk_core::alerts::SETTINGS_FILE),
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    store.close().await;
}

#[tokio::test]
async fn a_folder_of_another_user_is_refused_by_name() {
    let root = tempfile::tempdir().expect("tempdir");
    let theirs = if rustix::process::geteuid().is_root() {
        let dir = root.path().join("theirs");
        std::fs::create_dir(&dir).expect("dir");
        std::os::unix::fs::chown(&dir, Some(65534), Some(65534)).expect("chown");
        dir
    } else {
        // Not root: root's own folder is another user's.
        std::path::PathBuf::from("/root")
    };
    let error = Store::open(&theirs).await.expect_err("refused");
    assert_eq!(error.code(), "DATA_DIR_NOT_OWNED", "{error}");
    assert!(
        error.to_string().contains(&theirs.display().to_string()),
        "{error}"
    );
    assert!(
        !theirs.join("cache.sqlite3").exists(),
        "nothing written there"
    );
}
