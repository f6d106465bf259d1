// The stylesheet's rules for text that scales and colours that read: checked on the file itself
// (the e2e suite runs axe-core on the real app; this catches a regression before a build).

import { describe, expect, it } from "vitest";

// Read from disk through Node (vitest does not load CSS as text); typed here, as the UI's
// TypeScript has no Node types.
const { readFileSync } = (await import(/* @vite-ignore */ `node:${"fs"}`)) as {
  readFileSync(path: string, encoding: "utf8"): string;
};
const here = decodeURIComponent(import.meta.url.replace(/^file:\/\//, ""));
const css = readFileSync(here.replace(/[^/]*$/, "styles.css"), "utf8");

type Declaration = { selector: string; media: string; property: string; value: string };

/** Every declaration of the sheet, with its selector and enclosing media condition. */
function declarations(): Declaration[] {
  const style = document.createElement("style");
  style.textContent = css;
  document.head.append(style);
  const out: Declaration[] = [];
  const walk = (rules: CSSRuleList, media: string) => {
    for (const rule of Array.from(rules)) {
      if (rule instanceof CSSMediaRule) walk(rule.cssRules, rule.media.mediaText);
      else if (rule instanceof CSSStyleRule) {
        for (const property of Array.from(rule.style)) {
          out.push({ selector: rule.selectorText, media, property, value: rule.style.getPropertyValue(property) });
        }
      }
    }
  };
  walk(style.sheet?.cssRules ?? ([] as unknown as CSSRuleList), "");
  style.remove();
  return out;
}

const all = declarations();

describe("sizes scale with the text", () => {
  it("the root is 100% (the desktop's text size) and body text is in rem", () => {
    const root = all.find((d) => d.selector === ":root" && d.media === "" && d.property === "font-size");
    expect(root?.value).toBe("100%");
    expect(all.find((d) => d.selector === "body" && d.property === "font-size")?.value).toMatch(/rem$/);
  });

  it("px only for borders, outlines and shadows (and 1-2px hairline offsets)", () => {
    const decorative = /^(border(-(top|right|bottom|left))?(-width)?|border-(top|right|bottom|left)|outline|outline-width|outline-offset|box-shadow|--shadow)$/;
    const offenders = all.filter((d) => {
      if (decorative.test(d.property)) return false;
      const pxs = [...d.value.matchAll(/(-?\d*\.?\d+)px/g)].map((m) => Math.abs(Number(m[1])));
      return pxs.some((px) => px > 2);
    });
    expect(offenders).toEqual([]);
  });

  it("no font size, padding, margin, gap, radius or box size in px (1px hairlines aside)", () => {
    const sized = /^(font-size|padding|margin|gap|row-gap|column-gap|border-radius|width|height|min-|max-|line-height|top|right|bottom|left|inset)/;
    const absolute = (value: string) => [...value.matchAll(/(-?\d*\.?\d+)(px|pt)\b/g)].some((m) => Math.abs(Number(m[1])) > 1);
    expect(all.filter((d) => sized.test(d.property) && absolute(d.value) && !/calc\(/.test(d.value))).toEqual([]);
  });

  it("rows and bars have minimum heights, not fixed ones, so they grow with their text", () => {
    const grows = [".conversation-list > li", ".conversation", ".topbar", ".statusbar", ".conversation-header", ".search-input"];
    for (const selector of grows) {
      const own = all.filter((d) => d.selector.split(",").map((s) => s.trim()).includes(selector));
      expect(own.filter((d) => d.property === "height"), selector).toEqual([]);
    }
    const rows = (selector: string) => all.find((d) => d.selector === selector && d.property === "grid-template-rows")?.value ?? "";
    for (const selector of ["#app", ".conversation-pane"]) {
      expect(rows(selector).replace(/minmax\(0(px)?, 1fr\)/g, "").trim().split(/\s+/), selector).toEqual(["auto", "auto"]);
    }
    expect(all.filter((d) => d.selector === ".conversation-title" && d.property === "line-height")).toEqual([]);
  });

  it("the bars do not cut text: no nowrap-and-hidden on them", () => {
    for (const selector of [".statusbar", ".topbar", ".problem", ".conversation-name", ".server"]) {
      const own = all.filter((d) => d.selector === selector);
      const cuts = own.some((d) => d.property === "white-space" && d.value === "nowrap") && own.some((d) => d.property.startsWith("overflow") && d.value === "hidden");
      expect(cuts, selector).toBe(false);
      expect(own.some((d) => d.property === "text-overflow"), selector).toBe(false);
    }
  });
});

// WCAG 2.x relative luminance and contrast ratio.
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The colour variables of one scheme (dark: the light ones overridden by the dark block). */
function palette(scheme: "light" | "dark"): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const d of all) {
    if (d.selector !== ":root" || !d.property.startsWith("--")) continue;
    const dark = d.media.includes("prefers-color-scheme: dark");
    if (d.media === "" || (scheme === "dark" && dark)) vars[d.property.slice(2)] = d.value.trim();
  }
  return vars;
}

// [foreground, background, minimum]: text 4.5:1; control boundaries and status dots 3:1.
const PAIRS: [string, string, number][] = [
  ["text", "bg", 4.5],
  ["text", "surface", 4.5],
  ["muted", "bg", 4.5],
  ["muted", "surface", 4.5],
  ["muted", "surface-2", 4.5],
  ["muted", "accent-soft", 4.5],
  ["muted", "danger-soft", 4.5],
  ["accent", "surface", 4.5],
  ["accent", "surface-2", 4.5],
  ["accent", "accent-soft", 4.5],
  ["accent", "bg", 4.5],
  ["accent", "their-bubble", 4.5],
  ["accent-text", "accent", 4.5],
  ["own-text", "own-bubble", 4.5],
  ["read", "own-bubble", 4.5],
  ["danger", "surface", 4.5],
  ["danger", "danger-soft", 4.5],
  ["danger-text", "danger", 4.5],
  ["warn", "surface", 4.5],
  ["control-border", "surface", 3],
  ["control-border", "bg", 3],
  ["control-border", "surface-2", 3],
  ["ok", "surface", 3],
];

describe.each(["light", "dark"] as const)("colours meet WCAG 2.2 AA (%s)", (scheme) => {
  const colours = palette(scheme);
  it.each(PAIRS)("%s on %s", (fg, bg, minimum) => {
    const [a, b] = [colours[fg], colours[bg]];
    expect(a, fg).toMatch(/^#[0-9a-f]{6}$/i);
    expect(b, bg).toMatch(/^#[0-9a-f]{6}$/i);
    expect(contrast(a ?? "", b ?? "")).toBeGreaterThanOrEqual(minimum);
  });
});
