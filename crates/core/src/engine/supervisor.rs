//! The supervisor task: connects with the spec's schedule, runs a session while connected, and
//! is the only owner of the socket.

use super::coalesce::Folded;
use super::gauges::{Gauges, PENDING_BYTES, PENDING_EVENTS};
use super::lease::LeaseKeeper;
use super::writer::{announce_outbox, CacheWriter};
use super::{Command, ConnectionState, EngineConfig, EngineEvent, Problem};
use crate::credentials::CredentialError;
use crate::jwt;
use crate::socket::{Inbound, Signal, Signals, Socket, SocketError};
use crate::store::{Store, META_SELF_ID, META_TOKEN_EXPIRES_AT};
use sellerdesk_protocol::{ClientEvent, ErrorCode, Pong, ServerEvent, Timestamp};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::time::{sleep_until, Instant};
use tokio_util::sync::CancellationToken;

/// How a session (one live connection) ended.
enum SessionEnd {
    Shutdown,
    Lost(String),
    AuthFailed(String),
}

impl SessionEnd {
    /// When one turn gives several reasons, the one that matters most wins: a rejected token is
    /// what the seller must act on, even if the server also closed the connection.
    fn weight(&self) -> u8 {
        match self {
            Self::Lost(_) => 1,
            Self::AuthFailed(_) => 2,
            Self::Shutdown => 3,
        }
    }

    fn keep_worst(current: Option<Self>, new: Self) -> Option<Self> {
        match current {
            Some(current) if current.weight() >= new.weight() => Some(current),
            _ => Some(new),
        }
    }
}

/// How long a shutdown waits for the echoes of messages already sent.
const ECHO_DRAIN: Duration = Duration::from_secs(2);

/// The longest the keychain may take to hand over the token (an unlock prompt, a hung D-Bus).
const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

/// How often the session checks whether a `health.check` (or an idle probe) is due.
const WATCHDOG_TICK: Duration = Duration::from_millis(500);

/// How long a `health.check` ack may take to count; a later one is dropped by rust_socketio.
const HEALTH_ACK_TIMEOUT: Duration = Duration::from_secs(10);

/// After this many `health.check`s in a row without an ack, the connection stops asking for
/// one: rust_socketio never forgets an unanswered ack, so its list would grow all session.
const MAX_UNANSWERED_HEALTH_ACKS: u32 = 3;

/// Whether the server acknowledges `health.check` on this connection (the spec does not say
/// it does), so its round trip can be shown.
#[derive(Debug, Default)]
struct HealthAcks {
    /// An ack was asked for and has not come yet.
    awaiting: bool,
    /// Checks in a row whose ack never came.
    unanswered: u32,
}

impl HealthAcks {
    /// Called before a send: should it ask for an ack?
    fn ask(&mut self) -> bool {
        if self.awaiting {
            self.unanswered = self.unanswered.saturating_add(1);
        }
        let ask = self.unanswered < MAX_UNANSWERED_HEALTH_ACKS;
        self.awaiting = ask;
        ask
    }

    fn answered(&mut self) {
        self.awaiting = false;
        self.unanswered = 0;
    }
}

/// Whole milliseconds, saturating (a round trip is far below `u32::MAX` ms).
fn millis(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX)
}

/// The socket.io-client name for why a send found the connection gone.
fn disconnect_reason(error: &SocketError) -> String {
    tracing::info!("send failed: {}", crate::text::for_log(&error.to_string()));
    match error {
        // rust_socketio already knew the engine.io socket was closed.
        SocketError::Unreachable(text)
            if text.contains("before the connection was established") =>
        {
            "transport close".into()
        }
        _ => "transport error".into(),
    }
}

/// At most this many signals are handled per turn, so the heartbeat is answered between turns
/// even under a flood.
const TURN_SIZE: usize = 512;

/// How long a flush of the outbox waits for its turn to write before it leaves it to the next
/// poll (at most a second later).
const OUTBOX_TURN_WAIT: Duration = Duration::from_millis(200);

