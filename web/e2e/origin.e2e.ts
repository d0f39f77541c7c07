// The booth as a static copy on another origin (`convene export-booth`, served by nginx): on an
// origin the election's manifest lists, a voter signs in, encrypts and casts through CORS and
// the receipt checks, there and again on the copy's receipt page; on an origin it does not list,
// the browser is refused the API's answers.

import { launch, screenshots } from "./browser.ts";
import assert from "node:assert/strict";

const election = process.env.ELECTION!;
const voter = JSON.parse(process.env.VOTER!);
const shots = screenshots();
const browser = await launch();

const listed = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
await listed.goto(`${process.env.LISTED_URL}/vote.html?election=${election}`);
await listed.waitForSelector("#title:not(:empty)");
await listed.locator("#code").fill(voter.code);
await listed.locator("#key").fill(voter.credential);
await listed.locator("#key").press("Enter");
await listed.waitForSelector("#choose-section:not([hidden])");
await listed.locator(`#questions input[value="yes"]`).check();
await listed.locator("#questions-form button[type=submit]").click();
await listed.locator("#review-encrypt").click();
await listed.waitForSelector("#encrypted-section:not([hidden])");
await listed.locator("#cast-button").click();
await listed.waitForSelector("#receipt-message.ok");
await listed.screenshot({ path: `${shots}/static-booth-cast.png`, fullPage: true });
console.log("e2e ok: cast from the listed origin");
// The receipt page of the same static copy checks the kept receipt against the server's log.
const receiptHref = (await listed.locator("#receipt-link").getAttribute("href")) ?? "";
assert.match(receiptHref, /^receipt\.html\?election=/);
await listed.goto(new URL(receiptHref, listed.url()).href);
await listed.locator("#receipt-form button[type=submit]").click();
await listed.waitForSelector("#receipt-message.ok, #receipt-message.error", { timeout: 20000 });
const checked = (await listed.locator("#receipt-message").textContent()) ?? "";
assert.ok(await listed.locator("#receipt-message.ok").isVisible(), checked);
await listed.screenshot({ path: `${shots}/static-receipt-checked.png`, fullPage: true });
console.log("e2e ok: the static copy's receipt page checked the receipt");

const unlisted = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
await unlisted.goto(`${process.env.UNLISTED_URL}/vote.html?election=${election}`);
await unlisted.waitForSelector("#signin-message:not([hidden])");
assert.equal(await unlisted.locator("#title").textContent(), "");
assert.match((await unlisted.locator("#signin-message").textContent()) ?? "", /cannot reach the election's server/);
await unlisted.screenshot({ path: `${shots}/static-booth-unlisted-origin.png`, fullPage: true });
console.log("e2e ok: refused on an unlisted origin");
await browser.close();
