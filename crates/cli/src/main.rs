//! `sellerdesk-cli`: a thin command-line shell over the Seller Desk engine.
//!
//! Exit codes: 0 success, 1 error, 2 usage, 3 the server rejected the token (`AUTH_FAILED`).

mod commands;
mod output;

use clap::{Parser, Subcommand};
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
    /// Cached conversations, most recent first.
    Conversations {
        #[arg(long)]
        json: bool,
    },
    /// A conversation's cached messages, oldest first.
    Messages {
        conversation_id: String,
        #[arg(long)]
        json: bool,
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
    },
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
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
