// The app under tauri-driver for the measurement scripts of this folder.

import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { WebDriver, freePort, startProcess, waitFor } from "../e2e/webdriver.mjs";

/** Starts `app` on `dataDir` under tauri-driver; resolves with the WebDriver and a stop function. */
export async function startApp(app, dataDir, usage) {
  const driverBin = [join(homedir(), ".cargo", "bin", "tauri-driver"), "/usr/local/bin/tauri-driver"].find(existsSync);
  if (!app || !dataDir || !driverBin) {
    console.error(`${usage} (with tauri-driver installed)`);
    process.exit(2);
  }
  const port = await freePort();
  const driver = startProcess(driverBin, ["--port", String(port), "--native-port", String(await freePort())], {
    env: { SELLERDESK_DATA_DIR: dataDir },
  });
  const webdriver = new WebDriver(`http://127.0.0.1:${port}`);
  const stop = async () => {
    await webdriver.deleteSession().catch(() => {});
    await driver.stop();
  };
  try {
    await waitFor("tauri-driver", async () => webdriver.ready().catch(() => false));
    await webdriver.newSession({ application: app });
  } catch (error) {
    await stop();
    throw error;
  }
  return { webdriver, stop };
}

/** Percentiles of a list of milliseconds (for the `json:` lines that scripts/measure-ui.sh reads). */
export function percentiles(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] };
}

/** Percentiles of a list of milliseconds, as one line. */
export function spread(values) {
  const { p50, p95, p99, max } = percentiles(values);
  return `p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`;
}

/**
 * In the page (webdriver.execute): counts every IPC call by command name from now on; returns
 * whether `__TAURI_INTERNALS__.invoke` could have been wrapped instead (it cannot: Tauri defines it
 * non-writable, so the `fetch` of Tauri's custom-protocol IPC is wrapped; see invokes.mjs).
 */
export const COUNT_INVOKES = `
  if (!window.__invokeCounter) {
    const counts = {};
    const original = window.fetch;
    window.fetch = function (input, init) {
      const url = typeof input === "string" ? input : (input && input.url) || String(input);
      const match = /^ipc:\\/\\/localhost\\/([^?]*)/.exec(url) || /^https?:\\/\\/ipc\\.localhost\\/([^?]*)/.exec(url);
      if (match) { const name = decodeURIComponent(match[1]); counts[name] = (counts[name] || 0) + 1; }
      return original.apply(this, arguments);
    };
    let invokeWritable = false;
    try { const before = window.__TAURI_INTERNALS__.invoke; window.__TAURI_INTERNALS__.invoke = before; invokeWritable = Object.getOwnPropertyDescriptor(window.__TAURI_INTERNALS__, "invoke").writable; } catch (e) {}
    window.__invokeCounter = { counts, invokeWritable, reset() { for (const k of Object.keys(counts)) delete counts[k]; } };
  }
  return window.__invokeCounter.invokeWritable;`;

/** In the page: the counts since the last take, then zero. */
export const TAKE_INVOKES = "const c = { ...window.__invokeCounter.counts }; window.__invokeCounter.reset(); return c;";

/** In the page: the UI's own running timings (ui/src/timings.ts), or {} in a build without them. */
export const TIMINGS = `return JSON.parse(JSON.stringify(window.__sellerdeskTimings ?? {}));`;

/** The timings added between two readings of TIMINGS. */
export function timingsSince(before, after) {
  const since = {};
  for (const [name, t] of Object.entries(after)) {
    const b = before[name] ?? { count: 0, totalMs: 0 };
    if (t.count > b.count) since[name] = { count: t.count - b.count, totalMs: Math.round(t.totalMs - b.totalMs), maxMs: Math.round(t.maxMs) };
  }
  return since;
}

/** "name: N runs, T ms (x% of the window), longest M ms; …", the largest total first. */
export function timingsLine(timings, seconds) {
  return Object.entries(timings)
    .sort((a, b) => b[1].totalMs - a[1].totalMs)
    .map(([name, t]) => `${name}: ${t.count}, ${t.totalMs} ms (${((t.totalMs / (seconds * 10))).toFixed(1)} %), longest ${t.maxMs} ms`)
    .join("; ");
}
