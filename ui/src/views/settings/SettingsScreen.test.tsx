import { cleanup, fireEvent, screen, waitFor, within } from "@solidjs/testing-library";
import { Show, createSignal } from "solid-js";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DesktopPreferences } from "../../bindings/DesktopPreferences";
import type { NotificationSettings } from "../../bindings/NotificationSettings";
import { keys } from "../../queries/keys";
import { type IpcHandler, SIGNED_IN, mockCommands, renderWithApp } from "../../test-utils";
import type { AppInfo } from "../../bindings/AppInfo";
import { seriousViolations } from "../axe.test-util";
import { previewCache } from "../messages/previews";
import { cacheStats, clearReport, deferred, desktopPreferences, notificationSettings } from "./fixtures.test-util";
import { SettingsScreen } from "./SettingsScreen";

// Each test renders its own screen (vitest runs without globals: no automatic cleanup).
afterEach(cleanup);

/**
 * The screen with a copy of `info`: the app state's store adopts the object it is given and
 * merges later ones into it, so the shared SIGNED_IN must never be handed over itself.
 */
function renderScreen(info: AppInfo = SIGNED_IN) {
  return renderWithApp(() => <SettingsScreen />, { info: { ...info } });
}

/** The commands the screen reads, answered with populated settings; `extra` adds or replaces. */
function handlers(extra: Record<string, IpcHandler> = {}): Record<string, IpcHandler> {
  return {
    notification_settings: () => notificationSettings(),
    desktop_preferences: () => desktopPreferences(),
    cache_stats: () => cacheStats(),
    set_notification_settings: () => null,
    set_desktop_preferences: () => null,
    ...extra,
  };
}

/** The checkbox of the row whose label starts with `label`. */
function box(label: string): HTMLInputElement {
  const row = Array.from(document.querySelectorAll<HTMLLabelElement>(".settings-pane label.setting")).find((l) =>
    (l.textContent ?? "").startsWith(label),
  );
  const input = row?.querySelector<HTMLInputElement>("input[type=checkbox]");
  if (!input) throw new Error(`no setting "${label}"`);
  return input;
}

function button(name: string): HTMLButtonElement {
  return screen.getByRole("button", { name }) as HTMLButtonElement;
}

async function shown(): Promise<void> {
  await screen.findByText("Buyer messages");
  await screen.findByText("Load image previews automatically");
}

const saves = (calls: { command: string; args: Record<string, unknown> }[], command: string) =>
  calls.filter((c) => c.command === command).map((c) => Object.values(c.args)[0]);

describe("settings screen", () => {
  it("shows the saved settings in every group", async () => {
    const calls = mockCommands(handlers());
    renderScreen();
    expect(screen.getByText("Loading…")).toBeInTheDocument();
    await shown();
    expect(screen.getByRole("heading", { name: "Notifications" })).toBeInTheDocument();
    for (const legend of ["Notify me about", "Do not disturb", "Desktop", "Conversations", "Your data"])
      expect(screen.getByRole("group", { name: legend })).toBeInTheDocument();
    expect(box("New orders").checked).toBe(true);
    expect(box("Deliveries").checked).toBe(false);
    expect(box("Do not disturb now").checked).toBe(false);
    expect(box("Every day, quietly between").checked).toBe(true);
    expect(box("Orders and payments too").checked).toBe(false);
    expect(box("Keep running in the tray").checked).toBe(true);
    expect(box("Start Seller Desk when I log in").checked).toBe(false);
    const from = screen.getByLabelText("Quiet from") as HTMLInputElement;
    const until = screen.getByLabelText("Quiet until") as HTMLInputElement;
    expect([from.value, until.value, from.disabled, until.disabled]).toEqual(["22:30", "06:45", false, false]);
    expect(screen.getByText("2 muted conversation(s); unmute them from their header.")).toBeInTheDocument();
    expect(document.querySelector(".data-dir")?.textContent).toBe(SIGNED_IN.dataDir);
    await waitFor(() =>
      expect(document.querySelector(".cache-size")?.textContent).toBe("3.0 MB on disk · 1,200 messages, 30 order events"),
    );
    expect(button("Sign out")).toHaveClass("sign-out");
    expect(calls.map((c) => c.command).sort()).toEqual(["cache_stats", "desktop_preferences", "notification_settings"]);
  });

  it("says why when the settings cannot be read", async () => {
    mockCommands(
      handlers({
        notification_settings: () => Promise.reject({ code: "SETTINGS_UNREADABLE", message: "settings.json is damaged" }),
      }),
    );
    renderScreen();
    expect(await screen.findByRole("alert")).toHaveTextContent("settings.json is damaged");
  });

  it("keeps the notification groups when only the desktop preferences cannot be read", async () => {
    mockCommands(handlers({ desktop_preferences: () => Promise.reject({ code: "IO", message: "disk gone" }) }));
    renderScreen();
    expect(await screen.findByRole("alert")).toHaveTextContent("disk gone");
    expect(box("Buyer messages").checked).toBe(true);
    expect(screen.queryByRole("group", { name: "Desktop" })).toBeNull();
  });

  it("gives every control an accessible name, with no serious axe-core violation", async () => {
    mockCommands(handlers());
    renderScreen();
    await shown();
    await waitFor(() => expect(document.querySelector(".cache-size")?.textContent).not.toBe("Measuring…"));
    expect(await seriousViolations(document.body)).toEqual([]);
    // With the clearing's question open and a row being saved, too.
    button("Clear cache…").click();
    box("Buyer messages").click();
    expect(await seriousViolations(document.body)).toEqual([]);
    for (const control of document.querySelectorAll<HTMLElement>(".settings-pane input, .settings-pane button")) {
      const name = control.getAttribute("aria-label") ?? control.closest("label")?.textContent ?? control.textContent ?? "";
      expect(name.trim(), control.outerHTML).not.toBe("");
    }
  });
});

