//! The CLI makes its data folder the seller's only when it opens it (0700, files 0600), and
//! refuses a folder that belongs to another user, naming it.
#![cfg(unix)]

mod common;

use common::cli;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o7777
}

#[test]
fn opening_the_cache_makes_the_folder_private() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    std::fs::create_dir_all(data.join("attachments")).expect("dirs");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let settings = data.join("notification-settings.json");
    std::fs::write(&settings, br#"{"mutedConversations": ["c1"]}"#).expect("settings");
    std::fs::set_permissions(&settings, std::fs::Permissions::from_mode(0o644)).expect("chmod");

    let output = cli(&data, &["cache", "stats", "--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("attachments")), 0o700);
    assert_eq!(mode(&settings), 0o600);
    for entry in std::fs::read_dir(&data).expect("list") {
        let path = entry.expect("entry").path();
        let wanted = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), wanted, "{}", path.display());
    }
    assert!(data.join("cache.sqlite3").exists());
}

#[test]
fn a_folder_of_another_user_is_refused() {
    let root = tempfile::tempdir().expect("tempdir");
    let me = std::fs::metadata(root.path()).expect("metadata").uid();
    let theirs = if me == 0 {
        let dir = root.path().join("theirs");
        std::fs::create_dir(&dir).expect("dir");
        std::os::unix::fs::chown(&dir, Some(65534), Some(65534)).expect("chown");
        dir
    } else {
        std::path::PathBuf::from("/")
    };
    let output = cli(&theirs, &["conversations", "--json"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("DATA_DIR_NOT_OWNED"), "{stderr}");
    assert!(stderr.contains(&theirs.display().to_string()), "{stderr}");
    assert!(!theirs.join("cache.sqlite3").exists());
}
