//! Page sizes of every list, defined once. The app's commands page with these when the UI does
//! not say, the CLI pages with [`DEFAULT`], and the UI reads the same numbers from the generated
//! `ui/src/bindings/pages.ts` (`PAGES`). Only `pub const NAME: u32 = <number>;` items belong
//! here: the generator reads this file and refuses anything else.

/// Conversations per page of the inbox.
pub const CONVERSATIONS: u32 = 100;

/// Messages per page of a thread.
pub const THREAD: u32 = 100;

/// Orders per page.
pub const ORDERS: u32 = 200;

/// Listings per page.
pub const LISTINGS: u32 = 100;

/// Notifications per page of the notification center.
pub const NOTIFICATIONS: u32 = 100;

/// Search results per page.
pub const SEARCH: u32 = 50;

/// A page of a list no one chose a size for (`PageRequest::default`, the CLI's `--limit`).
pub const DEFAULT: u32 = 50;

/// The largest page of any list: every limit is clamped to `1..=MAX`, so no input can ask for
/// a whole big cache at once.
pub const MAX: u32 = 1000;
