// The voting booth (/vote/ID): sign in with a one-time code, read the question and the text to
// ratify, choose, encrypt-prove-sign here, then cast or challenge (Benaloh); after casting, the
// receipt is checked in this browser against the signed checkpoint. The request that casts
// carries only the encrypted ballot: the choice never leaves the device.

import { $, ApiError, apiBase, electionId, fetchJson, pageHref, say } from "./dom.ts";
import { CODE_LEN, deriveCredential, normalizeCode, normalizeKey, parseCode, parseCredential, TypedError } from "./typed.ts";
import type { Election, Receipt as ApiReceipt, Session } from "./api.ts";
import { apply, currentLang, electionTexts, t, textIn } from "./i18n.ts";
import * as p from "./protocol.ts";
import { pinElection } from "./pin.ts";
import { checkReceipt, keepReceipt, type Receipt } from "./receipt.ts";
import { sha256 } from "@noble/hashes/sha2.js";
import decodeQR from "@paulmillr/qr/decode.js";
import encodeQR from "@paulmillr/qr";
import { micromark } from "micromark";

const show = (id: string, visible: boolean) => ($(id).hidden = !visible);
const id = electionId();
/** The API's origin: "" on a Convene server, the server's address in a static copy. */
let base = "";

let manifest: p.ManifestJson;
let manifestBytes: Uint8Array;
let election: p.Election;
let session = "";
let secret = 0n;
let region = "";
let pending: { ballot: p.Ballot; secrets: p.BallotSecrets; tracking: string } | null = null;

/** The API's answer to `path` (on the server the page talks to), as its type. */
const api = <T>(path: string, init?: RequestInit) => fetchJson<T>(base + path, init);

/** The text to ratify, in the page's language where the convention gave an official
 * translation (`constitution.LANG.md`), else as adopted; shown only if its SHA-256 is the one
 * the signed manifest names. */
async function showText() {
  const adopted = manifest.origin?.constitution_sha256;
  if (!adopted) return;
  const lang = currentLang();
  const translated = Object.entries(manifest.translations ?? {}).find(([tag, t]) => tag.split("-")[0] === lang && t.constitution_sha256);
  const [file, expected] = translated ? [`constitution.${translated[0]}.md`, translated[1].constitution_sha256!] : ["constitution.md", adopted];
  const text = await (await fetch(`${base}/api/elections/${encodeURIComponent(id)}/record/${file}`)).text();
  // The text shown is the text the manifest's hash names, or nothing.
  if (p.toHex(sha256(new TextEncoder().encode(text))) !== expected) return show("text-section", false);
  // Rendered from Markdown by micromark, which by default writes no raw HTML and no dangerous
  // link (the text cannot run script or load anything).
  $("constitution").innerHTML = micromark(text);
  $("constitution").lang = translated ? translated[0] : "";
  show("text-section", true);
}

/** The sheet's QR code opens the booth with the credential and the code in the address's
 * fragment (protocol note §14.6), which no browser sends to a server: they fill the form, and the
 * fragment is removed from the address bar and from the history at once. */
function readFragment() {
  if (!location.hash) return;
  const fragment = location.hash;
  history.replaceState(history.state, "", location.pathname + location.search);
  if (fillFrom(fragment)) say("signin-message", t("booth-scanned"));
}

