// A ratified constitution's timeline (/timeline/ID): the day of ratification and every milestone
// it schedules, after ratification or after another milestone, with its date in the reader's
// language in the Gregorian and the Hijri calendars (Intl), marked past or coming. The dates are
// timeline.json's (docs/timeline.md), signed by the convention's chair; convene verify
// recomputes them.

import { $, fetchJson } from "./dom.ts";
import type { Election } from "./api.ts";
import { apply, electionTexts, formatNumber, numberLocale, t } from "./i18n.ts";

const id = decodeURIComponent(location.pathname.split("/").pop() ?? "");

type Milestone = { article: number; after_article?: number; years: number; months?: number; date: string };
type Timeline = { ratified_on: string; milestones: Milestone[] };
type Article = { number: number; body: { milestone?: { region: string; event: string } } };

/** A `YYYY-MM-DD` day in the page's language and `calendar` (`gregory` or `islamic-umalqura`). */
function day(date: string, calendar: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Intl.DateTimeFormat(numberLocale(), { dateStyle: "long", timeZone: "UTC", calendar }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** How long after what, in words: "6 years after ratification", "1 year and 6 months after article 4". */
function when(m: Milestone): string {
  const parts = [];
  if (m.years) parts.push(t("timeline-years", { n: m.years }));
  if (m.months) parts.push(t("timeline-months", { n: m.months }));
  const span = parts.length ? parts.join(t("timeline-and")) : t("timeline-years", { n: 0 });
  const what = m.after_article ? t("timeline-article", { n: formatNumber(m.after_article) }) : t("timeline-ratification");
  return t("timeline-after", { span, what });
}

function step(date: string, title: string, detail: string | undefined, today: string): HTMLLIElement {
  const li = document.createElement("li");
  li.className = date <= today ? "past" : "coming";
  const time = document.createElement("time");
  time.dateTime = date;
  time.textContent = day(date, "gregory");
  const hijri = document.createElement("span");
  hijri.className = "calendar";
  hijri.textContent = `${t("timeline-hijri")}: ${day(date, "islamic-umalqura")}`;
  const heading = document.createElement("strong");
  heading.textContent = title;
  heading.dir = "auto";
  const badge = document.createElement("span");
  badge.className = "badge";
  badge.textContent = t(date <= today ? "timeline-past" : "timeline-coming");
  li.append(time, " ", badge, document.createElement("br"), heading);
  if (detail) {
    const p = document.createElement("span");
    p.className = "detail";
    p.textContent = detail;
    li.append(document.createElement("br"), p);
  }
  li.append(document.createElement("br"), hijri);
  return li;
}

async function start() {
  apply();
  const election = await fetchJson<Election>(`/api/elections/${encodeURIComponent(id)}`);
  $("title").textContent = electionTexts(election.manifest).title;
  const origin = election.manifest.origin;
  const answer = await fetch(`/api/elections/${encodeURIComponent(id)}/record/timeline.json`);
  const steps = $("steps");
  const status = $("status");
  if (!answer.ok || !origin) {
    status.textContent = t("timeline-pending");
    status.hidden = false;
  } else {
    const timeline = (await answer.json()) as Timeline;
    const constitution = await fetchJson<{ articles: Article[] }>(`/api/conventions/${encodeURIComponent(origin.convention)}/record/constitution.json`);
    const today = new Date().toISOString().slice(0, 10);
    steps.append(step(timeline.ratified_on, t("timeline-ratified"), undefined, today));
    for (const m of timeline.milestones) {
      const body = constitution.articles.find((a) => a.number === m.article)?.body.milestone;
      const title = body ? t("timeline-milestone", { event: body.event, region: body.region }) : t("timeline-article", { n: formatNumber(m.article) });
      steps.append(step(m.date, title, `${t("timeline-article", { n: formatNumber(m.article) })} — ${when(m)}`, today));
    }
  }
  $("loading").hidden = true;
  $("page-body").hidden = false;
}

document.addEventListener("convene:lang", () => location.reload());
start().catch((e) => {
  $("loading").textContent = t("error-server", { message: (e as Error).message });
});
