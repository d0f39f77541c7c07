// The pages' words in English, Arabic and Kurdish (Sorani): Project Fluent messages
// (locales/*.ftl, compiled into src/messages.ts with typed ids), formatted by @fluent/bundle with
// CLDR's plural rules and each language's digits. A page marks its text with data-t="id";
// `apply` fills it in and sets <html lang dir>. The choice is kept in localStorage and in the URL
// (?lang=ar).
//
// The Arabic and Sorani texts were written by the engineers, not by native translators: they are
// to be reviewed by native speakers before real use.

export type Lang = "en" | "ar" | "ckb";

export const LANGS: { code: Lang; name: string; dir: "ltr" | "rtl" }[] = [
  { code: "en", name: "English", dir: "ltr" },
  { code: "ar", name: "العربية", dir: "rtl" },
  { code: "ckb", name: "کوردی", dir: "rtl" },
];

import { FluentBundle, FluentResource } from "@fluent/bundle";
import { SOURCES, type MessageId } from "./messages.ts";
import type { Manifest } from "./api.ts";

/** Ids chosen at run time from a family (a phase, a status, an outcome): checked when shown. */
export type Family =
  | `assembly-holder-${string}`
  | `assembly-role-${string}`
  | `assembly-rule-${string}`
  | `assembly-status-${string}`
  | `assembly-weighting-${string}`
  | `booth-${string}`
  | `results-outcome-${string}`
  | `rule-base-${string}`
  | `phase-${string}`;

/** The locales a language's numbers and plural rules come from, best first. */
const LOCALES: Record<Lang, string[]> = { en: ["en"], ar: ["ar-IQ-u-nu-arab"], ckb: ["ckb-IQ-u-nu-arab", "ar-IQ-u-nu-arab"] };

const bundles = new Map<Lang, FluentBundle>();

/** `lang`'s messages. */
function bundle(lang: Lang): FluentBundle {
  let b = bundles.get(lang);
  if (!b) {
    b = new FluentBundle(LOCALES[lang], { useIsolating: false });
    b.addResource(new FluentResource(SOURCES[lang]));
    bundles.set(lang, b);
  }
  return b;
}

/** Message `id` in `lang`, with `values` filled in (numbers in the language's digits, choosing
 * its plural form); undefined if the language has no such message. */
export function textIn(lang: Lang, id: string, values: Record<string, string | number> = {}): string | undefined {
  const b = bundle(lang);
  const message = b.getMessage(id);
  return message?.value ? b.formatPattern(message.value, values) : undefined;
}




/**
 * The page's language: the one asked for (`?lang`, then the user's earlier choice), else the
 * first of the browser's languages that Convene speaks (`navigator.languages`, which follows
 * Accept-Language), else English.
 */
export function currentLang(): Lang {
  const asked = new URLSearchParams(location.search).get("lang") ?? localStorage.getItem("convene-lang");
  if (LANGS.some((l) => l.code === asked)) return asked as Lang;
  return browserLang(typeof navigator === "undefined" ? [] : navigator.languages) ?? "en";
}

/** The language Convene speaks for one BCP 47 tag, by the rules of `Lang::parse` in the Rust
 * crate convene-words (both checked against test-vectors/language-tags.json): the primary subtag
 * `en`, `ar` or `ckb`, or `ku` in Arabic script or in Iraq (`ku-Arab`, `ku-IQ`), which is Sorani. */
export function tagLang(tag: string): Lang | null {
  const [base, ...rest] = tag.trim().toLowerCase().split(/[-_]/);
  if (base === "ku") return rest.some((s) => s === "arab" || s === "iq") ? "ckb" : null;
  return LANGS.some((l) => l.code === base) ? (base as Lang) : null;
}

/** The first of `languages` (BCP 47 tags, best first) that Convene speaks. */
export function browserLang(languages: readonly string[]): Lang | null {
  for (const tag of languages) {
    const lang = tagLang(tag);
    if (lang) return lang;
  }
  return null;
}

/** Of texts by language tag, the one in the page's language: its own tag, else one of the same
 * primary language (`ar-IQ` for `ar`). */
export function inPageLanguage<T>(translations: Record<string, T> | undefined): [string, T] | undefined {
  const lang = currentLang();
  const entries = Object.entries(translations ?? {});
  return entries.find(([tag]) => tag === lang) ?? entries.find(([tag]) => tag.split("-")[0] === lang);
}

