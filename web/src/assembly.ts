// The assembly (/assembly/ID), for delegates, the chair and observers: the agenda, motions with
// their amendments as diffs, the list of speakers with each delegation's time, votes with live
// results (server-sent events), the apportionment table and the constitution adopted so far with
// each article's history. A participant signs in with their own key (from `convene assembly
// keygen`); it stays in this page and signs their events here (docs/convention.md).

import { micromark } from "micromark";
import { $, fetchJson, say } from "./dom.ts";
import { apply, currentLang, formatNumber, formatPercent, inPageLanguage, languageName, saidWords, serverWords, t } from "./i18n.ts";
import { sha256 } from "@noble/hashes/sha2.js";
import * as p from "./protocol.ts";
import { checkCheckpointNote, type Witnessed } from "./note.ts";
import { checkCheckpoint, checkReceiptUnder, checkWitnessedReceipt } from "./receipt.ts";
import type { Accepted, Analysis, Body, ConventionState, Subject, VoteResult } from "./api.ts";

const id = decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] ?? "");
const api = `/api/conventions/${encodeURIComponent(id)}`;

/** The server's state of the convention (docs/openapi.json, ConventionState); read before the first render. */
let state: ConventionState;
type Motion = ConventionState["motions"][number];
type Scenario = Analysis["scenarios"][number];

/** How an event this page sends names a motion, an amendment or a vote: by its number, or in
 * version 2 by the reference of the entry that created it. */
type Ref = number | string;
type SubjectRef = { motion: Ref } | { amendment: Ref } | { ranked: Ref[] };
/** An event as this page sends it (docs/convention.md §3). */
type EventJson = { type: string; motion?: Ref; subject?: SubjectRef; vote?: Ref; [field: string]: unknown };
let charterHash: Uint8Array;
let secret = 0n;
let me = "";

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

const tell = (text: string, kind: "ok" | "error") => say("message", text, kind);

function role(): "chair" | "secretary" | "delegate" | "observer" | "head" | null {
  if (!me || !state) return null;
  if (me === state.charter.chair) return "chair";
  if (me === state.charter.secretary) return "secretary";
  return state.members.find((m) => m.key === me)?.role ?? null;
}

/** Whether this member moves, amends and speaks: a delegate, or a conference's head of delegation. */
const moves = (who: ReturnType<typeof role>) => who === "delegate" || who === "head";

/** The charter as signed (its version and log key), parsed from its exact bytes. */
let charter: Witnessed & { version: number; trustees?: { name: string; key: string }[] } = { version: 1, log_key: "" };

/** Version 3 charters' checkpoints are signed notes cosigned by their witnesses. */
const witnessedLog = () => charter.version >= 3;

/** This browser's own count of the participant's accepted events (docs/convention.md §2.1). */
const sequenceKey = () => `convene:sequence:${id}:${me}`;
const journalKey = () => `convene:journal:${id}:${me}`;

/** In version 2, `event` naming its motion, amendment or vote by the reference of the entry
 * that created it instead of its number. */
function named(event: EventJson): EventJson {
  if (charter.version < 2) return event;
  const ref = (list: "motions" | "amendments" | "votes", n: Ref): Ref => {
    const objects: { id: number; hash: string }[] = state[list];
    return typeof n === "number" ? (objects.find((o) => o.id === n)?.hash ?? n) : n;
  };
  const subject = (s: SubjectRef): SubjectRef =>
    "motion" in s ? { motion: ref("motions", s.motion) } : "amendment" in s ? { amendment: ref("amendments", s.amendment) } : { ranked: s.ranked.map((m) => ref("motions", m)) };
  const out = { ...event };
  if ((out.type === "amendment" || out.type === "translation") && out.motion !== undefined) out.motion = ref("motions", out.motion);
  if (out.subject) out.subject = subject(out.subject);
  if (out.vote !== undefined) out.vote = ref("votes", out.vote);
  return out;
}

/** What this signer saw: the server's latest checkpoint, once its signature checks. */
function seen(): p.Seen | null {
  if (charter.version < 2) return null;
  const c = state.checkpoint;
  if (!c) return { size: 0, root: p.toHex(sha256(new Uint8Array())) };
  const ok = witnessedLog() ? checkCheckpointNote(c.note ?? "", charter, c.size, p.fromHex(c.root)) === null : checkCheckpoint(charterHash, charter.log_key, c);
  if (!ok) throw new Error(t("assembly-checkpoint-bad"));
  return { size: c.size, root: c.root };
}