/// How long typing and presence wait to be folded with the next ones for the same key before
/// they go on: far below what a person notices on a typing indicator.
const TRANSIENT_HOLD: Duration = Duration::from_millis(100);

/// Refused events reported one by one per second; the rest are counted into one report.
const REFUSALS_SHOWN: u32 = 10;

/// Reports refused events without letting a flood of them become a flood of problems.
#[derive(Debug)]
struct Refusals {
    since: Instant,
    shown: u32,
    unshown: u64,
}

impl Refusals {
    fn new() -> Self {
        Self {
            since: Instant::now(),
            shown: 0,
            unshown: 0,
        }
    }

    /// Whether this refusal is shown on its own (else it is counted).
    fn note(&mut self, now: Instant) -> bool {
        if now - self.since >= Duration::from_secs(1) {
            self.since = now;
            self.shown = 0;
        }
        if self.shown < REFUSALS_SHOWN {
            self.shown += 1;
            true
        } else {
            self.unshown = self.unshown.saturating_add(1);
            false
        }
    }

    /// The refusals counted but not shown, once their second is over.
    fn summary(&mut self, now: Instant) -> Option<u64> {
        if self.unshown == 0 || now - self.since < Duration::from_secs(1) {
            return None;
        }
        Some(std::mem::take(&mut self.unshown))
    }
}

pub(crate) struct Supervisor {
    config: EngineConfig,
    store: Store,
    commands: mpsc::UnboundedReceiver<Command>,
    state: watch::Sender<ConnectionState>,
    events: broadcast::Sender<EngineEvent>,
    /// The round trip of the last acknowledged `health.check` of the current connection.
    latency: watch::Sender<Option<u32>>,
    health_acks: HealthAcks,
    cancel: CancellationToken,
    /// Identifies this engine's outbox claims.
    owner: String,
    /// Commits received events; lives as long as the supervisor.
    writer: Option<CacheWriter>,
    /// Sending is paused until then after a `RATE_LIMIT`.
    send_paused_until: Option<Instant>,
    /// Received events not yet handed to the writer (typing and presence folded), bounded by
    /// [`PENDING_BYTES`] and [`PENDING_EVENTS`]: when full, the socket is not read.
    pending: Folded,
    /// Typing and presence, held up to [`TRANSIENT_HOLD`] so that a flood of them folds into
    /// one per user (and conversation) per hold; counted in the same bound.
    transient: Folded,
    transient_since: Option<Instant>,
    gauges: Arc<Gauges>,
    refusals: Refusals,
}

impl Supervisor {
    pub(crate) fn new(
        config: EngineConfig,
        store: Store,
        commands: mpsc::UnboundedReceiver<Command>,
        state: watch::Sender<ConnectionState>,
        events: broadcast::Sender<EngineEvent>,
        latency: watch::Sender<Option<u32>>,
        cancel: CancellationToken,
    ) -> Self {
        let owner = uuid::Uuid::new_v4().to_string();
        let gauges = Arc::new(Gauges::default());
        let writer = CacheWriter::spawn(store.clone(), events.clone(), gauges.clone());
        Self {
            config,
            store,
            commands,
            state,
            events,
            latency,
            health_acks: HealthAcks::default(),
            cancel,
            owner,
            writer: Some(writer),
            send_paused_until: None,
            pending: Folded::default(),
            transient: Folded::default(),
            transient_since: None,
            gauges,
            refusals: Refusals::new(),
        }
    }

    /// The gauges of the queues this supervisor runs, for the engine's handle.
    pub(crate) fn gauges(&self) -> Arc<Gauges> {
        self.gauges.clone()
    }

    fn set_state(&self, state: ConnectionState) {
        tracing::info!(?state, "connection state");
        self.state.send_replace(state.clone());
        let _ = self.events.send(EngineEvent::State { state });
    }

