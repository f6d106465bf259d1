// tests/e2e/axe.mjs without the app: the same injection and run, against pages in jsdom (the UI's
// test DOM) driven through the two WebDriver calls axe.mjs uses.

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { blocking, countByImpact, impactTable, runAxe } from "./axe.mjs";
import { ROOT } from "./harness.mjs";

const { JSDOM } = createRequire(join(ROOT, "ui", "package.json"))("jsdom");

/** Execute Script and Execute Async Script as WebDriver defines them, on a jsdom window. */
function pageDriver(html) {
  const { window } = new JSDOM(html, { runScripts: "outside-only", pretendToBeVisual: true });
  const asFunction = (script) => window.eval(`(function () {\n${script}\n})`);
  // Results cross as JSON, as over the wire.
  const wire = (value) => (value === undefined ? null : JSON.parse(JSON.stringify(value)));
  return {
    window,
    execute: async (script, args = []) => wire(asFunction(script).apply(window, args)),
    executeAsync: (script, args = []) => new Promise((resolve) => asFunction(script).apply(window, [...args, (value) => resolve(wire(value))])),
  };
}

test("finds unnamed controls and images without text, and calls them critical", async () => {
  const page = pageDriver(`<!doctype html><html lang="en"><head><title>t</title></head><body><main>
    <h1>Orders</h1><button></button><img src="x.png"><input type="text">
  </main></body></html>`);
  const violations = await runAxe(page);
  const ids = violations.map((v) => v.id).sort();
  for (const id of ["button-name", "image-alt", "label"]) assert.ok(ids.includes(id), `${id} in ${ids}`);
  assert.ok(blocking(violations).length >= 3);
  const button = violations.find((v) => v.id === "button-name");
  assert.equal(button.impact, "critical");
  assert.match(button.nodes[0].html, /<button><\/button>/);
  assert.equal(typeof page.window.axe.run, "function", "axe stays in the page for the next run");
});

test("a clean page has no violations", async () => {
  const page = pageDriver(`<!doctype html><html lang="en"><head><title>t</title></head><body><main>
    <h1>Inbox</h1><button type="button">Send</button><label>Reply <input type="text"></label>
  </main></body></html>`);
  assert.deepEqual(await runAxe(page), []);
});

test("counts and the table name rules and elements per impact", () => {
  const violations = [
    { id: "color-contrast", impact: "serious", nodes: [{}, {}] },
    { id: "region", impact: "moderate", nodes: [{}] },
  ];
  const counts = countByImpact(violations);
  assert.deepEqual(counts.serious, { rules: 1, nodes: 2 });
  assert.deepEqual(counts.critical, { rules: 0, nodes: 0 });
  assert.deepEqual(blocking(violations).map((v) => v.id), ["color-contrast"]);
  const table = impactTable([{ screen: "inbox", violations }, { screen: "listings", violations: [] }]);
  assert.equal(
    table,
    [
      "| screen | critical | serious | moderate | minor | rules |",
      "| --- | ---: | ---: | ---: | ---: | --- |",
      "| inbox | 0 | 1 (2) | 1 (1) | 0 | color-contrast (serious), region (moderate) |",
      "| listings | 0 | 0 | 0 | 0 | none |",
    ].join("\n"),
  );
});
