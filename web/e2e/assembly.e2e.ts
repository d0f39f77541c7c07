// The assembly in Chromium: a delegate (English) proposes an amendment, shown as a diff; the chair
// (Arabic) sees it arrive live, opens a vote on it; the delegates vote from their own pages,
// which show the open vote without reloading (server-sent events); the chair closes it and
// both pages show it adopted. Screenshots of each step, from both pages.

import type { Page } from "playwright-core";
import { assemblyAs, launch, screenshots } from "./browser.ts";
import assert from "node:assert/strict";
import { checkAccessibility } from "./a11y.ts";

const url = process.env.CONVENE_URL!;
const convention = process.env.CONVENTION!;
const chairKey = process.env.CHAIR!;
const delegates: string[] = JSON.parse(process.env.DELEGATES!);
const shots = screenshots();

const browser = await launch();
const errors: string[] = [];

const open = (lang: string, key: string) => assemblyAs(browser, convention, lang, key, errors);

const a11y: string[] = [];
const both = async (name: string, delegate: Page, chair: Page) => {
  await delegate.screenshot({ path: `${shots}/assembly-en-${name}.png`, fullPage: true });
  await chair.screenshot({ path: `${shots}/assembly-ar-${name}.png`, fullPage: true });
  a11y.push(...(await checkAccessibility(delegate, `assembly-en-${name}`)), ...(await checkAccessibility(chair, `assembly-ar-${name}`)));
};

const delegate = await open("en", delegates[0]);
const chair = await open("ar", chairKey);
await both("1-signed-in", delegate, chair);

// The delegate translates the motion into Arabic; the chair's Arabic page shows it live, the
// original folded beneath.
const translate = async (version: string, text: string) => {
  const form = delegate.locator("#motions article").first().locator("details", { hasText: "Give a translation" });
  if (!(await form.getAttribute("open"))) await form.locator("summary").click();
  await form.getByLabel("Language").fill("ar");
  await form.getByLabel("Title").fill("الحقوق");
  await form.getByLabel("Text").fill(text);
  await form.getByRole("button", { name: "Give the translation" }).click();
  await delegate.waitForSelector("#message.ok");
  await chair.waitForFunction((v) => document.querySelector("#motions article .translation .text")?.textContent?.includes(v), version);
};
await translate("الأولى", "الصيغة الأولى.");
assert.match((await chair.locator("#motions article").first().locator("h3").textContent())!, /الحقوق/);
await both("1b-translated", delegate, chair);

// A refusal of the convention's state machine is said in the page's language: the server sends
// its code and arguments (refusal-translation_empty), not only its English sentence. Spaces pass
// the form's `required`, and the state machine refuses a translation with no title or text.
{
  const arabic = await open("ar", delegates[1]);
  const form = arabic.locator("#motions article").first().locator("details:has(form)").first();
  await form.locator("summary").click();
  await form.locator("input").nth(1).fill(" ");
  await form.locator("textarea").fill(" ");
  await form.locator("button[type=submit]").click();
  await arabic.waitForSelector("#message.error");
  const said = (await arabic.locator("#message").textContent()) ?? "";
  assert.match(said, /تحتاج الترجمة إلى عنوان ونص/, said);
  assert.doesNotMatch(said, /[a-z]{4}/, `no English words: ${said}`);
  await arabic.screenshot({ path: `${shots}/assembly-ar-refused.png`, fullPage: true });
  a11y.push(...(await checkAccessibility(arabic, "assembly-ar-refused")));
  await arabic.context().close();
}

// The delegate proposes an amendment: line 2 becomes another line.
const rights = delegate.locator("#motions article").first();
await rights.locator("details", { hasText: "Propose an amendment" }).locator("summary").click();
await rights.getByLabel("From line").fill("2");
await rights.getByLabel("To line").fill("2");
await rights.getByLabel("Replacement lines").fill("No one shall be held without seeing a judge within 48 hours.");
await rights.getByRole("button", { name: "Propose" }).click();
await delegate.waitForSelector("#message.ok");
// The chair's page shows the amendment's diff without reloading.
await chair.waitForSelector("pre.diff .added");
assert.match((await chair.locator("pre.diff .added").textContent())!, /48 hours/);
await both("2-amendment-proposed", delegate, chair);