/** Signs and sends one event as the signed-in participant. */
async function send(event: EventJson) {
  const shown = state.sequence[me] ?? 0;
  const kept = Number(localStorage.getItem(sequenceKey()) ?? "0");
  if (charter.version >= 2 && shown < kept) {
    tell(t("assembly-withheld", { shown: formatNumber(shown), kept: formatNumber(kept) }), "error");
    return;
  }
  const n = shown + 1;
  let line: string;
  try {
    line = p.signConventionEntry(charterHash, secret, n, named(event), seen());
  } catch (e) {
    tell((e as Error).message, "error");
    return;
  }
  const response = await fetch(`${api}/events`, { method: "POST", headers: { "content-type": "application/json" }, body: line });
  const body = (await response.json().catch(() => ({}))) as Partial<Accepted> & { message?: string; error?: string; refusal?: { code: string; args: Record<string, string | number> } };
  if (!response.ok) {
    tell(t("error-server", { message: serverWords(body) ?? body.message ?? response.status }), "error");
    await refresh();
    return;
  }
  if (charter.version >= 2) {
    const leaf = p.toHex(sha256(p.concat(Uint8Array.of(0), new TextEncoder().encode(line))));
    const receipt = body.receipt;
    const why =
      receipt?.tracking_code !== leaf
        ? "tracking-code"
        : witnessedLog()
          ? checkWitnessedReceipt(charter, receipt)
          : checkReceiptUnder(charterHash, charter.log_key, receipt);
    localStorage.setItem(sequenceKey(), String(n));
    const journal = JSON.parse(localStorage.getItem(journalKey()) ?? "[]");
    journal.push({ n, line, receipt });
    localStorage.setItem(journalKey(), JSON.stringify(journal));
    if (why !== null) {
      tell(t("assembly-receipt-bad", { why }), "error");
      await refresh();
      return;
    }
  }
  // What the event did, in this page's language (the server sends it as data beside its English),
  // and where it is on the record.
  const did = saidWords(body.said) ?? body.summary;
  const accepted = t("assembly-accepted", { index: body.index ?? 0 });
  tell(did ? `${did}. ${accepted}` : accepted, "ok");
  await refresh();
}

let analysis: Analysis | null = null;

/** The event kinds that change the analysis (revenue scenarios, voting power). */
const ANALYSED = new Set(["localities", "apportionment", "motion", "amendment", "close_vote", "close_secret_vote"]);

async function refresh(kind?: string) {
  state = await fetchJson<ConventionState>(api);
  // Votes and floors, the bulk of a sitting, leave the analysis as it was.
  if (!analysis || kind === undefined || ANALYSED.has(kind)) analysis = await fetchJson<Analysis>(`${api}/analysis`);
  render();
}

const percentOf = formatPercent;

/** Each scenario's allocation per head, as grouped bars per locality, with the figures in a table. */
function renderRevenue() {
  const box = $("revenue");
  box.replaceChildren();
  const scenarios = (analysis?.scenarios ?? []).filter((s) => !s.error);
  if (!analysis || scenarios.length === 0) return box.append(el("p", t("assembly-none")));
  box.append(el("p", t("assembly-revenue-help", { revenue: analysis.revenue })));
  const colours = ["#0b5cad", "#d97706", "#16a34a", "#9333ea"];
  const legend = el("ul", undefined, { class: "legend" });
  scenarios.forEach((s, k) => {
    const item = el("li", `${t("assembly-motion")} ${formatNumber(s.motion)}: ${s.title} (${t(`assembly-status-${s.status}`)})`, { dir: "auto" });
    item.style.setProperty("--swatch", colours[k % colours.length]);
    legend.append(item);
  });
  box.append(legend);
  const localities = analysis.localities;
  const perHead = (s: Scenario, i: number) => (s.totals?.[i] ?? 0) / Math.max(1, localities[i].population);
  const max = Math.max(...scenarios.flatMap((s) => localities.map((_, i) => perHead(s, i))), 1e-9);
  const rowHeight = 10 * scenarios.length + 14;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 400 ${rowHeight * localities.length}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("assembly-revenue-chart"));
  localities.forEach((l, i) => {
    const label = document.createElementNS("http://www.w3.org/2000/svg", "text");
    label.setAttribute("x", "0");
    label.setAttribute("y", String(i * rowHeight + 10));
    label.setAttribute("font-size", "9");
    label.textContent = l.name;
    svg.append(label);
    scenarios.forEach((s, k) => {
      const bar = document.createElementNS("http://www.w3.org/2000/svg", "rect");
      bar.setAttribute("x", "90");
      bar.setAttribute("y", String(i * rowHeight + 2 + k * 10));
      bar.setAttribute("height", "8");
      bar.setAttribute("width", String((300 * perHead(s, i)) / max));
      bar.setAttribute("fill", colours[k % colours.length]);
      svg.append(bar);
    });
  });
  // The chart is drawn left to right in every language, as its numbers are.
  const figure = el("figure", undefined, { dir: "ltr", class: "chart" });
  figure.append(svg);
  box.append(figure);
  const table = el("table");
  table.createTHead().insertRow().append(
    el("th", t("assembly-locality"), { scope: "col" }),
    ...scenarios.map((s) => el("th", `${t("assembly-motion")} ${formatNumber(s.motion)} — ${t("assembly-perhead")}`, { scope: "col" })),
  );
  const body = table.createTBody();
  localities.forEach((l, i) => {
    const row = body.insertRow();
    row.append(el("th", l.name, { scope: "row", dir: "auto" }), ...scenarios.map((s) => el("td", formatNumber(Math.round(perHead(s, i) * 100) / 100))));
  });
  const wrap = el("div", undefined, { class: "scroll" });
  wrap.append(table);
  box.append(wrap);
}

