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
    /// The UI's text size, in percent of the desktop's (Ctrl+= / Ctrl+- / Ctrl+0). Always within
    /// TEXT_ZOOM_MIN..=TEXT_ZOOM_MAX: a value out of range or unreadable in the file is clamped or
    /// replaced by the default rather than losing the other preferences.
    #[serde(deserialize_with = "text_zoom_from_any_number")]
    pub text_zoom: u16,
}

/// The text zoom's range and default, in percent; ui/src/app/zoom.ts steps within the same.
pub const TEXT_ZOOM_MIN: u16 = 50;
pub const TEXT_ZOOM_MAX: u16 = 200;
pub const TEXT_ZOOM_DEFAULT: u16 = 100;

fn clamp_text_zoom(percent: f64) -> u16 {
    if percent.is_finite() {
        // In range after the clamp, so the cast is exact.
        percent
            .round()
            .clamp(f64::from(TEXT_ZOOM_MIN), f64::from(TEXT_ZOOM_MAX)) as u16
    } else {
        TEXT_ZOOM_DEFAULT
    }
}

/// Any JSON value: a number is clamped into range, anything else is the default.
fn text_zoom_from_any_number<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<u16, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(value.as_f64().map_or(TEXT_ZOOM_DEFAULT, clamp_text_zoom))
}

impl Default for DesktopPreferences {
    fn default() -> Self {
        Self {
            close_to_tray: true,
            start_at_login: false,
            show_typing: true,
            show_read_receipts: true,
            load_previews_automatically: true,
            text_zoom: TEXT_ZOOM_DEFAULT,
        }
    }
}

impl DesktopPreferences {
    /// The saved preferences, or the defaults.
    pub fn load(data_dir: &Path) -> Self {
        sellerdesk_core::json_file::load_or_default(data_dir, FILE)
    }

    /// Saves them (the text zoom clamped into range), replacing the file in one step.
    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        let saved = Self {
            text_zoom: clamp_text_zoom(f64::from(self.text_zoom)),
            ..self.clone()
        };
        sellerdesk_core::json_file::save(data_dir, FILE, &saved)
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
            text_zoom: 175,
        };
        changed.save(dir.path()).expect("save");
        assert_eq!(DesktopPreferences::load(dir.path()), changed);
    }

    #[test]
    fn the_text_zoom_is_clamped_when_saved() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (asked, kept) in [
            (10, TEXT_ZOOM_MIN),
            (0, TEXT_ZOOM_MIN),
            (u16::MAX, TEXT_ZOOM_MAX),
        ] {
            let preferences = DesktopPreferences {
                text_zoom: asked,
                ..DesktopPreferences::default()
            };
            preferences.save(dir.path()).expect("save");
            assert_eq!(
                DesktopPreferences::load(dir.path()).text_zoom,
                kept,
                "{asked}"
            );
        }
    }

    #[test]
    fn a_text_zoom_out_of_range_or_unreadable_in_the_file_is_clamped_and_keeps_the_rest() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (written, kept) in [
            ("125", 125),
            ("124.6", 125),
            ("7", TEXT_ZOOM_MIN),
            ("-40", TEXT_ZOOM_MIN),
            ("100000", TEXT_ZOOM_MAX),
            ("1e308", TEXT_ZOOM_MAX),
            ("\"big\"", TEXT_ZOOM_DEFAULT),
            ("null", TEXT_ZOOM_DEFAULT),
        ] {
            std::fs::write(
                dir.path().join(FILE),
                format!(r#"{{"closeToTray": false, "textZoom": {written}}}"#),
            )
            .expect("write");
            let loaded = DesktopPreferences::load(dir.path());
            assert_eq!(loaded.text_zoom, kept, "{written}");
            assert!(
                !loaded.close_to_tray,
                "{written}: the other values are kept"
            );
        }
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
        assert_eq!(loaded.text_zoom, TEXT_ZOOM_DEFAULT);
    }
}
