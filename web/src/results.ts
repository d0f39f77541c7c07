// Public results (/results/ID): turnout and the answers per region and nationally, in a table
// and — when the convention that created the referendum gave its localities boundaries — on a
// map of the regions; the ratification rule's verdict, condition by condition; and how to
// download the record and verify it.

import { $, fetchJson } from "./dom.ts";
import { SCALE, shareColour } from "./scale.ts";
import { geoBounds, geoConicEqualArea, geoPath } from "d3-geo";
import type { ConventionState, CredentialLine, Election, Manifest, Registrar, Results } from "./api.ts";
import { apply, currentLang, electionTexts, formatNumber, formatPercent, t } from "./i18n.ts";

/**
 * One condition of the rule's verdict in the page's language. The server reports each condition
 * as `name: holds|fails — figures` (convene-core's `Verdict::to_text`); the known shapes are
 * said again in words with the same figures, anything else is shown as the server wrote it.
 */
function explain(line: string): string {
  const m = line.match(/^\s*(\w+): (holds|fails) — (.*)$/);
  if (!m) return line;
  const [, name, verdict, detail] = m;
  const held = t(verdict === "holds" ? "rule-holds" : "rule-fails");
  const clears = (c: string) => t(c === "clears" ? "rule-clears" : "rule-notclears");
  const approval = detail.match(/^yes (\d+) of (\S+) (\w+) = (\S+) (clears|does not clear) (.+?)(, but .*)?$/);
  if (name === "approval" && approval) {
    const [, yes, base, kind, share, c, bar, tie] = approval;
    return `${t("rule-approval")} — ${held}: ${t("rule-approval-detail", { yes: Number(yes), base: Number(base), kind: t(`rule-base-${kind}`), share, clears: clears(c), bar })}${tie ? ` ${t("rule-tie")}` : ""}`;
  }
  const quorum = detail.match(/^turnout (\d+) cast of (\S+) registered = (\S+) (clears|does not clear) (.+)$/);
  if (name === "quorum" && quorum) {
    const [, cast, registered, share, c, bar] = quorum;
    return `${t("rule-quorum")} — ${held}: ${t("rule-quorum-detail", { cast: Number(cast), registered: Number(registered), share, clears: clears(c), bar })}`;
  }
  const regions = detail.match(/^regions approving weigh (\S+) of (\S+) = (\S+) (clears|does not clear) (.+) \((.*)\)$/);
  if (name === "regions" && regions) {
    const [, weight, all, share, c, bar, names] = regions;
    return `${t("rule-regions")} — ${held}: ${t("rule-regions-detail", { weight, all, share, clears: clears(c), bar, names: names === "none" ? "—" : names })}`;
  }
  return line;
}

/** A condition as a version-2 record carries it: its kind, whether it holds, exact figures. */
type Condition = NonNullable<NonNullable<Results["ratification"]>["conditions"]>[number];

/** An exact fraction `p/q` (or an integer) as a number, for showing a share. */
function fraction(value: unknown): number {
  const [num, den] = String(value).split("/").map(Number);
  return den === undefined ? num : den === 0 ? NaN : num / den;
}

/** An exact fraction `p/q` written in the page's digits. */
function showFraction(value: unknown): string {
  return String(value)
    .split("/")
    .map((part) => formatNumber(Number(part)))
    .join("/");
}

