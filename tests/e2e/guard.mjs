// The one rule for node tests that need real services (the built app, tauri-driver, an X display,
// the session bus and keychain of scripts/with-services.sh): where CI is set they must be there, so
// a missing one FAILS the test; elsewhere the test is skipped and says why. The Rust tests follow
// the same rule (tests/common and crates/core/tests/common: CI set means the services are expected).

import assert from "node:assert/strict";

/** Whether this run must have the real services: CI is set (to anything, as the Rust guard reads it). */
export function servicesRequired(env = process.env) {
  return env.CI !== undefined;
}

/**
 * `missing`: why the services are not here, or null/empty when they are. Returns true when the
 * test has been skipped (the caller returns at once); throws (fails the test) in CI.
 * Use: `if (needsServices(t, missingPrerequisite())) return;`
 */
export function needsServices(t, missing, env = process.env) {
  if (!missing) return false;
  assert.ok(!servicesRequired(env), `CI is set, so this test must run, but ${missing}`);
  t.skip(missing);
  return true;
}
