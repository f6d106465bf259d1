//! The `marketplace-sim` binary: first stdout line, tokens from flags, clean stop on SIGTERM.

mod common;

use common::*;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_the_url_first_accepts_given_tokens_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_marketplace-sim"))
        .args([
            "--port",
            "0",
            "--seed",
            "1",
            "--rate",
            "5",
            "--token",
            "tok-a",
            "--token",
            "Bearer tok-b",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .expect("first line in time")
        .expect("read")
        .expect("a line");
    let url = first
        .strip_prefix("listening on ")
        .expect("listening line")
        .to_owned();
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .expect("loopback url")
        .parse()
        .expect("port");
    assert_ne!(port, 0);

    for token in ["tok-a", "tok-b"] {
        let mut client = connect(&url, Some(bearer(token))).await;
        assert!(client.connected().await, "{token} accepted");
        assert!(!client.events(5, Duration::from_secs(5)).await.is_empty());
        client.close().await;
    }
    let mut refused = connect(&url, Some(bearer("tok-c"))).await;
    assert!(refused
        .next_matching(
            Duration::from_secs(5),
            |g| matches!(g, Got::Error(a) if a[0].to_string().contains("AUTH_FAILED"))
        )
        .await
        .is_some());

    let pid = child.id().expect("pid").to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .expect("kill");
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(15), child.wait())
        .await
        .expect("stops in time")
        .expect("status");
    assert!(status.success(), "{status:?}");
}
