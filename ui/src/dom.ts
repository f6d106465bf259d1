// The only way this UI creates elements. Strings always become text nodes, never markup, so a
// server string like "<img onerror=…>" shows as those characters and cannot run.

export type Child = Node | string | number | null | undefined | false;

export type Attrs = {
  class?: string;
  title?: string;
  /** `data-*`, `aria-*`, `role`, `type`, `id`, … set with setAttribute (values are not parsed as HTML). */
  [attribute: string]: string | number | boolean | undefined;
};

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (/^on/i.test(name)) throw new Error(`use addEventListener, not the ${name} attribute`);
    element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content with `children` (as text or nodes). */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * Makes `parent`'s children exactly `elements`, in order, moving only what changed: rows that
 * stay are not detached, so the browser does not restyle and relayout them (a list whose window
 * moves by a few rows touches only those rows).
 */
export function syncChildren(parent: Element, elements: readonly Element[]): void {
  const wanted = new Set(elements);
  for (const child of Array.from(parent.children)) if (!wanted.has(child)) child.remove();
  let cursor = parent.firstElementChild;
  for (const element of elements) {
    if (cursor === element) {
      cursor = cursor.nextElementSibling;
      continue;
    }
    parent.insertBefore(element, cursor);
  }
}
