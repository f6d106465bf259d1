// What the e2e tests share: where the binaries are, whether they and the services are here,
// tauri-driver on free ports, and screenshots into docs/screenshots/.

import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { WebDriver, freePort, startProcess, waitFor } from "./webdriver.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = join(ROOT, "target", "debug");
export const APP = join(BIN, "sellerdesk");
export const CLI = join(BIN, "sellerdesk-cli");
export const SIM = join(BIN, "marketplace-sim");
export const SHOTS = join(ROOT, "docs", "screenshots");

function findTauriDriver() {
  const candidates = (process.env.PATH ?? "").split(":").map((dir) => join(dir, "tauri-driver"));
  candidates.push(join(homedir(), ".cargo", "bin", "tauri-driver"));
  return candidates.find((path) => existsSync(path)) ?? null;
}

const TAURI_DRIVER = findTauriDriver();

/** Why the e2e tests cannot run here, or null (pass it to needsServices of guard.mjs). */
export function missingPrerequisite() {
  for (const binary of [APP, CLI, SIM]) {
    if (!existsSync(binary)) return `${binary} is missing (build it first, see the header of app.test.mjs)`;
  }
  if (!TAURI_DRIVER) return "tauri-driver is not installed";
  if (!process.env.DISPLAY) return "no DISPLAY: run under scripts/with-services.sh";
  return null;
}

/** tauri-driver on free ports, with `env` reaching the app; resolves once it answers. */
export async function startDriver(env) {
  const port = await freePort();
  const nativePort = await freePort();
  const driver = startProcess(TAURI_DRIVER, ["--port", String(port), "--native-port", String(nativePort)], { env });
  const webdriver = new WebDriver(`http://127.0.0.1:${port}`);
  await waitFor("tauri-driver", async () => {
    if (driver.child.exitCode !== null) throw new Error(`tauri-driver exited:\n${driver.output()}`);
    return await webdriver.ready();
  });
  return { driver, webdriver };
}

export async function saveScreenshot(webdriver, name) {
  // Let layout and fonts settle after the last DOM change.
  await sleep(1000);
  await mkdir(SHOTS, { recursive: true });
  await writeFile(join(SHOTS, name), await webdriver.screenshot());
}
