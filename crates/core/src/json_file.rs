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
    let partial = data_dir.join(format!("{name}.partial"));
    std::fs::write(&partial, json)?;
    std::fs::rename(&partial, data_dir.join(name))
}
