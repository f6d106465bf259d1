//! Removing the seller's data from the data folder at sign-out. Every entry is tried whatever
//! happened to the others, and the outcome names what stayed and why.
//!
//! What goes (all of it the seller's, or naming their buyers and conversations):
//!   account.json                       which server
//!   cache.sqlite3, -wal, -shm, -journal   the cache with its search index and outbox
//!   cache.sqlite3.corrupt-<time>*      damaged caches moved aside on open
//!   attachments/                       cached attachment files, with any partial download
//!   notification-settings.json         holds muted conversation ids
//!   every other *.json                 any settings file: by default it may hold ids
//!   *.partial, .*.part                 files being written when the app stopped
//! What stays (device preferences holding no ids or buyer data):
//!   desktop-preferences.json           close to tray, start at login, typing/read display
//!   keychain-cleanup.json              servers whose keychain entry still has to go (no secret)
//!   folders other than attachments/    e.g. the demo's own subfolder; the webview's storage
//!                                      is cleared by the app, which knows its names

use serde::{Deserialize, Serialize};
use std::path::Path;

/// Files in the data folder that survive sign-out: preferences of this computer, not the seller's
/// data. Anything not named here that looks like a settings file is wiped.
pub const DEVICE_FILES: &[&str] = &[
    DESKTOP_PREFERENCES_FILE,
    crate::keychain_cleanup::CLEANUP_FILE,
];

/// The app's desktop preferences (tray, start at login, what is shown): no ids in it.
pub const DESKTOP_PREFERENCES_FILE: &str = "desktop-preferences.json";

/// Something sign-out could not remove.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotRemoved {
    /// Relative to the data folder (a folder ends with `/`).
    pub path: String,
    /// `REMOVE_FAILED`, or `DATA_DIR_UNREADABLE` when the folder itself could not be listed.
    pub code: String,
    pub message: String,
}

/// What a wipe removed and what it could not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WipeReport {
    /// Relative to the data folder (a folder ends with `/`).
    pub removed: Vec<String>,
    pub not_removed: Vec<NotRemoved>,
}

impl WipeReport {
    fn remove(&mut self, dir: &Path, name: &str) {
        let path = dir.join(name);
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) => {
                self.not_removed.push(NotRemoved {
                    path: name.to_owned(),
                    code: "REMOVE_FAILED".into(),
                    message: e.to_string(),
                });
                return;
            }
        };
        let (shown, result) = if meta.is_dir() {
            (format!("{name}/"), std::fs::remove_dir_all(&path))
        } else {
            (name.to_owned(), std::fs::remove_file(&path))
        };
        match result {
            Ok(()) => self.removed.push(shown),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => self.not_removed.push(NotRemoved {
                path: shown,
                code: "REMOVE_FAILED".into(),
                message: e.to_string(),
            }),
        }
    }

    /// Everything went.
    pub fn is_complete(&self) -> bool {
        self.not_removed.is_empty()
    }
}

/// Whether a top-level entry of the data folder is the seller's data (see the module docs).
fn is_seller_data(name: &str, is_dir: bool) -> bool {
    if is_dir {
        return name == crate::account::ATTACHMENTS_DIR;
    }
    if DEVICE_FILES.contains(&name) {
        return false;
    }
    name == crate::account::ACCOUNT_FILE
        || name.starts_with(crate::store::DATABASE_FILE)
        || name.ends_with(".json")
        || name.ends_with(crate::json_file::PARTIAL_SUFFIX)
        || (name.starts_with('.') && name.ends_with(".part"))
}

/// Removes the seller's data from `data_dir` (see the module docs). The caller closes the cache
/// first. A missing folder is nothing to remove.
pub fn wipe_seller_data(data_dir: &Path) -> WipeReport {
    let mut report = WipeReport::default();
    let entries = match std::fs::read_dir(data_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return report,
        Err(e) => {
            report.not_removed.push(NotRemoved {
                path: String::new(),
                code: "DATA_DIR_UNREADABLE".into(),
                message: format!("cannot list {}: {e}", data_dir.display()),
            });
            return report;
        }
    };
    let mut names: Vec<String> = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                report.not_removed.push(NotRemoved {
                    path: String::new(),
                    code: "DATA_DIR_UNREADABLE".into(),
                    message: format!("cannot list {}: {e}", data_dir.display()),
                });
                continue;
            }
        };
        // A link counts as a file: removing it never reaches what it points to.
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        match entry.file_name().into_string() {
            Ok(name) if is_seller_data(&name, is_dir) => names.push(name),
            _ => {}
        }
    }
    // The database before its WAL/SHM and the account last: an interrupted wipe still leaves
    // the folder looking signed in, so signing out again finishes it.
    names.sort_by_key(|name| (name == crate::account::ACCOUNT_FILE, name.clone()));
    for name in names {
        report.remove(data_dir, &name);
    }
    report
}