    /// Keeps who the seller is (own messages) and when the token runs out (the UI warns), from
    /// the token that just connected. Neither is a secret.
    async fn remember_token_claims(&self, token: &crate::sensitive::Token) {
        let Some(claims) = jwt::read_claims(token) else {
            return;
        };
        let mut facts = Vec::new();
        if let Some(sub) = &claims.sub {
            facts.push((META_SELF_ID, sub.clone()));
        }
        if let Some(expires) = claims.expires_at() {
            facts.push((META_TOKEN_EXPIRES_AT, expires.millis().to_string()));
        }
        for (key, value) in facts {
            if let Err(e) = self.store.set_meta(key, &value).await {
                self.problem(Problem::new(e.code(), e.to_string()));
            }
        }
    }

    fn problem(&self, problem: Problem) {
        // Server text (the problem's code and message) is quoted, escaped and cut in logs.
        tracing::warn!(
            code = %crate::text::for_log(&problem.code),
            message = %crate::text::for_log(&problem.message),
            "problem"
        );
        let _ = self.events.send(EngineEvent::Problem { problem });
    }

    pub(crate) async fn run(mut self) {
        // Failed attempts since the last connection; 0 means the next one is a first try.
        let mut failures: u32 = 0;
        loop {
            if self.cancel.is_cancelled() {
                break;
            }
            let (transport, timeout) = self.config.reconnect.transport_for(failures);
            // A first try, or a try at the slow offline pace: say so (the fast attempts were
            // announced as `reconnecting` with their delay).
            if failures == 0 || failures > self.config.reconnect.attempts {
                self.set_state(ConnectionState::Connecting);
            }
            // A "retry now" pressed while the last attempt ran is answered by this attempt.
            while self.commands.try_recv().is_ok() {}
            // A server the token may not travel to (plain http to another host, recorded before
            // such servers were refused) is not retried on a schedule: only signing in again to
            // an https address can fix it. The token is not even read.
            if let Err(e) = crate::server_url::require_secure(&self.config.server_url) {
                self.problem(Problem::new(e.code(), e.to_string()));
                self.set_state(ConnectionState::AuthFailed {
                    message: e.to_string(),
                });
                if !self.wait_for_retry(None).await {
                    break;
                }
                continue;
            }
            let loading = tokio::time::timeout(
                TOKEN_TIMEOUT,
                self.config.tokens.load(&self.config.server_url),
            );
            let loaded = tokio::select! {
                loaded = loading => loaded.unwrap_or_else(|_| Err(CredentialError::NoAnswer(TOKEN_TIMEOUT.as_secs_f64()))),
                () = self.cancel.cancelled() => break,
            };
            let token = match loaded {
                Ok(Some(token)) => token,
                Ok(None) => {
                    self.set_state(ConnectionState::AuthFailed {
                        message: "not signed in".into(),
                    });
                    if !self.wait_for_retry(None).await {
                        break;
                    }
                    continue;
                }
                Err(e) => {
                    self.problem(Problem::new(e.code(), e.to_string()));
                    failures = failures.saturating_add(1);
                    if !self.back_off(&mut failures, e.to_string()).await {
                        break;
                    }
                    continue;
                }
            };
            let result = Socket::connect_cancellable(
                &self.config.server_url,
                &token,
                transport,
                timeout,
                &self.cancel,
            )
            .await;
            match result {
                Err(SocketError::Cancelled) => break,
                Ok((socket, signals)) => {
                    failures = 0;
                    self.remember_token_claims(&token).await;
                    match self.session(socket, signals).await {
                        SessionEnd::Shutdown => break,
                        SessionEnd::Lost(reason) => {
                            failures = 1;
                            if !self.back_off(&mut failures, reason).await {
                                break;
                            }
                        }
                        SessionEnd::AuthFailed(message) => {
                            self.set_state(ConnectionState::AuthFailed { message });
                            if !self.wait_for_retry(None).await {
                                break;
                            }
                        }
                    }
                }
                Err(e) if e.is_auth_failure() => {
                    self.set_state(ConnectionState::AuthFailed {
                        message: e.to_string(),
                    });
                    failures = 0;
                    if !self.wait_for_retry(None).await {
                        break;
                    }
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    if !self.back_off(&mut failures, e.to_string()).await {
                        break;
                    }
                }
            }
        }
        // Everything received before the stop is committed before the engine says it stopped.
        if let Some(writer) = self.writer.take() {
            writer.finish().await;
        }
        self.set_state(ConnectionState::Stopped);
    }

