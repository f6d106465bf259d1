//! Attachment files: downloaded only when the seller asks (a preview scrolled into view, a
//! Download button), into the data folder's `attachments/` cache, and never opened.
//!
//! - Only `http` and `https` URLs, at most [`MAX_DOWNLOAD_BYTES`] (checked against
//!   `Content-Length` and again while streaming), within a timeout.
//! - A cache file is named after the SHA-256 of the URL plus a sanitized extension: the
//!   server's file name never becomes a path.
//! - Previews are `data:` URLs of PNG, JPEG, GIF or WebP files recognized by their first bytes
//!   (not by the server's `Content-Type`), at most [`MAX_PREVIEW_BYTES`], so the webview never
//!   fetches anything itself.
//! - Saving copies the cached file under a sanitized name that never replaces an existing file
//!   (`invoice (1).pdf`).

use crate::account::ATTACHMENTS_DIR;
use crate::store::{Store, StoreError};
use base64::Engine as _;
use reqwest::Url;
use sha2::{Digest, Sha256};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// The largest attachment downloaded.
pub const MAX_DOWNLOAD_BYTES: u64 = 50 * 1024 * 1024;
/// The largest image previewed (it travels to the webview base64-encoded).
pub const MAX_PREVIEW_BYTES: u64 = 10 * 1024 * 1024;
/// Images with more pixels are not previewed (a small file can decode to gigabytes).
pub const MAX_PREVIEW_PIXELS: u64 = 50_000_000;
/// Saved file names are cut to this many characters (the extension kept).
const MAX_NAME_CHARS: usize = 120;

/// How much and how long a download may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_download: u64,
    pub max_preview: u64,
    /// The whole download, first byte to last.
    pub timeout: Duration,
    pub connect_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_download: MAX_DOWNLOAD_BYTES,
            max_preview: MAX_PREVIEW_BYTES,
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AttachmentError {
    #[error("only http and https attachments can be downloaded")]
    UnsupportedUrl,
    #[error("this attachment is not part of any cached message")]
    Unknown,
    #[error("the attachment is larger than {}", human_size(*limit))]
    TooLarge { limit: u64 },
    #[error("the download did not finish within {} s", .0.as_secs())]
    TimedOut(Duration),
    #[error("cannot download the attachment: {0}")]
    Download(String),
    #[error("cannot preview this attachment: {0}")]
    NotPreviewable(&'static str),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl AttachmentError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedUrl => "ATTACHMENT_UNSUPPORTED_URL",
            Self::Unknown => "ATTACHMENT_UNKNOWN",
            Self::TooLarge { .. } => "ATTACHMENT_TOO_LARGE",
            Self::TimedOut(_) | Self::Download(_) => "ATTACHMENT_DOWNLOAD_FAILED",
            Self::NotPreviewable(_) => "ATTACHMENT_NOT_PREVIEWABLE",
            Self::Io { source, .. } if source.raw_os_error() == Some(28) => "DISK_FULL",
            Self::Io { .. } => "IO_ERROR",
        }
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> AttachmentError + '_ {
    move |source| AttachmentError::Io {
        path: path.to_owned(),
        source,
    }
}

/// `12.3 MB`-style sizes for messages.
fn human_size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{} MB", bytes / MB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// reqwest's message without the URL (a signed URL would leak its signature into logs).
fn download_error(error: reqwest::Error) -> AttachmentError {
    let error = error.without_url();
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    AttachmentError::Download(message)
}

/// The URL if it is an absolute `http`/`https` URL with a host.
fn parse(url: &str) -> Result<Url, AttachmentError> {
    let parsed = Url::parse(url.trim()).map_err(|_| AttachmentError::UnsupportedUrl)?;
    let host = parsed.host_str().is_some_and(|h| !h.is_empty());
    if matches!(parsed.scheme(), "http" | "https") && host {
        Ok(parsed)
    } else {
        Err(AttachmentError::UnsupportedUrl)
    }
}

