//! Seller Desk's engine, free of Tauri: the desktop app and `sellerdesk-cli` are thin shells
//! over it.

pub mod account;
pub mod alerts;
pub mod attachments;
pub mod credentials;
pub mod engine;
pub mod external_links;
pub mod file_names;
pub mod json_file;
pub mod jwt;
pub mod keychain_cleanup;
pub mod links;
pub mod models;
pub mod navigation;
pub mod pages;
pub mod paths;
mod percent;
pub mod sensitive;
pub mod server_url;
pub mod sign_out;
pub mod socket;
pub mod store;
pub mod text;
pub mod throttle;
pub mod wipe;

pub use sellerdesk_protocol as protocol;
