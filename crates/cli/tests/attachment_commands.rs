//! `attachments MESSAGE_ID` and `attachment save MESSAGE_ID URL [--to DIR] [--json]`: the
//! contract tools rely on. Against the simulator (it serves the files its messages carry, on the
//! marketplace's own loopback host) with the token in the real keychain; and, with no server at
//! all, the refusals: a canary HTTP server on 127.0.0.2 must see no request.

mod common;

use common::json_of;
use common::real_services_expected;
use marketplace_sim::{SimConfig, Simulator};
use sellerdesk_core::protocol::{ServerEvent, Timestamp};
use sellerdesk_core::store::Store;
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn cli_env(data_dir: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sellerdesk-cli"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("cli starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("cli finishes")
}

fn cli(data_dir: &Path, args: &[&str]) -> Output {
    cli_env(data_dir, args, None, &[])
}

/// Asserts exit code 1 with `code` in the error, and returns stderr.
fn fails_with(output: &Output, code: &str) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(code), "expected {code}: {stderr}");
    assert!(output.stdout.is_empty(), "nothing on stdout");
    stderr
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Caches one message carrying `attachments` (as the server would send them).
async fn cache_message(data_dir: &Path, id: &str, attachments: Value) {
    let store = Store::open(data_dir).await.expect("store");
    let message = ServerEvent::decode(
        "chat.message",
        &[json!({
            "id": id, "conversationId": "conv-att",
            "sender": {"id": "b1", "name": "Buyer", "avatar": ""},
            "content": "see attached", "timestamp": 1_795_000_000_000_i64, "status": "sent",
            "attachments": attachments,
        })],
    )
    .expect("decodes");
    let now = Timestamp::from_millis(1_795_000_000_000).expect("time");
    store.apply(&[message], now).await.expect("applied");
    store.close().await;
}

