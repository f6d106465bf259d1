//! `logout` wipes the local data whatever the keychain does, and says what stayed:
//! - a session bus that accepts connections and never answers: the wait given with
//!   `--keychain-timeout` bounds opening the keychain, and the error says the service did not
//!   answer (`KEYCHAIN_NO_ANSWER`), not that it is locked;
//! - a private D-Bus session with no Secret Service on it: `KEYCHAIN_UNAVAILABLE`;
//! - the entry left behind is removed at the next sign-out that reaches the keychain.
#![cfg(unix)]

mod common;

use common::real_services_expected;
use std::io::Read;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const SERVER: &str = "http://127.0.0.1:9";

/// A data folder that looks signed in to `SERVER`, with something of each kind sign-out wipes.
fn signed_in_folder(root: &Path) -> PathBuf {
    let data = root.join("data");
    std::fs::create_dir_all(data.join("attachments/c1")).expect("dirs");
    std::fs::write(
        data.join("account.json"),
        format!(r#"{{"server": "{SERVER}"}}"#),
    )
    .expect("account");
    for name in [
        "cache.sqlite3",
        "cache.sqlite3-wal",
        "cache.sqlite3-shm",
        "cache.sqlite3.corrupt-20261201T000000000Z",
        "notification-settings.json.partial",
    ] {
        std::fs::write(data.join(name), b"buyer text").expect("file");
    }
    std::fs::write(
        data.join("notification-settings.json"),
        br#"{"mutedConversations": ["c1"]}"#,
    )
    .expect("settings");
    std::fs::write(data.join("attachments/c1/photo.jpg"), b"jpeg").expect("attachment");
    std::fs::write(data.join("attachments/c1/.photo.jpg.00ff.part"), b"jp").expect("partial");
    std::fs::write(
        data.join("desktop-preferences.json"),
        br#"{"closeToTray": false}"#,
    )
    .expect("preferences");
    data
}

fn assert_wiped(data: &Path) {
    let mut left: Vec<String> = std::fs::read_dir(data)
        .expect("data dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        vec!["desktop-preferences.json", "keychain-cleanup.json"],
        "only device preferences and the cleanup record stay"
    );
    let record = std::fs::read_to_string(data.join("keychain-cleanup.json")).expect("record");
    assert!(record.contains(SERVER), "{record}");
}

fn logout(data: &Path, bus: &str, timeout_seconds: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_sellerdesk-cli"))
        .arg("--data-dir")
        .arg(data)
        .args(["--keychain-timeout", timeout_seconds, "logout"])
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .env_remove("SELLERDESK_KEYCHAIN_TIMEOUT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cli starts")
}

/// The child's output; it is killed (and the test fails) if it has not ended after `limit`.
/// The limit is far above any wait the test asks for: it only stops a hung test.
fn finish_within(mut child: Child, limit: Duration) -> Output {
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let mut stderr = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut stderr);
            }
            panic!("logout did not return within {limit:?}; stderr: {stderr}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_bus_that_never_answers_is_bounded_by_the_keychain_timeout_and_named_honestly() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = signed_in_folder(root.path());
    // A "session bus" that takes every connection and never says a word.
    let socket = root.path().join("silent-bus");
    let listener = UnixListener::bind(&socket).expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let holder = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => held.push(stream),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    Err(e) => panic!("accept: {e}"),
                }
            }
            held.len()
        })
    };

    // The keychain's default wait is 60 s: a limit of 45 s only passes if the 2 s given here
    // bounds the opening.
    let output = finish_within(
        logout(&data, &format!("unix:path={}", socket.display()), "2"),
        Duration::from_secs(45),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("KEYCHAIN_NO_ANSWER"), "{stderr}");
    assert!(
        !stderr.contains("KEYCHAIN_LOCKED"),
        "nothing is locked: {stderr}"
    );
    assert!(stderr.contains("SIGN_OUT_INCOMPLETE"), "{stderr}");
    assert!(
        stderr.contains(SERVER),
        "names the entry that stays: {stderr}"
    );
    assert_wiped(&data);
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let connections = holder.join().expect("bus thread");
    assert!(connections >= 1, "the CLI did connect to the silent bus");
}

