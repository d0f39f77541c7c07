// Accessibility checks with axe-core (from npm, injected into the page): every page must have no
// violation of WCAG 2.1 A/AA rules, of any severity (minor and moderate too).

import type { Page } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export async function checkAccessibility(page: Page, name: string): Promise<string[]> {
  // Evaluated by the browser's debugging protocol, not as an inline <script>: the pages' Content
  // Security Policy (no inline script) stays in force for everything they do themselves.
  await page.evaluate(axeSource);
  const violations: { id: string; impact: string; nodes: unknown[] }[] = await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: any) => n.target) }));
  });
  return violations.map((v) => `${name}: ${v.id} (${v.impact}) at ${JSON.stringify(v.nodes)}`);
}
