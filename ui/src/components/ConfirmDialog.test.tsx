import { type JSX, createSignal } from "solid-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Question, confirmDialog, dismissConfirmDialog } from "./ConfirmDialog";
import { button, flush, installDialogPolyfill, modalDialogs, openDialog, removeDialogPolyfill } from "./dialog.test-util";

const question: Question = {
  title: "Open this link in your browser?",
  body: ["Opens track.example", "https://track.example/ABC"],
  confirmLabel: "Open",
};

/** A button in the page that asks, as a link or Download button would. */
function opener(): HTMLButtonElement {
  const element = document.createElement("button");
  element.textContent = "Ask";
  document.body.append(element);
  element.focus();
  return element;
}

function key(target: Element | null, init: KeyboardEventInit): KeyboardEvent {
  const event = new KeyboardEvent("keydown", { bubbles: true, cancelable: true, ...init });
  target?.dispatchEvent(event);
  return event;
}

beforeEach(() => installDialogPolyfill());

afterEach(() => {
  dismissConfirmDialog();
  document.body.replaceChildren();
});

describe("the confirmation dialog", () => {
  it("is a native dialog opened modally, labelled by its heading and described by its paragraphs", async () => {
    const answer = confirmDialog(question);
    const dialog = openDialog();
    expect(dialog?.tagName).toBe("DIALOG");
    expect(dialog && modalDialogs.has(dialog)).toBe(true);
    const heading = dialog?.querySelector("h2");
    expect(heading?.textContent).toBe("Open this link in your browser?");
    expect(dialog?.getAttribute("aria-labelledby")).toBe(heading?.id);
    const paragraphs = Array.from(dialog?.querySelectorAll("p") ?? []);
    expect(paragraphs.map((p) => p.textContent)).toEqual(["Opens track.example", "https://track.example/ABC"]);
    expect(dialog?.getAttribute("aria-describedby")?.split(" ")).toEqual(paragraphs.map((p) => p.id));
    expect(paragraphs.every((p) => p.id !== "")).toBe(true);
    expect(button(dialog as HTMLElement, "Open").className).toBe("primary");
    button(dialog as HTMLElement, "Cancel").click();
    expect(await answer).toBe(false);
  });

  it("keeps a paragraph the caller built, with its own id", async () => {
    const built = document.createElement("p");
    built.className = "link-dialog-host";
    built.id = "host-line";
    built.textContent = "Opens a.example";
    const answer = confirmDialog({ ...question, body: [built, "more"] });
    expect(openDialog()?.querySelector(".link-dialog-host")).toBe(built);
    expect(openDialog()?.getAttribute("aria-describedby")).toMatch(/^host-line confirm-dialog-body-\d+-1$/);
    dismissConfirmDialog();
    expect(await answer).toBe(false);
  });

  it("starts on Cancel, which says no, and gives focus back to what opened it", async () => {
    const ask = opener();
    const answer = confirmDialog(question);
    expect(document.activeElement?.textContent).toBe("Cancel");
    button(openDialog() as HTMLElement, "Cancel").click();
    expect(await answer).toBe(false);
    expect(openDialog()).toBeNull();
    expect(document.activeElement).toBe(ask);
  });

  it("gives focus to the element it is told to", async () => {
    opener();
    const link = document.createElement("a");
    link.href = "https://a.example/";
    document.body.append(link);
    const answer = confirmDialog(question, link);
    button(openDialog() as HTMLElement, "Open").click();
    expect(await answer).toBe(true);
    expect(document.activeElement).toBe(link);
  });

  it("Escape says no and opens nothing", async () => {
    const answer = confirmDialog(question);
    const event = key(document.activeElement, { key: "Escape" });
    expect(event.defaultPrevented).toBe(true);
    expect(await answer).toBe(false);
    expect(openDialog()).toBeNull();
  });

  it("the engine's own close request (cancel event) says no, and the engine's close too", async () => {
    const first = confirmDialog(question);
    const cancel = new Event("cancel", { cancelable: true });
    openDialog()?.dispatchEvent(cancel);
    expect(cancel.defaultPrevented).toBe(true);
    expect(await first).toBe(false);

    const second = confirmDialog(question);
    openDialog()?.close();
    expect(await second).toBe(false);
    expect(document.querySelector("dialog")).toBeNull();
  });

  it("a click on the backdrop says no; a click inside does nothing", async () => {
    const answer = confirmDialog(question);
    const dialog = openDialog() as HTMLDialogElement;
    dialog.querySelector("p")?.click();
    dialog.querySelector(".link-dialog-frame")?.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    await flush();
    expect(openDialog()).toBe(dialog);
    // Clicks on ::backdrop reach the dialog element itself.
    dialog.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect(await answer).toBe(false);
  });

  it("keeps Tab on its two buttons and its keys from the app's shortcuts", async () => {
    const shortcuts = vi.fn();
    document.addEventListener("keydown", shortcuts);
    const answer = confirmDialog(question);
    const dialog = openDialog() as HTMLDialogElement;
    key(document.activeElement, { key: "Tab" });
    expect(document.activeElement).toBe(button(dialog, "Open"));
    key(document.activeElement, { key: "Tab" });
    expect(document.activeElement).toBe(button(dialog, "Cancel"));
    key(document.activeElement, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(button(dialog, "Open"));
    key(document.activeElement, { key: "k", ctrlKey: true });
    key(document.activeElement, { key: "Escape" });
    expect(shortcuts).not.toHaveBeenCalled();
    document.removeEventListener("keydown", shortcuts);
    expect(await answer).toBe(false);
  });

  it("Save anyway: the risky answer shows as dangerous, and yes resolves true", async () => {
    const answer = confirmDialog({ title: "Save a file that can run programs?", body: ["x"], confirmLabel: "Save anyway", danger: true });
    const save = button(openDialog() as HTMLElement, "Save anyway");
    expect(save.className).toBe("danger");
    save.click();
    expect(await answer).toBe(true);
  });

  it("a second question replaces the first, which answers no", async () => {
    const first = confirmDialog({ ...question, title: "First?" });
    const second = confirmDialog({ ...question, title: "Second?" });
    expect(await first).toBe(false);
    expect(document.querySelectorAll("dialog")).toHaveLength(1);
    expect(openDialog()?.querySelector("h2")?.textContent).toBe("Second?");
    // Ids stay unique: the second dialog never points at the first one's paragraphs.
    const described = openDialog()?.getAttribute("aria-describedby")?.split(" ") ?? [];
    expect(described.every((id) => document.getElementById(id)?.closest("dialog") === openDialog())).toBe(true);
    button(openDialog() as HTMLElement, "Open").click();
    expect(await second).toBe(true);
  });

  it("leaves nothing behind once answered: its host is removed and its root disposed", async () => {
    const before = document.body.childElementCount;
    const [line, setLine] = createSignal("first");
    // Solid shows a function as content that follows what it reads.
    const answer = confirmDialog({ ...question, body: [line as unknown as JSX.Element] });
    expect(document.body.childElementCount).toBe(before + 1);
    const dialog = openDialog() as HTMLDialogElement;
    setLine("second");
    expect(dialog.querySelector("p")?.textContent).toBe("second");
    button(dialog, "Open").click();
    await answer;
    expect(document.body.childElementCount).toBe(before);
    expect(document.querySelector(".confirm-dialog-host")).toBeNull();
    expect(modalDialogs.size).toBe(0);
    // Disposed: what it showed no longer follows the app's state.
    setLine("third");
    expect(dialog.querySelector("p")?.textContent).toBe("second");
  });

  it("shows the server's words as text, never as markup", async () => {
    const hostile = "<img src=x onerror=alert(1)>";
    const answer = confirmDialog({ title: hostile, body: [hostile], confirmLabel: hostile });
    const dialog = openDialog() as HTMLDialogElement;
    expect(dialog.querySelector("img")).toBeNull();
    expect(dialog.querySelector("h2")?.textContent).toBe(hostile);
    expect(dialog.querySelector("p")?.textContent).toBe(hostile);
    dismissConfirmDialog();
    expect(await answer).toBe(false);
  });

  it("is still shown where the engine has no showModal", async () => {
    removeDialogPolyfill();
    try {
      const answer = confirmDialog(question);
      expect(document.querySelector("dialog")?.hasAttribute("open")).toBe(true);
      expect(document.activeElement?.textContent).toBe("Cancel");
      button(document.querySelector("dialog") as HTMLElement, "Open").click();
      expect(await answer).toBe(true);
      expect(document.querySelector("dialog")).toBeNull();
    } finally {
      installDialogPolyfill();
    }
  });
});