/** Fills the form from a sheet's or slip's fragment (`#c=…&k=…`); false if it names neither. */
function fillFrom(fragment: string): boolean {
  const given = new URLSearchParams(fragment.replace(/^#/, ""));
  const [credential, code] = [given.get("c"), given.get("k")];
  if (credential) ($("key") as HTMLInputElement).value = credential;
  if (code) ($("code") as HTMLInputElement).value = code;
  return Boolean(credential || code);
}

/** The phone's camera reads the other document's QR code (a code issuer's slip, or the sheet),
 * decoded here by @paulmillr/qr; nothing leaves the device. Stops after a minute. */
async function scan() {
  const video = $("scan-video") as HTMLVideoElement;
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  } catch {
    return say("signin-message", t("booth-scan-denied"), "error");
  }
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  say("signin-message", t("booth-scan-looking"));
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  const started = Date.now();
  const stop = () => {
    stream.getTracks().forEach((track) => track.stop());
    video.srcObject = null;
    video.hidden = true;
  };
  const frame = () => {
    if (video.videoWidth > 0) {
      [canvas.width, canvas.height] = [video.videoWidth, video.videoHeight];
      context.drawImage(video, 0, 0);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      let text: string | null = null;
      try {
        text = decodeQR({ width: image.width, height: image.height, data: image.data });
      } catch {
        // No readable code in this frame yet.
      }
      const hash = text?.indexOf("#") ?? -1;
      if (text !== null && hash >= 0 && fillFrom(text.slice(hash))) {
        stop();
        say("signin-message", t("booth-scanned"));
        return;
      }
    }
    if (Date.now() - started > 60_000) {
      stop();
      return say("signin-message", t("booth-scan-timeout"), "error");
    }
    setTimeout(frame, 100);
  };
  frame();
}

async function load() {
  apply();
  readFragment();
  window.addEventListener("hashchange", readFragment);
  // Shown from the first paint (so nothing moves), hidden where there is no camera to ask for.
  if ("mediaDevices" in navigator) $("scan-button").addEventListener("click", scan);
  else show("scan-button", false);
  document.addEventListener("convene:lang", () => {
    if (!manifest) return;
    $("title").textContent = electionTexts(manifest).title;
    renderQuestions();
    showText();
  });
  base = await apiBase();
  const shown = await api<Election>(`/api/elections/${encodeURIComponent(id)}`);
  manifestBytes = new Uint8Array(await (await fetch(`${base}/api/elections/${encodeURIComponent(id)}/record/manifest.json`)).arrayBuffer());
  manifest = JSON.parse(new TextDecoder().decode(manifestBytes));
  $("title").textContent = electionTexts(manifest).title;
  $("title").dir = "auto";
  document.title = `${electionTexts(manifest).title} — Convene`;
  await showText();
  if (shown.phase !== "open") {
    say("signin-message", t("booth-closed", { phase: t(`phase-${shown.phase}`) }), "error");
    show("fingerprint", false);
    ($("signin-button") as HTMLButtonElement).disabled = true;
    return;
  }
  // A demonstration referendum publishes its voters' sheets: offer one.
  const demo = await fetch(`${base}/api/elections/${encodeURIComponent(id)}/demo`);
  if (demo.ok) {
    const voters = (await demo.json()) as { code: string; key: string }[];
    show("demo-box", true);
    $("demo-button").addEventListener("click", () => {
      const voter = voters[Math.floor(Math.random() * voters.length)];
      ($("code") as HTMLInputElement).value = voter.code;
      ($("key") as HTMLInputElement).value = voter.key;
      $("signin-button").focus();
    });
  }
  // The key and base hash come from the record, recomputed and checked here (protocol note
  // §13.5), never from the host's word.
  try {
    const pinned = await pinElection(id, manifestBytes, base);
    if (shown.base_hash !== p.toHex(pinned.base)) throw new Error("base-hash");
    election = { base: pinned.base, K: pinned.K, questions: manifest.questions.map(p.questionShape) };
    $("fingerprint-value").textContent = pinned.fingerprint;
    show("fingerprint", true);
  } catch (e) {
    say("signin-message", t("booth-pin-bad", { why: (e as Error).message }), "error");
    show("fingerprint", false);
    ($("signin-button") as HTMLButtonElement).disabled = true;
    return;
  }
  renderQuestions();
}

function renderQuestions() {
  if (!manifest) return;
  const form = $("questions");
  const kept = new FormData($("questions-form") as HTMLFormElement);
  form.replaceChildren();
  manifest.questions.forEach((q, qi) => {
    const set = document.createElement("fieldset");
    const legend = document.createElement("legend");
    // The election's texts may be in another script than the page: let them set their own direction.
    legend.dir = "auto";
    const words = electionTexts(manifest).questions[qi];
    legend.textContent = words.text;
    set.append(legend);
    const choices: [string, string][] =
      q.kind === "yes-no"
        ? [["yes", t("booth-yes")], ["no", t("booth-no")], ...(q.blank ? [["blank", t("booth-blank")] as [string, string]] : [])]
        : q.options!.map((o, i) => [o, words.options[i]]);
    const multiple = q.kind === "choose" && (q.max ?? 1) > 1;
    for (const [value, label] of choices) {
      const line = document.createElement("label");
      const input = document.createElement("input");
      input.type = multiple ? "checkbox" : "radio";
      input.name = `q${qi}`;
      input.value = value;
      input.checked = kept.getAll(`q${qi}`).includes(value);
      const text = document.createElement("bdi");
      text.textContent = label;
      line.append(input, " ", text);
      set.append(line);
    }
    form.append(set);
  });
}

/** The slot values of the chosen answers, or null if a question is unanswered. */
/** What the voter chose, in the page's words: each question with its chosen answers, for the
 * voter to read back beside the tracking code (the encrypted ballot shows nothing). */
function chosenWords(): HTMLElement[] {
  const data = new FormData($("questions-form") as HTMLFormElement);
  const texts = electionTexts(manifest);
  return manifest.questions.map((q, qi) => {
    const word = (value: string) =>
      q.kind === "choose" ? texts.questions[qi].options[q.options.indexOf(value)] : t(`booth-${value}`);
    const line = document.createElement("li");
    const question = document.createElement("bdi");
    question.textContent = texts.questions[qi].text;
    const answer = document.createElement("strong");
    answer.textContent = (data.getAll(`q${qi}`) as string[]).map(word).join(", ");
    line.append(question, " — ", answer);
    return line;
  });
}

function choices(): number[][] | null {
  const data = new FormData($("questions-form") as HTMLFormElement);
  const out: number[][] = [];
  for (const [qi, q] of manifest.questions.entries()) {
    const picked = data.getAll(`q${qi}`) as string[];
    if (q.kind === "yes-no") {
      if (picked.length !== 1) return null;
      const v = picked[0];
      out.push(q.blank ? [v === "yes" ? 1 : 0, v === "no" ? 1 : 0] : [v === "yes" ? 1 : 0]);
    } else {
      if (picked.length < (q.min ?? 0) || picked.length > (q.max ?? 1) || picked.length === 0) return null;
      out.push(q.options!.map((o) => (picked.includes(o) ? 1 : 0)));
    }
  }
  return out;
}

/** The credential secret of what the voter typed or scanned: a credential string whose key is
 * derived here with the manifest's Argon2id cost (protocol note §14), or a 64-hex key. */
async function credentialSecret(text: string): Promise<bigint> {
  const hex = normalizeKey(text);
  if (/^[0-9a-f]{64}$/.test(hex)) return p.scalarFromHex(hex);
  const kdf = manifest.credential_kdf;
  if (!kdf) throw new Error(t("error-keyformat"));
  const credential = parseCredential(text);
  const percent = new Intl.NumberFormat(currentLang(), { style: "percent" });
  say("signin-message", t("booth-deriving", { percent: percent.format(0) }));
  return deriveCredential(credential, id, kdf, (done) => say("signin-message", t("booth-deriving", { percent: percent.format(done) })));
}

/** What the server refused, in the page's language: its stable code's message where there is
 * one (`api-…` in locales/*.ftl), else its own words. */
function serverSays(e: unknown): string {
  if (e instanceof ApiError) return textIn(currentLang(), `api-${e.code}`) ?? e.message;
  return (e as Error).message;
}

/** What a refused credential or code means, in words. */
function refusal(e: unknown, what: "credential" | "code"): string {
  if (!(e instanceof TypedError)) return (e as Error).message;
  if (what === "code") return e.code === "not-in-alphabet" ? t("error-typed-alphabet", { char: e.character ?? "" }) : t("error-codecheck");
  if (e.code === "not-in-alphabet") return t("error-typed-alphabet", { char: e.character ?? "" });
  return t(e.code === "wrong-length" ? "error-typed-length" : "error-typed-check");
}

async function signIn(event: Event) {
  event.preventDefault();
  say("signin-message", "");
  const typedCode = ($("code") as HTMLInputElement).value;
  // A short code's check symbol catches a typo before anything is sent (§14.3).
  if (manifest.credential_kdf && normalizeCode(typedCode).length === CODE_LEN) {
    try {
      parseCode(typedCode);
    } catch (e) {
      return say("signin-message", refusal(e, "code"), "error");
    }
  }
  try {
    secret = await credentialSecret(($("key") as HTMLInputElement).value);
  } catch (e) {
    return say("signin-message", refusal(e, "credential"), "error");
  }
  // The credential the key gives goes with the code: a code issued for another credential is
  // refused and stays unspent, so a mistyped key costs no code.
  const credential = p.toHex(p.mulBase(secret).toBytes());
  let answer;
  try {
    answer = await api<Session>(`/api/elections/${encodeURIComponent(id)}/signin`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: normalizeCode(typedCode), credential }),
    });
  } catch (e) {
    secret = 0n;
    if (e instanceof ApiError && e.code === "wrong_key") return say("signin-message", t("error-key"), "error");
    return say("signin-message", t("error-code", { message: serverSays(e) }), "error");
  }
  if (credential !== answer.credential) {
    secret = 0n;
    return say("signin-message", t("error-key"), "error");
  }
  session = answer.session;
  region = answer.region ?? "";
  show("signin-section", false);
  show("choose-section", true);
  ($("questions").querySelector("input") as HTMLInputElement | null)?.focus();
}