    /// Waits before the next attempt: the jittered schedule while attempts remain, then the
    /// slow offline pace. Returns `false` when the engine is shutting down.
    async fn back_off(&mut self, failures: &mut u32, reason: String) -> bool {
        let policy = self.config.reconnect.clone();
        if *failures <= policy.attempts {
            let delay = policy.delay_before(*failures, rand::random::<f64>());
            let (transport, _) = policy.transport_for(*failures);
            self.set_state(ConnectionState::Reconnecting {
                attempt: *failures,
                delay_ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                transport,
                reason,
            });
            self.wait_for_retry(Some(delay)).await
        } else {
            let wait = policy.offline_retry;
            let next = chrono::Duration::from_std(wait)
                .ok()
                .map(|d| Timestamp(chrono::Utc::now() + d));
            self.set_state(ConnectionState::Offline {
                reason,
                next_retry_at: next,
            });
            let keep_going = self.wait_for_retry(Some(wait)).await;
            // Still past the fast attempts: the next failure waits the slow pace again, and the
            // attempt uses the last transport of the schedule.
            *failures = policy.attempts + 1;
            keep_going
        }
    }

    /// Sleeps for `delay` (forever when `None`) or until the seller asks to retry.
    async fn wait_for_retry(&mut self, delay: Option<Duration>) -> bool {
        let deadline = delay.map(|d| Instant::now() + d);
        loop {
            tokio::select! {
                () = self.cancel.cancelled() => return false,
                () = async { match deadline { Some(at) => sleep_until(at).await, None => std::future::pending().await } } => return true,
                command = self.commands.recv() => match command {
                    Some(Command::RetryNow) => return true,
                    Some(Command::Flush) => continue,
                    None => return false,
                },
            }
        }
    }

    async fn session(&mut self, socket: Socket, mut signals: Signals) -> SessionEnd {
        self.health_acks = HealthAcks::default();
        self.set_state(ConnectionState::Connected {
            transport: socket.transport(),
            since: Timestamp::now(),
        });
        let leases = LeaseKeeper::start(
            self.store.clone(),
            self.owner.clone(),
            self.config.outbox_poll_every,
        );
        let end = self.session_loop(&socket, &mut signals).await;
        match end {
            // Stopping on purpose: messages already sent stay claimed, so no other process of
            // this data folder sends them again while their echoes may still come; give those
            // echoes a moment. A claim left over expires with its lease.
            SessionEnd::Shutdown => self.drain_echoes(&socket, &mut signals).await,
            // The connection is gone: what was in flight goes again on the next one (the server
            // keys on the client message id, so a message it did take is not stored twice).
            SessionEnd::Lost(_) | SessionEnd::AuthFailed(_) => {
                if let Err(e) = self.store.release_outbox(&self.owner).await {
                    tracing::warn!("could not release outbox claims: {e}");
                }
            }
        }
        // Whatever was received is cached, whatever ended the session.
        self.hand_off_pending().await;
        leases.stop().await;
        // The figure belonged to this connection; the state that follows says it is gone.
        self.latency.send_replace(None);
        // First, so a callback waiting for room in the queue lets the reader end.
        signals.close();
        socket.close().await;
        end
    }

    /// Hands everything pending to the writer, waiting for room as long as it takes.
    async fn hand_off_pending(&mut self) {
        let Some(writer) = &self.writer else { return };
        self.transient_since = None;
        for held in [&mut self.pending, &mut self.transient] {
            if !held.is_empty() {
                let room = writer.reserve(held.bytes(), held.len()).await;
                writer.write(held.take(), room);
            }
        }
    }

    /// Whether the socket may be read: what is held for the writer is below its bound.
    fn room_to_read(&self) -> bool {
        self.pending.bytes() + self.transient.bytes() < PENDING_BYTES
            && self.pending.len() + self.transient.len() < PENDING_EVENTS
    }

