//! Small JSON files in the data folder (settings and preferences): read with defaults, written
//! in one step.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::Path;

/// The value in `data_dir/name`, or the default when there is none. An unreadable file is
/// logged and means the defaults too: a damaged settings file must not stop the app.
pub fn load_or_default<T: DeserializeOwned + Default>(data_dir: &Path, name: &str) -> T {
    let path = data_dir.join(name);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            tracing::warn!("ignoring unreadable {}: {e}", path.display());
            T::default()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => T::default(),
        Err(e) => {
            tracing::warn!("cannot read {}: {e}", path.display());
            T::default()
        }
    }
}

/// Writes `value` to `data_dir/name`, replacing the file in one step (a crash leaves the old
/// file or the new one, never half of one).
pub fn save<T: Serialize>(data_dir: &Path, name: &str, value: &T) -> std::io::Result<()> {
    let json = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    std::fs::create_dir_all(data_dir)?;
    let partial = data_dir.join(format!("{name}{PARTIAL_SUFFIX}"));
    write_private(&partial, &json)?;
    std::fs::rename(&partial, data_dir.join(name))
}

/// The suffix of a file being written; one left behind by a crash is wiped at sign-out.
pub const PARTIAL_SUFFIX: &str = ".partial";

/// Writes a fresh file readable by the seller only (0600), whatever the umask. A leftover of
/// an earlier crash is removed first, so its mode (or a link in its place) is never reused.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(crate::paths::PRIVATE_FILE_MODE);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_saved_file_is_readable_by_the_seller_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        super::save(dir.path(), "settings.json", &vec!["c1"]).expect("save");
        let mode = std::fs::metadata(dir.path().join("settings.json"))
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let back: Vec<String> = super::load_or_default(dir.path(), "settings.json");
        assert_eq!(back, vec!["c1".to_owned()]);
    }
}
