//! The local cache: one SQLite database (WAL) per data folder, the UI's source of truth.

/// The columns `queries::message_from_row` reads. `own`: written by the seller (`sender_id` is
/// the seller's id, meta `self_user_id`), or the echo of a message this device sent.
macro_rules! message_columns {
    () => {
        "seq, id, conversation_id, sender_id, sender_name, sender_avatar, content, attachments, \
         sent_at, status, client_message_id, \
         (from_outbox = 1 OR COALESCE(sender_id = \
            (SELECT value FROM meta WHERE key = 'self_user_id' AND value != ''), 0)) AS own"
    };
}

/// The columns `queries::order_from_row` reads.
macro_rules! order_columns {
    () => {
        "id, status, status_at, payment_status, payment_amount, payment_currency, payment_method, \
         transaction_id, payment_at, shipping_status, carrier, tracking_number, estimated_delivery, \
         shipping_location, updated_at"
    };
}

mod apply;
mod checkpoint;
#[cfg(test)]
mod disk_full_tests;
mod exists;
mod history;
mod listings;
mod notifications;
mod outbox;
mod paging;
mod presence;
mod queries;
mod recover;
mod search;
mod stats;
mod timeline;

pub use apply::ApplyReport;
pub use history::{MessageCursor, ThreadAnchor, ThreadPage};
pub use outbox::{OutboxClaim, LEASE_MS};
pub use paging::PageRequest;
pub use recover::OpenReport;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "cache.sqlite3";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the cache at {path}: {source}")]
    Open { path: PathBuf, source: sqlx::Error },
    #[error("cannot update the cache schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "the disk is full; nothing was lost, but new data cannot be cached until space is freed"
    )]
    DiskFull,
    #[error("cache error: {0}")]
    Database(sqlx::Error),
    #[error("cached data is unreadable: {0}")]
    Corrupt(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error(transparent)]
    DataDir(#[from] crate::paths::DataDirError),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Open { .. } => "CACHE_OPEN_FAILED",
            Self::Migrate(_) => "CACHE_MIGRATION_FAILED",
            Self::DiskFull => "DISK_FULL",
            Self::Database(_) => "CACHE_ERROR",
            Self::Corrupt(_) => "CACHE_CORRUPT",
            Self::NotFound(_) => "NOT_FOUND",
            Self::DataDir(e) => e.code(),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        // SQLITE_FULL (13) is worth its own message: the seller can act on it.
        if let sqlx::Error::Database(db) = &error {
            if db.code().as_deref() == Some("13") {
                return Self::DiskFull;
            }
        }
        Self::Database(error)
    }
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A handle to the cache; cheap to clone (it is a connection pool).
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    /// Checkpoints a file cache's WAL in the background (none for an in-memory cache).
    checkpoints: Option<Arc<checkpoint::Checkpointer>>,
    /// Taken by this process's writers in turn (the cache writer's transactions, the outbox's
    /// claims and lease renewals): a fair queue, so a renewal waits for at most the one
    /// transaction under way. SQLite's own busy wait polls and can miss the gap between two
    /// transactions of a flood again and again.
    writes: Arc<tokio::sync::Mutex<()>>,
}

