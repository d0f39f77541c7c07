// The receipt page (/receipt): at any later time, on any device, a voter checks the receipt
// they kept (this device's, or a downloaded file) against what the public sees (protocol note
// §13.4): the receipt alone (the log key's signature, the witnesses' quorum, the inclusion
// proof); the entry the host now shows at its position; a consistency proof from the receipt's
// checkpoint to the host's latest; each witness's latest cosigned checkpoint, asked of the
// witness itself; and the later entries, for a ballot under the same credential. Given a copy of
// the log as tiles on any host (§13.6), it checks all of this against the copy instead, and
// needs nothing from the election's host.

import { $, apiBase, reloadWithCopy, say } from "./dom.ts";
import { apply, formatDate, t } from "./i18n.ts";
import type { MessageId } from "./messages.ts";
import { checkCheckpointNote, cosignedAt, parseVerifierKey, type Witnessed } from "./note.ts";
import type { Consistency, LogPage } from "./api.ts";
import { fromHex, toHex, type EntryJson } from "./protocol.ts";
import { checkReceipt, keptReceipt, verifyConsistency, type Receipt } from "./receipt.ts";
import { CopyError, stated, TileLog } from "./tiles.ts";

const tell = (text: string, kind: "ok" | "error") => say("receipt-message", text, kind);

class Failure extends Error {
  constructor(public key: MessageId, public values: Record<string, string | number>) {
    super(key);
  }
}
const notInLog = (why: string) => new Failure("receipt-notinlog", { why });
const equivocation = (why: string) => new Failure("receipt-equivocation", { why });

async function json<T>(path: string): Promise<T> {
  const response = await fetch(path);
  if (!response.ok) throw notInLog(`${path}: ${response.status}`);
  return (await response.json()) as T;
}

type Tree = { size: number; root: Uint8Array };

/** What the page compares the receipt with: the host's API, or a copy of the log as tiles. */
interface LogView {
  /** The newest tree it shows. */
  latest: Tree;
  /** The tracking code at `index`, or null if there is no entry there. */
  trackingAt(index: number): Promise<string | null>;
  /** Whether the tree `from` is a prefix of `to`; null if this view cannot tell (`to` is ahead). */
  consistent(from: Tree, to: Tree): Promise<boolean | null>;
  /** The log entries from `from` on, a page at a time. */
  entries(from: number): AsyncGenerator<{ index: number; entry: EntryJson }>;
}

async function hostView(base: string, manifestBytes: Uint8Array, index: number): Promise<LogView> {
  const response = await fetch(`${base}/receipts/${index}`);
  if (!response.ok) throw notInLog(t("receipt-missing"));
  const current = (await response.json()) as Receipt;
  const why = checkReceipt(manifestBytes, current);
  if (why !== null) throw notInLog(why);
  const consistent = async (from: Tree, to: Tree): Promise<boolean> => {
    if (from.size > to.size) return consistent(to, from);
    if (from.size === to.size || from.size === 0) return verifyConsistency(from.size, to.size, from.root, to.root, []);
    const proof = await fetch(`${base}/consistency?from=${from.size}&to=${to.size}`);
    if (!proof.ok) return false;
    const body = (await proof.json()) as Consistency;
    return verifyConsistency(from.size, to.size, from.root, to.root, body.proof.map(fromHex));
  };
  return {
    latest: { size: current.checkpoint.size, root: fromHex(current.checkpoint.root) },
    trackingAt: async (at) => (at === index ? current.tracking_code : null),
    consistent,
    entries: async function* (from) {
      while (true) {
        const page = await json<LogPage>(`${base}/log?from=${from}&limit=1000`);
        yield* page.entries.map((e) => ({ index: e.index, entry: e.entry as unknown as EntryJson }));
        if (page.next === null || page.entries.length === 0) return;
        from = page.next;
      }
    },
  };
}

async function copyView(copy: TileLog): Promise<LogView> {
  const leaves = await copy.leafHashes((done, total) => say("receipt-message", t("receipt-reading", { done, total }), "info"));
  return {
    latest: { size: copy.size, root: copy.root },
    trackingAt: async (at) => (at < copy.size ? toHex(leaves[at]) : null),
    consistent: async (from, to) => {
      for (const tree of [from, to]) {
        if (tree.size > copy.size) return null;
        if (toHex(await copy.rootAt(tree.size)) !== toHex(tree.root)) return false;
      }
      return true;
    },
    entries: async function* (from) {
      for (let at = from; at < copy.size; at += 1000) yield* await copy.entries(at, Math.min(at + 1000, copy.size));
    },
  };
}

