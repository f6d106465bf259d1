import { cleanup, render, screen } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { MessageView } from "../../bindings/MessageView";
import { dismissConfirmDialog } from "../../components/ConfirmDialog";
import { button, flush, installDialogPolyfill, modalDialogs, openDialog } from "../../components/dialog.test-util";
import { message } from "../../fixtures.test-util";
import { recordingActions } from "./actions.test-util";
import { confirmOpenLink } from "./confirmations";
import type { MessageActions } from "./context";
import { LinkedText } from "./LinkedText";
import { MessageRow } from "./MessageRow";

function row(m: MessageView, actions?: MessageActions): HTMLElement {
  const { container } = render(() => <MessageRow message={m} context={{ selfId: "seller-1", onRetry: null, foundId: null, actions }} />);
  return container.firstElementChild as HTMLElement;
}

/** A click as the seller makes it; returns whether the webview's own handling was left alone. */
function click(element: Element, init: MouseEventInit = {}, type = "click"): boolean {
  return element.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, button: 0, ...init }));
}

beforeAll(() => installDialogPolyfill());

afterEach(() => {
  dismissConfirmDialog();
  cleanup();
  document.body.replaceChildren();
});

describe("links in message text", () => {
  it("are real links, announced as links, with the URL they open", () => {
    row(message({ content: "tracking: https://track.example/ABC123. or www.shop.example" }), recordingActions().actions);
    const links = screen.getAllByRole("link");
    expect(links.map((link) => link.textContent)).toEqual(["https://track.example/ABC123", "www.shop.example"]);
    expect(links.map((link) => link.getAttribute("href"))).toEqual(["https://track.example/ABC123", "https://www.shop.example/"]);
    expect(links.map((link) => link.getAttribute("title"))).toEqual(["https://track.example/ABC123", "https://www.shop.example/"]);
    expect(links.every((link) => link.tagName === "A" && link.className === "message-link")).toBe(true);
    expect(links.every((link) => link.getAttribute("dir") === "auto" && link.getAttribute("draggable") === "false")).toBe(true);
    expect(document.querySelector(".content")?.textContent).toBe("tracking: https://track.example/ABC123. or www.shop.example");
  });

  it("stay plain text when the row has no actions", () => {
    const element = row(message({ content: "see https://example.com" }));
    expect(element.querySelector("a, .message-link")).toBeNull();
    expect(element.querySelector(".content")?.textContent).toBe("see https://example.com");
  });

  it("never make a link of markup or of a scheme that is not web or mail", () => {
    const element = row(
      message({ content: `<a href="javascript:alert(1)">pay</a> javascript:alert(2) data:text/html,x file:///etc/passwd` }),
      recordingActions().actions,
    );
    expect(element.querySelector("a")).toBeNull();
  });

  it("the webview never follows one: click, modified click, middle click and its menu are kept in the app", async () => {
    const { actions, calls } = recordingActions();
    const element = row(message({ content: "https://evil.example/" }), actions);
    const link = element.querySelector("a") as HTMLAnchorElement;
    expect(click(link)).toBe(false);
    dismissConfirmDialog();
    expect(click(link, { ctrlKey: true })).toBe(false);
    dismissConfirmDialog();
    expect(click(link, { shiftKey: true })).toBe(false);
    dismissConfirmDialog();
    expect(click(link, { button: 1 }, "auxclick")).toBe(false);
    expect(click(link, {}, "contextmenu")).toBe(false);
    await flush();
    expect(calls.openLink).toEqual([]);
  });
});

