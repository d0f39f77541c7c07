// The booth's protocol code against the golden vectors the Rust reference wrote
// (test-vectors/): the same inputs must give the same bytes, and the stored ballot must verify.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as p from "../src/protocol.ts";

// `npm test` runs in web/; the vectors are the repository's.
const dir = resolve(process.cwd(), "..", "test-vectors") + "/";
const vectors = (name: string) => JSON.parse(readFileSync(dir + name, "utf8"));
const hexOf = (P: p.Point) => p.toHex(P.toBytes());
const hexOfScalar = (x: bigint) => p.toHex(p.scalarToBytes(x));

test("exponential ElGamal: Enc_K(m; r) = (r·G, m·G + r·K)", () => {
  const doc = vectors("encryption.json");
  assert.ok(doc.cases.length >= 3);
  for (const c of doc.cases) {
    const K = p.pointFromHex(c.election_key);
    assert.equal(hexOf(p.mulBase(p.scalarFromHex(c.election_secret))), c.election_key);
    const ct = p.encrypt(K, c.m, p.scalarFromHex(c.r));
    assert.equal(hexOf(ct.alpha), c.alpha);
    assert.equal(hexOf(ct.beta), c.beta);
  }
});

test("Schnorr proof of knowledge (§4.1) and signature (§4.2)", () => {
  for (const [file, tag] of [["schnorr.json", p.TAG_KNOWLEDGE], ["signature.json", null]] as const) {
    const doc = vectors(file);
    for (const c of doc.cases ?? [doc]) {
      const msg = p.fromHex(c.ctx ?? c.msg);
      const sig = p.sign(tag ?? c.tag, p.fromHex(c.h), p.scalarFromHex(c.x), msg, p.scalarFromHex(c.k));
      assert.equal(hexOf(sig.R), c.T ?? c.R, file);
      assert.equal(hexOfScalar(sig.s), c.z ?? c.s, file);
      const P = p.pointFromHex(c.X ?? c.P, true);
      assert.ok(p.verifySignature(tag ?? c.tag, p.fromHex(c.h), P, msg, sig));
      assert.ok(!p.verifySignature(tag ?? c.tag, p.fromHex(c.h), P, p.concat(msg, Uint8Array.of(0)), sig));
    }
  }
});

test("Chaum–Pedersen proof (§4.3)", () => {
  const doc = vectors("dleq.json");
  for (const c of doc.cases ?? [doc]) {
    const proof = p.proveDleq(c.tag, p.fromHex(c.h), p.fromHex(c.ctx), p.scalarFromHex(c.x), p.pointFromHex(c.A), p.scalarFromHex(c.k));
    assert.equal(hexOf(proof.T1), c.T1);
    assert.equal(hexOf(proof.T2), c.T2);
    assert.equal(hexOfScalar(proof.z), c.z);
  }
});

test("range proofs (§4.4): the same nonces give the same proof, which verifies", () => {
  const doc = vectors("range.json");
  assert.ok(doc.cases.length >= 2);
  for (const c of doc.cases) {
    const st = {
      base: p.fromHex(c.base),
      K: p.pointFromHex(c.K),
      ct: { alpha: p.pointFromHex(c.alpha), beta: p.pointFromHex(c.beta) },
      lo: c.lo,
      hi: c.hi,
      ctx: p.fromHex(c.ctx),
    };
    const r = p.scalarFromHex(c.r);
    const encrypted = p.encrypt(st.K, c.m, r);
    assert.ok(encrypted.alpha.equals(st.ct.alpha) && encrypted.beta.equals(st.ct.beta));
    const nonces = {
      k: p.scalarFromHex(c.k),
      simulated: c.simulated.map(([cj, zj]: [string, string]) => [p.scalarFromHex(cj), p.scalarFromHex(zj)]),
    };
    const proof = p.proveRange(st, c.m, r, nonces);
    assert.deepEqual(
      proof.map((b) => ({ A: hexOf(b.A), B: hexOf(b.B), c: hexOfScalar(b.c), z: hexOfScalar(b.z) })),
      c.proof,
    );
    assert.ok(p.verifyRange(st, proof));
    assert.ok(!p.verifyRange({ ...st, ctx: p.concat(st.ctx, Uint8Array.of(1)) }, proof), "the context is bound");
  }
});

