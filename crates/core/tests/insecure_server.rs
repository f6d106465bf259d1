//! Plain http to a host that is not this computer never gets the token, and the refusal comes
//! before any connection. The canary is a loopback listener reached through `0.0.0.0`: Linux
//! delivers a connection to the unspecified address to the local host, yet `0.0.0.0` is not a
//! loopback address, so a check that let it through would be seen by the listener, with no
//! packet ever leaving this machine and no resolver asked.
#![cfg(target_os = "linux")]

use sellerdesk_core::account::{self, AccountError};
use sellerdesk_core::credentials::Keychain;
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::socket::{Socket, SocketError, Transport};
use std::net::TcpListener;
use std::time::Duration;

fn canary() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("canary listens");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("addr").port();
    (listener, port)
}

fn saw_a_connection(listener: &TcpListener) -> bool {
    match listener.accept() {
        Ok(_) => true,
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => false,
        Err(e) => panic!("canary: {e}"),
    }
}

fn token() -> Token {
    Token::new("header.payload.signature".to_owned()).expect("token")
}

#[tokio::test]
async fn sign_in_over_plain_http_to_another_host_is_refused_before_connecting() {
    let (listener, port) = canary();
    let dir = tempfile::tempdir().expect("dir");
    let keychain = Keychain::in_memory().expect("keychain");
    let server = format!("http://0.0.0.0:{port}");

    let refused = account::sign_in(
        dir.path(),
        &server,
        &token(),
        &keychain,
        Duration::from_secs(2),
    )
    .await
    .expect_err("refused");
    assert!(matches!(refused, AccountError::Server(_)), "{refused:?}");
    assert_eq!(refused.code(), "INSECURE_SERVER");
    assert!(!saw_a_connection(&listener), "the canary saw a connection");
    assert!(
        keychain.load(&server).await.expect("load").is_none(),
        "the token was not kept"
    );
    assert!(
        account::load_account(dir.path()).is_none(),
        "no account was written"
    );
}

#[tokio::test]
async fn the_socket_itself_refuses_before_connecting() {
    let (listener, port) = canary();
    let refused = Socket::connect(
        &format!("http://0.0.0.0:{port}"),
        &token(),
        Transport::Polling,
        Duration::from_secs(2),
    )
    .await
    .err()
    .expect("refused");
    assert!(
        matches!(refused, SocketError::InsecureServer(_)),
        "{refused:?}"
    );
    assert_eq!(refused.code(), "INSECURE_SERVER");
    assert!(!saw_a_connection(&listener), "the canary saw a connection");

    // The canary does see a connection that is tried (loopback http is allowed), so its
    // silence above means something.
    let _ = Socket::connect(
        &format!("http://127.0.0.1:{port}"),
        &token(),
        Transport::Polling,
        Duration::from_millis(500),
    )
    .await;
    assert!(saw_a_connection(&listener), "the canary works");
}

/// A stored account whose server is plain http to another host (recorded before such servers
/// were refused) makes the engine ask for a new sign-in once, read no token and never retry on
/// the reconnect schedule: only signing in again to an https address fixes it.
#[tokio::test]
async fn the_engine_asks_for_a_new_sign_in_instead_of_retrying_an_insecure_server() {
    use sellerdesk_core::engine::{
        ConnectionState, Engine, EngineConfig, EngineEvent, TokenSource,
    };
    use sellerdesk_core::store::Store;

    let (listener, port) = canary();
    let store = Store::open_in_memory().await.expect("store");
    // The clock is paused once the cache is open (SQLite works on its own thread, and a paused
    // clock would time its pool out).
    tokio::time::pause();
    let config = EngineConfig::new(
        format!("http://0.0.0.0:{port}"),
        TokenSource::Fixed(token()),
    );
    let (engine, mut events) = Engine::start_subscribed(config, store);
    let mut codes = Vec::new();
    let mut states = Vec::new();
    // Ten minutes of the engine's own time: far past every step of the reconnect schedule.
    let until = tokio::time::Instant::now() + Duration::from_secs(600);
    while let Ok(Ok(event)) = tokio::time::timeout_at(until, events.recv()).await {
        match event {
            EngineEvent::State { state } => states.push(state),
            EngineEvent::Problem { problem } => codes.push(problem.code),
            _ => {}
        }
    }
    engine.retry_now();
    tokio::time::sleep(Duration::from_secs(1)).await;
    while let Ok(event) = events.try_recv() {
        match event {
            EngineEvent::State { state } => states.push(state),
            EngineEvent::Problem { problem } => codes.push(problem.code),
            _ => {}
        }
    }
    engine.shutdown().await;

    assert!(!saw_a_connection(&listener), "the canary saw a connection");
    assert_eq!(
        codes,
        ["INSECURE_SERVER", "INSECURE_SERVER"],
        "once, and once more on retry"
    );
    let retried = states.iter().any(|s| {
        matches!(
            s,
            ConnectionState::Reconnecting { .. } | ConnectionState::Offline { .. }
        )
    });
    assert!(!retried, "retried on the schedule: {states:?}");
    let asked: Vec<_> = states
        .iter()
        .filter(
            |s| matches!(s, ConnectionState::AuthFailed { message } if message.contains("https")),
        )
        .collect();
    assert_eq!(asked.len(), 2, "{states:?}");
}
