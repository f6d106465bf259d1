//! `login` to a plain-http server that is not this computer is refused before the token is read
//! or the keychain opened (so this runs without any keychain), with `INSECURE_SERVER` and exit 1.

use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn login_over_plain_http_to_another_host_is_refused_first() {
    let dir = tempfile::tempdir().expect("dir");
    for server in [
        "http://market.example.com",
        "http://10.1.2.3:4000",
        "ws://0.0.0.0:9",
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sellerdesk-cli"))
            .arg("--data-dir")
            .arg(dir.path())
            // No session bus: a keychain that were opened would fail with another code.
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .args(["login", "--server", server, "--token-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cli starts");
        // The token may never be read: a closed pipe is fine.
        let _ = child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"header.payload.signature");
        let output = child.wait_with_output().expect("cli ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{server}: {stderr}");
        assert!(stderr.contains("INSECURE_SERVER"), "{server}: {stderr}");
        assert!(!stderr.contains("header.payload"), "{stderr}");
    }
    assert!(
        !dir.path().join("account.json").exists(),
        "no account was written"
    );
}
