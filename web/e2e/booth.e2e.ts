// End to end in Debian's Chromium, driven by Playwright (playwright-core; no browser is
// downloaded): for each language, a voter signs in, challenges a ballot and checks it on a second
// device (a separate browser context), then votes again and casts, and the receipt verifies in the
// browser. Every request that casts is captured and must carry no plaintext choice. Screenshots
// of each step go to $SCREENSHOTS.
//
// Driven by crates/convene/tests/it/browser.rs, which starts the server, opens the election and
// passes the voters in $VOTERS (JSON: [{lang, credential, codes, answer}]).

import type { Page, Request } from "playwright-core";
import { launch, screenshots } from "./browser.ts";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { checkAccessibility } from "./a11y.ts";

interface Voter {
  lang: "en" | "ar" | "ckb";
  credential: string;
  codes: string[];
  answer: "yes" | "no";
  /** The phone's width in CSS pixels. */
  width: number;
  /** The address in the sheet's QR code, when this voter scans it instead of typing. */
  qr?: string;
  /** The code comes on a slip whose QR code the booth reads with the camera ($FAKE_CAMERA). */
  slip?: boolean;
}

/** The answers' words, as each language's booth says them. */
const WORDS = { en: { yes: "Yes", no: "No" }, ar: { yes: "نعم", no: "لا" }, ckb: { yes: "بەڵێ", no: "نەخێر" } };
const CODE_LABEL = { en: "One-time code", ar: "الرمز لمرة واحدة", ckb: "کۆدی یەکجاری" };

const url = process.env.CONVENE_URL!;
const election = process.env.ELECTION!;
const voters: Voter[] = JSON.parse(process.env.VOTERS!);
const shots = screenshots();

const browser = await launch();

const a11y: string[] = [];

/** Pages wider than the screen, by screenshot name and overflow in pixels. */
const overflow: string[] = [];

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  a11y.push(...(await checkAccessibility(page, name)));
  const wider = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (wider > 0) overflow.push(`${name}: ${wider} px wider than the screen`);
}

const casts: { body: string; lang: string; answer: string }[] = [];
const challenges: { body: string; lang: string }[] = [];

