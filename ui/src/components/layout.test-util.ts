// jsdom lays nothing out: every `li` row is 50 px high, the scroller 500 px.

export const ROW_PX = 50;
export const VIEW_PX = 500;

/** Lays out `scroller` (a list's scrolling element); returns its scroll position. */
export function layOut(scroller: HTMLElement): { scrollTop: number } {
  const view = { scrollTop: 0 };
  const rows = () => scroller.querySelectorAll("li[data-key]").length;
  Object.defineProperty(scroller, "scrollTop", {
    configurable: true,
    get: () => view.scrollTop,
    set: (value: number) => (view.scrollTop = Math.max(0, Math.min(value, rows() * ROW_PX - VIEW_PX))),
  });
  Object.defineProperty(scroller, "scrollHeight", { configurable: true, get: () => rows() * ROW_PX });
  Object.defineProperty(scroller, "clientHeight", { configurable: true, get: () => VIEW_PX });
  Object.defineProperty(HTMLElement.prototype, "offsetTop", {
    configurable: true,
    get(this: HTMLElement) {
      const parent = this.parentElement;
      return parent && this.tagName === "LI" ? Array.prototype.indexOf.call(parent.children, this) * ROW_PX : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", { configurable: true, get: () => ROW_PX });
  return view;
}

/** Lets promises (and the IPC mock's) settle. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
