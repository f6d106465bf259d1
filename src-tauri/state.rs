//! The app's managed state: which mode it runs in, and the one live session (store, engine,
//! UI bridge and, in demo mode, the simulator). Each resource has one owner, the [`Session`],
//! and [`AppState::shutdown`] stops them in order.

use crate::bridge::{Bridge, Snapshot, Subscribers};
use crate::cli_args::LaunchArgs;
use crate::demo;
use crate::error::{AppError, ErrorPayload};
use marketplace_sim::Simulator;
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
    /// `false` in live mode without an account: the UI shows the sign-in form.
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
}

/// One running connection to a marketplace and everything tied to it.
struct Session {
    server: String,
    store: Store,
    engine: Engine,
    bridge: Bridge,
    /// Native notifications (none where the app has no notification service, e.g. in tests).
    notifier: Option<Notifier>,
    simulator: Option<Simulator>,
}

/// What a session needs to raise notifications.
struct Alerts<'a> {
    sink: Option<Arc<dyn NoticeSink>>,
    settings: NotificationSettings,
    focus: &'a SharedFocus,
}

impl Session {
    fn start(
        server: String,
        store: Store,
        tokens: TokenSource,
        simulator: Option<Simulator>,
        subscribers: &Subscribers,
        alerts: Alerts<'_>,
    ) -> Self {
        let (engine, events) =
            Engine::start_subscribed(EngineConfig::new(server.clone(), tokens), store.clone());
        let notifier = alerts.sink.map(|sink| {
            Notifier::start(
                engine.subscribe(),
                store.clone(),
                alerts.settings,
                alerts.focus.clone(),
                sink,
            )
        });
        let snapshot = Snapshot {
            state: engine.watch_state(),
            latency: engine.watch_latency(),
            store: store.clone(),
        };
        let bridge = Bridge::start(events, snapshot, subscribers.clone());
        Self {
            server,
            store,
            engine,
            bridge,
            notifier,
            simulator,
        }
    }

    async fn shutdown(self) {
        if let Some(notifier) = &self.notifier {
            notifier.stop().await;
        }
        self.engine.shutdown().await;
        self.bridge.stop().await;
        if let Some(simulator) = self.simulator {
            simulator.shutdown().await;
        }
        self.store.close().await;
    }
}

pub struct AppState {
    /// Live, or the demo (from the launch, or chosen on the sign-in screen).
    mode: Mutex<Mode>,
    /// The data folder; the demo keeps its cache and settings in a subfolder of it.
    base_dir: Option<PathBuf>,
    session: RwLock<Option<Session>>,
    startup_error: Mutex<Option<ErrorPayload>>,
    cache_notice: Mutex<Option<ErrorPayload>>,
    sign_out_notice: Mutex<Option<ErrorPayload>>,
    /// How long keychain calls, opening included, may take (`SELLERDESK_KEYCHAIN_TIMEOUT`).
    keychain_wait: Duration,
    subscribers: Subscribers,
    /// Where notices go (the OS notification service); set when the app starts.
    notices: OnceLock<Arc<dyn NoticeSink>>,
    focus: SharedFocus,
    desktop: crate::desktop::Desktop,
}

impl AppState {
    /// The state for a launch; nothing runs until [`AppState::start`].
    pub fn new(launch: &LaunchArgs) -> Self {
        let mode = if launch.demo { Mode::Demo } else { Mode::Live };
        let base_dir = launch
            .data_dir
            .clone()
            .or_else(sellerdesk_core::paths::default_data_dir);
        Self {
            mode: Mutex::new(mode),
            base_dir,
            session: RwLock::new(None),
            startup_error: Mutex::new(None),
            cache_notice: Mutex::new(None),
            sign_out_notice: Mutex::new(None),
            keychain_wait: launch
                .keychain_wait
                .unwrap_or(credentials::DEFAULT_KEYCHAIN_WAIT),
            subscribers: Subscribers::default(),
            notices: OnceLock::new(),
            focus: SharedFocus::default(),
            desktop: crate::desktop::Desktop::default(),
        }
    }

    /// Tray, deep links and closing behaviour.
    pub fn desktop(&self) -> &crate::desktop::Desktop {
        &self.desktop
    }

