// Pinning what the booth and the check page encrypt and check under (protocol note §13.5): the
// election key, the trustees' verification keys and the base hash are recomputed from the
// published record — the manifest's bytes, the authority's signature, the round-1 commitments of
// the qualified trustees, the registrar's signed list, the trustees' acknowledgements — so that
// a host serving another key or base hash is refused before anything is encrypted.

import * as p from "./protocol.ts";

interface SignatureJson {
  R: string;
  s: string;
}

interface Actor {
  name: string;
  key: string;
}

export interface PinnedManifest {
  version?: number;
  election_id: string;
  trustees: { n: number; t: number; members?: Actor[] };
  authority?: Actor;
  registrar?: Actor;
  /** A referendum a convention called for (docs/convention.md §6). */
  origin?: { convention: string };
}

/** The documents pinning reads, as the record publishes them. */
export interface PinInputs {
  manifestBytes: Uint8Array;
  ceremony: {
    round1: { trustee: number; commitments: string[] }[];
    outcome: { qualified: number[]; election_key: string; verification_keys: { trustee: number; key: string }[] };
  };
  election: { manifest_hash: string; credentials_hash: string; base_hash: string };
  authority?: { signature: SignatureJson };
  registrar?: { credentials_hash: string; regions: { region: string; credentials: number; weight: number }[]; signature: SignatureJson };
  acknowledgements?: { acknowledgements: { trustee: number; signature: SignatureJson }[] };
}

export interface Pinned {
  base: Uint8Array;
  K: p.Point;
  fingerprint: string;
}

const sig = (s: SignatureJson): p.Signature => ({ R: p.pointFromHex(s.R), s: p.scalarFromHex(s.s) });
const utf8 = (s: string) => new TextEncoder().encode(s);
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The first 8 bytes of the base hash as four groups of four hex digits. */
export function fingerprint(base: Uint8Array): string {
  return (p.toHex(base.slice(0, 8)).match(/..../g) ?? []).join(" ");
}

