// The ballot side of the Convene protocol (docs/protocol.md), for the browser booth: the second,
// independent implementation, held to the same golden vectors (test-vectors/) as the Rust
// reference. Names follow the protocol note: lower-case scalars, upper-case points.
//
// It never sends a plaintext choice anywhere: it only computes. Secret scalars (credential keys,
// encryption randomness, proof nonces) are multiplied with `multiply`, noble's constant-time
// scalar multiplication; `multiplyUnsafe` touches only public values (a vote's value m, public
// challenges).

import { ristretto255 } from "@noble/curves/ed25519.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import type { Manifest, Question } from "./api.ts";

export const Point = ristretto255.Point;
export type Point = InstanceType<typeof Point>;
/** ℓ, the group's prime order. */
export const L: bigint = Point.Fn.ORDER;

export const TAG_RANGE = "convene/range v1";
export const TAG_BALLOT_SIGNATURE = "convene/ballot-signature v1";
export const TAG_KNOWLEDGE = "convene/schnorr v1";
export const SUM_SLOT = 0xffffffff;

const encoder = new TextEncoder();

// ------------------------------------------------------------------ encodings (§1)

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Bytes of strict lower-case hex (upper case is refused: one value, one spelling). */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) {
    throw new Error("not lower-case hex of whole bytes");
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function leToBigint(bytes: Uint8Array): bigint {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]);
  return x;
}

/** A scalar's 32-byte little-endian form. */
export function scalarToBytes(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = mod(x);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** A canonical scalar: 32 bytes little-endian, below ℓ (anything else is refused). */
export function scalarFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length !== 32) throw new Error("a scalar is 32 bytes");
  const x = leToBigint(bytes);
  if (x >= L) throw new Error("the scalar is not canonical (not below the group order)");
  return x;
}

export function scalarFromHex(hex: string): bigint {
  return scalarFromBytes(fromHex(hex));
}

/** A point from its canonical encoding; non-canonical encodings are refused. */
export function pointFromHex(hex: string, nonIdentity = false): Point {
  const bytes = fromHex(hex);
  if (bytes.length !== 32) throw new Error("a point is 32 bytes");
  const P = Point.fromBytes(bytes);
  if (toHex(P.toBytes()) !== hex) throw new Error("the point's encoding is not canonical");
  if (nonIdentity && P.is0()) throw new Error("the identity is not allowed here");
  return P;
}

export function mod(x: bigint): bigint {
  const r = x % L;
  return r < 0n ? r + L : r;
}

export function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0, true);
  return out;
}

export function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `frame(b) = u32(len(b)) ‖ b`. */
export function frame(bytes: Uint8Array): Uint8Array {
  return concat(u32(bytes.length), bytes);
}

/** `H(tag; x1, …, xk)`: SHA-512 of the framed items, read little-endian, reduced mod ℓ. */
export function challenge(tag: string, items: Uint8Array[]): bigint {
  const digest = sha512(concat(frame(encoder.encode(tag)), ...items.map(frame)));
  return mod(leToBigint(digest));
}

/** `H256(tag; x1, …, xk)`. */
export function hash256(tag: string, items: Uint8Array[]): Uint8Array {
  return sha256(concat(frame(encoder.encode(tag)), ...items.map(frame)));
}

/** `x·G` for a secret x (constant time); 0 gives the identity. */
export function mulBase(x: bigint): Point {
  return x === 0n ? Point.ZERO : Point.BASE.multiply(x);
}

/** `x·P` for a secret x; 0 gives the identity. */
function mulSecret(P: Point, x: bigint): Point {
  return x === 0n ? Point.ZERO : P.multiply(x);
}

/** `x·P` for public x (a vote's value in a check, a challenge). */
export function mulPublic(P: Point, x: bigint): Point {
  return P.multiplyUnsafe(mod(x));
}

/** A uniformly random non-zero scalar from the platform's CSPRNG (64 bytes reduced). */
export function randomScalar(): bigint {
  for (;;) {
    const x = mod(leToBigint(randomBytes(64)));
    if (x !== 0n) return x;
  }
}

