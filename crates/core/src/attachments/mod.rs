//! Attachment files: downloaded only when the seller asks (a preview, a Download button, the
//! CLI's `attachment save`), into the data folder's `attachments/` cache, and never opened.
//!
//! Everything about an attachment comes from a buyer or the server and is treated as hostile:
//! - `policy.rs`: which URLs and addresses may be fetched (http/https only, nothing local or
//!   private except the marketplace's own host and port; refused URLs make no request).
//! - `download.rs`: HTTP with that policy enforced on the address connected to and on every
//!   redirect, a size cap and timeouts; at most [`MAX_CONCURRENT_DOWNLOADS`] at once.
//! - `cache.rs`: the cache folder, capped in size (least recently used first).
//! - `image.rs`: previews decoded here within limits and re-encoded as small thumbnails; the
//!   webview never decodes a buyer's bytes.
//! - `crate::file_names`: safe names, and the types that need a second confirmation.
//! - `origin_mark.rs`: saved files are marked as downloaded from the internet.

mod cache;
mod download;
pub mod image;
pub mod origin_mark;
pub mod policy;

pub use self::image::{sniff_image, ImageInfo, PreviewError, MAX_PREVIEW_PIXELS};
pub use crate::file_names::{display_name, is_executable, safe_file_name, MAX_NAME_BYTES};
pub use cache::{cache_dir, evict, usage, Usage, MAX_CACHE_BYTES};
pub use download::{Lookup, SystemLookup, MAX_REDIRECTS};
pub use policy::Refusal;

use crate::models::{CacheKindStats, CacheStats, ClearReport};
use crate::protocol::Attachment;
use crate::store::{Store, StoreError};
use base64::Engine as _;
use download::Clients;
use policy::Marketplace;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{RwLock, Semaphore};
use tokio_util::sync::CancellationToken;

/// The largest attachment downloaded.
pub const MAX_DOWNLOAD_BYTES: u64 = 50 * 1024 * 1024;
/// The largest image file previewed.
pub const MAX_PREVIEW_BYTES: u64 = 10 * 1024 * 1024;
/// Downloads running at once (previews and saves together); more wait their turn.
pub const MAX_CONCURRENT_DOWNLOADS: usize = 4;
/// Images decoded at once: each may take up to `image::MAX_DECODE_ALLOC` of memory.
pub const MAX_CONCURRENT_DECODES: usize = 1;
/// The kind of the attachment cache in the cache figures.
pub const CACHE_KIND: &str = "attachments";

/// How much and how long a download may take, and how big the cache may grow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_download: u64,
    pub max_preview: u64,
    /// The whole download, first byte to last.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// The attachment cache's size cap.
    pub max_cache: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_download: MAX_DOWNLOAD_BYTES,
            max_preview: MAX_PREVIEW_BYTES,
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            max_cache: MAX_CACHE_BYTES,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AttachmentError {
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("this attachment is not part of that message")]
    Unknown,
    #[error("{name} can run programs when opened: confirm to save it")]
    NeedsConfirmation { name: String },
    #[error("the attachment is larger than {}", human_size(*limit))]
    TooLarge { limit: u64 },
    #[error("the download did not finish within {} s", .0.as_secs())]
    TimedOut(Duration),
    #[error("cannot download the attachment: {0}")]
    Download(String),
    #[error("cannot preview this attachment: {0}")]
    NotPreviewable(PreviewError),
    #[error("the download was stopped: the session ended")]
    Stopped,
    #[error(transparent)]
    Store(#[from] StoreError),
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
            // A URL the message does not carry is refused like one the policy refuses: either
            // way nothing is requested.
            Self::Refused(_) | Self::Unknown => "ATTACHMENT_REFUSED",
            Self::NeedsConfirmation { .. } => "ATTACHMENT_NEEDS_CONFIRMATION",
            Self::TooLarge { .. } => "ATTACHMENT_TOO_LARGE",
            Self::TimedOut(_) | Self::Download(_) => "ATTACHMENT_DOWNLOAD_FAILED",
            Self::NotPreviewable(_) => "ATTACHMENT_NOT_PREVIEWABLE",
            Self::Stopped => "ATTACHMENT_STOPPED",
            Self::Store(e) => e.code(),
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

/// Where attachments are fetched for: the data folder whose cache is used, and the marketplace
/// server URL (the signed-in one), whose own host and port may be on a private address.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    pub data_dir: &'a Path,
    pub marketplace: Option<&'a str>,
}