impl Store {
    /// Opens (creating if needed) the cache in `data_dir` and brings its schema up to date. A
    /// damaged cache is replaced by a fresh one (logged); [`Store::open_or_recover`] also says so.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let (store, report) = Self::open_or_recover(data_dir).await?;
        if let Some(warning) = report.warning() {
            tracing::warn!(code = OpenReport::CODE, "{warning}");
        }
        Ok(store)
    }

    /// Like [`Store::open`], and reports whether a damaged cache was moved aside, so the caller
    /// can tell the seller.
    pub async fn open_or_recover(data_dir: &Path) -> Result<(Self, OpenReport), StoreError> {
        let path = data_dir.join(DATABASE_FILE);
        // The seller's folder only, 0700 with files 0600, before anything is read from it.
        crate::paths::secure_data_dir(data_dir)?;
        match Self::open_file(&path).await {
            Ok(store) => Ok((store, OpenReport::default())),
            Err(error) if recover::is_damaged(&error) => {
                tracing::warn!(code = error.code(), "the cache is damaged: {error}");
                let moved = recover::move_aside(data_dir).map_err(|e| StoreError::Open {
                    path: path.clone(),
                    source: sqlx::Error::Io(e),
                })?;
                let store = Self::open_file(&path).await?;
                Ok((
                    store,
                    OpenReport {
                        recovered_from: Some(moved),
                    },
                ))
            }
            Err(error) => Err(error),
        }
    }

    async fn open_file(path: &Path) -> Result<Self, StoreError> {
        // Created 0600 before SQLite sees it: SQLite gives the WAL and SHM the database's mode.
        crate::paths::create_private_file(path).map_err(|e| StoreError::Open {
            path: path.to_owned(),
            source: sqlx::Error::Io(e),
        })?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // A large cache's indexes are far bigger than SQLite's 2 MiB default page cache;
            // ingest touches pages all over them. Up to 32 MiB per connection, used as needed.
            .pragma("cache_size", "-32768")
            .pragma("wal_autocheckpoint", checkpoint::BACKSTOP_PAGES)
            .pragma("journal_size_limit", checkpoint::WAL_SIZE_LIMIT_BYTES)
            // Another process (the CLI beside the app) may hold the write lock briefly.
            .busy_timeout(Duration::from_secs(10));
        let mut store = Self::connect(options, 4).await.map_err(|e| match e {
            StoreError::Database(source) => StoreError::Open {
                path: path.to_owned(),
                source,
            },
            other => other,
        })?;
        if let Err(error) = store.probe().await {
            // Closed first: the files are about to be renamed.
            store.close().await;
            return Err(error);
        }
        store.checkpoints = Some(Arc::new(checkpoint::Checkpointer::start(
            store.pool.clone(),
        )));
        Ok(store)
    }

    /// Reads the root page of each table the first screen needs. Cheap (a full integrity
    /// check would cost seconds on a large cache), and it catches a truncated file.
    async fn probe(&self) -> Result<(), StoreError> {
        for sql in [
            "SELECT 1 FROM conversations ORDER BY COALESCE(last_message_at, updated_at) DESC, id LIMIT 1",
            "SELECT 1 FROM messages ORDER BY seq DESC LIMIT 1",
            "SELECT 1 FROM outbox ORDER BY seq DESC LIMIT 1",
            "SELECT 1 FROM orders LIMIT 1",
        ] {
            sqlx::query(sql).fetch_optional(&self.pool).await?;
        }
        Ok(())
    }

    /// A private in-memory cache, for tests.
    pub async fn open_in_memory() -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?;
        // One connection: every connection to `:memory:` would be a different database.
        Self::connect(options, 1).await
    }

    async fn connect(options: SqliteConnectOptions, max: u32) -> Result<Self, StoreError> {
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(options)
            .await?;
        if let Err(error) = MIGRATOR.run(&pool).await {
            pool.close().await;
            return Err(error.into());
        }
        Ok(Self {
            pool,
            checkpoints: None,
            writes: Arc::default(),
        })
    }

    /// Closes every connection, so the files can be removed.
    pub async fn close(&self) {
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.stop().await;
        }
        self.pool.close().await;
    }

    /// After a commit: the WAL is checkpointed soon, off the writer's path.
    pub(crate) fn committed(&self) {
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.nudge();
        }
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Waits for this process's turn to write (see `writes`).
    pub(crate) async fn write_turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.writes.lock().await
    }

    pub async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// The meta key holding the signed-in seller's user id (from the token's `sub`).
pub const META_SELF_ID: &str = "self_user_id";

/// The meta key holding when the token in use expires (epoch ms, from its `exp`; not a secret).
pub const META_TOKEN_EXPIRES_AT: &str = "token_expires_at";

/// Removes the cache files of a data folder (database, WAL, shared memory).
pub fn remove_database_files(data_dir: &Path) -> std::io::Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let path = data_dir.join(format!("{DATABASE_FILE}{suffix}"));
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
