// The timeline page in Chromium at phone width, in English, Arabic and Sorani: the day of
// ratification and both milestones, each in the Gregorian and the Hijri calendar, marked past or
// coming. Screenshots of each language, and axe-core on each.

import { launch, screenshots } from "./browser.ts";
import assert from "node:assert/strict";
import { checkAccessibility } from "./a11y.ts";

const url = process.env.CONVENE_URL!;
const election = process.env.ELECTION!;
const shots = screenshots();
const browser = await launch();
const errors: string[] = [];
const a11y: string[] = [];
const seen: string[] = [];
for (const lang of ["en", "ar", "ckb"]) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${url}/timeline/${election}?lang=${lang}`);
  await page.waitForSelector("#steps li", { timeout: 15000 }).catch(async (e) => {
    throw new Error(`${e}\n${await page.locator("main").innerText()}\n${errors.join("\n")}`);
  });
  const steps = await page.locator("#steps li").allTextContents();
  assert.equal(steps.length, 3, steps.join(" | "));
  const dates = await page.locator("#steps time").evaluateAll((els) => els.map((e) => e.getAttribute("datetime")));
  seen.push(`${lang}: ${dates.join(", ")}`);
  // The page is no wider than the phone.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "wider than the phone");
  if (lang === "ar") assert.match(steps[1], /[٠-٩]/, "Arabic-Indic digits");
  if (lang === "en") assert.match(steps[2], /1 year|one year/);
  await page.screenshot({ path: `${shots}/timeline-${lang}.png`, fullPage: true });
  a11y.push(...(await checkAccessibility(page, `timeline-${lang}`)));
  await context.close();
}
assert.deepEqual(errors, []);
assert.deepEqual(a11y, [], "accessibility");
await browser.close();
console.log(`e2e ok: timeline ${seen.join("; ")}`);
