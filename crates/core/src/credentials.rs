//! The access token in the OS keychain (Secret Service, macOS Keychain, Windows Credential
//! Manager), one entry per marketplace server.

use crate::sensitive::Token;
use keyring_core::{CredentialStore, Error as KeyringError};
use std::sync::Arc;
use std::time::Duration;

/// Keychain entries are namespaced by this service name; the account is the server URL.
pub const KEYCHAIN_SERVICE: &str = "app.sellerdesk.desktop";

#[derive(Clone, Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("the keychain is locked or refused access; unlock it and try again ({0})")]
    Locked(String),
    /// The keychain service took the connection but never answered while it was being opened:
    /// nothing is known to be locked, the service (or the session bus) is not responding.
    #[error("the keychain service did not answer within {0} s; check that the Secret Service (GNOME Keyring or KWallet) is running and responding")]
    NoAnswer(f64),
    #[error("no keychain is available: {0}. Seller Desk keeps the token only in the OS keychain")]
    Unavailable(String),
    #[error("the keychain entry is unreadable ({0})")]
    BadData(String),
    #[error("keychain error: {0}")]
    Platform(String),
}

impl CredentialError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Locked(_) => "KEYCHAIN_LOCKED",
            Self::NoAnswer(_) => "KEYCHAIN_NO_ANSWER",
            Self::Unavailable(_) => "KEYCHAIN_UNAVAILABLE",
            Self::BadData(_) => "KEYCHAIN_BAD_DATA",
            Self::Platform(_) => "KEYCHAIN_ERROR",
        }
    }
}

impl From<KeyringError> for CredentialError {
    fn from(error: KeyringError) -> Self {
        // Only the error's kind is kept: platform messages never contain the secret, but
        // BadEncoding carries the stored bytes, so those are never formatted.
        match error {
            KeyringError::NoStorageAccess(e) => Self::Locked(e.to_string()),
            KeyringError::PlatformFailure(e) if service_missing(e.as_ref()) => Self::Unavailable(
                format!("the Secret Service (GNOME Keyring or KWallet) is not running in this session ({e})"),
            ),
            KeyringError::NoDefaultStore => Self::Unavailable("no default store".into()),
            KeyringError::NotSupportedByStore(e) => Self::Unavailable(e),
            KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => {
                Self::BadData("stored token is not valid text".into())
            }
            other => Self::Platform(other.to_string()),
        }
    }
}

/// Whether a platform failure means there is no keychain service to talk to at all.
#[cfg(target_os = "linux")]
fn service_missing(error: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    use secret_service::Error as Service;
    // No session bus, nobody owning org.freedesktop.secrets, or the service said so.
    matches!(
        error.downcast_ref::<Service>(),
        Some(Service::Unavailable | Service::Zbus(_) | Service::ZbusFdo(_))
    )
}

#[cfg(not(target_os = "linux"))]
fn service_missing(_error: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    false
}

/// How long a keychain call may take. A locked keychain asks the user to unlock it (gnome-keyring
/// shows a prompt) and the call waits for them; after this the call is reported as locked.
pub const DEFAULT_KEYCHAIN_WAIT: Duration = Duration::from_secs(60);

/// The OS keychain, or an in-memory stand-in for unit tests and demo mode.
#[derive(Clone)]
pub struct Keychain {
    store: Arc<CredentialStore>,
    wait: Duration,
}

impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keychain")
    }
}

/// The one platform store of this process, and the attempt to open it that is under way.
struct StoreSlot {
    open: std::sync::OnceLock<Arc<CredentialStore>>,
    opening: std::sync::Mutex<Option<OpeningAnswer>>,
    /// Opening threads started so far (at most one runs at a time).
    attempts: std::sync::atomic::AtomicUsize,
}

/// The answer of the opening attempt in flight: `None` until the keychain answers.
type OpeningAnswer =
    tokio::sync::watch::Receiver<Option<Result<Arc<CredentialStore>, CredentialError>>>;

