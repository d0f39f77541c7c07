// Checking a receipt in the browser: the checkpoint's signature by the log key in the manifest
// (protocol note §4.2, tag `convene/checkpoint v1`, h = manifest_hash) and the tracking code's
// inclusion proof against the checkpoint's root (RFC 9162 §2.1.3.2), as `convene receipt` does.

import { sha256 } from "@noble/hashes/sha2.js";
import { concat, fromHex, hash256, pointFromHex, scalarFromHex, verifySignature } from "./protocol.ts";

export interface Receipt {
  index: number;
  tracking_code: string;
  checkpoint: { size: number; root: string; signature: { R: string; s: string } };
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
export function checkReceipt(manifestBytes: Uint8Array, logKey: string, receipt: Receipt): string | null {
  return checkReceiptUnder(hash256("convene/manifest v1", [manifestBytes]), logKey, receipt);
}

/** Whether `checkpoint` is signed by `logKey` under the manifest's (or charter's) hash `h`. */
export function checkCheckpoint(h: Uint8Array, logKey: string, checkpoint: Receipt["checkpoint"]): boolean {
  try {
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
    const path = receipt.inclusion.map(fromHex);
    if (!verifyInclusion(fromHex(receipt.tracking_code), receipt.index, receipt.checkpoint.size, path, fromHex(receipt.checkpoint.root))) {
      return "inclusion";
    }
    return null;
  } catch {
    return "malformed";
  }
}
