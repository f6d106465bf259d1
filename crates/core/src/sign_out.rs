//! Signing out: the seller's local data goes first, then the token in the keychain. A keychain
//! that is locked, missing or silent never stops the wipe; its entry is written down and
//! deleted at the next sign-in or sign-out. The report says what could not be removed.

use crate::account::load_account;
use crate::credentials::{CredentialError, Keychain};
use crate::keychain_cleanup;
use crate::wipe::{wipe_seller_data, WipeReport};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::path::Path;

/// What happened to the token in the keychain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum KeychainOutcome {
    /// The entry of `server` is deleted.
    Removed { server: String },
    /// The keychain had no entry for `server`.
    NotFound { server: String },
    /// The data folder was not signed in: there was no entry to delete.
    NoAccount,
    /// The entry of `server` could not be deleted (the keychain's `code` and `message`). It is
    /// deleted at the next sign-in or sign-out when `retry_recorded`.
    #[serde(rename_all = "camelCase")]
    Failed {
        server: String,
        code: String,
        message: String,
        retry_recorded: bool,
    },
}

/// The outcome of a sign-out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignOutReport {
    /// The local data: what was removed and what could not be.
    pub data: WipeReport,
    pub keychain: KeychainOutcome,
    /// Servers whose entry an earlier sign-out left behind, deleted now.
    pub old_entries_removed: Vec<String>,
}

impl SignOutReport {
    /// Nothing of the seller's is left, locally or in the keychain.
    pub fn is_complete(&self) -> bool {
        self.data.is_complete() && !matches!(self.keychain, KeychainOutcome::Failed { .. })
    }

    /// One line per thing that stayed, for people (empty when complete).
    pub fn problems(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .data
            .not_removed
            .iter()
            .map(|n| {
                let what = if n.path.is_empty() {
                    "the data folder".to_owned()
                } else {
                    n.path.clone()
                };
                format!("{}: {what} was not removed: {}", n.code, n.message)
            })
            .collect();
        if let KeychainOutcome::Failed {
            server,
            code,
            message,
            retry_recorded,
        } = &self.keychain
        {
            let later = if *retry_recorded {
                "; it is removed at the next sign-in or sign-out"
            } else {
                ""
            };
            lines.push(format!(
                "{code}: the keychain entry for {server} was not removed: {message}{later}"
            ));
        }
        lines
    }
}

/// Signs out of the data folder's account. The caller stops everything using the folder (the
/// cache, the engine) first. `keychain` is only awaited once the local data is gone, so a
/// keychain that takes long to open (or never answers) cannot hold the wipe back.
pub async fn sign_out(
    data_dir: &Path,
    keychain: impl Future<Output = Result<Keychain, CredentialError>>,
) -> SignOutReport {
    let account = load_account(data_dir);
    let data = wipe_seller_data(data_dir);
    let keychain = keychain.await;
    let old_entries_removed = keychain_cleanup::retry_with(data_dir, keychain.as_ref(), None).await;
    let Some(account) = account else {
        return SignOutReport {
            data,
            keychain: KeychainOutcome::NoAccount,
            old_entries_removed,
        };
    };
    let server = account.server;
    let deleted = match &keychain {
        Ok(keychain) => keychain.delete(&server).await,
        Err(e) => Err(e.clone()),
    };
    let keychain = match deleted {
        Ok(true) => KeychainOutcome::Removed { server },
        Ok(false) => KeychainOutcome::NotFound { server },
        Err(e) => {
            let retry_recorded = match keychain_cleanup::remember(data_dir, &server) {
                Ok(()) => true,
                Err(io) => {
                    tracing::warn!("cannot record the keychain entry for later removal: {io}");
                    false
                }
            };
            KeychainOutcome::Failed {
                server,
                code: e.code().to_owned(),
                message: e.to_string(),
                retry_recorded,
            }
        }
    };
    SignOutReport {
        data,
        keychain,
        old_entries_removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{Account, ACCOUNT_FILE};
    use crate::sensitive::Token;

    const SERVER: &str = "https://market.example";

    fn signed_in_folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        crate::json_file::save(
            dir.path(),
            ACCOUNT_FILE,
            &Account {
                server: SERVER.into(),
            },
        )
        .expect("account");
        std::fs::write(dir.path().join("cache.sqlite3"), b"cache").expect("cache");
        dir
    }

    #[tokio::test]
    async fn a_keychain_that_cannot_open_does_not_stop_the_wipe_and_is_retried_later() {
        let dir = signed_in_folder();
        let keychain = Keychain::in_memory().expect("keychain");
        let token = Token::new("secret".to_owned()).expect("token");
        keychain.save(SERVER, &token).await.expect("save");

        let report = sign_out(dir.path(), async { Err(CredentialError::NoAnswer(5.0)) }).await;

        assert!(!dir.path().join("cache.sqlite3").exists(), "wiped first");
        assert!(!dir.path().join(ACCOUNT_FILE).exists());
        assert!(!report.is_complete());
        match &report.keychain {
            KeychainOutcome::Failed {
                code,
                retry_recorded,
                ..
            } => {
                assert_eq!(code, "KEYCHAIN_NO_ANSWER");
                assert!(retry_recorded);
            }
            other => panic!("{other:?}"),
        }
        let problems = report.problems().join("\n");
        assert!(
            problems.contains("KEYCHAIN_NO_ANSWER") && problems.contains(SERVER),
            "{problems}"
        );

        // Signed out already, the keychain now answers: the leftover entry goes.
        let again = sign_out(dir.path(), async { Ok(keychain.clone()) }).await;
        assert_eq!(again.keychain, KeychainOutcome::NoAccount);
        assert_eq!(again.old_entries_removed, vec![SERVER.to_owned()]);
        assert!(again.is_complete());
        assert!(keychain.load(SERVER).await.expect("load").is_none());
        assert!(keychain_cleanup::pending(dir.path()).is_empty());
    }

    #[tokio::test]
    async fn a_complete_sign_out_removes_the_entry() {
        let dir = signed_in_folder();
        let keychain = Keychain::in_memory().expect("keychain");
        let token = Token::new("secret".to_owned()).expect("token");
        keychain.save(SERVER, &token).await.expect("save");
        let report = sign_out(dir.path(), async { Ok(keychain.clone()) }).await;
        assert!(report.is_complete(), "{report:?}");
        assert!(report.problems().is_empty());
        assert_eq!(
            report.keychain,
            KeychainOutcome::Removed {
                server: SERVER.into()
            }
        );
        assert!(keychain.load(SERVER).await.expect("load").is_none());
    }
}