/// Removes the named entries of `dir` (files or whole folders), e.g. a webview's storage.
pub fn remove_named(dir: &Path, names: &[&str]) -> WipeReport {
    let mut report = WipeReport::default();
    for name in names {
        report.remove(dir, name);
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seller_data_goes_and_device_preferences_stay() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let seller = [
            "account.json",
            "cache.sqlite3",
            "cache.sqlite3-wal",
            "cache.sqlite3-shm",
            "cache.sqlite3-journal",
            "cache.sqlite3.corrupt-20261201T000000000Z",
            "cache.sqlite3.corrupt-20261201T000000000Z-wal",
            "notification-settings.json",
            "notification-settings.json.partial",
            "desktop-preferences.json.partial",
            "some-future-settings.json",
            ".photo.jpg.0123456789abcdef.part",
        ];
        for name in seller {
            std::fs::write(d.join(name), b"x").expect("write");
        }
        std::fs::create_dir_all(d.join("attachments/c1")).expect("dir");
        std::fs::write(d.join("attachments/c1/photo.jpg"), b"x").expect("write");
        std::fs::write(d.join("attachments/c1/.photo.jpg.00ff.part"), b"x").expect("write");
        let kept = [
            "desktop-preferences.json",
            "keychain-cleanup.json",
            "notes.txt",
        ];
        for name in kept {
            std::fs::write(d.join(name), b"x").expect("write");
        }
        std::fs::create_dir(d.join("demo")).expect("demo dir");

        let report = wipe_seller_data(d);

        assert!(report.is_complete(), "{report:?}");
        for name in seller {
            assert!(!d.join(name).exists(), "{name} removed");
            assert!(report.removed.contains(&name.to_owned()), "{name} reported");
        }
        assert!(!d.join("attachments").exists());
        assert!(report.removed.contains(&"attachments/".to_owned()));
        assert_eq!(
            report.removed.last().map(String::as_str),
            Some("account.json")
        );
        for name in kept {
            assert!(d.join(name).exists(), "{name} kept");
        }
        assert!(d.join("demo").exists());
    }

    #[test]
    fn a_link_is_removed_not_followed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).expect("dir");
        std::fs::write(outside.join("keep.txt"), b"x").expect("write");
        let data = dir.path().join("data");
        std::fs::create_dir(&data).expect("dir");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, data.join("attachments")).expect("symlink");
        let report = wipe_seller_data(&data);
        assert!(report.is_complete(), "{report:?}");
        assert!(outside.join("keep.txt").exists());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn what_cannot_be_removed_is_named_and_the_rest_still_goes() {
        use std::os::unix::fs::{chown, PermissionsExt};
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path().to_owned();
        std::fs::create_dir_all(d.join("attachments/c1")).expect("dir");
        std::fs::write(d.join("attachments/c1/photo.jpg"), b"x").expect("write");
        std::fs::write(d.join("account.json"), b"{}").expect("write");
        let as_root = rustix::process::geteuid().is_root();
        if as_root {
            // Root may remove anything: the wipe runs as another user, for whom the folder of
            // one conversation (root's, 0755) cannot be emptied.
            for path in [d.clone(), d.join("attachments"), d.join("account.json")] {
                chown(&path, Some(65534), Some(65534)).expect("chown");
            }
        } else {
            std::fs::set_permissions(
                d.join("attachments/c1"),
                std::fs::Permissions::from_mode(0o500),
            )
            .expect("chmod");
        }
        let wiped = d.clone();
        let report = std::thread::spawn(move || {
            if as_root {
                // This thread only; it ends with the wipe.
                rustix::thread::set_thread_uid(rustix::process::Uid::from_raw(65534))
                    .expect("setuid");
            }
            wipe_seller_data(&wiped)
        })
        .join()
        .expect("wipe thread");
        if !as_root {
            std::fs::set_permissions(
                d.join("attachments/c1"),
                std::fs::Permissions::from_mode(0o700),
            )
            .expect("chmod back");
        }
        assert_eq!(report.not_removed.len(), 1, "{report:?}");
        assert_eq!(report.not_removed[0].path, "attachments/");
        assert_eq!(report.not_removed[0].code, "REMOVE_FAILED");
        assert!(!report.is_complete());
        assert!(!d.join("account.json").exists(), "the rest still goes");
        assert!(report.removed.contains(&"account.json".to_owned()));
    }
}