for (const voter of voters) {
  // A small phone's screen.
  const device = await browser.newContext({ viewport: { width: voter.width, height: 844 }, deviceScaleFactor: 1, permissions: ["camera"] });
  const page = await device.newPage();
  page.on("request", (request: Request) => {
    if (request.method() === "POST" && request.url().endsWith("/ballots")) {
      const body = request.postData() ?? "";
      if (JSON.parse(body).kind === "cast") casts.push({ body, lang: voter.lang, answer: voter.answer });
      if (JSON.parse(body).kind === "spoiled") challenges.push({ body, lang: voter.lang });
    }
  });
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));

  if (voter.qr) {
    // The sheet's QR code opens the booth with the credential and the code in the fragment: the
    // page reads them, then removes them from the address bar and the history.
    await page.goto(voter.qr);
    await page.waitForSelector("#title:not(:empty)");
    assert.equal(await page.evaluate(() => location.hash), "", "the fragment is gone from the address");
    assert.ok(!page.url().includes("#"), page.url());
    // The blank tab and the booth: the fragment's address was replaced, not kept as an entry.
    assert.equal(await page.evaluate(() => history.length), 2);
    assert.equal(await page.locator("#key").inputValue(), voter.credential);
    assert.equal(await page.getAttribute("html", "lang"), voter.lang, "the sheet's QR code opens its language");
    await shot(page, `${voter.lang}-1-signin-from-qr`);
    if (voter.slip) {
      // The sheet held the credential only; the code issuer's slip is read by the camera.
      assert.equal(await page.locator("#code").inputValue(), "");
      await page.locator("#scan-button").click();
      await page.waitForFunction(() => (document.getElementById("code") as HTMLInputElement).value !== "", null, { timeout: 20000 });
      assert.equal(await page.locator("#scan-video").isHidden(), true, "the camera stops once the code is read");
      await shot(page, `${voter.lang}-1c-code-from-camera`);
    }
    assert.equal(await page.locator("#code").inputValue(), voter.codes[0]);
    // Nothing typed: sign in.
    await page.locator("#signin-button").click();
  } else {
    await page.goto(`${url}/vote/${election}?lang=${voter.lang}`);
    await page.waitForSelector("#title:not(:empty)");
    assert.equal(await page.getAttribute("html", "dir"), voter.lang === "en" ? "ltr" : "rtl");
    await shot(page, `${voter.lang}-1-signin`);

    // Keyboard only: the labels name the fields. A mistyped key (another voter's) is refused
    // before the code is spent.
    const codeField = page.getByLabel(CODE_LABEL[voter.lang]);
    await codeField.fill(voter.codes[0]);
    await page.locator("#key").fill(voters.find((v) => v !== voter)!.credential);
    await page.locator("#key").press("Enter");
    await page.waitForSelector("#signin-message.error:not([hidden])");
    assert.equal(await page.locator("#choose-section").isHidden(), true, "a wrong key signs nobody in");
    // A typo in the credential is caught by its check characters before anything is sent.
    const typo = voter.credential.replace(/^./, (c) => (c === "A" ? "B" : "A"));
    await page.locator("#key").fill(typo);
    await page.locator("#key").press("Enter");
    await page.waitForSelector("#signin-message.error:not([hidden])");
    if (voter.lang === "en") assert.match((await page.locator("#signin-message").textContent())!, /mistyped/);
    await shot(page, `${voter.lang}-1b-signin-typo`);
    // The same code then signs in, typed as a person reads the sheet: in groups, in lower case,
    // with an Arabic keyboard's digits. At most 30 characters are typed, spaces aside.
    const arabic = (text: string) => (voter.lang === "en" ? text : text.replace(/[0-9]/g, (d) => String.fromCharCode(0x660 + Number(d))));
    const code = arabic(voter.codes[0].toLowerCase().replaceAll("-", " "));
    const credential = arabic(voter.credential.toLowerCase().replaceAll("-", " "));
    assert.ok((code + credential).replaceAll(" ", "").length <= 30, `${code} ${credential}`);
    await codeField.fill(code);
    await page.locator("#key").fill(credential);
    await page.locator("#key").press("Enter");
  }
  await page.waitForSelector("#choose-section:not([hidden])");
  await page.locator(`#questions input[value="${voter.answer}"]`).check();
  await shot(page, `${voter.lang}-2-choose`);
  await page.locator("#questions-form button[type=submit]").click();
  // The choice is said back in words before anything is encrypted, and beside the tracking code.
  const answerWord = WORDS[voter.lang][voter.answer];
  await page.waitForSelector("#review-section:not([hidden])");
  assert.ok((await page.locator("#review-choice").textContent())?.includes(answerWord), "the choice is reviewed");
  await shot(page, `${voter.lang}-2b-review`);
  // Changing it goes back to the question, choice kept; then encrypt.
  await page.locator("#review-change").click();
  await page.waitForSelector("#choose-section:not([hidden])");
  assert.equal(await page.locator(`#questions input[value="${voter.answer}"]`).isChecked(), true);
  await page.locator("#questions-form button[type=submit]").click();
  await page.locator("#review-encrypt").click();
  await page.waitForSelector("#encrypted-section:not([hidden])");
  assert.ok((await page.locator("#encrypted-choice").textContent())?.includes(answerWord), "the encrypted ballot's choice is shown");
  await shot(page, `${voter.lang}-3-encrypted`);

  // Challenge: the ballot is opened, not counted; a second device checks it.
  await page.locator("#challenge-button").click();
  await page.waitForSelector("#challenged-section:not([hidden])");
  const checkHref = await page.locator("#check-link").getAttribute("href");
  await shot(page, `${voter.lang}-4-challenged`);
  const other = await browser.newContext({ viewport: { width: voter.width, height: 844 } });
  const second = await other.newPage();
  // The tracking code travels in the fragment, never in the query the server sees.
  assert.ok(checkHref!.includes("#tracking=") && !checkHref!.split("#")[0].includes("tracking"), checkHref!);
  const checkUrl = new URL(checkHref!, url);
  assert.equal(checkUrl.searchParams.get("lang"), voter.lang, "the check link keeps the language");
  await second.goto(checkUrl.href);
  await second.locator("#check-form button").click();
  await second.waitForSelector("#check-message:not([hidden])", { timeout: 20000 });
  const said = await second.locator("#check-message").textContent();
  await shot(second, `${voter.lang}-5-checked-on-another-device`);
  assert.equal(await second.getAttribute("#check-message", "class"), "message ok", `the check page says: ${said}`);
  const word = WORDS[voter.lang][voter.answer];
  assert.ok(said?.includes(word), `the check page says ${said}`);
  await other.close();

  // Vote again (the last ballot counts) and cast.
  await page.locator(`#questions input[value="${voter.answer}"]`).check();
  await page.locator("#questions-form button[type=submit]").click();
  await page.locator("#review-encrypt").click();
  await page.waitForSelector("#encrypted-section:not([hidden])");
  // For the Arabic voter, the server stores the ballot but answers as it does when its witnesses
  // are late (503 not_yet_witnessed, the stored entry as data): the booth asks for that entry's
  // receipt until one comes, and checks that it is this ballot's.
  const late = voter.lang === "ar";
  const askedReceipts: string[] = [];
  if (late) {
    page.on("request", (request: Request) => {
      if (request.url().includes("/receipts/")) askedReceipts.push(request.url());
    });
    await page.route("**/ballots", async (route) => {
      if (JSON.parse(route.request().postData() ?? "{}").kind !== "cast") return route.continue();
      const stored = await (await route.fetch()).json();
      const body = { error: "not_yet_witnessed", message: "stored, not yet witnessed", stored: { index: stored.index, tracking_code: stored.tracking_code } };
      await route.fulfill({ status: 503, headers: { "retry-after": "1" }, contentType: "application/json", body: JSON.stringify(body) });
    });
  }
  await page.locator("#cast-button").click();
  await page.waitForSelector("#cast-section:not([hidden])");
  await page.waitForSelector("#receipt-message.ok");
  if (late) {
    assert.ok(askedReceipts.length >= 1, "the booth asked for the stored ballot's receipt");
    await page.unroute("**/ballots");
  }
  assert.ok((await page.locator("#cast-choice").textContent())?.includes(answerWord), "the cast ballot's choice is shown");
  // Printed, the page is the receipt: its words and tracking code, without the booth around it.
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: `${shots}/${voter.lang}-6b-receipt-printed.png`, fullPage: true });
  assert.equal(await page.locator("header").isVisible(), false, "the printed receipt has no page header");
  assert.ok(await page.locator("#receipt-tracking").isVisible(), "the printed receipt shows its tracking code");
  assert.equal(await page.locator("#receipt-print").isVisible(), false);
  await page.emulateMedia({ media: "screen" });
  await shot(page, `${voter.lang}-6-cast-and-receipt-verified`);
  // Later, from another device: the receipt page checks it against the newest checkpoint.
  const receiptHref = await page.locator("#receipt-link").getAttribute("href");
  const later = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const receiptPage = await later.newPage();
  assert.ok(receiptHref!.includes("#tracking=") && !receiptHref!.split("#")[0].includes("tracking"), receiptHref!);
  const receiptUrl = new URL(receiptHref!, url);
  assert.equal(receiptUrl.searchParams.get("lang"), voter.lang, "the receipt link keeps the language");
  await receiptPage.goto(receiptUrl.href);
  // The other device has no kept receipt: it is given the downloaded file.
  const download = await page.locator("#receipt-download").getAttribute("href");
  const receiptFile = `${shots}/receipt-${voter.lang}.json`;
  writeFileSync(receiptFile, decodeURIComponent(download!.slice(download!.indexOf(",") + 1)));
  await receiptPage.locator("#receipt-file").setInputFiles(receiptFile);
  await receiptPage.locator("#receipt-form button").click();
  await receiptPage.waitForSelector("#receipt-message:not([hidden])");
  await shot(receiptPage, `${voter.lang}-7-receipt-checked-later`);
  const laterText = (await receiptPage.locator("#receipt-message").textContent())!;
  assert.equal(await receiptPage.getAttribute("#receipt-message", "class"), "message ok", laterText);
  await later.close();
  // The same device kept its receipt: the page compares it with the log and asks the witnesses.
  const again = await device.newPage();
  await again.goto(receiptUrl.href);
  await again.locator("#receipt-form button").click();
  await again.waitForSelector("#receipt-message:not([hidden])");
  const keptText = (await again.locator("#receipt-message").textContent())!;
  assert.equal(await again.getAttribute("#receipt-message", "class"), "message ok", keptText);
  if (voter.lang === "en") assert.match(keptText, /3 of the election's 3 witnesses saw a log consistent/);
  // Each witness is named with the date it cosigned, written as the page's language writes dates.
  const witnessed = await again.locator("#receipt-witnesses li").allTextContents();
  assert.equal(witnessed.length, 3, witnessed.join("\n"));
  const year = String(new Date().getUTCFullYear());
  const digits = voter.lang === "en" ? year : year.replace(/[0-9]/g, (d) => String.fromCharCode(0x660 + Number(d)));
  assert.ok(witnessed.every((w) => w.includes(digits)), witnessed.join("\n"));
  await shot(again, `${voter.lang}-8-kept-receipt-and-witnesses`);
  // A receipt whose checkpoint is not the log's (a forked tree's root) is named for what it is.
  const forged = JSON.parse(readFileSync(receiptFile, "utf8"));
  forged.checkpoint.root = forged.checkpoint.root.replace(/^./, (c: string) => (c === "0" ? "1" : "0"));
  writeFileSync(receiptFile, JSON.stringify(forged));
  const fork = await (await browser.newContext()).newPage();
  await fork.goto(receiptUrl.href);
  await fork.locator("#receipt-file").setInputFiles(receiptFile);
  await fork.locator("#receipt-form button").click();
  await fork.waitForSelector("#receipt-message.error");
  if (voter.lang === "en") assert.match((await fork.locator("#receipt-message").textContent())!, /^Not in the log: checkpoint-signature/);
  assert.deepEqual(pageErrors, []);
  await device.close();
}

