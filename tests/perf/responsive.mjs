// Responsiveness of the real app under a flood of live events: with the simulator sending many
// events a second, scrolls the conversation list and the open thread for a while and records each
// animation frame's interval and how late a 0 ms timer runs (input would wait as long).
// Run by scripts/measure-ui.sh flood: node responsive.mjs APP DATA_DIR

import { waitFor } from "../e2e/webdriver.mjs";
import { COUNT_INVOKES, TAKE_INVOKES, TIMINGS, percentiles, spread, startApp, timingsLine, timingsSince } from "./session.mjs";

const [app, dataDir] = process.argv.slice(2);
const SECONDS = Number(process.env.FLOOD_SECONDS ?? 20);
// For experiments: a script run in the page just before the measured window (a style to try, a
// part of the page to hide), e.g. FLOOD_INJECT='document.querySelector(".sidebar").hidden = true'.
const INJECT = process.env.FLOOD_INJECT ?? "";

const { webdriver, stop } = await startApp(app, dataDir, "usage: node responsive.mjs APP DATA_DIR");
try {
  await waitFor("a live connection", async () => (await webdriver.attribute(await webdriver.find(".statusbar"), "data-connection")) === "connected", {
    timeoutMs: 30_000,
  });
  // A click can land while the flood re-renders the list: click again until the thread shows its
  // messages (its own scroller is then in the page, not the "Select a conversation" placeholder).
  await waitFor(
    "a conversation open with its messages",
    async () => {
      if ((await webdriver.findAll(".message-scroller .message")).length > 0) return true;
      const row = await webdriver.find(".conversation");
      if (row) await webdriver.click(row).catch(() => {});
      return false;
    },
    { timeoutMs: 60_000, intervalMs: 1000 },
  );
  // The IPC calls the page makes during the window (what it refetches for the flood).
  await webdriver.execute(COUNT_INVOKES);
  await webdriver.execute(TAKE_INVOKES);
  if (INJECT) await webdriver.execute(INJECT);
  const timingsBefore = await webdriver.execute(TIMINGS);
  // On stderr, for a profiler to start with the measured window.
  console.error(`measuring for ${SECONDS} s from ${new Date().toISOString()}`);
  const result = await webdriver.execute(
    `const seconds = arguments[0];
     const list = document.querySelector(".sidebar");
     const thread = document.querySelector(".message-scroller");
     const frames = []; const lags = []; let last = null; let step = 0; const start = performance.now();
     const probe = () => { const asked = performance.now(); setTimeout(() => { lags.push(performance.now() - asked); if (performance.now() - start < seconds * 1000) setTimeout(probe, 50); }, 0); };
     probe();
     return new Promise((resolve) => {
       const tick = (now) => { try {
         if (last !== null) frames.push(now - last);
         last = now; step++;
         // Back and forth, so both lists keep moving.
         const dir = Math.floor(step / 120) % 2 ? 1 : -1;
         list.scrollTop += 30 * dir; thread.scrollTop += 30 * -dir;
         if (now - start < seconds * 1000) requestAnimationFrame(tick);
         else resolve({ frames, lags, conversations: document.querySelectorAll(".conversation").length,
                        status: document.querySelector(".statusbar")?.textContent ?? "" });
       } catch (error) { resolve({ error: String(error) }); } };
       requestAnimationFrame(tick);
     });`,
    [SECONDS],
  );
  if (result.error) throw new Error(`the measuring script failed in the page: ${result.error}`);
  console.log(`${SECONDS} s of scrolling both lists during the flood: ${result.frames.length} frames`);
  console.log(`frame interval: ${spread(result.frames)}; frames over 50 ms: ${result.frames.filter((f) => f > 50).length}`);
  console.log(`0 ms timer lateness (input delay): ${spread(result.lags)}`);
  console.log(`conversation rows in the DOM: ${result.conversations}; status bar: ${result.status.replace(/\s+/g, " ").trim()}`);
  const invokes = await webdriver.execute(TAKE_INVOKES);
  const timings = timingsSince(timingsBefore, await webdriver.execute(TIMINGS));
  console.log(`page timings during the window: ${timingsLine(timings, SECONDS) || "none (a build without them)"}`);
  const invokeTotal = Object.values(invokes).reduce((a, b) => a + b, 0);
  const byName = Object.entries(invokes)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  console.log(`IPC calls during the window: ${invokeTotal} (${(invokeTotal / SECONDS).toFixed(1)}/s): ${byName || "none"}`);
  const over50 = result.frames.filter((f) => f > 50).length;
  const lag = percentiles(result.lags);
  console.log(`json: ${JSON.stringify({ seconds: SECONDS, frames: result.frames.length, interval: percentiles(result.frames), over50, lag, conversations: result.conversations, invokes, timings })}`);
} finally {
  await stop();
}
