// The few DOM helpers every page uses.

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