describe("opening a link", () => {
  it("asks first: Cancel (or Escape) opens nothing, Open does", async () => {
    const { actions, calls } = recordingActions();
    const element = row(message({ content: "tracking: https://track.example/ABC123." }), actions);
    const link = screen.getByRole("link", { name: "https://track.example/ABC123" });
    link.focus();

    // Enter on a link clicks it.
    click(link);
    const first = openDialog() as HTMLDialogElement;
    expect(modalDialogs.has(first)).toBe(true);
    expect(first.textContent).toContain("Open this link in your browser?");
    expect(first.querySelector(".link-dialog-url")?.textContent).toBe("https://track.example/ABC123");
    expect(document.activeElement?.textContent).toBe("Cancel");
    button(first, "Cancel").click();
    await flush();
    expect(openDialog()).toBeNull();
    expect(calls.openLink).toEqual([]);
    expect(document.activeElement).toBe(link);

    click(link);
    document.activeElement?.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
    await flush();
    expect(openDialog()).toBeNull();
    expect(calls.openLink).toEqual([]);
    expect(document.activeElement).toBe(link);

    click(link);
    button(openDialog() as HTMLElement, "Open").click();
    await flush();
    expect(openDialog()).toBeNull();
    expect(calls.openLink).toEqual(["https://track.example/ABC123"]);
    expect(element.querySelector("[role=alert]")?.textContent).toBe("");
  });

  it("says when the link could not open, and clears that once one opens", async () => {
    let refuse = true;
    const opened: string[] = [];
    const { actions } = recordingActions({
      openLink: async (url) => {
        if (refuse) throw { code: "LINK_REFUSED", message: "only http, https and mailto links can be opened <b>!</b>" };
        opened.push(url);
      },
    });
    const element = row(message({ content: "www.example.com" }), actions);
    const link = element.querySelector("a") as HTMLAnchorElement;
    click(link);
    button(openDialog() as HTMLElement, "Open").click();
    await flush();
    const note = element.querySelector("[role=alert]");
    expect(note?.className).toBe("link-note");
    expect(note?.textContent).toBe("Could not open the link: only http, https and mailto links can be opened <b>!</b>");
    expect(element.querySelector("b")).toBeNull();
    refuse = false;
    click(link);
    button(openDialog() as HTMLElement, "Open").click();
    await flush();
    expect(opened).toEqual(["https://www.example.com/"]);
    expect(note?.textContent).toBe("");
  });

  it("keeps keys inside the dialog", async () => {
    const element = row(message({ content: "www.example.com" }), recordingActions().actions);
    const outside = vi.fn();
    document.addEventListener("keydown", outside);
    click(element.querySelector("a") as HTMLAnchorElement);
    const open = button(openDialog() as HTMLElement, "Open");
    document.activeElement?.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", bubbles: true, cancelable: true }));
    expect(document.activeElement).toBe(open);
    document.activeElement?.dispatchEvent(new KeyboardEvent("keydown", { key: "k", ctrlKey: true, bubbles: true }));
    expect(outside).not.toHaveBeenCalled();
    document.removeEventListener("keydown", outside);
  });

  it("text that changes is linkified again", () => {
    const { actions } = recordingActions();
    let setText: (text: string) => void = () => {};
    const { container } = render(() => {
      const [text, set] = createSignal("no link");
      setText = set;
      return <LinkedText text={text()} actions={actions} onNote={() => {}} />;
    });
    expect(container.querySelector("a")).toBeNull();
    setText("now https://a.example/");
    expect(container.querySelector("a")?.getAttribute("href")).toBe("https://a.example/");
  });
});

describe("links that stay", () => {
  it("a new context with the same actions keeps the link elements (and their focus)", () => {
    const { actions } = recordingActions();
    const [found, setFound] = createSignal<string | null>(null);
    const { container } = render(() => (
      <MessageRow message={message({ content: "see https://a.example/" })} context={{ selfId: "s", onRetry: null, foundId: found(), actions }} />
    ));
    const link = container.querySelector("a") as HTMLAnchorElement;
    link.focus();
    setFound("m1");
    expect(container.querySelector("li")?.classList.contains("found")).toBe(true);
    expect(container.querySelector("a")).toBe(link);
    expect(document.activeElement).toBe(link);
  });
});

describe("the link confirmation", () => {
  it("shows the host first, in bold, then the whole URL", async () => {
    const answer = confirmOpenLink("https://track.example/ABC123?ref=shop.example.com");
    const dialog = openDialog();
    const host = dialog?.querySelector(".link-dialog-host");
    expect(host?.textContent).toBe("Opens track.example");
    expect(host?.querySelector("strong")?.textContent).toBe("track.example");
    expect(host?.querySelector("strong")?.getAttribute("dir")).toBe("ltr");
    expect(dialog?.querySelector(".link-dialog-url")?.textContent).toBe("https://track.example/ABC123?ref=shop.example.com");
    expect(dialog?.getAttribute("aria-describedby")?.split(" ")).toContain(host?.id ?? "missing");
    expect(dialog?.getAttribute("aria-describedby")?.split(" ")).toContain(dialog?.querySelector(".link-dialog-url")?.id ?? "missing");
    button(dialog as HTMLElement, "Cancel").click();
    expect(await answer).toBe(false);

    const mail = confirmOpenLink("mailto:buyer@example.com");
    expect(document.querySelector(".link-dialog-host")?.textContent).toBe("Writes to buyer@example.com");
    button(openDialog() as HTMLElement, "Cancel").click();
    expect(await mail).toBe(false);
  });

  it("names a look-alike host as the browser reads it", async () => {
    const answer = confirmOpenLink("https://пример.рф/");
    expect(document.querySelector(".link-dialog-host strong")?.textContent).toBe("xn--e1afmkfd.xn--p1ai");
    dismissConfirmDialog();
    expect(await answer).toBe(false);
  });

  it("a second dialog replaces the first, which answers no", async () => {
    const first = confirmOpenLink("https://a.example/");
    const second = confirmOpenLink("https://b.example/");
    expect(await first).toBe(false);
    expect(document.querySelectorAll("dialog")).toHaveLength(1);
    expect(openDialog()?.querySelector(".link-dialog-url")?.textContent).toBe("https://b.example/");
    button(openDialog() as HTMLElement, "Open").click();
    expect(await second).toBe(true);
  });
});
