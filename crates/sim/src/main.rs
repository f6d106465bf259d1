//! `marketplace-sim`: runs the simulator until Ctrl-C or SIGTERM.
//!
//! The first stdout line is `listening on http://127.0.0.1:PORT`; everything else goes to stderr.

use clap::Parser;
use marketplace_sim::{SimConfig, Simulator};
use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;
use std::time::Duration;

/// Marketplace Socket.IO simulator (dev/demo server and test peer of Seller Desk).
#[derive(Debug, Parser)]
#[command(name = "marketplace-sim", version)]
struct Cli {
    /// TCP port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Seed of the world and its traffic (random when omitted; the log shows it).
    #[arg(long)]
    seed: Option<u64>,
    /// Generated events per second after the initial burst (0: only the burst).
    #[arg(long, default_value_t = 2.0)]
    rate: f64,
    /// Interval of the application-level `ping` event, in milliseconds.
    #[arg(long, default_value_t = 25_000)]
    ping_interval_ms: u64,
    /// Delay before a sent message is reported `delivered`, in milliseconds.
    #[arg(long, default_value_t = 300)]
    delivered_delay_ms: u64,
    /// Delay before a sent message is reported `read`, in milliseconds.
    #[arg(long, default_value_t = 1_500)]
    read_delay_ms: u64,
    /// Accepted JWT (repeatable; with or without `Bearer `). Without any, a demo token is issued
    /// and printed to stderr.
    #[arg(long = "token", value_name = "T")]
    tokens: Vec<String>,
    /// Do not send the initial burst on connect.
    #[arg(long)]
    no_burst: bool,
    /// Never acknowledge `health.check` (like a server that does not answer acks).
    #[arg(long)]
    no_health_ack: bool,
}

impl Cli {
    fn config(&self) -> Result<SimConfig, String> {
        if !self.rate.is_finite() || self.rate < 0.0 {
            return Err(format!("--rate must be a number >= 0, got {}", self.rate));
        }
        Ok(SimConfig {
            port: self.port,
            seed: self.seed,
            rate: self.rate,
            ping_interval: Duration::from_millis(self.ping_interval_ms.max(1)),
            delivered_delay: Duration::from_millis(self.delivered_delay_ms),
            read_delay: Duration::from_millis(self.read_delay_ms),
            tokens: self
                .tokens
                .iter()
                .map(|t| t.strip_prefix("Bearer ").unwrap_or(t).trim().to_owned())
                .collect(),
            initial_burst: !self.no_burst,
            health_check_acks: !self.no_health_ack,
        })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    let config = match cli.config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("marketplace-sim: {message}");
            return ExitCode::from(2);
        }
    };
    let issue_demo_token = config.tokens.is_empty();
    let sim = match Simulator::start(config).await {
        Ok(sim) => sim,
        Err(error) => {
            eprintln!("marketplace-sim: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "listening on {}", sim.url())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        // Nobody reads stdout any more; keep serving, the log still goes to stderr.
        tracing::warn!("could not write the listening line to stdout");
    }
    drop(stdout);
    if issue_demo_token {
        let token = sim.issue_token("seller-1");
        eprintln!("demo token (send as auth {{token: \"Bearer <token>\"}}):\n{token}");
    }
    tracing::info!(seed = sim.seed(), "ready");
    wait_for_stop().await;
    tracing::info!("stopping");
    sim.shutdown().await;
    ExitCode::SUCCESS
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
                return;
            }
            Err(error) => tracing::warn!(%error, "cannot listen for SIGTERM"),
        }
    }
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::warn!(%error, "cannot listen for Ctrl-C; stopping");
    }
}
