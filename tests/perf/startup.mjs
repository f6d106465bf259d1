// What the page does while it starts, from its own timings: DOM content loaded, the load event
// (the bundle parsed and run) and the first contentful paint, in ms since navigation began.
// (WebKit keeps no resource timing for the app's custom schemes, so the bundle's and the IPC
// calls' own timings are not available this way.)
// Run by scripts/measure-ui.sh compare startup: node startup.mjs APP DATA_DIR

import { setTimeout as sleep } from "node:timers/promises";
import { waitFor } from "../e2e/webdriver.mjs";
import { startApp } from "./session.mjs";

const [app, dataDir] = process.argv.slice(2);
const AFTER_MS = Number(process.env.STARTUP_AFTER_MS ?? 1000);

const { webdriver, stop } = await startApp(app, dataDir, "usage: node startup.mjs APP DATA_DIR");
try {
  await waitFor("the first conversation rows", async () => (await webdriver.findAll(".conversation")).length > 0, { timeoutMs: 60_000, intervalMs: 50 });
  await sleep(AFTER_MS);
  const timings = await webdriver.execute(
    `const nav = performance.getEntriesByType("navigation")[0];
     const paint = performance.getEntriesByType("paint").find((p) => p.name === "first-contentful-paint");
     return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd), load: Math.round(nav.loadEventEnd),
              firstContentfulPaint: paint ? Math.round(paint.startTime) : null,
              conversationRows: document.querySelectorAll(".conversation").length,
              domNodes: document.getElementsByTagName("*").length };`,
  );
  console.log(
    `DOM content loaded ${timings.domContentLoaded} ms, load ${timings.load} ms, first contentful paint ${timings.firstContentfulPaint ?? "n/a"} ms; ` +
      `${timings.conversationRows} conversation rows, ${timings.domNodes} elements in the page`,
  );
  console.log(`json: ${JSON.stringify(timings)}`);
} finally {
  await stop();
}
