// End-to-end checks of the real app (WebKitGTK webview) through tauri-driver.
//
// Preconditions: the environment of scripts/with-services.sh (DISPLAY on a private Xvfb, a
// private D-Bus session with an unlocked gnome-keyring), and the binaries, which this test does
// not build:
//   npx --prefix ui tauri build --debug --no-bundle   -> target/debug/sellerdesk (UI embedded)
//   cargo build -p sellerdesk-cli -p marketplace-sim  -> target/debug/sellerdesk-cli, marketplace-sim
//   tauri-driver on PATH or in ~/.cargo/bin (cargo install tauri-driver --version '^2' --locked)
// Run: scripts/with-services.sh node --test --test-concurrency=1 tests/e2e/
// (one file at a time: the app is single-instance, two files' apps would hand over to each other).
// Screenshots go to docs/screenshots/. A missing prerequisite skips these tests, or fails them
// when CI is set (guard.mjs).

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { needsServices } from "./guard.mjs";
import { APP, CLI, SIM, missingPrerequisite, saveScreenshot, startDriver } from "./harness.mjs";
import { ENTER, freePort, run, startProcess, waitFor } from "./webdriver.mjs";

const SELLER = "seller-1";

/** An unsigned JWT the simulator accepts with --token: the app reads `sub` to know the seller. */
function makeToken(subject) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: subject, iat: now, exp: now + 3600 })}.${Buffer.from("e2e-signature").toString("base64url")}`;
}

async function startSimulator(token) {
  const sim = startProcess(SIM, ["--port", "0", "--seed", "7", "--rate", "5", "--token", token]);
  const url = await waitFor("the simulator's listening line", async () => {
    if (sim.child.exitCode !== null) throw new Error(`marketplace-sim exited:\n${sim.output()}`);
    return /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(sim.output())?.[1];
  });
  return { sim, url };
}

/** The ids (data-*) of the elements matching `css`, in document order. */
async function ids(webdriver, css, attribute) {
  const elements = await webdriver.findAll(css);
  return Promise.all(elements.map((element) => webdriver.attribute(element, attribute)));
}

test("offline start shows the cached inbox and says it is reconnecting", async (t) => {
  if (needsServices(t, missingPrerequisite())) return;

  const dataDir = await mkdtemp(join(tmpdir(), "sellerdesk-e2e-"));
  const token = makeToken(SELLER);
  let sim = null;
  let driver = null;
  let webdriver = null;
  try {
    // Fill a cache through the CLI, then take the server away.
    const started = await startSimulator(token);
    sim = started.sim;
    const serverUrl = started.url;
    await run(CLI, ["--data-dir", dataDir, "login", "--server", started.url, "--token-stdin"], { input: token });
    await run(CLI, ["--data-dir", dataDir, "sync", "--for", "3"]);
    await sim.stop();
    sim = null;

    const conversations = JSON.parse(await run(CLI, ["--data-dir", dataDir, "conversations", "--json"]));
    assert.ok(conversations.length > 0, "the CLI cached conversations");

    ({ driver, webdriver } = await startDriver({ SELLERDESK_DATA_DIR: dataDir }));
    await webdriver.newSession({ application: APP });

    // The list shows exactly the cached conversations, in the cache's order.
    const expectedIds = conversations.map((c) => c.id);
    const shownIds = await waitFor("the cached conversations", async () => {
      const shown = await ids(webdriver, ".conversation", "data-conversation-id");
      return shown.length === expectedIds.length ? shown : null;
    });
    assert.deepEqual(shownIds, expectedIds);
    // Each row names the buyer (everyone but the seller; the id when the server sent no one).
    const names = await Promise.all(
      (await webdriver.findAll(".conversation .conversation-name")).map((e) => webdriver.property(e, "textContent")),
    );
    const buyers = conversations.map((c) => {
      const others = c.participants.filter((p) => p.id !== SELLER).map((p) => p.name);
      return others.length > 0 ? others.join(", ") : c.id;
    });
    assert.deepEqual(names, buyers);

    // Opening one shows its cached messages.
    const open = conversations[0].id;
    const messages = JSON.parse(await run(CLI, ["--data-dir", dataDir, "messages", open, "--json"]));
    assert.ok(messages.length > 0, "the conversation has cached messages");
    await webdriver.click(await webdriver.find(`.conversation[data-conversation-id="${open}"]`));
    const shownMessages = await waitFor("the cached messages", async () => {
      const shown = await ids(webdriver, ".message", "data-message-id");
      return shown.length === messages.length ? shown : null;
    });
    assert.deepEqual(shownMessages, messages.map((m) => m.id));
    const contents = await Promise.all(
      (await webdriver.findAll(".message .content")).map((element) => webdriver.property(element, "textContent")),
    );
    assert.deepEqual(contents, messages.map((m) => m.content));

    // The server is gone: the status bar says so.
    const statusBar = await webdriver.find(".statusbar");
    const state = await waitFor("an offline/reconnecting status", async () => {
      const kind = await webdriver.attribute(statusBar, "data-connection");
      return ["reconnecting", "offline"].includes(kind) ? kind : null;
    });
    const statusText = await webdriver.property(await webdriver.find(".connection-text"), "textContent");
    assert.match(statusText, state === "offline" ? /^Offline/ : /^Reconnecting \(attempt \d+\)/);

    // Written while offline: shown at once, marked as queued, and counted in the status bar.
    const text = "Written while offline";
    const input = await webdriver.find(".composer-input");
    await webdriver.type(input, text);
    await webdriver.type(input, ENTER);
    const queued = await waitFor("the queued message", async () => {
      const last = (await webdriver.findAll(".message")).at(-1);
      const content = last && (await webdriver.find(".content", last));
      if (!content || (await webdriver.property(content, "textContent")) !== text) return null;
      // Read together: a re-render between the reads would replace the element.
      return { status: await webdriver.attribute(last, "data-status"), classes: await webdriver.attribute(last, "class") };
    });
    assert.equal(queued.status, "queued");
    assert.match(queued.classes, /\bunsent\b/);
    await waitFor("the queued count", async () => {
      return (await webdriver.attribute(await webdriver.find(".queued"), "data-count")) === "1";
    });

    await saveScreenshot(webdriver, "inbox.png");

    // The server comes back on the same address: the queued message goes out by itself (the
    // seller may press Retry to skip the wait) and is shown sent.
    const port = new URL(serverUrl).port;
    sim = startProcess(SIM, ["--port", port, "--seed", "7", "--rate", "5", "--token", token]);
    await waitFor("the simulator back", async () => {
      if (sim.child.exitCode !== null) throw new Error(`marketplace-sim exited:\n${sim.output()}`);
      return /listening on/.test(sim.output());
    });
    const retry = await webdriver.find(".statusbar button.retry");
    if (retry) await webdriver.click(retry).catch(() => {});
    const sentStatus = await waitFor(
      "the queued message to be sent",
      async () => {
        for (const message of await webdriver.findAll(".message.own")) {
          const content = await webdriver.find(".content", message);
          if (!content || (await webdriver.property(content, "textContent")) !== text) continue;
          const status = await webdriver.attribute(message, "data-status");
          return ["sent", "delivered", "read"].includes(status) ? status : null;
        }
        return null;
      },
      { timeoutMs: 75_000 },
    );
    assert.ok(sentStatus);
    await waitFor("an empty queue", async () => (await webdriver.attribute(await webdriver.find(".queued"), "data-count")) === "0");
  } finally {
    await webdriver?.deleteSession().catch(() => {});
    await driver?.stop();
    await sim?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test("demo mode: live conversations, and a sent message flips from queued to sent", async (t) => {
  if (needsServices(t, missingPrerequisite())) return;

  const dataDir = await mkdtemp(join(tmpdir(), "sellerdesk-e2e-demo-"));
  let driver = null;
  let webdriver = null;
  try {
    ({ driver, webdriver } = await startDriver({ SELLERDESK_DATA_DIR: dataDir }));
    await webdriver.newSession({ application: APP, args: ["--demo"] });

    await waitFor("the Demo badge", async () => (await webdriver.findAll(".demo-badge")).length === 1);
    await waitFor("a live connection", async () => {
      const kind = await webdriver.attribute(await webdriver.find(".statusbar"), "data-connection");
      return kind === "connected";
    });
    // Live updates re-render lists: find and act in one probe, again if the element was replaced.
    await waitFor("a live conversation to open", async () => {
      const first = await webdriver.find(".conversation");
      return first && (await webdriver.click(first), true);
    });
    await waitFor("the conversation's messages", async () => (await webdriver.findAll(".message")).length > 0);

    const stamp = String(Date.now());
    const text = `Hello from the e2e test ${stamp}`;
    const input = await webdriver.find(".composer-input");
    await webdriver.type(input, text);
    await webdriver.type(input, ENTER);

    // Find our message by its text; it must show up, then reach sent (or beyond).
    const ours = async () => {
      for (const message of await webdriver.findAll(".message.own")) {
        const content = await webdriver.find(".content", message);
        if (content && (await webdriver.property(content, "textContent")) === text) return message;
      }
      return null;
    };
    const firstStatus = await waitFor("the message in the list", async () => webdriver.attribute(await ours(), "data-status"), {
      timeoutMs: 5_000,
    });
    assert.ok(["queued", "sending", "sent", "delivered", "read"].includes(firstStatus), firstStatus);
    const finalStatus = await waitFor("the message to be sent", async () => {
      const status = await webdriver.attribute(await ours(), "data-status");
      return ["sent", "delivered", "read"].includes(status) ? status : null;
    });
    assert.ok(finalStatus);
    assert.equal(await webdriver.property(await webdriver.find(".composer-input"), "value"), "", "the composer is cleared");

    await saveScreenshot(webdriver, "demo.png");

    // Markup in a message is shown as its characters: no element is made, no script runs.
    const hostile = "<img src=x onerror=alert(1)>";
    await webdriver.type(await webdriver.find(".composer-input"), hostile);
    await webdriver.type(await webdriver.find(".composer-input"), ENTER);
    await waitFor("the hostile message, as text", async () => {
      for (const content of await webdriver.findAll(".message .content")) {
        if ((await webdriver.property(content, "textContent")) === hostile) return true;
      }
      return null;
    });
    assert.equal((await webdriver.findAll(".message .content img")).length, 0, "no img element from message text");
    assert.equal(await webdriver.alertText(), null, "no alert ran");

    // Search finds it with the match marked, and the result opens its conversation at it.
    const openId = await waitFor("the open conversation", async () =>
      webdriver.attribute(await webdriver.find(".conversation.open"), "data-conversation-id"),
    );
    await webdriver.click(await webdriver.find('.tab[data-tab="orders"]'));
    await webdriver.type(await webdriver.find(".search-input"), stamp);
    const result = await waitFor("a search result", () => webdriver.find('.search-result[data-kind="message"]'));
    assert.equal(await webdriver.property(await webdriver.find("mark", result), "textContent"), stamp);
    assert.equal(await webdriver.attribute(result, "data-conversation-id"), openId);
    await saveScreenshot(webdriver, "search.png");
    await webdriver.click(result);
    const revealed = await waitFor("the message, revealed", async () => {
      const found = await webdriver.find(".message.found");
      return found && webdriver.property(await webdriver.find(".content", found), "textContent");
    });
    assert.equal(revealed, text);
    assert.equal(await webdriver.property(await webdriver.find(".search-input"), "value"), "", "the search is cleared");

    await webdriver.click(await webdriver.find('.tab[data-tab="orders"]'));
    await waitFor("orders", async () => (await webdriver.findAll("tr[data-order-id]")).length > 0);
    // Opening an order from the list shows its detail with the timeline of what happened to it.
    const openedOrder = await waitFor("an order to open", async () => {
      const button = await webdriver.find("tr[data-order-id] .order-open");
      const id = button && (await webdriver.property(button, "textContent"));
      return id && (await webdriver.click(button), id);
    });
    const timeline = await waitFor("the order's timeline", async () => {
      const detail = await webdriver.find(".order-detail[data-order-id]");
      if (!detail || (await webdriver.attribute(detail, "data-order-id")) !== openedOrder) return null;
      const kinds = [];
      for (const entry of await webdriver.findAll(".timeline-entry", detail)) kinds.push(await webdriver.attribute(entry, "data-kind"));
      return kinds.length > 0 ? kinds : null;
    });
    assert.ok(timeline.includes("status"), `a status change in ${timeline}`);
    await saveScreenshot(webdriver, "orders.png");
    // A status filter narrows the list to that status.
    await webdriver.click(await webdriver.find('.chip[data-filter="pending"]'));
    await waitFor("only pending orders", async () => {
      const statuses = [];
      for (const pill of await webdriver.findAll("tr[data-order-id] td:nth-child(2) .pill")) statuses.push(await webdriver.attribute(pill, "data-value"));
      return statuses.every((s) => s === "pending");
    });

    await webdriver.click(await webdriver.find('.tab[data-tab="listings"]'));
    await waitFor("listings", async () => (await webdriver.findAll("tr[data-listing-id]")).length > 0);
    await saveScreenshot(webdriver, "listings.png");
    await webdriver.click(await webdriver.find('.tab[data-tab="notifications"]'));
    await waitFor("notifications", async () => (await webdriver.findAll("li.notification")).length > 0);
    await saveScreenshot(webdriver, "notifications.png");

    // Settings: switching a notification category off is saved and shown again.
    await webdriver.click(await webdriver.find('button[data-tab="settings"]'));
    const messagesSwitch = async () => {
      for (const label of await webdriver.findAll(".settings-pane label.setting")) {
        if ((await webdriver.property(label, "textContent")).startsWith("Buyer messages")) {
          return webdriver.find("input", label);
        }
      }
      return null;
    };
    assert.equal(await waitFor("the notification settings", async () => String(await webdriver.property(await messagesSwitch(), "checked"))), "true");
    await waitFor("the switch to click", async () => {
      const box = await messagesSwitch();
      return box && (await webdriver.click(box), true);
    });
    await saveScreenshot(webdriver, "settings.png");
    await webdriver.click(await webdriver.find('.tab[data-tab="inbox"]'));
    await webdriver.click(await webdriver.find('button[data-tab="settings"]'));
    await waitFor("the saved setting", async () => (await webdriver.property(await messagesSwitch(), "checked")) === false);
  } finally {
    await webdriver?.deleteSession().catch(() => {});
    await driver?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test("a second launch hands its sellerdesk:// link to the running app", async (t) => {
  if (needsServices(t, missingPrerequisite())) return;

  const dataDir = await mkdtemp(join(tmpdir(), "sellerdesk-e2e-link-"));
  let driver = null;
  let webdriver = null;
  try {
    ({ driver, webdriver } = await startDriver({ SELLERDESK_DATA_DIR: dataDir }));
    await webdriver.newSession({ application: APP, args: ["--demo"] });
    await webdriver.click(await waitFor("the Orders tab", () => webdriver.find('.tab[data-tab="orders"]')));
    // Live updates re-render the table: read the id in one go, again if the row was replaced.
    const orderId = await waitFor("an order", async () => {
      const row = await webdriver.find("tr[data-order-id]");
      return row && (await webdriver.attribute(row, "data-order-id").catch(() => null));
    });
    await webdriver.click(await webdriver.find('.tab[data-tab="inbox"]'));
    await waitFor("the inbox", async () => (await webdriver.attribute(await webdriver.find("#app"), "data-view")) === "inbox");

    // The second instance finds the first, hands the link over and exits.
    const second = startProcess(APP, [`sellerdesk://order/${encodeURIComponent(orderId)}`], {
      env: { SELLERDESK_DATA_DIR: dataDir },
    });
    const exit = await Promise.race([second.exited, sleep(15_000).then(() => null)]);
    if (exit === null) await second.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, `the second launch did not hand over:\n${second.output()}`);

    // The first shows that order.
    await waitFor("the orders view", async () => (await webdriver.attribute(await webdriver.find("#app"), "data-view")) === "orders");
    assert.equal(await webdriver.attribute(await webdriver.find('.tab[data-tab="orders"]'), "aria-current"), "page");
    assert.ok(await webdriver.find(`tr[data-order-id="${orderId}"]`));
  } finally {
    await webdriver?.deleteSession().catch(() => {});
    await driver?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test("live mode without an account shows the sign-in form", async (t) => {
  if (needsServices(t, missingPrerequisite())) return;

  const dataDir = await mkdtemp(join(tmpdir(), "sellerdesk-e2e-signin-"));
  let driver = null;
  let webdriver = null;
  try {
    ({ driver, webdriver } = await startDriver({ SELLERDESK_DATA_DIR: dataDir }));
    await webdriver.newSession({ application: APP });
    const form = await waitFor("the sign-in form", () => webdriver.find(".signin-card"));
    assert.ok(await webdriver.find('input[name="server"]', form));
    assert.ok(await webdriver.find('input[name="token"][type="password"]', form));
    assert.equal((await webdriver.findAll(".demo-badge")).length, 0);
    const statusText = await webdriver.property(await webdriver.find(".connection-text"), "textContent");
    assert.equal(statusText, "Not signed in");

    // A server that is not there: the error is shown in the form, nothing is stored.
    await webdriver.type(await webdriver.find('input[name="server"]'), `http://127.0.0.1:${await freePort()}`);
    await webdriver.type(await webdriver.find('input[name="token"]'), "a.b.c");
    await webdriver.click(await webdriver.find('.signin-card button[type="submit"]'));
    const error = await waitFor("the sign-in error", async () => {
      const text = await webdriver.property(await webdriver.find(".form-error"), "textContent");
      return text || null;
    });
    assert.match(error, /reach|connect|refused|timed out|no connection/i);
    assert.ok(!existsSync(join(dataDir, "account.json")), "no account after a failed sign-in");
    await saveScreenshot(webdriver, "signin.png");

    // "Try the demo marketplace": the demo runs without an account, in its own subfolder.
    await webdriver.click(await webdriver.find(".try-demo"));
    await waitFor("the Demo badge", async () => (await webdriver.findAll(".demo-badge")).length === 1, { timeoutMs: 30_000 });
    await waitFor("a live demo connection", async () => (await webdriver.attribute(await webdriver.find(".statusbar"), "data-connection")) === "connected", {
      timeoutMs: 30_000,
    });
    await waitFor("demo conversations", async () => (await webdriver.findAll(".conversation")).length > 0);
    assert.ok(!existsSync(join(dataDir, "account.json")), "the demo signs no one in");
    // And out again, from Settings: back to the sign-in form.
    await webdriver.click(await webdriver.find('button[data-tab="settings"]'));
    await waitFor("Leave the demo", async () => {
      const button = await webdriver.find(".data-settings .sign-out");
      return button && (await webdriver.property(button, "textContent")) === "Leave the demo" && (await webdriver.click(button), true);
    });
    await waitFor("the sign-in form again", () => webdriver.find(".signin-card"));
    assert.equal((await webdriver.findAll(".demo-badge")).length, 0);
  } finally {
    await webdriver?.deleteSession().catch(() => {});
    await driver?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
