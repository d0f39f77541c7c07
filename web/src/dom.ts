// The few DOM helpers every page uses.

/**
 * Fetches `url` and reads its JSON answer as `T`: the type docs/openapi.json gives that answer
 * (src/api.ts). An answer that is not a success throws the server's message (its error body,
 * `{"error", "message"}`), or its status.
 */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const body: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const { error, message, stored } = body as { error?: string; message?: string; stored?: { index?: number } };
    throw new ApiError(response.status, error ?? "error", message ?? `${response.status}`, stored?.index);
  }
  return body as T;
}

/** A refusal from the server: its status and its stable error code, which pages branch on (never its words). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** With `not_yet_witnessed`: the log index of the entry stored all the same. */
    readonly stored?: number,
  ) {
    super(message);
  }
}

/** The element with this id. */
export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * Shows a message in the element `target` (empty text hides it). An outcome (ok or error) takes
 * the focus, so that keyboard and screen-reader users land on it.
 */
export function say(target: string, text: string | Node[], kind: "info" | "ok" | "error" = "info") {
  const el = $(target);
  if (typeof text === "string") el.textContent = text;
  else el.replaceChildren(...text);
  el.className = `message ${kind}`;
  el.hidden = text === "" || (Array.isArray(text) && text.length === 0);
  if (kind !== "info" && !el.hidden) el.focus();
}

/**
 * Where the API is. A page served by a Convene server asks its own origin. A static copy of the
 * booth that an observer hosts on another origin carries `server.json`, `{"server": "https://…"}`,
 * beside its pages (the pages themselves stay byte for byte the built ones); the server answers
 * such an origin only if the election's manifest lists it (`booth_origins`).
 */
export async function apiBase(): Promise<string> {
  try {
    const answer = await fetch("/server.json");
    if (!answer.ok) return "";
    const { server } = (await answer.json()) as { server?: unknown };
    return typeof server === "string" && /^https?:\/\/[^/]+$/.test(server) ? server : "";
  } catch {
    return "";
  }
}

/** The election a page is for: `/vote/ID` on a server, `vote.html?election=ID` in a static copy. */
export function electionId(): string {
  return decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] ?? new URLSearchParams(location.search).get("election") ?? "");
}

/**
 * The receipt and check pages may connect only to the origins their address names: the server's
 * policy lists the origin of `?copy=` (a copy of the log on another host). When the copy typed
 * into the form is not the one in the address, the page loads again with it, the form's `keep`
 * fields in the fragment (never sent to a server), and checks at once; true then.
 */
export function reloadWithCopy(copy: string, keep: Record<string, string>): boolean {
  const params = new URLSearchParams(location.search);
  if (!copy || params.get("copy") === copy) return false;
  params.set("copy", copy);
  params.set("check", "1");
  if (keep.election) params.set("election", keep.election);
  location.assign(`${location.pathname}?${params}#${new URLSearchParams(keep)}`);
  return true;
}

/** The address of another page: `/name` on a server, `name.html` beside a static copy's pages. */
export function pageHref(name: string): string {
  return location.pathname.endsWith(".html") ? `${name}.html` : `/${name}`;
}
