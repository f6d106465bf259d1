//! Keychain entries sign-out could not delete (the keychain was locked, missing or silent). The
//! local data is gone by then, so the servers are written down here and their entries deleted
//! at the next sign-in or sign-out. The file holds server addresses only, never a token; it
//! lives in the data folder (0600 like the rest), so a `--data-dir` keeps its own.

use crate::credentials::{account_for, CredentialError, Keychain};
use std::path::Path;

/// The record in the data folder: a JSON list of server addresses.
pub const CLEANUP_FILE: &str = "keychain-cleanup.json";

/// The servers whose entry still has to be deleted.
pub fn pending(data_dir: &Path) -> Vec<String> {
    crate::json_file::load_or_default(data_dir, CLEANUP_FILE)
}

fn store(data_dir: &Path, servers: &[String]) -> std::io::Result<()> {
    if servers.is_empty() {
        return match std::fs::remove_file(data_dir.join(CLEANUP_FILE)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    }
    crate::json_file::save(data_dir, CLEANUP_FILE, &servers)
}

/// Adds `server` to the record (once).
pub fn remember(data_dir: &Path, server: &str) -> std::io::Result<()> {
    let server = account_for(server);
    let mut servers = pending(data_dir);
    if !servers.contains(&server) {
        servers.push(server);
    }
    store(data_dir, &servers)
}

/// Deletes the recorded entries, except `keep` (the account being signed in to, whose entry
/// was just written). Returns the servers whose entry is now gone; those that failed stay
/// recorded. A failure to open the keychain keeps them all.
pub async fn retry(data_dir: &Path, keychain: &Keychain, keep: Option<&str>) -> Vec<String> {
    let servers = pending(data_dir);
    if servers.is_empty() {
        return Vec::new();
    }
    let keep = keep.map(account_for);
    let mut left = Vec::new();
    let mut deleted = Vec::new();
    for server in servers {
        if keep.as_ref() == Some(&server) {
            continue;
        }
        match keychain.delete(&server).await {
            Ok(_) => deleted.push(server),
            Err(e) => {
                tracing::warn!(code = e.code(), "the old keychain entry stays for now: {e}");
                left.push(server);
            }
        }
    }
    if let Err(e) = store(data_dir, &left) {
        tracing::warn!("cannot update {CLEANUP_FILE}: {e}");
    }
    deleted
}

/// Like [`retry`], with a keychain that may have failed to open (then nothing changes).
pub async fn retry_with(
    data_dir: &Path,
    keychain: Result<&Keychain, &CredentialError>,
    keep: Option<&str>,
) -> Vec<String> {
    match keychain {
        Ok(keychain) => retry(data_dir, keychain, keep).await,
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitive::Token;

    #[tokio::test]
    async fn recorded_entries_are_deleted_at_the_next_retry() {
        let dir = tempfile::tempdir().expect("tempdir");
        let keychain = Keychain::in_memory().expect("keychain");
        let token = Token::new("secret-token-value".to_owned()).expect("token");
        keychain
            .save("https://old.example", &token)
            .await
            .expect("save");
        keychain
            .save("https://new.example", &token)
            .await
            .expect("save");
        remember(dir.path(), "https://old.example/").expect("remember");
        remember(dir.path(), "https://old.example").expect("once");
        remember(dir.path(), "https://new.example").expect("remember");
        assert_eq!(pending(dir.path()).len(), 2);
        let text = std::fs::read_to_string(dir.path().join(CLEANUP_FILE)).expect("read");
        assert!(!text.contains("secret-token-value"), "no secret: {text}");

        let deleted = retry(dir.path(), &keychain, Some("https://new.example/")).await;

        assert_eq!(deleted, vec!["https://old.example".to_owned()]);
        assert!(keychain
            .load("https://old.example")
            .await
            .expect("load")
            .is_none());
        assert!(keychain
            .load("https://new.example")
            .await
            .expect("load")
            .is_some());
        assert!(pending(dir.path()).is_empty());
        assert!(!dir.path().join(CLEANUP_FILE).exists());
    }
}