    /// Before closing on shutdown: keeps reading (and caching) until every message this engine
    /// sent has its echo, for at most [`ECHO_DRAIN`].
    async fn drain_echoes(&mut self, socket: &Socket, signals: &mut Signals) {
        let deadline = Instant::now() + ECHO_DRAIN;
        let mut batch = Vec::with_capacity(TURN_SIZE);
        loop {
            match self.store.outbox_in_flight(&self.owner).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            tokio::select! {
                received = signals.recv_many(&mut batch, TURN_SIZE) => {
                    if received == 0 {
                        return;
                    }
                    let _ = self.handle_turn(socket, &mut batch).await;
                    batch.clear();
                    self.hand_off_pending().await;
                }
                () = tokio::time::sleep(Duration::from_millis(20)) => {}
                () = sleep_until(deadline) => return,
            }
        }
    }

    async fn session_loop(&mut self, socket: &Socket, signals: &mut Signals) -> SessionEnd {
        // A first check at once, so the round trip shows without waiting for the cadence; before
        // the outbox, so a backlog does not inflate it.
        if let Err(e) = self.send_health_check(socket).await {
            return SessionEnd::Lost(disconnect_reason(&e));
        }
        if let Err(reason) = self.flush_outbox(socket).await {
            return SessionEnd::Lost(reason);
        }
        let mut watchdog = tokio::time::interval(WATCHDOG_TICK);
        watchdog.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_inbound = Instant::now();
        let mut last_health = Instant::now();
        let mut outbox_poll = tokio::time::interval(self.config.outbox_poll_every);
        let mut flush_at: Option<Instant> = None;
        let mut batch = Vec::with_capacity(TURN_SIZE);
        let socket_gauge = signals.gauge();
        loop {
            // Below its bound, what is pending keeps the socket read at network speed (and
            // every `ping` answered) while the writer catches up; at the bound, reading stops.
            let room = self.room_to_read();
            let pending = (self.pending.bytes(), self.pending.len());
            let transient = (self.transient.bytes(), self.transient.len());
            // Held until its time is up, or at once when the bound is reached.
            let transient_due = match self.transient_since {
                Some(since) if room => since + TRANSIENT_HOLD,
                _ => Instant::now(),
            };
            // Unbiased on purpose: a flood of inbound events must not starve the outbox, the
            // heartbeat or the hand-off to the writer.
            tokio::select! {
                () = self.cancel.cancelled() => return SessionEnd::Shutdown,
                received = signals.recv_many(&mut batch, TURN_SIZE), if room => {
                    if received == 0 {
                        return SessionEnd::Lost("transport close".into());
                    }
                    last_inbound = Instant::now();
                    self.gauges.socket(socket_gauge.peak_bytes(), socket_gauge.peak_events());
                    let outcome = self.handle_turn(socket, &mut batch).await;
                    batch.clear();
                    if let Some(end) = outcome {
                        return end;
                    }
                }
                reserved = async {
                    match &self.writer {
                        Some(writer) if pending.1 > 0 => writer.reserve(pending.0, pending.1).await,
                        _ => std::future::pending().await,
                    }
                } => {
                    if let Some(writer) = &self.writer {
                        writer.write(self.pending.take(), reserved);
                    }
                }
                reserved = async {
                    match &self.writer {
                        Some(writer) if transient.1 > 0 => {
                            sleep_until(transient_due).await;
                            writer.reserve(transient.0, transient.1).await
                        }
                        _ => std::future::pending().await,
                    }
                } => {
                    self.transient_since = None;
                    if let Some(writer) = &self.writer {
                        writer.write(self.transient.take(), reserved);
                    }
                }
                command = self.commands.recv() => match command {
                    Some(Command::Flush) => {
                        // The spec's batching: wait up to the window for more, unless a batch is full.
                        let pending = self.store.outbox_pending().await.unwrap_or(0);
                        if pending >= i64::from(self.config.batch_max) {
                            flush_at = Some(Instant::now());
                        } else if flush_at.is_none() {
                            flush_at = Some(Instant::now() + self.config.batch_window);
                        }
                    }
                    Some(Command::RetryNow) => {}
                    None => return SessionEnd::Shutdown,
                },
                () = async { match flush_at { Some(at) => sleep_until(at).await, None => std::future::pending().await } } => {
                    flush_at = None;
                    if let Err(reason) = self.flush_outbox(socket).await {
                        return SessionEnd::Lost(reason);
                    }
                }
                _ = outbox_poll.tick() => {
                    // The claims are kept alive by the session's lease task.
                    if let Err(reason) = self.flush_outbox(socket).await {
                        return SessionEnd::Lost(reason);
                    }
                }
                _ = watchdog.tick() => {
                    let now = Instant::now();
                    if !room {
                        // Not reading on purpose (the writer is behind): that is not silence.
                        last_inbound = now;
                    }
                    if let Some(more) = self.refusals.summary(now) {
                        self.problem(Problem::new(
                            "INVALID_PAYLOAD",
                            format!("{more} more events from the server were refused (over a size limit or unreadable)"),
                        ));
                    }
                    let since_health = now - last_health;
                    let idle = now - last_inbound;
                    let probe = self.config.idle_probe_after;
                    if idle >= self.config.heartbeat_timeout {
                        return SessionEnd::Lost("ping timeout".into());
                    }
                    if since_health >= self.config.health_check_every || (idle >= probe && since_health >= probe) {
                        last_health = now;
                        if let Err(e) = self.send_health_check(socket).await {
                            return SessionEnd::Lost(disconnect_reason(&e));
                        }
                    }
                }
            }
        }
    }

