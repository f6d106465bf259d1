//! `sellerdesk-cli`: a thin command-line shell over the Seller Desk engine.
//!
//! Exit codes: 0 success, 1 error, 2 usage, 3 the server rejected the token (`AUTH_FAILED`).
//! Standard output closed by its reader (`sync | head -1`) ends the command quietly with 0;
//! any other failure to write the output is 1.

mod attachments;
mod commands;
mod output;

use clap::{Parser, Subcommand};
use sellerdesk_core::protocol::Timestamp;
use sellerdesk_core::store::MessageCursor;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "sellerdesk-cli",
    version,
    about = "Seller Desk from the terminal"
)]
struct Cli {
    /// The data folder (cache, account). Defaults to the OS app-data folder.
    #[arg(long, global = true, env = "SELLERDESK_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Give up on the OS keychain after this many seconds (a locked keychain waits for the user
    /// to unlock it).
    #[arg(
        long,
        global = true,
        env = "SELLERDESK_KEYCHAIN_TIMEOUT",
        default_value_t = 60.0
    )]
    keychain_timeout: f64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a token against the server and keep it in the OS keychain.
    Login {
        /// The marketplace server, e.g. http://127.0.0.1:4000
        #[arg(long)]
        server: String,
        /// Read the raw JWT (no `Bearer ` prefix) from standard input.
        #[arg(long, required = true)]
        token_stdin: bool,
    },
    /// Remove the token from the keychain and wipe the local cache.
    Logout,
    /// Connect, cache every event and print each as a JSON line.
    Sync {
        /// Stop after this many seconds (default: until interrupted).
        #[arg(long = "for", value_name = "SECONDS")]
        for_seconds: Option<f64>,
    },
    /// Cached conversations, most recent first (all of them, or a page with --limit).
    Conversations {
        #[arg(long)]
        json: bool,
        /// At most this many conversations (1-1000); all when absent.
        #[arg(long)]
        limit: Option<u32>,
        /// Skip this many conversations (with --limit).
        #[arg(long, default_value_t = 0, requires = "limit")]
        offset: u32,
    },
    /// A conversation's cached messages, oldest first.
    Messages {
        conversation_id: String,
        #[arg(long)]
        json: bool,
        /// Only the newest N messages (before `--before` when given), 1-1000.
        #[arg(long)]
        limit: Option<u32>,
        /// Only messages strictly before this one: `TIMESTAMP,ID` (ISO-8601 or epoch ms).
        #[arg(long, value_parser = parse_cursor)]
        before: Option<MessageCursor>,
    },
    /// Queue a message in the outbox and send it if the server is reachable.
    Send {
        conversation_id: String,
        text: String,
    },
    /// Cached orders with status, payment and shipping.
    Orders {
        #[arg(long)]
        json: bool,
        /// Only orders with this status (e.g. shipped); pages with --limit/--offset.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long)]
        offset: Option<u32>,
    },
    /// One cached order with its whole timeline.
    Order {
        order_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Cached listings, out of stock and low stock first.
    Listings {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Cached notifications, unread first (expired system notices hidden).
    Notifications {
        #[arg(long)]
        json: bool,
        /// Mark this notification read (locally) first; repeatable.
        #[arg(long, value_name = "ID")]
        mark_read: Vec<String>,
        /// Mark every notification read (locally) first.
        #[arg(long)]
        mark_all_read: bool,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Search cached messages, buyer names, order and listing ids.
    /// Filters: buyer:NAME, order:ID, in:CONVERSATION_ID (values may be "quoted").
    Search {
        query: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        page: PageArgs,
    },
    /// The local cache: what it holds, or empty it.
    Cache {
        #[command(subcommand)]
        command: CacheCommand,
    },
    /// A cached message's attachments: name, type, size and URL.
    Attachments {
        message_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Save an attachment of a cached message.
    Attachment {
        #[command(subcommand)]
        command: AttachmentCommand,
    },
}

#[derive(Subcommand, Debug)]
enum AttachmentCommand {
    /// Download one attachment of MESSAGE_ID into DIR (default: Downloads) under its safe name,
    /// next to any file already there; prints the saved path.
    Save {
        message_id: String,
        url: String,
        /// The folder to save into (created if missing).
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Also save types that run programs when opened (.exe, .sh, .js, macro documents, …).
        #[arg(long)]
        allow_executable: bool,
    },
}

#[derive(Subcommand, Debug)]
enum CacheCommand {
    /// Rows and bytes per kind.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Empty every cached table and the search index; unsent messages stay unless --include-outbox.
    Clear {
        #[arg(long)]
        include_outbox: bool,
        #[arg(long)]
        json: bool,
    },
}

/// `TIMESTAMP,ID`; the id may itself contain commas.
fn parse_cursor(text: &str) -> Result<MessageCursor, String> {
    let (at, id) = text
        .split_once(',')
        .ok_or_else(|| format!("expected TIMESTAMP,ID, got {text:?}"))?;
    let timestamp = match at.trim().parse::<i64>() {
        Ok(ms) => Timestamp::from_millis(ms),
        Err(_) => Timestamp::parse_iso(at.trim()),
    }
    .ok_or_else(|| format!("not a timestamp (ISO-8601 or epoch ms): {at:?}"))?;
    if id.is_empty() {
        return Err("the message id after the comma is missing".into());
    }
    Ok(MessageCursor {
        timestamp,
        id: id.to_owned(),
    })
}

#[derive(clap::Args, Debug, Clone, Copy)]
struct PageArgs {
    /// At most this many items (1-1000).
    #[arg(long, default_value_t = sellerdesk_core::pages::DEFAULT)]
    limit: u32,
    /// Skip this many items.
    #[arg(long, default_value_t = 0)]
    offset: u32,
}

/// Failures the CLI reports, each with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    AuthFailed(String),
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    fn exit_code(&self) -> u8 {
        match self {
            Self::AuthFailed(_) => 3,
            Self::Failed(_) => 1,
        }
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SELLERDESK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    // Whatever this process creates (cache, WAL, settings) is the seller's only.
    sellerdesk_core::paths::restrict_new_files();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            output::note!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(commands::run(cli));
    match result {
        // A reader that went away early (`| head -1`) is a normal end; a failed write is not.
        Ok(()) if output::state() == output::Output::Failed => ExitCode::from(1),
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::note!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
