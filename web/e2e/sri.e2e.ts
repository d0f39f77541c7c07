// Two front ends before a real server. One swaps the booth's script: the browser refuses to run it
// (Subresource Integrity), while the same page from the honest server runs and shows the
// election's fingerprint. The other serves another election key: the booth refuses to encrypt.

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

// The fake key: the booth recomputes K from the ceremony's commitments and refuses.
const fake = await open(process.env.FAKE_KEY_URL!);
await fake.page.waitForSelector("#signin-message:not([hidden])");
await fake.page.screenshot({ path: `${shots}/fake-key-booth.png`, fullPage: true });
assert.match((await fake.page.locator("#signin-message").textContent()) ?? "", /election-key/);
assert.ok(await fake.page.locator("#signin-button").isDisabled(), "sign-in must be refused");
assert.ok(await fake.page.locator("#fingerprint").isHidden());
// The honest booth shows the election's fingerprint.
assert.match((await honest.page.locator("#fingerprint-value").textContent()) ?? "", /^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
await honest.page.screenshot({ path: `${shots}/honest-booth-fingerprint.png`, fullPage: true });
console.log("e2e ok: the booth refused the fake key");
await browser.close();