describe("saving a change", () => {
  it("saves a whole new settings object, and updates the query only after the backend took it", async () => {
    const save = deferred<null>();
    const calls = mockCommands(handlers({ set_notification_settings: () => save.promise }));
    const { client } = renderScreen();
    await shown();
    box("Buyer messages").click();
    await waitFor(() => expect(saves(calls, "set_notification_settings")).toHaveLength(1));
    const sent = saves(calls, "set_notification_settings")[0] as NotificationSettings;
    expect(sent).toEqual({ ...notificationSettings(), categories: { ...notificationSettings().categories, messages: false } });
    // Not saved yet: the query still holds the saved value, the row says it is saving.
    expect(client.getQueryData<NotificationSettings>(keys.notificationSettings())?.categories.messages).toBe(true);
    expect(box("Buyer messages").checked).toBe(false);
    expect(box("Buyer messages").closest("label")).toHaveTextContent("Saving…");
    save.resolve(null);
    await waitFor(() => expect(client.getQueryData<NotificationSettings>(keys.notificationSettings())?.categories.messages).toBe(false));
    expect(box("Buyer messages").checked).toBe(false);
    expect(box("Buyer messages").closest("label")).not.toHaveTextContent("Saving…");
  });

  it("keeps focus and the very same checkbox through the save", async () => {
    const save = deferred<null>();
    mockCommands(handlers({ set_notification_settings: () => save.promise }));
    const { client } = renderScreen();
    await shown();
    const input = box("Payments");
    input.focus();
    input.click();
    save.resolve(null);
    await waitFor(() => expect(client.getQueryData<NotificationSettings>(keys.notificationSettings())?.categories.payments).toBe(false));
    // A whole-pane render would have put a new checkbox there and dropped the focus.
    expect(box("Payments")).toBe(input);
    expect(input.isConnected).toBe(true);
    expect(document.activeElement).toBe(input);
    expect(input.checked).toBe(false);
  });

  it("never flips the row back for a moment between the save and the query hearing of it", async () => {
    mockCommands(handlers());
    const { client } = renderScreen();
    await shown();
    const input = box("Payments");
    // Every value the screen writes into the checkbox, in order.
    const written: boolean[] = [];
    const checked = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "checked") as PropertyDescriptor;
    Object.defineProperty(input, "checked", {
      configurable: true,
      get: () => checked.get?.call(input),
      set: (value: boolean) => {
        written.push(value);
        checked.set?.call(input, value);
      },
    });
    fireEvent.click(input);
    await waitFor(() => expect(client.getQueryData<NotificationSettings>(keys.notificationSettings())?.categories.payments).toBe(false));
    // The query's observers are told on the next macrotask: let those run too.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(written.filter((value) => value)).toEqual([]);
  });

  it("shows the problem and puts the control back to the saved value when the save fails", async () => {
    mockCommands(
      handlers({ set_notification_settings: () => Promise.reject({ code: "SETTINGS_WRITE", message: "Could not save the settings" }) }),
    );
    const { app, client } = renderScreen();
    await shown();
    const input = box("New orders");
    input.focus();
    input.click();
    expect(input.checked).toBe(false);
    await waitFor(() => expect(app.state.problem?.text).toBe("Could not save the settings"));
    expect(input.checked).toBe(true);
    expect(document.activeElement).toBe(input);
    expect(client.getQueryData<NotificationSettings>(keys.notificationSettings())?.categories.newOrders).toBe(true);
  });

  it("saves quick changes one after the other, each on top of the last one saved", async () => {
    const first = deferred<null>();
    let count = 0;
    const calls = mockCommands(handlers({ set_notification_settings: () => (++count === 1 ? first.promise : null) }));
    const { client } = renderScreen();
    await shown();
    box("New orders").click();
    box("Order status").click();
    // Both rows show the seller's choice while the first save is still out.
    expect(box("New orders").checked).toBe(false);
    expect(box("Order status").checked).toBe(false);
    expect(saves(calls, "set_notification_settings").length).toBeLessThanOrEqual(1);
    first.resolve(null);
    await waitFor(() => expect(saves(calls, "set_notification_settings")).toHaveLength(2));
    const [one, two] = saves(calls, "set_notification_settings") as NotificationSettings[];
    expect([one?.categories.newOrders, one?.categories.orderUpdates]).toEqual([false, true]);
    // The second carries the first: no change is lost to a stale copy.
    expect([two?.categories.newOrders, two?.categories.orderUpdates]).toEqual([false, false]);
    await waitFor(() => expect(client.getQueryData<NotificationSettings>(keys.notificationSettings())?.categories.orderUpdates).toBe(false));
  });

  it("a failed change does not take the next one down with it", async () => {
    let count = 0;
    const calls = mockCommands(
      handlers({
        set_notification_settings: () => (++count === 1 ? Promise.reject({ code: "X", message: "first failed" }) : null),
      }),
    );
    const { app, client } = renderScreen();
    await shown();
    box("New orders").click();
    box("Order status").click();
    await waitFor(() => expect(saves(calls, "set_notification_settings")).toHaveLength(2));
    const second = saves(calls, "set_notification_settings")[1] as NotificationSettings;
    expect([second.categories.newOrders, second.categories.orderUpdates]).toEqual([true, false]);
    await waitFor(() => expect(client.getQueryData<NotificationSettings>(keys.notificationSettings())?.categories.orderUpdates).toBe(false));
    expect(app.state.problem?.text).toBe("first failed");
    expect(box("New orders").checked).toBe(true);
    expect(box("Order status").checked).toBe(false);
  });
});

