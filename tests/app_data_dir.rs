//! The app refuses a data folder that belongs to another user, and says so on the sign-in
//! screen; its own folder is made private (0700) at start-up.
#![cfg(unix)]

mod common;

use common::TestApp;
use serde_json::json;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

#[test]
fn a_data_folder_of_another_user_is_refused_at_start_up() {
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
    let app = TestApp::launch(false, &theirs);
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["signedIn"], false, "{info}");
    assert_eq!(info["startupError"]["code"], "DATA_DIR_NOT_OWNED", "{info}");
    let message = info["startupError"]["message"].as_str().expect("message");
    assert!(message.contains(&theirs.display().to_string()), "{message}");
}

#[test]
fn the_apps_own_folder_is_made_private_at_start_up() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    std::fs::create_dir(&data).expect("dir");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let prefs = data.join("desktop-preferences.json");
    std::fs::write(&prefs, b"{}").expect("prefs");
    std::fs::set_permissions(&prefs, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let app = TestApp::launch(false, &data);
    let info = app.ok("app_info", json!({}));
    assert!(info["startupError"].is_null(), "{info}");
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&prefs), 0o600);
}
