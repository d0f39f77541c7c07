// What a voter types from a printed sheet, made exact before it is used (protocol note §14):
// spaces, joiners, tatweel and dashes dropped (the sheet groups characters), Arabic-Indic and
// Persian digits read as 0–9, and the case folded. A credential string is checked and its key
// derived here with Argon2id (@noble/hashes), as `convene_crypto::typed` does in Rust.

import { argon2idAsync } from "@noble/hashes/argon2.js";
import { hash256, L } from "./protocol.ts";

/** The 32 symbols of credentials and codes; a symbol's value is its position (§14.1). */
export const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const CREDENTIAL_LEN = 18;
export const CODE_LEN = 9;

/** Arabic-Indic (U+0660–0669) and extended Arabic-Indic, Persian (U+06F0–06F9) digits as ASCII. */
function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.codePointAt(0)! & 0xf) % 10));
}

/** Unicode's White_Space (JavaScript's `\s` lacks U+0085), joiners, tatweel and dashes removed. */
function ungrouped(text: string): string {
  return text.replace(/[\s\u0085\u00A0\u200B-\u200F\u2060\uFEFF\-\u2010-\u2015\u2212\u0640]/g, "");
}

/** Typed text made exact (§14.1): ungrouped, ASCII digits, upper case. A code is hashed so. */
export function normalizeCode(text: string): string {
  return ungrouped(asciiDigits(text)).toUpperCase();
}

/** A credential key (hex) as typed: lower case, no grouping, ASCII digits. */
export function normalizeKey(text: string): string {
  return ungrouped(asciiDigits(text)).toLowerCase();
}

/** Why typed text is refused, as `TypedError::code` names it in Rust. */
export type Refusal = "not-in-alphabet" | "wrong-length" | "check-failed";

export class TypedError extends Error {
  constructor(
    readonly code: Refusal,
    readonly character?: string,
  ) {
    super(code);
  }
}

/** The first `count` check symbols of `data` under `tag` (§14.2, §14.3). */
function checkSymbols(tag: string, data: string, count: number): string {
  const c = hash256(tag, [new TextEncoder().encode(data)]);
  const bits = (c[0] << 8) | c[1];
  let out = "";
  for (let i = 0; i < count; i++) out += ALPHABET[(bits >> (11 - 5 * i)) & 31];
  return out;
}

function checked(text: string, length: number, data: number, tag: string): string {
  const normal = normalizeCode(text);
  const bad = [...normal].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) throw new TypedError("not-in-alphabet", bad);
  if (normal.length !== length) throw new TypedError("wrong-length");
  if (checkSymbols(tag, normal.slice(0, data), length - data) !== normal.slice(data)) throw new TypedError("check-failed");
  return normal;
}

/** A credential string as typed, normalized and checked (§14.2); throws TypedError. */
export function parseCredential(text: string): string {
  return checked(text, CREDENTIAL_LEN, 16, "convene/credential-check v1");
}

/** A sign-in code as typed, normalized and checked (§14.3); throws TypedError. */
export function parseCode(text: string): string {
  return checked(text, CODE_LEN, 8, "convene/code-check v1");
}

/** The manifest's `credential_kdf` (§14.5). */
export interface Kdf {
  algorithm: string;
  memory_kib: number;
  iterations: number;
  parallelism: number;
}

/** Argon2id's 64-byte output for a normalized credential string (§14.4). */
export function stretch(credential: string, electionId: string, kdf: Kdf, onProgress?: (done: number) => void): Promise<Uint8Array> {
  if (kdf.algorithm !== "argon2id") throw new Error(`credential_kdf ${kdf.algorithm} is not argon2id`);
  const utf8 = (s: string) => new TextEncoder().encode(s);
  return argon2idAsync(utf8(credential), utf8(`convene/credential v1:${electionId}`), {
    m: kdf.memory_kib,
    t: kdf.iterations,
    p: kdf.parallelism,
    version: 0x13,
    dkLen: 64,
    onProgress,
  });
}

/** The credential secret `x` of a normalized credential string (§14.4). */
export async function deriveCredential(credential: string, electionId: string, kdf: Kdf, onProgress?: (done: number) => void): Promise<bigint> {
  const k = await stretch(credential, electionId, kdf, onProgress);
  let wide = 0n;
  for (let i = 63; i >= 0; i--) wide = (wide << 8n) | BigInt(k[i]);
  const x = wide % L;
  if (x === 0n) throw new Error("this credential derives the zero key");
  return x;
}