/** Banzhaf and Shapley–Shubik power of each regional delegation under a majority of the seats. */
function renderPower() {
  const box = $("power");
  box.replaceChildren();
  const power = analysis?.power;
  if (!power) return box.append(el("p", t("assembly-none")));
  box.append(el("p", t("assembly-power-help", { quota: power.quota })));
  const table = el("table");
  table.createTHead().insertRow().append(...(["results-scope", "assembly-seats", "assembly-banzhaf", "assembly-shapley"] as const).map((k) => el("th", t(k), { scope: "col" })));
  const body = table.createTBody();
  for (const m of power.members) {
    const row = body.insertRow();
    row.append(el("th", m.region, { scope: "row" }), el("td", formatNumber(m.seats)), el("td", percentOf(m.banzhaf)), el("td", percentOf(m.shapley_shubik)));
  }
  box.append(table);
}

function bodyView(body: Body): HTMLElement {
  if ("text" in body) return el("pre", body.text, { class: "text", dir: "auto" });
  if ("revenue" in body) return el("pre", body.revenue, { class: "text", dir: "ltr" });
  if ("milestone" in body) {
    const m = body.milestone;
    return el("p", t("assembly-milestone", { years: m.years_after_ratification, event: m.event, region: m.region }));
  }
  const table = el("table");
  const head = table.createTHead().insertRow();
  head.append(el("th", t("assembly-power"), { scope: "col" }), el("th", t("assembly-holder"), { scope: "col" }));
  const rows = table.createTBody();
  for (const power of body.competences.powers) {
    const row = rows.insertRow();
    row.append(el("th", power.power, { scope: "row" }), el("td", t(`assembly-holder-${power.holder}`)));
  }
  return table;
}

function diffView(diff: string): HTMLElement {
  const pre = el("pre", undefined, { class: "diff", dir: "auto" });
  for (const line of diff.split("\n").filter((l) => l !== "")) {
    const kind = line.startsWith("+ ") ? "added" : line.startsWith("- ") ? "removed" : "kept";
    // Additions and removals say so in words too, not by colour alone.
    const prefix = kind === "added" ? `${t("assembly-added")}: ` : kind === "removed" ? `${t("assembly-removed")}: ` : "";
    pre.append(el("span", prefix + line.slice(2), { class: kind }), "\n");
  }
  return pre;
}

const ruleOf = (choice: string) =>
  ({
    simple: { majority: "simple", base: "present" },
    absolute: { majority: "absolute", base: "in_office" },
    "two-thirds": { majority: "qualified", share: "2/3", base: "in_office" },
    unanimity: { majority: "unanimity", base: "present" },
    consensus: { majority: "consensus", base: "present" },
  })[choice];

/** The chair's form that opens a vote under a rule fixed now: majority and base, quorum,
 * concurrent regional majorities, weights. */
