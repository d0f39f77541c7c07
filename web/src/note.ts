// C2SP signed notes in the browser (protocol note §12, §13.2): a version-4 checkpoint is a
// signed note whose text is `ORIGIN\nSIZE\nbase64(ROOT)\n`, signed by the log's Ed25519 key and
// cosigned (timestamped Ed25519, type 0x04) by the manifest's witnesses. Ed25519 is @noble's.

import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concat } from "./protocol.ts";

export interface VerifierKey {
  name: string;
  kind: number;
  id: number;
  key: Uint8Array;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (toBase64(bytes) !== text) throw new Error("non-canonical base64");
  return bytes;
}

export function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** `SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]`, big-endian. */
function keyId(name: string, kind: number, key: Uint8Array): number {
  const d = sha256(concat(utf8(name), Uint8Array.of(0x0a, kind), key));
  return new DataView(d.buffer, d.byteOffset).getUint32(0, false);
}

/** Parses a verifier key, `NAME+hex8(ID)+base64(type ‖ key)`; throws if it is not one. */
export function parseVerifierKey(vkey: string): VerifierKey {
  // The key's base64 may itself hold a "+": split at the first two only.
  const first = vkey.indexOf("+");
  const second = vkey.indexOf("+", first + 1);
  if (first <= 0 || second < 0) throw new Error("not a verifier key");
  const [name, id, material] = [vkey.slice(0, first), vkey.slice(first + 1, second), vkey.slice(second + 1)];
  if (!/^[0-9a-f]{8}$/.test(id)) throw new Error("not a verifier key");
  const bytes = fromBase64(material);
  if (bytes.length !== 33) throw new Error("an Ed25519 verifier key is a type byte and 32 bytes");
  const v = { name, kind: bytes[0], id: parseInt(id, 16), key: bytes.slice(1) };
  if (keyId(v.name, v.kind, v.key) !== v.id) throw new Error("the key ID is not the one the name and key give");
  return v;
}

/** What a checkpoint note is checked against: the log's key, its witnesses and their quorum. */
export interface Witnessed {
  log_key: string;
  witnesses?: { key: string; url: string }[];
  witness_quorum?: number;
}

/**
 * Checks a version-4 checkpoint note for `size` and `root`: its text, the log key's signature
 * and a quorum of the witnesses' cosignatures. Returns null, or the failure code.
 */
export function checkCheckpointNote(note: string, manifest: Witnessed, size: number, root: Uint8Array): string | null {
  let log: VerifierKey;
  let witnesses: VerifierKey[];
  try {
    log = parseVerifierKey(manifest.log_key);
    witnesses = (manifest.witnesses ?? []).map((w) => parseVerifierKey(w.key));
  } catch {
    return "manifest-invalid";
  }
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n")) return "checkpoint-signature";
  const text = note.slice(0, split + 1);
  if (text !== `${log.name}\n${size}\n${toBase64(root)}\n`) return "checkpoint-signature";
  let logSigned = false;
  const cosigned = new Set<number>();
  for (const line of note.slice(split + 2, -1).split("\n")) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) return "checkpoint-signature";
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(m[2]);
    } catch {
      return "checkpoint-signature";
    }
    if (bytes.length < 5) return "checkpoint-signature";
    const id = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, false);
    if (m[1] === log.name && id === log.id) {
      if (bytes.length !== 68 || !ed25519.verify(bytes.slice(4), utf8(text), log.key, { zip215: false })) return "checkpoint-signature";
      logSigned = true;
      continue;
    }
    const w = witnesses.findIndex((v) => v.name === m[1] && v.id === id);
    if (w < 0) continue;
    if (bytes.length !== 76) return "checkpoint-cosignature";
    const timestamp = new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(4, false);
    const message = utf8(`cosignature/v1\ntime ${timestamp}\n${text}`);
    if (!ed25519.verify(bytes.slice(12), message, witnesses[w].key, { zip215: false })) return "checkpoint-cosignature";
    cosigned.add(w);
  }
  if (!logSigned) return "checkpoint-signature";
  if (cosigned.size < (manifest.witness_quorum ?? 0)) return "checkpoint-quorum";
  return null;
}

/** When the witness whose verifier key is `witnessKey` cosigned `note` (seconds since 1970, as
 * its cosignature states it), or null if it did not. Read only from a note `checkCheckpointNote`
 * accepted: the timestamp is signed with the rest. */
export function cosignedAt(note: string, witnessKey: string): number | null {
  const w = parseVerifierKey(witnessKey);
  const split = note.lastIndexOf("\n\n");
  for (const line of note.slice(split + 2, -1).split("\n")) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== w.name) continue;
    const bytes = fromBase64(m[2]);
    if (bytes.length === 76 && new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, false) === w.id) {
      return Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(4, false));
    }
  }
  return null;
}
