// The services guard: skip outside CI, fail in CI, run when nothing is missing.

import assert from "node:assert/strict";
import { test } from "node:test";
import { needsServices, servicesRequired } from "./guard.mjs";

/** Records what the guard asked of the test context. */
function context() {
  const skipped = [];
  return { skipped, skip: (why) => skipped.push(why) };
}

test("nothing missing: the test runs, in CI or not", () => {
  for (const env of [{}, { CI: "true" }]) {
    const t = context();
    assert.equal(needsServices(t, null, env), false);
    assert.equal(needsServices(t, "", env), false);
    assert.deepEqual(t.skipped, []);
  }
});

test("outside CI a missing service skips the test and says why", () => {
  const t = context();
  assert.equal(needsServices(t, "no DISPLAY", {}), true);
  assert.deepEqual(t.skipped, ["no DISPLAY"]);
});

test("in CI a missing service fails the test, whatever CI is set to", () => {
  for (const value of ["true", "1", ""]) {
    const t = context();
    assert.throws(() => needsServices(t, "tauri-driver is not installed", { CI: value }), /CI is set.*tauri-driver is not installed/);
    assert.deepEqual(t.skipped, [], "never skipped in CI");
  }
});

test("CI is read from the environment by default", () => {
  assert.equal(servicesRequired({ CI: "true" }), true);
  assert.equal(servicesRequired({}), false);
  assert.equal(servicesRequired(), process.env.CI !== undefined);
});
