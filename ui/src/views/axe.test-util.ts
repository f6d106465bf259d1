// axe-core's WCAG 2.2 AA rules on a rendered screen in jsdom: a quick check before the e2e run
// in the real webview (jsdom has no layout, so contrast is left to that run).

import axe from "axe-core";

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** The serious and critical violations in `root`, as "rule: html" lines. */
export async function seriousViolations(root: Element): Promise<string[]> {
  const results = await axe.run(root, {
    runOnly: { type: "tag", values: WCAG_TAGS },
    rules: { "color-contrast": { enabled: false } },
    resultTypes: ["violations"],
  });
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((node) => `${v.id}: ${node.html.slice(0, 120)}`));
}
