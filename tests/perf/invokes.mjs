// Invokes per incoming event in the real app: the official Node socket.io server
// (tests/interop/server.mjs, driven through its stdin) sends messages one at a time into the open
// conversation, then into another one, while the page counts every IPC call it makes by command.
// Run by scripts/measure-ui.sh compare invokes: node invokes.mjs APP CLI DATA_DIR
//   INVOKE_EVENTS (default 20) messages per phase, INVOKE_GAP_MS (default 1000) apart, so that
//   each is handled on its own (the UI coalesces events closer together than its throttle).
//
// Counting: `window.__TAURI_INTERNALS__.invoke` is defined non-writable by Tauri's init script,
// so assigning a wrapper is silently ignored. Every invoke goes through `fetch("ipc://localhost/
// <command>")` (Tauri's custom-protocol IPC, looked up on `window` at each call), so the page's
// `fetch` is wrapped instead: the same calls, by the same names, for the old UI and the new.
// Channel payloads too large to evaluate inline come as `plugin:__TAURI_CHANNEL__|fetch`; they are
// counted apart (transport of the backend's events, not a call the UI chose to make).
// Each phase also counts the DOM mutation records (a MutationObserver on the body): what one
// event makes the page change, restyle and repaint.

import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { run, startProcess, waitFor } from "../e2e/webdriver.mjs";
import { COUNT_INVOKES, TAKE_INVOKES, startApp } from "./session.mjs";

const [app, cli, dataDir] = process.argv.slice(2);
const EVENTS = Number(process.env.INVOKE_EVENTS ?? 20);
const GAP_MS = Number(process.env.INVOKE_GAP_MS ?? 1000);
const SETTLE_MS = 3000;
const CHANNEL_FETCH = "plugin:__TAURI_CHANNEL__|fetch";
if (!app || !cli || !dataDir) {
  console.error("usage: node invokes.mjs APP CLI DATA_DIR");
  process.exit(2);
}

const b64 = (text) => Buffer.from(text).toString("base64url");
// Unsigned: the app only reads `sub` and `exp`; the server compares the whole string.
const token = [b64('{"alg":"HS256","typ":"JWT"}'), b64(JSON.stringify({ sub: "seller-1", exp: Math.floor(Date.now() / 1000) + 86400 })), b64("sig")].join(".");

const server = startProcess(
  "node",
  [join(dirname(fileURLToPath(import.meta.url)), "../interop/server.mjs"), "--port", "0", "--token", token, "--no-events", "--ping-interval-ms", "0"],
  { stdin: "pipe" },
);
const emit = (name, data) => server.child.stdin.write(`${JSON.stringify({ emit: name, args: [data] })}\n`);
const SELLER = { id: "seller-1", name: "Seller", avatar: "" };
const buyer = (n) => ({ id: `buyer-${n}`, name: `Buyer ${n}`, avatar: "" });
let sent = 0;
const message = (conversationId, from) => ({
  id: `inv-${++sent}-${randomUUID()}`,
  conversationId,
  sender: from,
  content: `message ${sent} into ${conversationId}`,
  attachments: [],
  status: "sent",
  timestamp: new Date().toISOString(),
});

// In the page: DOM mutation records by kind since the last take (what each event makes the page
// restyle, lay out and repaint).
const COUNT_MUTATIONS = `
  if (!window.__mutationCounter) {
    const counts = { childList: 0, attributes: 0, characterData: 0, nodesAdded: 0 };
    new MutationObserver((records) => {
      for (const r of records) { counts[r.type] += 1; if (r.type === "childList") counts.nodesAdded += r.addedNodes.length; }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    window.__mutationCounter = counts;
  }`;
const TAKE_MUTATIONS = "const c = { ...window.__mutationCounter }; for (const k of Object.keys(window.__mutationCounter)) window.__mutationCounter[k] = 0; return c;";

function summarize(counts) {
  let app = 0;
  let channel = 0;
  for (const [name, n] of Object.entries(counts)) {
    if (name === CHANNEL_FETCH) channel += n;
    else app += n;
  }
  return { app, channel, counts };
}

