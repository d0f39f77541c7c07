// Starting Debian's Chromium for the e2e scripts (playwright-core never downloads a browser), and
// the screenshot folder. The flags keep Chromium from reaching for the network, which this
// machine refuses.

import { chromium, type Browser, type Page } from "playwright-core";
import { mkdirSync } from "node:fs";

export function screenshots(): string {
  const dir = process.env.SCREENSHOTS!;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Chromium; with $FAKE_CAMERA (a Y4M video), its camera shows that video; with $TRUSTED_SPKI (a
 * test certificate's public-key hash), it trusts that one certificate over TLS and no other.
 */
export function launch(): Promise<Browser> {
  const extra = process.env.FAKE_CAMERA
    ? ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${process.env.FAKE_CAMERA}`]
    : [];
  if (process.env.TRUSTED_SPKI) extra.push(`--ignore-certificate-errors-spki-list=${process.env.TRUSTED_SPKI}`);
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", ...extra],
  });
}

/** A participant's own page of the assembly, signed in with their key; page errors go to `errors`. */
export async function assemblyAs(browser: Browser, convention: string, lang: string, key: string, errors: string[] = []): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${process.env.CONVENE_URL}/assembly/${convention}?lang=${lang}`);
  await page.waitForSelector("#motions article");
  await page.locator("#key").fill(key);
  await page.locator("#signin-form button").click();
  await page.waitForSelector("#message.ok");
  return page;
}