/// `<sha-256 of the URL, hex>[.ext]`; the extension only when it is 1 to 8 ASCII letters or
/// digits (lowercased).
fn cache_name(url: &Url) -> String {
    let digest = Sha256::digest(url.as_str().as_bytes());
    let mut name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let last = url
        .path_segments()
        .and_then(|mut segments| segments.next_back())
        .unwrap_or_default();
    if let Some((_, ext)) = last.rsplit_once('.') {
        if (1..=8).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric()) {
            name.push('.');
            name.push_str(&ext.to_ascii_lowercase());
        }
    }
    name
}

/// The folder of cached attachment files inside `data_dir`.
pub fn cache_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(ATTACHMENTS_DIR)
}

/// Where the attachment at `url` is (or would be) cached.
pub fn cache_path(data_dir: &Path, url: &str) -> Result<PathBuf, AttachmentError> {
    Ok(cache_dir(data_dir).join(cache_name(&parse(url)?)))
}

/// Whether the attachment at `url` is already in the cache.
pub async fn is_cached(data_dir: &Path, url: &str) -> bool {
    match cache_path(data_dir, url) {
        Ok(path) => tokio::fs::metadata(path)
            .await
            .is_ok_and(|meta| meta.is_file()),
        Err(_) => false,
    }
}

/// Whether the cached message `message_id` (received, or waiting in the outbox under its client
/// id) has an attachment at exactly `url`: the app downloads nothing else. One row by its key,
/// however big the cache.
pub async fn is_known(store: &Store, message_id: &str, url: &str) -> Result<bool, StoreError> {
    let known: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM messages m, json_each(m.attachments) a \
                        WHERE m.id = ?1 AND json_valid(m.attachments) \
                          AND json_extract(a.value, '$.url') = ?2) \
             OR EXISTS (SELECT 1 FROM outbox o, json_each(o.attachments) a \
                        WHERE o.client_message_id = ?1 AND json_valid(o.attachments) \
                          AND json_extract(a.value, '$.url') = ?2)",
    )
    .bind(message_id)
    .bind(url)
    .fetch_one(store.pool())
    .await?;
    Ok(known)
}

/// Downloads attachments into a data folder's cache. One per app: it holds the HTTP client
/// (connection pool, TLS setup).
#[derive(Clone, Debug)]
pub struct Attachments {
    client: Result<reqwest::Client, String>,
    limits: Limits,
}

impl Default for Attachments {
    fn default() -> Self {
        Self::new()
    }
}