    /// Handles one turn of signals: answers pings first, caches the events in one transaction,
    /// then tells subscribers.
    async fn handle_turn(
        &mut self,
        socket: &Socket,
        batch: &mut Vec<Inbound>,
    ) -> Option<SessionEnd> {
        let mut end = None;
        let mut error_texts = Vec::new();
        let mut folded = 0;
        for Inbound { signal, bytes } in batch.drain(..) {
            match signal {
                Signal::Oversized { name, json_bytes } => {
                    self.refuse(&name, format!("INVALID_PAYLOAD: {name}: the event is over {json_bytes} bytes (the limit is {})", sellerdesk_protocol::limits::MAX_EVENT_BYTES));
                }
                Signal::Event { name, args } => match ServerEvent::decode_owned(&name, args) {
                    Ok(ServerEvent::Ping) => {
                        let pong = ClientEvent::Pong(Pong {
                            timestamp: chrono::Utc::now().timestamp_millis(),
                        });
                        if let Err(e) = self.emit(socket, &pong).await {
                            end = SessionEnd::keep_worst(
                                end,
                                SessionEnd::Lost(disconnect_reason(&e)),
                            );
                        }
                        folded += usize::from(self.pending.push(ServerEvent::Ping, bytes));
                    }
                    Ok(event) => {
                        if let Some(auth) = self.note_errors(&event).await {
                            end = SessionEnd::keep_worst(end, auth);
                        }
                        let held = match event {
                            ServerEvent::PresenceTyping(_)
                            | ServerEvent::PresenceUpdate(_)
                            | ServerEvent::PresenceActivity(_) => {
                                self.transient_since.get_or_insert_with(Instant::now);
                                &mut self.transient
                            }
                            _ => &mut self.pending,
                        };
                        folded += usize::from(held.push(event, bytes));
                    }
                    Err(e) => {
                        // A bad payload is reported and skipped; the connection stays up.
                        let code = e.code();
                        self.refuse_with(&name, code, e.to_string());
                    }
                },
                Signal::Connected => {}
                Signal::Refused { message } => {
                    end = SessionEnd::keep_worst(end, SessionEnd::AuthFailed(message));
                }
                Signal::ErrorText(text) => error_texts.push(text),
                Signal::Acked { name, round_trip } => {
                    if name == ClientEvent::HealthCheck.name() {
                        self.health_acks.answered();
                        self.note_latency(round_trip);
                    }
                }
                Signal::Closed => {
                    end = SessionEnd::keep_worst(
                        end,
                        SessionEnd::Lost("io server disconnect".into()),
                    );
                }
            }
        }
        self.gauges.coalesced(folded);
        self.gauges.pending(
            self.pending.bytes() + self.transient.bytes(),
            self.pending.len() + self.transient.len(),
        );
        if end.is_none() && !error_texts.is_empty() {
            end = self.check_link(socket, error_texts).await;
        }
        end
    }

