// The public results page, in English and Arabic: the verdict, the rule's conditions, the table
// per region and nationally, and the map of the regions.

import { launch, screenshots } from "./browser.ts";
import assert from "node:assert/strict";
import { checkAccessibility } from "./a11y.ts";

const url = process.env.CONVENE_URL!;
const election = process.env.ELECTION!;
const shots = screenshots();

const browser = await launch();
for (const [lang, width] of [["en", 1000], ["ar", 390], ["ckb", 390]] as const) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${url}/results/${election}?lang=${lang}`);
  await page.waitForSelector("#table-body tr");
  await page.waitForSelector("#map svg path.locality");
  const rows = await page.locator("#table-body tr").count();
  const polygons = await page.locator("#map svg path.locality").count();
  const outcome = await page.locator("#outcome").textContent();
  const conditions = await page.locator("#conditions li").count();
  console.log(`results ${lang}: ${rows} rows, ${polygons} localities on the map, ${conditions} conditions, outcome: ${outcome}`);
  assert.ok(rows >= 2 && polygons >= 1 && conditions >= 1 && outcome);
  // Every region on the map is reached by the keyboard and named with its share; its colour
  // agrees with the legend: red below half yes, blue above; a legend explains the scale.
  const regions = page.locator("#map svg g[tabindex='0']");
  assert.ok((await regions.count()) >= 2, "regions the keyboard reaches");
  for (const region of await regions.all()) {
    assert.ok(((await region.getAttribute("aria-label")) ?? "").length > 0);
    const share = await region.getAttribute("data-share");
    if (share === null) continue;
    const [r, , b] = ((await region.locator("path.locality").first().getAttribute("fill")) ?? "").match(/\d+/g)!.map(Number);
    if (Number(share) < 0.5) assert.ok(r > b, `a region with ${share} yes is red`);
    if (Number(share) > 0.5) assert.ok(b > r, `a region with ${share} yes is blue`);
  }
  assert.equal(await page.locator("#map .legend-scale .scale-bar").count(), 1, "the scale has a legend");
  await page.keyboard.press("Tab");
  await regions.first().focus();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("tabindex")), "0");
  // The rule's conditions are said in the page's language, with their figures.
  const first = (await page.locator("#conditions li").first().textContent())!;
  assert.ok(first.startsWith({ en: "Approval", ar: "الموافقة", ckb: "پەسەندکردن" }[lang]), first);
  await page.screenshot({ path: `${shots}/results-${lang}.png`, fullPage: true });
  assert.deepEqual(await checkAccessibility(page, `results-${lang}`), [], "accessibility");
  assert.deepEqual(errors, []);
  await page.close();
}
// The convention that made it: revenue scenarios as a chart, voting power, the constitution.
const convention = process.env.CONVENTION;
if (convention) {
  // Article 1 reads in the page's language where the record has a translation of its adopted text.
  const rights: Record<string, RegExp> = { en: /48 hours without seeing a judge/, ar: /٤٨ ساعة دون أن يمثل أمام قاضٍ/, ckb: /٤٨ کاتژمێر بێ بینینی دادوەر/ };
  for (const lang of ["en", "ar", "ckb"]) {
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${url}/assembly/${convention}?lang=${lang}`);
    await page.waitForSelector("#revenue svg rect");
    await page.waitForSelector("#power tbody tr");
    const bars = await page.locator("#revenue svg rect").count();
    const regions = await page.locator("#power tbody tr").count();
    const articles = await page.locator("#constitution article").count();
    console.log(`assembly ${lang}: ${bars} revenue bars, ${regions} delegations' power, ${articles} articles`);
    const first = page.locator("#constitution article").first();
    assert.match((await first.locator(".text").first().textContent())!, rights[lang]);
    assert.equal(await first.locator(".translation").count(), lang === "en" ? 0 : 1, `article 1 is translated into ${lang}`);
    await first.screenshot({ path: `${shots}/assembly-${lang}-article-1.png` });
    await page.locator("#revenue-title").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/assembly-${lang}-revenue-power-constitution.png`, fullPage: true });
    await page.locator("section:has(#revenue)").screenshot({ path: `${shots}/assembly-${lang}-revenue.png` });
    await page.locator("section:has(#power)").screenshot({ path: `${shots}/assembly-${lang}-power.png` });
    assert.deepEqual(errors, []);
    await page.close();
  }
}
// The booth shows the text to ratify in the voter's language: the convention's official
// translation, checked against its hash in the manifest; and the adopted text in English.
for (const [lang, words] of [["ar", "حق تقرير المصير"], ["ckb", "مافی چارەی خۆنووسین"], ["en", "Self-determination of the south"]]) {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await page.goto(`${url}/vote/${election}?lang=${lang}`);
  await page.waitForSelector("#text-section:not([hidden])");
  const text = (await page.locator("#constitution").textContent()) ?? "";
  assert.ok(text.includes(words), `${lang}: ${text.slice(0, 200)}`);
  assert.equal(await page.locator("#constitution h2").count(), 5, "the articles are headings, rendered from Markdown");
  await page.screenshot({ path: `${shots}/booth-text-${lang}.png`, fullPage: true });
  await page.context().close();
}
await browser.close();
console.log("e2e ok: results");
