//! Demo mode: a seeded marketplace simulator in this process, and a token it issued, held in
//! memory only (never written to the keychain). Only in builds with the `demo` feature: a live
//! build (the installers) carries no simulator code, and asking it for the demo fails with
//! `DEMO_UNAVAILABLE`.

use sellerdesk_core::sensitive::Token;

/// Whether this build can run the demo (the sign-in screen hides its button otherwise).
pub const AVAILABLE: bool = cfg!(feature = "demo");

/// A started demo marketplace: where it listens, the seller's token, and the running simulator.
// Never built without the `demo` feature; the session code that reads it is the same in both.
#[cfg_attr(not(feature = "demo"), allow(dead_code))]
pub struct DemoServer {
    pub simulator: Simulator,
    pub url: String,
    pub token: Token,
}

pub use imp::{start, Simulator};

#[cfg(feature = "demo")]
mod imp {
    use super::DemoServer;
    use crate::error::AppError;
    use marketplace_sim::SimConfig;
    use sellerdesk_core::sensitive::Token;

    /// The same world on every demo run, so what people see is reproducible.
    const SEED: u64 = 7;
    /// Lively enough to watch, calm enough to read.
    const EVENTS_PER_SECOND: f64 = 1.5;
    const SELLER: &str = "seller-1";

    /// The simulator of a running demo.
    pub struct Simulator(marketplace_sim::Simulator);

    impl Simulator {
        pub async fn shutdown(self) {
            self.0.shutdown().await;
        }
    }

    pub async fn start() -> Result<DemoServer, AppError> {
        let config = SimConfig {
            port: 0,
            seed: Some(SEED),
            rate: EVENTS_PER_SECOND,
            ..SimConfig::default()
        };
        let simulator = marketplace_sim::Simulator::start(config)
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
            simulator: Simulator(simulator),
            url,
            token,
        })
    }
}

#[cfg(not(feature = "demo"))]
mod imp {
    use super::DemoServer;
    use crate::error::AppError;

    /// No simulator in this build: a value of this type cannot exist.
    pub enum Simulator {}

    impl Simulator {
        pub async fn shutdown(self) {
            match self {}
        }
    }

    pub async fn start() -> Result<DemoServer, AppError> {
        Err(AppError::DemoUnavailable)
    }
}
