// The results map's colour scale.

/** The diverging scale of the map, red–blue (ColorBrewer RdBu, safe for the common colour
 * blindnesses): a share of yes of 0 is dark red, ½ is near white, 1 is dark blue. */
export const SCALE = ["#b2182b", "#ef8a62", "#f7f7f7", "#67a9cf", "#2166ac"];

/** The colour of a share of yes (0 to 1) on the map's scale, as `rgb(r, g, b)`. */
export function shareColour(share: number): string {
  const at = Math.min(Math.max(share, 0), 1) * (SCALE.length - 1);
  const k = Math.min(Math.floor(at), SCALE.length - 2);
  const [from, to] = [SCALE[k], SCALE[k + 1]].map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
  const mix = from.map((v, i) => Math.round(v + (to[i] - v) * (at - k)));
  return `rgb(${mix.join(", ")})`;
}