impl StoreSlot {
    const fn new() -> Self {
        Self {
            open: std::sync::OnceLock::new(),
            opening: std::sync::Mutex::new(None),
            attempts: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The store, opening it with `open` on a keychain thread if needed, waiting at most `wait`
    /// for it. Callers arriving while an attempt is unanswered wait for that same attempt: a
    /// service that never answers holds one thread, however often the app retries.
    async fn get(
        &'static self,
        wait: Duration,
        open: fn() -> Result<Arc<CredentialStore>, CredentialError>,
    ) -> Result<Arc<CredentialStore>, CredentialError> {
        if let Some(store) = self.open.get() {
            return Ok(store.clone());
        }
        let mut answer = {
            let mut opening = self
                .opening
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(store) = self.open.get() {
                return Ok(store.clone());
            }
            match opening.as_ref() {
                Some(answer) => answer.clone(),
                None => {
                    let (tx, rx) = tokio::sync::watch::channel(None);
                    std::thread::Builder::new()
                        .name("keychain-open".into())
                        .spawn(move || {
                            // The store is kept for the life of the process: its teardown
                            // blocks on D-Bus, which must not run on an async task.
                            let result =
                                open().map(|fresh| self.open.get_or_init(|| fresh).clone());
                            *self
                                .opening
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
                            let _ = tx.send(Some(result));
                        })
                        .map_err(|e| {
                            CredentialError::Platform(format!(
                                "cannot start the keychain thread: {e}"
                            ))
                        })?;
                    self.attempts
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    *opening = Some(rx.clone());
                    rx
                }
            }
        };
        // Bound to a local: the answer borrows `answer`, which must outlive it.
        let outcome = match tokio::time::timeout(wait, answer.wait_for(Option::is_some)).await {
            Ok(Ok(result)) => result.clone().unwrap_or_else(|| {
                Err(CredentialError::Platform(
                    "the keychain opened without an answer".into(),
                ))
            }),
            Ok(Err(_)) => Err(CredentialError::Platform(
                "the keychain thread ended without an answer".into(),
            )),
            Err(_) => Err(CredentialError::NoAnswer(wait.as_secs_f64())),
        };
        outcome
    }
}

static PLATFORM_STORE: StoreSlot = StoreSlot::new();

impl Keychain {
    /// The platform's keychain, waiting up to [`DEFAULT_KEYCHAIN_WAIT`] to open it and for
    /// each call (see [`Keychain::platform_within`]).
    pub async fn platform() -> Result<Self, CredentialError> {
        Self::platform_within(DEFAULT_KEYCHAIN_WAIT).await
    }

    /// The platform's keychain. On Linux opening it starts a Secret Service session on the
    /// D-Bus session bus; a bus or service that takes the connection and never answers gives
    /// up after `wait` with `KEYCHAIN_NO_ANSWER`. Each later call also gives up after `wait`.
    pub async fn platform_within(wait: Duration) -> Result<Self, CredentialError> {
        let store = PLATFORM_STORE.get(wait, platform_store).await?;
        Ok(Self { store, wait })
    }

    /// The same keychain, giving up on a call after `wait` (see [`DEFAULT_KEYCHAIN_WAIT`]).
    pub fn with_wait(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }

    /// A process-local store that forgets everything on exit.
    pub fn in_memory() -> Result<Self, CredentialError> {
        let store: Arc<CredentialStore> = keyring_core::mock::Store::new()?;
        Ok(Self {
            store,
            wait: DEFAULT_KEYCHAIN_WAIT,
        })
    }

    pub async fn load(&self, server: &str) -> Result<Option<Token>, CredentialError> {
        let entry = self.entry(server)?;
        match off_runtime(self.wait, move || entry.get_password()).await? {
            Ok(text) => Ok(Token::new(text)),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn save(&self, server: &str, token: &Token) -> Result<(), CredentialError> {
        let entry = self.entry(server)?;
        let secret = token.clone();
        Ok(off_runtime(self.wait, move || entry.set_password(secret.expose())).await??)
    }

    /// Removes the server's entry; `false` when there was none.
    pub async fn delete(&self, server: &str) -> Result<bool, CredentialError> {
        let entry = self.entry(server)?;
        match off_runtime(self.wait, move || entry.delete_credential()).await? {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    fn entry(&self, server: &str) -> Result<keyring_core::Entry, CredentialError> {
        Ok(self
            .store
            .build(KEYCHAIN_SERVICE, &account_for(server), None)?)
    }
}

/// Runs a blocking keychain call on its own OS thread. Not tokio's blocking pool: the Secret
/// Service store drives D-Bus with a `block_on` of its own, which panics inside a tokio context.
/// A call still unanswered after `wait` is abandoned (its thread ends when the keychain answers).
async fn off_runtime<R: Send + 'static>(
    wait: Duration,
    call: impl FnOnce() -> R + Send + 'static,
) -> Result<R, CredentialError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("keychain".into())
        .spawn(move || {
            let _ = tx.send(call());
        })
        .map_err(|e| CredentialError::Platform(format!("cannot start the keychain thread: {e}")))?;
    match tokio::time::timeout(wait, rx).await {
        Ok(answer) => answer.map_err(|_| {
            CredentialError::Platform("the keychain call ended without an answer".into())
        }),
        Err(_) => Err(CredentialError::Locked(format!(
            "no answer within {} s; it may be waiting for you to unlock it",
            wait.as_secs_f64()
        ))),
    }
}

/// The keychain account for a server: its URL without a trailing slash, so that
/// `http://host/` and `http://host` share one entry.
pub fn account_for(server: &str) -> String {
    server.trim().trim_end_matches('/').to_owned()
}

#[cfg(target_os = "linux")]
fn platform_store() -> Result<Arc<CredentialStore>, CredentialError> {
    let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<CredentialStore>, CredentialError> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "windows")]
fn platform_store() -> Result<Arc<CredentialStore>, CredentialError> {
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn platform_store() -> Result<Arc<CredentialStore>, CredentialError> {
    Err(CredentialError::Unavailable(
        "unsupported operating system".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::atomic::Ordering;
    use std::sync::{Condvar, Mutex};

    static GATE: (Mutex<bool>, Condvar) = (Mutex::new(false), Condvar::new());

    /// A keychain service that took the connection and answers only once the gate opens.
    fn open_when_released() -> Result<Arc<CredentialStore>, CredentialError> {
        let (lock, opened) = &GATE;
        let mut released = lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while !*released {
            released = opened
                .wait(released)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        let store: Arc<CredentialStore> = keyring_core::mock::Store::new()?;
        Ok(store)
    }

    #[tokio::test(start_paused = true)]
    async fn an_unanswered_open_gives_up_after_the_wait_as_no_answer() {
        static SLOT: StoreSlot = StoreSlot::new();
        let wait = Duration::from_secs(5);
        let error = SLOT
            .get(wait, open_when_released)
            .await
            .expect_err("nothing answers");
        assert_eq!(error.code(), "KEYCHAIN_NO_ANSWER", "{error}");
        assert!(error.to_string().contains("5 s"), "{error}");
        // Asking again while the first attempt is unanswered waits for that same attempt.
        let again = SLOT.get(wait, open_when_released).await.expect_err("still");
        assert_eq!(again.code(), "KEYCHAIN_NO_ANSWER");
        assert_eq!(
            SLOT.attempts.load(Ordering::SeqCst),
            1,
            "one opening thread"
        );

        *GATE.0.lock().expect("gate") = true;
        GATE.1.notify_all();
        while SLOT.open.get().is_none() {
            std::thread::yield_now();
        }
        assert!(SLOT.get(wait, open_when_released).await.is_ok());
        assert_eq!(
            SLOT.attempts.load(Ordering::SeqCst),
            1,
            "the late answer is kept"
        );
    }

    #[tokio::test]
    async fn save_load_delete_in_memory() {
        let keychain = Keychain::in_memory().expect("mock store");
        let server = "http://127.0.0.1:4000/";
        assert_eq!(keychain.load(server).await.expect("load"), None);
        let token = Token::new("a.b.c").expect("token");
        keychain.save(server, &token).await.expect("save");
        assert_eq!(
            keychain.load("http://127.0.0.1:4000").await.expect("load"),
            Some(token)
        );
        assert!(keychain.delete(server).await.expect("delete"));
        assert!(!keychain.delete(server).await.expect("delete again"));
        assert_eq!(keychain.load(server).await.expect("load"), None);
    }
}
