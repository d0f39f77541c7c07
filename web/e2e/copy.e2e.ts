// The receipt and check pages against a copy of the log on another host (protocol note §13.6):
// `convene export-tiles` wrote the record's tiles, nginx serves them on another origin, and the
// pages read the signed and cosigned checkpoint, every leaf hash, and the entries from there.
// A copy with one changed byte is refused, and the page says not to trust it.

import { launch, screenshots } from "./browser.ts";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const server = process.env.CONVENE_URL!;
const election = process.env.ELECTION!;
const copy = process.env.COPY_URL!;
const badCopy = process.env.BAD_COPY_URL!;
const receiptFile = process.env.RECEIPT_FILE!;
const challenged = process.env.CHALLENGED!;
const receipt = JSON.parse(readFileSync(receiptFile, "utf8"));
const shots = screenshots();
const browser = await launch();

for (const lang of ["en", "ar", "ckb"]) {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // The copy in the address: the server's policy lets the page read that origin.
  const fragment = new URLSearchParams({ election, index: String(receipt.index), tracking: receipt.tracking_code });
  await page.goto(`${server}/receipt?lang=${lang}&election=${election}&copy=${encodeURIComponent(copy)}#${fragment}`);
  await page.locator("#receipt-file").setInputFiles(receiptFile);
  await page.locator("#receipt-form button[type=submit]").click();
  await page.waitForSelector("#receipt-message.ok, #receipt-message.error", { timeout: 20000 });
  const said = (await page.locator("#receipt-message").textContent()) ?? "";
  assert.ok(await page.locator("#receipt-message.ok").isVisible(), `${lang}: ${said}`);
  if (lang === "en") {
    assert.match(said, /Checked against the copy of the log at http/);
    assert.match(said, /3 of the election's 3 witnesses saw a log consistent/);
  }
  await page.screenshot({ path: `${shots}/${lang}-receipt-from-a-copy.png`, fullPage: true });
  assert.deepEqual(errors, []);
  console.log(`receipt ${lang}: checked against the copy`);
}

// The server's own tiles (`/logs/ID/…`) serve as a copy too.
{
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  const own = `${server}/logs/${election}`;
  const fragment = new URLSearchParams({ election, index: String(receipt.index), tracking: receipt.tracking_code });
  await page.goto(`${server}/receipt?election=${election}&copy=${encodeURIComponent(own)}#${fragment}`);
  await page.locator("#receipt-file").setInputFiles(receiptFile);
  await page.locator("#receipt-form button[type=submit]").click();
  await page.waitForSelector("#receipt-message.ok, #receipt-message.error", { timeout: 20000 });
  const said = (await page.locator("#receipt-message").textContent()) ?? "";
  assert.match(said, /Checked against the copy of the log at http:\/\/127\.0\.0\.1:\d+\/logs\//, said);
  console.log("receipt: checked against the server's own tiles");
}

// A copy typed into the form (not in the address): the page loads again with it, and checks.
// This copy has one changed byte in an entry bundle.
const bad = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
await bad.goto(`${server}/receipt?election=${election}#index=${receipt.index}&tracking=${receipt.tracking_code}`);
await bad.locator("#copy").fill(badCopy);
await bad.locator("#receipt-form button[type=submit]").click();
await bad.waitForURL(/check=1/);
await bad.waitForSelector("#receipt-message.error", { timeout: 20000 });
const refused = (await bad.locator("#receipt-message").textContent()) ?? "";
assert.match(refused, /does not match its signed checkpoint \(entry \d+ is not the tree's\): do not trust this copy/);
await bad.screenshot({ path: `${shots}/en-receipt-from-a-changed-copy.png`, fullPage: true });
console.log("receipt: a changed copy refused");

// The check page finds the challenged ballot in the copy and opens it.
for (const lang of ["en", "ar"]) {
  const check = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await check.goto(`${server}/check?lang=${lang}&election=${election}&copy=${encodeURIComponent(copy)}#tracking=${challenged}`);
  await check.locator("#check-form button[type=submit]").click();
  await check.waitForSelector("#check-message.ok, #check-message.error", { timeout: 20000 });
  const opened = (await check.locator("#check-message").textContent()) ?? "";
  assert.ok(await check.locator("#check-message.ok").isVisible(), `${lang}: ${opened}`);
  if (lang === "en") assert.match(opened, /The opened ballot is genuine: it says/);
  await check.screenshot({ path: `${shots}/${lang}-check-from-a-copy.png`, fullPage: true });
  console.log(`check ${lang}: the challenged ballot opened from the copy`);
}
await browser.close();
console.log("e2e ok: copy");