/** The choice said back in words before anything is encrypted: the voter confirms or changes it. */
function review(event: Event) {
  event.preventDefault();
  if (!choices()) return say("choose-message", t("error-choose"), "error");
  say("choose-message", "");
  $("review-choice").replaceChildren(...chosenWords());
  show("choose-section", false);
  show("review-section", true);
  $("review-title").focus();
}

function changeChoice() {
  show("review-section", false);
  show("choose-section", true);
  ($("questions").querySelector("input:checked") as HTMLInputElement | null)?.focus();
}

async function encryptNow() {
  const values = choices();
  if (!values) return changeChoice();
  show("review-section", false);
  show("choose-section", true);
  say("choose-message", t("booth-working"));
  // Let the message paint before the work.
  await new Promise((r) => setTimeout(r, 20));
  // Version 3 (protocol note §11): the ballot is bound to a one-time key made for it here, and
  // the voter sees its fingerprint; only casting signs it with the credential.
  const oneTime = (manifest.version ?? 1) >= 3;
  const { ballot, secrets } = p.encryptBallot(election, oneTime ? p.randomScalar() : secret, region, values, oneTime);
  const tracking = oneTime ? p.fingerprint(election.base, ballot) : p.trackingCode(p.entryBytes(election.base, ballot));
  pending = { ballot, secrets, tracking };
  say("choose-message", "");
  showCode("tracking", tracking);
  $("encrypted-choice").replaceChildren(...chosenWords());
  show("choose-section", false);
  show("encrypted-section", true);
  $("cast-button").focus();
}