// ------------------------------------------------------------------ ElGamal (§3)

export interface Ciphertext {
  alpha: Point;
  beta: Point;
}

/** `Enc_K(m; r) = (r·G, m·G + r·K)`. */
export function encrypt(K: Point, m: number, r: bigint): Ciphertext {
  return { alpha: mulBase(r), beta: mulPublic(Point.BASE, BigInt(m)).add(mulSecret(K, r)) };
}

// ------------------------------------------------------------------ Schnorr (§4.1, §4.2)

export interface Signature {
  R: Point;
  s: bigint;
}

/** `R = k·G`, `e = H(tag; h, enc(P), enc(R), msg)`, `s = k + e·x`. */
export function sign(tag: string, h: Uint8Array, x: bigint, msg: Uint8Array, k: bigint): Signature {
  const P = mulBase(x);
  const R = mulBase(k);
  const e = challenge(tag, [h, P.toBytes(), R.toBytes(), msg]);
  return { R, s: mod(k + e * x) };
}

/** `P` non-identity and `s·G = R + e·P`. */
export function verifySignature(tag: string, h: Uint8Array, P: Point, msg: Uint8Array, sig: Signature): boolean {
  if (P.is0()) return false;
  const e = challenge(tag, [h, P.toBytes(), sig.R.toBytes(), msg]);
  return mulPublic(Point.BASE, sig.s).equals(sig.R.add(mulPublic(P, e)));
}

// ------------------------------------------------------------------ Chaum–Pedersen (§4.3)

export interface Dleq {
  T1: Point;
  T2: Point;
  z: bigint;
}

/** `T1 = k·G`, `T2 = k·A`, `c = H(tag; h, ctx, enc(X), enc(A), enc(D), enc(T1), enc(T2))`, `z = k + c·x`. */
export function proveDleq(tag: string, h: Uint8Array, ctx: Uint8Array, x: bigint, A: Point, k: bigint): Dleq {
  const X = mulBase(x);
  const D = mulSecret(A, x);
  const T1 = mulBase(k);
  const T2 = mulSecret(A, k);
  const c = challenge(tag, [h, ctx, X.toBytes(), A.toBytes(), D.toBytes(), T1.toBytes(), T2.toBytes()]);
  return { T1, T2, z: mod(k + c * x) };
}

// ------------------------------------------------------------------ range proofs (§4.4)

export interface Branch {
  A: Point;
  B: Point;
  c: bigint;
  z: bigint;
}

export interface RangeStatement {
  base: Uint8Array;
  K: Point;
  ct: Ciphertext;
  lo: number;
  hi: number;
  ctx: Uint8Array;
}

function rangeChallenge(st: RangeStatement, branches: { A: Point; B: Point }[]): bigint {
  const items = [st.base, st.K.toBytes(), st.ct.alpha.toBytes(), st.ct.beta.toBytes(), u32(st.lo), u32(st.hi), st.ctx];
  for (const b of branches) items.push(b.A.toBytes(), b.B.toBytes());
  return challenge(TAG_RANGE, items);
}

/** Nonces of a range proof: `k` for the real branch, `(c_j, z_j)` for the others in increasing j. */
export interface RangeNonces {
  k: bigint;
  simulated: [bigint, bigint][];
}

export function randomRangeNonces(branches: number): RangeNonces {
  const simulated: [bigint, bigint][] = [];
  for (let j = 1; j < branches; j++) simulated.push([randomScalar(), randomScalar()]);
  return { k: randomScalar(), simulated };
}

