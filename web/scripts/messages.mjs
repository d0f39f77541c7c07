// The pages' messages, generated from the Fluent files locales/{en,ar,ckb}.ftl (and the
// convention's refusals, ../crates/record/locales/{en,ar,ckb}.ftl, which the Rust state machine
// says in English with the same ids) into
// src/messages.ts: each language's source, and `MessageId`, the union of the English ids, so that
// `t("…")` with an id no file has fails the type check. Every language must have exactly the
// English ids: a missing or extra translation is an error here, and build.mjs runs this first,
// so it fails the build. `node scripts/messages.mjs` writes the file; `--check` says whether the
// committed one is what this generates (test/vectors.test.ts runs it).

import { FluentResource } from "@fluent/bundle";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const LANGS = ["en", "ar", "ckb"];

/** The message ids of a Fluent source, in order. */
export function ids(source) {
  return new FluentResource(source).body.map((m) => m.id);
}

/** The TypeScript module for `sources` ({lang: Fluent text}); throws on a missing translation. */
export function generate(sources) {
  const english = ids(sources.en);
  for (const lang of LANGS) {
    const own = new Set(ids(sources[lang]));
    const missing = english.filter((id) => !own.has(id));
    const extra = [...own].filter((id) => !english.includes(id));
    if (missing.length || extra.length) {
      throw new Error(`locales/${lang}.ftl: ${missing.length ? `missing ${missing.join(", ")}` : ""}${extra.length ? ` extra ${extra.join(", ")}` : ""}`);
    }
  }
  return [
    "// Generated from locales/*.ftl by scripts/messages.mjs: do not edit; run `node scripts/messages.mjs`",
    "// after changing a Fluent file.",
    "",
    "/** Each language's Fluent source. */",
    `export const SOURCES = ${JSON.stringify(sources, null, 2)} as const;`,
    "",
    "/** Every message id (the English file's). */",
    `export type MessageId =\n${english.map((id) => `  | ${JSON.stringify(id)}`).join("\n")};`,
    "",
  ].join("\n");
}

/** Reads the Fluent files under `web` and writes src/messages.ts (or, with `check`, compares). */
export function writeMessages(web, check = false) {
  // CONVENE_CONVENTION_LOCALES: where the convention's files are, for a copy of web/ elsewhere.
  const convention = process.env.CONVENE_CONVENTION_LOCALES ?? `${web}/../crates/record/locales`;
  const read = (l) => `${readFileSync(`${web}/locales/${l}.ftl`, "utf8")}\n${readFileSync(`${convention}/${l}.ftl`, "utf8")}`;
  const sources = Object.fromEntries(LANGS.map((l) => [l, read(l)]));
  const text = generate(sources);
  const path = `${web}/src/messages.ts`;
  if (check) {
    if (readFileSync(path, "utf8") !== text) throw new Error("src/messages.ts is not what locales/*.ftl give: run `node scripts/messages.mjs`");
    return;
  }
  writeFileSync(path, text);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeMessages(fileURLToPath(new URL("..", import.meta.url)), process.argv.includes("--check"));
}