/// A TCP listener on 127.0.0.2 that counts connections and answers each with an image.
async fn canary() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.2:0")
        .await
        .expect("bind 127.0.0.2");
    let port = listener.local_addr().expect("addr").port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            use tokio::io::AsyncWriteExt;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nGIF8")
                .await;
        }
    });
    (port, hits)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_and_unknown_urls_exit_1_and_request_nothing() {
    let (port, hits) = canary().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let to = dir.path().join("to");
    let direct = format!("http://127.0.0.2:{port}/x.png");
    let mapped = format!("http://[::ffff:127.0.0.2]:{port}/x.png");
    let decimal = format!("http://2130706434:{port}/x.png");
    let userinfo = format!("http://cdn.example@127.0.0.2:{port}/x.png");
    cache_message(
        &data,
        "m-evil",
        json!([
            {"type": "image", "url": direct, "name": "x.png"},
            {"type": "image", "url": mapped, "name": "x.png"},
            {"type": "image", "url": decimal, "name": "x.png"},
            {"type": "image", "url": userinfo, "name": "x.png"},
            {"type": "file", "url": "file:///etc/passwd", "name": "passwd"},
            {"type": "file", "url": "https://cdn.example/u/setup.exe", "name": "setup.exe"},
        ]),
    )
    .await;
    let to_arg = to.to_string_lossy().into_owned();
    for url in [
        direct.as_str(),
        &mapped,
        &decimal,
        &userinfo,
        "file:///etc/passwd",
    ] {
        for json in [false, true] {
            let mut args = vec!["attachment", "save", "m-evil", url, "--to", &to_arg];
            if json {
                args.push("--json");
            }
            fails_with(&cli(&data, &args), "ATTACHMENT_REFUSED");
        }
    }
    // A URL the named message does not carry (another message's, or none's).
    cache_message(&data, "m-other", json!([])).await;
    for (message, url) in [("m-other", direct.as_str()), ("m-none", direct.as_str())] {
        let output = cli(
            &data,
            &["attachment", "save", message, url, "--to", &to_arg],
        );
        fails_with(&output, "ATTACHMENT_REFUSED");
    }
    // An executable type needs --allow-executable, asked before anything is downloaded.
    let output = cli(
        &data,
        &[
            "attachment",
            "save",
            "m-evil",
            "https://cdn.example/u/setup.exe",
            "--to",
            &to_arg,
        ],
    );
    let stderr = fails_with(&output, "ATTACHMENT_NEEDS_CONFIRMATION");
    assert!(stderr.contains("--allow-executable"), "{stderr}");
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the canary saw a request");
    assert!(files_in(&to).is_empty(), "nothing saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_shows_safe_names_to_people_and_exact_json_to_tools() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = "invoice\u{1b}]0;pwned\u{7}\u{202E}fdp.exe";
    cache_message(
        dir.path(),
        "m-1",
        json!([
            {"type": "file", "url": "https://cdn.example/u/a.exe", "name": hostile, "size": 10},
            {"type": "image", "url": "https://cdn.example/u/photo%20one.png"},
        ]),
    )
    .await;
    let listed = json_of(&cli(dir.path(), &["attachments", "m-1", "--json"]));
    assert_eq!(listed[0]["name"], hostile, "JSON keeps the server's bytes");
    assert_eq!(listed[0]["displayName"], "invoice]0;pwnedfdp.exe");
    assert_eq!(listed[0]["url"], "https://cdn.example/u/a.exe");
    assert_eq!(listed[1]["displayName"], "photo one.png");
    assert_eq!(listed[1]["type"], "image");

    let human = cli(dir.path(), &["attachments", "m-1"]);
    assert!(human.status.success());
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(!text.contains(['\u{1b}', '\u{7}', '\u{202E}']), "{text:?}");
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.contains("invoice]0;pwnedfdp.exe") && text.contains("photo one.png"),
        "{text}"
    );

    fails_with(
        &cli(dir.path(), &["attachments", "m-missing"]),
        "MESSAGE_NOT_FOUND",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saves_from_the_marketplace_into_the_folder_never_replacing_a_file() {
    if !real_services_expected("saves_from_the_marketplace_into_the_folder_never_replacing_a_file")
    {
        return;
    }
    let sim = Simulator::start(SimConfig {
        seed: Some(23),
        rate: 30.0,
        ..SimConfig::default()
    })
    .await
    .expect("simulator starts");
    let token = sim.issue_token("seller-1");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let login = cli_env(
        &data,
        &["login", "--server", &sim.url(), "--token-stdin"],
        Some(&token),
        &[],
    );
    assert!(
        login.status.success(),
        "login: {}",
        String::from_utf8_lossy(&login.stderr)
    );

    // Sync until a message with an attachment of each kind is cached.
    let mut found: Option<(String, String, String)> = None;
    for _ in 0..5 {
        let sync = cli(&data, &["sync", "--for", "2"]);
        assert!(
            sync.status.success(),
            "sync: {}",
            String::from_utf8_lossy(&sync.stderr)
        );
        for line in String::from_utf8_lossy(&sync.stdout).lines() {
            let line: Value = serde_json::from_str(line).expect("json line");
            if line["event"] != "chat.message" {
                continue;
            }
            let data = &line["data"];
            for attachment in data["attachments"].as_array().into_iter().flatten() {
                if let (Some(id), Some(url), Some(kind)) = (
                    data["id"].as_str(),
                    attachment["url"].as_str(),
                    attachment["type"].as_str(),
                ) {
                    found.get_or_insert((id.to_owned(), url.to_owned(), kind.to_owned()));
                }
            }
        }
        if found.is_some() {
            break;
        }
    }
    let (message, url, _kind) = found.expect("the simulator sent an attachment");
    assert!(url.starts_with(&sim.url()), "{url}");

    let listed = json_of(&cli(&data, &["attachments", &message, "--json"]));
    let entry = listed
        .as_array()
        .expect("array")
        .iter()
        .find(|a| a["url"] == url.as_str())
        .cloned()
        .expect("listed");
    let name = entry["displayName"]
        .as_str()
        .expect("display name")
        .to_owned();

    let to = dir.path().join("saved here");
    let to_arg = to.to_string_lossy().into_owned();
    let first = json_of(&cli(
        &data,
        &[
            "attachment",
            "save",
            &message,
            &url,
            "--to",
            &to_arg,
            "--json",
        ],
    ));
    let first_path = Path::new(first["path"].as_str().expect("path")).to_owned();
    assert_eq!(first.as_object().map(|o| o.len()), Some(1), "{first}");
    assert_eq!(first_path, to.join(&name));
    let original = std::fs::read(&first_path).expect("saved file");
    assert!(!original.is_empty());

    // Again, in human form: the path alone, a new file beside the first.
    let second = cli(
        &data,
        &["attachment", "save", &message, &url, "--to", &to_arg],
    );
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let printed = String::from_utf8_lossy(&second.stdout);
    let second_path = Path::new(printed.trim_end_matches('\n')).to_owned();
    assert_eq!(printed.lines().count(), 1, "{printed}");
    assert_ne!(second_path, first_path);
    assert_eq!(second_path.parent(), Some(to.as_path()));
    assert_eq!(
        std::fs::read(&first_path).expect("first"),
        original,
        "never replaced"
    );
    assert_eq!(std::fs::read(&second_path).expect("second"), original);

    // Without --to: the Downloads folder the desktop names.
    let home = dir.path().join("home");
    let config = home.join(".config");
    std::fs::create_dir_all(&config).expect("config");
    std::fs::write(
        config.join("user-dirs.dirs"),
        "XDG_DOWNLOAD_DIR=\"$HOME/Fetched\"\n",
    )
    .expect("user dirs");
    let default = cli_env(
        &data,
        &["attachment", "save", &message, &url, "--json"],
        None,
        &[("HOME", &home), ("XDG_CONFIG_HOME", &config)],
    );
    let saved = json_of(&default);
    assert_eq!(
        Path::new(saved["path"].as_str().expect("path")),
        home.join("Fetched").join(&name)
    );
    sim.shutdown().await;
}

#[test]
fn an_exact_contract_in_the_help() {
    let help = Command::new(env!("CARGO_BIN_EXE_sellerdesk-cli"))
        .args(["attachment", "save", "--help"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&help.stdout);
    for part in [
        "<MESSAGE_ID>",
        "<URL>",
        "--to <DIR>",
        "--json",
        "--allow-executable",
    ] {
        assert!(text.contains(part), "{part} missing: {text}");
    }
}
