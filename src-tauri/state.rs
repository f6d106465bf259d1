//! The app's managed state. One [`Phase`] says where the app is (signed out, a live session, a
//! demo session) and owns what goes with it: the data folder in use and the running session
//! (store, engine, UI bridge, notifier and, in the demo, the simulator). Changing phase takes the
//! old one out whole and stops it in order ([`Session::shutdown`]).

use crate::badge::Badge;
use crate::bridge::{Bridge, LocalChange, Snapshot, Surroundings};
use crate::cli_args::LaunchArgs;
use crate::demo;
use crate::error::{AppError, ErrorPayload};
use crate::navigation::Navigator;
use crate::preferences::DesktopPreferences;
use crate::subscribers::Subscribers;
use sellerdesk_core::account::{self, Account};
use sellerdesk_core::alerts::{NoticeSink, NotificationSettings, Notifier, SharedFocus};
use sellerdesk_core::attachments::Attachments;
use sellerdesk_core::credentials::{self, Keychain};
use sellerdesk_core::engine::{ConnectionState, Engine, EngineConfig, TokenSource};
use sellerdesk_core::models::OutboxItem;
use sellerdesk_core::protocol::Timestamp;
use sellerdesk_core::sensitive::Token;
use sellerdesk_core::sign_out::{sign_out, SignOutReport};
use sellerdesk_core::store::{self, OpenReport, Store, META_SELF_ID, META_TOKEN_EXPIRES_AT};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;
use tokio::sync::RwLock;
use ts_rs::TS;

/// How long signing in waits for the server to accept the token.
const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(10);
/// Demo data lives apart so it never mixes with a real account's cache.
const DEMO_SUBDIR: &str = "demo";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Mode {
    /// Against the built-in simulator, with a throwaway cache.
    Demo,
    /// Against a real marketplace with the account of the data folder.
    Live,
}

/// What the status bar and the sign-in screen need to know.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    pub mode: Mode,
    /// The marketplace of the running session.
    pub server: Option<String>,
    pub data_dir: String,
    /// `false` without a session: the UI shows the sign-in form.
    pub signed_in: bool,
    /// The seller's user id, known once a connection succeeded: marks own messages.
    pub user_id: Option<String>,
    pub connection: Option<ConnectionState>,
    /// The round trip of the last `health.check` ack in ms, while connected to a server that
    /// acknowledges it.
    pub latency_ms: Option<u32>,
    /// When the token in use runs out (from the token, not verified); the UI warns ahead of it.
    pub token_expires_at: Option<Timestamp>,
    pub pending_outbox: u32,
    /// Why no session could start, if one should have.
    pub startup_error: Option<ErrorPayload>,
    /// Something the seller should know about the local cache (it was damaged and rebuilt).
    pub cache_notice: Option<ErrorPayload>,
    /// What the last sign-out could not remove (`SIGN_OUT_INCOMPLETE`), until the next sign-in.
    pub sign_out_notice: Option<ErrorPayload>,
    /// This build can run the demo marketplace (built with the `demo` feature): the sign-in
    /// screen offers it only then.
    pub demo_available: bool,
}

/// One running connection to a marketplace and everything tied to it.
struct Session {
    /// The folder of this session's cache and settings.
    data_dir: PathBuf,
    server: String,
    store: Store,
    engine: Engine,
    bridge: Bridge,
    /// Native notifications (none where the app has no notification service, e.g. in tests).
    notifier: Option<Notifier>,
}

/// Where the app is. Each phase owns its session; the data folder of the signed-out phase is
/// the launch's (where signing in writes the account).
enum Phase {
    SignedOut,
    Live(Session),
    Demo {
        session: Session,
        simulator: demo::Simulator,
    },
}

impl Phase {
    fn session(&self) -> Option<&Session> {
        match self {
            Self::SignedOut => None,
            Self::Live(session) | Self::Demo { session, .. } => Some(session),
        }
    }

    fn mode(&self) -> Mode {
        match self {
            Self::Demo { .. } => Mode::Demo,
            Self::SignedOut | Self::Live(_) => Mode::Live,
        }
    }