describe("do not disturb", () => {
  it("switches on now, orders and payments too", async () => {
    const calls = mockCommands(handlers());
    renderScreen();
    await shown();
    box("Do not disturb now").click();
    await waitFor(() => expect(saves(calls, "set_notification_settings")).toHaveLength(1));
    box("Orders and payments too").click();
    await waitFor(() => expect(saves(calls, "set_notification_settings")).toHaveLength(2));
    const last = saves(calls, "set_notification_settings")[1] as NotificationSettings;
    expect(last.doNotDisturb).toEqual({ ...notificationSettings().doNotDisturb, on: true, includeMoney: true });
  });

  it("a schedule switched on starts at 22:00-07:00, and its times are saved as minutes", async () => {
    const calls = mockCommands(
      handlers({ notification_settings: () => ({ ...notificationSettings(), doNotDisturb: { on: false, schedule: null, includeMoney: false } }) }),
    );
    renderScreen();
    await shown();
    const from = screen.getByLabelText("Quiet from") as HTMLInputElement;
    expect(from.disabled).toBe(true);
    box("Every day, quietly between").click();
    // The times can be set at once, while the schedule is still being saved.
    expect(from.disabled).toBe(false);
    await waitFor(() => expect(saves(calls, "set_notification_settings")).toHaveLength(1));
    expect((saves(calls, "set_notification_settings")[0] as NotificationSettings).doNotDisturb.schedule).toEqual({
      startMinute: 1320,
      endMinute: 420,
    });
    fireEvent.change(from, { target: { value: "23:15" } });
    await waitFor(() => expect(saves(calls, "set_notification_settings")).toHaveLength(2));
    expect((saves(calls, "set_notification_settings")[1] as NotificationSettings).doNotDisturb.schedule).toEqual({
      startMinute: 1395,
      endMinute: 420,
    });
    fireEvent.change(screen.getByLabelText("Quiet until"), { target: { value: "06:30" } });
    await waitFor(() => expect(saves(calls, "set_notification_settings")).toHaveLength(3));
    expect((saves(calls, "set_notification_settings")[2] as NotificationSettings).doNotDisturb.schedule).toEqual({
      startMinute: 1395,
      endMinute: 390,
    });
    // A time not finished is not saved.
    fireEvent.change(from, { target: { value: "" } });
    await Promise.resolve();
    expect(saves(calls, "set_notification_settings")).toHaveLength(3);
    box("Every day, quietly between").click();
    await waitFor(() => expect(saves(calls, "set_notification_settings")).toHaveLength(4));
    expect((saves(calls, "set_notification_settings")[3] as NotificationSettings).doNotDisturb.schedule).toBeNull();
    await waitFor(() => expect(from.disabled).toBe(true));
  });
});

