// The app's screens for the accessibility walk, each reached with data on it (demo mode), and the
// probes run on them: the root font size the zoom set, and text that is cut off.

import { CONTROL, ENTER, waitFor } from "./webdriver.mjs";

/** The root font size the zoom set, e.g. "200%" ("" at 100%). */
export const rootZoom = (webdriver) => webdriver.execute("return document.documentElement.style.fontSize;");

/**
 * Elements whose text is cut off: content wider or taller than a box that hides its overflow (or
 * paints only inside itself), or ended with an ellipsis; and the app wider or taller than the
 * window. Scrollers do not count (their content scrolls), nor line-clamped previews (an excerpt by
 * design, the thread has the whole text), nor visually hidden text for screen readers.
 */
export const CLIPPED_TEXT = `
  const cut = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  for (const el of document.querySelectorAll("#app, #app *")) {
    const cs = getComputedStyle(el);
    if (cs.display === "none" || cs.visibility === "hidden" || !el.textContent.trim()) continue;
    if (/(auto|scroll)/.test(cs.overflowX + " " + cs.overflowY)) continue;
    if (cs.webkitLineClamp && cs.webkitLineClamp !== "none") continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue;
    const paints = /(paint|strict|content)/.test(cs.contain);
    const wide = el.scrollWidth > el.clientWidth + 1;
    const tall = el.scrollHeight > el.clientHeight + 1;
    const hidesX = paints || /(hidden|clip)/.test(cs.overflowX);
    const hidesY = paints || /(hidden|clip)/.test(cs.overflowY);
    if ((hidesX && wide) || (hidesY && tall) || (cs.textOverflow === "ellipsis" && wide)) {
      cut.push(name(el) + " " + el.clientWidth + "x" + el.clientHeight + " < " + el.scrollWidth + "x" + el.scrollHeight + ": " + el.textContent.trim().slice(0, 60));
    }
  }
  const app = document.getElementById("app");
  if (app && (app.scrollWidth > innerWidth + 1 || app.getBoundingClientRect().bottom > innerHeight + 1)) cut.push("#app is larger than the window");
  return cut;
`;

/** The screens, each reached from the one before, with data on it. */
export function screens(webdriver, stamp) {
  const tab = (name) => webdriver.find(`.tab[data-tab="${name}"], button[data-tab="${name}"]`);
  const click = async (what, css) => {
    // Live updates may replace an element between finding and clicking it: find and act in one probe.
    await waitFor(what, async () => {
      const element = typeof css === "function" ? await css() : await webdriver.find(css);
      return element && (await webdriver.click(element), true);
    });
  };
  return [
    {
      name: "inbox, a conversation open",
      shot: "inbox-200.png",
      async reach() {
        await click("a conversation", ".conversation");
        await waitFor("its messages", async () => (await webdriver.findAll(".message")).length > 0);
      },
    },
    {
      name: "order detail",
      shot: "orders-200.png",
      async reach() {
        await click("the Orders tab", () => tab("orders"));
        await click("an order", "tr[data-order-id] .order-open");
        await waitFor("the order's timeline", async () => (await webdriver.findAll(".order-detail[data-order-id] .timeline-entry")).length > 0);
      },
    },
    {
      name: "listings",
      shot: "listings-200.png",
      async reach() {
        await click("the Listings tab", () => tab("listings"));
        await waitFor("listings", async () => (await webdriver.findAll("tr[data-listing-id]")).length > 0);
      },
    },
    {
      name: "notifications",
      shot: "notifications-200.png",
      async reach() {
        await click("the Notifications tab", () => tab("notifications"));
        await waitFor("notifications", async () => (await webdriver.findAll("li.notification")).length > 0);
      },
    },
    {
      name: "settings",
      shot: "settings-200.png",
      async reach() {
        await click("the Settings button", () => tab("settings"));
        await waitFor("the settings", async () => (await webdriver.findAll(".settings-pane label.setting")).length > 0);
      },
    },
    {
      name: "search results",
      shot: "search-200.png",
      async reach() {
        await webdriver.type(await waitFor("the search box", () => webdriver.find(".search-input")), stamp);
        await waitFor("a search result", () => webdriver.find('.search-result[data-kind="message"] mark'));
      },
      async leave() {
        // Esc clears the search (and its results) and gives the section back.
        await webdriver.type(await webdriver.find(".search-input"), "\uE00C");
        await waitFor("the search cleared", async () => (await webdriver.findAll(".search-result")).length === 0);
      },
    },
    {
      name: "sign-in (the demo left)",
      shot: "signin-200.png",
      async reach() {
        await click("the Settings button", () => tab("settings"));
        await click("Leave the demo", async () => {
          const button = await webdriver.find(".data-settings .sign-out");
          return button && (await webdriver.property(button, "textContent")) === "Leave the demo" ? button : null;
        });
        await waitFor("the sign-in form", () => webdriver.find(".signin-card"));
      },
    },
  ];
}

/** Starts the demo and sends one message with `stamp`, for search to find. */
export async function startDemo(webdriver, stamp) {
  await waitFor("the Demo badge", async () => (await webdriver.findAll(".demo-badge")).length === 1, { timeoutMs: 30_000 });
  await waitFor("a live connection", async () => (await webdriver.attribute(await webdriver.find(".statusbar"), "data-connection")) === "connected", {
    timeoutMs: 30_000,
  });
  await waitFor("a conversation to open", async () => {
    const first = await webdriver.find(".conversation");
    return first && (await webdriver.click(first), true);
  });
  const input = await waitFor("the composer", () => webdriver.find(".composer-input"));
  await webdriver.type(input, `Checking accessibility ${stamp}`);
  await webdriver.type(input, ENTER);
}

/** Reaches `screen`; a failure says which screen and shows what the app showed instead. */
export async function reach(webdriver, screen) {
  try {
    await screen.reach();
  } catch (error) {
    const shown = await webdriver.execute("return document.querySelector('main')?.outerHTML.slice(0, 4000) ?? document.body.outerHTML.slice(0, 4000);").catch(String);
    throw new Error(`reaching "${screen.name}": ${error.message}\nthe page's main element:\n${shown}`);
  }
}

export async function pressZoom(webdriver, key, times = 1) {
  for (let i = 0; i < times; i++) await webdriver.press(key, [CONTROL]);
}
