//! Signing in and out: which server the data folder belongs to (a small file, no secret), the
//! token in the keychain, and wiping the cache on sign-out.

use crate::credentials::{account_for, CredentialError, Keychain};
use crate::sensitive::Token;
use crate::socket::{Socket, SocketError, Transport};
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
    #[error(transparent)]
    Server(#[from] crate::server_url::ServerUrlError),
    #[error(transparent)]
    DataDir(#[from] crate::paths::DataDirError),
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
            Self::Server(e) => e.code(),
            Self::DataDir(e) => e.code(),
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
    crate::server_url::require_secure(&server)?;
    crate::paths::secure_data_dir(data_dir)?;
    let (socket, _signals) = Socket::connect(&server, token, Transport::Websocket, timeout)
        .await
        .map_err(|e| match e {
            SocketError::Refused { message } => AccountError::Rejected(message),
            other => AccountError::Connection(other),
        })?;
    socket.close().await;
    keychain.save(&server, token).await?;
    let path = data_dir.join(ACCOUNT_FILE);
    crate::json_file::save(
        data_dir,
        ACCOUNT_FILE,
        &Account {
            server: server.clone(),
        },
    )
    .map_err(io_error(&path))?;
    // Entries an earlier sign-out could not delete go now (this account's own is kept).
    crate::keychain_cleanup::retry(data_dir, keychain, Some(&server)).await;
    Ok(Account { server })
}

/// The folder (inside the data folder) holding cached attachment files.
pub const ATTACHMENTS_DIR: &str = "attachments";

// What sign-out removes, and what it keeps, is described in `wipe.rs`; the order (local data
// first, then the keychain) in `sign_out.rs`.