    /// An event over a cap or unreadable: counted, reported (a flood of them as one report a
    /// second), and dropped; the connection stays up.
    fn refuse(&mut self, event: &str, message: String) {
        self.refuse_with(event, "INVALID_PAYLOAD", message);
    }

    fn refuse_with(&mut self, event: &str, code: &str, message: String) {
        self.gauges.rejected();
        // One line per refusal would be a flood of its own: debug level; problems are throttled.
        tracing::debug!(event = %crate::text::for_log(event), code, "event refused");
        if self.refusals.note(Instant::now()) {
            self.problem(Problem::new(code, message));
        }
    }

    /// After an error text: a send tells a dead transport (it fails at once) from a server's
    /// plain-text `error` event (it goes through), which is then reported, not fatal.
    async fn check_link(&mut self, socket: &Socket, texts: Vec<String>) -> Option<SessionEnd> {
        match self.send_health_check(socket).await {
            Ok(()) => {
                for text in texts {
                    self.problem(Problem::new("SERVER_ERROR", text));
                }
                None
            }
            Err(e) => {
                let logged: Vec<String> = texts.iter().map(|t| crate::text::for_log(t)).collect();
                tracing::info!(
                    "transport: {}; check: {}",
                    logged.join(", "),
                    crate::text::for_log(&e.to_string())
                );
                let timed_out = texts.iter().any(|t| t.contains("PING packet"));
                Some(SessionEnd::Lost(if timed_out {
                    "ping timeout".into()
                } else {
                    disconnect_reason(&e)
                }))
            }
        }
    }

    /// Acts on the spec's error events and reports them: `AUTH_FAILED` ends the session,
    /// `RATE_LIMIT` pauses sending, an `INVALID_PAYLOAD` about one of our messages fails it.
    async fn note_errors(&mut self, event: &ServerEvent) -> Option<SessionEnd> {
        let code = match event {
            ServerEvent::Error(e) => &e.code,
            ServerEvent::ChatError(e) => &e.code,
            ServerEvent::OrderError(e) => &e.code,
            _ => return None,
        };
        if *code == ErrorCode::RateLimit {
            self.send_paused_until = Some(Instant::now() + self.config.rate_limit_pause);
            // What was in flight may have been dropped: it goes again after the pause (the
            // client message id keeps a message the server did take from being stored twice).
            if let Err(err) = self.store.release_outbox(&self.owner).await {
                self.problem(Problem::new(err.code(), err.to_string()));
            }
        }
        if let ServerEvent::ChatError(e) = event {
            // Whatever the code, an error naming one of our messages is its answer: it fails
            // with the reason and waits for the seller (no-op for ids that are not ours).
            if let Some(id) = &e.message_id {
                let reason = format!("{}: {}", e.code, e.message);
                match self.store.fail_outbox(id, &reason).await {
                    Ok(Some(conversation)) => {
                        announce_outbox(&self.store, &self.events, vec![conversation]).await
                    }
                    Ok(None) => {}
                    Err(err) => self.problem(Problem::new(err.code(), err.to_string())),
                }
            }
        }
        match event {
            ServerEvent::Error(e) => {
                self.problem(Problem::new(e.code.as_str(), e.message.clone()));
                (e.code == ErrorCode::AuthFailed).then(|| SessionEnd::AuthFailed(e.message.clone()))
            }
            ServerEvent::ChatError(e) => {
                self.problem(Problem {
                    code: e.code.as_str().to_owned(),
                    message: e.message.clone(),
                    conversation_id: e.conversation_id.clone(),
                    message_id: e.message_id.clone(),
                    order_id: None,
                });
                None
            }
            ServerEvent::OrderError(e) => {
                self.problem(Problem {
                    code: e.code.as_str().to_owned(),
                    message: format!("{} ({})", e.message, e.operation),
                    conversation_id: None,
                    message_id: None,
                    order_id: Some(e.order_id.clone()),
                });
                None
            }
            _ => None,
        }
    }

