// A front end that swaps the booth's script: the browser refuses to run it (Subresource
// Integrity), so the booth never starts; the same page from the honest server runs.

import { launch, screenshots } from "./browser.ts";
import assert from "node:assert/strict";

const election = process.env.ELECTION!;
const shots = screenshots();
const browser = await launch();

const open = async (base: string) => {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  const console: string[] = [];
  page.on("console", (m) => console.push(m.text()));
  await page.goto(`${base}/vote/${election}`);
  return { page, console };
};

const honest = await open(process.env.CONVENE_URL!);
await honest.page.waitForFunction(() => (document.getElementById("title")?.textContent ?? "") !== "");
assert.notEqual(await honest.page.title(), "swapped");

const swapped = await open(process.env.SWAPPED_URL!);
await swapped.page.waitForTimeout(2000);
await swapped.page.screenshot({ path: `${shots}/sri-swapped-booth.png`, fullPage: true });
assert.equal(await swapped.page.locator("#title").textContent(), "", "the swapped script must not run");
assert.notEqual(await swapped.page.title(), "swapped");
assert.ok(swapped.console.some((m) => m.includes("integrity")), swapped.console.join("\n"));
console.log("e2e ok: the swapped booth script was refused");
await browser.close();
