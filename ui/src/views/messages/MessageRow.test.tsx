import { cleanup, render } from "@solidjs/testing-library";
import { For } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { afterEach, describe, expect, it } from "vitest";
import type { MessageView } from "../../bindings/MessageView";
import { message } from "../../fixtures.test-util";
import { shortTime } from "../../format";
import { file, image, recordingActions } from "./actions.test-util";
import { type MessageContext, isOwn } from "./context";
import { MessageRow } from "./MessageRow";
import { clearPreviewCache } from "./previews";

const hostile = `<img src=x onerror="window.pwned=1"> <script>window.pwned=2</script> <a href="javascript:alert(3)">x</a>`;

function context(overrides: Partial<MessageContext> = {}): MessageContext {
  return { selfId: "seller-1", onRetry: null, foundId: null, ...overrides };
}

function row(m: MessageView, overrides: Partial<MessageContext> = {}): HTMLElement {
  const { container } = render(() => <MessageRow message={m} context={context(overrides)} />);
  return container.firstElementChild as HTMLElement;
}

afterEach(() => {
  cleanup();
  clearPreviewCache();
  delete (window as { pwned?: number }).pwned;
});

describe("the row", () => {
  it("renders the row the thread, the e2e tests and the perf scripts select", () => {
    const element = row(message({ id: "m1", content: "hi there", timestamp: "2026-11-26T06:49:09.823Z" }));
    expect(element.tagName).toBe("LI");
    expect(element.className).toBe("message theirs");
    expect(element.getAttribute("data-message-id")).toBe("m1");
    expect(element.getAttribute("data-status")).toBe("sent");
    expect(Array.from(element.children, (child) => `${child.tagName.toLowerCase()}.${child.className}`)).toEqual([
      "span.sender",
      "span.content",
      "span.link-note",
      "span.meta",
    ]);
    expect(element.querySelector(".sender")?.textContent).toBe("Buyer");
    expect(element.querySelector(".content")?.textContent).toBe("hi there");
    expect(element.querySelector(".link-note")?.getAttribute("role")).toBe("alert");
    const time = element.querySelector(".meta time");
    expect(time?.getAttribute("datetime")).toBe("2026-11-26T06:49:09.823Z");
    expect(time?.textContent).toBe(shortTime("2026-11-26T06:49:09.823Z"));
    expect(element.querySelector(".attachments, .failure, .tick")).toBeNull();
  });

  it("gives buyer text its own direction", () => {
    const element = row(message({ content: "مرحبا https://shop.example/a", sender: { id: "b1", name: "שלום", avatar: "" } }), {
      actions: recordingActions().actions,
    });
    expect(element.querySelector(".content")?.getAttribute("dir")).toBe("auto");
    expect(element.querySelector(".sender")?.getAttribute("dir")).toBe("auto");
    expect(element.querySelector("a.message-link")?.getAttribute("dir")).toBe("auto");
  });

  it("renders markup from the server as text, never as elements", () => {
    const element = row(message({ content: hostile, sender: { id: "b1", name: "<b>Mallory</b>", avatar: "" } }), {
      actions: recordingActions().actions,
    });
    expect(element.querySelector("img, script, a, b")).toBeNull();
    expect(element.querySelector(".content")?.textContent).toBe(hostile);
    expect(element.querySelector(".sender")?.textContent).toBe("<b>Mallory</b>");
    expect((window as { pwned?: number }).pwned).toBeUndefined();
  });

  it("marks own unsent and failed messages, with ticks only on own messages", () => {
    const { container } = render(() => (
      <ol>
        <For
          each={[
            message({ id: "m1" }),
            message({ id: "m2", sender: { id: "seller-1", name: "Me", avatar: "" }, status: "read", own: true }),
            message({ id: "q1", status: "queued", clientMessageId: "q1", own: true }),
            message({ id: "s1", status: "sending", clientMessageId: "s1", own: true }),
            message({ id: "f1", sender: { id: "", name: "You", avatar: "" }, status: "failed", clientMessageId: "f1", failure: "CONVERSATION_CLOSED", own: true }),
          ]}
        >
          {(m) => <MessageRow message={m} context={context()} />}
        </For>
      </ol>
    ));
    const byId = (id: string) => container.querySelector(`[data-message-id="${id}"]`) as HTMLElement;
    expect(byId("m1").className).toBe("message theirs");
    expect(byId("m1").querySelector(".tick")).toBeNull();
    expect(byId("m2").className).toBe("message own");
    expect(byId("m2").querySelector(".sender")).toBeNull();
    const read = byId("m2").querySelector(".tick");
    expect(read?.className).toBe("tick read");
    expect(read?.textContent).toBe("✓✓");
    expect(read?.getAttribute("title")).toBe("Read");
    expect(read?.getAttribute("aria-label")).toBe("Read");
    expect(byId("q1").className).toBe("message own unsent");
    expect(byId("q1").querySelector(".tick")?.getAttribute("aria-label")).toBe("Queued: sends when connected");
    expect(byId("s1").querySelector(".tick.pending")?.textContent).toBe("◷");
    expect(byId("f1").className).toBe("message own unsent failed");
    expect(byId("f1").querySelector(".failure")?.textContent).toBe("Not sent: CONVERSATION_CLOSED");
    expect(byId("f1").querySelector(".tick.failed")?.textContent).toBe("!");
    // No retry without a handler.
    expect(byId("f1").querySelector("button")).toBeNull();
  });

  it("marks the message opened from search", () => {
    expect(row(message({ id: "m5" }), { foundId: "m5" }).className).toBe("message theirs found");
    cleanup();
    expect(row(message({ id: "m5" }), { foundId: "m6" }).className).toBe("message theirs");
  });

  it("shows read as delivered when the seller hides read receipts", () => {
    const element = row(message({ status: "read", own: true }), { hideReadReceipts: true });
    expect(element.querySelector(".tick")?.className).toBe("tick delivered");
    expect(element.querySelector(".tick")?.getAttribute("aria-label")).toBe("Delivered");
    // The row still says what it is.
    expect(element.getAttribute("data-status")).toBe("read");
  });

  it("names its attachments", () => {
    const one = row(message({ attachments: [file] }));
    expect(one.querySelector("ul.attachments")?.getAttribute("aria-label")).toBe("Attachment");
    cleanup();
    const two = row(message({ attachments: [file, image] }));
    expect(two.querySelector("ul.attachments")?.getAttribute("aria-label")).toBe("2 attachments");
    expect(Array.from(two.querySelectorAll("ul.attachments > li"), (li) => li.className)).toEqual(["attachment file", "attachment image"]);
    // The attachments come between the text and the time.
    expect(Array.from(two.children, (child) => child.className)).toEqual(["sender", "content", "link-note", "attachments", "meta"]);
  });
});