test("the stored ballot (§6, §7): its body, entry and tracking code, and it verifies", () => {
  const doc = vectors("ballot.json");
  const election = { base: p.fromHex(doc.base), K: p.pointFromHex(doc.election_key), questions: doc.questions };
  const ballot = p.ballotFromJson(doc.ballot);
  assert.deepEqual(p.verifyBallot(election, ballot), []);
  const { signature: _, ...unsigned } = ballot;
  assert.equal(p.toHex(p.ballotBody(election.base, unsigned)), doc.body);
  const entry = p.entryBytes(election.base, ballot);
  assert.equal(p.toHex(entry), doc.entry);
  assert.equal(p.trackingCode(entry), doc.tracking_code);
  assert.deepEqual(p.ballotToJson(ballot), doc.ballot);
  // One changed slot value is caught.
  const tampered = structuredClone(doc.ballot);
  tampered.answers[0].slots[0].beta = doc.ballot.answers[1].slots[0].beta;
  assert.notDeepEqual(p.verifyBallot(election, p.ballotFromJson(tampered)), []);
});

test("the version-3 ballot (§11): one body and fingerprint, challenged and cast entries, as in Rust", () => {
  const doc = vectors("ballot-v3.json");
  const election = { base: p.fromHex(doc.base), K: p.pointFromHex(doc.election_key), questions: doc.questions };
  const spoiled = p.ballotFromJson(doc.spoiled.ballot);
  const cast = p.ballotFromJson(doc.cast.ballot);
  assert.equal(doc.spoiled.ballot.credential, undefined, "a challenged ballot names no credential");
  for (const ballot of [spoiled, cast]) {
    assert.deepEqual(p.verifyBallot(election, ballot), []);
    const { signature: _, ...unsigned } = ballot;
    assert.equal(p.toHex(p.ballotBody(election.base, unsigned)), doc.body);
    assert.equal(p.fingerprint(election.base, unsigned), doc.fingerprint);
  }
  const reveal: p.BallotSecrets = doc.spoiled.reveal.map((q: any[]) => q.map((s) => [s.m, p.scalarFromHex(s.r)]));
  assert.ok(p.checkReveal(election, spoiled, reveal));
  assert.equal(p.toHex(p.entryBytes(election.base, spoiled, reveal)), doc.spoiled_entry);
  assert.equal(p.trackingCode(p.entryBytes(election.base, spoiled, reveal)), doc.spoiled_tracking_code);
  assert.equal(p.toHex(p.entryBytes(election.base, cast)), doc.cast_entry);
  assert.equal(p.trackingCode(p.entryBytes(election.base, cast)), doc.cast_tracking_code);
  assert.deepEqual(p.ballotToJson(spoiled, true), doc.spoiled.ballot);
  assert.deepEqual(p.ballotToJson(cast), doc.cast.ballot);
  // Made here: bound to a one-time key, cast with a credential; both verify, one fingerprint.
  const x = p.randomScalar();
  const { ballot, secrets } = p.encryptBallot(election, p.randomScalar(), "north", [[1]], true);
  const signed = p.signCast(election, ballot, x);
  assert.deepEqual(p.verifyBallot(election, ballot), []);
  assert.deepEqual(p.verifyBallot(election, signed), []);
  assert.equal(p.fingerprint(election.base, ballot), p.fingerprint(election.base, signed));
  assert.ok(p.checkReveal(election, ballot, secrets));
});