/** Recomputes and checks (§13.5); throws an Error naming the first check that fails. */
export function pin(inputs: PinInputs): Pinned {
  const manifest: PinnedManifest = JSON.parse(new TextDecoder().decode(inputs.manifestBytes));
  const version = manifest.version ?? 1;
  const fail = (why: string): never => {
    throw new Error(why);
  };
  const h = p.hash256("convene/manifest v1", [inputs.manifestBytes]);
  if (p.toHex(h) !== inputs.election.manifest_hash) fail("manifest-hash");
  // A referendum a convention called for names no authority: the convention's log is, and every
  // manifest field is derived from it (the verifier checks that, with the convention's record);
  // here the trustees' acknowledgements of `base` (step 5) vouch for the manifest hash.
  const handedOff = manifest.origin !== undefined && manifest.authority === undefined;
  if (version >= 2 && !handedOff) {
    if (!manifest.authority || !inputs.authority) fail("authority-signature");
    const ok = p.verifySignature("convene/authority-manifest v2", h, p.pointFromHex(manifest.authority!.key, true), new Uint8Array(), sig(inputs.authority!.signature));
    if (!ok) fail("authority-signature");
  }
  // K and every X_q from the qualified trustees' round-1 commitments.
  const { qualified, election_key, verification_keys } = inputs.ceremony.outcome;
  const { n, t } = manifest.trustees;
  if (qualified.length < t || new Set(qualified).size !== qualified.length) fail("ceremony-outcome");
  const commitments = qualified.map((j) => {
    const message = inputs.ceremony.round1.find((r) => r.trustee === j) ?? fail("ceremony-outcome");
    if (message.commitments.length !== t) fail("ceremony-outcome");
    return message.commitments.map((c) => p.pointFromHex(c));
  });
  const K = commitments.reduce((sum, c) => sum.add(c[0]), p.Point.ZERO);
  if (K.is0() || p.toHex(K.toBytes()) !== election_key) fail("election-key");
  const X = qualified.map((q) => {
    let sum = p.Point.ZERO;
    for (const c of commitments) {
      let power = 1n;
      for (const Ck of c) {
        sum = sum.add(p.mulPublic(Ck, power));
        power = p.mod(power * BigInt(q));
      }
    }
    return sum;
  });
  const listed = [...verification_keys].sort((a, b) => a.trustee - b.trustee);
  const order = [...qualified].sort((a, b) => a - b);
  if (listed.length !== order.length || listed.some((v, i) => v.trustee !== order[i] || v.key !== p.toHex(X[qualified.indexOf(v.trustee)].toBytes()))) {
    fail("verification-keys");
  }
  // The registrar's signed list (a secret vote's referendum has no registrar: its credentials
  // are the delegates' own keys, which the verifier checks against the convention).
  const credentialsHash = p.fromHex(inputs.election.credentials_hash);
  if (version >= 2 && !(handedOff && manifest.registrar === undefined)) {
    const r = inputs.registrar ?? fail("registrar-signature");
    if (!manifest.registrar || r.credentials_hash !== inputs.election.credentials_hash) fail("registrar-signature");
    const message = p.concat(
      credentialsHash,
      p.u32(r.regions.length),
      ...r.regions.flatMap((g) => [p.frame(utf8(g.region)), p.u64(g.credentials), p.u64(g.weight)]),
      p.u64(r.regions.reduce((sum, g) => sum + g.credentials, 0)),
      p.u64(r.regions.reduce((sum, g) => sum + g.weight, 0)),
    );
    if (!p.verifySignature("convene/registrar-credentials v2", h, p.pointFromHex(manifest.registrar!.key, true), message, sig(r.signature))) {
      fail("registrar-signature");
    }
  }
  // The base hash, from what was just checked.
  const items: Uint8Array[] = [h, credentialsHash, K.toBytes(), p.u32(n), p.u32(t), p.u32(order.length)];
  for (const q of order) items.push(p.u32(q), X[qualified.indexOf(q)].toBytes());
  const base = p.hash256("convene/base-hash v1", items);
  if (!same(base, p.fromHex(inputs.election.base_hash))) fail("base-hash");
  // Every qualified trustee vouches for K, its own X_j and the base hash.
  if (version >= 2) {
    const acks = inputs.acknowledgements?.acknowledgements ?? [];
    for (const j of order) {
      const ack = acks.find((a) => a.trustee === j) ?? fail("acknowledgement");
      const member = manifest.trustees.members?.[j - 1] ?? fail("acknowledgement");
      const message = p.concat(p.u32(j), base, K.toBytes(), X[qualified.indexOf(j)].toBytes());
      if (!p.verifySignature("convene/trustee-acknowledgement v2", h, p.pointFromHex(member.key, true), message, sig(ack.signature))) {
        fail("acknowledgement");
      }
    }
  }
  return { base, K, fingerprint: fingerprint(base) };
}

/** Fetches the documents of election `id` from the record (at the API `base`) and pins it. */
export async function pinElection(id: string, manifestBytes: Uint8Array, base = "", recordDir?: string): Promise<Pinned> {
  // The record's documents from the API at `base`, or from a copy's `record/` directory (§13.6).
  const record = (file: string) => (recordDir ? `${recordDir}/${file}` : `${base}/api/elections/${encodeURIComponent(id)}/record/${file}`);
  const json = async (file: string, optional = false) => {
    const response = await fetch(record(file));
    if (!response.ok) {
      if (optional) return undefined;
      throw new Error(`missing ${file}`);
    }
    return response.json();
  };
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes));
  const version = manifest.version ?? 1;
  return pin({
    manifestBytes,
    ceremony: await json("ceremony.json"),
    election: await json("election.json"),
    authority: version >= 2 && manifest.authority ? await json("authority.json") : undefined,
    registrar: version >= 2 && manifest.registrar ? await json("registrar.json") : undefined,
    acknowledgements: version >= 2 ? await json("acknowledgements.json") : undefined,
  });
}
