//! How the app behaves on the desktop: keep running in the tray when its window closes, and
//! start at login. Saved in the data folder beside the notification settings.

use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

/// Kept at sign-out: device preferences, no ids (see `sellerdesk_core::wipe`).
const FILE: &str = sellerdesk_core::wipe::DESKTOP_PREFERENCES_FILE;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct DesktopPreferences {
    /// Closing the window keeps the app (connection, notifications) running in the tray.
    pub close_to_tray: bool,
    /// Start when the seller logs in to their desktop.
    pub start_at_login: bool,
    /// Show when a buyer is typing. (The protocol has no client typing or read events, so these
    /// two only decide what the seller sees.)
    pub show_typing: bool,
    /// Show when buyers have read the seller's messages (otherwise read shows as delivered).
    pub show_read_receipts: bool,
    /// Load image previews as messages come into view; when off, a preview is fetched only when
    /// the seller clicks it (nothing is requested from a buyer's URL just by opening a thread).
    pub load_previews_automatically: bool,
}

impl Default for DesktopPreferences {
    fn default() -> Self {
        Self {
            close_to_tray: true,
            start_at_login: false,
            show_typing: true,
            show_read_receipts: true,
            load_previews_automatically: true,
        }
    }
}

impl DesktopPreferences {
    /// The saved preferences, or the defaults.
    pub fn load(data_dir: &Path) -> Self {
        sellerdesk_core::json_file::load_or_default(data_dir, FILE)
    }

    /// Saves them, replacing the file in one step.
    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        sellerdesk_core::json_file::save(data_dir, FILE, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_then_saved_values() {
        let dir = tempfile::tempdir().expect("tempdir");
        let loaded = DesktopPreferences::load(dir.path());
        assert!(loaded.close_to_tray && !loaded.start_at_login);
        let changed = DesktopPreferences {
            close_to_tray: false,
            start_at_login: true,
            show_typing: false,
            show_read_receipts: false,
            load_previews_automatically: false,
        };
        changed.save(dir.path()).expect("save");
        assert_eq!(DesktopPreferences::load(dir.path()), changed);
    }

    #[test]
    fn a_file_from_an_older_version_keeps_its_values_and_gets_the_new_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(FILE),
            r#"{"closeToTray": false, "startAtLogin": true}"#,
        )
        .expect("write");
        let loaded = DesktopPreferences::load(dir.path());
        assert!(!loaded.close_to_tray && loaded.start_at_login);
        assert!(loaded.show_typing && loaded.show_read_receipts);
        assert!(loaded.load_previews_automatically);
    }
}