test("a ballot made here verifies here, and its Benaloh reveal checks", () => {
  const doc = vectors("ballot.json");
  const election = { base: p.fromHex(doc.base), K: p.pointFromHex(doc.election_key), questions: doc.questions };
  const x = p.randomScalar();
  const { ballot, secrets } = p.encryptBallot(election, x, "south", [[1], [0, 0, 1, 0]]);
  assert.deepEqual(p.verifyBallot(election, ballot), []);
  assert.ok(p.checkReveal(election, ballot, secrets));
  const wrong = secrets.map((q) => q.map(([m, r]) => [1 - m, r] as [number, bigint]));
  assert.ok(!p.checkReveal(election, ballot, wrong));
  assert.throws(() => p.encryptBallot(election, x, "south", [[2], [0, 0, 1, 0]]));
});

test("convention event lines (docs/convention.md §2): the same line as Rust from the same event", () => {
  const doc = vectors("convention-event.json");
  assert.ok(doc.cases.length >= 2);
  for (const c of doc.cases) {
    const line = p.signConventionEntry(p.fromHex(doc.charter_hash), p.scalarFromHex(c.secret), c.n, JSON.parse(c.event_json), null, p.scalarFromHex(c.nonce));
    assert.equal(line, c.line);
  }
});

test("version-2 convention event lines (docs/convention.md §2.1): what the signer saw is signed, the same line as Rust", () => {
  const doc = vectors("convention-event-v2.json");
  assert.ok(doc.cases.length >= 2);
  for (const c of doc.cases) {
    const line = p.signConventionEntry(p.fromHex(doc.charter_hash), p.scalarFromHex(c.secret), c.n, JSON.parse(c.event_json), c.seen, p.scalarFromHex(c.nonce));
    assert.equal(line, c.line);
    const other = p.signConventionEntry(p.fromHex(doc.charter_hash), p.scalarFromHex(c.secret), c.n, JSON.parse(c.event_json), { ...c.seen, size: c.seen.size + 1 }, p.scalarFromHex(c.nonce));
    assert.notEqual(JSON.parse(other).signature.s, JSON.parse(c.line).signature.s, "another view, another signature");
  }
});

test("decoding refuses what the protocol forbids", () => {
  assert.throws(() => p.fromHex("AB"), /lower-case/);
  assert.throws(() => p.scalarFromHex("ff".repeat(32)), /canonical/);
  assert.throws(() => p.pointFromHex("00".repeat(32), true), /identity/);
  assert.throws(() => p.pointFromHex("ff".repeat(32)));
});

test("random input to every decoder: a clear error or a value, never anything else", () => {
  // A small deterministic generator (xorshift), so that a failure repeats.
  let seed = 0x9e3779b9;
  const next = () => ((seed ^= seed << 13), (seed ^= seed >>> 17), (seed ^= seed << 5), seed >>> 0);
  const hexChars = "0123456789abcdefABCDEFxz ";
  const randomHex = () => Array.from({ length: next() % 80 }, () => hexChars[next() % hexChars.length]).join("");
  const doc = vectors("ballot.json");
  const decoders: ((input: string) => unknown)[] = [
    p.fromHex,
    (h) => p.pointFromHex(h, true),
    p.scalarFromHex,
    (text) => p.ballotFromJson(JSON.parse(text)),
  ];
  for (let i = 0; i < 2000; i++) {
    // Half random hex, half the stored ballot with one character changed.
    const json = JSON.stringify(doc.ballot);
    const at = next() % json.length;
    const mutated = json.slice(0, at) + hexChars[next() % hexChars.length] + json.slice(at + 1);
    const input = i % 2 === 0 ? randomHex() : mutated;
    for (const decode of decoders) {
      try {
        decode(input);
      } catch (e) {
        assert.ok(e instanceof Error, `a decoder threw ${String(e)} for ${input}`);
      }
    }
  }
});