function openVoteForm(subject: SubjectRef): HTMLElement {
  const form = el("form", undefined, { class: "inline" });
  const pick = (label: string, options: [string, string][]) => {
    const select = el("select", undefined, { "aria-label": label });
    for (const [value, text] of options) select.add(new Option(text, value));
    form.append(select);
    return select;
  };
  // A conference decides by consensus or unanimity (charter version 5, which also offers them).
  const conference = "conference" in state.charter && state.charter.conference !== undefined;
  const rules = conference ? ["consensus", "unanimity", "simple"] : charter.version >= 5 ? ["simple", "absolute", "two-thirds", "unanimity", "consensus"] : ["simple", "absolute", "two-thirds"];
  const majority = pick(t("assembly-rule"), rules.map((r) => [r, t(`assembly-rule-${r}`)]));
  const quorum = pick(t("assembly-quorum"), [["", t("assembly-quorum-none")], ["1/2", t("assembly-quorum-half")], ["2/3", t("assembly-quorum-two-thirds")]]);
  const concurrent = pick(t("assembly-concurrent"), [["no", t("assembly-concurrent-no")], ["yes", t("assembly-concurrent-yes")]]);
  const weighting = pick(t("assembly-weighting"), ["equal", "population", "sqrt_population"].map((w) => [w, t(`assembly-weighting-${w}`)]));
  const ballot = pick(t("assembly-ballot"), [["named", t("assembly-ballot-named")], ["secret", t("assembly-ballot-secret")]]);
  form.append(el("button", t("assembly-open"), { type: "submit" }));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const plain = majority.value === "unanimity" || majority.value === "consensus";
    const rule: Record<string, unknown> = { ...ruleOf(majority.value), concurrent: !plain && concurrent.value === "yes", weighting: plain ? "equal" : weighting.value };
    if (quorum.value) rule.quorum = quorum.value;
    if (ballot.value === "secret" && !conference && majority.value !== "consensus") {
      // Cast in a referendum of its own, with three trustees of whom two decrypt — named by key
      // from the charter's trustees when it has them (record format version 2 and later).
      const referendum = `${id}-vote-${state.votes.length + 1}`;
      const named = (charter.trustees ?? []).slice(0, 3);
      const trustees = named.length === 3 ? { n: 3, t: 2, members: named } : { n: 3, t: 2 };
      send({ type: "open_secret_vote", subject, rule: { ...rule, weighting: "equal" }, referendum, trustees });
    } else {
      send({ type: "open_vote", subject, rule });
    }
  });
  return form;
}

/** The chair's form for a ranked vote among open motions (counted by Schulze, instant runoff beside it). */
function rankedVoteForm(open: Motion[]): HTMLElement {
  const form = el("form");
  const set = el("fieldset");
  set.append(el("legend", t("assembly-ranked-open")));
  for (const m of open) {
    const label = el("label");
    const box = el("input", undefined, { type: "checkbox", value: String(m.id) });
    label.append(box, " ", el("bdi", `${t("assembly-motion")} ${formatNumber(m.id)}: ${m.title}`));
    set.append(label);
  }
  form.append(set, el("button", t("assembly-open"), { type: "submit" }));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const chosen = [...set.querySelectorAll<HTMLInputElement>("input:checked")].map((b) => Number(b.value));
    if (chosen.length < 2) return tell(t("assembly-ranked-two"), "error");
    send({ type: "open_vote", subject: { ranked: chosen }, rule: { majority: "simple", base: "present" } });
  });
  return form;
}

/** A delegate's ranking: first choice, second, …; options left out rank last, together. */
function rankingForm(vote: number, options: number[]): HTMLElement {
  const form = el("form");
  const selects = options.map((_, k) => {
    const select = el("select", undefined, { id: `rank-${vote}-${k}` });
    select.add(new Option("—", ""));
    options.forEach((motion, i) => {
      const title = state.motions[motion - 1]?.title ?? "";
      select.add(new Option(`${t("assembly-motion")} ${formatNumber(motion)}: ${title}`, String(i)));
    });
    form.append(el("label", t("assembly-ranked-place", { place: k + 1 }), { for: `rank-${vote}-${k}` }), select);
    return select;
  });
  form.append(el("button", t("assembly-ranked-send"), { type: "submit" }));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const ranking = selects.map((s) => s.value).filter((v) => v !== "").map(Number);
    if (ranking.length === 0 || new Set(ranking).size !== ranking.length) return tell(t("assembly-ranked-invalid"), "error");
    send({ type: "vote", vote, ranking: ranking.map((i) => [i]) });
  });
  return form;
}

function amendmentForm(motion: Motion): HTMLElement {
  const details = el("details");
  details.append(el("summary", t("assembly-amend")));
  const form = el("form");
  const fromId = `from-${motion.id}`;
  const toId = `to-${motion.id}`;
  const withId = `with-${motion.id}`;
  const from = el("input", undefined, { id: fromId, type: "number", min: "1", value: "1", required: "" });
  const to = el("input", undefined, { id: toId, type: "number", min: "0", value: "1", required: "" });
  const replacement = el("textarea", undefined, { id: withId, rows: "3", dir: "auto" });
  form.append(
    el("label", t("assembly-from"), { for: fromId }), from,
    el("label", t("assembly-to"), { for: toId }), to,
    el("label", t("assembly-with"), { for: withId }), replacement,
    el("button", t("assembly-propose"), { type: "submit" }),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const lines = replacement.value.split("\n").filter((l, i, all) => l !== "" || i < all.length - 1);
    send({ type: "amendment", motion: motion.id, changes: [{ from: Number(from.value), to: Number(to.value), with: lines }] });
  });
  details.append(form);
  return details;
}