// The requests that cast carry the encrypted ballot only: no reveal, no field but the ballot's,
// and none of the answers' words.
assert.equal(casts.length, voters.length);
for (const cast of casts) {
  const body = JSON.parse(cast.body);
  assert.deepEqual(Object.keys(body).sort(), ["ballot", "kind"]);
  // Record format version 3: bound to a one-time key, signed by the credential.
  assert.deepEqual(Object.keys(body.ballot).sort(), ["answers", "credential", "one_time_key", "region", "signature"]);
  // The same voter's challenged ballot named nobody: no credential field, and not this one's key.
  const challenged = challenges.find((c) => c.lang === cast.lang)!;
  assert.equal(JSON.parse(challenged.body).ballot.credential, undefined);
  assert.ok(!challenged.body.includes(body.ballot.credential), "the challenged ballot carries the voter's credential");
  for (const answer of body.ballot.answers) {
    for (const slot of answer.slots) assert.deepEqual(Object.keys(slot).sort(), ["alpha", "beta", "proof"]);
  }
  // The region is public (it is on the credential list); everything else is hex.
  const scrubbed = cast.body.replace(JSON.stringify(body.ballot.region), "");
  for (const word of ["yes", "no", "blank", "\"m\"", "reveal", "Yes", "نعم", "بەڵێ"]) {
    assert.ok(!scrubbed.includes(word), `the cast request contains ${word}`);
  }
}
// With JavaScript off, the sign-in form cannot submit anything: its fields are disabled and have
// no names (so no code or key can land in an address or a history), and the page says why.
{
  const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await noScript.newPage();
  await page.goto(`${url}/vote/${election}`);
  assert.equal(await page.locator("#signin-fields").getAttribute("disabled"), "");
  for (const field of ["#code", "#key"]) assert.equal(await page.locator(field).getAttribute("name"), null, field);
  assert.match((await page.locator("noscript").textContent()) ?? "", /JavaScript/);
  // axe-core runs as a script, so this page is only photographed.
  await page.screenshot({ path: `${shots}/en-0-no-javascript.png`, fullPage: true });
  await noScript.close();
  // The server renders the page's words in the browser's language: an Arabic reader without
  // JavaScript sees Arabic headings, right to left.
  const arabicNoScript = await browser.newContext({ javaScriptEnabled: false, locale: "ar-IQ", viewport: { width: 320, height: 844 } });
  const arabicPage = await arabicNoScript.newPage();
  await arabicPage.goto(`${url}/vote/${election}`);
  assert.deepEqual([await arabicPage.getAttribute("html", "lang"), await arabicPage.getAttribute("html", "dir")], ["ar", "rtl"]);
  assert.equal(await arabicPage.locator("#signin-title").textContent(), "١. تسجيل الدخول");
  assert.match((await arabicPage.locator("noscript").textContent()) ?? "", /جافاسكربت/);
  await arabicPage.screenshot({ path: `${shots}/ar-0-no-javascript.png`, fullPage: true });
  await arabicNoScript.close();
}
// An Arabic browser gets the booth in Arabic, right to left, without asking.
{
  const arabic = await browser.newContext({ locale: "ar-IQ", viewport: { width: 390, height: 844 } });
  const page = await arabic.newPage();
  await page.goto(`${url}/vote/${election}`);
  await page.waitForSelector("#title:not(:empty)");
  assert.deepEqual([await page.getAttribute("html", "lang"), await page.getAttribute("html", "dir")], ["ar", "rtl"]);
  await arabic.close();
}
// Every language at both phone widths, the sign-in page as it first shows.
for (const lang of ["en", "ar", "ckb"]) {
  for (const width of [320, 390]) {
    const phone = await browser.newContext({ viewport: { width, height: 844 } });
    const page = await phone.newPage();
    await page.goto(`${url}/vote/${election}?lang=${lang}`);
    await page.waitForSelector("#title:not(:empty)");
    await shot(page, `${lang}-0-signin-${width}px`);
    await phone.close();
  }
}
assert.deepEqual(overflow, [], "no page is wider than the phone (320 and 390 px)");
assert.deepEqual(a11y, [], "accessibility");
await browser.close();
console.log(`e2e ok: ${voters.length} voters, ${casts.length} casts checked`);