test("a checkpoint note (§12, §13.2): log signature and witness cosignature, as the Rust side wrote them", async () => {
  const { checkCheckpointNote, parseVerifierKey } = await import("../src/note.ts");
  const doc = vectors("note-cosignature.json");
  const manifest = { log_key: doc.log_vkey, witnesses: [{ key: doc.witness_vkey, url: "http://w" }], witness_quorum: 1 };
  assert.equal(parseVerifierKey(doc.witness_vkey).name, doc.witness_name);
  const root = p.fromHex(doc.root);
  assert.equal(checkCheckpointNote(doc.note, manifest, doc.size, root), null);
  assert.equal(checkCheckpointNote(doc.note, { ...manifest, witness_quorum: 2 }, doc.size, root), "checkpoint-quorum");
  assert.equal(checkCheckpointNote(doc.note, manifest, doc.size + 1, root), "checkpoint-signature");
  // One changed character in the cosignature, or the log's signature alone without the witness.
  const lines = doc.note.split("\n");
  const cosignature = lines[lines.length - 2];
  const flipped = cosignature.slice(0, -6) + (cosignature.at(-6) === "A" ? "B" : "A") + cosignature.slice(-5);
  assert.equal(checkCheckpointNote(doc.note.replace(cosignature, flipped), manifest, doc.size, root), "checkpoint-cosignature");
  assert.equal(checkCheckpointNote(doc.note.replace(cosignature + "\n", ""), manifest, doc.size, root), "checkpoint-quorum");
});

test("pinning (§13.5): the golden records' key and base hash are recomputed, a swapped key is refused", async () => {
  const { pin } = await import("../src/pin.ts");
  for (const name of ["record-v2", "record-v3", "record-v4"]) {
    const read = (file: string) => JSON.parse(readFileSync(`${dir}${name}/${file}`, "utf8"));
    const inputs = {
      manifestBytes: new Uint8Array(readFileSync(`${dir}${name}/manifest.json`)),
      ceremony: read("ceremony.json"),
      election: read("election.json"),
      authority: read("authority.json"),
      registrar: read("registrar.json"),
      acknowledgements: read("acknowledgements.json"),
    };
    const pinned = pin(inputs);
    assert.equal(p.toHex(pinned.base), inputs.election.base_hash, name);
    assert.equal(pinned.fingerprint, inputs.election.base_hash.slice(0, 16).match(/..../g).join(" "), name);
    const fake = structuredClone(inputs);
    fake.ceremony.outcome.election_key = p.toHex(p.mulBase(7n).toBytes());
    assert.throws(() => pin(fake), /election-key/, name);
    const rebased = structuredClone(inputs);
    rebased.election.base_hash = "00".repeat(32);
    assert.throws(() => pin(rebased), /base-hash/, name);
    const unsigned = structuredClone(inputs);
    unsigned.acknowledgements.acknowledgements.pop();
    assert.throws(() => pin(unsigned), /acknowledgement/, name);
  }
});

test("consistency proofs (RFC 9162 §2.1.4.2): the golden record's, and a wrong root refused", async () => {
  const { verifyConsistency } = await import("../src/receipt.ts");
  const doc = JSON.parse(readFileSync(`${dir}record-v4/checkpoints.json`, "utf8"));
  const root = (size: number) => p.fromHex(doc.checkpoints.find((c: any) => c.size === size).root);
  assert.ok(doc.consistency.length >= 2);
  for (const c of doc.consistency) {
    const path = c.proof.map(p.fromHex);
    assert.ok(verifyConsistency(c.from, c.to, root(c.from), root(c.to), path), `${c.from} → ${c.to}`);
    assert.ok(!verifyConsistency(c.from, c.to, root(c.to), root(c.to), path), `${c.from} → ${c.to} with another root`);
  }
});

