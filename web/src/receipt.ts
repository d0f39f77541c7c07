// Checking a receipt in the browser: the checkpoint's signature by the log key in the manifest
// (protocol note §4.2, tag `convene/checkpoint v1`, h = manifest_hash) and the tracking code's
// inclusion proof against the checkpoint's root (RFC 9162 §2.1.3.2), as `convene receipt` does.

import { sha256 } from "@noble/hashes/sha2.js";
import { checkCheckpointNote, type Witnessed } from "./note.ts";
import { concat, fromHex, hash256, pointFromHex, scalarFromHex, verifySignature } from "./protocol.ts";

export interface Receipt {
  index: number;
  tracking_code: string;
  /** Versions 1 to 3 carry `signature`; version 4 the signed, cosigned `note`. */
  checkpoint: { size: number; root: string; signature?: { R: string; s: string }; note?: string };
  inclusion: string[];
}

const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(concat(Uint8Array.of(1), left, right));

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** RFC 9162's inclusion check of `leaf` at `index` in a tree of `size` with root `root`. */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, path: Uint8Array[], root: Uint8Array): boolean {
  if (index >= size) return false;
  let f = BigInt(index);
  let s = BigInt(size - 1);
  let r = leaf;
  for (const p of path) {
    if (s === 0n) return false;
    if ((f & 1n) === 1n || f === s) {
      r = nodeHash(p, r);
      if ((f & 1n) === 0n) {
        while ((f & 1n) === 0n && f !== 0n) {
          f >>= 1n;
          s >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    f >>= 1n;
    s >>= 1n;
  }
  return s === 0n && equal(r, root);
}

/** `u64(size) ‖ root`. */
function checkpointMessage(size: number, root: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(size), true);
  return concat(bytes, root);
}

/** Checks a receipt against the election's exact manifest bytes; the reason if it fails. */
export function checkReceipt(manifestBytes: Uint8Array, receipt: Receipt): string | null {
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Witnessed & { version?: number };
  if ((manifest.version ?? 1) >= 4) return checkWitnessedReceipt(manifest, receipt);
  return checkReceiptUnder(hash256("convene/manifest v1", [manifestBytes]), manifest.log_key, receipt);
}

export function checkInclusion(receipt: Receipt, root: Uint8Array): string | null {
  const path = receipt.inclusion.map(fromHex);
  return verifyInclusion(fromHex(receipt.tracking_code), receipt.index, receipt.checkpoint.size, path, root) ? null : "inclusion";
}

/** Checks a receipt under a log whose checkpoints are signed notes (a version-4 manifest, a
 * version-3 charter): the note's signature and quorum, then the inclusion; the reason if not. */
export function checkWitnessedReceipt(log: Witnessed, receipt: Receipt): string | null {
  try {
    const root = fromHex(receipt.checkpoint.root);
    return checkCheckpointNote(receipt.checkpoint.note ?? "", log, receipt.checkpoint.size, root) ?? checkInclusion(receipt, root);
  } catch {
    return "malformed";
  }
}

/** Whether `checkpoint` is signed by `logKey` under the manifest's (or charter's) hash `h`. */
export function checkCheckpoint(h: Uint8Array, logKey: string, checkpoint: Receipt["checkpoint"]): boolean {
  try {
    if (!checkpoint.signature) return false;
    const signature = { R: pointFromHex(checkpoint.signature.R), s: scalarFromHex(checkpoint.signature.s) };
    return verifySignature("convene/checkpoint v1", h, pointFromHex(logKey, true), checkpointMessage(checkpoint.size, fromHex(checkpoint.root)), signature);
  } catch {
    return false;
  }
}

/** Checks a receipt (a voter's, or a convention event's) under the hash `h`; the reason if it fails. */
export function checkReceiptUnder(h: Uint8Array, logKey: string, receipt: Receipt): string | null {
  try {
    if (!checkCheckpoint(h, logKey, receipt.checkpoint)) return "checkpoint-signature";
    return checkInclusion(receipt, fromHex(receipt.checkpoint.root));
  } catch {
    return "malformed";
  }
}

/** RFC 9162's consistency check between `(first, firstRoot)` and `(second, secondRoot)`. */
export function verifyConsistency(first: number, second: number, firstRoot: Uint8Array, secondRoot: Uint8Array, path: Uint8Array[]): boolean {
  if (first > second) return false;
  if (first === second) return path.length === 0 && equal(firstRoot, secondRoot);
  if (first === 0) return path.length === 0;
  const nodes = (first & (first - 1)) === 0 ? [firstRoot, ...path] : [...path];
  if (nodes.length === 0) return false;
  let f = BigInt(first - 1);
  let s = BigInt(second - 1);
  while ((f & 1n) === 1n) {
    f >>= 1n;
    s >>= 1n;
  }
  let fr = nodes[0];
  let sr = nodes[0];
  for (const c of nodes.slice(1)) {
    if (s === 0n) return false;
    if ((f & 1n) === 1n || f === s) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if ((f & 1n) === 0n) {
        while ((f & 1n) === 0n && f !== 0n) {
          f >>= 1n;
          s >>= 1n;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    f >>= 1n;
    s >>= 1n;
  }
  return s === 0n && equal(fr, firstRoot) && equal(sr, secondRoot);
}

const KEPT = "convene.receipts";

/** Keeps a cast ballot's receipt on this device, by election and log position. */
export function keepReceipt(election: string, receipt: Receipt) {
  try {
    const kept = JSON.parse(localStorage.getItem(KEPT) ?? "{}");
    kept[`${election}/${receipt.index}`] = receipt;
    localStorage.setItem(KEPT, JSON.stringify(kept));
  } catch {
    // Storage may be off (private browsing); the download remains.
  }
}

/** The receipt this device kept for `election` at `index`, if any. */
export function keptReceipt(election: string, index: number): Receipt | null {
  try {
    return JSON.parse(localStorage.getItem(KEPT) ?? "{}")[`${election}/${index}`] ?? null;
  } catch {
    return null;
  }
}
