//! `marketplace-sim`: a Socket.IO server (socketioxide) that speaks the marketplace API of
//! `websocket-api.md`. It is the dev/demo server and the test peer of the Seller Desk client.
//!
//! ```no_run
//! # async fn demo() -> Result<(), marketplace_sim::SimError> {
//! use marketplace_sim::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig { seed: Some(7), ..SimConfig::default() }).await?;
//! let token = sim.issue_token("seller-1");
//! println!("connect to {} with auth {{token: \"Bearer {token}\"}}", sim.url());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

pub mod auth;
mod config;
mod recorder;
pub mod reference;
mod server;
mod session;
mod upload_routes;
pub mod uploads;
pub mod world;

pub use auth::{make_jwt, AuthError, TokenStore};
pub use config::SimConfig;
pub use recorder::{Outcome, ReceivedEvent, Stats};
pub use server::{SimError, Simulator};
pub use session::MAX_CONTENT_CHARS;
