//! A damaged cache is moved aside and a fresh one built: everything in it came from the server
//! and comes back on the next sync, except the outbox, which the warning says is lost.

use super::{StoreError, DATABASE_FILE};
use std::path::{Path, PathBuf};

/// What opening the cache found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenReport {
    /// Where a damaged cache was moved before a fresh one was built.
    pub recovered_from: Option<PathBuf>,
}

impl OpenReport {
    /// A stable code for the notice, like the error codes.
    pub const CODE: &'static str = "CACHE_RECOVERED";

    /// The notice for the seller, when there is one.
    pub fn warning(&self) -> Option<String> {
        self.recovered_from.as_ref().map(|moved| {
            format!(
                "the local cache was damaged and has been moved to {}; a fresh cache is being \
                 built from the server. Messages waiting to be sent could not be read from the \
                 damaged cache and will not be sent: please write them again.",
                moved.display()
            )
        })
    }
}

/// Whether an error on open means the file itself is damaged (not a database, or malformed),
/// as opposed to a locked file, a missing permission or a cache from a newer version.
pub(super) fn is_damaged(error: &StoreError) -> bool {
    let source = match error {
        StoreError::Open { source, .. } | StoreError::Database(source) => source,
        StoreError::Migrate(sqlx::migrate::MigrateError::Execute(source))
        | StoreError::Migrate(sqlx::migrate::MigrateError::ExecuteMigration(source, _)) => source,
        StoreError::Corrupt(_) => return true,
        _ => return false,
    };
    match source {
        // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26), with their extended codes.
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|code| code.parse::<i64>().ok())
            .is_some_and(|code| matches!(code & 0xff, 11 | 26)),
        _ => false,
    }
}

/// Renames the database and its side files to `cache.sqlite3.corrupt-<time>` (with `-wal`,
/// `-shm`, `-journal` kept beside it so the copy stays openable for salvage).
pub(super) fn move_aside(data_dir: &Path) -> std::io::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%3fZ");
    let target = data_dir.join(format!("{DATABASE_FILE}.corrupt-{stamp}"));
    // The main file last: if a rename fails half-way, the next open retries the whole move.
    for suffix in ["-wal", "-shm", "-journal", ""] {
        let from = data_dir.join(format!("{DATABASE_FILE}{suffix}"));
        let mut to = target.clone().into_os_string();
        to.push(suffix);
        match std::fs::rename(&from, &to) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(target)
}