/// A private session bus with no Secret Service: its own config, no activatable services.
struct PrivateBus {
    daemon: Child,
    address: String,
}

impl PrivateBus {
    fn start(dir: &Path) -> Option<Self> {
        let services = dir.join("services");
        std::fs::create_dir_all(&services).expect("services dir");
        let socket = dir.join("bus");
        let config = dir.join("session.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                socket.display(),
                services.display()
            ),
        )
        .expect("config");
        let daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--nopidfile"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .ok()?;
        let started = Instant::now();
        while !socket.exists() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "dbus-daemon never listened"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Self {
            daemon,
            address: format!("unix:path={}", socket.display()),
        })
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

#[test]
fn sign_out_on_a_bus_with_no_secret_service_wipes_and_names_the_keychain_failure() {
    let root = tempfile::tempdir().expect("tempdir");
    let Some(bus) = PrivateBus::start(root.path()) else {
        assert!(
            !real_services_expected(
                "sign_out_on_a_bus_with_no_secret_service_wipes_and_names_the_keychain_failure"
            ),
            "dbus-daemon is missing: run scripts/install-deps.sh"
        );
        eprintln!("skipped: no dbus-daemon here (run scripts/install-deps.sh)");
        return;
    };
    let data = signed_in_folder(root.path());
    let output = finish_within(logout(&data, &bus.address, "20"), Duration::from_secs(120));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "partial: {stderr}");
    assert!(stderr.contains("KEYCHAIN_UNAVAILABLE"), "{stderr}");
    assert!(stderr.contains("Secret Service"), "{stderr}");
    assert!(
        stderr.contains("SIGN_OUT_INCOMPLETE: the local data is wiped"),
        "{stderr}"
    );
    assert_wiped(&data);
}

/// Under the real services: an entry a sign-out could not delete is deleted by the next one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_entry_left_by_a_failed_sign_out_goes_at_the_next_one() {
    if !real_services_expected("the_entry_left_by_a_failed_sign_out_goes_at_the_next_one") {
        return;
    }
    let sim = marketplace_sim::Simulator::start(marketplace_sim::SimConfig::default())
        .await
        .expect("sim");
    let token = sim.issue_token("seller-1");
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    let cli = env!("CARGO_BIN_EXE_sellerdesk-cli");
    let mut login = Command::new(cli)
        .arg("--data-dir")
        .arg(&data)
        .args(["login", "--server", &sim.url(), "--token-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("login starts");
    {
        use std::io::Write;
        let mut stdin = login.stdin.take().expect("stdin");
        stdin.write_all(token.as_bytes()).expect("token");
    }
    let output = login.wait_with_output().expect("login");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let server = sellerdesk_core_account(&data);
    let stored = || {
        Command::new("secret-tool")
            .args([
                "lookup",
                "service",
                "app.sellerdesk.desktop",
                "username",
                &server,
            ])
            .output()
            .expect("secret-tool runs")
            .status
            .success()
    };
    assert!(stored(), "the token is in the keychain");

    // Signing out while the keychain cannot be reached: local data gone, entry recorded.
    let no_bus = format!("unix:path={}", root.path().join("no-bus").display());
    let output = finish_within(logout(&data, &no_bus, "5"), Duration::from_secs(60));
    assert_eq!(output.status.code(), Some(1));
    assert!(!data.join("account.json").exists());
    assert!(stored(), "the entry could not be deleted yet");

    // The next sign-out reaches the keychain: the leftover entry goes.
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").expect("session bus");
    let output = finish_within(logout(&data, &bus, "20"), Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("an earlier sign-out left"), "{stderr}");
    assert!(!stored(), "the orphaned entry is removed");
    assert!(!data.join("keychain-cleanup.json").exists());
    sim.shutdown().await;
}

/// The server account.json names (as the keychain entry is keyed).
fn sellerdesk_core_account(data: &Path) -> String {
    let text = std::fs::read_to_string(data.join("account.json")).expect("account.json");
    let value: serde_json::Value = serde_json::from_str(&text).expect("json");
    value["server"].as_str().expect("server").to_owned()
}
