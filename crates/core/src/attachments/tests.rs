//! Downloads against a tiny HTTP server on a loopback port: it answers each path the way a
//! test wants (a body with or without `Content-Length`, an error status, a stall).

use super::*;
use crate::protocol::{ServerEvent, Timestamp};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone)]
struct Reply {
    status: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    /// Send `Content-Length` (else the body ends when the connection closes).
    length: bool,
    /// Headers first, then wait this long before the body.
    stall: Duration,
}

impl Reply {
    fn ok(content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status: "200 OK",
            content_type,
            body: body.into(),
            length: true,
            stall: Duration::ZERO,
        }
    }
}

struct Server {
    base: String,
    hits: Arc<AtomicUsize>,
}

async fn serve(routes: Vec<(&'static str, Reply)>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let routes: Arc<HashMap<&'static str, Reply>> = Arc::new(routes.into_iter().collect());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let routes = routes.clone();
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let head = String::from_utf8_lossy(&head);
                let path = head.split(' ').nth(1).unwrap_or("/").to_owned();
                let reply = routes.get(path.as_str()).cloned().unwrap_or(Reply {
                    status: "404 Not Found",
                    ..Reply::ok("text/plain", "nothing here")
                });
                let mut out = format!(
                    "HTTP/1.1 {}\r\nContent-Type: {}\r\nConnection: close\r\n",
                    reply.status, reply.content_type
                );
                if reply.length {
                    out.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
                }
                out.push_str("\r\n");
                let _ = stream.write_all(out.as_bytes()).await;
                let _ = stream.flush().await;
                tokio::time::sleep(reply.stall).await;
                let _ = stream.write_all(&reply.body).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    Server { base, hits }
}

/// A valid 2 x 1 PNG (not decoded here: only its header matters).
fn png_bytes() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend_from_slice(&2u32.to_be_bytes());
    bytes.extend_from_slice(&1u32.to_be_bytes());
    bytes.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

fn small(max: u64) -> Attachments {
    Attachments::with_limits(Limits {
        max_download: max,
        max_preview: max,
        timeout: Duration::from_millis(800),
        connect_timeout: Duration::from_secs(2),
    })
}

/// Files in the cache folder (a cut download leaves no `.part` behind).
fn cached_files(data: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cache_dir(data))
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

#[tokio::test]
async fn downloads_once_then_serves_from_the_cache() {
    let server = serve(vec![(
        "/up/u1/photo.PNG",
        Reply::ok("image/png", png_bytes()),
    )])
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = Attachments::new();
    let url = format!("{}/up/u1/photo.PNG", server.base);

    let path = attachments
        .fetch(data.path(), &url, MAX_DOWNLOAD_BYTES)
        .await
        .expect("downloads");
    assert_eq!(std::fs::read(&path).expect("cached"), png_bytes());
    assert_eq!(path.parent(), Some(cache_dir(data.path()).as_path()));
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    assert!(name.ends_with(".png") && name.len() == 64 + 4, "{name}");
    assert!(is_cached(data.path(), &url).await);

    let again = attachments
        .fetch(data.path(), &url, MAX_DOWNLOAD_BYTES)
        .await
        .expect("cache hit");
    assert_eq!(again, path);
    let preview = attachments
        .preview(data.path(), &url)
        .await
        .expect("preview");
    assert!(
        preview.starts_with("data:image/png;base64,iVBORw0KGgo"),
        "{preview}"
    );
    assert_eq!(server.hits.load(Ordering::SeqCst), 1, "one download only");
    assert_eq!(cached_files(data.path()), vec![name.to_owned()]);
}

#[tokio::test]
async fn refuses_what_is_too_large_by_header_or_by_stream() {
    let mut streamed = Reply::ok("application/octet-stream", vec![7u8; 5_000]);
    streamed.length = false;
    let server = serve(vec![
        (
            "/big",
            Reply::ok("application/octet-stream", vec![7u8; 5_000]),
        ),
        ("/streamed", streamed),
        (
            "/fits",
            Reply::ok("application/octet-stream", vec![7u8; 1_000]),
        ),
    ])
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = small(1_000);
    for path in ["/big", "/streamed"] {
        let error = attachments
            .fetch(data.path(), &format!("{}{path}", server.base), 1_000)
            .await
            .expect_err("too large");
        assert!(
            matches!(error, AttachmentError::TooLarge { limit: 1_000 }),
            "{path}: {error:?}"
        );
        assert_eq!(error.code(), "ATTACHMENT_TOO_LARGE");
    }
    assert!(cached_files(data.path()).is_empty(), "nothing kept");
    let fits = format!("{}/fits", server.base);
    attachments
        .fetch(data.path(), &fits, 1_000)
        .await
        .expect("exactly the limit is fine");
    // A cached file above a smaller limit (a preview's) is refused too.
    let error = attachments
        .fetch(data.path(), &fits, 999)
        .await
        .expect_err("above the smaller limit");
    assert!(matches!(error, AttachmentError::TooLarge { limit: 999 }));
}

#[tokio::test]
async fn only_http_and_https() {
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = Attachments::new();
    for url in [
        "ftp://example.com/a.pdf",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:image/png;base64,iVBORw0KGgo=",
        "sellerdesk://order/1",
        "/uploads/a.png",
        "uploads/a.png",
        "http://",
        "",
    ] {
        let error = attachments
            .fetch(data.path(), url, MAX_DOWNLOAD_BYTES)
            .await
            .expect_err(url);
        assert!(matches!(error, AttachmentError::UnsupportedUrl), "{url}");
        assert_eq!(error.code(), "ATTACHMENT_UNSUPPORTED_URL");
        let error = attachments
            .save(data.path(), url, Some("a.pdf"), data.path())
            .await
            .expect_err(url);
        assert_eq!(error.code(), "ATTACHMENT_UNSUPPORTED_URL");
    }
    assert!(!cache_dir(data.path()).exists());
}

#[tokio::test]
async fn errors_and_stalls_fail_the_download() {
    let mut stalled = Reply::ok("image/png", png_bytes());
    stalled.stall = Duration::from_secs(5);
    let server = serve(vec![("/stalled", stalled)]).await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = small(MAX_DOWNLOAD_BYTES);

    let error = attachments
        .fetch(
            data.path(),
            &format!("{}/missing", server.base),
            MAX_DOWNLOAD_BYTES,
        )
        .await
        .expect_err("404");
    assert_eq!(error.code(), "ATTACHMENT_DOWNLOAD_FAILED");
    assert!(error.to_string().contains("404"), "{error}");

    let error = attachments
        .fetch(
            data.path(),
            &format!("{}/stalled", server.base),
            MAX_DOWNLOAD_BYTES,
        )
        .await
        .expect_err("stalls");
    assert!(matches!(error, AttachmentError::TimedOut(_)), "{error:?}");
    assert_eq!(error.code(), "ATTACHMENT_DOWNLOAD_FAILED");

    // Nobody listens on the port of a dropped listener.
    let closed = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let error = attachments
        .fetch(
            data.path(),
            &format!("http://127.0.0.1:{port}/a.png"),
            MAX_DOWNLOAD_BYTES,
        )
        .await
        .expect_err("refused");
    assert_eq!(error.code(), "ATTACHMENT_DOWNLOAD_FAILED");
    assert!(cached_files(data.path()).is_empty());
}

#[tokio::test]
async fn previews_only_raster_images_recognized_by_their_bytes() {
    let server = serve(vec![
        ("/photo.jpg", Reply::ok("image/jpeg", png_bytes())),
        (
            "/fake.png",
            Reply::ok("image/png", "<html><script>alert(1)</script>"),
        ),
        (
            "/vector.svg",
            Reply::ok(
                "image/png",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            ),
        ),
        (
            "/big.png",
            Reply::ok("image/png", {
                let mut bytes = png_bytes();
                bytes.resize(3_000, 0);
                bytes
            }),
        ),
    ])
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = small(2_000);
    // The server says JPEG; the bytes say PNG: the bytes win.
    let preview = attachments
        .preview(data.path(), &format!("{}/photo.jpg", server.base))
        .await
        .expect("a PNG");
    assert!(preview.starts_with("data:image/png;base64,"));
    for path in ["/fake.png", "/vector.svg"] {
        let error = attachments
            .preview(data.path(), &format!("{}{path}", server.base))
            .await
            .expect_err(path);
        assert_eq!(error.code(), "ATTACHMENT_NOT_PREVIEWABLE", "{path}");
    }
    let error = attachments
        .preview(data.path(), &format!("{}/big.png", server.base))
        .await
        .expect_err("above the preview limit");
    assert_eq!(error.code(), "ATTACHMENT_TOO_LARGE");
}

#[tokio::test]
async fn saves_under_a_safe_name_without_replacing_files() {
    let server = serve(vec![
        (
            "/u/invoice.pdf",
            Reply::ok("application/pdf", "%PDF-1.4 one"),
        ),
        (
            "/u/Return%20label.pdf",
            Reply::ok("application/pdf", "%PDF-1.4 two"),
        ),
    ])
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let downloads = tempfile::tempdir().expect("downloads");
    let attachments = Attachments::new();
    let url = format!("{}/u/invoice.pdf", server.base);

    let first = attachments
        .save(data.path(), &url, Some("invoice.pdf"), downloads.path())
        .await
        .expect("saved");
    assert_eq!(first, downloads.path().join("invoice.pdf"));
    let second = attachments
        .save(data.path(), &url, Some("invoice.pdf"), downloads.path())
        .await
        .expect("saved again");
    assert_eq!(second, downloads.path().join("invoice (1).pdf"));
    assert_eq!(std::fs::read(&first).expect("first"), b"%PDF-1.4 one");
    assert_eq!(std::fs::read(&second).expect("second"), b"%PDF-1.4 one");

    let sneaky = attachments
        .save(data.path(), &url, Some("../../.bashrc"), downloads.path())
        .await
        .expect("saved");
    assert_eq!(sneaky, downloads.path().join("bashrc"));

    let unnamed = attachments
        .save(
            data.path(),
            &format!("{}/u/Return%20label.pdf", server.base),
            None,
            downloads.path(),
        )
        .await
        .expect("saved");
    assert_eq!(unnamed, downloads.path().join("Return label.pdf"));
    assert_eq!(
        server.hits.load(Ordering::SeqCst),
        2,
        "each URL downloaded once"
    );
}

#[test]
fn file_names_are_sanitized() {
    for (name, safe) in [
        ("invoice.pdf", "invoice.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\system32\\evil.dll", "evil.dll"),
        ("a<b>c:d\"e|f?g*h.txt", "a_b_c_d_e_f_g_h.txt"),
        ("  .hidden.  ", "hidden"),
        ("bell\u{7}\nname.txt", "bellname.txt"),
        ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
        ("zero\u{200B}width.png", "zerowidth.png"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("com1.log", "_com1.log"),
        ("console.log", "console.log"),
        ("...", "attachment"),
        ("", "attachment"),
        ("Crème brûlée 🍮.jpg", "Crème brûlée 🍮.jpg"),
    ] {
        assert_eq!(safe_file_name(name), safe, "{name:?}");
    }
    let long = format!("{}.pdf", "x".repeat(500));
    let cut = safe_file_name(&long);
    assert_eq!(cut.chars().count(), MAX_NAME_CHARS);
    assert!(cut.ends_with("x.pdf"));
}

#[test]
fn cache_names_come_from_the_url_never_its_file_name() {
    let name = |url: &str| cache_name(&parse(url).expect("url"));
    let a = name("https://cdn.example/u/1/photo.JPG");
    assert!(a.ends_with(".jpg") && a.len() == 68, "{a}");
    assert_ne!(a, name("https://cdn.example/u/2/photo.JPG"));
    for url in [
        "https://cdn.example/u/..%2F..%2Fevil",
        "https://cdn.example/u/a.tar/",
        "https://cdn.example/u/a.exe%00.png%2Fx",
        "https://cdn.example/u/a.waytoolongext",
        "https://cdn.example/",
    ] {
        let n = name(url);
        assert_eq!(n.len(), 64, "{url} -> {n}");
        assert!(n.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}

#[test]
fn images_are_recognized_by_their_first_bytes() {
    let png = sniff_image(&png_bytes()).expect("png");
    assert_eq!((png.mime, png.size), ("image/png", Some((2, 1))));
    let gif = sniff_image(b"GIF89a\x0a\x00\x05\x00rest").expect("gif");
    assert_eq!((gif.mime, gif.size), ("image/gif", Some((10, 5))));
    // SOI, an APP0 segment, then SOF0 with height 480 and width 640.
    let jpeg = [
        &[0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x4a, 0x46][..],
        &[0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03][..],
    ]
    .concat();
    let info = sniff_image(&jpeg).expect("jpeg");
    assert_eq!((info.mime, info.size), ("image/jpeg", Some((640, 480))));
    let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
    webp.extend_from_slice(&[0x3f, 0x01, 0x00, 0xef, 0x00, 0x00]); // 320 x 240
    let info = sniff_image(&webp).expect("webp");
    assert_eq!((info.mime, info.size), ("image/webp", Some((320, 240))));
    for other in [
        &b"<svg xmlns='http://www.w3.org/2000/svg'/>"[..],
        b"<html>",
        b"%PDF-1.4",
        b"\0\0\0\x18ftypheic",
        b"",
    ] {
        assert_eq!(sniff_image(other), None);
    }
    // A huge image in a small file is not previewed.
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    assert!(sniff_image(&bomb).and_then(|i| i.pixels()) > Some(MAX_PREVIEW_PIXELS));
}

#[tokio::test]
async fn only_urls_of_cached_messages_are_known() {
    let store = Store::open_in_memory().await.expect("store");
    let url = "https://cdn.example/uploads/u1/photo.png";
    let message = ServerEvent::decode(
        "chat.message",
        &[serde_json::json!({
            "id": "m1", "conversationId": "c1",
            "sender": {"id": "b1", "name": "Buyer", "avatar": ""},
            "content": "look", "timestamp": 1_795_000_000_000_i64, "status": "sent",
            "attachments": [{"type": "image", "url": url, "name": "photo.png", "size": 10}],
        })],
    )
    .expect("decodes");
    let now = Timestamp::from_millis(1_795_000_000_000).expect("time");
    store.apply(&[message], now).await.expect("applied");
    assert!(is_known(&store, "m1", url).await.expect("query"));
    assert!(
        !is_known(&store, "m2", url).await.expect("query"),
        "only the message that carries it"
    );
    assert!(
        !is_known(&store, "m1", "https://cdn.example/uploads/u1/other.png")
            .await
            .expect("query")
    );
    assert!(!is_known(&store, "m1", "https://cdn.example/uploads/u1/")
        .await
        .expect("query"));
    assert!(!is_known(&store, "m1", "%").await.expect("query"));
}