impl<'a> Scope<'a> {
    pub fn new(data_dir: &'a Path, marketplace: Option<&'a str>) -> Self {
        Self {
            data_dir,
            marketplace,
        }
    }
}

/// Where the attachment at `url` is (or would be) cached.
pub fn cache_path(data_dir: &Path, url: &str) -> Result<PathBuf, AttachmentError> {
    Ok(cache_dir(data_dir).join(cache::cache_name(&policy::parse(url)?)))
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

/// The attachments of the cached message `message_id` (received, or in the outbox under its
/// client id); `None` when no such message is cached.
pub async fn message_attachments(
    store: &Store,
    message_id: &str,
) -> Result<Option<Vec<Attachment>>, StoreError> {
    let stored: Option<String> = sqlx::query_scalar(
        "SELECT attachments FROM messages WHERE id = ?1 \
         UNION ALL SELECT attachments FROM outbox WHERE client_message_id = ?1 LIMIT 1",
    )
    .bind(message_id)
    .fetch_optional(store.pool())
    .await?;
    // A damaged list reads as none (it was checked when cached).
    Ok(stored.map(|json| serde_json::from_str(&json).unwrap_or_default()))
}

/// The cache figures of the database with the attachment files counted as one more kind.
pub async fn cache_stats(store: &Store, data_dir: &Path) -> Result<CacheStats, AttachmentError> {
    let mut stats = store.cache_stats().await?;
    let dir = cache_dir(data_dir);
    let data = data_dir.to_owned();
    let held = blocking(move || usage(&data).map_err(io_error(&dir))).await?;
    let files = i64::try_from(held.files).unwrap_or(i64::MAX);
    let bytes = i64::try_from(held.bytes).unwrap_or(i64::MAX);
    stats.kinds.push(CacheKindStats {
        kind: CACHE_KIND.to_owned(),
        rows: files,
        bytes,
    });
    stats.total_rows = stats.total_rows.saturating_add(files);
    stats.total_bytes = stats.total_bytes.saturating_add(bytes);
    Ok(stats)
}

/// "Clear cache": the database (see [`Store::clear_cache`]) and every cached attachment file.
pub async fn clear_cache(
    store: &Store,
    data_dir: &Path,
    include_outbox: bool,
) -> Result<ClearReport, AttachmentError> {
    let mut report = store.clear_cache(include_outbox).await?;
    let owned = data_dir.to_owned();
    let dir = cache_dir(data_dir);
    let held = blocking(move || cache::clear(&owned).map_err(io_error(&dir))).await?;
    report.attachment_files_removed = i64::try_from(held.files).unwrap_or(i64::MAX);
    report.attachment_bytes_removed = i64::try_from(held.bytes).unwrap_or(i64::MAX);
    Ok(report)
}

/// Runs file-system or CPU work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AttachmentError> + Send + 'static,
) -> Result<T, AttachmentError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AttachmentError::Download(format!("the worker stopped: {e}")))?
}

/// Downloads attachments into a data folder's cache. One per app (clones share it): it holds
/// the HTTP clients (connection pool, TLS setup) and the limits on work running at once.
#[derive(Clone)]
pub struct Attachments {
    inner: Arc<Inner>,
}

struct Inner {
    limits: Limits,
    lookup: Arc<dyn Lookup>,
    downloads: Semaphore,
    decodes: Semaphore,
    /// The clients of the last marketplace asked for (one at a time is signed in).
    clients: Mutex<Option<Arc<Clients>>>,
    /// Every fetch holds a read guard for as long as it may write into a cache folder, and
    /// stops when the token is cancelled: [`Attachments::stop_downloads`] cancels it and takes
    /// the write guard, so once it returns nothing is writing any more.
    running: RwLock<CancellationToken>,
}