impl Attachments {
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    pub fn with_limits(limits: Limits) -> Self {
        let client = reqwest::Client::builder()
            .connect_timeout(limits.connect_timeout)
            .redirect(reqwest::redirect::Policy::limited(5))
            .user_agent(concat!("SellerDesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| download_error(e).to_string());
        if let Err(error) = &client {
            tracing::error!("no HTTP client for attachments: {error}");
        }
        Self { client, limits }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The cached file of `url`, downloaded first unless it is already cached. `limit` caps
    /// its size (a cached file above it is refused too).
    pub async fn fetch(
        &self,
        data_dir: &Path,
        url: &str,
        limit: u64,
    ) -> Result<PathBuf, AttachmentError> {
        let url = parse(url)?;
        let dir = cache_dir(data_dir);
        let name = cache_name(&url);
        let path = dir.join(&name);
        if let Ok(meta) = tokio::fs::metadata(&path).await {
            if meta.is_file() {
                if meta.len() > limit {
                    return Err(AttachmentError::TooLarge { limit });
                }
                return Ok(path);
            }
        }
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(io_error(&dir))?;
        // Written aside and renamed when complete: a cut download never looks cached.
        let part = dir.join(format!(".{name}.{:016x}.part", rand::random::<u64>()));
        let download = self.download(url, &part, limit);
        let result = match tokio::time::timeout(self.limits.timeout, download).await {
            Ok(result) => result,
            Err(_) => Err(AttachmentError::TimedOut(self.limits.timeout)),
        };
        match result {
            Ok(()) => {
                tokio::fs::rename(&part, &path)
                    .await
                    .map_err(io_error(&path))?;
                Ok(path)
            }
            Err(error) => {
                let _ = tokio::fs::remove_file(&part).await;
                Err(error)
            }
        }
    }

    async fn download(&self, url: Url, part: &Path, limit: u64) -> Result<(), AttachmentError> {
        let client = self
            .client
            .as_ref()
            .map_err(|e| AttachmentError::Download(e.clone()))?;
        let mut response = client.get(url).send().await.map_err(download_error)?;
        let status = response.status();
        if !status.is_success() {
            return Err(AttachmentError::Download(format!(
                "the server answered {status}"
            )));
        }
        if response.content_length().is_some_and(|len| len > limit) {
            return Err(AttachmentError::TooLarge { limit });
        }
        let mut file = tokio::fs::File::create(part)
            .await
            .map_err(io_error(part))?;
        let mut written: u64 = 0;
        while let Some(chunk) = response.chunk().await.map_err(download_error)? {
            written += chunk.len() as u64;
            if written > limit {
                return Err(AttachmentError::TooLarge { limit });
            }
            file.write_all(&chunk).await.map_err(io_error(part))?;
        }
        file.flush().await.map_err(io_error(part))?;
        Ok(())
    }

    /// The attachment at `url` as a `data:image/…;base64,…` URL, for an `<img>` that loads
    /// nothing from the network.
    pub async fn preview(&self, data_dir: &Path, url: &str) -> Result<String, AttachmentError> {
        let path = self.fetch(data_dir, url, self.limits.max_preview).await?;
        let bytes = tokio::fs::read(&path).await.map_err(io_error(&path))?;
        let image = sniff_image(&bytes).ok_or(AttachmentError::NotPreviewable(
            "not a PNG, JPEG, GIF or WebP image",
        ))?;
        match image.pixels() {
            Some(pixels) if pixels <= MAX_PREVIEW_PIXELS => {}
            Some(_) => return Err(AttachmentError::NotPreviewable("the image is too large")),
            None => return Err(AttachmentError::NotPreviewable("the image is damaged")),
        }
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        Ok(format!("data:{};base64,{encoded}", image.mime))
    }

    /// Copies the attachment at `url` (downloaded first if needed) into `dest_dir` as `name`
    /// (sanitized; the URL's last segment when blank), next to any file already there:
    /// `invoice.pdf`, `invoice (1).pdf`, … Returns the new file's path.
    pub async fn save(
        &self,
        data_dir: &Path,
        url: &str,
        name: Option<&str>,
        dest_dir: &Path,
    ) -> Result<PathBuf, AttachmentError> {
        let parsed = parse(url)?;
        let cached = self.fetch(data_dir, url, self.limits.max_download).await?;
        let name = match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => safe_file_name(name),
            None => {
                let last = parsed
                    .path_segments()
                    .and_then(|mut segments| segments.next_back())
                    .unwrap_or_default();
                // Escapes that do not decode to text stay as written.
                safe_file_name(
                    &crate::links::percent_decode(last).unwrap_or_else(|| last.to_owned()),
                )
            }
        };
        tokio::fs::create_dir_all(dest_dir)
            .await
            .map_err(io_error(dest_dir))?;
        let (path, mut file) = create_unique(dest_dir, &name).await?;
        let copied = async {
            let mut source = tokio::fs::File::open(&cached)
                .await
                .map_err(io_error(&cached))?;
            tokio::io::copy(&mut source, &mut file)
                .await
                .map_err(io_error(&path))?;
            file.flush().await.map_err(io_error(&path))
        }
        .await;
        if let Err(error) = copied {
            let _ = tokio::fs::remove_file(&path).await;
            return Err(error);
        }
        Ok(path)
    }
}

/// Creates `name` in `dir`, or `stem (1).ext`, `stem (2).ext`, …: never replaces a file.
async fn create_unique(
    dir: &Path,
    name: &str,
) -> Result<(PathBuf, tokio::fs::File), AttachmentError> {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let mut last = None;
    for n in 0..1_000u32 {
        let candidate = if n == 0 {
            name.to_owned()
        } else {
            format!("{stem} ({n}){ext}")
        };
        let path = dir.join(candidate);
        match tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
        {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(path),
            Err(e) => return Err(io_error(&path)(e)),
        }
    }
    let path = last.unwrap_or_else(|| dir.join(name));
    Err(io_error(&path)(io::Error::from(
        io::ErrorKind::AlreadyExists,
    )))
}

/// A file name that is safe on every desktop OS: no folders, no control or bidi-override
/// characters (`invoice\u{202E}fdp.exe`), none of `<>:"/\|?*`, no leading or trailing dots
/// and spaces, not a reserved Windows device name, at most [`MAX_NAME_CHARS`] characters.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_format_char(*c))
        .map(|c| if "<>:\"/\\|?*".contains(c) { '_' } else { c })
        .collect();
    let mut name = cleaned
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_owned();
    if name.chars().count() > MAX_NAME_CHARS {
        name = match name.rsplit_once('.') {
            Some((stem, ext)) if ext.chars().count() <= 16 && !stem.is_empty() => {
                let keep = MAX_NAME_CHARS - ext.chars().count() - 1;
                let stem: String = stem.chars().take(keep).collect();
                format!("{}.{ext}", stem.trim_end())
            }
            _ => name.chars().take(MAX_NAME_CHARS).collect(),
        };
    }
    let device = name
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_ascii_uppercase();
    let reserved = matches!(device.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (device.len() == 4
            && (device.starts_with("COM") || device.starts_with("LPT"))
            && device.as_bytes()[3].is_ascii_digit());
    if reserved {
        name.insert(0, '_');
    }
    if name.is_empty() {
        "attachment".to_owned()
    } else {
        name
    }
}

/// Invisible characters that reorder or hide text (bidi controls, zero-width marks).
fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// A raster image recognized by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub mime: &'static str,
    /// Width and height when the header says (always for a well-formed file).
    pub size: Option<(u32, u32)>,
}

impl ImageInfo {
    fn pixels(&self) -> Option<u64> {
        self.size.map(|(w, h)| u64::from(w) * u64::from(h))
    }
}

fn be16(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(
        bytes.get(at..at + 2)?.try_into().ok()?,
    )))
}
fn le16(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(
        bytes.get(at..at + 2)?.try_into().ok()?,
    )))
}
fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}
fn le24(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 3)?;
    Some(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
}

