// The IntersectionObserver path, in its own file: the observer is shared by the module.
import { cleanup, render } from "@solidjs/testing-library";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { flush } from "../../components/dialog.test-util";
import { image, recordingActions } from "./actions.test-util";
import { Attachment } from "./Attachment";
import { clearPreviewCache } from "./previews";

/** What the page's observer was asked to watch, and a way to scroll an element into view. */
class FakeObserver {
  static last: FakeObserver | null = null;
  readonly watched = new Set<Element>();
  constructor(
    private readonly callback: IntersectionObserverCallback,
    readonly options?: IntersectionObserverInit,
  ) {
    FakeObserver.last = this;
  }
  observe(element: Element): void {
    this.watched.add(element);
  }
  unobserve(element: Element): void {
    this.watched.delete(element);
  }
  disconnect(): void {
    this.watched.clear();
  }
  /** `element` comes near the view. */
  show(element: Element): void {
    const entry = { target: element, isIntersecting: true } as IntersectionObserverEntry;
    this.callback([entry], this as unknown as IntersectionObserver);
  }
}

beforeAll(() => {
  globalThis.IntersectionObserver = FakeObserver as unknown as typeof IntersectionObserver;
});

afterEach(() => {
  cleanup();
  clearPreviewCache();
});

describe("previews wait for the row to come near the view", () => {
  it("fetches only once the frame is near the view, once", async () => {
    const { actions, calls } = recordingActions();
    const { container } = render(() => <Attachment messageId="m1" attachment={image} actions={actions} autoLoad index={0} />);
    const frame = container.querySelector(".attachment-preview") as Element;
    await flush();
    expect(calls.preview).toEqual([]);
    const observer = FakeObserver.last as FakeObserver;
    expect(observer.options?.rootMargin).toBe("300px 0px");
    expect(observer.watched.has(frame)).toBe(true);
    observer.show(frame);
    await flush();
    expect(calls.preview).toEqual([image.url]);
    expect(observer.watched.has(frame)).toBe(false);
    expect(container.querySelector("img")).not.toBeNull();
  });

  it("a row that leaves first stops being watched and never fetches", async () => {
    const { actions, calls } = recordingActions();
    const { container, unmount } = render(() => <Attachment messageId="m1" attachment={image} actions={actions} autoLoad index={0} />);
    const frame = container.querySelector(".attachment-preview") as Element;
    const observer = FakeObserver.last as FakeObserver;
    expect(observer.watched.has(frame)).toBe(true);
    unmount();
    expect(observer.watched.has(frame)).toBe(false);
    // A late notice for it starts nothing.
    observer.show(frame);
    await flush();
    expect(calls.preview).toEqual([]);
  });
});
