//! The attachment files the simulator serves: the URLs of the messages it sends download.

mod common;

use common::*;
use sellerdesk_protocol::{Attachment, AttachmentKind, ServerEvent};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(5);

/// The attachments of the burst's messages (an image and a file).
async fn burst_attachments(url: &str, token: &str) -> Vec<Attachment> {
    let mut client = connect(url, Some(bearer(token))).await;
    assert!(client.connected().await);
    let mut found: Vec<Attachment> = Vec::new();
    while let Some(Got::Event(name, args)) = client
        .next_matching(WAIT, |g| matches!(g, Got::Event(..)))
        .await
    {
        let Ok(event) = ServerEvent::decode(&name, &args) else {
            continue;
        };
        let ServerEvent::ChatMessage(message) = event else {
            continue;
        };
        for attachment in message.attachments {
            if !found.iter().any(|a| a.url == attachment.url) {
                found.push(attachment);
            }
        }
        let kinds = |kind: AttachmentKind| found.iter().any(|a| a.kind == kind);
        if kinds(AttachmentKind::Image) && kinds(AttachmentKind::File) {
            break;
        }
    }
    client.close().await;
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachment_urls_download_from_the_simulator() {
    let (sim, token) = start(quick(5, 0.0)).await;
    let attachments = burst_attachments(&sim.url(), &token).await;
    let image = attachments
        .iter()
        .find(|a| a.kind == AttachmentKind::Image)
        .expect("the burst has an image");
    let file = attachments
        .iter()
        .find(|a| a.kind == AttachmentKind::File)
        .expect("the burst has a file");
    let http = reqwest::Client::new();

    assert!(
        image.url.starts_with(&format!("{}/uploads/", sim.url())),
        "{}",
        image.url
    );
    let response = http.get(&image.url).send().await.expect("image answers");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let bytes = response.bytes().await.expect("image body");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes.to_vec()));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("buffer size")];
    let frame = reader.next_frame(&mut pixels).expect("the PNG decodes");
    assert!(frame.width > 0 && frame.height > 0);

    let response = http.get(&file.url).send().await.expect("file answers");
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"].to_str().expect("ascii");
    let pdf = file.name.as_deref().is_some_and(|n| n.ends_with(".pdf"));
    assert_eq!(
        kind,
        if pdf {
            "application/pdf"
        } else {
            "application/octet-stream"
        }
    );
    let bytes = response.bytes().await.expect("file body");
    assert_eq!(Some(bytes.len() as u64), file.size, "the advertised size");
    if pdf {
        assert!(bytes.starts_with(b"%PDF-"));
    }
    // The same URL gives the same bytes.
    let again = http
        .get(&file.url)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .expect("again");
    assert_eq!(again.bytes().await.expect("body"), bytes);

    for unknown in [
        format!(
            "{}/uploads/00000000-0000-4000-8000-000000000000/photo.png",
            sim.url()
        ),
        format!("{}/uploads/", sim.url()),
        format!("{}/nothing-here", sim.url()),
    ] {
        let response = http.get(&unknown).send().await.expect("answers");
        assert_eq!(response.status(), 404, "{unknown}");
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_sends_the_same_attachment_paths() {
    let mut paths = Vec::new();
    for _ in 0..2 {
        let (sim, token) = start(quick(9, 0.0)).await;
        let attachments = burst_attachments(&sim.url(), &token).await;
        let base = sim.url();
        paths.push(
            attachments
                .iter()
                .map(|a| a.url.trim_start_matches(&base).to_owned())
                .collect::<Vec<_>>(),
        );
        sim.shutdown().await;
    }
    assert!(!paths[0].is_empty());
    assert_eq!(paths[0], paths[1]);
}
