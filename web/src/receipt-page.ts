// The receipt page (/receipt): at any later time, on any device, a voter checks the receipt
// they kept (this device's, or a downloaded file) against what the public sees (protocol note
// §13.4): the receipt alone (the log key's signature, the witnesses' quorum, the inclusion
// proof); the entry the host now shows at its position; a consistency proof from the receipt's
// checkpoint to the host's latest; each witness's latest cosigned checkpoint, asked of the
// witness itself; and the later entries, for a ballot under the same credential.

import { $, say } from "./dom.ts";
import { apply, t } from "./i18n.ts";
import { checkCheckpointNote, parseVerifierKey, type Witnessed } from "./note.ts";
import { fromHex } from "./protocol.ts";
import { checkReceipt, keptReceipt, verifyConsistency, type Receipt } from "./receipt.ts";

const tell = (text: string, kind: "ok" | "error") => say("receipt-message", text, kind);

class Failure extends Error {
  constructor(public key: string, public values: Record<string, string | number>) {
    super(key);
  }
}
const notInLog = (why: string) => new Failure("receipt.notinlog", { why });
const equivocation = (why: string) => new Failure("receipt.equivocation", { why });

async function json(path: string): Promise<any> {
  const response = await fetch(path);
  if (!response.ok) throw notInLog(`${path}: ${response.status}`);
  return response.json();
}

/** The size and root a checkpoint note's text states. */
function stated(note: string): { size: number; root: Uint8Array } {
  const [, size, root] = note.split("\n");
  return { size: Number(size), root: Uint8Array.from(atob(root), (c) => c.charCodeAt(0)) };
}

async function consistent(base: string, from: { size: number; root: Uint8Array }, to: { size: number; root: Uint8Array }): Promise<boolean> {
  if (from.size > to.size) return consistent(base, to, from);
  if (from.size === to.size || from.size === 0) return verifyConsistency(from.size, to.size, from.root, to.root, []);
  const proof = await fetch(`${base}/consistency?from=${from.size}&to=${to.size}`);
  if (!proof.ok) return false;
  const body = await proof.json();
  return verifyConsistency(from.size, to.size, from.root, to.root, body.proof.map(fromHex));
}

async function check(event?: Event) {
  event?.preventDefault();
  $("receipt-witnesses").replaceChildren();
  const id = ($("election") as HTMLInputElement).value.trim();
  const index = Number(($("index") as HTMLInputElement).value.trim());
  const tracking = ($("tracking") as HTMLInputElement).value.trim().toLowerCase();
  const base = `/api/elections/${encodeURIComponent(id)}`;
  const file = ($("receipt-file") as HTMLInputElement).files?.[0];
  const kept: Receipt | null = file ? JSON.parse(await file.text()) : keptReceipt(id, index);
  const manifestBytes = new Uint8Array(await (await fetch(`${base}/record/manifest.json`)).arrayBuffer());
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Witnessed & { version?: number };

  // 1. The receipt alone, and the entry the host shows at its position now.
  if (kept) {
    const why = checkReceipt(manifestBytes, kept);
    if (why !== null) throw notInLog(why);
    if (kept.index !== index || kept.tracking_code !== tracking) throw notInLog(t("receipt.other"));
  }
  const response = await fetch(`${base}/receipts/${index}`);
  if (!response.ok) throw notInLog(t("receipt.missing"));
  const current: Receipt = await response.json();
  if (current.tracking_code !== tracking) throw notInLog(t("receipt.other"));
  const why = checkReceipt(manifestBytes, current);
  if (why !== null) throw notInLog(why);
  const latest = { size: current.checkpoint.size, root: fromHex(current.checkpoint.root) };
  const mine = kept ? { size: kept.checkpoint.size, root: fromHex(kept.checkpoint.root) } : latest;
  if (kept && !(await consistent(base, mine, latest))) {
    throw equivocation(`${mine.size} → ${latest.size}`);
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
      item(t("receipt.unreachable", { name }));
      continue;
    }
    const theirs = stated(note);
    const alone = { log_key: manifest.log_key, witnesses: [w], witness_quorum: 1 };
    if (checkCheckpointNote(note, alone, theirs.size, theirs.root) !== null) {
      item(t("receipt.unreachable", { name }));
      continue;
    }
    if (!(await consistent(base, mine, theirs))) throw equivocation(`${name}: ${theirs.size}`);
    seen++;
  }

  // 3. No later ballot under the same credential counts in its place.
  const entry = (await json(`${base}/log?from=${index}&limit=1`)).entries[0]?.entry;
  const credential = entry?.kind === "cast" ? entry.ballot.credential : null;
  for (let from = index + 1; credential; ) {
    const page = await json(`${base}/log?from=${from}&limit=1000`);
    const later = page.entries.find((e: any) => e.entry.kind === "cast" && e.entry.ballot.credential === credential);
    if (later) throw new Failure("receipt.superseded", { later: later.index });
    if (page.next === null || page.entries.length === 0) break;
    from = page.next;
  }
  const shown = t("booth.receipt.ok", { index: current.index, size: current.checkpoint.size });
  tell(witnesses.length ? `${shown} ${t("receipt.witnesses", { seen, count: witnesses.length })}` : shown, "ok");
}

apply();
const params = new URLSearchParams(location.search);
// The tracking code comes in the fragment (never sent to a server); older links had it in the query.
const fragment = new URLSearchParams(location.hash.slice(1));
for (const name of ["election", "index", "tracking"]) ($(name) as HTMLInputElement).value = fragment.get(name) ?? params.get(name) ?? "";
$("receipt-form").addEventListener("submit", (e) =>
  check(e).catch((err) =>
    err instanceof Failure ? tell(t(err.key, err.values), "error") : tell(t("error.server", { message: err.message }), "error"),
  ),
);