/** A structured condition in the page's language: no words come from the record. */
function describe(c: Condition): string {
  const f = c.figures;
  const held = t(c.holds ? "rule-holds" : "rule-fails");
  const share = (part: unknown, whole: unknown) => (fraction(whole) > 0 ? formatPercent(fraction(part) / fraction(whole)) : "—");
  const bar = `${f.bar === "at_least" ? "≥" : ">"} ${showFraction(f.bar_share)} (${formatPercent(fraction(f.bar_share))})`;
  const clears = (cleared: boolean) => t(cleared ? "rule-clears" : "rule-notclears");
  const where = c.region ? `${c.region}: ` : "";
  switch (c.kind) {
    case "approval": {
      const tie = f.cleared === true && Number(f.yes) <= Number(f.no);
      const detail = t("rule-approval-detail", { yes: Number(f.yes), base: fraction(f.base), kind: t(`rule-base-${f.base_kind}`), share: share(f.yes, f.base), clears: clears(f.cleared === true), bar });
      return `${where}${t("rule-approval")} — ${held}: ${detail}${tie ? ` ${t("rule-tie")}` : ""}`;
    }
    case "quorum":
      return `${where}${t("rule-quorum")} — ${held}: ${t("rule-quorum-detail", { cast: Number(f.cast), registered: fraction(f.registered), share: share(f.cast, f.registered), clears: clears(c.holds), bar })}`;
    case "regions": {
      const names = Array.isArray(f.approving) && f.approving.length > 0 ? f.approving.join(", ") : "—";
      return `${where}${t("rule-regions")} — ${held}: ${t("rule-regions-detail", { weight: showFraction(f.passing), all: showFraction(f.total), share: share(f.passing, f.total), clears: clears(c.holds), bar, names })}`;
    }
    default:
      // A kind this page has no words for: its name and figures as they are.
      return `${where}${c.kind} — ${held}: ${Object.entries(f).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(", ") : v}`).join("; ")}`;
  }
}

const id = decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] ?? "");
const base = `/api/elections/${encodeURIComponent(id)}`;


const percent = (part: number, whole: number) => (whole === 0 ? "—" : formatPercent(part / whole));

function cell(row: HTMLTableRowElement, text: string, header = false) {
  const c = document.createElement(header ? "th" : "td");
  c.textContent = text;
  if (header) c.scope = "row";
  row.append(c);
}

/** How many credentials each region has: from the registrar's signed statement (version 2 on,
 * a few hundred bytes that the verifier checks against the list), else from the list itself. */
async function registeredPerRegion(manifest: Manifest): Promise<Map<string, number>> {
  const registered = new Map<string, number>();
  if (manifest.registrar) {
    const statement = await fetchJson<Registrar>(`${base}/record/registrar.json`);
    for (const r of statement.regions) registered.set(r.region, r.credentials);
    return registered;
  }
  const credentials = await (await fetch(`${base}/record/credentials.jsonl`)).text();
  for (const line of credentials.split("\n").filter(Boolean)) {
    const { region } = JSON.parse(line) as CredentialLine;
    registered.set(region, (registered.get(region) ?? 0) + 1);
  }
  return registered;
}

async function render() {
  apply();
  const shown = await fetchJson<Election>(base);
  const manifest = shown.manifest;
  $("title").textContent = electionTexts(manifest).title;
  $("title").dir = "auto";
  // Every file of the record, as `convene fetch` downloads them.
  const files = ["manifest.json", "ceremony.json", "credentials.jsonl", "election.json", "log.jsonl", "checkpoints.json", "tally.json", "decryption.json", "results.json"];
  // Record format version 2: the actors' signed statements.
  if (manifest.version >= 2) {
    const signed = [manifest.authority ? "authority.json" : "", manifest.registrar ? "registrar.json" : "", "acknowledgements.json"];
    files.splice(1, 0, ...signed.filter((f) => f !== ""));
  }
  if (manifest.origin?.constitution_sha256) files.push("constitution.md");
  // The convention's official translations of the text, each under its hash in the manifest.
  for (const [tag, words] of Object.entries(manifest.translations ?? {})) if (words.constitution_sha256) files.push(`constitution.${tag}.md`);
  const list = $("downloads");
  list.replaceChildren();
  for (const file of files) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `${base}/record/${file}`;
    link.download = file;
    link.textContent = file;
    link.dir = "ltr";
    item.append(link);
    list.append(item);
  }
  $("verify-command").textContent = `convene fetch --server ${location.origin} --election ${id} --out ${id}-record && convene verify ${id}-record`;
  if (shown.phase !== "published") {
    $("status").textContent = t("results-pending", { phase: t(`phase-${shown.phase}`) });
    return;
  }
  const results = await fetchJson<Results>(`${base}/record/results.json`);
  const registered = await registeredPerRegion(manifest);
  const total = [...registered.values()].reduce((a, b) => a + b, 0);
  const question = manifest.questions[0];
  const yesNo = question.kind === "yes-no";

  // The verdict first, in words; then each condition with its figures.
  const outcome = results.ratification?.outcome;
  $("outcome").textContent = outcome ? t(`results-outcome-${outcome}`) : "";
  $("outcome").className = `message ${outcome === "ratified" ? "ok" : outcome === "rejected" ? "error" : ""}`;
  $("outcome").hidden = !outcome;
  const conditions = $("conditions");
  conditions.replaceChildren();
  // Version 2: structured conditions, rendered here in the page's language.
  for (const c of results.ratification?.conditions ?? []) {
    const item = document.createElement("li");
    item.textContent = describe(c);
    item.dir = currentLang() === "en" ? "ltr" : "auto";
    item.className = c.holds ? "holds" : "fails";
    conditions.append(item);
  }
  // Version 1: the report's lines (its first repeats the outcome, shown above in words).
  for (const line of (results.ratification?.report ?? []).slice(1)) {
    const item = document.createElement("li");
    item.textContent = explain(line);
    item.dir = currentLang() === "en" ? "ltr" : "auto";
    if (line.includes(": holds")) item.className = "holds";
    if (line.includes(": fails")) item.className = "fails";
    conditions.append(item);
  }

  // The table: one row per region, then the nation.
  const head = $("table-head");
  head.replaceChildren();
  const headRow = document.createElement("tr");
  const labels = [t("results-scope"), t("results-turnout"), ...(yesNo ? [t("booth-yes"), t("booth-no")] : question.options)];
  for (const label of labels) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = label;
    headRow.append(th);
  }
  head.append(headRow);
  const body = $("table-body");
  body.replaceChildren();
  const shares = new Map<string, number>();
  for (const scope of results.scopes) {
    const row = document.createElement("tr");
    const name = scope.scope === "national" ? t("results-national") : scope.scope === "merged" ? `${t("results-merged")} (${scope.regions!.join(", ")})` : scope.scope;
    cell(row, name, true);
    const eligible = scope.scope === "national" ? total : scope.scope === "merged" ? scope.regions!.reduce((a, r) => a + (registered.get(r) ?? 0), 0) : registered.get(scope.scope) ?? 0;
    cell(row, `${formatNumber(scope.counted)} / ${formatNumber(eligible)} (${percent(scope.counted, eligible)})`);
    const counts = scope.questions[0];
    if (yesNo) {
      const yes = counts[0];
      const no = question.blank ? counts[1] : scope.counted - yes;
      cell(row, `${formatNumber(yes)} (${percent(yes, yes + no)})`);
      cell(row, `${formatNumber(no)} (${percent(no, yes + no)})`);
      shares.set(scope.scope, yes + no === 0 ? 0.5 : yes / (yes + no));
    } else {
      for (const c of counts) cell(row, `${formatNumber(c)} (${percent(c, scope.counted)})`);
    }
    body.append(row);
  }
  await drawMap(manifest, shares);
}

const NOT_ALONE = "#bdbdbd";
const SVG = "http://www.w3.org/2000/svg";

/** The regions on a map, shaded by their share of yes, when the localities have boundaries:
 * each region a group the keyboard reaches, named with its share, labelled on the map; a legend
 * of the scale below. */
type Boundary = NonNullable<ConventionState["localities"][number]["localities"][number]["boundary"]>;

/** `boundary` with every exterior ring clockwise and every hole counter-clockwise (planar signed
 * area in longitude and latitude), as d3-geo reads polygons on the sphere. */
function wound(boundary: Boundary): Boundary {
  const area = (ring: number[][]) => ring.reduce((sum, [x, y], i) => sum + (ring[(i + 1) % ring.length][0] - x) * (ring[(i + 1) % ring.length][1] + y), 0);
  // Positive here is clockwise (x right, y up).
  const fix = (polygon: number[][][]) => polygon.map((ring, i) => ((area(ring) > 0) === (i === 0) ? ring : [...ring].reverse()));
  return boundary.type === "Polygon"
    ? { ...boundary, coordinates: fix(boundary.coordinates) }
    : { ...boundary, coordinates: boundary.coordinates.map(fix) };
}

async function drawMap(manifest: Manifest, shares: Map<string, number>) {
  const convention = manifest.origin?.convention;
  if (!convention) return;
  const state = await fetchJson<ConventionState>(`/api/conventions/${encodeURIComponent(convention)}`).catch(() => null);
  if (!state) return;
  const localities = (state.localities.at(-1)?.localities ?? []).flatMap((l) => (l.boundary ? [{ ...l, boundary: l.boundary }] : []));
  if (localities.length === 0) return;
  // Each locality a GeoJSON feature, its rings wound as d3-geo's spherical polygons want them
  // (exterior clockwise: RFC 7946 files wind it the other way), projected by an equal-area conic
  // projection fitted to the country (regions' areas stay comparable).
  const features = localities.map((l) => ({ type: "Feature" as const, properties: { region: l.region, name: l.name }, geometry: wound(l.boundary) }));
  const collection = { type: "FeatureCollection" as const, features };
  const [[west, south], [east, north]] = geoBounds(collection);
  const projection = geoConicEqualArea()
    .rotate([-(west + east) / 2, 0])
    .parallels([south + (north - south) / 6, north - (north - south) / 6])
    .fitSize([300, 300], collection);
  const path = geoPath(projection);
  const [[x0, y0], [x1, y1]] = path.bounds(collection);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `${x0 - 1} ${y0 - 1} ${x1 - x0 + 2} ${y1 - y0 + 2}`);
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", t("results-map"));
  const labels: SVGTextElement[] = [];
  for (const region of [...new Set(features.map((f) => f.properties.region))]) {
    const share = shares.get(region);
    const named = share === undefined ? t("results-map-alone", { region }) : t("results-map-region", { region, share: percent(share, 1) });
    const group = document.createElementNS(SVG, "g");
    group.setAttribute("tabindex", "0");
    group.setAttribute("role", "img");
    group.setAttribute("aria-label", named);
    if (share !== undefined) group.dataset.share = String(share);
    const title = document.createElementNS(SVG, "title");
    title.textContent = named;
    group.append(title);
    const mine = features.filter((f) => f.properties.region === region);
    for (const feature of mine) {
      const shape = document.createElementNS(SVG, "path");
      shape.setAttribute("class", "locality");
      shape.setAttribute("d", path(feature) ?? "");
      shape.setAttribute("fill", share === undefined ? NOT_ALONE : shareColour(share));
      shape.setAttribute("stroke", "#fff");
      group.append(shape);
    }
    svg.append(group);
    // The region's name at the centroid of its localities.
    const [cx, cy] = path.centroid({ type: "FeatureCollection", features: mine });
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", String(cx));
    label.setAttribute("y", String(cy));
    label.setAttribute("text-anchor", "middle");
    label.setAttribute("dominant-baseline", "middle");
    label.setAttribute("aria-hidden", "true");
    label.textContent = region;
    labels.push(label);
  }
  svg.append(...labels);
  $("map").replaceChildren(svg, legend());
  $("map-section").hidden = false;
}

/** The scale's legend: the gradient from all no to all yes, and the grey of merged regions. */
function legend(): HTMLElement {
  const box = document.createElement("div");
  box.className = "legend-scale";
  box.dir = "ltr";
  const bar = document.createElement("div");
  bar.className = "scale-bar";
  bar.style.background = `linear-gradient(to right, ${SCALE.join(", ")})`;
  const ends = document.createElement("div");
  ends.className = "scale-ends";
  for (const [key, share] of [["results-legend-no", 0], ["results-legend-half", 0.5], ["results-legend-yes", 1]] as const) {
    const end = document.createElement("span");
    end.textContent = t(key, { share: formatPercent(share) });
    end.dir = "auto";
    ends.append(end);
  }
  const merged = document.createElement("p");
  const swatch = document.createElement("span");
  swatch.className = "swatch";
  swatch.style.background = NOT_ALONE;
  merged.append(swatch, " ", t("results-legend-merged"));
  merged.dir = "auto";
  box.append(bar, ends, merged);
  return box;
}

document.addEventListener("convene:lang", () => render());
// The page appears whole once drawn (or once it failed): nothing on it moves after the first paint.
render().finally(() => {
  $("loading").hidden = true;
  $("page-body").hidden = false;
});
