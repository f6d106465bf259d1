import { describe, expect, it } from "vitest";
import { MAX_LINK_CANDIDATES, linkDestination, linkHref, linkNotFoundText, linkWork, linkify } from "./linkify";

/** Characters looked at while linkifying `text`. */
function workFor(text: string): number {
  linkWork.steps = 0;
  linkify(text);
  return linkWork.steps;
}

/** Hostile shapes a buyer can write, repeated to `size` characters. */
const SHAPES: Record<string, (size: number) => string> = {
  closers: (size) => "https://x.y/" + ")".repeat(size),
  mixedClosers: (size) => "https://x.y/" + ")]}".repeat(size / 3),
  openersThenClosers: (size) => "https://x.y/" + "(".repeat(size / 2) + ")".repeat(size / 2),
  trailingPunctuation: (size) => "https://x.y/" + ".,;:!?)".repeat(size / 7),
  manyLinks: (size) => "https://a.b/c) ".repeat(size / 15),
  schemesGlued: (size) => "https://".repeat(size / 8),
  wwwGlued: (size) => "www.".repeat(size / 4),
  rejectedWww: (size) => "awww.x ".repeat(size / 7),
  longPath: (size) => "https://x.y/" + "a".repeat(size),
};

describe("finding links", () => {
  it("finds http(s), mailto and www links and leaves the punctuation after them", () => {
    expect(linkify("see https://example.com/a?b=1#c.")).toEqual([
      { text: "see ", href: null },
      { text: "https://example.com/a?b=1#c", href: "https://example.com/a?b=1#c" },
      { text: ".", href: null },
    ]);
    expect(linkify("(at www.example.com/shop), thanks!")).toEqual([
      { text: "(at ", href: null },
      { text: "www.example.com/shop", href: "https://www.example.com/shop" },
      { text: "), thanks!", href: null },
    ]);
    expect(linkify("wiki https://en.wikipedia.org/wiki/Foo_(bar) ok")[1]).toEqual({
      text: "https://en.wikipedia.org/wiki/Foo_(bar)",
      href: "https://en.wikipedia.org/wiki/Foo_(bar)",
    });
    expect(linkify("Mail mailto:buyer@example.com, or HTTP://EXAMPLE.com!")).toEqual([
      { text: "Mail ", href: null },
      { text: "mailto:buyer@example.com", href: "mailto:buyer@example.com" },
      { text: ", or ", href: null },
      { text: "HTTP://EXAMPLE.com", href: "http://example.com/" },
      { text: "!", href: null },
    ]);
    expect(linkify('"https://a.example/x" and https://b.example/y?')).toEqual([
      { text: '"', href: null },
      { text: "https://a.example/x", href: "https://a.example/x" },
      { text: '" and ', href: null },
      { text: "https://b.example/y", href: "https://b.example/y" },
      { text: "?", href: null },
    ]);
    // Not links: the scheme alone, words that contain www., e-mail addresses, other schemes.
    for (const text of ["http:// nothing", "awww.example.com", "me@www.example.com", "x.www.example.com", "ftp://example.com", "buyer@example.com"]) {
      expect(linkify(text).every((part) => part.href === null), text).toBe(true);
      expect(
        linkify(text)
          .map((p) => p.text)
          .join(""),
      ).toBe(text);
    }
    expect(linkify("")).toEqual([]);
  });

  it("never makes javascript:, data:, file: or app links", () => {
    for (const text of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(document.cookie)",
      "data:text/html,<script>alert(1)</script>",
      "file:///etc/passwd",
      "sellerdesk://order/1",
      "vbscript:msgbox(1)",
    ]) {
      expect(linkify(text), text).toEqual([{ text, href: null }]);
      expect(linkHref(text), text).toBeNull();
    }
    // A web address inside a javascript: string is only that web address.
    const parts = linkify("javascript:alert('http://x.example')");
    expect(parts.filter((p) => p.href !== null)).toEqual([{ text: "http://x.example", href: "http://x.example/" }]);
    expect(parts.map((p) => p.text).join("")).toBe("javascript:alert('http://x.example')");
  });
});

describe("linkifying hostile text", () => {
  it("keeps a link whose closing brackets all trail it, in one pass", () => {
    const text = "https://x.y/" + ")".repeat(200_000);
    expect(linkify(text)).toEqual([
      { text: "https://x.y/", href: "https://x.y/" },
      { text: ")".repeat(200_000), href: null },
    ]);
    // Looked at about twice per character (count, then walk back), not once per character
    // per character.
    expect(workFor(text)).toBeLessThan(3 * text.length);
  });

  it.each(Object.keys(SHAPES))("work grows in step with the length: %s", (shape) => {
    const make = SHAPES[shape] as (size: number) => string;
    const small = make(256 * 1024);
    const large = make(512 * 1024);
    const one = workFor(small);
    const two = workFor(large);
    // Linear: twice the text, about twice the work (a quadratic scan would be 4x), and a few
    // steps per character at most.
    expect(two).toBeLessThanOrEqual(2.5 * Math.max(one, 1));
    expect(two).toBeLessThan(4 * large.length);
  });

  it("a 1 MiB message of every shape renders (figure printed, not asserted)", () => {
    const parts = Object.values(SHAPES).map((make) => make(1024 * 1024 / Object.keys(SHAPES).length));
    const text = parts.join(" ");
    const started = performance.now();
    const found = linkify(text);
    const took = performance.now() - started;
    console.info(`linkify of ${(text.length / 1024 / 1024).toFixed(2)} MiB of hostile shapes: ${took.toFixed(1)} ms, ${found.length} parts`);
    expect(found.map((p) => p.text).join("")).toBe(text);
  });

  it("parses a bounded number of candidates per message; the rest stays text", () => {
    const text = "https://a.b/c ".repeat(MAX_LINK_CANDIDATES + 50);
    const parts = linkify(text);
    expect(parts.filter((p) => p.href !== null)).toHaveLength(MAX_LINK_CANDIDATES);
    expect(parts.map((p) => p.text).join("")).toBe(text);
    expect(parts.at(-1)?.href).toBeNull();
  });

  it("leaves a link longer than any browser needs as text", () => {
    const text = "https://x.y/" + "a".repeat(10_000);
    expect(linkify(text)).toEqual([{ text, href: null }]);
  });
});

describe("where a link leads", () => {
  it("does not offer a link that hides its host behind a user name", () => {
    for (const text of ["https://paypal.com@evil.test/", "https://paypal.com:pw@evil.test/pay", "http://a@b.example"]) {
      expect(linkHref(text), text).toBeNull();
      expect(linkify(text), text).toEqual([{ text, href: null }]);
    }
  });

  it("names the host the link opens, as the browser reads it", () => {
    expect(linkDestination("https://shop.example.com/a?b=1")).toBe("shop.example.com");
    expect(linkDestination("https://пример.рф/")).toBe("xn--e1afmkfd.xn--p1ai");
    expect(linkDestination("mailto:buyer@example.com?subject=x")).toBe("buyer@example.com");
    expect(linkDestination("mailto:a%E2%80%AEb@example.com")).toBe("a\uFFFDb@example.com");
  });
});

describe("a link to something the cache does not have", () => {
  it("says not found, and never what the link named", () => {
    expect(linkNotFoundText("order")).toBe("Link not followed: that order was not found");
    expect(linkNotFoundText("conversation")).toBe("Link not followed: that conversation was not found");
    expect(linkNotFoundText("<img src=x onerror=alert(1)>")).toBe("Link not followed: that conversation was not found");
  });
});
