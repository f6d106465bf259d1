//! Attachment previews and link opening through the app's real IPC path, in demo mode (the
//! simulator serves the attachments its messages carry; a build without the `demo` feature
//! runs the link test only).

mod common;

use common::TestApp;
use serde_json::json;

#[cfg(feature = "demo")]
mod demo {
    use super::*;
    use common::non_empty;
    use serde_json::Value;
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
        // A thumbnail made in Rust (the simulator's images are opaque: JPEG), not the file itself.
        assert!(
            preview.starts_with("data:image/jpeg;base64,/9j/"),
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

        // Only what the cache's messages carry, only http(s): anything else is refused unrequested.
        let unknown = format!("{}/../other.png", url.trim_end_matches('/'));
        for (url, code) in [
            (unknown.as_str(), "ATTACHMENT_REFUSED"),
            (
                "http://127.0.0.1:9/uploads/x/photo.png",
                "ATTACHMENT_REFUSED",
            ),
            ("file:///etc/passwd", "ATTACHMENT_REFUSED"),
            ("javascript:alert(1)", "ATTACHMENT_REFUSED"),
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

    /// The `attachments` kind of a `cache_stats` answer: (files, bytes).
    fn attachment_figures(app: &TestApp) -> (i64, i64) {
        let stats = app.ok("cache_stats", json!({}));
        let kind = stats["kinds"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|k| k["kind"] == "attachments")
            .cloned()
            .unwrap_or_else(|| panic!("no attachments kind in {stats}"));
        (
            kind["rows"].as_i64().unwrap_or(-1),
            kind["bytes"].as_i64().unwrap_or(-1),
        )
    }

    #[test]
    fn clear_cache_removes_the_attachment_files_and_the_figures_count_them() {
        let dir = tempfile::tempdir().expect("temp dir");
        let app = TestApp::launch(true, dir.path());
        let (message, url) = attachment_url(&app, "image");
        app.ok(
            "attachment_preview",
            json!({"messageId": message, "url": url}),
        );
        let cache = dir.path().join("demo").join("attachments");
        let bytes: u64 = std::fs::read_dir(&cache)
            .expect("the cache folder")
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum();
        assert_eq!(
            attachment_figures(&app),
            (1, i64::try_from(bytes).expect("size"))
        );
        let before = app.ok("cache_stats", json!({}));

        let report = app.ok("clear_cache", json!({}));
        assert_eq!(report["attachmentFilesRemoved"], 1, "{report}");
        assert_eq!(std::fs::read_dir(&cache).expect("folder").count(), 0);
        assert_eq!(attachment_figures(&app).0, 0);
        assert!(before["totalBytes"].as_i64() >= Some(i64::try_from(bytes).expect("size")));
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
