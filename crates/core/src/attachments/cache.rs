//! The attachment cache on disk: `<data dir>/attachments/<sha-256 of the URL>[.ext]`, capped
//! in size with the least recently used files removed first, counted in the cache figures and
//! emptied by "Clear cache".
//!
//! "Used" is the file's modification time, set on every cache hit: access times are often not
//! kept (`noatime`, `relatime`). Downloads in progress are `.<name>.<hex>.part` files; they are
//! neither counted nor evicted unless stale (left by a crash).

use crate::account::ATTACHMENTS_DIR;
use reqwest::Url;
use sha2::{Digest, Sha256};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The attachment cache's size cap.
pub const MAX_CACHE_BYTES: u64 = 512 * 1024 * 1024;

/// A `.part` file untouched for this long belongs to no running download (those end within
/// their timeout, two minutes by default).
const STALE_PART: Duration = Duration::from_secs(60 * 60);

/// The folder of cached attachment files inside `data_dir`.
pub fn cache_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(ATTACHMENTS_DIR)
}

/// `<sha-256 of the URL, hex>[.ext]`; the extension only when it is 1 to 8 ASCII letters or
/// digits (lowercased). The server's file name never becomes a path.
pub(super) fn cache_name(url: &Url) -> String {
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

/// Whether a file of the cache folder is a download in progress.
fn is_part(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".part")
}

/// Marks a cached file as just used (errors ignored: it only makes eviction less exact).
pub(super) fn touch(path: &Path) {
    let touched = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()));
    if let Err(e) = touched {
        tracing::debug!(error = %e, "cannot mark a cached attachment as used");
    }
}

/// Files and bytes of the cache, downloads in progress left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub files: u64,
    pub bytes: u64,
}

struct Entry {
    path: PathBuf,
    bytes: u64,
    used: SystemTime,
}

/// The cached files (not `.part` files) with size and last use; stale `.part` files are
/// removed on the way.
fn entries(dir: &Path) -> io::Result<Vec<Entry>> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let now = SystemTime::now();
    let mut out = Vec::new();
    for entry in listing {
        let entry = entry?;
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let name = entry.file_name();
        if is_part(&name.to_string_lossy()) {
            if now.duration_since(used).is_ok_and(|age| age > STALE_PART) {
                let _ = std::fs::remove_file(entry.path());
            }
            continue;
        }
        out.push(Entry {
            path: entry.path(),
            bytes: meta.len(),
            used,
        });
    }
    Ok(out)
}

/// What the cache holds.
pub fn usage(data_dir: &Path) -> io::Result<Usage> {
    let entries = entries(&cache_dir(data_dir))?;
    Ok(Usage {
        files: entries.len() as u64,
        bytes: entries.iter().map(|e| e.bytes).sum(),
    })
}

/// Removes the least recently used files until the cache holds at most `cap` bytes; `keep`
/// (the file just fetched) goes last. Returns how many files were removed.
pub fn evict(data_dir: &Path, cap: u64, keep: Option<&Path>) -> io::Result<u64> {
    let mut entries = entries(&cache_dir(data_dir))?;
    let mut total: u64 = entries.iter().map(|e| e.bytes).sum();
    if total <= cap {
        return Ok(0);
    }
    entries.sort_by_key(|e| (Some(e.path.as_path()) == keep, e.used));
    let mut removed = 0;
    for entry in entries {
        if total <= cap {
            break;
        }
        match std::fs::remove_file(&entry.path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        total = total.saturating_sub(entry.bytes);
        removed += 1;
    }
    Ok(removed)
}

/// Empties the cache folder (`.part` files too). Returns what it held.
pub fn clear(data_dir: &Path) -> io::Result<Usage> {
    let dir = cache_dir(data_dir);
    let held = usage(data_dir)?;
    let listing = match std::fs::read_dir(&dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(held),
        Err(e) => return Err(e),
    };
    for entry in listing {
        let entry = entry?;
        let path = entry.path();
        let removed = if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        match removed {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(held)
}