// The chair opens a vote on the amendment: simple majority of members present, a quorum of
// half, and a majority in every regional delegation too.
const ruleForm = chair.locator(".amendment form.inline");
await ruleForm.locator("select").nth(1).selectOption("1/2");
await ruleForm.locator("select").nth(2).selectOption("yes");
await ruleForm.locator("button").click();
await chair.waitForSelector("#votes article.open");
const conditions = await chair.locator("#votes article.open li").allTextContents();
// The chair's page is Arabic: the conditions are said in Arabic from their data (the quorum,
// the southern delegation's majority), with the region's own name.
assert.ok(conditions.some((c) => c.includes("النصاب")) && conditions.some((c) => c.includes("وفد south")), conditions.join(" | "));
assert.ok(!conditions.some((c) => /quorum|needs|present/.test(c)), `no English: ${conditions.join(" | ")}`);
// Every delegate votes from their own page; the first one's page learnt of the vote live.
await delegate.waitForSelector("#votes article.open button");
await both("3-vote-open", delegate, chair);
await delegate.getByRole("button", { name: "Yes" }).click();
await delegate.waitForSelector("text=You voted: Yes");
for (const key of delegates.slice(1)) {
  const other = await open("en", key);
  await other.waitForSelector("#votes article.open button");
  await other.getByRole("button", { name: "Yes" }).click();
  await other.waitForSelector("text=You voted: Yes");
  await other.context().close();
}
await chair.waitForFunction(() => document.querySelector("#votes article.open p")?.textContent?.includes("٣"));
await both("4-votes-cast", delegate, chair);

// The chair closes the vote with the result the server computed; both pages show it adopted.
await chair.locator("#votes article.open > button").click();
// The Arabic page says in Arabic that its event is on the record (the server's summary is English).
await chair.waitForFunction(() => /قُبل: .*[٠-٩]/.test(document.querySelector("#message.ok")?.textContent ?? ""));
await delegate.waitForSelector("text=Adopted");
await chair.waitForSelector("#votes article:not(.open)");
await both("5-closed-adopted", delegate, chair);
// The adopted amendment changed the text: the Arabic translation is out of date and not shown,
// until the delegate translates the amended text.
await chair.waitForSelector("#motions article:first-child p.note");
assert.equal(await chair.locator("#motions article").first().locator(".translation").count(), 0);
await translate("المعدّلة", "الصيغة المعدّلة.");
await both("5b-translated-again", delegate, chair);
// A ranked vote on the structure between two motions: every delegate ranks, the chair closes it,
// and the Schulze winner is adopted.
const ranked = chair.locator("form:has(legend)").last();
await ranked.locator('input[value="2"]').check();
await ranked.locator('input[value="3"]').check();
await ranked.locator("button").click();
await delegate.waitForSelector("#votes article.open select");
await both("6-ranked-vote-open", delegate, chair);
for (const [k, key] of delegates.entries()) {
  const page = k === 0 ? delegate : await open("en", key);
  await page.waitForSelector("#votes article.open select");
  const first = k === 2 ? "0" : "1";
  await page.locator("#votes article.open select").nth(0).selectOption(first);
  await page.locator("#votes article.open select").nth(1).selectOption(first === "1" ? "0" : "1");
  await page.getByRole("button", { name: "Send my ranking" }).click();
  await page.waitForSelector("text=Your ranking is in.");
  if (k > 0) await page.context().close();
}
await chair.locator("#votes article.open > button").click();
await delegate.waitForSelector("#votes article:first-child:not(.open)");
await chair.waitForSelector("#constitution article");
await both("7-ranked-vote-closed", delegate, chair);
assert.deepEqual(errors, []);
assert.deepEqual(a11y, [], "accessibility");
await browser.close();
console.log("e2e ok: assembly");
