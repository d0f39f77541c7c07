// A conference of states in Chromium, at phone width: the chair (English) opens a vote by
// consensus; the head of one delegation (Arabic) objects, and every page shows the text blocked;
// the head withdraws the objection; the chair closes the vote and the communiqué shows the
// paragraph. The head of another delegation follows in Sorani. Screenshots of each step in each
// language, and axe-core on every page.

import type { Page } from "playwright-core";
import { assemblyAs, launch, screenshots } from "./browser.ts";
import assert from "node:assert/strict";
import { checkAccessibility } from "./a11y.ts";

const convention = process.env.CONVENTION!;
const chairKey = process.env.CHAIR!;
const heads: string[] = JSON.parse(process.env.HEADS!);
const shots = screenshots();

const browser = await launch();
const errors: string[] = [];
const a11y: string[] = [];

const chair = await assemblyAs(browser, convention, "en", chairKey, errors);
const objector = await assemblyAs(browser, convention, "ar", heads[1], errors);
const follower = await assemblyAs(browser, convention, "ckb", heads[2], errors);
const all = async (name: string) => {
  for (const [lang, page] of [["en", chair], ["ar", objector], ["ckb", follower]] as [string, Page][]) {
    await page.screenshot({ path: `${shots}/conference-${lang}-${name}.png`, fullPage: true });
    a11y.push(...(await checkAccessibility(page, `conference-${lang}-${name}`)));
  }
};
await all("1-signed-in");
assert.match((await objector.locator("#role").textContent())!, /رئيس وفد/);

// The chair opens a vote by consensus on the motion (consensus is a conference's first rule).
const form = chair.locator("#motions article form.inline").first();
assert.equal(await form.locator("select").first().inputValue(), "consensus");
await form.locator("button").click();
await objector.waitForSelector("#votes article.open button");
await all("2-consensus-open");

// The head of the second delegation objects: the text cannot pass.
await objector.locator("#votes article.open button").click();
await objector.waitForSelector("text=وفدك معترض");
await chair.waitForFunction(() => document.querySelector("#votes article.open")?.textContent?.includes("one objection standing"));
await all("3-objection-standing");

// The objection is withdrawn: the text passes; the chair closes the vote.
await objector.locator("#votes article.open button").click();
await chair.waitForFunction(() => document.querySelector("#votes article.open")?.textContent?.includes("withdrawn"));
await chair.locator("#votes article.open > button").click();
await chair.waitForSelector("#votes article:not(.open)");
await follower.waitForSelector("#constitution article");
await all("4-adopted-communique");
assert.deepEqual(errors, []);
assert.deepEqual(a11y, [], "accessibility");
await browser.close();
console.log("e2e ok: conference");
