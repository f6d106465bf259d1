// Scroll smoothness of a long thread in the real app (WebKitGTK through tauri-driver): opens the
// only conversation of DATA_DIR, then scrolls it upwards for a while at a steady pace, one step per
// animation frame, and reports the frame intervals and how many rows the DOM held.
// Run by scripts/measure-ui.sh scroll (which builds the data folder): node scroll.mjs APP DATA_DIR

import { waitFor } from "../e2e/webdriver.mjs";
import { percentiles, spread, startApp } from "./session.mjs";

const [app, dataDir] = process.argv.slice(2);
const SECONDS = Number(process.env.SCROLL_SECONDS ?? 20);
const STEP_PX = Number(process.env.SCROLL_STEP_PX ?? 60);

const { webdriver, stop } = await startApp(app, dataDir, "usage: node scroll.mjs APP DATA_DIR");
try {
  await waitFor("the conversation", async () => {
    const row = await webdriver.find(".conversation");
    return row && (await webdriver.click(row), true);
  });
  await waitFor("its newest messages", async () => (await webdriver.findAll(".message")).length > 0, { timeoutMs: 30_000 });
  // In the page: scroll up by STEP_PX every frame for SECONDS, recording each frame's interval,
  // the rows in the DOM and the oldest message shown.
  // On stderr, for a profiler to start with the measured window.
  console.error(`measuring for ${SECONDS} s from ${new Date().toISOString()}`);
  const result = await webdriver.execute(
    `const [seconds, step, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
     const scroller = document.querySelector(".message-scroller");
     const frames = []; let maxRows = 0; let last = null; const start = performance.now();
     return new Promise((resolve) => {
       const tick = (now) => {
         if (last !== null) frames.push(now - last);
         last = now;
         scroller.scrollTop = Math.max(0, scroller.scrollTop - step);
         maxRows = Math.max(maxRows, scroller.querySelectorAll(".message").length);
         if (now - start < seconds * 1000) requestAnimationFrame(tick);
         else resolve({ frames, maxRows, oldest: scroller.querySelector(".message")?.dataset.messageId ?? null,
                        newestShown: [...scroller.querySelectorAll(".message")].pop()?.dataset.messageId ?? null });
       };
       requestAnimationFrame(tick);
     });`,
    [SECONDS, STEP_PX],
  );
  const long = result.frames.filter((f) => f > 50).length;
  console.log(`scrolled up ${SECONDS} s at ${STEP_PX} px per frame: ${result.frames.length} frames`);
  console.log(`frame interval ${spread(result.frames)}; frames over 50 ms: ${long}`);
  console.log(`rows in the DOM at most: ${result.maxRows}; oldest message reached: ${result.oldest}`);
  const { maxRows, oldest } = result;
  console.log(`json: ${JSON.stringify({ seconds: SECONDS, frames: result.frames.length, interval: percentiles(result.frames), over50: long, maxRows, oldest })}`);
} finally {
  await stop();
}
