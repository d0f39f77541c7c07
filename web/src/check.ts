// The "check this ballot" page (/check): on a second device, it reads the public log itself,
// finds the challenged ballot by its tracking code (recomputing the code from the entry), checks
// that every revealed (m, r) re-encrypts to the ballot's ciphertexts under the election key, and
// says in words what the ballot said. Given a copy of the log as tiles on any host (§13.6), it
// reads the record and the entries from the copy instead, each entry checked against the copy's
// signed and witnessed tree.

import { $, apiBase, fetchJson, reloadWithCopy, say } from "./dom.ts";
import { apply, t } from "./i18n.ts";
import { pinElection } from "./pin.ts";
import * as p from "./protocol.ts";
import type { LogPage } from "./api.ts";
import { CopyError, TileLog } from "./tiles.ts";



/** A log entry at its position, from the host's log pages or from a copy's bundles. */
type Item = { index: number; entry: p.EntryJson };

const tell = (text: string | Node[], kind: "ok" | "error") => say("check-message", text, kind);

/** A page of the host's log (`LogPage`), its entries as the record's JSON. */
async function page(api: string, id: string, from: number, limit: number): Promise<{ entries: Item[]; next: number | null }> {
  const answer = await fetchJson<LogPage>(`${api}/api/elections/${encodeURIComponent(id)}/log?from=${from}&limit=${limit}`);
  return { entries: answer.entries.map((e) => ({ index: e.index, entry: e.entry as unknown as p.EntryJson })), next: answer.next };
}

/** The challenged ballot among `entries` whose tracking code is `tracking`, recomputed here (not
 * taken from the server): the booth showed the ballot's code as it would have been cast; its log
 * entry, opened, has the other. */
function challenged(election: p.Election, tracking: string, entries: Item[]): { ballot: p.Ballot; reveal: p.BallotSecrets } | null {
  for (const item of entries) {
    if (item.entry.kind !== "spoiled") continue;
    const ballot = p.ballotFromJson(item.entry.ballot);
    const reveal: p.BallotSecrets = (item.entry.reveal ?? []).map((q) => q.map((s) => [s.m, p.scalarFromHex(s.r)]));
    // Version 3: the booth showed the ballot's fingerprint (protocol note §11); the server's
    // answer to the challenge gave the entry's tracking code.
    const codes = ballot.oneTime
      ? [p.fingerprint(election.base, ballot), p.trackingCode(p.entryBytes(election.base, ballot, reveal))]
      : [p.trackingCode(p.entryBytes(election.base, ballot)), p.trackingCode(p.entryBytes(election.base, ballot, reveal))];
    if (codes.includes(tracking)) return { ballot, reveal };
  }
  return null;
}

async function check(event?: Event) {
  event?.preventDefault();
  const id = ($("election") as HTMLInputElement).value.trim();
  const tracking = ($("tracking") as HTMLInputElement).value.trim().toLowerCase();
  const copyAt = ($("copy") as HTMLInputElement).value.trim().replace(/\/+$/, "");
  if (reloadWithCopy(copyAt, { election: id, tracking })) return;
  // The record's documents from the host's API, or from a copy of the log (§13.6).
  // The election's server: this origin, or the one a static copy's server.json names.
  const api = await apiBase();
  const recordDir = copyAt ? `${copyAt}/record` : `${api}/api/elections/${encodeURIComponent(id)}/record`;
  const manifestBytes = new Uint8Array(await (await fetch(`${recordDir}/manifest.json`)).arrayBuffer());
  const manifest: p.ManifestJson = JSON.parse(new TextDecoder().decode(manifestBytes));
  // The key and base hash the reveal is checked under, recomputed from the record (§13.5).
  let pinned;
  try {
    pinned = await pinElection(id, manifestBytes, api, copyAt ? recordDir : undefined);
  } catch (e) {
    return tell(t("booth-pin-bad", { why: (e as Error).message }), "error");
  }
  const election: p.Election = {
    base: pinned.base,
    K: pinned.K,
    questions: manifest.questions.map(p.questionShape),
  };
  // The entries `from..from+limit`, from the host or from the copy (each checked against the
  // copy's signed tree); `next` is null at the end.
  let read = (from: number, limit: number) => page(api, id, from, limit);
  if (copyAt) {
    const copy = await TileLog.open(copyAt, manifest);
    read = async (from, limit) => {
      const to = Math.min(from + limit, copy.size);
      return { entries: from < to ? await copy.entries(from, to) : [], next: to < copy.size ? to : null };
    };
  }
  // Straight to the position the booth gave, if any; else through the whole log.
  const at = Number(new URLSearchParams(location.search).get("index") ?? "NaN");
  let found = Number.isInteger(at) ? challenged(election, tracking, (await read(at, 1)).entries) : null;
  for (let from = 0; !found; ) {
    const next = await read(from, 1000);
    found = challenged(election, tracking, next.entries);
    if (next.next === null || next.entries.length === 0) break;
    from = next.next;
  }
  if (found) {
    const { ballot, reveal } = found;
    if (!p.checkReveal(election, ballot, reveal) || p.verifyBallot(election, ballot).length > 0) {
      return tell(t("check-bad"), "error");
    }
    // The election's own texts may be in another script: each is isolated (<bdi>) so that
    // right-to-left and left-to-right text do not reorder each other.
    const isolate = (text: string) => Object.assign(document.createElement("bdi"), { textContent: text });
    const lines: Node[] = [document.createTextNode(`${t("check-ok")}:`)];
    manifest.questions.forEach((q, qi) => {
      const values = reveal[qi].map(([m]) => m);
      const answer =
        q.kind === "yes-no"
          ? t(values[0] === 1 ? "booth-yes" : q.blank && values[1] !== 1 ? "booth-blank" : "booth-no")
          : (q.options ?? []).filter((_, i) => values[i] > 0).join(", ");
      const line = document.createElement("span");
      line.className = "answer";
      line.append(isolate(q.text), " — ", isolate(answer));
      lines.push(line);
    });
    return tell(lines, "ok");
  }
  tell(t("check-notfound"), "error");
}

apply();
const params = new URLSearchParams(location.search);
const fragment = new URLSearchParams(location.hash.slice(1));
($("election") as HTMLInputElement).value = fragment.get("election") ?? params.get("election") ?? "";
($("copy") as HTMLInputElement).value = params.get("copy") ?? "";
// The tracking code comes in the fragment (never sent to a server); older links had it in the query.
($("tracking") as HTMLInputElement).value = fragment.get("tracking") ?? params.get("tracking") ?? "";
const run = (e?: Event) =>
  check(e).catch((err) =>
    tell(t(err instanceof CopyError ? "receipt-badcopy" : "error-server", { message: err.message, why: err.message }), "error"),
  );
$("check-form").addEventListener("submit", run);
if (params.get("check") === "1") run();