test("log entries from their bytes (§7, §11): the golden entries decode to their JSON and encode back", () => {
  const v1 = vectors("ballot.json");
  assert.deepEqual(p.decodeEntry(p.fromHex(v1.entry)), { kind: "cast", ballot: v1.ballot });
  const v3 = vectors("ballot-v3.json");
  assert.deepEqual(p.decodeEntry(p.fromHex(v3.cast_entry)), { kind: "cast", ballot: v3.cast.ballot });
  assert.deepEqual(p.decodeEntry(p.fromHex(v3.spoiled_entry)), { kind: "spoiled", ballot: v3.spoiled.ballot, reveal: v3.spoiled.reveal });
  // Every prefix, one byte more, and one changed byte: an Error or an entry, never anything else.
  const bytes = p.fromHex(v3.spoiled_entry);
  for (let n = 0; n < bytes.length; n++) assert.throws(() => p.decodeEntry(bytes.subarray(0, n)), Error);
  assert.throws(() => p.decodeEntry(p.concat(bytes, Uint8Array.of(0))), /after the entry/);
  for (let at = 0; at < bytes.length; at += 7) {
    const changed = bytes.slice();
    changed[at] ^= 0xff;
    try {
      p.decodeEntry(changed);
    } catch (e) {
      assert.ok(e instanceof Error, String(e));
    }
  }
});