describe("a refused message", () => {
  it("shows why and retries by its client message id", () => {
    const retried: string[] = [];
    const element = row(
      message({ id: "c-9", clientMessageId: "c-9", status: "failed", failure: "INVALID_PAYLOAD: content too long", own: true }),
      { onRetry: (id) => retried.push(id) },
    );
    const failure = element.querySelector(".failure");
    expect(failure?.textContent).toBe("Not sent: INVALID_PAYLOAD: content too long · Retry");
    const retry = element.querySelector<HTMLButtonElement>("button.retry-message");
    expect(retry?.getAttribute("aria-label")).toBe("Retry sending this message");
    expect(retry?.className).toBe("link retry-message");
    retry?.click();
    expect(retried).toEqual(["c-9"]);
    // The note comes before the time.
    expect(Array.from(element.children, (child) => child.className)).toEqual(["content", "link-note", "failure", "meta"]);
  });

  it("offers no retry for a message without a client message id", () => {
    const element = row(message({ status: "failed", own: true }), { onRetry: () => {} });
    expect(element.querySelector(".failure")?.textContent).toBe("Not sent");
    expect(element.querySelector("button")).toBeNull();
  });
});

describe("who wrote a message", () => {
  it("a buyer's message carrying a forged clientMessageId renders as theirs", () => {
    const forged = message({ id: "m9", clientMessageId: "forged-client-id", status: "read", own: false });
    expect(isOwn(forged)).toBe(false);
    const element = row(forged);
    expect(element.classList.contains("theirs")).toBe(true);
    expect(element.classList.contains("own")).toBe(false);
    expect(element.querySelector(".sender")?.textContent).toBe("Buyer");
    expect(element.querySelector(".tick")).toBeNull();
  });

  it("goes by what the core decided, not by the sender id shown", () => {
    // The echo of this device's outbox message, from a server naming another sender id.
    const echo = message({ id: "m10", sender: { id: "alias", name: "Me", avatar: "" }, clientMessageId: "c-1", own: true });
    expect(isOwn(echo)).toBe(true);
    const element = row(echo);
    expect(element.classList.contains("own")).toBe(true);
    expect(element.querySelector(".sender")).toBeNull();
    expect(element.querySelector(".tick")).not.toBeNull();
  });
});

