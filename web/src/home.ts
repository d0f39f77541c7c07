// The front page (/): the referendums, with a link to vote in each open one.

import { fetchJson } from "./dom.ts";
import { apply, t } from "./i18n.ts";
import type { ConventionList, ElectionList } from "./api.ts";

async function render() {
  apply();
  // Both lists are fetched before either is drawn, so nothing moves once drawn.
  const [listed, { elections }] = await Promise.all([
    fetchJson<ConventionList>("/api/conventions").then((c) => c.conventions),
    fetchJson<ElectionList>("/api/elections"),
  ]);
  const conventions = document.getElementById("conventions")!;
  conventions.replaceChildren();
  for (const c of listed) {
    const item = document.createElement("li");
    const title = document.createElement("bdi");
    title.textContent = c.title;
    const link = document.createElement("a");
    link.href = `/assembly/${encodeURIComponent(c.id)}${location.search}`;
    link.textContent = t("home-assembly");
    link.className = "button";
    item.append(title, " ", link);
    conventions.append(item);
  }
  document.getElementById("conventions-section")!.hidden = listed.length === 0;
  const list = document.getElementById("elections")!;
  list.replaceChildren();
  if (elections.length === 0) {
    const empty = document.createElement("p");
    empty.textContent = t("home-none");
    list.append(empty);
  }
  for (const e of elections) {
    const item = document.createElement("li");
    const title = document.createElement("span");
    title.textContent = `${e.title} (${t("home-phase")}: ${t(`phase-${e.phase}`)}) `;
    item.append(title);
    if (e.phase === "open") {
      const link = document.createElement("a");
      link.href = `/vote/${encodeURIComponent(e.id)}${location.search}`;
      link.textContent = t("home-vote");
      link.className = "button";
      item.append(link);
    }
    if (e.phase === "published") {
      const link = document.createElement("a");
      link.href = `/results/${encodeURIComponent(e.id)}${location.search}`;
      link.textContent = t("home-results");
      link.className = "button";
      item.append(link);
    }
    list.append(item);
  }
}

document.addEventListener("convene:lang", render);
render();