/// PNG, JPEG, GIF or WebP by magic bytes (`None` for anything else: SVG, HTML, HEIC, …).
pub fn sniff_image(bytes: &[u8]) -> Option<ImageInfo> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let size = (bytes.get(12..16) == Some(b"IHDR"))
            .then(|| Some((be32(bytes, 16)?, be32(bytes, 20)?)))
            .flatten();
        return Some(ImageInfo {
            mime: "image/png",
            size,
        });
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        let size = le16(bytes, 6).zip(le16(bytes, 8));
        return Some(ImageInfo {
            mime: "image/gif",
            size,
        });
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Some(ImageInfo {
            mime: "image/jpeg",
            size: jpeg_size(bytes),
        });
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(ImageInfo {
            mime: "image/webp",
            size: webp_size(bytes),
        });
    }
    None
}

/// Width and height from the first start-of-frame segment.
fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        while *bytes.get(at)? != 0xff {
            at += 1;
        }
        while *bytes.get(at)? == 0xff {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            // Markers without a length.
            0x01 | 0xd0..=0xd7 => continue,
            0xd9 | 0xda => return None,
            0xc0..=0xcf if !matches!(marker, 0xc4 | 0xc8 | 0xcc) => {
                return Some((be16(bytes, at + 5)?, be16(bytes, at + 3)?));
            }
            _ => at += usize::try_from(be16(bytes, at)?).ok()?,
        }
    }
}

fn webp_size(bytes: &[u8]) -> Option<(u32, u32)> {
    match bytes.get(12..16)? {
        b"VP8X" => Some((le24(bytes, 24)? + 1, le24(bytes, 27)? + 1)),
        b"VP8 " => Some((le16(bytes, 26)? & 0x3fff, le16(bytes, 28)? & 0x3fff)),
        b"VP8L" => {
            let bits = u32::from_le_bytes(bytes.get(21..25)?.try_into().ok()?);
            Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