test("the log from tiles (§13.6): tile paths as tlog-tiles writes them, and the golden record's roots", async () => {
  const { tileIndex, tilePath, rootOf } = await import("../src/tiles.ts");
  assert.equal(tileIndex(1234067), "x001/x234/067");
  assert.equal(tileIndex(0), "000");
  assert.equal(tileIndex(1000), "x001/000");
  assert.equal(tilePath(0, 1, 256), "tile/0/001");
  assert.equal(tilePath("entries", 0, 22), "tile/entries/000.p/22");
  const record = `${dir}record-v4/`;
  const base = p.fromHex(JSON.parse(readFileSync(`${record}election.json`, "utf8")).base_hash);
  const leaves = readFileSync(`${record}log.jsonl`, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const entry = JSON.parse(line);
      const reveal = entry.reveal?.map((q: any[]) => q.map((s) => [s.m, p.scalarFromHex(s.r)]));
      const bytes = p.entryBytes(base, p.ballotFromJson(entry.ballot), reveal);
      assert.deepEqual(p.decodeEntry(bytes), entry);
      return p.fromHex(p.trackingCode(bytes));
    });
  const checkpoints = JSON.parse(readFileSync(`${record}checkpoints.json`, "utf8")).checkpoints;
  for (const c of checkpoints) assert.equal(p.toHex(rootOf(leaves, c.size)), c.root, `size ${c.size}`);
  assert.equal(p.toHex(rootOf(leaves, 0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});

test("a copy of the log as tiles (§13.6): read and checked, a live log's full tile stands in for a gone partial one, a changed entry is refused", async () => {
  const { TileLog, CopyError } = await import("../src/tiles.ts");
  const record = `${dir}record-v4/`;
  const manifest = JSON.parse(readFileSync(`${record}manifest.json`, "utf8"));
  const base = p.fromHex(JSON.parse(readFileSync(`${record}election.json`, "utf8")).base_hash);
  const entries = readFileSync(`${record}log.jsonl`, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const entry = JSON.parse(line);
      const reveal = entry.reveal?.map((q: any[]) => q.map((s) => [s.m, p.scalarFromHex(s.r)]));
      return p.entryBytes(base, p.ballotFromJson(entry.ballot), reveal);
    });
  const checkpoints = JSON.parse(readFileSync(`${record}checkpoints.json`, "utf8")).checkpoints;
  const note = checkpoints[checkpoints.length - 1].note;
  const leaf = (e: Uint8Array) => p.fromHex(p.trackingCode(e));
  const bundle = (list: Uint8Array[]) => p.concat(...list.flatMap((e) => [Uint8Array.of(e.length >> 8, e.length & 255), e]));
  // A live log that has grown to a full first tile since the checkpoint: the partial tiles of
  // the checkpoint's width are gone, the full ones begin with the same hashes and entries.
  const grown = [...entries, ...Array.from({ length: 256 - entries.length }, (_, k) => Uint8Array.of(9, k))];
  const serve = (files: Record<string, Uint8Array | string>) => {
    globalThis.fetch = (async (url: string) => {
      const body = files[String(url).replace("https://copy.example/log/", "")];
      return body === undefined ? new Response("no", { status: 404 }) : new Response(body as BodyInit);
    }) as typeof fetch;
  };
  serve({ checkpoint: note, "tile/0/000": p.concat(...grown.map(leaf)), "tile/entries/000": bundle(grown) });
  const copy = await TileLog.open("https://copy.example/log", manifest);
  assert.equal(copy.size, entries.length);
  const leaves = await copy.leafHashes();
  assert.deepEqual(leaves.map(p.toHex), entries.map((e) => p.toHex(leaf(e))));
  for (const c of checkpoints) assert.equal(p.toHex(await copy.rootAt(c.size)), c.root);
  const read = await copy.entries(0, entries.length);
  assert.equal(read.length, entries.length);
  assert.deepEqual(read[0].entry, p.decodeEntry(entries[0]));
  // A changed byte in an entry, or a tile that does not make the signed tree: refused.
  const changed = entries.map((e, k) => (k === 4 ? Uint8Array.from(e, (b, i) => (i === e.length - 1 ? b ^ 1 : b)) : e));
  serve({ checkpoint: note, "tile/0/000.p/11": p.concat(...entries.map(leaf)), "tile/entries/000.p/11": bundle(changed) });
  const bad = await TileLog.open("https://copy.example/log", manifest);
  await assert.rejects(bad.entries(0, entries.length), (e: Error) => e instanceof CopyError && /entry 4 is not the tree's/.test(e.message));
  serve({ checkpoint: note, "tile/0/000.p/11": p.concat(...changed.map(leaf)) });
  await assert.rejects((await TileLog.open("https://copy.example/log", manifest)).leafHashes(), /do not make the checkpoint's tree/);
  // A checkpoint not signed by the manifest's log key with its witnesses' quorum: refused.
  serve({ checkpoint: note.replace("\n11\n", "\n10\n") });
  await assert.rejects(TileLog.open("https://copy.example/log", manifest), CopyError);
});

test("the API's TypeScript types (src/api.ts) are the ones docs/openapi.json's response schemas give", async () => {
  const { execFileSync } = await import("node:child_process");
  // Throws (the test fails) if the committed file differs from what the generator writes.
  execFileSync("node", ["scripts/api-types.mjs", "--check"], { stdio: "pipe" });
});

test("no page's code reads the API as `any`: every answer has a type from src/api.ts", async () => {
  const { readdirSync, readFileSync } = await import("node:fs");
  const untyped: string[] = [];
  for (const file of readdirSync("src").filter((f) => f.endsWith(".ts"))) {
    readFileSync(`src/${file}`, "utf8")
      .split("\n")
      .forEach((line, k) => {
        // `any` as a type: annotated, asserted, as a type argument or an array.
        const code = line.replace(/\/\/.*$|"[^"]*"|`[^`]*`/g, "");
        if (/(:\s*any\b|\bas\s+any\b|<any>|\bany\[\]|,\s*any>)/.test(code)) untyped.push(`${file}:${k + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(untyped, []);
});

test("typed codes and keys are read the way the sheet means them", async () => {
  const { normalizeCode, normalizeKey } = await import("../src/typed.ts");
  // Grouping, case, and the digits of an Arabic or Persian keyboard.
  assert.equal(normalizeCode(" abcde-fghjk  mnpqr–stuv٢-٣۴٥٦٧ "), "ABCDEFGHJKMNPQRSTUV234567");
  assert.equal(normalizeCode("ABCDE\u00a0FGHJK\u2212MNPQR"), "ABCDEFGHJKMNPQR");
  assert.equal(normalizeKey("0A1B 2C3D-٤٥٦٧ ۸۹ef"), "0a1b2c3d456789ef");
  // Nothing else is changed: a letter outside the alphabet stays, to be refused.
  assert.equal(normalizeKey("xyz"), "xyz");
});

test("the browser's languages choose the page's, in their order", async () => {
  const { browserLang } = await import("../src/i18n.ts");
  assert.equal(browserLang(["ar-IQ", "en-US"]), "ar");
  assert.equal(browserLang(["fr-FR", "ckb-IQ", "ar"]), "ckb");
  assert.equal(browserLang(["ku-Arab-IQ"]), "ckb");
  assert.equal(browserLang(["ku-Latn"]), null, "Kurmanji in Latin script is not Sorani");
  assert.equal(browserLang(["de", "fr"]), null);
  assert.equal(browserLang(["EN-gb"]), "en");
});

test("a tag names the language the Rust crate convene-words says (language-tags.json)", async () => {
  const { tagLang } = await import("../src/i18n.ts");
  const doc = vectors("language-tags.json");
  assert.ok(doc.tags.length >= 10);
  for (const { tag, lang } of doc.tags) assert.equal(tagLang(tag), lang, tag);
});

test("the map's scale runs from red (no) through near white to blue (yes)", async () => {
  const { shareColour } = await import("../src/scale.ts");
  const rgb = (share: number) => shareColour(share).match(/\d+/g)!.map(Number);
  assert.deepEqual(rgb(0), [0xb2, 0x18, 0x2b]);
  assert.deepEqual(rgb(0.5), [0xf7, 0xf7, 0xf7]);
  assert.deepEqual(rgb(1), [0x21, 0x66, 0xac]);
  // Less than half yes is red, more is blue, and the colour darkens away from the middle.
  const light = ([r, g, b]: number[]) => r + g + b;
  for (let k = 0; k <= 20; k++) {
    const share = k / 20;
    const [r, , b] = rgb(share);
    if (share < 0.5) assert.ok(r > b && light(rgb(share)) < light(rgb(share + 0.05)), `${share}`);
    if (share > 0.5) assert.ok(b > r && light(rgb(share)) < light(rgb(share - 0.05)), `${share}`);
  }
  // Out of range is clamped.
  assert.deepEqual(rgb(-1), rgb(0));
  assert.deepEqual(rgb(2), rgb(1));
});

test("typed credentials and codes (§14): the check symbols, normalization, refusals, code hashes and Argon2id keys Rust gives", async () => {
  const { parseCredential, parseCode, deriveCredential, stretch, TypedError, ALPHABET } = await import("../src/typed.ts");
  const v = vectors("typed-credentials.json");
  assert.equal(ALPHABET, v.alphabet);
  const refusal = (f: () => string) => {
    try {
      return { normalized: f() };
    } catch (e) {
      if (!(e instanceof TypedError)) throw e;
      return { refused: e.code };
    }
  };
  for (const c of v.typed) {
    const { typed, ...expected } = c;
    assert.deepEqual(refusal(() => parseCredential(typed)), expected, typed);
  }
  for (const c of v.codes) {
    assert.equal(parseCode(c.typed), c.normalized);
    assert.equal(p.toHex(p.hash256("convene/voter-code v1", [new TextEncoder().encode(c.election_id), new TextEncoder().encode(parseCode(c.typed))])), c.code_hash);
  }
  for (const c of v.refused_codes) assert.deepEqual(refusal(() => parseCode(c.typed)), { refused: c.refused });
  for (const d of v.derivations) {
    const kdf = { algorithm: "argon2id", memory_kib: d.memory_kib, iterations: d.iterations, parallelism: d.parallelism };
    const credential = parseCredential(d.credential);
    assert.equal(p.toHex(await stretch(credential, d.election_id, kdf)), d.argon2id);
    const x = await deriveCredential(credential, d.election_id, kdf);
    assert.equal(hexOfScalar(x), d.secret);
    assert.equal(hexOf(p.mulBase(x)), d.public);
  }
});

test("the pages' Fluent messages (locales/*.ftl): every language has every id, src/messages.ts is up to date, Arabic takes six plural forms", async () => {
  const { execFileSync } = await import("node:child_process");
  execFileSync("node", ["scripts/messages.mjs", "--check"], { stdio: "pipe" });
  const { textIn } = await import("../src/i18n.ts");
  const forms = [0, 1, 2, 3, 11, 100].map((n) => textIn("ar", "assembly-apportioned", { seats: n, method: "webster", source: "census" })!);
  assert.equal(new Set(forms).size, 6, forms.join("\n"));
  assert.match(forms[1], /مقعد واحد/);
  assert.match(forms[2], /مقعدان/);
  assert.match(forms[3], /٣ مقاعد/);
  assert.match(forms[4], /١١ مقعدًا/);
  assert.match(forms[5], /١٠٠ مقعد /);
  assert.equal(textIn("en", "assembly-apportioned", { seats: 3, method: "webster", source: "census" }), "3 seats apportioned by webster; localities from census.");
  // A missing translation fails the build: a copy of the web sources whose Arabic file lacks one
  // message does not build.
  const { cpSync, mkdtempSync, readFileSync: read, writeFileSync, symlinkSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const copy = mkdtempSync(`${tmpdir()}/convene-web-`);
  for (const part of ["build.mjs", "src", "pages", "layout", "scripts", "locales"]) cpSync(part, `${copy}/${part}`, { recursive: true });
  symlinkSync(resolve("node_modules"), `${copy}/node_modules`);
  const arabic = read(`${copy}/locales/ar.ftl`, "utf8").replace(/^home-none = .*\n/m, "");
  writeFileSync(`${copy}/locales/ar.ftl`, arabic);
  assert.throws(() => execFileSync("node", ["build.mjs"], { cwd: copy, stdio: "pipe", env: { ...process.env, CONVENE_WEB_OUT: `${copy}/dist`, CONVENE_CONVENTION_LOCALES: resolve("../crates/record/locales") } }), /locales\/ar.ftl: missing home-none/);
  rmSync(copy, { recursive: true, force: true });
});

test("the text to approve is rendered from Markdown as the booth does it: headings and lists, no raw HTML, no script link", async () => {
  const { micromark } = await import("micromark");
  const html = micromark("# Article 1\n\n- one\n- two\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>");
  assert.match(html, /<h1>Article 1<\/h1>/);
  assert.match(html, /<li>one<\/li>/);
  assert.ok(!html.includes("<script") && !html.includes("<img") && !html.includes("javascript:"), html);
});

test("a convention's refusal is said in the page's language from its code and arguments", async () => {
  const { serverWords } = await import("../src/i18n.ts");
  const body = { error: "refused", message: "Basra has 3 seats, all taken", refusal: { code: "seats_taken", args: { locality: "Basra", seats: 3 } } };
  // The English is the Rust state machine's own sentence (crates/record/locales/en.ftl).
  assert.equal(serverWords(body, "en"), body.message);
  const arabic = serverWords(body, "ar")!;
  assert.match(arabic, /^لـBasra ٣ مقاعد، كلها مشغولة$/);
  assert.match(serverWords(body, "ckb")!, /Basra/);
  assert.notEqual(serverWords(body, "ckb"), arabic);
  // A code of the server's own (api-…), and a refusal the page has no words for.
  assert.equal(serverWords({ error: "unavailable" }, "en"), "the election's database is away for a moment, and nothing was recorded: try again in a few seconds");
  assert.equal(serverWords({ error: "refused", refusal: { code: "no_such_code", args: {} } }, "ar"), undefined);
});