describe("desktop and conversation preferences", () => {
  const rows: [string, keyof DesktopPreferences][] = [
    ["Keep running in the tray when the window closes", "closeToTray"],
    ["Start Seller Desk when I log in", "startAtLogin"],
    ["Show when a buyer is typing", "showTyping"],
    ["Show when buyers have read my messages", "showReadReceipts"],
    ["Load image previews automatically", "loadPreviewsAutomatically"],
  ];

  it.each(rows)("%s saves %s and only that", async (label, field) => {
    const calls = mockCommands(handlers());
    const { client } = renderScreen();
    await shown();
    const before = box(label).checked;
    box(label).click();
    await waitFor(() => expect(saves(calls, "set_desktop_preferences")).toHaveLength(1));
    expect(saves(calls, "set_desktop_preferences")[0]).toEqual({ ...desktopPreferences(), [field]: !before });
    await waitFor(() => expect(client.getQueryData<DesktopPreferences>(keys.desktopPreferences())?.[field]).toBe(!before));
    expect(saves(calls, "set_notification_settings")).toHaveLength(0);
  });

  it("image previews are on by default, and a click saves them off", async () => {
    const calls = mockCommands(handlers());
    renderScreen();
    await shown();
    expect(box("Load image previews automatically").checked).toBe(true);
    box("Load image previews automatically").click();
    await waitFor(() => expect(saves(calls, "set_desktop_preferences")).toEqual([{ ...desktopPreferences(), loadPreviewsAutomatically: false }]));
  });

  it("drops the typing shown once typing is switched off, not when it is switched on", async () => {
    const calls = mockCommands(handlers());
    const { app } = renderScreen();
    const clearTyping = vi.spyOn(app, "clearTyping");
    await shown();
    box("Show when a buyer is typing").click();
    await waitFor(() => expect(clearTyping).toHaveBeenCalledTimes(1));
    box("Show when a buyer is typing").click();
    await waitFor(() => expect(saves(calls, "set_desktop_preferences")).toHaveLength(2));
    await Promise.resolve();
    expect(clearTyping).toHaveBeenCalledTimes(1);
  });

  it("keeps typing shown when switching it off failed", async () => {
    mockCommands(handlers({ set_desktop_preferences: () => Promise.reject({ code: "X", message: "no" }) }));
    const { app } = renderScreen();
    const clearTyping = vi.spyOn(app, "clearTyping");
    await shown();
    box("Show when a buyer is typing").click();
    await waitFor(() => expect(app.state.problem?.text).toBe("no"));
    expect(clearTyping).not.toHaveBeenCalled();
    expect(box("Show when a buyer is typing").checked).toBe(true);
  });
});

