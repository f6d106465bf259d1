// Work that waits until an element comes near the view: one shared IntersectionObserver for all
// rows, so a thread of hundreds of previews costs one observer.

/** How far outside the view an element counts as near (previews load just before they show). */
const NEAR_VIEW = "300px 0px";

let observer: IntersectionObserver | null = null;
const waiting = new WeakMap<Element, () => void>();

function sharedObserver(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer?.unobserve(entry.target);
        const start = waiting.get(entry.target);
        waiting.delete(entry.target);
        start?.();
      }
    },
    { rootMargin: NEAR_VIEW },
  );
  return observer;
}

/**
 * Runs `start` once, when `element` comes near the view (soon, where that cannot be observed).
 * Returns what stops the wait (the element left the thread): `start` then never runs.
 */
export function whenNearView(element: Element, start: () => void): () => void {
  if (typeof IntersectionObserver === "undefined") {
    let cancelled = false;
    queueMicrotask(() => {
      if (!cancelled) start();
    });
    return () => {
      cancelled = true;
    };
  }
  const shared = sharedObserver();
  waiting.set(element, start);
  shared.observe(element);
  return () => {
    if (!waiting.has(element)) return;
    waiting.delete(element);
    shared.unobserve(element);
  };
}