/** Proves that `st.ct` encrypts `m ∈ lo..=hi` with randomness `r`. */
export function proveRange(st: RangeStatement, m: number, r: bigint, nonces: RangeNonces): Branch[] {
  const n = st.hi - st.lo + 1;
  if (st.hi < st.lo || m < st.lo || m > st.hi || nonces.simulated.length !== n - 1) {
    throw new Error("the value is outside the range, or the nonces do not fit it");
  }
  const branches: Branch[] = [];
  let next = 0;
  for (let j = st.lo; j <= st.hi; j++) {
    if (j === m) {
      branches.push({ A: mulBase(nonces.k), B: mulSecret(st.K, nonces.k), c: 0n, z: 0n });
    } else {
      const [c, z] = nonces.simulated[next++];
      const jG = mulPublic(Point.BASE, BigInt(j));
      const A = mulPublic(Point.BASE, z).subtract(mulPublic(st.ct.alpha, c));
      const B = mulPublic(st.K, z).subtract(mulPublic(st.ct.beta.subtract(jG), c));
      branches.push({ A, B, c, z });
    }
  }
  const c = rangeChallenge(st, branches);
  const real = branches[m - st.lo];
  real.c = mod(c - branches.reduce((sum, b) => sum + b.c, 0n));
  real.z = mod(nonces.k + real.c * r);
  return branches;
}

/** `Σ c_j = c`, `z_j·G = A_j + c_j·α`, `z_j·K = B_j + c_j·β − (c_j·j)·G` for every j. */
export function verifyRange(st: RangeStatement, branches: Branch[]): boolean {
  if (st.hi < st.lo || branches.length !== st.hi - st.lo + 1) return false;
  const c = rangeChallenge(st, branches);
  if (mod(branches.reduce((sum, b) => sum + b.c, 0n)) !== c) return false;
  return branches.every((b, k) => {
    const j = BigInt(st.lo + k);
    const left1 = mulPublic(Point.BASE, b.z);
    const right1 = b.A.add(mulPublic(st.ct.alpha, b.c));
    const left2 = mulPublic(st.K, b.z);
    const right2 = b.B.add(mulPublic(st.ct.beta, b.c)).subtract(mulPublic(Point.BASE, mod(b.c * j)));
    return left1.equals(right1) && left2.equals(right2);
  });
}

// ------------------------------------------------------------------ ballots (§6, §7)

/** A question's shape, as the manifest gives it. */
export type QuestionShape =
  | { kind: "yes-no"; blank?: boolean }
  | { kind: "choose"; options: number; min: number; max: number; max_per_option: number };

interface Slots {
  count: number;
  perSlot: [number, number];
  sum: [number, number] | null;
}

/** Slots per question, each slot's range, and the sum proof's range if there is one. */
export function slotsOf(q: QuestionShape): Slots {
  if (q.kind === "yes-no") {
    return q.blank ? { count: 2, perSlot: [0, 1], sum: [0, 1] } : { count: 1, perSlot: [0, 1], sum: null };
  }
  const vacuous = q.min === 0 && q.max >= q.max_per_option * q.options;
  return { count: q.options, perSlot: [0, q.max_per_option], sum: vacuous ? null : [q.min, q.max] };
}

/** `enc(P) ‖ u32(question) ‖ u32(slot)`, `P` the key the ballot is bound to (its credential, or in version 3 its one-time key). */
export function slotContext(P: Uint8Array, question: number, slot: number): Uint8Array {
  return concat(P, u32(question), u32(slot));
}

export interface Slot {
  ct: Ciphertext;
  proof: Branch[];
}

export interface Answer {
  slots: Slot[];
  sumProof: Branch[] | null;
}

export interface Ballot {
  /** The signer: the voter's credential, or for a version-3 challenged ballot its one-time key. */
  credential: Point;
  /** Version 3 (protocol note §11): the one-time key the proofs are bound to. */
  oneTime?: Uint8Array;
  region: string;
  answers: Answer[];
  signature: Signature;
}

/** What a challenged ballot reveals: per question, per slot, `(m, r)`. */
export type BallotSecrets = [number, bigint][][];

export interface Election {
  base: Uint8Array;
  K: Point;
  questions: QuestionShape[];
}

function proofBytes(branches: Branch[]): Uint8Array {
  const parts = [u32(branches.length)];
  for (const b of branches) parts.push(b.A.toBytes(), b.B.toBytes(), scalarToBytes(b.c), scalarToBytes(b.z));
  return concat(...parts);
}

