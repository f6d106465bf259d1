//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]

pub mod proxy;

use sellerdesk_core::engine::{ConnectionState, EngineEvent};
use sellerdesk_core::models::{OutboxItem, OutboxState};
use sellerdesk_core::store::Store;
use serde_json::Value;
use std::time::Duration;
use tokio::sync::broadcast;

/// The official Node server as a peer; panics (it is a test) when it cannot start.
pub struct NodePeer(marketplace_sim::reference::NodePeer);

impl NodePeer {
    pub fn start(args: &[&str]) -> Self {
        Self(
            marketplace_sim::reference::NodePeer::start(args)
                .expect("the node reference server starts"),
        )
    }

    pub fn emit(&mut self, name: &str, args: Vec<Value>) {
        self.0.emit(name, args).expect("write to the node peer");
    }

    /// Sends a raw control line (e.g. `{"disconnect": true}`).
    pub fn emit_raw(&mut self, line: Value) {
        self.0.control(&line).expect("write to the node peer");
    }
}

impl std::ops::Deref for NodePeer {
    type Target = marketplace_sim::reference::NodePeer;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for NodePeer {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// Polls `check` every 20 ms until it holds or `timeout` passes.
pub async fn eventually(timeout: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + timeout;
    while !check() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits for a state the predicate accepts, returning it.
pub async fn wait_for_state(
    events: &mut broadcast::Receiver<EngineEvent>,
    timeout: Duration,
    mut accept: impl FnMut(&ConnectionState) -> bool,
) -> ConnectionState {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("timed out waiting for a connection state")
            .expect("engine events");
        if std::env::var_os("DEBUG_STATES").is_some() {
            eprintln!("event: {event:?}");
        }
        if let EngineEvent::State { state } = event {
            if accept(&state) {
                return state;
            }
        }
    }
}

/// Whether the real desktop services (Secret Service, X display) are expected: the rule all the
/// tests share, one definition in the app's tests/common.
#[path = "../../../../tests/common/services.rs"]
mod services;
#[allow(unused_imports)] // not every test file needs it
pub use services::real_services_expected;

/// Polls the outbox until every message in `ids` is in `state`; returns them, in `ids` order.
pub async fn wait_outbox(
    store: &Store,
    ids: &[&str],
    state: OutboxState,
    within: Duration,
) -> Vec<OutboxItem> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            items.push(
                store
                    .outbox_item(id)
                    .await
                    .expect("outbox read")
                    .expect("outbox item exists"),
            );
        }
        if items.iter().all(|item| item.state == state) {
            return items;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "outbox never reached {state:?}: {items:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A cache folder whose database was created by the first released schema only (for upgrade
/// tests); returns the data folder and a pool on it. The caller keeps `dir` alive.
pub async fn cache_at_first_schema(
    dir: &std::path::Path,
) -> (std::path::PathBuf, sqlx::SqlitePool) {
    let first_only = dir.join("migrations");
    std::fs::create_dir(&first_only).expect("dir");
    let first = "20261126000000_initial.sql";
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(first),
        first_only.join(first),
    )
    .expect("copy the first migration");
    let data = dir.join("data");
    std::fs::create_dir(&data).expect("dir");
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(data.join(sellerdesk_core::store::DATABASE_FILE))
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.expect("pool");
    sqlx::migrate::Migrator::new(first_only.as_path())
        .await
        .expect("migrator")
        .run(&pool)
        .await
        .expect("first schema");
    (data, pool)
}
