// The receipt page (/receipt): at any later time, on any device, a voter checks that their
// ballot is still in the log — the browser asks the server for the inclusion proof of the log
// position against the *current* signed checkpoint, and checks both the checkpoint's signature
// (the manifest's log key) and the proof, for the tracking code the voter kept.

import { $, say } from "./dom.ts";
import { apply, t } from "./i18n.ts";
import { checkReceipt, type Receipt } from "./receipt.ts";

const tell = (text: string, kind: "ok" | "error") => say("receipt-message", text, kind);

async function check(event?: Event) {
  event?.preventDefault();
  const id = ($("election") as HTMLInputElement).value.trim();
  const index = Number(($("index") as HTMLInputElement).value.trim());
  const tracking = ($("tracking") as HTMLInputElement).value.trim().toLowerCase();
  const base = `/api/elections/${encodeURIComponent(id)}`;
  const manifestBytes = new Uint8Array(await (await fetch(`${base}/record/manifest.json`)).arrayBuffer());
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes));
  const response = await fetch(`${base}/receipts/${index}`);
  if (!response.ok) return tell(t("receipt.missing"), "error");
  const receipt: Receipt = await response.json();
  if (receipt.tracking_code !== tracking) return tell(t("receipt.other"), "error");
  const why = checkReceipt(manifestBytes, receipt);
  if (why !== null) return tell(t("booth.receipt.bad", { why }), "error");
  tell(t("booth.receipt.ok", { index: receipt.index, size: receipt.checkpoint.size }), "ok");
}

apply();
const params = new URLSearchParams(location.search);
// The tracking code comes in the fragment (never sent to a server); older links had it in the query.
const fragment = new URLSearchParams(location.hash.slice(1));
for (const name of ["election", "index", "tracking"]) ($(name) as HTMLInputElement).value = fragment.get(name) ?? params.get(name) ?? "";
$("receipt-form").addEventListener("submit", (e) => check(e).catch((err) => tell(t("error.server", { message: err.message }), "error")));
