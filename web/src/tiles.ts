// A log read from static tiles on any host (protocol note §13.6, c2sp.org/tlog-tiles): the
// checkpoint, checked with the manifest's log key and witnesses; every leaf hash from the level-0
// tiles, authenticated by recomputing the checkpoint's root from them; entries from the entry
// bundles, each checked against its leaf. Nothing the copy's host says is taken on trust: a copy
// that differs from the signed tree in one byte is refused.
//
// Reading every leaf hash costs 32 bytes and two hashes per entry (about 32 MB for a million
// entries); the page says what it is doing while it reads.

import { sha256 } from "@noble/hashes/sha2.js";
import { checkCheckpointNote, type Witnessed } from "./note.ts";
import { concat, decodeEntry, type EntryJson } from "./protocol.ts";

const WIDTH = 256;

/** The copy differs from the signed tree, or cannot be read: the pages say not to trust it. */
export class CopyError extends Error {}

/** The path element of tile index `n`: 3-digit groups, all but the last prefixed `x`. */
export function tileIndex(n: number): string {
  const groups = [String(n % 1000).padStart(3, "0")];
  for (n = Math.floor(n / 1000); n > 0; n = Math.floor(n / 1000)) groups.unshift(`x${String(n % 1000).padStart(3, "0")}`);
  return groups.join("/");
}

/** `tile/L/N` or `tile/entries/N`, with `.p/W` for a partial tile of width `W`. */
export function tilePath(level: number | "entries", n: number, width: number): string {
  return `tile/${level}/${tileIndex(n)}${width < WIDTH ? `.p/${width}` : ""}`;
}

/** `fetch`, a network or cross-origin refusal said as a copy that cannot be read. */
async function reach(url: string): Promise<Response> {
  try {
    return await fetch(url);
  } catch {
    throw new CopyError(`${url} cannot be read (is the address right, and does its host allow other origins to read it?)`);
  }
}

