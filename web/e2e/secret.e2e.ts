// A secret vote run from the assembly page. MODE=open: the chair (Arabic) opens a secret ballot
// on motion 1; the vote links to its referendum's booth. (The test then runs the referendum:
// trustees, the delegates' own keys, encrypted ballots, the count.) MODE=close: the chair closes
// the vote with the published counts, and a delegate's page (English) shows it adopted.

import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { checkAccessibility } from "./a11y.ts";

const url = process.env.CONVENE_URL!;
const convention = process.env.CONVENTION!;
const shots = process.env.SCREENSHOTS!;
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function open(lang: string, key: string) {
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  await page.goto(`${url}/assembly/${convention}?lang=${lang}`);
  await page.waitForSelector("#motions article");
  await page.locator("#key").fill(key);
  await page.locator("#signin-form button").click();
  await page.waitForSelector("#message.ok");
  return page;
}

const chair = await open("ar", process.env.CHAIR!);
if (process.env.MODE === "open") {
  const form = chair.locator("#motions article").first().locator("form.inline");
  await form.locator("select").nth(4).selectOption("secret");
  await form.locator("button").click();
  await chair.waitForSelector("#votes article.open a");
  const href = await chair.locator("#votes article.open a").getAttribute("href");
  assert.ok(href?.startsWith(`/vote/${convention}-vote-1`), href ?? "");
  await chair.screenshot({ path: `${shots}/assembly-ar-8-secret-vote-open.png`, fullPage: true });
  assert.deepEqual(await checkAccessibility(chair, "secret-open"), []);
} else {
  await chair.locator("#votes article.open > button").click();
  await chair.waitForSelector("#votes article:not(.open)");
  const delegate = await open("en", process.env.DELEGATE!);
  await delegate.waitForSelector("text=Adopted");
  const history = await delegate.locator("#constitution article .history").textContent();
  assert.ok(history?.includes("by secret ballot in referendum"), history ?? "");
  await delegate.screenshot({ path: `${shots}/assembly-en-9-secret-vote-closed.png`, fullPage: true });
}
await browser.close();
console.log(`e2e ok: secret ${process.env.MODE}`);
