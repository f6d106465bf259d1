//! Running the real `sellerdesk-cli` binary on a data folder (shared by the CLI's tests).
#![allow(dead_code)] // each test file uses its own part

/// Whether a test that needs the real services runs: the rule all the tests share, one definition
/// in the app's tests/common.
#[path = "../../../../tests/common/services.rs"]
mod services;
#[allow(unused_imports)] // not every test file needs it
pub use services::real_services_expected;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// `sellerdesk-cli --data-dir DIR ARGS…`, run to the end.
pub fn cli(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sellerdesk-cli"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .expect("cli runs")
}

/// The JSON a successful command printed (fails the test otherwise, showing its stderr).
pub fn json_of(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "cli failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}