describe("text size", () => {
  afterEach(() => {
    document.documentElement.style.fontSize = "";
  });

  const select = () => screen.getByLabelText("Text size") as HTMLSelectElement;

  it("shows the saved size among the zoom's steps, and saves and applies another", async () => {
    const save = deferred<null>();
    const calls = mockCommands(handlers({ set_desktop_preferences: () => save.promise }));
    const { client } = renderScreen();
    await shown();
    expect(select().value).toBe("125");
    expect(Array.from(select().options, (o) => o.textContent)).toContain("100% (default)");
    expect(select()).toHaveAccessibleDescription("Also Ctrl+= and Ctrl+-, Ctrl+0 for the default");
    fireEvent.change(select(), { target: { value: "150" } });
    await waitFor(() => expect(saves(calls, "set_desktop_preferences")).toEqual([{ ...desktopPreferences(), textZoom: 150 }]));
    expect(select()).toHaveAccessibleDescription("Saving…");
    expect(document.documentElement.style.fontSize).toBe("");
    save.resolve(null);
    await waitFor(() => expect(document.documentElement.style.fontSize).toBe("150%"));
    expect(client.getQueryData<DesktopPreferences>(keys.desktopPreferences())?.textZoom).toBe(150);
    expect(select().value).toBe("150");
  });

  it("stays at the saved size when saving another failed", async () => {
    mockCommands(handlers({ set_desktop_preferences: () => Promise.reject({ code: "IO", message: "read-only folder" }) }));
    const { app } = renderScreen();
    await shown();
    fireEvent.change(select(), { target: { value: "200" } });
    await waitFor(() => expect(app.state.problem?.text).toBe("read-only folder"));
    expect(select().value).toBe("125");
    expect(document.documentElement.style.fontSize).toBe("");
  });

  it("follows a size changed by the keyboard shortcuts while the screen is open", async () => {
    mockCommands(handlers());
    const { client } = renderScreen();
    await shown();
    client.setQueryData(keys.desktopPreferences(), { ...desktopPreferences(), textZoom: 90 });
    await waitFor(() => expect(select().value).toBe("90"));
  });

  it("shows a size saved between the steps as it is", async () => {
    mockCommands(handlers({ desktop_preferences: () => ({ ...desktopPreferences(), textZoom: 115 }) }));
    renderScreen();
    await shown();
    expect(select().value).toBe("115");
    expect(select().selectedOptions[0]?.textContent).toBe("115%");
  });
});

