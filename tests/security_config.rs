//! The app's security settings, read from the files that ship: a strict CSP (no inline or remote
//! scripts, no remote images or frames), the main window's capability limited to what the UI
//! uses (no events: everything comes on its channel), and no devtools in release builds (the
//! `devtools` feature of tauri is not enabled).

use serde_json::Value;

fn config() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tauri.conf.json"))
        .expect("tauri.conf.json");
    serde_json::from_str(&text).expect("valid JSON")
}

fn directive<'a>(csp: &'a Value, name: &str) -> Vec<&'a str> {
    csp[name]
        .as_str()
        .unwrap_or_else(|| panic!("the CSP sets {name}"))
        .split_whitespace()
        .collect()
}

#[test]
fn the_csp_allows_no_inline_or_remote_script_and_no_remote_content() {
    let config = config();
    let csp = &config["app"]["security"]["csp"];
    assert_eq!(directive(csp, "default-src"), ["'self'"]);
    assert_eq!(directive(csp, "script-src"), ["'self'"]);
    assert_eq!(directive(csp, "style-src"), ["'self'"]);
    assert_eq!(directive(csp, "object-src"), ["'none'"]);
    assert_eq!(directive(csp, "frame-src"), ["'none'"]);
    // Attachment previews arrive as data: URLs from the backend; the webview fetches nothing remote.
    assert_eq!(directive(csp, "img-src"), ["'self'", "data:"]);
    for (name, value) in csp.as_object().expect("CSP object") {
        let value = value.as_str().unwrap_or_default();
        for forbidden in ["'unsafe-inline'", "'unsafe-eval'", "http:", "https:", "*"] {
            assert!(
                !value.split_whitespace().any(|source| source == forbidden),
                "{name} allows {forbidden}"
            );
        }
    }
    assert_ne!(
        config["app"]["security"]["dangerousDisableAssetCspModification"],
        Value::Bool(true)
    );
}

/// Everything the backend tells the page (updates, navigation) comes on the channel the page
/// subscribed with: the page may not listen to, or emit, Tauri events at all.
#[test]
fn the_main_window_has_no_event_permission_besides_its_own_commands() {
    let config = config();
    let capabilities = config["app"]["security"]["capabilities"]
        .as_array()
        .expect("capabilities");
    assert_eq!(capabilities.len(), 1, "one capability, for the main window");
    assert_eq!(capabilities[0]["windows"], serde_json::json!(["main"]));
    let permissions = capabilities[0]["permissions"]
        .as_array()
        .expect("a list of permissions");
    for permission in permissions {
        // A permission is a name, or an object naming it with a scope.
        let name = permission
            .as_str()
            .or_else(|| permission["identifier"].as_str())
            .unwrap_or_default();
        assert!(
            !(name.starts_with("core:event") || name == "core:default"),
            "the page needs no events: {name}"
        );
    }
    assert!(
        !std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/capabilities")).exists()
            && !std::path::Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src-tauri/capabilities"
            ))
            .exists(),
        "no capability files besides the one in tauri.conf.json"
    );
}

#[test]
fn release_builds_have_no_devtools() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("Cargo.toml");
    let tauri_lines: Vec<&str> = manifest
        .lines()
        .filter(|line| line.trim_start().starts_with("tauri ="))
        .collect();
    assert!(!tauri_lines.is_empty());
    for line in tauri_lines {
        assert!(
            !line.contains("devtools"),
            "tauri's devtools feature would open the inspector in release builds: {line}"
        );
    }
}