/** A text in another language, rendered from its Markdown, above the original (folded). */
function translatedView(lang: string, translation: { text: string; by: string }, original: HTMLElement): HTMLElement {
  const box = el("div", undefined, { class: "translation" });
  const text = el("div", undefined, { class: "text", lang, dir: "auto" });
  text.innerHTML = micromark(translation.text);
  const folded = el("details");
  folded.append(el("summary", t("assembly-original")), original);
  const by = translation.by === state.charter.secretary ? t("assembly-role-secretary") : (state.members.find((m) => m.key === translation.by)?.name ?? translation.by.slice(0, 8));
  box.append(text, el("p", t("assembly-translation-by", { lang: languageName(lang), name: by }), { class: "note", dir: "auto" }), folded);
  return box;
}

/** A motion's body in the page's language where a translation of its current version exists,
 * saying so where the only one is out of date. */
function motionBody(motion: Motion): HTMLElement {
  const found = inPageLanguage(motion.translations);
  if (found && found[1].version === motion.version) return translatedView(found[0], found[1], bodyView(motion.current));
  const body = bodyView(motion.current);
  if (!found) return body;
  const box = el("div");
  box.append(el("p", t("assembly-translation-stale", { lang: languageName(found[0]) }), { class: "note" }), body);
  return box;
}

/** A delegate's or the secretary's form to translate a motion's current version. */
function translationForm(motion: Motion): HTMLElement {
  const details = el("details");
  details.append(el("summary", t("assembly-translate")));
  const form = el("form");
  const ids = ["lang", "title", "text"].map((f) => `translate-${f}-${motion.id}`);
  const lang = el("input", undefined, { id: ids[0], required: "", value: currentLang() === "en" ? "ar" : currentLang(), pattern: "[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", dir: "ltr" });
  const title = el("input", undefined, { id: ids[1], required: "", dir: "auto" });
  const text = el("textarea", undefined, { id: ids[2], rows: "4", required: "", dir: "auto" });
  form.append(
    el("label", t("assembly-translate-lang"), { for: ids[0] }), lang,
    el("label", t("assembly-new-title"), { for: ids[1] }), title,
    el("label", t("assembly-new-text"), { for: ids[2] }), text,
    el("button", t("assembly-translate-send"), { type: "submit" }),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    send({ type: "translation", motion: motion.id, lang: lang.value, version: motion.version, title: title.value, text: text.value.endsWith("\n") ? text.value : `${text.value}\n` });
  });
  details.append(form);
  return details;
}

/** A result as a chair signs it: its figures, without the words the server derived. */
function figures(result: VoteResult): VoteResult {
  return { ...result, conditions: undefined, said: undefined };
}

function describeSubject(subject: Subject): string {
  if ("motion" in subject) return `${t("assembly-motion")} ${formatNumber(subject.motion)}`;
  if ("amendment" in subject) return `${t("assembly-amendment")} ${formatNumber(subject.amendment)}`;
  return t("assembly-ranked");
}

/** The motions a vote touches: its motion, its amendment's motion, or its ranked options. */
function motionsOf(subject: Subject): number[] {
  if ("motion" in subject) return [subject.motion];
  if ("amendment" in subject) return [state.amendments[subject.amendment - 1].motion];
  return subject.ranked;
}

