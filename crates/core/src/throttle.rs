//! At most one action per interval, the values arriving meanwhile coalesced to the latest. Any
//! web page can fire `sellerdesk://` links in a loop; each would raise and focus the window,
//! stealing the keyboard from whatever the seller is typing elsewhere. Through this, a burst
//! raises the window once now and once more, on the last link, when the interval is over.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How often a link may raise the window.
pub const LINK_RAISE_INTERVAL: Duration = Duration::from_secs(1);

struct Shared<T> {
    latest: Mutex<Option<T>>,
    arrived: Notify,
}

/// Owns the task that runs the action; [`Throttle::stop`] ends it.
pub struct Throttle<T> {
    shared: Arc<Shared<T>>,
    cancel: CancellationToken,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl<T: Send + 'static> Throttle<T> {
    /// Runs `act` on a task of the current Tokio runtime; the interval starts when an action
    /// has finished.
    pub fn start<F>(interval: Duration, act: impl FnMut(T) -> F + Send + 'static) -> Self
    where
        F: Future<Output = ()> + Send,
    {
        Self::start_on(&tokio::runtime::Handle::current(), interval, act)
    }

    /// [`Throttle::start`] on `runtime` (for callers outside a runtime, such as OS callbacks).
    pub fn start_on<F>(
        runtime: &tokio::runtime::Handle,
        interval: Duration,
        mut act: impl FnMut(T) -> F + Send + 'static,
    ) -> Self
    where
        F: Future<Output = ()> + Send,
    {
        let shared = Arc::new(Shared {
            latest: Mutex::new(None),
            arrived: Notify::new(),
        });
        let cancel = CancellationToken::new();
        let task = runtime.spawn({
            let shared = Arc::clone(&shared);
            let cancel = cancel.clone();
            async move {
                loop {
                    tokio::select! {
                        () = cancel.cancelled() => return,
                        () = shared.arrived.notified() => {}
                    }
                    let value = take(&shared.latest);
                    let Some(value) = value else { continue };
                    tokio::select! {
                        () = cancel.cancelled() => return,
                        () = act(value) => {}
                    }
                    tokio::select! {
                        () = cancel.cancelled() => return,
                        () = tokio::time::sleep(interval) => {}
                    }
                }
            }
        });
        Self {
            shared,
            cancel,
            task: Mutex::new(Some(task)),
        }
    }

    /// Hands `value` over; it replaces one still waiting for the interval to end.
    pub fn push(&self, value: T) {
        *self
            .shared
            .latest
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(value);
        // Stores a permit when the task is sleeping: it acts on the latest when it wakes.
        self.shared.arrived.notify_one();
    }

    /// Ends the task; a value still waiting is dropped.
    pub async fn stop(&self) {
        self.cancel.cancel();
        let task = self
            .task
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

impl<T> std::fmt::Debug for Throttle<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Throttle").finish_non_exhaustive()
    }
}

impl<T> Drop for Throttle<T> {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

fn take<T>(latest: &Mutex<Option<T>>) -> Option<T> {
    latest.lock().unwrap_or_else(PoisonError::into_inner).take()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::{advance, Instant};

    type Seen = Arc<Mutex<Vec<(u32, Duration)>>>;

    fn recorder(
        start: Instant,
    ) -> (
        Seen,
        impl FnMut(u32) -> std::future::Ready<()> + Send + 'static,
    ) {
        let seen: Seen = Arc::default();
        let sink = Arc::clone(&seen);
        (seen, move |v| {
            sink.lock().expect("lock").push((v, start.elapsed()));
            std::future::ready(())
        })
    }

    /// Lets the task run until it waits again (the clock is paused: no time passes).
    async fn settle() {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_acts_once_now_and_once_on_the_latest_after_the_interval() {
        let start = Instant::now();
        let (seen, act) = recorder(start);
        let throttle = Throttle::start(LINK_RAISE_INTERVAL, act);

        for link in 1..=1000 {
            throttle.push(link);
            settle().await;
        }
        assert_eq!(*seen.lock().expect("lock"), vec![(1, Duration::ZERO)]);

        advance(Duration::from_millis(999)).await;
        settle().await;
        assert_eq!(
            seen.lock().expect("lock").len(),
            1,
            "not before the interval"
        );

        advance(Duration::from_millis(1)).await;
        settle().await;
        assert_eq!(
            *seen.lock().expect("lock"),
            vec![(1, Duration::ZERO), (1000, LINK_RAISE_INTERVAL)],
            "the burst coalesced to its latest link"
        );

        // Quiet for a while: the next link acts at once again.
        advance(Duration::from_secs(5)).await;
        throttle.push(7);
        settle().await;
        assert_eq!(
            seen.lock().expect("lock").last(),
            Some(&(7, Duration::from_secs(6)))
        );
        throttle.stop().await;
    }

    #[tokio::test(start_paused = true)]
    async fn a_steady_stream_acts_at_most_once_per_interval() {
        let start = Instant::now();
        let (seen, act) = recorder(start);
        let throttle = Throttle::start(LINK_RAISE_INTERVAL, act);
        // A link every 10 ms for 10 s.
        for link in 0..1000 {
            throttle.push(link);
            advance(Duration::from_millis(10)).await;
            settle().await;
        }
        let seen = seen.lock().expect("lock").clone();
        assert!(seen.len() <= 11, "{} actions in 10 s", seen.len());
        for pair in seen.windows(2) {
            assert!(pair[1].1 - pair[0].1 >= LINK_RAISE_INTERVAL, "{pair:?}");
        }
        throttle.stop().await;
    }

    #[tokio::test(start_paused = true)]
    async fn stop_ends_the_task_and_drops_a_waiting_value() {
        let (seen, act) = recorder(Instant::now());
        let throttle = Throttle::start(LINK_RAISE_INTERVAL, act);
        throttle.push(1);
        settle().await;
        throttle.push(2);
        throttle.stop().await;
        advance(Duration::from_secs(2)).await;
        settle().await;
        assert_eq!(seen.lock().expect("lock").len(), 1);
    }
}
