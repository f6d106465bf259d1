//! Where Seller Desk keeps its files, and who may read them.

use std::path::{Path, PathBuf};

/// The application id; also the Tauri identifier, so the CLI and the app share one folder.
pub const APP_ID: &str = "app.sellerdesk.desktop";

/// The OS app-data folder for Seller Desk (e.g. `~/.local/share/app.sellerdesk.desktop`).
pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(APP_ID))
}

/// The mode of the data folder and of every folder in it: the seller only.
pub const PRIVATE_DIR_MODE: u32 = 0o700;
/// The mode of every file in the data folder.
pub const PRIVATE_FILE_MODE: u32 = 0o600;

#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    #[error(
        "the data folder {path} belongs to another user (uid {owner}); Seller Desk only uses a \
         folder of its own user. Choose another with --data-dir"
    )]
    NotOwned { path: PathBuf, owner: u32 },
    #[error("the data folder {path} is not a folder")]
    NotADirectory { path: PathBuf },
    #[error("cannot make {path} private to this user: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl DataDirError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotOwned { .. } => "DATA_DIR_NOT_OWNED",
            Self::NotADirectory { .. } => "DATA_DIR_INVALID",
            Self::Io { .. } => "DATA_DIR_UNAVAILABLE",
        }
    }
}

/// New files and folders of this process are private to its user (files 0600, folders 0700),
/// whoever creates them: SQLite, WebKit, the attachment cache. Called once at start-up by the
/// app and the CLI. A no-op where there are no Unix modes.
pub fn restrict_new_files() {
    #[cfg(unix)]
    {
        rustix::process::umask(rustix::fs::Mode::from_bits_truncate(0o077));
    }
}

/// Creates the data folder if needed and makes it private: the folder 0700, every folder in it
/// 0700 and every file 0600 (group or world bits found are taken away). A folder owned by
/// another user is refused: its owner could read or swap everything the seller caches.
/// Symbolic links inside are left alone (never followed). A no-op where there are no Unix modes.
pub fn secure_data_dir(dir: &Path) -> Result<(), DataDirError> {
    #[cfg(unix)]
    {
        unix::secure(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir).map_err(|source| DataDirError::Io {
            path: dir.to_owned(),
            source,
        })
    }
}

/// Creates `path` empty with mode 0600 if it does not exist yet (an existing file is kept as it
/// is). A database created this way gives its WAL and SHM the same mode.
pub fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(PRIVATE_FILE_MODE);
    }
    options.open(path).map(drop)
}

#[cfg(unix)]
mod unix {
    use super::{DataDirError, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE};
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    use std::path::Path;

    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DataDirError + '_ {
        move |source| DataDirError::Io {
            path: path.to_owned(),
            source,
        }
    }

    pub(super) fn secure(dir: &Path) -> Result<(), DataDirError> {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(PRIVATE_DIR_MODE)
            .create(dir)
            .map_err(io(dir))?;
        let meta = std::fs::metadata(dir).map_err(io(dir))?;
        if !meta.is_dir() {
            return Err(DataDirError::NotADirectory {
                path: dir.to_owned(),
            });
        }
        let me = rustix::process::geteuid().as_raw();
        if meta.uid() != me {
            return Err(DataDirError::NotOwned {
                path: dir.to_owned(),
                owner: meta.uid(),
            });
        }
        tighten(dir, &meta, PRIVATE_DIR_MODE)?;
        tighten_inside(dir)
    }

    /// Takes group and other bits away (never adds any the owner removed).
    fn tighten(path: &Path, meta: &std::fs::Metadata, most: u32) -> Result<(), DataDirError> {
        let mode = meta.mode() & 0o7777;
        let wanted = mode & most;
        if mode != wanted {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(wanted))
                .map_err(io(path))?;
        }
        Ok(())
    }

    fn tighten_inside(dir: &Path) -> Result<(), DataDirError> {
        for entry in std::fs::read_dir(dir).map_err(io(dir))? {
            let entry = entry.map_err(io(dir))?;
            let path = entry.path();
            // Not following links: a link cannot make this reach outside the folder.
            let meta = match std::fs::symlink_metadata(&path) {
                Ok(meta) => meta,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io(&path)(e)),
            };
            if meta.file_type().is_symlink() {
                continue;
            }
            if meta.is_dir() {
                tighten(&path, &meta, PRIVATE_DIR_MODE)?;
                tighten_inside(&path)?;
            } else {
                tighten(&path, &meta, PRIVATE_FILE_MODE)?;
            }
        }
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o7777
    }

    #[test]
    fn an_open_folder_and_its_files_are_made_private() {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("data");
        std::fs::create_dir_all(dir.join("attachments/c1")).expect("dirs");
        for (path, m) in [
            (dir.clone(), 0o755),
            (dir.join("attachments"), 0o775),
            (dir.join("attachments/c1"), 0o777),
        ] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(m)).expect("chmod");
        }
        let files = [
            dir.join("account.json"),
            dir.join("cache.sqlite3-wal"),
            dir.join("attachments/c1/photo.jpg"),
        ];
        for file in &files {
            std::fs::write(file, b"x").expect("write");
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        }
        // Outside the folder, reached by a link: left as it is.
        let outside = root.path().join("outside.txt");
        std::fs::write(&outside, b"x").expect("write");
        std::fs::set_permissions(&outside, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        std::os::unix::fs::symlink(&outside, dir.join("link")).expect("symlink");

        secure_data_dir(&dir).expect("secure");

        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("attachments")), 0o700);
        assert_eq!(mode(&dir.join("attachments/c1")), 0o700);
        for file in &files {
            assert_eq!(mode(file), 0o600, "{}", file.display());
        }
        assert_eq!(mode(&outside), 0o644, "a link is never followed");
    }

    #[test]
    fn a_missing_folder_is_created_private() {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("a/b");
        secure_data_dir(&dir).expect("secure");
        assert_eq!(mode(&dir), 0o700);
    }

    #[test]
    fn a_folder_of_another_user_is_refused() {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("theirs");
        std::fs::create_dir(&dir).expect("dir");
        if rustix::process::geteuid().is_root() {
            // As root (CI), the folder really is handed to another user.
            std::os::unix::fs::chown(&dir, Some(65534), Some(65534)).expect("chown");
            let error = secure_data_dir(&dir).expect_err("refused");
            assert_eq!(error.code(), "DATA_DIR_NOT_OWNED");
            assert!(
                error.to_string().contains(&dir.display().to_string()),
                "{error}"
            );
            assert!(error.to_string().contains("65534"), "{error}");
        } else {
            // Not root: a folder of root's is at hand.
            let error = secure_data_dir(Path::new("/")).expect_err("refused");
            assert_eq!(error.code(), "DATA_DIR_NOT_OWNED");
        }
    }

    #[test]
    fn a_new_private_file_is_0600_whatever_the_umask() {
        let root = tempfile::tempdir().expect("tempdir");
        let path = root.path().join("cache.sqlite3");
        create_private_file(&path).expect("create");
        assert_eq!(mode(&path), 0o600);
        std::fs::write(&path, b"kept").expect("write");
        create_private_file(&path).expect("again");
        assert_eq!(std::fs::read(&path).expect("read"), b"kept");
    }
}
