//! Two writers on one cache file, as the app and the CLI beside it are: the cache writer's
//! transactions must not fail with "database is locked" because the other one wrote meanwhile
//! (a deferred transaction that read first cannot upgrade to a write then, and no busy timeout
//! helps), and lease renewals keep going meanwhile.

use sellerdesk_core::protocol::{ServerEvent, Timestamp};
use sellerdesk_core::store::Store;
use serde_json::json;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

fn batch(round: usize) -> Vec<ServerEvent> {
    (0..50)
        .map(|i| {
            let data = json!({"id": format!("m-{round}-{i}"), "conversationId": format!("c{}", i % 5),
                "sender": {"id": "buyer", "name": "Buyer"}, "content": "hello",
                "timestamp": 1_795_000_000_000_i64 + i as i64, "status": "sent"});
            ServerEvent::decode("chat.message", &[data]).expect("valid")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_commit_while_another_process_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ours = Store::open(dir.path()).await.expect("store");
    let theirs = Store::open(dir.path()).await.expect("second store");
    theirs
        .enqueue("c1", "queued by the other process", &[])
        .await
        .expect("queued");
    theirs.claim_outbox("other", 10).await.expect("claimed");

    let stop = Arc::new(AtomicBool::new(false));
    let renewals = Arc::new(AtomicU64::new(0));
    let renewer = {
        let (stop, renewals) = (stop.clone(), renewals.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                theirs.renew_outbox_claims("other").await.expect("renewed");
                renewals.fetch_add(1, Ordering::Relaxed);
                tokio::task::yield_now().await;
            }
        })
    };
    for round in 0..200 {
        if let Err(e) = ours.apply(&batch(round), Timestamp::now()).await {
            panic!(
                "round {round}: {e} (after {} renewals)",
                renewals.load(Ordering::Relaxed)
            );
        }
    }
    stop.store(true, Ordering::Relaxed);
    renewer.await.expect("renewer");
    assert!(renewals.load(Ordering::Relaxed) > 0);
    let cached: usize = received_count(&ours).await;
    assert_eq!(cached, 200 * 50);
}

async fn received_count(store: &Store) -> usize {
    let mut total = 0;
    for c in 0..5 {
        let messages = store.messages(&format!("c{c}")).await.expect("messages");
        // The other process's queued message shows in its conversation too.
        total += messages.iter().filter(|m| m.id.starts_with("m-")).count();
    }
    total
}
