// A secret vote run from the assembly page. MODE=open: the chair (Arabic) opens a secret ballot
// on motion 1; the vote links to its referendum's booth. (The test then runs the referendum:
// trustees, the delegates' own keys, encrypted ballots, the count.) MODE=close: the chair closes
// the vote with the published counts, and a delegate's page (English) shows it adopted.

import { assemblyAs, launch, screenshots } from "./browser.ts";
import assert from "node:assert/strict";
import { checkAccessibility } from "./a11y.ts";

const url = process.env.CONVENE_URL!;
const convention = process.env.CONVENTION!;
const shots = screenshots();
const browser = await launch();

const open = (lang: string, key: string) => assemblyAs(browser, convention, lang, key);

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
