// Builds the pages' assets from source into OUT (default web/dist): one minified ES module per
// page, the stylesheet, and the HTML pages. The server embeds OUT at compile time.
// Reproducible: the same source gives byte-identical files (esbuild's output depends only on its
// input and options; nothing here reads the clock or the environment but OUT). Every page
// loads its script and the stylesheet with Subresource Integrity, and `assets.json` lists the
// SHA-256 of every file, which the server copies into each new election's manifest.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { writeMessages } from "./scripts/messages.mjs";

// The messages first: a language that lacks one of the English file's messages fails the build.
writeMessages(".");
const out = process.env.CONVENE_WEB_OUT ?? "dist";
mkdirSync(join(out, "assets"), { recursive: true });
await build({
  entryPoints: ["src/booth.ts", "src/check.ts", "src/home.ts", "src/results.ts", "src/assembly.ts", "src/receipt-page.ts", "src/timeline.ts"],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  outdir: join(out, "assets"),
  logLevel: "warning",
});
cpSync("src/style.css", join(out, "assets", "style.css"));
// The pages' words (locales/*.ftl through src/i18n.ts), to render each page's static text in every language: the
// server sends `vote.ar.html` to an Arabic browser, so the first paint (and a reader without
// JavaScript) has the page's own words, direction and language.
const i18n = await build({ entryPoints: ["src/i18n.ts"], bundle: true, format: "esm", platform: "neutral", write: false, logLevel: "warning" });
const { LANGS, textIn } = await import(`data:text/javascript;base64,${Buffer.from(i18n.outputFiles[0].text).toString("base64")}`);
const escapeHtml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** `html` in `lang`: <html lang dir>, and the text of every element marked data-t="key" (elements
 * whose text is the message alone, as `apply` in src/i18n.ts fills them). */
function localize(html, lang) {
  const dir = LANGS.find((l) => l.code === lang).dir;
  return html
    .replace('<html lang="en" dir="ltr">', `<html lang="${lang}" dir="${dir}">`)
    .replace(`<option value="${lang}">`, `<option value="${lang}" selected>`)
    .replace(/(<([a-z0-9]+)\b[^>]*\bdata-t="([^"]+)"[^>]*>)([^<]*)(<\/\2>)/g, (whole, open, tag, key, text, close) => {
      const message = textIn(lang, key) ?? textIn("en", key);
      return message === undefined ? whole : `${open}${escapeHtml(message)}${close}`;
    });
}
// Every page is its <main> content in pages/, headed by its title and script; the one layout
// (header with the language switcher, footer) wraps them all.
const layout = readFileSync("layout/page.html", "utf8");
const digest = (file, encoding) => createHash("sha256").update(readFileSync(join(out, file))).digest(encoding);
const integrity = (file) => `sha256-${digest(file, "base64")}`;
const files = [];
for (const page of readdirSync("pages").sort()) {
  const text = readFileSync(join("pages", page), "utf8");
  const field = (name) => text.match(new RegExp(`<!-- ${name}: (.*?) -->`))?.[1] ?? "";
  const main = text.replace(/<!-- \w+: .*? -->\n/g, "").trimEnd();
  const script = field("script");
  const html = layout
    .replace("{{title}}", field("title"))
    .replace("{{script}}", script)
    .replace("{{script_integrity}}", integrity(`assets/${script}.js`))
    .replace("{{style_integrity}}", integrity("assets/style.css"))
    .replace("{{main}}", main);
  for (const { code } of LANGS) {
    const name = code === "en" ? page : page.replace(/\.html$/, `.${code}.html`);
    writeFileSync(join(out, name), localize(html, code));
    files.push(name);
  }
}
for (const asset of readdirSync(join(out, "assets")).sort()) files.push(`assets/${asset}`);
const hashes = Object.fromEntries(files.sort().map((file) => [file, digest(file, "hex")]));
writeFileSync(join(out, "assets.json"), JSON.stringify(hashes, null, 2) + "\n");
