//! Downloads against tiny HTTP servers on loopback ports: one plays the marketplace (it answers
//! each path the way a test wants: a body, an error, a stall, a redirect), and a canary on
//! `127.0.0.2` must never see a connection, whatever URL, redirect or DNS answer a buyer
//! arranges.

use super::*;
use crate::protocol::{ServerEvent, Timestamp};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    location: Option<String>,
}

impl Reply {
    fn ok(content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status: "200 OK",
            content_type,
            body: body.into(),
            length: true,
            stall: Duration::ZERO,
            location: None,
        }
    }

    fn redirect(to: impl Into<String>) -> Self {
        Self {
            status: "302 Found",
            location: Some(to.into()),
            ..Self::ok("text/plain", "")
        }
    }
}

struct Server {
    base: String,
    port: u16,
    /// Connections accepted.
    hits: Arc<AtomicUsize>,
}

async fn serve_on(ip: &str, routes: Vec<(String, Reply)>) -> Server {
    let listener = TcpListener::bind((ip, 0)).await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let base = format!("http://{ip}:{port}");
    let routes: Arc<HashMap<String, Reply>> = Arc::new(routes.into_iter().collect());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let routes = routes.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head);
                let path = head.split(' ').nth(1).unwrap_or("/").to_owned();
                let reply = routes.get(&path).cloned().unwrap_or(Reply {
                    status: "404 Not Found",
                    ..Reply::ok("text/plain", "nothing here")
                });
                let mut out = format!(
                    "HTTP/1.1 {}\r\nContent-Type: {}\r\nConnection: close\r\n",
                    reply.status, reply.content_type
                );
                if let Some(location) = &reply.location {
                    out.push_str(&format!("Location: {location}\r\n"));
                }
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
    Server { base, port, hits }
}

async fn serve(routes: Vec<(&str, Reply)>) -> Server {
    let routes = routes.into_iter().map(|(p, r)| (p.to_owned(), r)).collect();
    serve_on("127.0.0.1", routes).await
}

/// The server that must see nothing: it answers every path with an image.
async fn canary() -> Server {
    let routes = ["/", "/x.png", "/latest/meta-data/"]
        .into_iter()
        .map(|p| (p.to_owned(), Reply::ok("image/png", png(4, 4, false))))
        .collect();
    serve_on("127.0.0.2", routes).await
}