    /// Stops whatever runs: the session first (nothing talks to the simulator any more), then
    /// the simulator, then the cache.
    async fn shutdown(self) {
        match self {
            Self::SignedOut => {}
            Self::Live(session) => session.shutdown(None).await,
            Self::Demo { session, simulator } => session.shutdown(Some(simulator)).await,
        }
    }
}

/// What a session is wired to: the windows, what is on screen, the notification service and
/// the tray.
struct Wiring<'a> {
    subscribers: &'a Subscribers,
    surroundings: Surroundings,
    notices: Option<Arc<dyn NoticeSink>>,
    settings: NotificationSettings,
}

impl Session {
    fn start(
        data_dir: PathBuf,
        server: String,
        store: Store,
        tokens: TokenSource,
        wiring: Wiring<'_>,
    ) -> Self {
        let (engine, events) =
            Engine::start_subscribed(EngineConfig::new(server.clone(), tokens), store.clone());
        let notifier = wiring.notices.map(|sink| {
            Notifier::start(
                engine.subscribe(),
                store.clone(),
                wiring.settings,
                wiring.surroundings.focus.clone(),
                sink,
            )
        });
        let snapshot = Snapshot {
            state: engine.watch_state(),
            latency: engine.watch_latency(),
            store: store.clone(),
        };
        let bridge = Bridge::start(
            events,
            snapshot,
            wiring.subscribers.clone(),
            wiring.surroundings,
        );
        Self {
            data_dir,
            server,
            store,
            engine,
            bridge,
            notifier,
        }
    }

    async fn shutdown(self, simulator: Option<demo::Simulator>) {
        if let Some(notifier) = &self.notifier {
            notifier.stop().await;
        }
        self.engine.shutdown().await;
        self.bridge.stop().await;
        if let Some(simulator) = simulator {
            simulator.shutdown().await;
        }
        self.store.close().await;
    }
}

/// What the UI is told about beside the phase, each until it no longer applies.
#[derive(Default)]
struct Notes {
    /// Why the launch's (or the demo's) session could not start.
    startup_error: Option<ErrorPayload>,
    /// The cache was damaged and rebuilt (until the app restarts or signs out).
    cache_notice: Option<ErrorPayload>,
    /// What the last sign-out left behind (until the next sign-in).
    sign_out_notice: Option<ErrorPayload>,
}

pub struct AppState {
    /// The launch's data folder; the demo keeps its cache and settings in a subfolder of it.
    base_dir: Option<PathBuf>,
    /// The launch asked for the demo (`--demo`, `SELLERDESK_DEMO`).
    launch_demo: bool,
    phase: RwLock<Phase>,
    notes: Mutex<Notes>,
    /// How long keychain calls, opening included, may take (`SELLERDESK_KEYCHAIN_TIMEOUT`).
    keychain_wait: Duration,
    subscribers: Subscribers,
    navigator: Navigator,
    /// Where notices go (the OS notification service); set when the app starts.
    notices: OnceLock<Arc<dyn NoticeSink>>,
    /// The tray and launcher badge; set when the app starts.
    badge: OnceLock<Arc<dyn Badge>>,
    focus: SharedFocus,
    /// "Keep running in the tray" as last read or saved: closing the window decides on the
    /// event loop's thread, which must not wait for the phase lock (a sign-out may hold it).
    close_to_tray: AtomicBool,
}

impl AppState {
    /// The state for a launch; nothing runs until [`AppState::start`].
    pub fn new(launch: &LaunchArgs) -> Self {
        let base_dir = launch
            .data_dir
            .clone()
            .or_else(sellerdesk_core::paths::default_data_dir);
        let subscribers = Subscribers::default();
        Self {
            base_dir,
            launch_demo: launch.demo,
            phase: RwLock::new(Phase::SignedOut),
            notes: Mutex::default(),
            keychain_wait: launch
                .keychain_wait
                .unwrap_or(credentials::DEFAULT_KEYCHAIN_WAIT),
            navigator: Navigator::new(subscribers.clone()),
            subscribers,
            notices: OnceLock::new(),
            badge: OnceLock::new(),
            focus: SharedFocus::default(),
            close_to_tray: AtomicBool::new(DesktopPreferences::default().close_to_tray),
        }
    }

