// Lighthouse (performance and accessibility, its default mobile emulation and simulated
// throttling) on pages of a running Convene server, in Debian's Chromium: one line per page with
// the two scores and the cumulative layout shift. Used by bench/lighthouse.sh.
// Usage: node scripts/lighthouse.mjs URL...   ($CHROMIUM: the browser, default /usr/bin/chromium)

import lighthouse from "lighthouse";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const port = 9333;
const profile = mkdtempSync(join(tmpdir(), "convene-lighthouse-"));
const chromium = spawn(process.env.CHROMIUM ?? "/usr/bin/chromium", [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, "about:blank",
], { stdio: "ignore" });
try {
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/json/version`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  for (const url of process.argv.slice(2)) {
    const result = await lighthouse(url, { port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility"] });
    const lhr = result.lhr;
    const score = (c) => Math.round(lhr.categories[c].score * 100);
    const cls = lhr.audits["cumulative-layout-shift"].numericValue;
    const failing = Object.values(lhr.audits).filter((a) => a.score !== null && a.score < 1 && lhr.categories.accessibility.auditRefs.some((r) => r.id === a.id && r.weight > 0));
    const shifts = (lhr.audits["layout-shifts"]?.details?.items ?? []).map((i) => `${i.node?.selector ?? "?"} ${i.score.toFixed(3)}`);
    if (process.env.SHIFTS && shifts.length) console.log(`  shifted: ${shifts.join("; ")}`);
    console.log(`${url}: performance ${score("performance")}, accessibility ${score("accessibility")}, CLS ${cls.toFixed(3)}, LCP ${Math.round(lhr.audits["largest-contentful-paint"].numericValue)} ms${failing.length ? `; accessibility audits failing: ${failing.map((a) => a.id).join(", ")}` : ""}`);
  }
} finally {
  const exited = new Promise((resolve) => chromium.once("exit", resolve));
  chromium.kill();
  await exited;
  rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
}
