import { describe, expect, it } from "vitest";
import { ZOOM_DEFAULT, ZOOM_MAX, ZOOM_MIN, ZOOM_STEPS, applyZoom, appliedZoom, clampZoom, zoomFor } from "./zoom";

const press = (init: KeyboardEventInit) => new KeyboardEvent("keydown", init);
const ctrl = (key: string, code: string, extra: KeyboardEventInit = {}) => press({ key, code, ctrlKey: true, ...extra });

describe("zoomFor", () => {
  it("Ctrl+= and Ctrl++ (shifted = on US layouts, its own key elsewhere) step up", () => {
    expect(zoomFor(ctrl("=", "Equal"), 100)).toBe(110);
    expect(zoomFor(ctrl("+", "Equal", { shiftKey: true }), 110)).toBe(125);
    expect(zoomFor(ctrl("+", "BracketRight"), 125)).toBe(150);
  });

  it("Ctrl+- (and Ctrl+_ with Shift) steps down", () => {
    expect(zoomFor(ctrl("-", "Minus"), 100)).toBe(90);
    expect(zoomFor(ctrl("_", "Minus", { shiftKey: true }), 90)).toBe(80);
  });

  it("the keypad's + - 0 work whatever Num Lock makes their key", () => {
    expect(zoomFor(ctrl("+", "NumpadAdd"), 100)).toBe(110);
    expect(zoomFor(ctrl("-", "NumpadSubtract"), 100)).toBe(90);
    expect(zoomFor(ctrl("0", "Numpad0"), 175)).toBe(ZOOM_DEFAULT);
    expect(zoomFor(ctrl("Insert", "Numpad0"), 175)).toBe(ZOOM_DEFAULT);
  });

  it("Ctrl+0 resets to 100%", () => {
    expect(zoomFor(ctrl("0", "Digit0"), 200)).toBe(100);
    expect(zoomFor(ctrl("0", "Digit0"), 50)).toBe(100);
  });

  it("⌘ works like Ctrl (macOS)", () => {
    expect(zoomFor(press({ key: "=", code: "Equal", metaKey: true }), 100)).toBe(110);
    expect(zoomFor(press({ key: "-", code: "Minus", metaKey: true }), 100)).toBe(90);
    expect(zoomFor(press({ key: "0", code: "Digit0", metaKey: true }), 150)).toBe(100);
  });

  it("stops at 200% and 50%, still claiming the key", () => {
    expect(zoomFor(ctrl("=", "Equal"), ZOOM_MAX)).toBe(ZOOM_MAX);
    expect(zoomFor(ctrl("-", "Minus"), ZOOM_MIN)).toBe(ZOOM_MIN);
  });

  it("walks every step from 50% to 200% and back", () => {
    let at: number = ZOOM_MIN;
    const up: number[] = [at];
    while (at < ZOOM_MAX) up.push((at = zoomFor(ctrl("=", "Equal"), at) ?? -1));
    expect(up).toEqual([...ZOOM_STEPS]);
    const down: number[] = [at];
    while (at > ZOOM_MIN) down.push((at = zoomFor(ctrl("-", "Minus"), at) ?? -1));
    expect(down).toEqual([...ZOOM_STEPS].reverse());
  });

  it("a value between steps moves to the next step in that direction", () => {
    expect(zoomFor(ctrl("=", "Equal"), 120)).toBe(125);
    expect(zoomFor(ctrl("-", "Minus"), 120)).toBe(110);
    expect(zoomFor(ctrl("=", "Equal"), 1000)).toBe(ZOOM_MAX);
    expect(zoomFor(ctrl("-", "Minus"), 3)).toBe(ZOOM_MIN);
  });

  it("anything else is no zoom: plain keys, Alt or AltGr, other Ctrl shortcuts", () => {
    expect(zoomFor(press({ key: "=", code: "Equal" }), 100)).toBeNull();
    expect(zoomFor(press({ key: "-", code: "NumpadSubtract" }), 100)).toBeNull();
    expect(zoomFor(press({ key: "0", code: "Digit0", altKey: true }), 100)).toBeNull();
    expect(zoomFor(ctrl("+", "BracketRight", { altKey: true }), 100)).toBeNull();
    expect(zoomFor(ctrl("k", "KeyK"), 100)).toBeNull();
    expect(zoomFor(ctrl("1", "Digit1"), 100)).toBeNull();
  });
});

describe("clampZoom", () => {
  it("keeps whole percents within 50..200, and the default for nonsense", () => {
    expect(clampZoom(125)).toBe(125);
    expect(clampZoom(124.6)).toBe(125);
    expect(clampZoom(10)).toBe(50);
    expect(clampZoom(900)).toBe(200);
    expect(clampZoom(Number.NaN)).toBe(100);
    expect(clampZoom(Number.POSITIVE_INFINITY)).toBe(100);
  });
});

describe("applyZoom", () => {
  it("sets the root font size in percent through the CSSOM, clamped, and clears it at 100%", () => {
    const root = document.documentElement;
    expect(applyZoom(150)).toBe(150);
    expect(root.style.fontSize).toBe("150%");
    expect(applyZoom(400)).toBe(200);
    expect(root.style.fontSize).toBe("200%");
    expect(applyZoom(100)).toBe(100);
    expect(root.style.fontSize).toBe("");
    expect(root.getAttribute("style") ?? "").toBe("");
  });

  it("can size another root (a test's container)", () => {
    const element = document.createElement("div");
    applyZoom(75, element);
    expect(element.style.fontSize).toBe("75%");
  });
});

describe("appliedZoom", () => {
  it("reads back what applyZoom set, so key presses step from what is on screen", () => {
    const root = document.createElement("div");
    expect(appliedZoom(root)).toBe(100);
    applyZoom(175, root);
    expect(appliedZoom(root)).toBe(175);
    expect(zoomFor(ctrl("=", "Equal"), appliedZoom(root))).toBe(200);
    applyZoom(100, root);
    expect(appliedZoom(root)).toBe(100);
    root.style.fontSize = "12px";
    expect(appliedZoom(root)).toBe(100);
  });

  it("steps a sequence of presses from each result, not from the saved value", () => {
    const root = document.createElement("div");
    for (const [key, code, expected] of [["=", "Equal", 110], ["=", "Equal", 125], ["-", "Minus", 110], ["0", "Digit0", 100]] as const) {
      const next = zoomFor(ctrl(key, code), appliedZoom(root));
      applyZoom(next ?? -1, root);
      expect(appliedZoom(root), key).toBe(expected);
    }
  });
});
