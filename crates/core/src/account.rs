//! Signing in and out: which server the data folder belongs to (a small file, no secret), the
//! token in the keychain, and wiping the cache on sign-out.

use crate::credentials::{account_for, CredentialError, Keychain};
use crate::sensitive::Token;
use crate::socket::{Socket, SocketError, Transport};
use crate::store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The file naming the signed-in server. It never holds the token.
pub const ACCOUNT_FILE: &str = "account.json";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub server: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the server rejected the token ({0})")]
    Rejected(String),
    #[error(transparent)]
    Connection(SocketError),
    #[error(transparent)]
    Keychain(#[from] CredentialError),
    #[error("not signed in: run `login` first")]
    NotSignedIn,
    #[error("cannot write the data folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl AccountError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Rejected(_) => "AUTH_FAILED",
            Self::Connection(e) => e.code(),
            Self::Keychain(e) => e.code(),
            Self::NotSignedIn => "NOT_SIGNED_IN",
            Self::Io { .. } => "IO_ERROR",
        }
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> AccountError + '_ {
    move |source| AccountError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The account of a data folder, if someone signed in there.
pub fn load_account(data_dir: &Path) -> Option<Account> {
    let text = std::fs::read_to_string(data_dir.join(ACCOUNT_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Checks the token by connecting once, then keeps it in the keychain and records the server.
pub async fn sign_in(
    data_dir: &Path,
    server: &str,
    token: &Token,
    keychain: &Keychain,
    timeout: Duration,
) -> Result<Account, AccountError> {
    let server = account_for(server);
    let (socket, _signals) = Socket::connect(&server, token, Transport::Websocket, timeout)
        .await
        .map_err(|e| match e {
            SocketError::Refused { message } => AccountError::Rejected(message),
            other => AccountError::Connection(other),
        })?;
    socket.close().await;
    keychain.save(&server, token).await?;
    let account = Account { server };
    std::fs::create_dir_all(data_dir).map_err(io_error(data_dir))?;
    let path = data_dir.join(ACCOUNT_FILE);
    let text = serde_json::to_string_pretty(&account).unwrap_or_default();
    std::fs::write(&path, text).map_err(io_error(&path))?;
    Ok(account)
}

/// The folder (inside the data folder) holding cached attachment files.
pub const ATTACHMENTS_DIR: &str = "attachments";

// The data folder, everything of which belongs to the signed-in seller:
//   account.json                    which server (never the token)
//   cache.sqlite3, -wal, -shm, -journal   the cache with its FTS tables
//   cache.sqlite3.corrupt-<time>*   a damaged cache moved aside on open (still the seller's data)
//   attachments/                    cached attachment files
// `sign_out` removes all of it; the token itself lives only in the keychain.

/// Removes the token from the keychain and wipes the local cache. The caller closes any open
/// [`store::Store`] first.
pub async fn sign_out(data_dir: &Path, keychain: &Keychain) -> Result<(), AccountError> {
    if let Some(account) = load_account(data_dir) {
        keychain.delete(&account.server).await?;
    }
    store::remove_database_files(data_dir).map_err(io_error(data_dir))?;
    remove_cache_leftovers(data_dir).map_err(io_error(data_dir))?;
    let attachments = data_dir.join(ATTACHMENTS_DIR);
    match std::fs::remove_dir_all(&attachments) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(&attachments)(e)),
    }
    let path = data_dir.join(ACCOUNT_FILE);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(&path)(e)),
    }
}

/// Every other file named after the database: copies moved aside as corrupt, and their WAL/SHM.
fn remove_cache_leftovers(data_dir: &Path) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(data_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(store::DATABASE_FILE) && entry.file_type()?.is_file()
        {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}
