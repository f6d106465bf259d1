//! The one rule for tests that need the real desktop services (Secret Service, session bus, X
//! display, a simulator process): in CI, or under scripts/with-services.sh, they are expected, so
//! the test runs and fails if one is missing; elsewhere it says why and returns (skipped).
//! Shared by the app's, the core's and the CLI's tests (included by path, one definition); the
//! node tests follow the same rule in tests/e2e/guard.mjs.

/// Whether `test` runs: true in CI (any value of `CI`) or under scripts/with-services.sh
/// (`SELLERDESK_SERVICES`); otherwise it prints that the test is skipped and returns false.
pub fn real_services_expected(test: &str) -> bool {
    let expected =
        std::env::var_os("CI").is_some() || std::env::var_os("SELLERDESK_SERVICES").is_some();
    if !expected {
        eprintln!("{test}: skipped outside CI; run it under scripts/with-services.sh");
    }
    expected
}
