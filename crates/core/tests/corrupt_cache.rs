//! A damaged cache file is moved aside (with its side files) and a fresh, working cache built;
//! the caller learns where the old one went.

use sellerdesk_core::store::{OpenReport, Store, DATABASE_FILE};
use std::path::Path;

fn moved_copies(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(&format!("{DATABASE_FILE}.corrupt-")))
        .collect();
    names.sort();
    names
}

async fn expect_recovered(dir: &Path) {
    let (store, report) = Store::open_or_recover(dir).await.expect("recovered");
    let moved = report.recovered_from.clone().expect("recovery reported");
    assert!(moved.exists(), "damaged file kept at {moved:?}");
    let warning = report.warning().expect("warning");
    assert!(warning.contains("could not be read"), "{warning}");
    assert!(warning.contains(&moved.display().to_string()), "{warning}");
    // The fresh cache works and is empty.
    assert!(store
        .conversations()
        .await
        .expect("conversations")
        .is_empty());
    assert_eq!(store.outbox_pending().await.expect("outbox"), 0);
    store.enqueue("c1", "hello", &[]).await.expect("enqueue");
    store.close().await;
    // Opening again finds nothing wrong.
    let (store, report) = Store::open_or_recover(dir).await.expect("reopen");
    assert_eq!(report, OpenReport::default());
    assert_eq!(store.outbox_pending().await.expect("outbox"), 1);
    store.close().await;
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_moved_aside() {
    let dir = tempfile::tempdir().expect("tempdir");
    let garbage: Vec<u8> = (0..64 * 1024).map(|i| (i * 7 + 13) as u8).collect();
    std::fs::write(dir.path().join(DATABASE_FILE), &garbage).expect("garbage");
    expect_recovered(dir.path()).await;
    let copies = moved_copies(dir.path());
    let main = copies
        .iter()
        .find(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
        .expect("main copy");
    assert_eq!(
        std::fs::read(dir.path().join(main)).expect("copy"),
        garbage,
        "moved, not rewritten"
    );
}

#[tokio::test]
async fn a_truncated_database_is_moved_aside() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).await.expect("open");
    for i in 0..2_000 {
        store
            .enqueue(&format!("c{i}"), &"x".repeat(200), &[])
            .await
            .expect("enqueue");
    }
    store.close().await;
    let path = dir.path().join(DATABASE_FILE);
    let bytes = std::fs::read(&path).expect("read");
    assert!(bytes.len() > 64 * 1024, "a real database: {}", bytes.len());
    std::fs::write(&path, &bytes[..bytes.len() / 3]).expect("truncate");
    expect_recovered(dir.path()).await;
    assert!(!moved_copies(dir.path()).is_empty());
}

#[tokio::test]
async fn a_healthy_cache_is_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).await.expect("open");
    store.enqueue("c1", "kept", &[]).await.expect("enqueue");
    store.close().await;
    let (store, report) = Store::open_or_recover(dir.path()).await.expect("open");
    assert_eq!(report.recovered_from, None);
    assert_eq!(store.outbox_pending().await.expect("outbox"), 1);
    assert!(moved_copies(dir.path()).is_empty());
}