function render() {
  if (!state) return;
  apply();
  const who = role();
  $("title").textContent = state.charter.title;
  $("title").dir = "auto";
  $("role").textContent = who ? t(`assembly-role-${who}`) : t("assembly-role-public");
  // A conference of states apportions nothing and shares no revenue; its texts are a communiqué.
  const conference = state.charter.conference !== undefined;
  for (const part of ["apportionment", "revenue", "power"]) {
    $(`${part}-title`).closest("section")!.hidden = conference;
    document.querySelector(`nav a[href="#${part}-title"]`)?.toggleAttribute("hidden", conference);
  }
  const document_ = conference ? "communique" : "constitution";
  $("constitution-title").textContent = t(conference ? "assembly-communique" : "assembly-constitution");
  document.querySelector('nav a[href="#constitution-title"]')!.textContent = t(conference ? "assembly-communique" : "assembly-constitution");
  for (const kind of ["md", "html"]) {
    const link = $(`constitution-${kind}`);
    link.textContent = `${document_}.${kind}`;
    link.setAttribute("href", `${api}/record/${document_}.${kind}`);
  }

  // Agenda.
  const agenda = $("agenda");
  agenda.replaceChildren();
  state.agenda.forEach((item: string, k: number) => {
    const li = el("li", item, { dir: "auto" });
    if (k === state.current_item) {
      li.className = "current";
      li.setAttribute("aria-current", "step");
    }
    agenda.append(li);
  });
  if (who === "chair" && state.current_item + 1 < state.agenda.length) {
    const next = el("button", t("assembly-next"), { type: "button", class: "secondary" });
    next.addEventListener("click", () => send({ type: "next_item" }));
    agenda.append(next);
  }

  // Votes, open ones first.
  const votes = $("votes");
  votes.replaceChildren();
  for (const vote of [...state.votes].sort((a, b) => Number(b.open) - Number(a.open) || b.id - a.id)) {
    const card = el("article", undefined, { class: `card ${vote.open ? "open" : ""}`, "aria-labelledby": `vote-${vote.id}` });
    card.append(el("h3", `${t("assembly-vote")} ${formatNumber(vote.id)}: ${describeSubject(vote.subject)}`, { id: `vote-${vote.id}` }));
    const r = vote.result;
    const verdict = vote.open ? t("assembly-open-now") : r.adopted ? t("assembly-adopted") : t("assembly-rejected");
    // A ranked vote has rankings, not yes and no: its conditions below say who leads.
    // A consensus vote has objections, not yes and no.
    const counts = "ranked" in vote.subject
      ? `${formatNumber(Object.keys(vote.rankings).length)} / ${formatNumber(vote.in_office.length)}`
      : vote.rule.majority === "consensus"
        ? t("assembly-objections", { n: r.no })
        : `${t("booth-yes")} ${formatNumber(r.yes)}, ${t("booth-no")} ${formatNumber(r.no)}, ${t("assembly-abstain")} ${formatNumber(r.abstain)}`;
    card.append(el("p", `${verdict} — ${counts}`, { role: "status" }));
    const conditions = el("ul");
    // Each condition in this page's language from its data (`said`, in the same order), else
    // the server's English.
    (r.conditions ?? []).forEach(([text, holds], k) =>
      conditions.append(el("li", `${holds ? "✓" : "✗"} ${saidWords(r.said?.[k]) ?? text}`, { dir: "auto" })),
    );
    card.append(conditions);
    const ranked = "ranked" in vote.subject ? vote.subject.ranked : undefined;
    const consensus = vote.rule.majority === "consensus";
    if (ranked && vote.open && moves(who) && vote.in_office.includes(me) && !(me in vote.rankings)) {
      card.append(rankingForm(vote.id, ranked));
    } else if (ranked && vote.open && me in vote.rankings) {
      card.append(el("p", t("assembly-ranked-done")));
    } else if (consensus && vote.open && vote.in_office.includes(me)) {
      // By consensus: silence lets the text pass; an objection blocks it until withdrawn.
      const objecting = vote.choices[me] === "no";
      card.append(el("p", t(objecting ? "assembly-objecting" : "assembly-consensus-help")));
      const b = el("button", t(objecting ? "assembly-withdraw" : "assembly-object"), { type: "button", class: "secondary" });
      b.addEventListener("click", () => send(objecting ? { type: "withdraw_objection", vote: vote.id } : { type: "vote", vote: vote.id, choice: "no" }));
      card.append(b);
    } else if (vote.open && moves(who) && vote.in_office.includes(me) && !(me in vote.choices) && !vote.secret) {
      const actions = el("div", undefined, { class: "actions" });
      for (const choice of ["yes", "no", "abstain"]) {
        const b = el("button", t(choice === "abstain" ? "assembly-abstain" : `booth-${choice}`), { type: "button", class: choice === "yes" ? "" : "secondary" });
        b.addEventListener("click", () => send({ type: "vote", vote: vote.id, choice }));
        actions.append(b);
      }
      card.append(actions);
    } else if (vote.open && me in vote.choices) {
      card.append(el("p", t("assembly-voted", { choice: t(vote.choices[me] === "abstain" ? "assembly-abstain" : `booth-${vote.choices[me]}`) })));
    }
    if (vote.secret) {
      // A secret ballot is cast in its referendum's booth, with the delegate's own key.
      const link = el("a", t("assembly-secret-booth", { referendum: vote.secret.referendum }), { href: `/vote/${encodeURIComponent(vote.secret.referendum)}${location.search}` });
      const line = el("p");
      line.append(link);
      card.append(line);
    }
    const published = vote.secret && Object.keys(vote.secret.tally ?? {}).length > 0;
    if (vote.open && who === "chair" && (!vote.secret || published)) {
      const close = el("button", t("assembly-close"), { type: "button" });
      const secret = vote.secret;
      close.addEventListener("click", () =>
        // The chair signs the result's figures; its words are derived, not signed.
        // The chair signs the figures, never the words the server derived (conditions, said).
        send(secret ? { type: "close_secret_vote", vote: vote.id, tally: secret.tally, result: figures(vote.result) } : { type: "close_vote", vote: vote.id, result: figures(vote.result) }),
      );
      card.append(close);
    } else if (vote.open && vote.secret) {
      card.append(el("p", t("assembly-secret-pending")));
    }
    votes.append(card);
  }
  if (state.votes.length === 0) votes.append(el("p", t("assembly-none")));

  // Motions and their amendments.
  const motions = $("motions");
  motions.replaceChildren();
  const touched = new Set(state.votes.filter((v) => v.open).flatMap((v) => motionsOf(v.subject)));
  for (const motion of state.motions) {
    const card = el("article", undefined, { class: "card", "aria-labelledby": `motion-${motion.id}` });
    const translated = inPageLanguage(motion.translations)?.[1];
    const title = translated?.version === motion.version ? translated.title : motion.title;
    card.append(el("h3", `${t("assembly-motion")} ${formatNumber(motion.id)}: ${title}`, { id: `motion-${motion.id}`, dir: "auto" }));
    card.append(el("p", `${t("assembly-by")} ${motion.proposer} — ${t(`assembly-status-${motion.status}`)}`));
    card.append(motionBody(motion));
    if ((moves(who) || who === "secretary") && (motion.status === "open" || motion.status === "adopted")) card.append(translationForm(motion));
    for (const amendment of state.amendments.filter((a) => a.motion === motion.id)) {
      const box = el("section", undefined, { class: "amendment", "aria-label": `${t("assembly-amendment")} ${amendment.id}` });
      box.append(el("h4", `${t("assembly-amendment")} ${formatNumber(amendment.id)} — ${amendment.proposer} — ${t(`assembly-status-${amendment.status}`)}`));
      if (amendment.rationale) box.append(el("p", amendment.rationale, { dir: "auto" }));
      box.append(diffView(amendment.diff));
      if (who === "chair" && amendment.status === "open" && !touched.has(motion.id)) box.append(openVoteForm({ amendment: amendment.id }));
      card.append(box);
    }
    if (motion.status === "open") {
      if (moves(who) && ("text" in motion.current || "revenue" in motion.current)) card.append(amendmentForm(motion));
      if (who === "chair" && !touched.has(motion.id)) card.append(openVoteForm({ motion: motion.id }));
    }
    motions.append(card);
  }
  const open = state.motions.filter((m) => m.status === "open" && !touched.has(m.id));
  if (who === "chair" && open.length >= 2) motions.append(rankedVoteForm(open));
  if (moves(who)) {
    const form = el("form");
    const title = el("input", undefined, { id: "new-title", required: "", dir: "auto" });
    const text = el("textarea", undefined, { id: "new-text", rows: "4", required: "", dir: "auto" });
    form.append(el("h3", t(state.charter.conference ? "assembly-new-paragraph" : "assembly-new")), el("label", t("assembly-new-title"), { for: "new-title" }), title, el("label", t("assembly-new-text"), { for: "new-text" }), text, el("button", t("assembly-move"), { type: "submit" }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      send({ type: "motion", title: title.value, body: { text: text.value.endsWith("\n") ? text.value : `${text.value}\n` } });
    });
    motions.append(form);
  }

  // Speakers: the list, and each delegation's time left on this item.
  const speakers = $("speakers");
  speakers.replaceChildren();
  const name = (key: string) => state.members.find((m) => m.key === key)?.name ?? key.slice(0, 8);
  const list = el("ol");
  for (const key of state.speakers) {
    const li = el("li", name(key));
    if (who === "chair") {
      const give = el("button", t("assembly-give"), { type: "button", class: "secondary" });
      give.addEventListener("click", () => send({ type: "floor", delegate: key, seconds: 60 }));
      li.append(" ", give);
    }
    list.append(li);
  }
  speakers.append(list);
  const budget = el("table");
  // A conference's speaking time is counted per state's delegation.
  const scope = state.charter.conference ? "assembly-delegation" : "results-scope";
  budget.createTHead().insertRow().append(el("th", t(scope), { scope: "col" }), el("th", t("assembly-left"), { scope: "col" }));
  const rows = budget.createTBody();
  for (const region of state.regions) {
    const spent = state.floors.filter((f) => f.region === region).reduce((a, f) => a + f.seconds, 0);
    const row = rows.insertRow();
    row.append(el("th", region, { scope: "row" }), el("td", `${formatNumber(Math.max(0, state.charter.speaking_seconds - spent))} s`));
  }
  speakers.append(budget);
  if (moves(who) && !state.speakers.includes(me)) {
    const ask = el("button", t("assembly-ask"), { type: "button", class: "secondary" });
    ask.addEventListener("click", () => send({ type: "floor_request" }));
    speakers.append(ask);
  }

  // The apportionment.
  const seats = $("apportionment");
  seats.replaceChildren();
  if (state.apportionment) {
    const a = state.apportionment;
    const localities = state.localities[a.localities_version - 1];
    seats.append(el("p", t("assembly-apportioned", { seats: a.seats, method: a.method, source: localities.source })));
    const table = el("table");
    table.createTHead().insertRow().append(...(["assembly-locality", "results-scope", "assembly-population", "assembly-seats"] as const).map((k) => el("th", t(k), { scope: "col" })));
    const body = table.createTBody();
    localities.localities.forEach((l, k) => {
      const row = body.insertRow();
      row.append(el("th", l.name, { scope: "row", dir: "auto" }), el("td", l.region), el("td", formatNumber(l.population)), el("td", formatNumber(a.result[k])));
    });
    seats.append(el("div", undefined, { class: "scroll" }));
    seats.lastElementChild!.append(table);
  }

  renderRevenue();
  renderPower();

  // The constitution adopted so far.
  const constitution = $("constitution");
  constitution.replaceChildren();
  for (const article of state.constitution.articles) {
    const card = el("article", undefined, { class: "card" });
    const translated = inPageLanguage(article.translations);
    // A communiqué's texts are numbered paragraphs, not articles.
    const numbered = state.charter.conference ? "" : `${t("assembly-article")} `;
    card.append(el("h3", `${numbered}${formatNumber(article.number)}. ${translated?.[1].title ?? article.title}`, { dir: "auto" }));
    // An adopted text reads as its Markdown renders (micromark: no raw HTML, no dangerous link);
    // motions keep their lines, which amendments number.
    let original: HTMLElement;
    if ("text" in article.body) {
      original = el("div", undefined, { class: "text", dir: "auto" });
      original.innerHTML = micromark(article.body.text);
    } else original = bodyView(article.body);
    card.append(translated ? translatedView(translated[0], translated[1], original) : original);
    const history = el("ol", undefined, { class: "history", "aria-label": t("assembly-history") });
    // Each line in this page's language, from the motion's steps (the same lines as data); the
    // record's English where the page has no words.
    const steps = state.motions.find((m) => m.id === article.motion)?.steps ?? [];
    article.history.forEach((line, k) => history.append(el("li", saidWords(steps[k]) ?? line, { dir: "auto" })));
    card.append(history);
    constitution.append(card);
  }
  if (state.constitution.articles.length === 0) constitution.append(el("p", t("assembly-none")));
}

