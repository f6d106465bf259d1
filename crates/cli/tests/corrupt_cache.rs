//! A damaged cache file: the CLI still works from a fresh cache and says clearly on stderr what
//! happened, including that unsent messages could not be read.

use std::process::Command;

#[test]
fn a_damaged_cache_is_replaced_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join(sellerdesk_core::store::DATABASE_FILE),
        vec![0x5a_u8; 32 * 1024],
    )
    .expect("garbage");
    let output = Command::new(env!("CARGO_BIN_EXE_sellerdesk-cli"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["conversations", "--json"])
        .output()
        .expect("cli runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cli failed: {stderr}");
    assert!(
        stderr.contains("warning: the local cache was damaged"),
        "{stderr}"
    );
    assert!(
        stderr.contains(".corrupt-"),
        "names the moved file: {stderr}"
    );
    assert!(
        stderr.contains("will not be sent"),
        "mentions the outbox: {stderr}"
    );
    let conversations: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(conversations, serde_json::json!([]), "a fresh, empty cache");

    // The next run finds a healthy cache and says nothing.
    let again = Command::new(env!("CARGO_BIN_EXE_sellerdesk-cli"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["conversations", "--json"])
        .output()
        .expect("cli runs");
    assert!(again.status.success());
    assert!(
        !String::from_utf8_lossy(&again.stderr).contains("damaged"),
        "warned once"
    );
}
