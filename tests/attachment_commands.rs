//! Attachment previews and link opening through the app's real IPC path, in demo mode (the
//! simulator serves the attachments its messages carry).

mod common;

use common::{non_empty, TestApp};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The messages of a `list_messages` answer (a page object, or a plain list).
fn messages(answer: &Value) -> Vec<Value> {
    answer
        .get("messages")
        .unwrap_or(answer)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The message id and URL of an attachment of kind `kind` in the cached messages, once one is there.
fn attachment_url(app: &TestApp, kind: &str) -> (String, String) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let conversations = app.wait_for(
            "cached conversations",
            "list_conversations",
            json!({}),
            non_empty,
        );
        for conversation in conversations.as_array().into_iter().flatten() {
            let answer = app.ok(
                "list_messages",
                json!({"conversationId": conversation["id"]}),
            );
            for message in messages(&answer) {
                for attachment in message["attachments"].as_array().into_iter().flatten() {
                    if attachment["type"] == kind {
                        if let (Some(id), Some(url)) =
                            (message["id"].as_str(), attachment["url"].as_str())
                        {
                            return (id.to_owned(), url.to_owned());
                        }
                    }
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "no {kind} attachment in the cache"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn previews_come_as_data_urls_and_only_for_cached_attachments() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(true, dir.path());

    let (message, url) = attachment_url(&app, "image");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let preview = app.ok(
        "attachment_preview",
        json!({"messageId": message, "url": url}),
    );
    let preview = preview.as_str().expect("a string");
    assert!(
        preview.starts_with("data:image/png;base64,iVBORw0KGgo"),
        "{}",
        &preview[..preview.len().min(60)]
    );
    let cached: Vec<_> = std::fs::read_dir(dir.path().join("demo").join("attachments"))
        .expect("the cache folder")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(cached.len(), 1, "one cached file");

    // A file is no image: no preview, whatever its URL says.
    let (file_message, file) = attachment_url(&app, "file");
    let error = app
        .invoke(
            "attachment_preview",
            json!({"messageId": file_message, "url": file}),
        )
        .expect_err("not an image");
    assert_eq!(error["code"], "ATTACHMENT_NOT_PREVIEWABLE", "{error}");

    // Only what the cache's messages carry, only http(s).
    let unknown = format!("{}/../other.png", url.trim_end_matches('/'));
    for (url, code) in [
        (unknown.as_str(), "ATTACHMENT_UNKNOWN"),
        (
            "http://127.0.0.1:9/uploads/x/photo.png",
            "ATTACHMENT_UNKNOWN",
        ),
        ("file:///etc/passwd", "ATTACHMENT_UNSUPPORTED_URL"),
        ("javascript:alert(1)", "ATTACHMENT_UNSUPPORTED_URL"),
    ] {
        let error = app
            .invoke(
                "attachment_preview",
                json!({"messageId": message, "url": url}),
            )
            .expect_err(url);
        assert_eq!(error["code"], code, "{url}: {error}");
        let error = app
            .invoke(
                "save_attachment",
                json!({"messageId": message, "url": url, "name": "x.png"}),
            )
            .expect_err(url);
        assert_eq!(error["code"], code, "{url}: {error}");
    }
}

#[test]
fn only_web_and_mail_links_are_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = TestApp::launch(false, dir.path());
    for url in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "sellerdesk://order/1",
        "/relative",
        "",
    ] {
        let error = app.invoke("open_link", json!({"url": url})).expect_err(url);
        assert_eq!(
            error,
            json!({"code": "LINK_REFUSED", "message": "only http, https and mailto links can be opened"}),
            "{url}"
        );
    }
}
