// Accessibility of the real app (WebKitGTK webview through tauri-driver), every screen with data
// in it (demo mode): axe-core's WCAG 2.2 AA rules find no serious or critical violation, and at
// 200% text (Ctrl+= up to the top step, remembered across a restart) no text is cut off.
// Preconditions and how to run: the header of app.test.mjs. Prints the per-screen table of
// violations (all impacts) and writes docs/screenshots/*-200.png.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { blocking, describeViolations, impactTable, runAxe } from "./axe.mjs";
import { needsServices } from "./guard.mjs";
import { APP, missingPrerequisite, saveScreenshot, startDriver } from "./harness.mjs";
import { CLIPPED_TEXT, pressZoom, reach, rootZoom, screens, startDemo } from "./screens.mjs";
import { waitFor } from "./webdriver.mjs";

test("every screen with data: no serious or critical axe-core violation; at 200% text nothing is cut", async (t) => {
  if (needsServices(t, missingPrerequisite())) return;

  const dataDir = await mkdtemp(join(tmpdir(), "sellerdesk-e2e-a11y-"));
  const stamp = `a11y${Date.now()}`;
  let driver = null;
  let webdriver = null;
  const stop = async () => {
    await webdriver?.deleteSession().catch(() => {});
    await driver?.stop();
    webdriver = null;
    driver = null;
  };
  const launch = async (env = {}) => {
    ({ driver, webdriver } = await startDriver({ SELLERDESK_DATA_DIR: dataDir, ...env }));
    await webdriver.newSession({ application: APP, args: ["--demo"] });
  };
  const results = [];
  const clipped = [];
  const zoomIs = (percent) => waitFor(`${percent}%`, async () => (await rootZoom(webdriver)) === (percent === 100 ? "" : `${percent}%`));
  /** Every screen: axe, and in the 200% walk a screenshot and the cut-text probe. */
  const walk = async (scheme, { at200 = false } = {}) => {
    for (const screen of screens(webdriver, stamp)) {
      await reach(webdriver, screen);
      if (at200 && (await rootZoom(webdriver)) !== "200%") {
        // The sign-in screen reads the preferences of the launch's own folder, not the demo's:
        // the seller zooms it there.
        console.log(`${screen.name}: at ${(await rootZoom(webdriver)) || "100%"}, zoomed to 200% with Ctrl+=`);
        await pressZoom(webdriver, "=", 7);
        await zoomIs(200);
      }
      if (at200) await saveScreenshot(webdriver, screen.shot);
      const zoom = (await rootZoom(webdriver)) || "100%";
      results.push({ screen: `${screen.name} (${scheme}, ${zoom})`, violations: await runAxe(webdriver) });
      if (at200) for (const cut of await webdriver.execute(CLIPPED_TEXT)) clipped.push(`${screen.name}: ${cut}`);
      await screen.leave?.();
    }
  };
  try {
    // Text zoom: Ctrl+= steps up, Ctrl+- down, Ctrl+0 resets. Then, at the desktop's text size,
    // axe on every screen, in the light scheme and in the dark one (GTK's dark theme).
    await launch();
    await startDemo(webdriver, stamp);
    await zoomIs(100);
    await pressZoom(webdriver, "=");
    await zoomIs(110);
    await pressZoom(webdriver, "-");
    await zoomIs(100);
    await pressZoom(webdriver, "=", 3);
    await zoomIs(150);
    await pressZoom(webdriver, "0");
    await zoomIs(100);
    await walk("light");
    await stop();
    await launch({ GTK_THEME: "Adwaita:dark" });
    assert.equal(await webdriver.execute('return matchMedia("(prefers-color-scheme: dark)").matches;'), true, "the dark scheme");
    await startDemo(webdriver, stamp);
    await walk("dark");
    await stop();

    // Up to the top step (further presses stay there), and the next launch starts at it.
    await launch();
    await waitFor("the Demo badge", async () => (await webdriver.findAll(".demo-badge")).length === 1, { timeoutMs: 30_000 });
    await pressZoom(webdriver, "=", 7);
    await zoomIs(200);
    await stop();
    await launch();
    await zoomIs(200);
    await startDemo(webdriver, stamp);
    await walk("light", { at200: true });

    const failing = results.filter(({ violations }) => blocking(violations).length > 0);
    assert.deepEqual(
      failing.map(({ screen }) => screen),
      [],
      failing.map(({ screen, violations }) => `${screen}:\n${describeViolations(blocking(violations))}`).join("\n"),
    );
    assert.deepEqual(clipped, [], "text cut off at 200%");
  } finally {
    // The table for the closing note, of the screens checked so far even when a later step failed.
    if (results.length > 0) {
      console.log(`axe-core WCAG 2.2 AA violations per screen, rules (elements):\n${impactTable(results)}`);
      for (const { screen, violations } of results) {
        if (violations.length > 0) console.log(`--- ${screen}\n${describeViolations(violations)}`);
      }
    }
    if (results.some(({ screen }) => screen.endsWith("200%)"))) {
      console.log(clipped.length === 0 ? "at 200%: no text cut off on any screen" : `at 200%, text cut off:\n${clipped.join("\n")}`);
    }
    await stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
