//! The reconnection schedule of the spec, computed as socket.io-client v4 computes it.

use crate::socket::Transport;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq)]
pub struct ReconnectPolicy {
    /// Fast attempts before the engine declares itself offline (`reconnectionAttempts`).
    pub attempts: u32,
    /// `reconnectionDelay`, the first delay.
    pub delay: Duration,
    /// `reconnectionDelayMax`, the cap.
    pub delay_max: Duration,
    /// `randomizationFactor`, 0 to 1.
    pub randomization: f64,
    /// From this attempt on, long-polling instead of websocket.
    pub polling_from_attempt: u32,
    pub websocket_timeout: Duration,
    pub polling_timeout: Duration,
    /// The slow pace once the attempts are spent.
    pub offline_retry: Duration,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        Self {
            attempts: 5,
            delay: Duration::from_millis(1000),
            delay_max: Duration::from_millis(5000),
            randomization: 0.5,
            polling_from_attempt: 4,
            websocket_timeout: Duration::from_secs(5),
            polling_timeout: Duration::from_secs(10),
            offline_retry: Duration::from_secs(60),
        }
    }
}

impl ReconnectPolicy {
    /// The delay before attempt `attempt` (1-based), with `random` in [0, 1): the
    /// engine.io-client `Backoff`: `delay * 2^(attempt-1)`, moved by up to `randomization` of
    /// itself (down or up, by a second draw from the same random number), capped at the max.
    pub fn delay_before(&self, attempt: u32, random: f64) -> Duration {
        let base =
            self.delay.as_millis() as f64 * 2f64.powi(attempt.saturating_sub(1).min(30) as i32);
        let mut ms = base;
        if self.randomization > 0.0 {
            let deviation = (random * self.randomization * base).floor();
            ms = if ((random * 10.0).floor() as u64) & 1 == 0 {
                base - deviation
            } else {
                base + deviation
            };
        }
        let capped = ms.min(self.delay_max.as_millis() as f64).max(0.0);
        Duration::from_millis(capped as u64)
    }

    /// Transport and timeout for attempt `attempt` (attempt 0 is the first connection).
    pub fn transport_for(&self, attempt: u32) -> (Transport, Duration) {
        if attempt >= self.polling_from_attempt {
            (Transport::Polling, self.polling_timeout)
        } else {
            (Transport::Websocket, self.websocket_timeout)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_exponentially_and_are_capped() {
        let policy = ReconnectPolicy {
            randomization: 0.0,
            ..ReconnectPolicy::default()
        };
        let delays: Vec<u128> = (1..=5)
            .map(|a| policy.delay_before(a, 0.3).as_millis())
            .collect();
        assert_eq!(delays, vec![1000, 2000, 4000, 5000, 5000]);
    }

    #[test]
    fn jitter_stays_within_the_randomization_factor() {
        let policy = ReconnectPolicy::default();
        for i in 0..100 {
            let random = f64::from(i) / 100.0;
            let ms = policy.delay_before(1, random).as_millis();
            assert!(
                (500..=1500).contains(&ms),
                "attempt 1 delay {ms} with random {random}"
            );
            assert!(policy.delay_before(6, random) <= policy.delay_max);
        }
    }

    #[test]
    fn long_polling_from_the_fourth_attempt() {
        let policy = ReconnectPolicy::default();
        assert_eq!(
            policy.transport_for(0),
            (Transport::Websocket, Duration::from_secs(5))
        );
        assert_eq!(
            policy.transport_for(3),
            (Transport::Websocket, Duration::from_secs(5))
        );
        assert_eq!(
            policy.transport_for(4),
            (Transport::Polling, Duration::from_secs(10))
        );
    }
}
