//! Printing: JSON (the wire's camelCase, ISO-8601 UTC) for machines, short lines for people.
//!
//! Every human line goes through [`text::for_terminal`] as a whole: whatever server or buyer
//! text it quotes, no escape sequence, control or bidi character reaches the terminal (each
//! shows as U+FFFD). JSON is written as serde_json encodes it, byte for byte.
//!
//! A closed output (`sellerdesk-cli sync | head -1`) is the reader saying "enough": the first
//! failed write marks the output closed, nothing more is printed, and the command ends as it
//! would at its natural end (`sync` shuts the engine down cleanly); the exit code stays 0.
//! Another write failure (a full disk) is reported, and makes the exit code 1.

use sellerdesk_core::models::{
    CacheStats, ClearReport, ConversationView, ListingView, MessageView, NotificationView,
    OrderDetail, OrderView, SearchResult, SearchResultKind,
};
use sellerdesk_core::text;
use serde::Serialize;
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};

const OPEN: u8 = 0;
const CLOSED: u8 = 1;
const FAILED: u8 = 2;
static STDOUT: AtomicU8 = AtomicU8::new(OPEN);

/// What became of standard output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Open,
    /// The reader went away (a broken pipe).
    Closed,
    /// A write failed otherwise; already reported on stderr.
    Failed,
}

pub fn state() -> Output {
    match STDOUT.load(Ordering::Relaxed) {
        OPEN => Output::Open,
        CLOSED => Output::Closed,
        _ => Output::Failed,
    }
}

/// Whether nothing more can be printed.
pub fn closed() -> bool {
    state() != Output::Open
}

/// Writes `line` and a line break to stdout, unless it is already closed.
fn write_line(line: &str) {
    if closed() {
        return;
    }
    let mut out = std::io::stdout().lock();
    let written = out
        .write_all(line.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT.store(CLOSED, Ordering::Relaxed);
        }
        Err(e) => {
            STDOUT.store(FAILED, Ordering::Relaxed);
            warn(format_args!("error: cannot write the output: {e}"));
        }
    }
}

/// One line for people (see the module's notes).
pub fn human(line: std::fmt::Arguments<'_>) {
    write_line(&text::for_terminal(&line.to_string()));
}

/// One line on stderr for people, made safe like [`human`]; a closed stderr is ignored (there
/// is nowhere left to say anything).
pub fn warn(line: std::fmt::Arguments<'_>) {
    let line = line.to_string();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", text::for_terminal(&line));
}

/// `println!` for people: see [`human`].
macro_rules! say {
    ($($arg:tt)*) => { $crate::output::human(format_args!($($arg)*)) };
}

/// `eprintln!` for people: see [`warn`].
macro_rules! note {
    ($($arg:tt)*) => { $crate::output::warn(format_args!($($arg)*)) };
}
pub(crate) use {note, say};

pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string(value) {
        Ok(text) => write_line(&text),
        Err(e) => note!("error: cannot encode output: {e}"),
    }
}

pub fn conversations(list: &[ConversationView]) {
    for c in list {
        let who: Vec<&str> = c.participants.iter().map(|p| p.name.as_str()).collect();
        let last = c
            .last_message
            .as_ref()
            .map(|m| m.content.as_str())
            .unwrap_or("");
        say!(
            "{}  [{} unread]  {}  {}",
            c.id,
            c.unread_count,
            who.join(", "),
            last
        );
    }
}

pub fn messages(list: &[MessageView]) {
    for m in list {
        say!(
            "{}  {}  {} ({}): {}",
            m.timestamp,
            m.status,
            m.sender.name,
            m.sender.id,
            m.content
        );
    }
}