async function check(event?: Event) {
  event?.preventDefault();
  $("receipt-witnesses").replaceChildren();
  const id = ($("election") as HTMLInputElement).value.trim();
  const index = Number(($("index") as HTMLInputElement).value.trim());
  const tracking = ($("tracking") as HTMLInputElement).value.trim().toLowerCase();
  const copyAt = ($("copy") as HTMLInputElement).value.trim().replace(/\/+$/, "");
  if (reloadWithCopy(copyAt, { election: id, index: String(index), tracking })) return;
  // The election's server: this origin, or the one a static copy's server.json names.
  const base = `${await apiBase()}/api/elections/${encodeURIComponent(id)}`;
  const file = ($("receipt-file") as HTMLInputElement).files?.[0];
  const kept: Receipt | null = file ? JSON.parse(await file.text()) : keptReceipt(id, index);
  // From a copy, the election's manifest comes with it: the kept receipt must verify under it.
  const manifestBytes = new Uint8Array(await (await fetch(copyAt ? `${copyAt}/record/manifest.json` : `${base}/record/manifest.json`)).arrayBuffer());
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Witnessed & { version?: number };

  // 1. The receipt alone, and the entry the log shows at its position now.
  if (kept) {
    const why = checkReceipt(manifestBytes, kept);
    if (why !== null) throw notInLog(why);
    if (kept.index !== index || kept.tracking_code !== tracking) throw notInLog(t("receipt-other"));
  }
  let view: LogView;
  try {
    view = copyAt ? await copyView(await TileLog.open(copyAt, manifest)) : await hostView(base, manifestBytes, index);
  } catch (e) {
    throw e instanceof Failure || e instanceof CopyError ? e : notInLog((e as Error).message);
  }
  const at = await view.trackingAt(index);
  if (at === null) throw notInLog(t("receipt-missing"));
  if (at !== tracking) throw notInLog(t("receipt-other"));
  const mine = kept ? { size: kept.checkpoint.size, root: fromHex(kept.checkpoint.root) } : view.latest;
  if (kept) {
    const holds = await view.consistent(mine, view.latest);
    if (holds === null) throw new Failure("receipt-behind", { size: view.latest.size, mine: mine.size });
    if (!holds) throw equivocation(`${mine.size} → ${view.latest.size}`);
  }

  // 2. Each witness's latest checkpoint, from the witness itself.
  const witnesses = manifest.witnesses ?? [];
  let seen = 0;
  for (const w of witnesses) {
    const name = parseVerifierKey(w.key).name;
    const item = (text: string) => $("receipt-witnesses").append(Object.assign(document.createElement("li"), { textContent: text }));
    let note: string;
    try {
      const answer = await fetch(`${w.url}/checkpoint/${parseVerifierKey(manifest.log_key).name}`);
      if (!answer.ok) throw new Error(`${answer.status}`);
      note = await answer.text();
    } catch {
      item(t("receipt-unreachable", { name }));
      continue;
    }
    const theirs = stated(note);
    const alone = { log_key: manifest.log_key, witnesses: [w], witness_quorum: 1 };
    if (checkCheckpointNote(note, alone, theirs.size, theirs.root) !== null) {
      item(t("receipt-unreachable", { name }));
      continue;
    }
    const holds = await view.consistent(mine, theirs);
    if (holds === null) {
      item(t("receipt-ahead", { name, size: theirs.size }));
      continue;
    }
    if (!holds) throw equivocation(`${name}: ${theirs.size}`);
    seen++;
    const at = cosignedAt(note, w.key);
    // The name (Latin letters) isolated, so a right-to-left sentence keeps its order around it.
    item(t("receipt-witness-seen", { name: `\u2068${name}\u2069`, size: theirs.size, date: at === null ? "?" : formatDate(at) }));
  }

  // 3. No later ballot under the same credential counts in its place.
  let credential: string | null = null;
  for await (const { index: i, entry } of view.entries(index)) {
    if (i === index) {
      credential = entry.kind === "cast" ? (entry.ballot.credential ?? null) : null;
      if (!credential) break;
    } else if (entry.kind === "cast" && entry.ballot.credential === credential) {
      throw new Failure("receipt-superseded", { later: i });
    }
  }
  const shown = t("booth-receipt-ok", { index, size: view.latest.size });
  const where = copyAt ? ` ${t("receipt-fromcopy", { copy: copyAt, size: view.latest.size })}` : "";
  tell(witnesses.length ? `${shown} ${t("receipt-witnesses", { seen, count: witnesses.length })}${where}` : `${shown}${where}`, "ok");
}

apply();
const params = new URLSearchParams(location.search);
// The tracking code comes in the fragment (never sent to a server); older links had it in the query.
const fragment = new URLSearchParams(location.hash.slice(1));
for (const name of ["election", "index", "tracking", "copy"]) ($(name) as HTMLInputElement).value = fragment.get(name) ?? params.get(name) ?? "";
const run = (e?: Event) =>
  check(e).catch((err) =>
    err instanceof Failure
      ? tell(t(err.key, err.values), "error")
      : err instanceof CopyError
        ? tell(t("receipt-badcopy", { why: err.message }), "error")
        : tell(t("error-server", { message: err.message }), "error"),
  );
$("receipt-form").addEventListener("submit", run);
if (params.get("check") === "1") run();
