//! The webview's own storage, cleared at sign-out: whatever the pages kept (local storage,
//! IndexedDB, caches, cookies) must not outlive the seller's session.
//!
//! Two steps: every window's webview clears its browsing data through the engine (WebKitGTK's
//! website data manager, WKWebsiteDataStore on macOS, WebView2's profile on Windows); then, on
//! Linux, the folders WebKitGTK keeps on disk are removed too. Tauri points WebKitGTK's data
//! and cache folders at the app-local data folder (`~/.local/share/app.sellerdesk.desktop`,
//! the default data folder as well), and wry keeps its cookie database there as `cookies`.

use sellerdesk_core::wipe::{remove_named, WipeReport};
use std::path::Path;
use tauri::{AppHandle, Manager, Runtime};

/// What WebKitGTK (2.38 and later) creates in its data and cache folders. Names only: nothing
/// else in the folder (the seller's cache, which sign-out wipes separately) is touched.
pub const WEBKITGTK_ENTRIES: &[&str] = &[
    "cookies",
    "localstorage",
    "databases",
    "indexeddb",
    "storage",
    "mediakeys",
    "hsts-storage.sqlite",
    "itp",
    "resourceLoadStatistics",
    "deviceidhashsalts",
    "serviceworkers",
    "CacheStorage",
    "WebKitCache",
    "applications",
    "offlineappcache",
];

/// Removes WebKitGTK's storage from `dir` (the webview's data folder).
pub fn remove_webkitgtk_storage(dir: &Path) -> WipeReport {
    remove_named(dir, WEBKITGTK_ENTRIES)
}

/// Clears the storage of every webview of the app; one line per thing that stayed.
pub fn clear<R: Runtime>(app: &AppHandle<R>) -> Vec<String> {
    let mut problems = Vec::new();
    for (label, window) in app.webview_windows() {
        if let Err(e) = window.clear_all_browsing_data() {
            problems.push(format!(
                "WEBVIEW_STORAGE: the browsing data of window {label} was not cleared: {e}"
            ));
        }
    }
    if cfg!(target_os = "linux") {
        match app.path().app_local_data_dir() {
            Ok(dir) => {
                for left in remove_webkitgtk_storage(&dir).not_removed {
                    problems.push(format!(
                        "WEBVIEW_STORAGE: {} in {} was not removed: {}",
                        left.path,
                        dir.display(),
                        left.message
                    ));
                }
            }
            Err(e) => problems.push(format!(
                "WEBVIEW_STORAGE: the webview's data folder is unknown: {e}"
            )),
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webkit_storage_goes_and_the_sellers_files_are_left_to_sign_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        std::fs::create_dir_all(d.join("localstorage")).expect("dir");
        std::fs::write(d.join("localstorage/tauri_localhost_0.localstorage"), b"x").expect("w");
        std::fs::create_dir_all(d.join("storage/default")).expect("dir");
        std::fs::write(d.join("cookies"), b"x").expect("w");
        std::fs::write(d.join("hsts-storage.sqlite"), b"x").expect("w");
        std::fs::write(d.join("desktop-preferences.json"), b"{}").expect("w");
        let report = remove_webkitgtk_storage(d);
        assert!(report.is_complete(), "{report:?}");
        for gone in ["localstorage", "storage", "cookies", "hsts-storage.sqlite"] {
            assert!(!d.join(gone).exists(), "{gone}");
        }
        assert!(d.join("desktop-preferences.json").exists());
        assert_eq!(report.removed.len(), 4, "{report:?}");
    }
}