/** What the ballot's proofs are bound to: its one-time key (version 3) or its credential. */
export function boundTo(ballot: Omit<Ballot, "signature">): Uint8Array {
  return ballot.oneTime ?? ballot.credential.toBytes();
}

/** The ballot body the signature signs (§6; §11 in version 3, naming no credential). */
export function ballotBody(base: Uint8Array, ballot: Omit<Ballot, "signature">): Uint8Array {
  const parts: Uint8Array[] = [
    encoder.encode(ballot.oneTime ? "convene/ballot v3" : "convene/ballot v1"),
    base,
    boundTo(ballot),
    frame(encoder.encode(ballot.region)),
    u32(ballot.answers.length),
  ];
  for (const answer of ballot.answers) {
    parts.push(u32(answer.slots.length));
    for (const slot of answer.slots) {
      parts.push(slot.ct.alpha.toBytes(), slot.ct.beta.toBytes(), proofBytes(slot.proof));
    }
    parts.push(answer.sumProof ? concat(Uint8Array.of(1), proofBytes(answer.sumProof)) : Uint8Array.of(0));
  }
  return concat(...parts);
}

/** The log entry's bytes (§7): `u8(kind) ‖ body ‖ enc(R) ‖ enc(s)`, then a reveal's `u64(m) ‖ enc(r)`s. */
export function entryBytes(base: Uint8Array, ballot: Ballot, reveal?: BallotSecrets): Uint8Array {
  const parts = [Uint8Array.of(reveal ? 2 : 1), ballotBody(base, ballot)];
  // A version-3 cast entry names its credential after the body (§11).
  if (ballot.oneTime && !reveal) parts.push(ballot.credential.toBytes());
  parts.push(ballot.signature.R.toBytes(), scalarToBytes(ballot.signature.s));
  for (const [m, r] of (reveal ?? []).flat()) parts.push(u64(m), scalarToBytes(r));
  return concat(...parts);
}

/** A version-3 ballot's fingerprint, shown before the voter casts or challenges (§11). */
export function fingerprint(base: Uint8Array, ballot: Omit<Ballot, "signature">): string {
  return toHex(hash256("convene/ballot-fingerprint v3", [ballotBody(base, ballot)]));
}

/** A ballot's tracking code: `SHA-256(0x00 ‖ entry)`, its leaf in the log. */
export function trackingCode(entry: Uint8Array): string {
  return toHex(sha256(concat(Uint8Array.of(0), entry)));
}

/**
 * Encrypts, proves and signs a ballot on this device. `choices[q][slot]` are the values; the
 * secret `x` signs. Returns the ballot and the secrets a Benaloh challenge reveals. With
 * `oneTime` (version 3, §11), `x` is the ballot's fresh one-time secret: the proofs are bound to
 * its key and it signs, ready to challenge; `signCast` signs it with the credential to cast it.
 */
