// What a voter types from a printed sheet, made exact before it is used: spaces and dashes
// dropped (the sheet groups characters), Arabic-Indic and Persian digits read as 0–9, and the
// case folded as the field's alphabet wants it.

/** Arabic-Indic (U+0660–0669) and extended Arabic-Indic, Persian (U+06F0–06F9) digits as ASCII. */
function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.codePointAt(0)! & 0xf) % 10));
}

/** Spaces of every kind, and hyphens, dashes and minus signs, removed. */
function ungrouped(text: string): string {
  return text.replace(/[\s\u00A0\u200B-\u200F\u2060\uFEFF\-\u2010-\u2015\u2212\u0640]/g, "");
}

/** A one-time code as the server hashes it: upper case, no grouping, ASCII digits. */
export function normalizeCode(text: string): string {
  return ungrouped(asciiDigits(text)).toUpperCase();
}

/** A credential key (hex) as typed: lower case, no grouping, ASCII digits. */
export function normalizeKey(text: string): string {
  return ungrouped(asciiDigits(text)).toLowerCase();
}
