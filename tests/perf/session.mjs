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

/** Percentiles of a list of milliseconds, as one line. */
export function spread(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
}