/// A name server of the test's choosing.
struct FakeDns(HashMap<&'static str, Vec<IpAddr>>);

impl Lookup for FakeDns {
    fn lookup(
        &self,
        host: String,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = io::Result<Vec<IpAddr>>> + Send>> {
        let found = self.0.get(host.as_str()).cloned();
        Box::pin(async move {
            found.ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such host"))
        })
    }
}

fn with_dns(names: &[(&'static str, &str)]) -> Attachments {
    let mut map: HashMap<&'static str, Vec<IpAddr>> = HashMap::new();
    for (name, ip) in names {
        map.entry(name).or_default().push(ip.parse().expect("ip"));
    }
    Attachments::with_lookup(Limits::default(), Arc::new(FakeDns(map)))
}

/// A real PNG of `width` x `height` (with an alpha channel when `alpha`).
fn png(width: u32, height: u32, alpha: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let image = if alpha {
        ::image::DynamicImage::ImageRgba8(::image::RgbaImage::from_pixel(
            width,
            height,
            ::image::Rgba([10, 20, 30, 128]),
        ))
    } else {
        ::image::DynamicImage::ImageRgb8(::image::RgbImage::from_fn(width, height, |x, y| {
            ::image::Rgb([(x % 256) as u8, (y % 256) as u8, 99])
        }))
    };
    image
        .write_to(&mut io::Cursor::new(&mut out), ::image::ImageFormat::Png)
        .expect("encode");
    out
}

fn small(max: u64) -> Attachments {
    Attachments::with_limits(Limits {
        max_download: max,
        max_preview: max,
        timeout: Duration::from_millis(800),
        connect_timeout: Duration::from_secs(2),
        max_cache: MAX_CACHE_BYTES,
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

fn scope<'a>(data: &'a Path, server: &'a Server) -> Scope<'a> {
    Scope::new(data, Some(&server.base))
}

#[tokio::test]
async fn downloads_once_then_serves_from_the_cache() {
    let server = serve(vec![(
        "/up/u1/photo.PNG",
        Reply::ok("image/png", png(2, 1, false)),
    )])
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = Attachments::new();
    let url = format!("{}/up/u1/photo.PNG", server.base);
    let at = scope(data.path(), &server);

    let path = attachments
        .fetch(at, &url, MAX_DOWNLOAD_BYTES)
        .await
        .expect("downloads");
    assert_eq!(std::fs::read(&path).expect("cached"), png(2, 1, false));
    assert_eq!(path.parent(), Some(cache_dir(data.path()).as_path()));
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    assert!(name.ends_with(".png") && name.len() == 64 + 4, "{name}");
    assert!(is_cached(data.path(), &url).await);

    let again = attachments
        .fetch(at, &url, MAX_DOWNLOAD_BYTES)
        .await
        .expect("cache hit");
    assert_eq!(again, path);
    let preview = attachments.preview(at, &url).await.expect("preview");
    // An opaque image comes back as a JPEG thumbnail made here, not the buyer's bytes.
    assert!(
        preview.starts_with("data:image/jpeg;base64,/9j/"),
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
    let at = scope(data.path(), &server);
    for path in ["/big", "/streamed"] {
        let error = attachments
            .fetch(at, &format!("{}{path}", server.base), 1_000)
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
        .fetch(at, &fits, 1_000)
        .await
        .expect("exactly the limit is fine");
    // A cached file above a smaller limit (a preview's) is refused too.
    let error = attachments
        .fetch(at, &fits, 999)
        .await
        .expect_err("above the smaller limit");
    assert!(matches!(error, AttachmentError::TooLarge { limit: 999 }));
}

#[tokio::test]
async fn only_http_and_https() {
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = Attachments::new();
    let at = Scope::new(data.path(), None);
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
            .fetch(at, url, MAX_DOWNLOAD_BYTES)
            .await
            .expect_err(url);
        assert!(matches!(error, AttachmentError::Refused(_)), "{url}");
        assert_eq!(error.code(), "ATTACHMENT_REFUSED");
        let error = attachments
            .save(at, url, Some("a.pdf"), data.path(), false)
            .await
            .expect_err(url);
        assert_eq!(error.code(), "ATTACHMENT_REFUSED");
    }
    assert!(!cache_dir(data.path()).exists());
}

/// Asserts `url` is refused (`ATTACHMENT_REFUSED`) and the canary saw nothing.
async fn assert_refused(attachments: &Attachments, at: Scope<'_>, url: &str, canary: &Server) {
    let error = attachments
        .fetch(at, url, MAX_DOWNLOAD_BYTES)
        .await
        .expect_err(url);
    assert_eq!(error.code(), "ATTACHMENT_REFUSED", "{url}: {error:?}");
    let error = attachments.preview(at, url).await.expect_err(url);
    assert_eq!(error.code(), "ATTACHMENT_REFUSED", "{url}: {error:?}");
    assert_eq!(
        canary.hits.load(Ordering::SeqCst),
        0,
        "{url} reached the canary"
    );
}

#[tokio::test]
async fn the_canary_sees_no_request_for_any_form_of_its_address() {
    let canary = canary().await;
    let marketplace = serve(vec![]).await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = Attachments::new();
    let at = scope(data.path(), &marketplace);
    let port = canary.port;
    for url in [
        format!("http://127.0.0.2:{port}/x.png"),
        format!("https://127.0.0.2:{port}/x.png"),
        // Decimal, hex, octal and short forms (the URL parser reads them all as 127.0.0.2).
        format!("http://2130706434:{port}/x.png"),
        format!("http://0x7f000002:{port}/x.png"),
        format!("http://0177.0.0.02:{port}/x.png"),
        format!("http://127.2:{port}/x.png"),
        // IPv4-mapped and -compatible IPv6, and NAT64.
        format!("http://[::ffff:127.0.0.2]:{port}/x.png"),
        format!("http://[::ffff:7f00:2]:{port}/x.png"),
        format!("http://[::127.0.0.2]:{port}/x.png"),
        format!("http://[64:ff9b::7f00:2]:{port}/x.png"),
        // User info that names the marketplace in front of the real host.
        format!(
            "http://127.0.0.1:{}@127.0.0.2:{port}/x.png",
            marketplace.port
        ),
        format!("http://seller:secret@127.0.0.2:{port}/x.png"),
        format!("http://a@127.0.0.1:{}/x.png", marketplace.port),
    ] {
        assert_refused(&attachments, at, &url, &canary).await;
    }
    assert_eq!(marketplace.hits.load(Ordering::SeqCst), 0);
    assert!(cached_files(data.path()).is_empty());
}

#[tokio::test]
async fn no_redirect_from_the_marketplace_reaches_the_canary() {
    let canary = canary().await;
    let port = canary.port;
    let to_ip = format!("http://127.0.0.2:{port}/x.png");
    let to_mapped = format!("http://[::ffff:127.0.0.2]:{port}/x.png");
    let to_name = format!("http://evil.test:{port}/x.png");
    let marketplace = serve(vec![
        ("/to-ip.png", Reply::redirect(to_ip)),
        ("/to-mapped.png", Reply::redirect(to_mapped)),
        ("/to-name.png", Reply::redirect(to_name)),
        ("/hop.png", Reply::redirect("/to-ip.png")),
        ("/to-file.png", Reply::redirect("file:///etc/passwd")),
        ("/photo.png", Reply::ok("image/png", png(3, 3, false))),
        ("/moved.png", Reply::redirect("/photo.png")),
    ])
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = with_dns(&[("evil.test", "127.0.0.2")]);
    let at = scope(data.path(), &marketplace);
    for path in ["/to-ip.png", "/to-mapped.png", "/to-name.png", "/hop.png"] {
        let url = format!("{}{path}", marketplace.base);
        assert_refused(&attachments, at, &url, &canary).await;
    }
    let error = attachments
        .fetch(
            at,
            &format!("{}/to-file.png", marketplace.base),
            MAX_DOWNLOAD_BYTES,
        )
        .await
        .expect_err("file: redirect");
    assert!(
        matches!(
            error.code(),
            "ATTACHMENT_REFUSED" | "ATTACHMENT_DOWNLOAD_FAILED"
        ),
        "{error:?}"
    );
    // A redirect within the marketplace is followed.
    attachments
        .fetch(
            at,
            &format!("{}/moved.png", marketplace.base),
            MAX_DOWNLOAD_BYTES,
        )
        .await
        .expect("same-origin redirect");
    assert_eq!(canary.hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn redirects_are_capped() {
    let marketplace = serve(
        (0..8)
            .map(|i| (format!("/r{i}"), Reply::redirect(format!("/r{}", i + 1))))
            .map(|(p, r)| (Box::leak(p.into_boxed_str()) as &str, r))
            .collect(),
    )
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let error = Attachments::new()
        .fetch(
            scope(data.path(), &marketplace),
            &format!("{}/r0", marketplace.base),
            MAX_DOWNLOAD_BYTES,
        )
        .await
        .expect_err("loops");
    assert_eq!(error.code(), "ATTACHMENT_DOWNLOAD_FAILED", "{error:?}");
    assert!(error.to_string().contains("redirects"), "{error}");
    assert_eq!(marketplace.hits.load(Ordering::SeqCst), MAX_REDIRECTS + 1);
}

#[tokio::test]
async fn host_names_are_checked_on_the_address_they_resolve_to() {
    let canary = canary().await;
    let port = canary.port;
    let data = tempfile::tempdir().expect("temp dir");
    // A buyer's name for the canary, one that also lists a documentation address, and the
    // metadata service's address behind a name.
    let attachments = with_dns(&[
        ("evil.test", "127.0.0.2"),
        ("mixed.test", "203.0.113.9"),
        ("mixed.test", "127.0.0.2"),
        ("mapped.test", "::ffff:127.0.0.2"),
    ]);
    let at = Scope::new(data.path(), Some("https://market.example"));
    for url in [
        format!("http://evil.test:{port}/x.png"),
        format!("http://EVIL.test:{port}/x.png"),
        format!("http://mixed.test:{port}/x.png"),
        format!("http://mapped.test:{port}/x.png"),
        format!("http://market.example@evil.test:{port}/x.png"),
    ] {
        assert_refused(&attachments, at, &url, &canary).await;
    }
    // A name that does not resolve fails as a download, not as a refusal.
    let error = attachments
        .fetch(at, "http://nowhere.test/x.png", MAX_DOWNLOAD_BYTES)
        .await
        .expect_err("no such host");
    assert_eq!(error.code(), "ATTACHMENT_DOWNLOAD_FAILED", "{error:?}");
}

#[tokio::test]
async fn the_marketplace_own_host_may_be_local_and_nothing_else() {
    let server = serve(vec![(
        "/photo.png",
        Reply::ok("image/png", png(3, 3, false)),
    )])
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = with_dns(&[
        ("market.test", "127.0.0.1"),
        ("evil.test", "127.0.0.1"),
        ("localhost", "127.0.0.1"),
        ("localhost", "::1"),
    ]);
    let url = format!("{}/photo.png", server.base);

    // The demo: a marketplace on 127.0.0.1 serves its own uploads.
    attachments
        .fetch(scope(data.path(), &server), &url, MAX_DOWNLOAD_BYTES)
        .await
        .expect("the marketplace's own host");
    // A LAN marketplace known by name.
    let named = format!("http://market.test:{}", server.port);
    attachments
        .fetch(
            Scope::new(data.path(), Some(&named)),
            &format!("{named}/photo.png"),
            MAX_DOWNLOAD_BYTES,
        )
        .await
        .expect("the marketplace's own name");
    let hits = server.hits.load(Ordering::SeqCst);
    assert_eq!(hits, 2);

    let other_data = tempfile::tempdir().expect("temp dir");
    let elsewhere = Scope::new(other_data.path(), Some("https://market.example"));
    for refused in [
        // Not signed in to it.
        url.clone(),
        format!("http://evil.test:{}/photo.png", server.port),
        format!("http://localhost:{}/photo.png", server.port),
    ] {
        let error = attachments
            .fetch(elsewhere, &refused, MAX_DOWNLOAD_BYTES)
            .await
            .expect_err(&refused);
        assert_eq!(error.code(), "ATTACHMENT_REFUSED", "{refused}: {error:?}");
    }
    // The marketplace's host on another port is not the marketplace.
    let other_port = Scope::new(other_data.path(), Some("http://127.0.0.1:9"));
    let error = attachments
        .fetch(other_port, &url, MAX_DOWNLOAD_BYTES)
        .await
        .expect_err("another port");
    assert_eq!(error.code(), "ATTACHMENT_REFUSED");
    let named_other_port = Scope::new(other_data.path(), Some("http://market.test:9"));
    let error = attachments
        .fetch(
            named_other_port,
            &format!("http://market.test:{}/photo.png", server.port),
            MAX_DOWNLOAD_BYTES,
        )
        .await
        .expect_err("another port of the marketplace's name");
    assert_eq!(error.code(), "ATTACHMENT_REFUSED");
    assert_eq!(server.hits.load(Ordering::SeqCst), hits, "no request");
}

#[tokio::test]
async fn a_redirect_to_the_marketplace_name_on_another_port_is_refused() {
    let canary = canary().await;
    let target = format!("http://market.test:{}/x.png", canary.port);
    let server = serve(vec![("/away.png", Reply::redirect(target))]).await;
    let data = tempfile::tempdir().expect("temp dir");
    // The marketplace's name resolves to the canary's address too (a LAN host serving more).
    let attachments = with_dns(&[("market.test", "127.0.0.1"), ("market.test", "127.0.0.2")]);
    let own = format!("http://market.test:{}", server.port);
    let url = format!("{own}/away.png");
    assert_refused(
        &attachments,
        Scope::new(data.path(), Some(&own)),
        &url,
        &canary,
    )
    .await;
    assert!(
        server.hits.load(Ordering::SeqCst) >= 1,
        "the marketplace was asked"
    );
}

#[test]
fn public_addresses_only() {
    for ip in [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.216.34",
        "100.63.255.255",
        "100.128.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "192.0.1.1",
        "198.17.255.255",
        "198.20.0.0",
        "223.255.255.255",
        "2606:4700::1111",
        "2a00:1450:4001::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
    ] {
        assert!(policy::is_public(ip.parse().expect(ip)), "{ip} is public");
    }
    for ip in [
        "0.0.0.0",
        "0.1.2.3",
        "10.0.0.1",
        "100.64.0.1",
        "100.127.255.255",
        "127.0.0.1",
        "127.0.0.2",
        "169.254.169.254",
        "172.16.0.1",
        "172.31.255.255",
        "192.0.0.8",
        "192.0.2.1",
        "192.88.99.1",
        "192.168.1.1",
        "198.18.0.1",
        "198.19.255.255",
        "198.51.100.1",
        "203.0.113.1",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "::127.0.0.1",
        "64:ff9b::a00:1",
        "64:ff9b::7f00:1",
        "64:ff9b:1::1",
        "2002:7f00:1::1",
        "2002:a00:1::1",
        "fe80::1",
        "febf::1",
        "fec0::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "2001:db8::1",
        "2001::1",
        "2001:2::1",
        "3fff::1",
        "100::1",
    ] {
        assert!(
            !policy::is_public(ip.parse().expect(ip)),
            "{ip} is not public"
        );
    }
}

#[test]
fn the_marketplace_is_its_host_and_port() {
    let own = policy::Marketplace::from_server_url("https://Market.Example").expect("url");
    let url = |u: &str| reqwest::Url::parse(u).expect("url");
    assert!(own.serves(&url("https://market.example/u/a.png")));
    assert!(own.serves(&url("https://market.example:443/u/a.png")));
    assert!(!own.serves(&url("http://market.example/u/a.png")));
    assert!(!own.serves(&url("https://market.example:8443/u/a.png")));
    assert!(!own.serves(&url("https://cdn.market.example/u/a.png")));
    let demo = policy::Marketplace::from_server_url("http://127.0.0.1:4000").expect("url");
    assert!(demo.serves(&url("http://127.0.0.1:4000/uploads/x")));
    assert!(!demo.serves(&url("http://127.0.0.1:22/")));
    assert!(!demo.serves(&url("http://localhost:4000/")));
    let ws = policy::Marketplace::from_server_url("wss://market.example").expect("url");
    assert!(ws.serves(&url("https://market.example/u/a.png")));
}

#[tokio::test]
async fn errors_and_stalls_fail_the_download() {
    let mut stalled = Reply::ok("image/png", png(2, 2, false));
    stalled.stall = Duration::from_secs(5);
    let server = serve(vec![("/stalled", stalled)]).await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = small(MAX_DOWNLOAD_BYTES);
    let at = scope(data.path(), &server);

    let error = attachments
        .fetch(at, &format!("{}/missing", server.base), MAX_DOWNLOAD_BYTES)
        .await
        .expect_err("404");
    assert_eq!(error.code(), "ATTACHMENT_DOWNLOAD_FAILED");
    assert!(error.to_string().contains("404"), "{error}");

    let error = attachments
        .fetch(at, &format!("{}/stalled", server.base), MAX_DOWNLOAD_BYTES)
        .await
        .expect_err("stalls");
    assert!(matches!(error, AttachmentError::TimedOut(_)), "{error:?}");
    assert_eq!(error.code(), "ATTACHMENT_DOWNLOAD_FAILED");

    // Nobody listens on the port of a dropped listener.
    let closed = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let marketplace = format!("http://127.0.0.1:{port}");
    let error = attachments
        .fetch(
            Scope::new(data.path(), Some(&marketplace)),
            &format!("{marketplace}/a.png"),
            MAX_DOWNLOAD_BYTES,
        )
        .await
        .expect_err("refused");
    assert_eq!(error.code(), "ATTACHMENT_DOWNLOAD_FAILED");
    assert!(cached_files(data.path()).is_empty());
}

#[tokio::test]
async fn previews_are_thumbnails_of_raster_images_recognized_by_their_bytes() {
    let server = serve(vec![
        (
            "/photo.jpg",
            Reply::ok("image/jpeg", png(3_000, 200, false)),
        ),
        ("/logo.png", Reply::ok("image/png", png(40, 30, true))),
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
            "/damaged.png",
            Reply::ok("image/png", {
                let mut bytes = png(64, 64, false);
                bytes.truncate(60);
                bytes
            }),
        ),
        ("/big.png", Reply::ok("image/png", vec![0x89; 3_000_000])),
    ])
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = small(2_000_000);
    let at = scope(data.path(), &server);
    let decode = |data_url: &str| {
        let (head, body) = data_url.split_once(',').expect("data URL");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(body)
            .expect("base64");
        (
            head.to_owned(),
            ::image::load_from_memory(&bytes).expect("decodes"),
        )
    };
    // The server says JPEG; the bytes say PNG: the bytes win. 3000 x 200 becomes 1024 x 68.
    let (head, thumb) = decode(
        &attachments
            .preview(at, &format!("{}/photo.jpg", server.base))
            .await
            .expect("a PNG"),
    );
    assert_eq!(head, "data:image/jpeg;base64");
    assert_eq!((thumb.width(), thumb.height()), (1024, 68));
    // Transparency stays: a PNG thumbnail, not enlarged.
    let (head, thumb) = decode(
        &attachments
            .preview(at, &format!("{}/logo.png", server.base))
            .await
            .expect("a PNG"),
    );
    assert_eq!(head, "data:image/png;base64");
    assert_eq!((thumb.width(), thumb.height()), (40, 30));
    for path in ["/fake.png", "/vector.svg", "/damaged.png"] {
        let error = attachments
            .preview(at, &format!("{}{path}", server.base))
            .await
            .expect_err(path);
        assert_eq!(error.code(), "ATTACHMENT_NOT_PREVIEWABLE", "{path}");
    }
    let error = attachments
        .preview(at, &format!("{}/big.png", server.base))
        .await
        .expect_err("above the preview limit");
    assert_eq!(error.code(), "ATTACHMENT_TOO_LARGE");
}

#[test]
fn decoding_is_limited() {
    // The header claims 100,000 x 100,000: refused before decoding.
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(self::image::thumbnail(&bomb), Err(PreviewError::TooLarge));
    // Few pixels, but one side longer than the decoder accepts: the decoder's limits refuse it.
    let long = png(20_000, 1, false);
    assert_eq!(self::image::thumbnail(&long), Err(PreviewError::TooLarge));
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
    let at = scope(data.path(), &server);
    let url = format!("{}/u/invoice.pdf", server.base);

    let first = attachments
        .save(at, &url, Some("invoice.pdf"), downloads.path(), false)
        .await
        .expect("saved");
    assert_eq!(first, downloads.path().join("invoice.pdf"));
    let second = attachments
        .save(at, &url, Some("invoice.pdf"), downloads.path(), false)
        .await
        .expect("saved again");
    assert_eq!(second, downloads.path().join("invoice (1).pdf"));
    assert_eq!(std::fs::read(&first).expect("first"), b"%PDF-1.4 one");
    assert_eq!(std::fs::read(&second).expect("second"), b"%PDF-1.4 one");

    let sneaky = attachments
        .save(at, &url, Some("../../.bashrc"), downloads.path(), false)
        .await
        .expect("saved");
    assert_eq!(sneaky, downloads.path().join("bashrc"));

    // A link already there is not followed.
    #[cfg(unix)]
    {
        let target = downloads.path().join("target.txt");
        std::fs::write(&target, "keep").expect("write");
        std::os::unix::fs::symlink(&target, downloads.path().join("linked.pdf")).expect("link");
        let saved = attachments
            .save(at, &url, Some("linked.pdf"), downloads.path(), false)
            .await
            .expect("saved");
        assert_eq!(saved, downloads.path().join("linked (1).pdf"));
        assert_eq!(std::fs::read(&target).expect("target"), b"keep");
    }

    let unnamed = attachments
        .save(
            at,
            &format!("{}/u/Return%20label.pdf", server.base),
            None,
            downloads.path(),
            false,
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

#[tokio::test]
async fn executable_types_need_a_second_confirmation() {
    let server = serve(vec![
        ("/u/setup.exe", Reply::ok("application/octet-stream", "MZ")),
        (
            "/u/report.xlsm",
            Reply::ok("application/octet-stream", "PK"),
        ),
    ])
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let downloads = tempfile::tempdir().expect("downloads");
    let attachments = Attachments::new();
    let at = scope(data.path(), &server);
    let exe = format!("{}/u/setup.exe", server.base);
    for (url, name) in [
        (exe.as_str(), None),
        (exe.as_str(), Some("invoice.pdf.EXE")),
        (exe.as_str(), Some("run.sh ")),
        (exe.as_str(), Some("photo\u{202E}gnp.js")),
        (
            &format!("{}/u/report.xlsm", server.base),
            Some("report.xlsm"),
        ),
    ] {
        let error = attachments
            .save(at, url, name, downloads.path(), false)
            .await
            .expect_err("needs confirmation");
        assert_eq!(error.code(), "ATTACHMENT_NEEDS_CONFIRMATION", "{name:?}");
    }
    assert_eq!(server.hits.load(Ordering::SeqCst), 0, "nothing downloaded");
    assert_eq!(std::fs::read_dir(downloads.path()).expect("dir").count(), 0);
    let saved = attachments
        .save(at, &exe, None, downloads.path(), true)
        .await
        .expect("confirmed");
    assert_eq!(saved, downloads.path().join("setup.exe"));
}

#[test]
fn executable_types_are_known() {
    for name in [
        "a.exe",
        "a.BAT",
        "a.cmd",
        "a.com",
        "a.scr",
        "a.pif",
        "a.js",
        "a.jse",
        "a.vbs",
        "a.vbe",
        "a.wsf",
        "a.hta",
        "a.lnk",
        "a.desktop",
        "a.sh",
        "a.AppImage",
        "a.msi",
        "a.msix",
        "a.jar",
        "a.ps1",
        "a.psm1",
        "a.reg",
        "a.cpl",
        "a.dll",
        "a.app",
        "a.command",
        "a.run",
        "a.docm",
        "a.xlsm",
        "a.pptm",
        "a.dotm",
        "a.xltm",
        "a.exe.",
        "a.exe  ",
    ] {
        assert!(is_executable(name), "{name}");
    }
    for name in [
        "a.pdf",
        "a.png",
        "a.docx",
        "a.xlsx",
        "a.txt",
        "exe",
        "a.exe.pdf",
        "a",
    ] {
        assert!(!is_executable(name), "{name}");
    }
}

#[tokio::test]
async fn saved_files_are_marked_as_downloaded() {
    let url = reqwest::Url::parse("https://user:pw@cdn.example/u/a.pdf?sig=1#frag").expect("url");
    assert_eq!(
        origin_mark::zone_identifier(&url),
        "[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=https://cdn.example/u/a.pdf?sig=1\r\n"
    );
    #[cfg(target_os = "linux")]
    {
        let server = serve(vec![("/u/a.pdf", Reply::ok("application/pdf", "%PDF"))]).await;
        let data = tempfile::tempdir().expect("temp dir");
        // In the data folder's file system (a home folder), not /tmp, which may be tmpfs.
        let downloads = tempfile::tempdir_in(std::env::current_dir().expect("cwd")).expect("dir");
        let url = format!("{}/u/a.pdf", server.base);
        let saved = Attachments::new()
            .save(
                scope(data.path(), &server),
                &url,
                None,
                downloads.path(),
                false,
            )
            .await
            .expect("saved");
        let probe = downloads.path().join("probe");
        std::fs::write(&probe, "").expect("probe");
        if xattr::set(&probe, "user.test", b"1").is_ok() {
            let mark = xattr::get(&saved, "user.xdg.origin.url").expect("read");
            assert_eq!(mark.as_deref(), Some(url.as_bytes()));
        }
    }
}

/// A server that holds every request until the test releases one, and counts how many it held
/// at once.
struct Holding {
    base: String,
    open: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
    release: Arc<tokio::sync::Semaphore>,
}

async fn holding() -> Holding {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let open = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let release = Arc::new(tokio::sync::Semaphore::new(0));
    let (o, m, r) = (open.clone(), most.clone(), release.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (open, most, release) = (o.clone(), m.clone(), r.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let now = open.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                if let Ok(permit) = release.acquire().await {
                    permit.forget();
                }
                open.fetch_sub(1, Ordering::SeqCst);
                let _ = stream
                    .write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                    )
                    .await;
                let _ = stream.shutdown().await;
            });
        }
    });
    Holding {
        base,
        open,
        most,
        release,
    }
}

/// `count` fetches of different files from the holding server, each in its own task; each
/// ends with its error code, if any.
fn fetch_many(
    attachments: &Attachments,
    data: &Path,
    server: &Holding,
    count: usize,
) -> Vec<tokio::task::JoinHandle<Result<(), &'static str>>> {
    (0..count)
        .map(|i| {
            let (attachments, data, base) =
                (attachments.clone(), data.to_owned(), server.base.clone());
            tokio::spawn(async move {
                let scope = Scope::new(&data, Some(&base));
                attachments
                    .fetch(scope, &format!("{base}/f{i}"), 1_000)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.code())
            })
        })
        .collect()
}

/// Polls until the holding server holds `count` requests (the assertions are on counts, not on
/// time).
async fn until_held(server: &Holding, count: usize) {
    for _ in 0..1_000 {
        if server.open.load(Ordering::SeqCst) >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn at_most_four_downloads_run_at_once() {
    let server = holding().await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = Attachments::new();
    let tasks = fetch_many(
        &attachments,
        data.path(),
        &server,
        MAX_CONCURRENT_DOWNLOADS + 3,
    );
    until_held(&server, MAX_CONCURRENT_DOWNLOADS).await;
    // Give any request beyond the cap every chance to arrive before anything is released.
    for _ in 0..20 {
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.release.add_permits(MAX_CONCURRENT_DOWNLOADS + 3);
    for task in tasks {
        assert_eq!(task.await.expect("task"), Ok(()));
    }
    assert_eq!(server.most.load(Ordering::SeqCst), MAX_CONCURRENT_DOWNLOADS);
}

#[tokio::test]
async fn stopping_downloads_ends_them_and_leaves_nothing_in_the_cache() {
    let server = holding().await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = Attachments::new();
    // More than may run at once: some hold a connection, the rest wait for a permit.
    let tasks = fetch_many(
        &attachments,
        data.path(),
        &server,
        MAX_CONCURRENT_DOWNLOADS + 2,
    );
    until_held(&server, MAX_CONCURRENT_DOWNLOADS).await;
    assert_eq!(server.open.load(Ordering::SeqCst), MAX_CONCURRENT_DOWNLOADS);
    attachments.stop_downloads().await;
    // Released only now: an answer that comes after the stop must not be written.
    server.release.add_permits(MAX_CONCURRENT_DOWNLOADS + 2);
    for task in tasks {
        assert_eq!(task.await.expect("task"), Err("ATTACHMENT_STOPPED"));
    }
    let dir = cache_dir(data.path());
    let left: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name())
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "left in the cache: {left:?}");
    // Later downloads run as usual.
    let scope = Scope::new(data.path(), Some(&server.base));
    let url = format!("{}/after", server.base);
    let again = attachments.fetch(scope, &url, 1_000).await;
    assert!(again.is_ok(), "{again:?}");
}

#[tokio::test]
async fn the_cache_keeps_the_most_recently_used_within_its_cap() {
    let body = vec![1u8; 1_000];
    let server = serve(vec![
        ("/a", Reply::ok("application/octet-stream", body.clone())),
        ("/b", Reply::ok("application/octet-stream", body.clone())),
        ("/c", Reply::ok("application/octet-stream", body.clone())),
    ])
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let attachments = Attachments::with_limits(Limits {
        max_cache: 2_500,
        ..Limits::default()
    });
    let at = scope(data.path(), &server);
    let url = |p: &str| format!("{}{p}", server.base);
    let a = attachments.fetch(at, &url("/a"), 10_000).await.expect("a");
    let b = attachments.fetch(at, &url("/b"), 10_000).await.expect("b");
    // Make the order certain whatever the file system's time resolution.
    let old = std::time::SystemTime::now() - Duration::from_secs(60);
    for path in [&a, &b] {
        std::fs::File::options()
            .write(true)
            .open(path)
            .and_then(|f| f.set_modified(old))
            .expect("age");
    }
    std::fs::File::options()
        .write(true)
        .open(&b)
        .and_then(|f| f.set_modified(old - Duration::from_secs(60)))
        .expect("age");
    // Using `b` makes `a` the least recently used.
    attachments
        .fetch(at, &url("/b"), 10_000)
        .await
        .expect("hit");
    let c = attachments.fetch(at, &url("/c"), 10_000).await.expect("c");
    assert!(!a.exists(), "least recently used goes first");
    assert!(b.exists() && c.exists());
    assert_eq!(
        usage(data.path()).expect("usage"),
        Usage {
            files: 2,
            bytes: 2_000
        }
    );
    assert_eq!(server.hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn clear_cache_empties_the_attachments_and_the_figures_count_them() {
    let store = Store::open_in_memory().await.expect("store");
    let server = serve(vec![(
        "/a",
        Reply::ok("application/octet-stream", vec![1u8; 700]),
    )])
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    Attachments::new()
        .fetch(
            scope(data.path(), &server),
            &format!("{}/a", server.base),
            10_000,
        )
        .await
        .expect("a");
    let dir = cache_dir(data.path());
    // A download in progress is not counted; one left by a crash long ago is removed.
    std::fs::write(dir.join(".x.0000000000000001.part"), vec![0u8; 50]).expect("part");
    let stale = dir.join(".y.0000000000000002.part");
    std::fs::write(&stale, vec![0u8; 50]).expect("part");
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .and_then(|f| f.set_modified(std::time::SystemTime::now() - Duration::from_secs(7_200)))
        .expect("age");

    let stats = cache_stats(&store, data.path()).await.expect("stats");
    let kind = stats
        .kinds
        .iter()
        .find(|k| k.kind == CACHE_KIND)
        .expect("attachments kind");
    assert_eq!((kind.rows, kind.bytes), (1, 700));
    let database = store.cache_stats().await.expect("database stats");
    assert_eq!(stats.total_bytes, database.total_bytes + 700);
    assert!(!stale.exists(), "stale partial download removed");

    let report = clear_cache(&store, data.path(), false)
        .await
        .expect("clear");
    assert_eq!(
        (
            report.attachment_files_removed,
            report.attachment_bytes_removed
        ),
        (1, 700)
    );
    assert!(cached_files(data.path()).is_empty());
    let stats = cache_stats(&store, data.path()).await.expect("stats");
    let kind = stats
        .kinds
        .iter()
        .find(|k| k.kind == CACHE_KIND)
        .expect("kind");
    assert_eq!((kind.rows, kind.bytes), (0, 0));
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
        ("COM0", "_COM0"),
        ("lpt9.txt", "_lpt9.txt"),
        ("CONIN$", "_CONIN$"),
        ("conout$.txt", "_conout$.txt"),
        ("COM¹.txt", "_COM¹.txt"),
        ("LPT³", "_LPT³"),
        ("aux .txt", "_aux .txt"),
        ("console.log", "console.log"),
        ("COM10", "COM10"),
        ("CONIN", "CONIN"),
        ("...", "attachment"),
        ("", "attachment"),
        ("Crème brûlée 🍮.jpg", "Crème brûlée 🍮.jpg"),
    ] {
        assert_eq!(safe_file_name(name), safe, "{name:?}");
    }
    let long = format!("{}.pdf", "x".repeat(500));
    let cut = safe_file_name(&long);
    assert_eq!(cut.len(), MAX_NAME_BYTES);
    assert!(cut.ends_with("x.pdf"));
    // Cut by bytes, never inside a character: 'é' is two bytes.
    let cut = safe_file_name(&format!("{}.pdf", "é".repeat(300)));
    assert!(
        cut.len() <= MAX_NAME_BYTES && cut.ends_with("é.pdf"),
        "{cut}"
    );
    assert_eq!(cut.len(), 2 * 125 + 4);
    let cut = safe_file_name(&"🍮".repeat(100));
    assert_eq!(cut.len(), 252);
}

#[test]
fn attachments_are_shown_under_their_safe_name() {
    let attachment = |url: &str, name: Option<&str>| Attachment {
        kind: crate::protocol::AttachmentKind::File,
        url: url.to_owned(),
        name: name.map(str::to_owned),
        size: None,
    };
    assert_eq!(
        display_name(&attachment(
            "https://cdn.example/u/x.pdf",
            Some("inv\u{202E}fdp.exe")
        )),
        "invfdp.exe"
    );
    assert_eq!(
        display_name(&attachment(
            "https://cdn.example/u/Return%20label.pdf",
            Some("  ")
        )),
        "Return label.pdf"
    );
    assert_eq!(
        display_name(&attachment("https://cdn.example/u/%E2%80%AEgpj.exe", None)),
        "gpj.exe"
    );
    assert_eq!(display_name(&attachment("not a url", None)), "attachment");
}

#[test]
fn cache_names_come_from_the_url_never_its_file_name() {
    let name = |url: &str| cache::cache_name(&policy::parse(url).expect("url"));
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
    let png = sniff_image(&png(2, 1, false)).expect("png");
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
    let listed = message_attachments(&store, "m1")
        .await
        .expect("query")
        .expect("m1");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].url, url);
    assert_eq!(
        message_attachments(&store, "m2").await.expect("query"),
        None
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn prefixed() -> impl Strategy<Value = Vec<u8>> {
        let magic: Vec<&'static [u8]> = vec![
            b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR",
            b"GIF89a",
            b"\xff\xd8\xff",
            b"RIFF\0\0\0\0WEBPVP8 ",
            b"RIFF\0\0\0\0WEBPVP8L",
            b"RIFF\0\0\0\0WEBPVP8X",
        ];
        (
            proptest::sample::select(magic),
            proptest::collection::vec(any::<u8>(), 0..2048),
        )
            .prop_map(|(magic, rest)| [magic, &rest[..]].concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn images_from_any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
            let _ = sniff_image(&bytes);
            if let Ok(thumb) = self::image::thumbnail(&bytes) {
                prop_assert!(thumb.width <= 1024 && thumb.height <= 1024);
            }
        }

        #[test]
        fn image_headers_with_any_body_never_panic(bytes in prefixed()) {
            let info = sniff_image(&bytes);
            prop_assert!(info.is_some());
            if let Ok(thumb) = self::image::thumbnail(&bytes) {
                prop_assert!(thumb.width <= 1024 && thumb.height <= 1024);
                prop_assert!(sniff_image(&thumb.bytes).is_some());
            }
        }

        #[test]
        fn a_damaged_real_image_never_panics(cut in 0usize..400, flip in 0usize..400, byte in any::<u8>()) {
            let mut bytes = png(20, 12, true);
            if flip < bytes.len() { bytes[flip] ^= byte; }
            bytes.truncate(cut.max(8));
            let _ = self::image::thumbnail(&bytes);
        }

        #[test]
        fn any_name_becomes_a_safe_one(bytes in proptest::collection::vec(any::<u8>(), 0..1200)) {
            let name = String::from_utf8_lossy(&bytes);
            let safe = safe_file_name(&name);
            prop_assert!(!safe.is_empty() && safe.len() <= MAX_NAME_BYTES);
            prop_assert!(!safe.contains(['/', '\\', '<', '>', ':', '"', '|', '?', '*']));
            prop_assert!(!safe.chars().any(crate::text::acts));
            prop_assert!(!safe.starts_with(['.', ' ']) && !safe.ends_with(['.', ' ']));
            prop_assert_eq!(safe_file_name(&safe), safe.clone());
        }

        #[test]
        fn any_text_name_becomes_a_safe_one(name in "\\PC{0,300}") {
            let safe = safe_file_name(&name);
            prop_assert!(!safe.is_empty() && safe.len() <= MAX_NAME_BYTES);
            prop_assert!(!safe.chars().any(crate::text::acts));
            prop_assert_eq!(safe_file_name(&safe), safe.clone());
        }
    }
}
