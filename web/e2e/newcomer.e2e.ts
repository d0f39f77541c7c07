// `convene serve --demo`: a newcomer opens the front page and votes in the demonstration
// referendum, in English, Arabic and Kurdish (Sorani) — front page, Vote, a demonstration voter, a choice,
// encrypt, cast, receipt verified. Prints how long each took (measured, not asserted).

import { launch, screenshots } from "./browser.ts";
import assert from "node:assert/strict";
import { checkAccessibility } from "./a11y.ts";

const url = process.env.CONVENE_URL!;
const shots = screenshots();

const browser = await launch();
for (const lang of ["en", "ar", "ckb"]) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${url}/?lang=${lang}`);
  await page.waitForSelector("#elections a.button");
  await page.screenshot({ path: `${shots}/newcomer-${lang}-1-front-page.png`, fullPage: true });
  assert.deepEqual(await checkAccessibility(page, `front-page-${lang}`), [], "accessibility");
  await page.locator("#elections a.button").first().click();
  await page.waitForSelector("#demo-box:not([hidden])");
  await page.screenshot({ path: `${shots}/newcomer-${lang}-2-booth.png`, fullPage: true });
  // A demonstration code may have been used already: take another until one signs in.
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.locator("#demo-button").click();
    await page.locator("#signin-button").click();
    const outcome = await Promise.race([
      page.waitForSelector("#choose-section:not([hidden])").then(() => "in"),
      page.waitForSelector("#signin-message.error").then(() => "again"),
    ]);
    if (outcome === "in") break;
  }
  // The election speaks the page's language: its manifest carries the title and the question
  // in Arabic and Sorani.
  const question = { en: "Do you approve the constitution", ar: "هل توافق على الدستور", ckb: "ئایا ئەو دەستوورە پەسەند دەکەیت" }[lang]!;
  assert.ok((await page.locator("#questions legend").first().textContent())?.startsWith(question), await page.locator("#questions legend").first().textContent() ?? "");
  assert.notEqual(await page.locator("#title").textContent(), lang === "en" ? "" : "Ratification of the constitution (demonstration)");
  await page.locator('#questions input[value="yes"]').check();
  await page.locator("#questions-form button[type=submit]").click();
  await page.locator("#review-encrypt").click();
  await page.locator("#cast-button").click();
  await page.waitForSelector("#receipt-message.ok");
  // Numbers in the language's digits: Arabic-Indic for Arabic and Sorani.
  const said = (await page.locator("#receipt-message").textContent())!;
  if (lang !== "en") assert.ok(/[٠-٩]/.test(said) && !/[0-9]/.test(said), said);
  await page.screenshot({ path: `${shots}/newcomer-${lang}-3-voted.png`, fullPage: true });
  console.log(`newcomer ${lang}: voted and verified the receipt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await context.close();
}
await browser.close();
console.log("e2e ok: newcomer");