/** A language tag's name in the page's language (`ar` is "العربية" on an Arabic page), or the tag.
 * Browsers have no Sorani names, so a Sorani page names Convene's own languages as they name
 * themselves. */
export function languageName(tag: string): string {
  const lang = currentLang();
  if (lang === "ckb") return LANGS.find((l) => l.code === tag.split("-")[0])?.name ?? tag;
  try {
    return new Intl.DisplayNames([lang], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** The election's own texts (title, each question and its options) in the page's language, from
 * the manifest's `translations` where it has them, else as the manifest writes them. */
export function electionTexts(manifest: Manifest): { title: string; questions: { text: string; options: string[] }[] } {
  const translated = inPageLanguage(manifest.translations)?.[1];
  return {
    title: translated?.title ?? manifest.title,
    questions: manifest.questions.map((q, i) => ({
      text: translated?.questions[i]?.text ?? q.text,
      options: (q.kind === "choose" ? q.options : []).map((o, j) => translated?.questions[i]?.options?.[j] ?? o),
    })),
  };
}

/** A server's refusal in the page's language: the convention's own (`refusal` with its code and
 * arguments, `refusal-…` in crates/record/locales), or one with words of its own (`api-…`: the
 * database away, a full disk …); undefined if the page has no words for it. */
export function serverWords(
  body: { error?: string; refusal?: { code: string; args: Record<string, string | number> } },
  lang: Lang = currentLang(),
): string | undefined {
  if (body.refusal) return textIn(lang, `refusal-${body.refusal.code}`, body.refusal.args);
  return body.error ? textIn(lang, `api-${body.error}`) : undefined;
}

/** What a convention's state machine said (`{id, args}`: an event's summary, a line of an
 * article's history), in the page's language; undefined if the page has no words for it. */
export function saidWords(said: { id: string; args: Record<string, string | number> } | undefined, lang: Lang = currentLang()): string | undefined {
  return said ? textIn(lang, said.id, said.args) : undefined;
}

/** Message `id` in the current language (English if missing), with `values` filled in. */
export function t(id: MessageId | Family, values: Record<string, string | number> = {}): string {
  return textIn(currentLang(), id, values) ?? textIn("en", id, values) ?? id;
}

/**
 * The locales numbers are written in, best first. Sorani falls back to Iraqi Arabic's
 * Arabic-Indic digits and separators (the same in print): Chromium, for one, has no Sorani data
 * and would otherwise write Latin digits.
 */
export function numberLocale(): string[] {
  return { en: ["en"], ar: ["ar-IQ-u-nu-arab"], ckb: ["ckb-IQ-u-nu-arab", "ar-IQ-u-nu-arab"] }[currentLang()];
}

/** A number in the current language's digits and grouping. */
export function formatNumber(n: number): string {
  return new Intl.NumberFormat(numberLocale()).format(n);
}

/** A moment (seconds since 1970) as the current language writes a date and time. */
export function formatDate(seconds: number): string {
  return new Intl.DateTimeFormat(numberLocale(), { dateStyle: "long", timeStyle: "short" }).format(new Date(seconds * 1000));
}

/** A share as a percentage in the current language's digits. */
export function formatPercent(x: number): string {
  return new Intl.NumberFormat(numberLocale(), { style: "percent", maximumFractionDigits: 1 }).format(x);
}

/** Sets <html lang dir>, fills every [data-t], and builds the language switcher in #lang. */
export function apply(): void {
  const lang = currentLang();
  const meta = LANGS.find((l) => l.code === lang)!;
  document.documentElement.lang = lang;
  document.documentElement.dir = meta.dir;
  document.querySelectorAll<HTMLElement>("[data-t]").forEach((el) => {
    el.textContent = t(el.dataset.t as MessageId);
  });
  const select = document.getElementById("lang") as HTMLSelectElement | null;
  // The layout lists the languages already (so the header does not move); the switcher is
  // wired once.
  if (select && !select.dataset.wired) {
    select.dataset.wired = "yes";
    if (select.options.length === 0) for (const l of LANGS) select.add(new Option(l.name, l.code));
    select.addEventListener("change", () => {
      localStorage.setItem("convene-lang", select.value);
      const url = new URL(location.href);
      url.searchParams.set("lang", select.value);
      history.replaceState(null, "", url);
      apply();
      document.dispatchEvent(new Event("convene:lang"));
    });
  }
  if (select) select.value = lang;
}