export function encryptBallot(
  election: Election,
  x: bigint,
  region: string,
  choices: number[][],
  oneTime = false,
): { ballot: Ballot; secrets: BallotSecrets } {
  if (choices.length !== election.questions.length) throw new Error("one answer per question");
  const credential = mulBase(x);
  const bound = credential.toBytes();
  const secrets: BallotSecrets = [];
  const answers: Answer[] = election.questions.map((q, qi) => {
    const shape = slotsOf(q);
    const values = choices[qi];
    if (values.length !== shape.count) throw new Error(`question ${qi + 1} has ${shape.count} slots`);
    const slotSecrets: [number, bigint][] = [];
    const slots = values.map((m, si) => {
      const r = randomScalar();
      const ct = encrypt(election.K, m, r);
      const st = { base: election.base, K: election.K, ct, lo: shape.perSlot[0], hi: shape.perSlot[1], ctx: slotContext(bound, qi, si) };
      slotSecrets.push([m, r]);
      return { ct, proof: proveRange(st, m, r, randomRangeNonces(st.hi - st.lo + 1)) };
    });
    secrets.push(slotSecrets);
    let sumProof: Branch[] | null = null;
    if (shape.sum) {
      const total = values.reduce((a, b) => a + b, 0);
      const r = slotSecrets.reduce((a, [, ri]) => mod(a + ri), 0n);
      const ct = slots.reduce((a, s) => ({ alpha: a.alpha.add(s.ct.alpha), beta: a.beta.add(s.ct.beta) }), { alpha: Point.ZERO, beta: Point.ZERO });
      const [lo, hi] = shape.sum;
      const st = { base: election.base, K: election.K, ct, lo, hi, ctx: slotContext(bound, qi, SUM_SLOT) };
      sumProof = proveRange(st, total, r, randomRangeNonces(hi - lo + 1));
    }
    return { slots, sumProof };
  });
  const unsigned = oneTime ? { credential, oneTime: bound, region, answers } : { credential, region, answers };
  const signature = sign(TAG_BALLOT_SIGNATURE, election.base, x, ballotBody(election.base, unsigned), randomScalar());
  return { ballot: { ...unsigned, signature }, secrets };
}

/** A version-3 ballot cast: the same body, signed by the credential secret `x` (§11). */
export function signCast(election: Election, ballot: Ballot, x: bigint, k = randomScalar()): Ballot {
  const { signature: _, ...unsigned } = ballot;
  const cast = { ...unsigned, credential: mulBase(x) };
  return { ...cast, signature: sign(TAG_BALLOT_SIGNATURE, election.base, x, ballotBody(election.base, cast), k) };
}

/** Every check the verifier makes of one ballot's proofs and signature; the failed ones, named. */
export function verifyBallot(election: Election, ballot: Ballot): string[] {
  const failures: string[] = [];
  if (ballot.answers.length !== election.questions.length) return ["the ballot does not answer every question"];
  ballot.answers.forEach((answer, qi) => {
    const shape = slotsOf(election.questions[qi]);
    if (answer.slots.length !== shape.count) {
      failures.push(`question ${qi}: wrong number of slots`);
      return;
    }
    answer.slots.forEach((slot, si) => {
      const st = { base: election.base, K: election.K, ct: slot.ct, lo: shape.perSlot[0], hi: shape.perSlot[1], ctx: slotContext(boundTo(ballot), qi, si) };
      if (!verifyRange(st, slot.proof)) failures.push(`question ${qi} slot ${si}: range proof does not verify`);
    });
    if ((shape.sum === null) !== (answer.sumProof === null)) {
      failures.push(`question ${qi}: sum proof missing or unexpected`);
    } else if (shape.sum && answer.sumProof) {
      const ct = answer.slots.reduce((a, s) => ({ alpha: a.alpha.add(s.ct.alpha), beta: a.beta.add(s.ct.beta) }), { alpha: Point.ZERO, beta: Point.ZERO });
      const st = { base: election.base, K: election.K, ct, lo: shape.sum[0], hi: shape.sum[1], ctx: slotContext(boundTo(ballot), qi, SUM_SLOT) };
      if (!verifyRange(st, answer.sumProof)) failures.push(`question ${qi}: sum proof does not verify`);
    }
  });
  const { signature, ...unsigned } = ballot;
  if (!verifySignature(TAG_BALLOT_SIGNATURE, election.base, ballot.credential, ballotBody(election.base, unsigned), signature)) {
    failures.push("the signature does not verify with the credential");
  }
  return failures;
}

/** A Benaloh reveal holds when every ciphertext is `Enc_K(m; r)` for the revealed `(m, r)`. */
export function checkReveal(election: Election, ballot: Ballot, reveal: BallotSecrets): boolean {
  if (reveal.length !== ballot.answers.length) return false;
  return ballot.answers.every((answer, qi) =>
    answer.slots.length === reveal[qi].length &&
    answer.slots.every((slot, si) => {
      const [m, r] = reveal[qi][si];
      const expected = encrypt(election.K, m, r);
      return expected.alpha.equals(slot.ct.alpha) && expected.beta.equals(slot.ct.beta);
    }),
  );
}

