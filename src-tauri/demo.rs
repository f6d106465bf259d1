//! Demo mode: a seeded marketplace simulator in this process, and a token it issued, held in
//! memory only (never written to the keychain).

use crate::error::AppError;
use marketplace_sim::{SimConfig, Simulator};
use sellerdesk_core::sensitive::Token;

/// The same world on every demo run, so what people see is reproducible.
const SEED: u64 = 7;
/// Lively enough to watch, calm enough to read.
const EVENTS_PER_SECOND: f64 = 1.5;
const SELLER: &str = "seller-1";

pub struct DemoServer {
    pub simulator: Simulator,
    pub url: String,
    pub token: Token,
}

pub async fn start() -> Result<DemoServer, AppError> {
    let config = SimConfig {
        port: 0,
        seed: Some(SEED),
        rate: EVENTS_PER_SECOND,
        ..SimConfig::default()
    };
    let simulator = Simulator::start(config)
        .await
        .map_err(|e| AppError::DemoServer(e.to_string()))?;
    let url = simulator.url().to_string();
    let token = match Token::new(simulator.issue_token(SELLER)) {
        Some(token) => token,
        None => {
            simulator.shutdown().await;
            return Err(AppError::DemoServer(
                "the simulator issued an empty token".into(),
            ));
        }
    };
    tracing::info!(%url, "demo marketplace started");
    Ok(DemoServer {
        simulator,
        url,
        token,
    })
}