describe("live updates", () => {
  it("a new status changes the tick and the classes in place: the row and its text are kept", () => {
    const [thread, setThread] = createStore({
      messages: [message({ id: "q1", content: "on its way", status: "queued", clientMessageId: "q1", own: true })],
    });
    const shared = context();
    const { container } = render(() => (
      <ol>
        <For each={thread.messages}>{(m) => <MessageRow message={m} context={shared} />}</For>
      </ol>
    ));
    const element = container.querySelector("li.message") as HTMLElement;
    const content = element.querySelector(".content") as HTMLElement;
    const text = content.firstChild;
    const meta = element.querySelector(".meta");
    expect(element.className).toBe("message own unsent");
    expect(element.querySelector(".tick")?.getAttribute("aria-label")).toBe("Queued: sends when connected");

    const update = (status: string, id = "q1") =>
      setThread("messages", reconcile([message({ id, content: "on its way", status, clientMessageId: "q1", own: true })], { key: "id" }));
    update("sending");
    const tick = element.querySelector(".tick");
    expect(tick?.getAttribute("aria-label")).toBe("Sending…");
    update("sent");
    expect(container.querySelector("li.message")).toBe(element);
    expect(element.className).toBe("message own");
    expect(element.getAttribute("data-status")).toBe("sent");
    // The tick element itself is updated, not replaced.
    expect(element.querySelector(".tick")).toBe(tick);
    expect(tick?.className).toBe("tick sent");
    expect(tick?.textContent).toBe("✓");
    update("read");
    expect(tick?.className).toBe("tick read");
    expect(tick?.textContent).toBe("✓✓");
    expect(element.querySelector(".content")).toBe(content);
    expect(content.firstChild).toBe(text);
    expect(element.querySelector(".meta")).toBe(meta);
  });

  it("a refusal that arrives adds the note; a retry that succeeds takes it away", () => {
    const [thread, setThread] = createStore({ message: message({ id: "q1", status: "sending", clientMessageId: "q1", own: true }) });
    const { container } = render(() => <MessageRow message={thread.message} context={context({ onRetry: () => {} })} />);
    const element = container.firstElementChild as HTMLElement;
    expect(element.querySelector(".failure")).toBeNull();
    setThread("message", reconcile(message({ id: "q1", status: "failed", failure: "RATE_LIMITED", clientMessageId: "q1", own: true })));
    expect(container.firstElementChild).toBe(element);
    expect(element.className).toBe("message own unsent failed");
    expect(element.querySelector(".failure")?.textContent).toBe("Not sent: RATE_LIMITED · Retry");
    setThread("message", reconcile(message({ id: "q1", status: "sent", clientMessageId: "q1", own: true })));
    expect(element.querySelector(".failure")).toBeNull();
    expect(element.className).toBe("message own");
  });

  it("follows a context that changes (the found message, hidden read receipts)", () => {
    const [shared, setShared] = createStore<MessageContext>(context());
    const { container } = render(() => <MessageRow message={message({ id: "m3", status: "read", own: true })} context={shared} />);
    const element = container.firstElementChild as HTMLElement;
    expect(element.querySelector(".tick")?.className).toBe("tick read");
    setShared({ foundId: "m3", hideReadReceipts: true });
    expect(container.firstElementChild).toBe(element);
    expect(element.className).toBe("message own found");
    expect(element.querySelector(".tick")?.className).toBe("tick delivered");
  });
});
