import { render } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { List, type ListHandle } from "./List";
import { ROW_PX, layOut, settle } from "./layout.test-util";

type Item = { id: string; text: string };
const items = (from: number, to: number): Item[] =>
  Array.from({ length: to - from }, (_, i) => ({ id: `i${String(from + i).padStart(5, "0")}`, text: `item ${from + i}` }));

function renderList(initial: Item[], options: { followEnd?: boolean; onNeedAfter?: () => void; hasAfter?: boolean; saveAs?: string } = {}) {
  const [rows, setRows] = createSignal(initial);
  let handle: ListHandle | undefined;
  let view: { scrollTop: number } | undefined;
  const result = render(() => (
    <List
      items={rows()}
      keyField="id"
      maxRows={100}
      shift={30}
      followEnd={options.followEnd}
      hasAfter={options.hasAfter}
      onNeedAfter={options.onNeedAfter}
      saveAs={options.saveAs}
      ref={(h) => (handle = h)}
      class="scroller"
      listClass="rows"
      label="Items"
      empty={<p class="empty">Nothing</p>}
    >
      {(item) => <li class="row">{item.text}</li>}
    </List>
  ));
  const scroller = result.container.querySelector<HTMLElement>(".scroller")!;
  view = layOut(scroller);
  const shown = () => Array.from(scroller.querySelectorAll<HTMLElement>("li"), (li) => li.dataset.key ?? "");
  const scrollTo = async (top: number) => {
    view!.scrollTop = top;
    scroller.dispatchEvent(new Event("scroll"));
    vi.advanceTimersToNextFrame();
    await settle();
  };
  return { ...result, scroller, setRows, shown, scrollTo, view: view!, handle: () => handle! };
}

beforeEach(() => vi.useFakeTimers({ toFake: ["requestAnimationFrame", "setTimeout", "clearTimeout"] }));
afterEach(() => vi.useRealTimers());

describe("the list", () => {
  it("keeps at most maxRows rows in the DOM however many items are loaded", async () => {
    const list = renderList(items(0, 10_000));
    await settle();
    expect(list.shown()).toHaveLength(100);
    expect(list.shown()[0]).toBe("i00000");
  });

  it("moves its window near an edge and keeps the row under the seller's eyes where it was", async () => {
    const list = renderList(items(0, 1_000));
    await settle();
    // Near the bottom of the 100 rendered rows: the window moves down by 30.
    await list.scrollTo(100 * ROW_PX - 500 - 120);
    const visible = list.shown().find((_, i) => i * ROW_PX + ROW_PX > list.view.scrollTop)!;
    const offset = list.shown().indexOf(visible) * ROW_PX - list.view.scrollTop;
    await list.scrollTo(list.view.scrollTop);
    expect(list.shown()[0]).not.toBe("i00000");
    expect(list.shown().indexOf(visible) * ROW_PX - list.view.scrollTop).toBe(offset);
  });

  it("asks for the next page at the end of what is loaded, only while there may be more", async () => {
    const onNeedAfter = vi.fn();
    const list = renderList(items(0, 20), { hasAfter: true, onNeedAfter });
    await settle();
    expect(onNeedAfter).toHaveBeenCalled();
    onNeedAfter.mockClear();
    const none = renderList(items(0, 20), { hasAfter: false, onNeedAfter });
    await settle();
    await none.scrollTo(10_000);
    expect(onNeedAfter).not.toHaveBeenCalled();
    list.unmount();
  });

  it("keeps row elements of unchanged items and updates changed ones in place", async () => {
    const list = renderList(items(0, 50));
    await settle();
    const kept = list.scroller.querySelector('[data-key="i00010"]')!;
    (kept as HTMLElement).tabIndex = 0;
    (kept as HTMLElement).focus();
    const next = items(0, 50);
    next[10] = { ...next[10], text: "changed" };
    list.setRows(next);
    await settle();
    const after = list.scroller.querySelector('[data-key="i00010"]')!;
    expect(after).toBe(kept);
    expect(after.textContent).toBe("changed");
    expect(document.activeElement).toBe(kept);
  });

  it("follows the end when it starts there and new items arrive", async () => {
    const list = renderList(items(0, 300), { followEnd: true });
    await settle();
    expect(list.shown().at(-1)).toBe("i00299");
    list.setRows(items(0, 302));
    await settle();
    expect(list.shown().at(-1)).toBe("i00301");
    expect(list.view.scrollTop).toBe(list.scroller.scrollHeight - 500);
  });

  it("does not jump to new items while the seller reads further up", async () => {
    const list = renderList(items(0, 300), { followEnd: true });
    await settle();
    await list.scrollTo(2_000);
    const top = list.view.scrollTop;
    const first = list.shown()[0];
    list.setRows(items(0, 302));
    await settle();
    expect(list.shown()[0]).toBe(first);
    expect(list.view.scrollTop).toBe(top);
  });

  it("stays at the top while scrolled to it: items that arrive above come into view", async () => {
    const list = renderList(items(10, 300));
    await settle();
    list.setRows([...items(0, 2), ...items(10, 300)]);
    await settle();
    expect(list.view.scrollTop).toBe(0);
    expect(list.shown().slice(0, 3)).toEqual(["i00000", "i00001", "i00010"]);
  });

  it("keeps the row under the seller's eyes when items arrive above while scrolled down", async () => {
    const list = renderList(items(10, 300));
    await settle();
    await list.scrollTo(10 * ROW_PX);
    expect(list.shown().find((_, i) => i * ROW_PX + ROW_PX > list.view.scrollTop)).toBe("i00020");
    list.setRows([...items(0, 2), ...items(10, 300)]);
    await settle();
    expect(list.shown().find((_, i) => i * ROW_PX + ROW_PX > list.view.scrollTop)).toBe("i00020");
  });

  it("reveals a row far outside the window", async () => {
    const list = renderList(items(0, 5_000));
    await settle();
    list.handle().reveal("i04000", "center");
    expect(list.shown()).toContain("i04000");
    expect(list.shown()).toHaveLength(100);
  });

  it("shows where it was when it comes back", async () => {
    const first = renderList(items(0, 1_000), { saveAs: "saved-test" });
    await settle();
    await first.scrollTo(1_200);
    const top = first.shown().find((_, i) => i * ROW_PX + ROW_PX > first.view.scrollTop);
    first.unmount();
    const again = renderList(items(0, 1_000), { saveAs: "saved-test" });
    await settle();
    const visible = again.shown().find((_, i) => i * ROW_PX + ROW_PX > again.view.scrollTop);
    expect(visible).toBe(top);
  });

  it("shows its empty state without items", () => {
    const list = renderList([]);
    expect(list.container.querySelector(".empty")?.textContent).toBe("Nothing");
  });
});
