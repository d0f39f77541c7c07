// Builds the pages' assets from source into OUT (default web/dist): one minified ES module per
// page, the stylesheet, and the HTML pages. The server embeds OUT at compile time.
import { build } from "esbuild";
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
for (const page of readdirSync("pages")) {
  const text = readFileSync(join("pages", page), "utf8");
  const field = (name) => text.match(new RegExp(`<!-- ${name}: (.*?) -->`))?.[1] ?? "";
  const main = text.replace(/<!-- \w+: .*? -->\n/g, "").trimEnd();
  const html = layout.replace("{{title}}", field("title")).replace("{{script}}", field("script")).replace("{{main}}", main);
  writeFileSync(join(out, page), html);
}