let stopApp = async () => {};
let shoot = async () => {};
try {
  await waitFor("the reference server", async () => /listening on http:\/\/127\.0\.0\.1:\d+/.test(server.output()));
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())[1];
  await run(cli, ["--data-dir", dataDir, "login", "--server", url, "--token-stdin"], { input: token });
  const started = await startApp(app, dataDir, "usage: node invokes.mjs APP CLI DATA_DIR");
  const { webdriver } = started;
  stopApp = started.stop;
  shoot = async () => {
    const file = join(process.env.TMPDIR ?? "/tmp", `invokes-failure-${process.pid}.png`);
    await writeFile(file, await webdriver.screenshot());
    console.error(`screenshot of the page: ${file}`);
  };
  await waitFor("a live connection", async () => (await webdriver.attribute(await webdriver.find(".statusbar"), "data-connection")) === "connected", {
    timeoutMs: 30_000,
  });
  const [open, other] = ["conv-open", "conv-other"];
  for (const [id, n] of [[other, 2], [open, 1]]) {
    emit("chat.conversation.update", {
      conversationId: id,
      type: "new",
      participants: [buyer(n), SELLER],
      lastMessage: { content: "hello", timestamp: new Date().toISOString() },
    });
    emit("chat.message", message(id, buyer(n)));
    await sleep(200);
  }
  await waitFor("both conversations", async () => (await webdriver.findAll(".conversation")).length >= 2, { timeoutMs: 30_000 });
  await waitFor("the conversation to open", async () => {
    const row = await webdriver.find(`.conversation[data-conversation-id="${open}"]`);
    return row && (await webdriver.click(row), true);
  });
  await waitFor("its message", async () => (await webdriver.findAll(".message")).length > 0, { timeoutMs: 30_000 });
  const invokeWritable = await webdriver.execute(COUNT_INVOKES);
  await webdriver.execute(COUNT_MUTATIONS);
  await sleep(SETTLE_MS);
  await webdriver.execute(TAKE_INVOKES);
  await webdriver.execute(TAKE_MUTATIONS);

  const phase = async (label, conversationId, from) => {
    const rowsBefore = (await webdriver.findAll(".message")).length;
    for (let i = 0; i < EVENTS; i += 1) {
      if (conversationId) emit("chat.message", message(conversationId, from));
      await sleep(GAP_MS);
    }
    await sleep(SETTLE_MS);
    const result = summarize(await webdriver.execute(TAKE_INVOKES));
    const mutations = await webdriver.execute(TAKE_MUTATIONS);
    const rowsAfter = (await webdriver.findAll(".message")).length;
    const preview = conversationId
      ? await webdriver.execute(
          `const row = document.querySelector('.conversation[data-conversation-id="${conversationId}"]'); return row ? row.textContent : null;`,
        )
      : null;
    return { label, ...result, mutations, rowsBefore, rowsAfter, previewShowsLast: preview === null ? null : preview.includes(`message ${sent} `) };
  };

  // No events for as long as a phase lasts: what the page calls on its own (timers, health).
  const idle = await phase("idle (no events)", null, null);
  const intoOpen = await phase("into the open conversation", open, buyer(1));
  const intoOther = await phase("into another conversation", other, buyer(2));
  const perEvent = (p) => (p.app - idle.app) / EVENTS;
  console.log(`${EVENTS} messages per phase, ${GAP_MS} ms apart; invoke writable: ${invokeWritable} (counted through fetch)`);
  for (const p of [idle, intoOpen, intoOther]) {
    const names = Object.entries(p.counts)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => `${name} ${n}`)
      .join(", ");
    const m = p.mutations;
    console.log(`${p.label}: ${p.app} invokes (${names || "none"}); channel fetches ${p.channel}; message rows ${p.rowsBefore} -> ${p.rowsAfter}`);
    console.log(`  DOM mutation records: childList ${m.childList} (${m.nodesAdded} nodes added), attributes ${m.attributes}, characterData ${m.characterData}`);
  }
  console.log(`invokes per event: open conversation ${perEvent(intoOpen).toFixed(2)}, other conversation ${perEvent(intoOther).toFixed(2)} (idle subtracted)`);
  console.log(
    `json: ${JSON.stringify({
      events: EVENTS,
      gapMs: GAP_MS,
      invokeWritable,
      idle,
      open: { ...intoOpen, perEvent: perEvent(intoOpen) },
      other: { ...intoOther, perEvent: perEvent(intoOther) },
    })}`,
  );
  if (intoOpen.rowsAfter < intoOpen.rowsBefore + 1 || intoOther.previewShowsLast === false) {
    console.error("warning: the page did not show the messages sent; the counts may not describe the app's work");
  }
} catch (error) {
  console.error(`reference server said:\n${server.output().slice(-3000)}`);
  await shoot().catch(() => {});
  throw error;
} finally {
  await stopApp();
  await server.stop();
}
