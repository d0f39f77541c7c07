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

const out = process.env.CONVENE_WEB_OUT ?? "dist";
mkdirSync(join(out, "assets"), { recursive: true });
await build({
  entryPoints: ["src/booth.ts", "src/check.ts", "src/home.ts", "src/results.ts", "src/assembly.ts", "src/receipt-page.ts"],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  outdir: join(out, "assets"),
  logLevel: "warning",
});
cpSync("src/style.css", join(out, "assets", "style.css"));
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
  writeFileSync(join(out, page), html);
  files.push(page);
}
for (const asset of readdirSync(join(out, "assets")).sort()) files.push(`assets/${asset}`);
const hashes = Object.fromEntries(files.sort().map((file) => [file, digest(file, "hex")]));
writeFileSync(join(out, "assets.json"), JSON.stringify(hashes, null, 2) + "\n");