const leafHash = (entry: Uint8Array) => sha256(concat(Uint8Array.of(0), entry));
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(concat(Uint8Array.of(1), left, right));
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The RFC 9162 root of the first `size` of `leaves` (the empty tree's root is SHA-256 of nothing). */
export function rootOf(leaves: Uint8Array[], size: number): Uint8Array {
  // The compact range of the prefix: one full subtree per set bit of `size`, largest first.
  const stack: { height: number; hash: Uint8Array }[] = [];
  for (let i = 0; i < size; i++) {
    let node = { height: 0, hash: leaves[i] };
    while (stack.length > 0 && stack[stack.length - 1].height === node.height) {
      const left = stack.pop()!;
      node = { height: node.height + 1, hash: nodeHash(left.hash, node.hash) };
    }
    stack.push(node);
  }
  if (stack.length === 0) return sha256(new Uint8Array(0));
  let root = stack[stack.length - 1].hash;
  for (let k = stack.length - 2; k >= 0; k--) root = nodeHash(stack[k].hash, root);
  return root;
}

/** What a checkpoint note's text states: origin, size and root. */
export function stated(note: string): { size: number; root: Uint8Array } {
  const [, size, root] = note.split("\n");
  return { size: Number(size), root: Uint8Array.from(atob(root), (c) => c.charCodeAt(0)) };
}

/** The first `count` entries of an entry bundle, as a bundle of their own. */
function firstEntries(bundle: Uint8Array, count: number): Uint8Array {
  let at = 0;
  for (let k = 0; k < count && at + 2 <= bundle.length; k++) at += 2 + ((bundle[at] << 8) | bundle[at + 1]);
  return bundle.slice(0, Math.min(at, bundle.length));
}

export class TileLog {
  private leaves: Uint8Array[] | null = null;

  private constructor(
    readonly prefix: string,
    readonly size: number,
    readonly root: Uint8Array,
    readonly note: string,
  ) {}

  /** The copy at `prefix`: its checkpoint must be signed by the log's key with the quorum. */
  static async open(prefix: string, log: Witnessed): Promise<TileLog> {
    const base = prefix.replace(/\/+$/, "");
    const response = await reach(`${base}/checkpoint`);
    if (!response.ok) throw new CopyError(`${base}/checkpoint: ${response.status}`);
    const note = await response.text();
    const { size, root } = stated(note);
    const why = checkCheckpointNote(note, log, size, root);
    if (why !== null) throw new CopyError(`${base}/checkpoint: ${why}`);
    return new TileLog(base, size, root, note);
  }

  private async bytes(path: string): Promise<Uint8Array> {
    const response = await reach(`${this.prefix}/${path}`);
    if (!response.ok) throw new CopyError(`${this.prefix}/${path}: ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  /** Tile `n` of `level` at `width`: a live log may have grown past the checkpoint read, and
   * then serves the full tile (or a wider partial one) instead; its first `width` hashes (or
   * entries) are the same (tlog-tiles). */
  private async tile(level: 0 | "entries", n: number, width: number): Promise<Uint8Array> {
    try {
      return await this.bytes(tilePath(level, n, width));
    } catch (e) {
      if (width === WIDTH) throw e;
      const full = await this.bytes(tilePath(level, n, WIDTH)).catch(() => {
        throw e;
      });
      return level === 0 ? full.slice(0, 32 * width) : firstEntries(full, width);
    }
  }

  /** Every leaf hash, from the level-0 tiles, checked against the checkpoint's root. */
  async leafHashes(progress: (done: number, total: number) => void = () => {}): Promise<Uint8Array[]> {
    if (this.leaves) return this.leaves;
    const leaves: Uint8Array[] = [];
    for (let n = 0; n * WIDTH < this.size; n++) {
      const width = Math.min(WIDTH, this.size - n * WIDTH);
      const tile = await this.tile(0, n, width);
      if (tile.length !== 32 * width) throw new CopyError(`${tilePath(0, n, width)}: not ${width} hashes`);
      for (let k = 0; k < width; k++) leaves.push(tile.slice(32 * k, 32 * k + 32));
      progress(leaves.length, this.size);
    }
    if (!equal(rootOf(leaves, this.size), this.root)) throw new CopyError("the tiles do not make the checkpoint's tree");
    this.leaves = leaves;
    return leaves;
  }

  /** The root of the tree's first `size` entries (at most the checkpoint's). */
  async rootAt(size: number): Promise<Uint8Array> {
    if (size > this.size) throw new CopyError(`the copy of the log has ${this.size} entries, not ${size}`);
    return rootOf(await this.leafHashes(), size);
  }

  /** Entries `from..to`, each read from its bundle and checked against its leaf hash. */
  async entries(from: number, to: number): Promise<{ index: number; entry: EntryJson }[]> {
    const leaves = await this.leafHashes();
    const out: { index: number; entry: EntryJson }[] = [];
    for (let n = Math.floor(from / WIDTH); n * WIDTH < Math.min(to, this.size); n++) {
      const width = Math.min(WIDTH, this.size - n * WIDTH);
      const bundle = await this.tile("entries", n, width);
      let at = 0;
      for (let k = 0; k < width; k++) {
        if (at + 2 > bundle.length) throw new CopyError(`${tilePath("entries", n, width)}: it ends early`);
        const length = (bundle[at] << 8) | bundle[at + 1];
        const bytes = bundle.subarray(at + 2, at + 2 + length);
        if (bytes.length !== length) throw new CopyError(`${tilePath("entries", n, width)}: it ends early`);
        at += 2 + length;
        const index = n * WIDTH + k;
        if (!equal(leafHash(bytes), leaves[index])) throw new CopyError(`entry ${index} is not the tree's`);
        if (index >= from && index < to) out.push({ index, entry: decodeEntry(bytes) });
      }
      if (at !== bundle.length) throw new CopyError(`${tilePath("entries", n, width)}: bytes after its ${width} entries`);
    }
    return out;
  }
}