    fn notes(&self) -> std::sync::MutexGuard<'_, Notes> {
        self.notes.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tray and start-at-login preferences of this data folder (the defaults without one).
    pub async fn desktop_preferences(&self) -> DesktopPreferences {
        let preferences = self
            .data_dir()
            .await
            .map(|dir| DesktopPreferences::load(&dir))
            .unwrap_or_default();
        self.close_to_tray
            .store(preferences.close_to_tray, Ordering::Relaxed);
        preferences
    }

    /// Whether closing the window keeps the app in the tray, without waiting for anything.
    pub fn close_to_tray(&self) -> bool {
        self.close_to_tray.load(Ordering::Relaxed)
    }

    pub async fn set_desktop_preferences(
        &self,
        preferences: &DesktopPreferences,
    ) -> Result<(), AppError> {
        let data_dir = &self.data_dir().await?;
        preferences
            .save(data_dir)
            .map_err(|source| AppError::Settings {
                path: data_dir.display().to_string(),
                source,
            })?;
        self.close_to_tray
            .store(preferences.close_to_tray, Ordering::Relaxed);
        Ok(())
    }

    /// Native notifications go to `sink` from the next session on.
    pub fn set_notice_sink(&self, sink: Arc<dyn NoticeSink>) {
        if self.notices.set(sink).is_err() {
            tracing::warn!("the notification sink was already set");
        }
    }

    /// The unread count goes to `badge` from the next session on.
    pub fn set_badge(&self, badge: Arc<dyn Badge>) {
        if self.badge.set(badge).is_err() {
            tracing::warn!("the badge was already set");
        }
    }

    /// What is on screen: the notification policy reads it, and the bridge keeps the open
    /// conversation read while the window has focus.
    pub fn focus(&self) -> &SharedFocus {
        &self.focus
    }

    /// Where navigation goes (notification clicks, links, the tray).
    pub fn navigator(&self) -> &Navigator {
        &self.navigator
    }

