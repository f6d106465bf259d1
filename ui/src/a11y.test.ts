import { describe, expect, it } from "vitest";
import { renderOrders } from "./views/orders";
import { createComposer } from "./views/conversation";
import { createStatusBar } from "./views/statusbar";
import { createSignIn } from "./views/signin";
import { ConversationList } from "./views/sidebar";
import { Thread } from "./views/thread";
import { dataGroup } from "./views/settings";

/** The name a screen reader announces: aria-label, else aria-labelledby, a <label>, or the text. */
function accessibleName(element: Element): string {
  const label = element.getAttribute("aria-label");
  if (label) return label.trim();
  const labelledBy = element.getAttribute("aria-labelledby");
  if (labelledBy) return labelledBy.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim();
  const wrapping = element.closest("label");
  if (wrapping && wrapping !== element) return (wrapping.textContent ?? "").trim();
  const id = element.getAttribute("id");
  if (id) {
    const forLabel = document.querySelector(`label[for="${id}"]`);
    if (forLabel) return (forLabel.textContent ?? "").trim();
  }
  return (element.textContent ?? "").trim() || (element.getAttribute("placeholder") ?? "").trim();
}

function unnamedControls(root: Element): string[] {
  document.body.append(root);
  const controls = root.querySelectorAll("button, input, textarea, select, [role=button], [tabindex]");
  const unnamed = Array.from(controls)
    .filter((control) => accessibleName(control) === "")
    .map((control) => control.outerHTML.slice(0, 80));
  root.remove();
  return unnamed;
}

describe("accessible names", () => {
  it("every control of the main views has one", async () => {
    const orders = document.createElement("section");
    renderOrders(
      orders,
      { orders: [], filter: null, selected: "o1", detail: { id: "o1", status: null, statusAt: null, payment: null, shipping: null, updatedAt: "2026-11-26T06:49:09.823Z", timeline: [] }, canLoadMore: true },
      { onFilter() {}, onSelect() {}, onClose() {}, onMore() {} },
    );
    const list = new ConversationList(
      () => {},
      () => {},
    );
    list.update({
      conversations: [{ id: "c1", state: "new", participants: [], lastMessage: null, unreadCount: 1, presence: { status: "online", lastSeen: null } }],
      openId: null,
      selfId: null,
      typing: new Set(),
    });
    const thread = new Thread(async () => ({ messages: [], hasOlder: false, hasNewer: false }), { selfId: null, onRetry: null, foundId: null });
    await thread.open("c1");
    const views = [
      orders,
      list.element,
      thread.element,
      createComposer(async () => true).element,
      createStatusBar(() => {}).element,
      createSignIn(async () => {}).element,
      dataGroup({ dataDir: "/d", stats: null, note: null, canSignOut: true, onClear() {}, onSignOut() {} }),
    ];
    for (const view of views) expect(unnamedControls(view)).toEqual([]);
  });
});
