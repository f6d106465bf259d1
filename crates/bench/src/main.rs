//! `sellerdesk-bench`: prints figures, asserts nothing. Each benchmark runs its reference in the
//! same run. Build with `--release` for meaningful numbers:
//!   cargo run --release -p sellerdesk-bench -- all
//!   cargo run --release -p sellerdesk-bench -- cache   (issue 4: a generated 1,000,000-message cache)

mod cache;
mod committed;
mod flood;
mod hostile;
mod pong;
mod reconnect;
mod stats;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Seller Desk engine benchmarks (figures, not pass/fail)")]
struct Cli {
    #[command(subcommand)]
    which: Which,
}

#[derive(Subcommand)]
enum Which {
    /// Events per second from socket to committed cache, beside socket.io-client.
    Flood {
        #[arg(long, default_value_t = 50_000)]
        events: usize,
    },
    /// Server back -> connected with the outbox flushed, beside the scheduled backoff.
    Reconnect {
        #[arg(long, default_value_t = 10)]
        trials: usize,
    },
    /// pong latency under a flood, beside socket.io-client.
    Pong {
        #[arg(long, default_value_t = 5_000)]
        rate: usize,
        #[arg(long, default_value_t = 10)]
        seconds: usize,
    },
    /// A hostile server (1 GiB of 256 KiB messages and 100,000 typing events as fast as read):
    /// peak RSS of `sellerdesk-cli sync` and of the app, pong p50/p99, whether the connection
    /// survived and the message after the flood was cached. Run under scripts/with-services.sh.
    Hostile {
        #[arg(long, default_value_t = 1 << 30)]
        bytes: u64,
        #[arg(long, default_value_t = 256 << 10)]
        message_bytes: u64,
        #[arg(long, default_value_t = 100_000)]
        typing: u64,
        /// The app binary (default: `sellerdesk` beside this one, if built).
        #[arg(long)]
        app: Option<PathBuf>,
    },
    /// All of the above with their defaults.
    All,
    /// Builds a cache through the real ingest path (seeded, deterministic); prints the ingest rate.
    Generate {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long, default_value_t = cache::DEFAULT_MESSAGES)]
        messages: usize,
        #[arg(long, default_value_t = cache::DEFAULT_CONVERSATIONS)]
        conversations: usize,
        #[arg(long, default_value_t = cache::DEFAULT_SEED)]
        seed: u64,
    },
    /// Open, paging, search and bytes per message on a generated cache (a fresh one in a
    /// temporary folder, with the defaults, when no --dir).
    Cache {
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.which {
            Which::Flood { events } => flood::run(events).await,
            Which::Reconnect { trials } => reconnect::run(trials).await,
            Which::Pong { rate, seconds } => pong::run(rate, seconds).await,
            Which::Hostile {
                bytes,
                message_bytes,
                typing,
                app,
            } => {
                let flood = hostile::Flood {
                    bytes,
                    message_bytes,
                    typing,
                };
                hostile::run(flood, app).await
            }
            Which::Generate {
                dir,
                messages,
                conversations,
                seed,
            } => cache::generate(&dir, messages, conversations, seed).await,
            Which::Cache { dir } => cache::cache(dir).await,
            Which::All => {
                flood::run(50_000).await?;
                reconnect::run(10).await?;
                pong::run(5_000, 10).await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