async function signIn(event: Event) {
  event.preventDefault();
  const key = ($("key") as HTMLInputElement).value.trim().toLowerCase();
  try {
    secret = p.scalarFromHex(key);
  } catch {
    return tell(t("error-keyformat"), "error");
  }
  me = p.toHex(p.mulBase(secret).toBytes());
  if (!role()) {
    secret = 0n;
    me = "";
    return tell(t("assembly-unknown"), "error");
  }
  ($("key") as HTMLInputElement).value = "";
  $("signin").hidden = true;
  render();
  tell(t("assembly-signed", { role: t(`assembly-role-${role()}`) }), "ok");
}

async function start() {
  apply();
  const charterBytes = new Uint8Array(await (await fetch(`${api}/record/charter.json`)).arrayBuffer());
  charterHash = p.charterHash(charterBytes);
  charter = JSON.parse(new TextDecoder().decode(charterBytes));
  await refresh();
  // Live: every accepted event anywhere refreshes the page.
  const live = new EventSource(`${api}/stream`);
  live.addEventListener("applied", (e) => refresh(JSON.parse((e as MessageEvent).data).kind));
  live.addEventListener("resync", () => refresh());
  document.addEventListener("convene:lang", render);
  $("signin-form").addEventListener("submit", signIn);
  $("constitution-md").setAttribute("href", `${api}/record/constitution.md`);
  $("constitution-html").setAttribute("href", `${api}/record/constitution.html`);
}

start().catch((e) => tell(t("error-server", { message: (e as Error).message }), "error"));