// ------------------------------------------------------------------ JSON (docs/record-format.md)

interface BranchJson { A: string; B: string; c: string; z: string }
export interface BallotJson {
  one_time_key?: string;
  credential?: string;
  region: string;
  answers: { slots: { alpha: string; beta: string; proof: BranchJson[] }[]; sum_proof?: BranchJson[] }[];
  signature: { R: string; s: string };
}

const branchToJson = (b: Branch): BranchJson => ({ A: toHex(b.A.toBytes()), B: toHex(b.B.toBytes()), c: toHex(scalarToBytes(b.c)), z: toHex(scalarToBytes(b.z)) });
const branchFromJson = (b: BranchJson): Branch => ({ A: pointFromHex(b.A), B: pointFromHex(b.B), c: scalarFromHex(b.c), z: scalarFromHex(b.z) });

/** A ballot's JSON; `spoiled` leaves out a version-3 challenged ballot's credential (its one-time key signs it). */
export function ballotToJson(ballot: Ballot, spoiled = false): BallotJson {
  return {
    ...(ballot.oneTime ? { one_time_key: toHex(ballot.oneTime) } : {}),
    ...(ballot.oneTime && spoiled ? {} : { credential: toHex(ballot.credential.toBytes()) }),
    region: ballot.region,
    answers: ballot.answers.map((a) => ({
      slots: a.slots.map((s) => ({ alpha: toHex(s.ct.alpha.toBytes()), beta: toHex(s.ct.beta.toBytes()), proof: s.proof.map(branchToJson) })),
      ...(a.sumProof ? { sum_proof: a.sumProof.map(branchToJson) } : {}),
    })),
    signature: { R: toHex(ballot.signature.R.toBytes()), s: toHex(scalarToBytes(ballot.signature.s)) },
  };
}

export function ballotFromJson(json: BallotJson): Ballot {
  const signer = json.credential ?? json.one_time_key;
  if (signer === undefined) throw new Error("the ballot names no credential");
  return {
    credential: pointFromHex(signer, true),
    ...(json.one_time_key !== undefined ? { oneTime: fromHex(json.one_time_key) } : {}),
    region: json.region,
    answers: json.answers.map((a) => ({
      slots: a.slots.map((s) => ({ ct: { alpha: pointFromHex(s.alpha), beta: pointFromHex(s.beta) }, proof: s.proof.map(branchFromJson) })),
      sumProof: a.sum_proof ? a.sum_proof.map(branchFromJson) : null,
    })),
    signature: { R: pointFromHex(json.signature.R), s: scalarFromHex(json.signature.s) },
  };
}

/** A question of the manifest (docs/record-format.md). */
/** A question of the manifest, and the manifest, as docs/record.schema.json describes them. */
export type QuestionJson = Question;
export type ManifestJson = Manifest;

/** A question's shape, as encryption and proofs need it (§6). */
export function questionShape(q: QuestionJson): QuestionShape {
  return q.kind === "yes-no"
    ? { kind: "yes-no", blank: !!q.blank }
    : { kind: "choose", options: q.options.length, min: q.min, max: q.max, max_per_option: q.max_per_option };
}

/** A log entry as the record's `log.jsonl` and the API's `/log` give it. */
export interface EntryJson {
  kind: "cast" | "spoiled";
  ballot: BallotJson;
  reveal?: { m: number; r: string }[][];
}

/** Reads a log entry's exact bytes (§7, §11: what the log's tiles bundle) into its JSON form,
 * refusing anything that is not exactly one entry. Points and scalars are checked where the
 * ballot is checked; here only their length. */
