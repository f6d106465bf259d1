//! How the app behaves on the desktop: keep running in the tray when its window closes, and
//! start at login. Saved in the data folder beside the notification settings.

use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

const FILE: &str = "desktop-preferences.json";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct DesktopPreferences {
    /// Closing the window keeps the app (connection, notifications) running in the tray.
    pub close_to_tray: bool,
    /// Start when the seller logs in to their desktop.
    pub start_at_login: bool,
}

impl Default for DesktopPreferences {
    fn default() -> Self {
        Self {
            close_to_tray: true,
            start_at_login: false,
        }
    }
}

impl DesktopPreferences {
    /// The saved preferences, or the defaults (an unreadable file is logged, not fatal).
    pub fn load(data_dir: &Path) -> Self {
        let path = data_dir.join(FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!("ignoring unreadable {}: {e}", path.display());
                Self::default()
            }),
            Err(_) => Self::default(),
        }
    }

    /// Saves them, replacing the file in one step.
    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        std::fs::create_dir_all(data_dir)?;
        let partial = data_dir.join(format!("{FILE}.partial"));
        std::fs::write(&partial, json)?;
        std::fs::rename(&partial, data_dir.join(FILE))
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
        };
        changed.save(dir.path()).expect("save");
        assert_eq!(DesktopPreferences::load(dir.path()), changed);
    }
}
