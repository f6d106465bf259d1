//! Seller Desk's engine, free of Tauri: the desktop app and `sellerdesk-cli` are thin shells
//! over it.

pub mod account;
pub mod alerts;
pub mod attachments;
pub mod credentials;
pub mod engine;
pub mod external_links;
pub mod json_file;
pub mod jwt;
pub mod links;
pub mod models;
pub mod paths;
pub mod sensitive;
pub mod socket;
pub mod store;

pub use sellerdesk_protocol as protocol;