export function decodeEntry(bytes: Uint8Array): EntryJson {
  let at = 0;
  const take = (n: number): Uint8Array => {
    if (n < 0 || at + n > bytes.length) throw new Error("the entry ends early");
    const out = bytes.subarray(at, at + n);
    at += n;
    return out;
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = (least: number): number => {
    const n = view.getUint32(take(4).byteOffset - bytes.byteOffset, true);
    // Each counted item takes at least `least` bytes: a count beyond what is left is refused.
    if (n * least > bytes.length - at) throw new Error("the entry ends early");
    return n;
  };
  const hex = (n: number) => toHex(take(n));
  const kind = take(1)[0];
  if (kind !== 1 && kind !== 2) throw new Error("an entry is a cast (1) or a spoiled (2) ballot");
  const tag = new TextDecoder().decode(take(17));
  if (tag !== "convene/ballot v1" && tag !== "convene/ballot v3") throw new Error("not a ballot body");
  const v3 = tag === "convene/ballot v3";
  take(32); // base: the tracking code (the leaf hash) binds it
  const bound = hex(32);
  const region = new TextDecoder("utf-8", { fatal: true }).decode(take(count(1)));
  const branches = () =>
    Array.from({ length: count(128) }, () => ({ A: hex(32), B: hex(32), c: hex(32), z: hex(32) }));
  const answers = Array.from({ length: count(5) }, () => {
    const slots = Array.from({ length: count(68) }, () => ({ alpha: hex(32), beta: hex(32), proof: branches() }));
    const flag = take(1)[0];
    if (flag > 1) throw new Error("a sum proof flag is 0 or 1");
    return flag === 1 ? { slots, sum_proof: branches() } : { slots };
  });
  const ballot: BallotJson = { region, answers, signature: { R: "", s: "" } };
  if (v3) ballot.one_time_key = bound;
  if (!v3 || kind === 1) ballot.credential = v3 ? hex(32) : bound;
  ballot.signature = { R: hex(32), s: hex(32) };
  const entry: EntryJson = { kind: kind === 1 ? "cast" : "spoiled", ballot };
  if (kind === 2) {
    entry.reveal = answers.map((a) =>
      a.slots.map(() => {
        const m = view.getBigUint64(take(8).byteOffset - bytes.byteOffset, true);
        if (m > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("a revealed value is too large");
        return { m: Number(m), r: hex(32) };
      }),
    );
  }
  if (at !== bytes.length) throw new Error("bytes after the entry");
  return entry;
}

// ------------------------------------------------------------------ the convention (docs/convention.md)

export const TAG_CONVENTION_EVENT = "convene/convention-event v1";
export const TAG_CONVENTION_EVENT_V2 = "convene/convention-event v2";

/** The charter hash `h = H256("convene/manifest v1"; charter bytes)`. */
export function charterHash(charterBytes: Uint8Array): Uint8Array {
  return hash256("convene/manifest v1", [charterBytes]);
}

/** What a version-2 signer saw: the log's size and RFC 9162 root (hex). */
export interface Seen {
  size: number;
  root: string;
}

/**
 * A signed convention log line: the event's exact JSON bytes `E` and the signer's sequence
 * number `n`, signed as `le64(n) ‖ E` under the charter hash (version 1, `seen` null), or as
 * `le64(n) ‖ le64(seen.size) ‖ seen.root ‖ E` under the version-2 tag (docs/convention.md §2.1).
 */
export function signConventionEntry(h: Uint8Array, x: bigint, n: number, event: object, seen: Seen | null, k = randomScalar()): string {
  const eventJson = JSON.stringify(event);
  const msg = seen === null ? concat(u64(n), encoder.encode(eventJson)) : concat(u64(n), u64(seen.size), fromHex(seen.root), encoder.encode(eventJson));
  const signature = sign(seen === null ? TAG_CONVENTION_EVENT : TAG_CONVENTION_EVENT_V2, h, x, msg, k);
  const signer = toHex(mulBase(x).toBytes());
  const sig = JSON.stringify({ R: toHex(signature.R.toBytes()), s: toHex(scalarToBytes(signature.s)) });
  const seenJson = seen === null ? "" : `"seen":{"size":${seen.size},"root":"${seen.root}"},`;
  return `{"n":${n},${seenJson}"signer":"${signer}","event":${eventJson},"signature":${sig}}`;
}
