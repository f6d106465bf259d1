//! Saved attachments are marked as downloaded from the internet, so the system warns before
//! opening them the way it does for a browser's downloads: the `Zone.Identifier` stream on
//! Windows (zone 3, "Internet"), the `com.apple.quarantine` attribute on macOS (Gatekeeper),
//! and `user.xdg.origin.url` on Linux (file managers show where a file came from; nothing
//! enforces it there). A file system without streams or extended attributes (FAT, tmpfs)
//! cannot hold the mark: the file is kept, and the failure logged.

use reqwest::Url;
use std::path::Path;

/// The URL as recorded in the mark: without user name, password or fragment.
pub fn recorded_url(url: &Url) -> String {
    let mut clean = url.clone();
    let _ = clean.set_username("");
    let _ = clean.set_password(None);
    clean.set_fragment(None);
    clean.to_string()
}

/// The `Zone.Identifier` stream's text for a file from `url`.
pub fn zone_identifier(url: &Url) -> String {
    format!(
        "[ZoneTransfer]\r\nZoneId=3\r\nHostUrl={}\r\n",
        recorded_url(url)
    )
}

/// Marks `path` as downloaded from `url`. Returns whether the mark was written.
pub fn mark_downloaded(path: &Path, url: &Url) -> bool {
    match write_mark(path, url) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "cannot mark a saved attachment as downloaded");
            false
        }
    }
}

#[cfg(windows)]
fn write_mark(path: &Path, url: &Url) -> std::io::Result<()> {
    let mut stream = path.as_os_str().to_owned();
    stream.push(":Zone.Identifier");
    std::fs::write(std::path::PathBuf::from(stream), zone_identifier(url))
}

#[cfg(target_os = "macos")]
fn write_mark(path: &Path, _url: &Url) -> std::io::Result<()> {
    // flags;hex seconds since 1970;agent;event id. 0081: downloaded, not yet checked by
    // Gatekeeper (the value browsers write).
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let event = uuid::Uuid::new_v4().hyphenated().to_string().to_uppercase();
    let value = format!("0081;{seconds:08x};Seller Desk;{event}");
    xattr::set(path, "com.apple.quarantine", value.as_bytes())
}

#[cfg(target_os = "linux")]
fn write_mark(path: &Path, url: &Url) -> std::io::Result<()> {
    xattr::set(path, "user.xdg.origin.url", recorded_url(url).as_bytes())
}

#[cfg(not(any(windows, target_os = "macos", target_os = "linux")))]
fn write_mark(_path: &Path, _url: &Url) -> std::io::Result<()> {
    Ok(())
}
