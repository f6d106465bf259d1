//! A keychain that is missing or locked gives the seller a clear error, and nothing is stored.
//! The locked case runs in its own private services (scripts/with-services.sh: a fresh Xvfb,
//! session bus and gnome-keyring), whose login collection is locked first, so the other tests'
//! keyring is never touched.

mod common;

use common::real_services_expected;
use marketplace_sim::{SimConfig, Simulator};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn with_stdin(mut command: Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("finishes")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn login_args(data_dir: &Path, server: &str) -> Vec<String> {
    vec![
        "--data-dir".into(),
        data_dir.display().to_string(),
        "--keychain-timeout".into(),
        "3".into(),
        "login".into(),
        "--server".into(),
        server.into(),
        "--token-stdin".into(),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_locked_keychain_is_a_clear_error() {
    if !real_services_expected("a_missing_or_locked_keychain_is_a_clear_error") {
        return;
    }
    let sim = Simulator::start(SimConfig::default()).await.expect("sim");
    let token = sim.issue_token("seller-1");
    let cli = env!("CARGO_BIN_EXE_sellerdesk-cli");

    // No Secret Service at all: no session bus.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut command = Command::new(cli);
    command
        .args(login_args(dir.path(), &sim.url()))
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    let output = with_stdin(command, &token);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("KEYCHAIN_UNAVAILABLE"), "{stderr}");
    assert!(stderr.contains("Secret Service"), "{stderr}");
    assert!(!stderr.contains(&token), "the token is never printed");
    assert!(!dir.path().join("account.json").exists(), "nothing stored");

    // A locked keychain: its unlock prompt goes unanswered, the call gives up and says why.
    let dir = tempfile::tempdir().expect("tempdir");
    let lock_then_login = r#"dbus-send --session --print-reply --dest=org.freedesktop.secrets \
        /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock \
        array:objpath:/org/freedesktop/secrets/collection/login >/dev/null && exec "$@""#;
    let mut command = Command::new(repo_root().join("scripts/with-services.sh"));
    command
        .args(["bash", "-c", lock_then_login, "lock-then-login", cli])
        .args(login_args(dir.path(), &sim.url()))
        .env_remove("SELLERDESK_SERVICES")
        .env_remove("DISPLAY")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    let started = Instant::now();
    let output = with_stdin(command, &token);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("KEYCHAIN_LOCKED"), "{stderr}");
    assert!(stderr.contains("unlock"), "{stderr}");
    assert!(!stderr.contains(&token), "the token is never printed");
    assert!(!dir.path().join("account.json").exists(), "nothing stored");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    sim.shutdown().await;
}