    async fn emit(&self, socket: &Socket, event: &ClientEvent) -> Result<(), SocketError> {
        socket.emit(event.name(), event.payload()).await
    }

    /// Sends `health.check`, asking for an ack while the server answers them. Only a failed
    /// send is an error; a missing ack just leaves the latency unknown.
    async fn send_health_check(&mut self, socket: &Socket) -> Result<(), SocketError> {
        let check = ClientEvent::HealthCheck;
        if self.health_acks.ask() {
            socket
                .emit_with_ack(check.name(), check.payload(), HEALTH_ACK_TIMEOUT)
                .await
        } else {
            self.emit(socket, &check).await
        }
    }

    fn note_latency(&self, round_trip: Duration) {
        let ms = millis(round_trip);
        tracing::debug!(ms, "health.check round trip");
        self.latency.send_replace(Some(ms));
        let _ = self.events.send(EngineEvent::Latency { ms });
    }

    /// Sends every waiting message, oldest first, one `chat.send` or a `chat.batch` of at most
    /// `batch_max` at a time. On a send failure the claims go back to the queue.
    async fn flush_outbox(&mut self, socket: &Socket) -> Result<(), String> {
        match self.send_paused_until {
            // The outbox poll comes back to it once the pause is over.
            Some(until) if Instant::now() < until => return Ok(()),
            Some(_) => self.send_paused_until = None,
            None => {}
        }
        // The conversations of what went out: those threads show "sending" now.
        let mut sent_in: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        loop {
            // A long flush (a backlog over polling) has its claims kept alive by the lease task.
            let claim = match self
                .store
                .claim_outbox_within(&self.owner, self.config.batch_max, OUTBOX_TURN_WAIT)
                .await
            {
                Ok(Some(claim)) => claim,
                // The cache writer holds the database (a flood): the next poll tries again,
                // rather than the session loop (and the heartbeat) waiting behind it.
                Ok(None) => break,
                Err(e) => {
                    self.problem(Problem::new(e.code(), e.to_string()));
                    return Ok(());
                }
            };
            let mut items = claim.items;
            for item in &items {
                if seen.insert(item.conversation_id.clone()) {
                    sent_in.push(item.conversation_id.clone());
                }
            }
            let event = match items.len() {
                0 => break,
                1 => ClientEvent::ChatSend(items.remove(0)),
                _ => ClientEvent::ChatBatch(items),
            };
            if let Err(e) = self.emit(socket, &event).await {
                if let Err(release) = self.store.release_outbox(&self.owner).await {
                    tracing::warn!("could not release outbox claims: {release}");
                }
                return Err(disconnect_reason(&e));
            }
        }
        if !sent_in.is_empty() {
            announce_outbox(&self.store, &self.events, sent_in).await;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_that_never_acks_is_no_longer_asked() {
        let mut acks = HealthAcks::default();
        let asked: Vec<bool> = (0..6).map(|_| acks.ask()).collect();
        // The first ask plus two more unanswered, then plain sends (nothing left to leak).
        assert_eq!(asked, [true, true, true, false, false, false]);
    }

    #[test]
    fn an_answer_keeps_acks_coming() {
        let mut acks = HealthAcks::default();
        for _ in 0..10 {
            assert!(acks.ask());
            acks.answered();
        }
        // A slow ack that comes after the next check was sent is still an answer.
        assert!(acks.ask());
        assert!(acks.ask());
        acks.answered();
        assert!(acks.ask());
        assert!(acks.ask());
        assert!(acks.ask());
    }

    #[test]
    fn round_trips_are_whole_milliseconds() {
        assert_eq!(millis(Duration::from_micros(12_900)), 12);
        assert_eq!(millis(Duration::from_secs(u64::MAX)), u32::MAX);
    }
}
