// Builds the pages' assets from source into OUT (default web/dist): one minified ES module per
// page, the stylesheet, and the HTML pages. The server embeds OUT at compile time.
import { build } from "esbuild";
import { cpSync, mkdirSync, readdirSync } from "node:fs";
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
for (const page of readdirSync("pages")) cpSync(join("pages", page), join(out, page));