impl std::fmt::Debug for Attachments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachments")
            .field("limits", &self.inner.limits)
            .finish_non_exhaustive()
    }
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
        Self::with_lookup(limits, Arc::new(SystemLookup))
    }

    /// With host names resolved by `lookup` instead of the system (tests play a DNS server
    /// with it; the policy still filters what it returns).
    pub fn with_lookup(limits: Limits, lookup: Arc<dyn Lookup>) -> Self {
        Self {
            inner: Arc::new(Inner {
                limits,
                lookup,
                downloads: Semaphore::new(MAX_CONCURRENT_DOWNLOADS),
                decodes: Semaphore::new(MAX_CONCURRENT_DECODES),
                clients: Mutex::new(None),
                running: RwLock::new(CancellationToken::new()),
            }),
        }
    }

    pub fn limits(&self) -> Limits {
        self.inner.limits
    }

    /// Stops every download under way and waits until none writes any more (sign-out calls
    /// it before wiping the data folder, so no file lands in it afterwards). Later downloads
    /// run as usual.
    pub async fn stop_downloads(&self) {
        self.inner.running.read().await.cancel();
        // Fetches that began before the cancel hold read guards; they end at their next await.
        let mut running = self.inner.running.write().await;
        *running = CancellationToken::new();
    }

    fn clients(&self, marketplace: Option<&str>) -> Result<Arc<Clients>, AttachmentError> {
        let marketplace = marketplace.and_then(Marketplace::from_server_url);
        let mut last = self
            .inner
            .clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(clients) = last.as_ref() {
            if clients.marketplace() == marketplace.as_ref() {
                return Ok(clients.clone());
            }
        }
        let clients = Arc::new(Clients::new(
            &self.inner.limits,
            self.inner.lookup.clone(),
            marketplace,
        )?);
        *last = Some(clients.clone());
        Ok(clients)
    }

    /// The cached file of `url`, downloaded first unless it is already cached. `limit` caps
    /// its size (a cached file above it is refused too). A URL the policy refuses fails with
    /// [`AttachmentError::Refused`] before any request.
    pub async fn fetch(
        &self,
        scope: Scope<'_>,
        url: &str,
        limit: u64,
    ) -> Result<PathBuf, AttachmentError> {
        let url = policy::parse(url)?;
        let clients = self.clients(scope.marketplace)?;
        let client = clients.for_url(&url)?;
        let dir = cache_dir(scope.data_dir);
        let name = cache::cache_name(&url);
        let path = dir.join(&name);
        if let Some(hit) = self.cached(&path, limit).await? {
            return Ok(hit);
        }
        let running = self.inner.running.read().await;
        let stop = running.clone();
        let _permit = tokio::select! {
            permit = self.inner.downloads.acquire() => permit
                .map_err(|_| AttachmentError::Download("the app is shutting down".into()))?,
            () = stop.cancelled() => return Err(AttachmentError::Stopped),
        };
        // Another caller may have downloaded it while this one waited.
        if let Some(hit) = self.cached(&path, limit).await? {
            return Ok(hit);
        }
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(io_error(&dir))?;
        // Written aside and renamed when complete: a cut download never looks cached.
        let part = dir.join(format!(".{name}.{:016x}.part", rand::random::<u64>()));
        let timeout = self.inner.limits.timeout;
        let result = tokio::select! {
            done = tokio::time::timeout(timeout, download::download(client, url, &part, limit)) => {
                done.unwrap_or(Err(AttachmentError::TimedOut(timeout)))
            }
            () = stop.cancelled() => Err(AttachmentError::Stopped),
        };
        if let Err(error) = result {
            let _ = tokio::fs::remove_file(&part).await;
            return Err(error);
        }
        tokio::fs::rename(&part, &path)
            .await
            .map_err(io_error(&path))?;
        let (data_dir, keep, cap) = (
            scope.data_dir.to_owned(),
            path.clone(),
            self.inner.limits.max_cache,
        );
        let evicted = blocking(move || {
            cache::evict(&data_dir, cap, Some(&keep)).map_err(io_error(&data_dir))
        })
        .await;
        if let Err(e) = evicted {
            tracing::warn!(code = e.code(), "cannot trim the attachment cache: {e}");
        }
        Ok(path)
    }

    /// The cached file at `path` if there is one (marked as used), refused above `limit`.
    async fn cached(&self, path: &Path, limit: u64) -> Result<Option<PathBuf>, AttachmentError> {
        match tokio::fs::metadata(path).await {
            Ok(meta) if meta.is_file() => {
                if meta.len() > limit {
                    return Err(AttachmentError::TooLarge { limit });
                }
                let used = path.to_owned();
                let _ = blocking(move || {
                    cache::touch(&used);
                    Ok(())
                })
                .await;
                Ok(Some(path.to_owned()))
            }
            _ => Ok(None),
        }
    }

    /// A thumbnail of the image at `url` (at most 1024 px on its long side) as a
    /// `data:image/png|jpeg;base64,…` URL, for an `<img>` that loads nothing from the network
    /// and decodes only what was made here.
    pub async fn preview(&self, scope: Scope<'_>, url: &str) -> Result<String, AttachmentError> {
        let path = self
            .fetch(scope, url, self.inner.limits.max_preview)
            .await?;
        let _permit = self
            .inner
            .decodes
            .acquire()
            .await
            .map_err(|_| AttachmentError::Download("the app is shutting down".into()))?;
        let thumbnail = blocking(move || {
            let bytes = std::fs::read(&path).map_err(io_error(&path))?;
            self::image::thumbnail(&bytes).map_err(AttachmentError::NotPreviewable)
        })
        .await?;
        let encoded = base64::engine::general_purpose::STANDARD.encode(&thumbnail.bytes);
        Ok(format!("data:{};base64,{encoded}", thumbnail.mime))
    }

    /// Copies the attachment at `url` (downloaded first if needed) into `dest_dir` as `name`
    /// (made safe; the URL's last segment when blank), next to any file already there:
    /// `invoice.pdf`, `invoice (1).pdf`, … and marks it as downloaded from the internet. A type
    /// that runs when opened is refused with [`AttachmentError::NeedsConfirmation`] (before any
    /// download) unless `confirmed`. Returns the new file's path, always inside `dest_dir`.
    pub async fn save(
        &self,
        scope: Scope<'_>,
        url: &str,
        name: Option<&str>,
        dest_dir: &Path,
        confirmed: bool,
    ) -> Result<PathBuf, AttachmentError> {
        let parsed = policy::parse(url)?;
        self.clients(scope.marketplace)?.for_url(&parsed)?;
        let name = match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => safe_file_name(name),
            None => safe_file_name(&crate::file_names::url_file_name(url)),
        };
        if is_executable(&name) && !confirmed {
            return Err(AttachmentError::NeedsConfirmation { name });
        }
        let cached = self
            .fetch(scope, url, self.inner.limits.max_download)
            .await?;
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
            tokio::io::AsyncWriteExt::flush(&mut file)
                .await
                .map_err(io_error(&path))
        }
        .await;
        drop(file);
        if let Err(error) = copied {
            let _ = tokio::fs::remove_file(&path).await;
            return Err(error);
        }
        let (marked, source) = (path.clone(), parsed);
        let _ = blocking(move || Ok(origin_mark::mark_downloaded(&marked, &source))).await;
        Ok(path)
    }
}

/// Creates `name` in `dir`, or `stem (1).ext`, `stem (2).ext`, … (cut to stay within
/// [`MAX_NAME_BYTES`]): never replaces a file, and never follows a link already there.
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
            let suffix = format!(" ({n}){ext}");
            let room = MAX_NAME_BYTES.saturating_sub(suffix.len());
            format!(
                "{}{suffix}",
                crate::file_names::cut_to_bytes(stem, room).trim_end()
            )
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

#[cfg(test)]
mod tests;
