// axe-core in the real app's webview, through WebDriver.
//
// How it gets in: the app's CSP (tauri.conf.json) has script-src 'self', so the page cannot load
// a script from anywhere else, and no <script> may be added. WebDriver's Execute Script is not
// subject to it: WebKitWebDriver evaluates the script as a function in the page through its
// automation session, not as a script element or an eval of the page's. So injectAxe sends the
// source text of ui/node_modules/axe-core/axe.min.js as the body of one Execute Script; axe sets
// window.axe, and runAxe calls axe.run with Execute Async Script. The app itself never loads axe.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT } from "./harness.mjs";

const AXE_SOURCE = join(ROOT, "ui", "node_modules", "axe-core", "axe.min.js");

/** WCAG 2.2 A and AA, as axe-core tags its rules. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
export const IMPACTS = ["critical", "serious", "moderate", "minor"];

let source = null;

/** Puts axe-core into the page (again after a reload; a no-op while it is there). */
export async function injectAxe(webdriver) {
  source ??= await readFile(AXE_SOURCE, "utf8");
  const present = await webdriver.execute("return typeof window.axe === 'object' && typeof window.axe.run === 'function';");
  if (present) return;
  const loaded = await webdriver.execute(`${source}\n;return typeof window.axe === "object" ? window.axe.version : null;`);
  if (!loaded) throw new Error("axe-core did not load in the page");
}

/**
 * Runs the WCAG 2.2 AA rules on the whole document; resolves with the violations, each
 * { id, impact, help, helpUrl, nodes: [{ target, html, summary }] }.
 */
export async function runAxe(webdriver) {
  await injectAxe(webdriver);
  const outcome = await webdriver.executeAsync(
    `const [tags, done] = arguments;
     window.axe
       .run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })
       .then((results) => done({ violations: results.violations.map((v) => ({
         id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
         nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 300), summary: n.failureSummary })),
       })) }))
       .catch((error) => done({ error: String((error && error.stack) || error) }));`,
    [WCAG_TAGS],
  );
  if (outcome?.error) throw new Error(`axe.run failed: ${outcome.error}`);
  return outcome.violations;
}

/** Violated rules per impact, and the elements they were found on. */
export function countByImpact(violations) {
  const counts = Object.fromEntries(IMPACTS.map((impact) => [impact, { rules: 0, nodes: 0 }]));
  for (const violation of violations) {
    const slot = counts[violation.impact] ?? counts.minor;
    slot.rules += 1;
    slot.nodes += violation.nodes.length;
  }
  return counts;
}

/** The violations that block: serious or critical. */
export function blocking(violations) {
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** One line per violation, with where, for an assertion message. */
export function describeViolations(violations) {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target}  ${n.html}\n      ${(n.summary ?? "").replace(/\n/g, "\n      ")}`).join("\n")}`)
    .join("\n");
}

/** A Markdown table: one row per screen, rules (elements) per impact, and the rule ids. */
export function impactTable(rows) {
  const header = `| screen | ${IMPACTS.join(" | ")} | rules |\n| --- | ${IMPACTS.map(() => "---:").join(" | ")} | --- |`;
  const lines = rows.map(({ screen, violations }) => {
    const counts = countByImpact(violations);
    const cells = IMPACTS.map((impact) => (counts[impact].rules === 0 ? "0" : `${counts[impact].rules} (${counts[impact].nodes})`));
    const ids = violations.map((v) => `${v.id} (${v.impact})`).join(", ") || "none";
    return `| ${screen} | ${cells.join(" | ")} | ${ids} |`;
  });
  return [header, ...lines].join("\n");
}