pub fn orders(list: &[OrderView]) {
    for o in list {
        let payment = o
            .payment
            .as_ref()
            .map(|p| format!("{} {:.2} {}", p.status, p.amount, p.currency))
            .unwrap_or_else(|| "-".into());
        let shipping = o
            .shipping
            .as_ref()
            .map(|s| format!("{} {}", s.status, s.carrier.as_deref().unwrap_or("")))
            .unwrap_or_else(|| "-".into());
        say!(
            "{}  status {}  payment {}  shipping {}",
            o.id,
            o.status.as_deref().unwrap_or("-"),
            payment,
            shipping.trim_end()
        );
    }
}

pub fn order_detail(detail: &OrderDetail) {
    orders(std::slice::from_ref(&detail.order));
    for entry in &detail.timeline {
        let what = if let Some(s) = &entry.status {
            format!(
                "{} -> {} by {} ({})",
                s.previous_status.as_str(),
                s.status.as_str(),
                s.updated_by.id,
                s.updated_by.role.as_str()
            )
        } else if let Some(p) = &entry.payment {
            format!(
                "{} {:.2} {} {}",
                p.status.as_str(),
                p.amount,
                p.currency,
                p.payment_method
            )
        } else if let Some(s) = &entry.shipping {
            format!(
                "{} {} {}",
                s.status.as_str(),
                s.carrier.as_deref().unwrap_or(""),
                s.tracking_number.as_deref().unwrap_or("")
            )
        } else {
            "(unreadable)".into()
        };
        say!("  {}  {:<8} {}", entry.at, entry.kind, what.trim_end());
    }
}

pub fn listings(list: &[ListingView]) {
    for l in list {
        let stock = l
            .stock
            .as_ref()
            .map(|s| {
                format!(
                    "{} left ({})",
                    s.quantity,
                    s.status.as_deref().unwrap_or("-")
                )
            })
            .unwrap_or_else(|| "stock unknown".into());
        let price = l
            .price
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_else(|| "-".into());
        let flag = if l.low_stock { "LOW  " } else { "     " };
        say!("{flag}{}  {stock}  price {price}", l.id);
    }
}

pub fn notifications(list: &[NotificationView]) {
    for n in list {
        let mark = if n.read { " " } else { "*" };
        say!(
            "{mark} {}  {}  [{}] {}: {}",
            n.timestamp,
            n.id,
            n.kind,
            n.title,
            n.message
        );
    }
}

pub fn search(list: &[SearchResult]) {
    for r in list {
        let target = match r.kind {
            SearchResultKind::Message => format!(
                "message {} in {}",
                r.message_id.as_deref().unwrap_or(""),
                r.conversation_id.as_deref().unwrap_or("")
            ),
            SearchResultKind::Order => format!("order {}", r.order_id.as_deref().unwrap_or("")),
            SearchResultKind::Listing => {
                format!("listing {}", r.listing_id.as_deref().unwrap_or(""))
            }
        };
        // Matches between brackets, for a terminal.
        let snippet: String = r
            .snippet
            .iter()
            .map(|s| {
                if s.hit {
                    format!("[{}]", s.text)
                } else {
                    s.text.clone()
                }
            })
            .collect();
        say!("{}  {target}  {}", r.timestamp, snippet.replace('\n', " "));
    }
}

pub fn cache_stats(stats: &CacheStats) {
    for k in &stats.kinds {
        say!("{:<14} {:>10} rows {:>14} bytes", k.kind, k.rows, k.bytes);
    }
    say!(
        "{:<14} {:>10} rows {:>14} bytes (file {} bytes; bytes from {})",
        "total",
        stats.total_rows,
        stats.total_bytes,
        stats.file_bytes,
        stats.bytes_source
    );
}

pub fn cleared(report: &ClearReport) {
    let outbox = if report.outbox_cleared {
        "the outbox too"
    } else {
        "unsent messages kept"
    };
    say!(
        "cache cleared: {} rows removed ({outbox}); file {} -> {} bytes; {} attachment files ({} bytes) removed",
        report.rows_removed,
        report.file_bytes_before,
        report.file_bytes_after,
        report.attachment_files_removed,
        report.attachment_bytes_removed
    );
}
