// jsdom has HTMLDialogElement but neither showModal nor close: the least of both a test needs,
// recording which dialogs were opened modally (what the page behind them would make inert).

/** Dialogs open as modal right now. */
export const modalDialogs = new Set<HTMLDialogElement>();

export function installDialogPolyfill(): void {
  const proto = HTMLDialogElement.prototype;
  if (typeof proto.showModal === "function") return;
  proto.showModal = function showModal(this: HTMLDialogElement) {
    if (this.open) throw new DOMException("already open", "InvalidStateError");
    if (!this.isConnected) throw new DOMException("not in the document", "InvalidStateError");
    this.setAttribute("open", "");
    modalDialogs.add(this);
  };
  proto.close = function close(this: HTMLDialogElement) {
    if (!this.open) return;
    this.removeAttribute("open");
    modalDialogs.delete(this);
    this.dispatchEvent(new Event("close"));
  };
}

/** Takes the polyfill away again (a test of an engine without showModal). */
export function removeDialogPolyfill(): void {
  const proto = HTMLDialogElement.prototype as Partial<HTMLDialogElement>;
  delete proto.showModal;
  delete proto.close;
  modalDialogs.clear();
}

/** The open dialog, if any. */
export function openDialog(): HTMLDialogElement | null {
  return document.querySelector<HTMLDialogElement>("dialog[open]");
}

/** Lets pending promise callbacks (and microtasks queued by them) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

/** The button in `root` whose text is `text`. */
export function button(root: ParentNode, text: string): HTMLButtonElement {
  const found = Array.from(root.querySelectorAll("button")).find((b) => b.textContent === text);
  if (!found) throw new Error(`no ${text} button`);
  return found;
}
