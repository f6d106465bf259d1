//! The marketplace's Socket.IO API (`websocket-api.md`) as Rust types.
//!
//! Wire rules (DESIGN.md): camelCase fields, unknown fields ignored, unknown enum values kept as
//! `Other(String)`, dates accepted as ISO-8601 strings or epoch milliseconds, and a payload that
//! lacks a required field is a [`DecodeError::InvalidPayload`], never a panic.

mod events;
pub mod limits;
mod open_enum;
mod timestamp;
mod wire;

pub use events::*;
pub use timestamp::Timestamp;
pub use wire::{ClientEvent, DecodeError, ServerEvent, SERVER_EVENT_NAMES};