    /// Tray and start-at-login preferences of this data folder (the defaults without one).
    pub fn desktop_preferences(&self) -> crate::preferences::DesktopPreferences {
        self.data_dir()
            .map(|dir| crate::preferences::DesktopPreferences::load(&dir))
            .unwrap_or_default()
    }

    pub fn set_desktop_preferences(
        &self,
        preferences: &crate::preferences::DesktopPreferences,
    ) -> Result<(), AppError> {
        let data_dir = &self.data_dir()?;
        preferences
            .save(data_dir)
            .map_err(|source| AppError::Settings {
                path: data_dir.display().to_string(),
                source,
            })
    }

    /// Native notifications go to `sink` from the next session on.
    pub fn set_notice_sink(&self, sink: Arc<dyn NoticeSink>) {
        if self.notices.set(sink).is_err() {
            tracing::warn!("the notification sink was already set");
        }
    }

    /// What is on screen, for the notification policy.
    pub fn focus(&self) -> &SharedFocus {
        &self.focus
    }

    fn alerts(&self, data_dir: &Path) -> Alerts<'_> {
        Alerts {
            sink: self.notices.get().cloned(),
            settings: NotificationSettings::load(data_dir),
            focus: &self.focus,
        }
    }

    /// The notification settings of this data folder.
    pub fn notification_settings(&self) -> Result<NotificationSettings, AppError> {
        Ok(NotificationSettings::load(&self.data_dir()?))
    }

    /// Saves the settings; the running session follows them at once.
    pub async fn set_notification_settings(
        &self,
        settings: NotificationSettings,
    ) -> Result<(), AppError> {
        let data_dir = &self.data_dir()?;
        settings
            .save(data_dir)
            .map_err(|source| AppError::Settings {
                path: data_dir.display().to_string(),
                source,
            })?;
        if let Some(notifier) = self
            .session
            .read()
            .await
            .as_ref()
            .and_then(|s| s.notifier.as_ref())
        {
            notifier.set_settings(settings);
        }
        Ok(())
    }

    pub fn mode(&self) -> Mode {
        *self.mode.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set_mode(&self, mode: Mode) {
        *self.mode.lock().unwrap_or_else(PoisonError::into_inner) = mode;
    }

    /// "Try the demo marketplace" from the sign-in screen: the demo starts in its own subfolder;
    /// the live data folder is not touched.
    pub async fn try_demo(&self) -> Result<(), AppError> {
        if self.mode() == Mode::Demo {
            return Ok(());
        }
        if let Some(session) = self.session.read().await.as_ref() {
            return Err(AppError::AlreadySignedIn(session.server.clone()));
        }
        self.set_mode(Mode::Demo);
        if let Err(e) = self.start_demo().await {
            self.set_mode(Mode::Live);
            return Err(e);
        }
        Ok(())
    }

    /// Leaves the demo for the sign-in screen (or the account this data folder is signed in to).
    pub async fn leave_demo(&self) -> Result<(), AppError> {
        if self.mode() != Mode::Demo {
            return Ok(());
        }
        let session = self.session.write().await.take();
        if let Some(session) = session {
            session.shutdown().await;
        }
        self.set_mode(Mode::Live);
        self.clear_startup_error();
        self.start_saved_account().await
    }

    pub fn subscribers(&self) -> &Subscribers {
        &self.subscribers
    }

    /// The folder of this mode's cache and settings (the demo subfolder in demo mode).
    pub(crate) fn data_dir(&self) -> Result<PathBuf, AppError> {
        let base = self.base_dir.as_ref().ok_or(AppError::NoDataDir)?;
        Ok(match self.mode() {
            Mode::Demo => base.join(DEMO_SUBDIR),
            Mode::Live => base.clone(),
        })
    }

    /// Starts the session the launch asks for: the demo, or the data folder's account if there
    /// is one. A failure is kept for the UI to show; the app still opens.
    pub async fn start(&self) {
        let result = match self.secure_base_dir() {
            Err(e) => Err(e),
            Ok(()) => match self.mode() {
                Mode::Demo => self.start_demo().await,
                Mode::Live => self.start_saved_account().await,
            },
        };
        if let Err(e) = result {
            tracing::error!(code = e.code(), "cannot start: {e}");
            *self
                .startup_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(e.payload());
        }
    }

    /// The data folder is the seller's only (0700, files 0600); another user's is refused.
    fn secure_base_dir(&self) -> Result<(), AppError> {
        let base = self.base_dir.as_ref().ok_or(AppError::NoDataDir)?;
        Ok(sellerdesk_core::paths::secure_data_dir(base)?)
    }

    async fn start_demo(&self) -> Result<(), AppError> {
        let data_dir = &self.data_dir()?;
        // Each demo run talks to a fresh simulated world: last run's cache and outbox would
        // only confuse it.
        store::remove_database_files(data_dir).map_err(|source| {
            AppError::Store(store::StoreError::Open {
                path: data_dir.to_owned(),
                source: source.into(),
            })
        })?;
        let store = self.open_store(data_dir).await?;
        let server = match demo::start().await {
            Ok(server) => server,
            Err(e) => {
                store.close().await;
                return Err(e);
            }
        };
        let session = Session::start(
            server.url,
            store,
            TokenSource::Fixed(server.token),
            Some(server.simulator),
            &self.subscribers,
            self.alerts(data_dir),
        );
        self.install(session).await;
        Ok(())
    }

    async fn start_saved_account(&self) -> Result<(), AppError> {
        let data_dir = &self.data_dir()?;
        match account::load_account(data_dir) {
            Some(account) => self.start_live(account).await,
            None => {
                tracing::info!(dir = %data_dir.display(), "no account in the data folder");
                Ok(())
            }
        }
    }

    async fn start_live(&self, account: Account) -> Result<(), AppError> {
        let data_dir = &self.data_dir()?;
        let store = self.open_store(data_dir).await?;
        // The keychain is opened by the engine at each attempt: when it is locked or missing the
        // cache still opens, and the status bar says why the app cannot connect.
        let session = Session::start(
            account.server,
            store,
            TokenSource::Platform,
            None,
            &self.subscribers,
            self.alerts(data_dir),
        );
        self.install(session).await;
        Ok(())
    }

    /// Opens the cache; a damaged one is replaced by a fresh one, and the seller is told (the
    /// notice stays in `AppInfo` until the app restarts).
    async fn open_store(&self, data_dir: &std::path::Path) -> Result<Store, AppError> {
        let (store, report) = Store::open_or_recover(data_dir).await?;
        if let Some(warning) = report.warning() {
            tracing::warn!(code = OpenReport::CODE, "{warning}");
            *self
                .cache_notice
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(ErrorPayload {
                code: OpenReport::CODE.to_owned(),
                message: warning,
            });
        }
        Ok(store)
    }

    async fn install(&self, session: Session) {
        tracing::info!(server = %session.server, "session started");
        let previous = self.session.write().await.replace(session);
        if let Some(previous) = previous {
            previous.shutdown().await;
        }
        self.clear_startup_error();
    }

    fn clear_startup_error(&self) {
        *self
            .startup_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }

    pub async fn info(&self) -> AppInfo {
        let session = self.session.read().await;
        let (pending, user_id, expires) = match session.as_ref() {
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
        AppInfo {
            mode: self.mode(),
            server: session.as_ref().map(|s| s.server.clone()),
            data_dir: self
                .data_dir()
                .map(|dir| dir.display().to_string())
                .unwrap_or_default(),
            signed_in: session.is_some(),
            user_id,
            connection: session.as_ref().map(|s| s.engine.state()),
            latency_ms: session.as_ref().and_then(|s| s.engine.latency()),
            token_expires_at,
            pending_outbox: u32::try_from(pending).unwrap_or(u32::MAX),
            startup_error: self
                .startup_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
            cache_notice: self
                .cache_notice
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
            sign_out_notice: self
                .sign_out_notice
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
        }
    }

    /// The marketplace server URL of the running session (attachments on its own host may be
    /// on a private address).
    pub async fn server(&self) -> Option<String> {
        let session = self.session.read().await;
        session.as_ref().map(|s| s.server.clone())
    }

    /// The session's cache (a cheap handle), for reads that must work offline.
    pub async fn store(&self) -> Result<Store, AppError> {
        let session = self.session.read().await;
        session
            .as_ref()
            .map(|s| s.store.clone())
            .ok_or(AppError::NotSignedIn)
    }

    /// Queues a message in the outbox; the engine sends it when connected.
    pub async fn send_message(
        &self,
        conversation_id: &str,
        content: &str,
    ) -> Result<OutboxItem, AppError> {
        let session = self.session.read().await;
        let session = session.as_ref().ok_or(AppError::NotSignedIn)?;
        Ok(session
            .engine
            .send_message(conversation_id, content)
            .await?)
    }

    /// Queues a message the server refused once more.
    pub async fn retry_message(&self, client_message_id: &str) -> Result<(), AppError> {
        let session = self.session.read().await;
        let session = session.as_ref().ok_or(AppError::NotSignedIn)?;
        Ok(session.engine.retry_message(client_message_id).await?)
    }

    /// Skips the reconnect wait.
    pub async fn retry_now(&self) -> Result<(), AppError> {
        let session = self.session.read().await;
        session
            .as_ref()
            .ok_or(AppError::NotSignedIn)?
            .engine
            .retry_now();
        Ok(())
    }

    /// A view subscribed: send it the full picture.
    pub async fn resync(&self) {
        if let Some(session) = self.session.read().await.as_ref() {
            session.bridge.resync();
        }
    }

    /// Checks the token against the server, keeps it in the keychain and starts the session.
    pub async fn sign_in(&self, server: &str, token: Token) -> Result<(), AppError> {
        if self.mode() == Mode::Demo {
            return Err(AppError::DemoMode);
        }
        let server = server.trim();
        if !(server.starts_with("http://") || server.starts_with("https://")) {
            return Err(AppError::InvalidServer);
        }
        // Before the keychain is even opened: plain http to another host never gets the token.
        sellerdesk_core::server_url::require_secure(server)
            .map_err(sellerdesk_core::account::AccountError::from)?;
        let data_dir = &self.data_dir()?;
        if let Some(session) = self.session.read().await.as_ref() {
            // Signing in again to the same server (the old token was rejected or expired): the
            // new token replaces the old in the keychain and the engine, which reads it before
            // every attempt, connects with it at once. The cache stays.
            if credentials::account_for(&session.server) != credentials::account_for(server) {
                return Err(AppError::AlreadySignedIn(session.server.clone()));
            }
            let keychain = Keychain::platform_within(self.keychain_wait).await?;
            account::sign_in(data_dir, server, &token, &keychain, SIGN_IN_TIMEOUT).await?;
            session.engine.retry_now();
            return Ok(());
        }
        let keychain = Keychain::platform_within(self.keychain_wait).await?;
        let account =
            account::sign_in(data_dir, server, &token, &keychain, SIGN_IN_TIMEOUT).await?;
        self.set_sign_out_notice(None);
        self.start_live(account).await
    }

    /// Stops the session and any attachment download, wipes the local data, then removes the token from the keychain. A
    /// keychain that is locked, missing or silent does not stop the wipe; the report says what
    /// stayed (the webview's storage is the caller's, see `commands::sign_out`).
    pub async fn sign_out(&self, attachments: &Attachments) -> Result<SignOutReport, AppError> {
        if self.mode() == Mode::Demo {
            return Err(AppError::DemoMode);
        }
        let data_dir = &self.data_dir()?;
        let session = self.session.write().await.take();
        if let Some(session) = session {
            session.shutdown().await;
        }
        // With the session gone no new download starts; one under way would write into the
        // folder after the wipe.
        attachments.stop_downloads().await;
        *self
            .cache_notice
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
        Ok(sign_out(data_dir, Keychain::platform_within(self.keychain_wait)).await)
    }

    /// Shown on the sign-in screen until the next sign-in: what a sign-out left behind.
    pub fn set_sign_out_notice(&self, notice: Option<ErrorPayload>) {
        *self
            .sign_out_notice
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = notice;
    }

    /// Stops everything that runs, in order; called once when the app exits.
    pub async fn shutdown(&self) {
        let session = self.session.write().await.take();
        if let Some(session) = session {
            session.shutdown().await;
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