describe("your data", () => {
  it("measures the cache again each time the screen shows", async () => {
    let measured = 0;
    const calls = mockCommands(
      handlers({ cache_stats: () => ({ ...cacheStats(), fileBytes: ++measured * 1024 * 1024 }) }),
    );
    const [visible, setVisible] = createSignal(true);
    renderWithApp(
      () => (
        <Show when={visible()}>
          <SettingsScreen />
        </Show>
      ),
      { info: { ...SIGNED_IN } },
    );
    await shown();
    await waitFor(() => expect(document.querySelector(".cache-size")?.textContent).toMatch(/^1\.0 MB on disk/));
    setVisible(false);
    setVisible(true);
    await waitFor(() => expect(document.querySelector(".cache-size")?.textContent).toMatch(/^2\.0 MB on disk/));
    expect(calls.filter((c) => c.command === "cache_stats")).toHaveLength(2);
    // The settings themselves are not read again: nothing said they changed.
    expect(calls.filter((c) => c.command === "notification_settings")).toHaveLength(1);
  });

  it("says Measuring… until the figures come, and why they did not", async () => {
    const stats = deferred<never>();
    mockCommands(handlers({ cache_stats: () => stats.promise }));
    renderScreen();
    await shown();
    expect(document.querySelector(".cache-size")?.textContent).toBe("Measuring…");
    stats.reject({ code: "DB", message: "database is locked" });
    await waitFor(() => expect(document.querySelector(".cache-size")?.textContent).toBe("Not measured: database is locked"));
  });

  it("clears only after a confirmation, then says what it removed and refills everything", async () => {
    previewCache.set("https://cdn.example/p.png", Promise.resolve("data:image/png;base64,AAAA"));
    let measured = 0;
    const calls = mockCommands(
      handlers({
        cache_stats: () => (++measured === 1 ? cacheStats() : { ...cacheStats(), kinds: [], fileBytes: 40 * 1024 }),
        clear_cache: () => clearReport(),
      }),
    );
    renderScreen();
    await shown();
    await waitFor(() => expect(document.querySelector(".cache-size")?.textContent).toMatch(/messages/));
    const confirmation = document.querySelector<HTMLElement>(".confirm-row[role=group]") as HTMLElement;
    expect(confirmation).toHaveAttribute("aria-label", "Confirm clearing the cache");
    const open = button("Clear cache…");
    expect(confirmation).not.toBeVisible();
    expect(open).toHaveAttribute("aria-expanded", "false");

    open.click();
    expect(confirmation).toBeVisible();
    expect(open).toHaveAttribute("aria-expanded", "true");
    expect(document.activeElement).toBe(within(confirmation).getByRole("button", { name: "Cancel" }));
    within(confirmation).getByRole("button", { name: "Cancel" }).click();
    expect(confirmation).not.toBeVisible();
    expect(document.activeElement).toBe(open);

    open.click();
    fireEvent.keyDown(within(confirmation).getByRole("button", { name: "Cancel" }), { key: "Escape" });
    expect(confirmation).not.toBeVisible();
    expect(calls.some((c) => c.command === "clear_cache")).toBe(false);

    open.click();
    within(confirmation).getByRole("button", { name: "Clear" }).click();
    expect(confirmation).not.toBeVisible();
    expect(document.activeElement).toBe(open);
    expect(await screen.findByRole("status")).toHaveTextContent(
      "Cleared: 2,430 rows removed, 3.0 MB → 40.0 KB on disk; 1 attachment file (2.0 KB) removed.",
    );
    await waitFor(() => expect(document.querySelector(".cache-size")?.textContent).toBe("40.0 KB on disk · empty"));
    expect(previewCache.size).toBe(0);
    // Everything shown fills again from the cache; the stats only once more.
    await waitFor(() => expect(calls.filter((c) => c.command === "notification_settings")).toHaveLength(2));
    expect(calls.filter((c) => c.command === "desktop_preferences")).toHaveLength(2);
    expect(calls.filter((c) => c.command === "cache_stats")).toHaveLength(2);
    expect(calls.filter((c) => c.command === "clear_cache")).toHaveLength(1);
  });

  it("shows the problem when clearing fails", async () => {
    mockCommands(handlers({ clear_cache: () => Promise.reject({ code: "CACHE_BUSY", message: "The cache is in use" }) }));
    const { app } = renderScreen();
    await shown();
    button("Clear cache…").click();
    button("Clear").click();
    await waitFor(() => expect(app.state.problem?.text).toBe("The cache is in use"));
    expect(document.querySelector(".cache-note")).toBeNull();
  });

  it("signs a live account out and forgets the session", async () => {
    const signedOut = { ...SIGNED_IN, signedIn: false, userId: null, connection: null };
    const calls = mockCommands(handlers({ sign_out: () => signedOut }));
    const { app } = renderScreen();
    const reset = vi.fn();
    app.onSessionReset(reset);
    app.openConversation("conv-1");
    await shown();
    const signOut = button("Sign out");
    expect(signOut).toHaveClass("ghost", "sign-out");
    signOut.click();
    await waitFor(() => expect(reset).toHaveBeenCalledTimes(1));
    expect(calls.filter((c) => c.command === "sign_out")).toHaveLength(1);
    expect(app.state.info?.signedIn).toBe(false);
    expect(app.state.route.conversationId).toBeNull();
    expect(calls.some((c) => c.command === "leave_demo")).toBe(false);
  });

  it("leaves the demo from the demo", async () => {
    const calls = mockCommands(handlers({ leave_demo: () => ({ ...SIGNED_IN, signedIn: false }) }));
    const { app } = renderScreen({ ...SIGNED_IN, mode: "demo" });
    await shown();
    expect(screen.queryByRole("button", { name: "Sign out" })).toBeNull();
    const leave = button("Leave the demo");
    expect(leave).toHaveClass("sign-out");
    leave.click();
    await waitFor(() => expect(app.state.info?.signedIn).toBe(false));
    expect(calls.filter((c) => c.command === "leave_demo")).toHaveLength(1);
    expect(calls.some((c) => c.command === "sign_out")).toBe(false);
  });

  it("keeps the session and shows the problem when signing out fails", async () => {
    mockCommands(handlers({ sign_out: () => Promise.reject({ code: "SIGN_OUT_FAILED", message: "The keychain is locked" }) }));
    const { app } = renderScreen();
    const reset = vi.fn();
    app.onSessionReset(reset);
    await shown();
    button("Sign out").click();
    await waitFor(() => expect(app.state.problem?.text).toBe("The keychain is locked"));
    expect(reset).not.toHaveBeenCalled();
    expect(app.state.info?.signedIn).toBe(true);
  });

  it("offers no sign out without an account", async () => {
    mockCommands(handlers());
    renderScreen({ ...SIGNED_IN, signedIn: false });
    await shown();
    expect(document.querySelector(".sign-out")).toBeNull();
    expect(button("Clear cache…")).toBeInTheDocument();
  });
});