    fn wiring(&self, data_dir: &Path) -> Wiring<'_> {
        Wiring {
            subscribers: &self.subscribers,
            surroundings: Surroundings {
                focus: self.focus.clone(),
                navigator: self.navigator.clone(),
                badge: self.badge.get().cloned(),
            },
            notices: self.notices.get().cloned(),
            settings: NotificationSettings::load(data_dir),
        }
    }

    /// The notification settings of this data folder.
    pub async fn notification_settings(&self) -> Result<NotificationSettings, AppError> {
        Ok(NotificationSettings::load(&self.data_dir().await?))
    }

    /// Saves the settings; the running session follows them at once.
    pub async fn set_notification_settings(
        &self,
        settings: NotificationSettings,
    ) -> Result<(), AppError> {
        let phase = self.phase.read().await;
        let data_dir = &self.data_dir_of(&phase)?;
        settings
            .save(data_dir)
            .map_err(|source| AppError::Settings {
                path: data_dir.display().to_string(),
                source,
            })?;
        if let Some(notifier) = phase.session().and_then(|s| s.notifier.as_ref()) {
            notifier.set_settings(settings);
        }
        Ok(())
    }

    pub async fn mode(&self) -> Mode {
        self.phase.read().await.mode()
    }

    /// "Try the demo marketplace" from the sign-in screen: the demo starts in its own subfolder;
    /// the live data folder is not touched.
    pub async fn try_demo(&self) -> Result<(), AppError> {
        match &*self.phase.read().await {
            Phase::Demo { .. } => return Ok(()),
            Phase::Live(session) => return Err(AppError::AlreadySignedIn(session.server.clone())),
            Phase::SignedOut => {}
        }
        self.start_demo().await
    }

    /// Leaves the demo for the sign-in screen (or the account this data folder is signed in to).
    pub async fn leave_demo(&self) -> Result<(), AppError> {
        let demo = {
            let mut phase = self.phase.write().await;
            if !matches!(*phase, Phase::Demo { .. }) {
                return Ok(());
            }
            std::mem::replace(&mut *phase, Phase::SignedOut)
        };
        self.end(demo).await;
        self.notes().startup_error = None;
        self.start_saved_account().await
    }

    pub fn subscribers(&self) -> &Subscribers {
        &self.subscribers
    }

    /// A window subscribed with `channel`: it gets the full picture first, with the navigation
    /// that waited for it.
    pub async fn subscribe(
        &self,
        window: &str,
        channel: tauri::ipc::Channel<crate::ui_event::UiEvent>,
    ) {
        self.subscribers.replace(window, channel);
        match self.phase.read().await.session() {
            // The bridge's resync batch carries the waiting navigation.
            Some(session) => session.bridge.resync(),
            None => {
                if let Some(target) = self.navigator.take_pending() {
                    self.navigator.open(target);
                }
            }
        }
    }

    /// The folder of the current phase's cache and settings (the demo subfolder in the demo).
    pub(crate) async fn data_dir(&self) -> Result<PathBuf, AppError> {
        self.data_dir_of(&*self.phase.read().await)
    }

    fn data_dir_of(&self, phase: &Phase) -> Result<PathBuf, AppError> {
        match phase.session() {
            Some(session) => Ok(session.data_dir.clone()),
            None => self.live_dir(),
        }
    }

    fn live_dir(&self) -> Result<PathBuf, AppError> {
        self.base_dir.clone().ok_or(AppError::NoDataDir)
    }

    /// Starts the session the launch asks for: the demo, or the data folder's account if there
    /// is one. A failure is kept for the UI to show; the app still opens (signed out).
    pub async fn start(&self) {
        tracing::info!(demo = self.launch_demo, "starting Seller Desk");
        let result = match self.secure_base_dir() {
            Err(e) => Err(e),
            Ok(()) if self.launch_demo => self.start_demo().await,
            Ok(()) => self.start_saved_account().await,
        };
        if let Err(e) = result {
            tracing::error!(code = e.code(), "cannot start: {e}");
            self.notes().startup_error = Some(e.payload());
        }
    }

    /// The data folder is the seller's only (0700, files 0600); another user's is refused.
    fn secure_base_dir(&self) -> Result<(), AppError> {
        let base = self.base_dir.as_ref().ok_or(AppError::NoDataDir)?;
        Ok(sellerdesk_core::paths::secure_data_dir(base)?)
    }

    async fn start_demo(&self) -> Result<(), AppError> {
        if !demo::AVAILABLE {
            return Err(AppError::DemoUnavailable);
        }
        let data_dir = self.live_dir()?.join(DEMO_SUBDIR);
        // Each demo run talks to a fresh simulated world: last run's cache and outbox would
        // only confuse it.
        store::remove_database_files(&data_dir).map_err(|source| {
            AppError::Store(store::StoreError::Open {
                path: data_dir.to_owned(),
                source: source.into(),
            })
        })?;
        let store = self.open_store(&data_dir).await?;
        let server = match demo::start().await {
            Ok(server) => server,
            Err(e) => {
                store.close().await;
                return Err(e);
            }
        };
        let wiring = self.wiring(&data_dir);
        let session = Session::start(
            data_dir,
            server.url,
            store,
            TokenSource::Fixed(server.token),
            wiring,
        );
        self.install(Phase::Demo {
            session,
            simulator: server.simulator,
        })
        .await
    }

    async fn start_saved_account(&self) -> Result<(), AppError> {
        let data_dir = self.live_dir()?;
        match account::load_account(&data_dir) {
            Some(account) => self.start_live(account).await,
            None => {
                tracing::info!(dir = %data_dir.display(), "no account in the data folder");
                Ok(())
            }
        }
    }

    async fn start_live(&self, account: Account) -> Result<(), AppError> {
        let data_dir = self.live_dir()?;
        let store = self.open_store(&data_dir).await?;
        // The keychain is opened by the engine at each attempt: when it is locked or missing the
        // cache still opens, and the status bar says why the app cannot connect.
        let wiring = self.wiring(&data_dir);
        let session = Session::start(
            data_dir,
            account.server,
            store,
            TokenSource::Platform,
            wiring,
        );
        self.install(Phase::Live(session)).await
    }

    /// Opens the cache; a damaged one is replaced by a fresh one, and the seller is told (the
    /// notice stays in `AppInfo` until the app restarts).
    async fn open_store(&self, data_dir: &Path) -> Result<Store, AppError> {
        let (store, report) = Store::open_or_recover(data_dir).await?;
        if let Some(warning) = report.warning() {
            tracing::warn!(code = OpenReport::CODE, "{warning}");
            self.notes().cache_notice = Some(ErrorPayload {
                code: OpenReport::CODE.to_owned(),
                message: warning,
            });
        }
        Ok(store)
    }

    /// Makes `next` the phase, if the app is still signed out; a session that started while
    /// another one did (two clicks) is stopped again.
    async fn install(&self, next: Phase) -> Result<(), AppError> {
        let refused = {
            let mut phase = self.phase.write().await;
            match &*phase {
                Phase::SignedOut => {
                    if let Some(session) = next.session() {
                        tracing::info!(server = %session.server, "session started");
                    }
                    *phase = next;
                    None
                }
                Phase::Live(session) | Phase::Demo { session, .. } => {
                    Some((next, session.server.clone()))
                }
            }
        };
        match refused {
            None => {
                self.notes().startup_error = None;
                Ok(())
            }
            Some((next, server)) => {
                next.shutdown().await;
                Err(AppError::AlreadySignedIn(server))
            }
        }
    }

    /// Stops a phase that was taken out, and clears the badge it showed.
    async fn end(&self, phase: Phase) {
        phase.shutdown().await;
        if let Some(badge) = self.badge.get() {
            badge.show_unread(0);
        }
    }

    pub async fn info(&self) -> AppInfo {
        let phase = self.phase.read().await;
        let session = phase.session();
        let (pending, user_id, expires) = match session {
            Some(session) => (
                session.store.outbox_pending().await.unwrap_or_else(|e| {
                    tracing::warn!(code = e.code(), "cannot count the outbox: {e}");
                    0
                }),
                read_meta(&session.store, META_SELF_ID).await,
                read_meta(&session.store, META_TOKEN_EXPIRES_AT).await,
            ),
            None => (0, None, None),
        };
        let token_expires_at = expires
            .and_then(|ms| ms.parse::<i64>().ok())
            .and_then(Timestamp::from_millis);
        let notes = self.notes();
        AppInfo {
            mode: phase.mode(),
            server: session.map(|s| s.server.clone()),
            data_dir: self
                .data_dir_of(&phase)
                .map(|dir| dir.display().to_string())
                .unwrap_or_default(),
            signed_in: session.is_some(),
            user_id,
            connection: session.map(|s| s.engine.state()),
            latency_ms: session.and_then(|s| s.engine.latency()),
            token_expires_at,
            pending_outbox: u32::try_from(pending).unwrap_or(u32::MAX),
            startup_error: notes.startup_error.clone(),
            cache_notice: notes.cache_notice.clone(),
            sign_out_notice: notes.sign_out_notice.clone(),
            demo_available: demo::AVAILABLE,
        }
    }

    /// The marketplace server URL of the running session (attachments on its own host may be
    /// on a private address).
    pub async fn server(&self) -> Option<String> {
        let phase = self.phase.read().await;
        phase.session().map(|s| s.server.clone())
    }

    /// The session's cache (a cheap handle), for reads that must work offline.
    pub async fn store(&self) -> Result<Store, AppError> {
        let phase = self.phase.read().await;
        phase
            .session()
            .map(|s| s.store.clone())
            .ok_or(AppError::NotSignedIn)
    }

    /// Tells the windows about a change a command made to the cache (a read mark).
    pub async fn note(&self, change: LocalChange) {
        if let Some(session) = self.phase.read().await.session() {
            session.bridge.note(change);
        }
    }

    /// Queues a message in the outbox; the engine sends it when connected.
    pub async fn send_message(
        &self,
        conversation_id: &str,
        content: &str,
    ) -> Result<OutboxItem, AppError> {
        let phase = self.phase.read().await;
        let session = phase.session().ok_or(AppError::NotSignedIn)?;
        Ok(session
            .engine
            .send_message(conversation_id, content)
            .await?)
    }

    /// Queues a message the server refused once more.
    pub async fn retry_message(&self, client_message_id: &str) -> Result<(), AppError> {
        let phase = self.phase.read().await;
        let session = phase.session().ok_or(AppError::NotSignedIn)?;
        Ok(session.engine.retry_message(client_message_id).await?)
    }

    /// Skips the reconnect wait.
    pub async fn retry_now(&self) -> Result<(), AppError> {
        let phase = self.phase.read().await;
        phase
            .session()
            .ok_or(AppError::NotSignedIn)?
            .engine
            .retry_now();
        Ok(())
    }

    /// A view subscribed: send it the full picture.
    pub async fn resync(&self) {
        if let Some(session) = self.phase.read().await.session() {
            session.bridge.resync();
        }
    }

    /// Checks the token against the server, keeps it in the keychain and starts the session.
    pub async fn sign_in(&self, server: &str, token: Token) -> Result<(), AppError> {
        let server = server.trim();
        let running = {
            let phase = self.phase.read().await;
            match &*phase {
                Phase::Demo { .. } => return Err(AppError::DemoMode),
                Phase::Live(session) => Some(session.server.clone()),
                Phase::SignedOut => None,
            }
        };
        if !(server.starts_with("http://") || server.starts_with("https://")) {
            return Err(AppError::InvalidServer);
        }
        // Before the keychain is even opened: plain http to another host never gets the token.
        sellerdesk_core::server_url::require_secure(server)
            .map_err(sellerdesk_core::account::AccountError::from)?;
        let data_dir = &self.live_dir()?;
        if let Some(running) = running {
            // Signing in again to the same server (the old token was rejected or expired): the
            // new token replaces the old in the keychain and the engine, which reads it before
            // every attempt, connects with it at once. The cache stays.
            if credentials::account_for(&running) != credentials::account_for(server) {
                return Err(AppError::AlreadySignedIn(running));
            }
            let keychain = Keychain::platform_within(self.keychain_wait).await?;
            account::sign_in(data_dir, server, &token, &keychain, SIGN_IN_TIMEOUT).await?;
            return self.retry_now().await;
        }
        let keychain = Keychain::platform_within(self.keychain_wait).await?;
        let account =
            account::sign_in(data_dir, server, &token, &keychain, SIGN_IN_TIMEOUT).await?;
        self.set_sign_out_notice(None);
        self.start_live(account).await
    }

    /// Stops the session and any attachment download, wipes the local data, then removes the
    /// token from the keychain. A keychain that is locked, missing or silent does not stop the
    /// wipe; the report says what stayed (the webview's storage is the caller's, see
    /// `commands::sign_out`).
    pub async fn sign_out(&self, attachments: &Attachments) -> Result<SignOutReport, AppError> {
        let data_dir = &self.live_dir()?;
        let live = {
            let mut phase = self.phase.write().await;
            if matches!(*phase, Phase::Demo { .. }) {
                return Err(AppError::DemoMode);
            }
            std::mem::replace(&mut *phase, Phase::SignedOut)
        };
        self.end(live).await;
        // With the session gone no new download starts; one under way would write into the
        // folder after the wipe.
        attachments.stop_downloads().await;
        self.notes().cache_notice = None;
        Ok(sign_out(data_dir, Keychain::platform_within(self.keychain_wait)).await)
    }

    /// Shown on the sign-in screen until the next sign-in: what a sign-out left behind.
    pub fn set_sign_out_notice(&self, notice: Option<ErrorPayload>) {
        self.notes().sign_out_notice = notice;
    }

    /// Stops everything that runs, in order; called once when the app exits.
    pub async fn shutdown(&self) {
        let phase = std::mem::replace(&mut *self.phase.write().await, Phase::SignedOut);
        if phase.session().is_some() {
            phase.shutdown().await;
            tracing::info!("session stopped");
        }
    }
}

/// A meta value for the UI; a read error is logged and shown as unknown.
async fn read_meta(store: &Store, key: &str) -> Option<String> {
    store.meta(key).await.unwrap_or_else(|e| {
        tracing::warn!(code = e.code(), key, "cannot read from the cache: {e}");
        None
    })
}
