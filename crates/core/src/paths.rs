//! Where Seller Desk keeps its files.

use std::path::PathBuf;

/// The application id; also the Tauri identifier, so the CLI and the app share one folder.
pub const APP_ID: &str = "app.sellerdesk.desktop";

/// The OS app-data folder for Seller Desk (e.g. `~/.local/share/app.sellerdesk.desktop`).
pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(APP_ID))
}