/** A tracking code as a voter reads it: its first 16 hex digits in groups of four (the whole
 * code in the receipt, the links and the element's title). */
function showCode(element: string, code: string) {
  const el = $(element);
  el.textContent = code.slice(0, 16).match(/.{4}/g)!.join(" ");
  el.title = code;
}

async function post(entry: object) {
  return api<ApiReceipt>(`/api/elections/${encodeURIComponent(id)}/ballots`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${session}` },
    body: JSON.stringify(entry),
  });
}

/** How long the booth asks for the receipt of a ballot stored before the witnesses cosigned. */
const RECEIPT_PATIENCE_MS = 120_000;

/**
 * Casts `ballot` and returns its receipt. A ballot stored before the election's witnesses
 * cosigned a checkpoint that covers it (503 `not_yet_witnessed`) is in the log all the same: its
 * receipt is asked for, with backoff, until a witnessed checkpoint covers it.
 */
async function castAndWait(ballot: p.Ballot): Promise<Receipt> {
  try {
    return await post({ kind: "cast", ballot: p.ballotToJson(ballot) });
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== "not_yet_witnessed" || e.stored === undefined) throw e;
    say("encrypted-message", t("booth-witnessing", { index: e.stored }));
    const deadline = Date.now() + RECEIPT_PATIENCE_MS;
    for (let wait = 250; ; wait = Math.min(wait * 2, 4000)) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        return await api<ApiReceipt>(`/api/elections/${encodeURIComponent(id)}/receipts/${e.stored}`);
      } catch {
        if (Date.now() + wait > deadline) throw e;
      }
    }
  }
}

async function challenge() {
  if (!pending) return;
  const reveal = pending.secrets.map((q) => q.map(([m, r]) => ({ m, r: p.toHex(p.scalarToBytes(r)) })));
  let receipt: Receipt;
  try {
    receipt = await post({ kind: "spoiled", ballot: p.ballotToJson(pending.ballot, true), reveal });
  } catch (e) {
    return say("encrypted-message", t("error-server", { message: serverSays(e) }), "error");
  }
  // The log position lets the other device go straight to the entry (it still checks it).
  const link = $("check-link") as HTMLAnchorElement;
  // The tracking code goes in the fragment, which the browser never sends to a server.
  link.href = `${pageHref("check")}?election=${encodeURIComponent(id)}&index=${receipt.index}&lang=${currentLang()}#tracking=${pending.tracking}`;
  link.textContent = `${location.origin}${link.getAttribute("href")}`;
  // The other device may scan the link instead of typing it.
  const qr = $("check-qr");
  qr.innerHTML = encodeQR(link.href, "svg", { ecc: "medium", border: 2 });
  qr.setAttribute("aria-label", t("booth-check-qr"));
  showCode("challenged-tracking", pending.tracking);
  pending = null;
  show("encrypted-section", false);
  show("challenged-section", true);
  show("choose-section", true);
  $("challenged-title").focus();
}

async function cast() {
  if (!pending) return;
  let receipt: Receipt;
  const ballot = pending.ballot.oneTime ? p.signCast(election, pending.ballot, secret) : pending.ballot;
  // The receipt must be this very ballot's, not another entry's.
  const tracking = p.trackingCode(p.entryBytes(election.base, ballot));
  try {
    receipt = await castAndWait(ballot);
  } catch (e) {
    return say("encrypted-message", t("error-server", { message: serverSays(e) }), "error");
  }
  pending = null;
  secret = 0n;
  say("encrypted-message", "");
  show("encrypted-section", false);
  show("challenged-section", false);
  show("cast-section", true);
  showCode("receipt-tracking", receipt.tracking_code);
  $("cast-choice").replaceChildren(...chosenWords());
  $("receipt-json").textContent = JSON.stringify(receipt, null, 2);
  ($("receipt-link") as HTMLAnchorElement).href =
    `${pageHref("receipt")}?election=${encodeURIComponent(id)}&index=${receipt.index}&lang=${currentLang()}#tracking=${receipt.tracking_code}`;
  // The receipt stays on this device (the receipt page compares it with the log later) and can
  // be downloaded.
  keepReceipt(id, receipt);
  const download = $("receipt-download") as HTMLAnchorElement;
  download.href = `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(receipt, null, 2))}`;
  download.download = `receipt-${id}-${receipt.index}.json`;
  // Printed, only the receipt shows (style.css, @media print); shared, its link (the tracking code
  // rides in the fragment, and it is public anyway).
  $("receipt-print").onclick = () => window.print();
  const share = $("receipt-share") as HTMLButtonElement;
  const link = new URL(($("receipt-link") as HTMLAnchorElement).href, location.href).href;
  share.hidden = typeof navigator.share !== "function";
  share.onclick = () => navigator.share({ title: t("booth-cast-done"), url: link }).catch(() => {});
  const why = receipt.tracking_code === tracking ? checkReceipt(manifestBytes, receipt) : `another entry's tracking code, not this ballot's ${tracking}`;
  say(
    "receipt-message",
    why === null ? t("booth-receipt-ok", { index: receipt.index, size: receipt.checkpoint.size }) : t("booth-receipt-bad", { why }),
    why === null ? "ok" : "error",
  );
  $("cast-title").focus();
}

$("signin-form").addEventListener("submit", signIn);
// Without this script the sign-in form cannot submit (its fields have no names, and they are
// disabled): the code and the key never leave the page in an address.
($("signin-fields") as HTMLFieldSetElement).disabled = false;
$("questions-form").addEventListener("submit", review);
$("review-encrypt").addEventListener("click", encryptNow);
$("review-change").addEventListener("click", changeChoice);
$("cast-button").addEventListener("click", cast);
$("challenge-button").addEventListener("click", challenge);
// A TypeError is the network's (or a refused cross-origin answer), not the server's word.
load().catch((e) =>
  say("signin-message", t(e instanceof TypeError ? "error-unreachable" : "error-server", { message: (e as Error).message }), "error"),
);
