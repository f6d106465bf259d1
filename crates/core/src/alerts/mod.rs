//! Which events become native notifications, and how a burst of them reads (issue 5).
//!
//! Tauri-free: the app feeds it the events the engine applied and shows what comes out.
//! - [`classify`] turns an event into an [`Alert`] (or nothing: most events only update views);
//! - [`decide`] applies the seller's [`NotificationSettings`] (categories, do not disturb,
//!   muted conversations, pause) and what is on screen ([`Focus`]);
//! - [`Coalescer`] gathers what passed within a short window into one [`Notice`], and turns
//!   what replays into the cache after a (re)connect into one "while you were away" summary.

mod classify;
mod coalesce;
mod notifier;
mod policy;
mod settings;

pub use classify::{classify, Alert, AlertKind};
pub use coalesce::{summarize, Coalescer, Notice, BURST_WINDOW, REPLAY_DEADLINE, REPLAY_WINDOW};
pub use notifier::{NoticeSink, Notifier};
pub use policy::{decide, Focus, SharedFocus, Verdict};
pub use settings::{
    Category, CategorySwitches, DoNotDisturb, NotificationSettings, QuietHours, SETTINGS_FILE,
};

#[cfg(test)]
mod tests;
