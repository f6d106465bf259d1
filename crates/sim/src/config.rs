//! What a simulator run is configured with.

use std::time::Duration;

/// Configuration of one [`Simulator`](crate::Simulator).
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// TCP port on 127.0.0.1; `0` picks a free one.
    pub port: u16,
    /// Seed of the world and its traffic; `None` draws one (logged) so a run can be replayed.
    pub seed: Option<u64>,
    /// Generated events per second after the initial burst; `0` sends only the burst.
    pub rate: f64,
    /// Interval of the application-level `ping` event (not Engine.IO's own heartbeat).
    pub ping_interval: Duration,
    /// Delay between the echo of a sent message and its `chat.status` `delivered`.
    pub delivered_delay: Duration,
    /// Delay between the echo of a sent message and its `chat.status` `read`.
    pub read_delay: Duration,
    /// Raw JWTs (without `Bearer `) accepted in the handshake, besides the ones issued later.
    pub tokens: Vec<String>,
    /// Send the initial burst covering every event category on connect.
    pub initial_burst: bool,
    /// Acknowledge a `health.check` that asks for it with `{status: "ok", timestamp}`; off,
    /// the simulator acts like a server that never acks (the spec does not promise it).
    pub health_check_acks: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            port: 0,
            seed: None,
            rate: 2.0,
            ping_interval: Duration::from_millis(25_000),
            delivered_delay: Duration::from_millis(300),
            read_delay: Duration::from_millis(1_500),
            tokens: Vec::new(),
            initial_burst: true,
            health_check_acks: true,
        }
    }
}

impl SimConfig {
    /// Highest accepted rate; beyond it the ticker would only burn the CPU.
    pub const MAX_RATE: f64 = 1_000.0;

    /// The interval between two generated events, or `None` when the rate is zero or invalid.
    pub fn tick_interval(&self) -> Option<Duration> {
        if !self.rate.is_finite() || self.rate <= 0.0 {
            return None;
        }
        Some(Duration::from_secs_f64(1.0 / self.rate.min(Self::MAX_RATE)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_interval_follows_rate() {
        let mut config = SimConfig::default();
        assert_eq!(config.tick_interval(), Some(Duration::from_millis(500)));
        config.rate = 0.0;
        assert_eq!(config.tick_interval(), None);
        config.rate = f64::NAN;
        assert_eq!(config.tick_interval(), None);
        config.rate = 1e9;
        assert_eq!(config.tick_interval(), Some(Duration::from_millis(1)));
    }
}
