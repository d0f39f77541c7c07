//! Golden test vectors (`test-vectors/*.json`, hex). The primitive vectors fix every nonce, so
//! any implementation — this one, the browser's — must reproduce their outputs byte for byte.
//! The ballot and the small record are checked by verification, so they keep verifying across
//! versions.
//!
//! A missing vector file is written when `CONVENE_WRITE_VECTORS=1`; an existing one is never
//! rewritten by the tests: changing a vector is a protocol change, made by hand.
#![allow(non_snake_case)] // point names follow the protocol note.

use convene_crypto::ballot::{CredentialSecret, ElectionContext, QuestionShape};
use convene_crypto::elgamal::ElectionKey;
use convene_crypto::encoding::{hex32, scalar_from_hex, to_hex, Challenge, Point};
use convene_crypto::proofs::dleq::{DleqStatement, TAG_DECRYPTION};
use convene_crypto::proofs::range::{RangeNonces, RangeStatement};
use convene_crypto::proofs::schnorr::{self, TAG_BALLOT};
use convene_crypto::{RistrettoPoint, Scalar};
use convene_record::format::{BallotJson, LogEntry};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors")
}

/// A fixed scalar derived from a label: `H("convene/test-vector v1"; label)`.
fn fixed(label: &str) -> Scalar {
    let mut c = Challenge::new("convene/test-vector v1");
    c.item(label.as_bytes());
    c.scalar()
}

fn hex_scalar(s: &Scalar) -> String {
    to_hex(s.as_bytes())
}

fn public(x: &Scalar) -> Point {
    Point::from(RistrettoPoint::mul_base(x))
}

fn check_or_write(name: &str, generated: Value) {
    let path = vectors_dir().join(name);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let stored: Value = serde_json::from_slice(&bytes).expect("vector files are JSON");
            assert_eq!(stored, generated, "{name}: the implementation no longer reproduces the golden vector");
        }
        Err(_) if std::env::var_os("CONVENE_WRITE_VECTORS").is_some() => {
            std::fs::write(&path, serde_json::to_string_pretty(&generated).unwrap() + "\n").unwrap();
        }
        Err(e) => panic!("{name} is missing ({e}); run the tests with CONVENE_WRITE_VECTORS=1 to create it"),
    }
}

fn election_key() -> (Scalar, ElectionKey) {
    let k = fixed("election secret");
    (k, ElectionKey::new(public(&k)).unwrap())
}

#[test]
fn encryption_vectors() {
    let (k, key) = election_key();
    let cases: Vec<Value> = [(0u64, "r0"), (1, "r1"), (7, "r7")]
        .iter()
        .map(|(m, label)| {
            let r = fixed(label);
            let ct = key.encrypt(*m, &r);
            json!({"election_secret": hex_scalar(&k), "election_key": key.point().to_hex(), "m": m, "r": hex_scalar(&r),
                   "alpha": ct.alpha.to_hex(), "beta": ct.beta.to_hex()})
        })
        .collect();
    check_or_write(
        "encryption.json",
        json!({"description": "Exponential ElGamal Enc_K(m; r) = (r·G, m·G + r·K) (protocol note §3)", "cases": cases}),
    );
}

#[test]
fn schnorr_and_signature_vectors() {
    let h = [0x11u8; 32];
    let x = fixed("trustee coefficient");
    let X = public(&x);
    let proof = schnorr::prove_knowledge(
        &h,
        b"trustee\x01\x00\x00\x00coefficient\x00\x00\x00\x00",
        &x,
        &X,
        &fixed("schnorr nonce"),
    );
    assert!(schnorr::verify_signature(
        schnorr::TAG_KNOWLEDGE,
        &h,
        &X,
        b"trustee\x01\x00\x00\x00coefficient\x00\x00\x00\x00",
        &proof
    )
    .is_ok());
    check_or_write(
        "schnorr.json",
        json!({"description": "Schnorr proof of knowledge (protocol note §4.1)", "cases": [{
            "h": to_hex(&h), "ctx": to_hex(b"trustee\x01\x00\x00\x00coefficient\x00\x00\x00\x00"), "x": hex_scalar(&x), "X": X.to_hex(),
            "k": hex_scalar(&fixed("schnorr nonce")), "T": proof.R.to_hex(), "z": hex_scalar(&proof.s)}]}),
    );
    let sk = fixed("credential");
    let P = public(&sk);
    let msg = b"convene/ballot v1 example body";
    let sig = schnorr::sign_with_nonce(TAG_BALLOT, &h, &sk, &P, msg, &fixed("signature nonce"));
    assert!(schnorr::verify_signature(TAG_BALLOT, &h, &P, msg, &sig).is_ok());
    check_or_write(
        "signature.json",
        json!({"description": "Schnorr signature (protocol note §4.2)", "cases": [{
            "tag": TAG_BALLOT, "h": to_hex(&h), "x": hex_scalar(&sk), "P": P.to_hex(), "msg": to_hex(msg),
            "k": hex_scalar(&fixed("signature nonce")), "R": sig.R.to_hex(), "s": hex_scalar(&sig.s)}]}),
    );
}

#[test]
fn decryption_proof_vectors() {
    let (_, key) = election_key();
    let ct = key.encrypt(3, &fixed("r-dec"));
    let x = fixed("trustee share");
    let X = public(&x);
    let D = Point::from(x * ct.alpha.point());
    let base = [0x22u8; 32];
    let ctx = b"example context";
    let st = DleqStatement { tag: TAG_DECRYPTION, h: &base, ctx, X: &X, A: &ct.alpha, D: &D };
    let proof = st.prove(&x, &fixed("dleq nonce"));
    assert!(st.verify(&proof).is_ok());
    check_or_write(
        "dleq.json",
        json!({"description": "Chaum–Pedersen proof of equal discrete logs (protocol note §4.3)", "cases": [{
            "tag": TAG_DECRYPTION, "h": to_hex(&base), "ctx": to_hex(ctx), "x": hex_scalar(&x), "X": X.to_hex(), "A": ct.alpha.to_hex(),
            "D": D.to_hex(), "k": hex_scalar(&fixed("dleq nonce")), "T1": proof.T1.to_hex(), "T2": proof.T2.to_hex(), "z": hex_scalar(&proof.z)}]}),
    );
}

#[test]
fn range_proof_vectors() {
    let (_, key) = election_key();
    let base = [0x33u8; 32];
    let mut cases = Vec::new();
    for (m, lo, hi, label) in [
        (0u32, 0u32, 1u32, "zero-one m=0"),
        (1, 0, 1, "zero-one m=1"),
        (2, 0, 3, "0..3 m=2"),
        (1, 1, 1, "sum 1..1 m=1"),
    ] {
        let r = fixed(&format!("{label} r"));
        let ct = key.encrypt(m as u64, &r);
        let ctx = label.as_bytes();
        let st = RangeStatement { base: &base, key: key.point(), ct: &ct, lo, hi, ctx };
        let nonces = RangeNonces {
            k: fixed(&format!("{label} k")),
            simulated: (lo..hi).map(|j| (fixed(&format!("{label} c{j}")), fixed(&format!("{label} z{j}")))).collect(),
        };
        let proof = st.prove(&key, m, &r, &nonces).unwrap();
        assert!(st.verify(&proof).is_ok());
        cases.push(json!({
            "base": to_hex(&base), "K": key.point().to_hex(), "m": m, "lo": lo, "hi": hi, "ctx": to_hex(ctx), "r": hex_scalar(&r),
            "alpha": ct.alpha.to_hex(), "beta": ct.beta.to_hex(), "k": hex_scalar(&nonces.k),
            "simulated": nonces.simulated.iter().map(|(c, z)| json!([hex_scalar(c), hex_scalar(z)])).collect::<Vec<_>>(),
            "proof": proof.branches.iter().map(|b| json!({"A": b.A.to_hex(), "B": b.B.to_hex(), "c": hex_scalar(&b.c), "z": hex_scalar(&b.z)})).collect::<Vec<_>>(),
        }));
    }
    check_or_write(
        "range.json",
        json!({"description": "Disjunctive Chaum–Pedersen range proofs (protocol note §4.4); simulated nonces in increasing j, skipping m", "cases": cases}),
    );
}

/// A stored ballot: parsed, verified, and its body, entry and tracking code recomputed.
#[test]
fn ballot_vector_verifies_and_its_bytes_are_stable() {
    let path = vectors_dir().join("ballot.json");
    let (_, key) = election_key();
    let base = [0x44u8; 32];
    let context = ElectionContext {
        base,
        key,
        questions: vec![QuestionShape::yes_no(), QuestionShape::choose(4, 1, 1, 1).unwrap()],
    };
    if !path.exists() && std::env::var_os("CONVENE_WRITE_VECTORS").is_some() {
        let mut rng = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::seed_from_u64(44);
        let credential = CredentialSecret::from_scalar(fixed("ballot credential")).unwrap();
        let (ballot, _) = context.encrypt_ballot(&credential, "north", &[vec![1], vec![0, 1, 0, 0]], &mut rng).unwrap();
        let entry = ballot.entry_bytes(&base, None);
        let doc = json!({
            "description": "A signed ballot: yes/no, then choose 1 of 4 with a sum proof (protocol note §6, §7)",
            "base": to_hex(&base), "election_key": context.key.point().to_hex(),
            "questions": [{"kind": "yes-no"}, {"kind": "choose", "options": 4, "min": 1, "max": 1, "max_per_option": 1}],
            "ballot": BallotJson::from_ballot(&ballot),
            "body": to_hex(&ballot.body_bytes(&base)),
            "entry": to_hex(&entry),
            "tracking_code": to_hex(&convene_record::log::leaf_hash(&entry)),
        });
        std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
    }
    let doc: Value = serde_json::from_slice(&std::fs::read(&path).expect("test-vectors/ballot.json")).unwrap();
    assert_eq!(doc["election_key"], context.key.point().to_hex());
    assert_eq!(hex32(doc["base"].as_str().unwrap()).unwrap(), base);
    let line = serde_json::to_vec(&json!({"kind": "cast", "ballot": doc["ballot"]})).unwrap();
    let entry = LogEntry::parse(&line).unwrap();
    let ballot = entry.ballot();
    let failures = context.verify_ballot(&mut convene_crypto::BatchVerifier::new(*context.key.point().point()), ballot);
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(to_hex(&ballot.body_bytes(&base)), doc["body"]);
    let bytes = entry.entry_bytes(&base);
    assert_eq!(to_hex(&bytes), doc["entry"]);
    assert_eq!(to_hex(&convene_record::log::leaf_hash(&bytes)), doc["tracking_code"]);
    // A scalar from the vector decodes canonically.
    assert!(scalar_from_hex(doc["ballot"]["signature"]["s"].as_str().unwrap()).is_ok());
}

/// Version 3 (protocol note §11): one ballot bound to a one-time key, in both its forms — the
/// challenged entry (signed by the one-time key, naming no credential, with its reveal) and the
/// cast entry (signed by the credential) — with their body, fingerprint, entries and tracking
/// codes. The browser computes the same bytes from the same JSON.
#[test]
fn one_time_ballot_vector_verifies_and_its_bytes_are_stable() {
    let path = vectors_dir().join("ballot-v3.json");
    let (_, key) = election_key();
    let base = [0x45u8; 32];
    let context = ElectionContext { base, key, questions: vec![QuestionShape::yes_no()] };
    if !path.exists() && std::env::var_os("CONVENE_WRITE_VECTORS").is_some() {
        let mut rng = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::seed_from_u64(45);
        let credential = CredentialSecret::from_scalar(fixed("ballot v3 credential")).unwrap();
        let once = CredentialSecret::from_scalar(fixed("ballot v3 one-time key")).unwrap();
        let (sealed, secrets) = context.encrypt_one_time(&once, "north", &[vec![1]], &mut rng).unwrap();
        let cast = context.sign_cast(&sealed, &credential, &mut rng);
        let spoiled = LogEntry::Spoiled(sealed.clone(), secrets);
        let spoiled_bytes = spoiled.entry_bytes(&base);
        let cast_bytes = cast.entry_bytes(&base, None);
        let doc = json!({
            "description": "A version-3 ballot (protocol note §11): bound to a one-time key; challenged (signed by that key, no credential) and cast (signed by the credential)",
            "base": to_hex(&base), "election_key": context.key.point().to_hex(),
            "questions": [{"kind": "yes-no"}],
            "credential": credential.public().to_hex(),
            "spoiled": serde_json::from_str::<Value>(&spoiled.to_json_line()).unwrap(),
            "cast": serde_json::from_str::<Value>(&LogEntry::Cast(cast.clone()).to_json_line()).unwrap(),
            "body": to_hex(&sealed.body_bytes(&base)),
            "fingerprint": to_hex(&sealed.fingerprint(&base)),
            "spoiled_entry": to_hex(&spoiled_bytes),
            "spoiled_tracking_code": to_hex(&convene_record::log::leaf_hash(&spoiled_bytes)),
            "cast_entry": to_hex(&cast_bytes),
            "cast_tracking_code": to_hex(&convene_record::log::leaf_hash(&cast_bytes)),
        });
        std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
    }
    let doc: Value = serde_json::from_slice(&std::fs::read(&path).expect("test-vectors/ballot-v3.json")).unwrap();
    assert_eq!(doc["election_key"], context.key.point().to_hex());
    assert!(doc["spoiled"]["ballot"].get("credential").is_none(), "a challenged ballot names no credential");
    let mut batch = convene_crypto::BatchVerifier::new(*context.key.point().point());
    for (form, entry_field, code_field) in
        [("spoiled", "spoiled_entry", "spoiled_tracking_code"), ("cast", "cast_entry", "cast_tracking_code")]
    {
        let entry = LogEntry::parse(&serde_json::to_vec(&doc[form]).unwrap()).unwrap();
        let ballot = entry.ballot();
        assert!(context.verify_ballot(&mut batch, ballot).is_empty(), "{form}");
        assert_eq!(to_hex(&ballot.body_bytes(&base)), doc["body"], "{form}");
        assert_eq!(to_hex(&ballot.fingerprint(&base)), doc["fingerprint"], "{form}");
        let bytes = entry.entry_bytes(&base);
        assert_eq!(to_hex(&bytes), doc[entry_field], "{form}");
        assert_eq!(to_hex(&convene_record::log::leaf_hash(&bytes)), doc[code_field], "{form}");
        assert_eq!(
            serde_json::from_str::<Value>(&entry.to_json_line()).unwrap(),
            doc[form],
            "{form}: the JSON round-trips"
        );
        if let LogEntry::Spoiled(ballot, reveal) = &entry {
            assert!(context.check_reveal(ballot, reveal).is_ok());
        }
    }
    assert_eq!(doc["cast"]["ballot"]["credential"], doc["credential"]);
}

/// The small full records keep verifying, with the same results: format version 1 (written
/// before version 2 existed), version 2 (every actor signing with its own key), version 3
/// (its challenged ballot under a one-time key) and version 4 (checkpoints as signed notes,
/// cosigned by its three witnesses, two of whom must).
#[test]
fn small_record_vectors_verify() {
    for (name, version) in [("record", 1), ("record-v2", 2), ("record-v3", 3), ("record-v4", 4)] {
        let dir = vectors_dir().join(name);
        let current = version == convene_record::format::RECORD_VERSION;
        if !dir.exists() && std::env::var_os("CONVENE_WRITE_VECTORS").is_some() && current {
            let mut config = convene::demo::DemoConfig::new(8, dir.clone());
            config.structure_question = true;
            config.revote_every = 4;
            config.seed = Some(2026);
            convene::demo::run_offline(&config, &|_, _, _| {}).unwrap();
            std::fs::remove_dir_all(dir.join("receipts")).unwrap();
        }
        let report = super::verify(&dir);
        assert!(report.ok(), "{name}: {:?}", report.failures);
        assert_eq!(report.manifest.as_ref().map(|m| m.version), Some(version));
        assert_eq!((report.entries, report.spoiled, report.superseded, report.counted), (11, 1, 2, 8), "{name}");
        let published: convene_record::format::ResultsJson =
            serde_json::from_slice(&std::fs::read(dir.join("results.json")).unwrap()).unwrap();
        assert_eq!(report.results, Some(published), "{name}");
    }
}

/// A convention's signed event lines (docs/convention.md §2): the line is the event's exact JSON
/// bytes signed with `n` under the charter hash; the browser's `signConventionEntry` must
/// produce the same line from the same event, key, `n` and nonce.
#[test]
fn convention_event_vectors() {
    use convene_record::convention::{
        sign_entry_with_nonce, BaseJson, BodyJson, Event, MajorityJson, RuleJson, Subject, WeightingJson, TAG_EVENT,
    };
    let h = [0x55u8; 32];
    let events = [
        Event::OpenVote {
            subject: Subject::Motion(2.into()),
            rule: RuleJson {
                majority: MajorityJson::Qualified,
                share: Some("2/3".into()),
                base: BaseJson::InOffice,
                quorum: Some("1/2".into()),
                concurrent: true,
                weighting: WeightingJson::SqrtPopulation,
            },
        },
        Event::Motion {
            title: "حق تقرير المصير \"الجنوب\"".into(),
            body: BodyJson::Text("Line one.\nسطر ثانٍ\n".into()),
        },
    ];
    let cases: Vec<Value> = events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let x = fixed(&format!("convention signer {i}"));
            let k = fixed(&format!("convention nonce {i}"));
            let n = 3 + i as u64;
            let line = sign_entry_with_nonce(&h, &x, n, None, event, &k);
            // The line's signature verifies over le64(n) ‖ the event's exact bytes.
            let parsed: Value = serde_json::from_slice(&line).unwrap();
            let event_json = serde_json::to_string(event).unwrap();
            let mut msg = n.to_le_bytes().to_vec();
            msg.extend_from_slice(event_json.as_bytes());
            let sig = convene_record::format::SignatureJson::decode(
                &serde_json::from_value(parsed["signature"].clone()).unwrap(),
            )
            .unwrap();
            schnorr::verify_signature(TAG_EVENT, &h, &public(&x), &msg, &sig).unwrap();
            json!({"secret": hex_scalar(&x), "nonce": hex_scalar(&k), "n": n, "event_json": event_json,
                   "line": String::from_utf8(line).unwrap()})
        })
        .collect();
    check_or_write(
        "convention-event.json",
        json!({"description": "Signed convention log lines (docs/convention.md §2): sign le64(n) ‖ the event's exact JSON bytes under the charter hash",
               "charter_hash": to_hex(&h), "cases": cases}),
    );
}

/// Version-2 convention lines (docs/convention.md §2.1): the message is
/// `le64(n) ‖ le64(seen.size) ‖ seen.root ‖ E` under `convene/convention-event v2`, and objects are
/// named by the reference (leaf hash) of the entry that created them. The browser's
/// `signConventionEntry` must produce the same line from the same inputs.
#[test]
fn convention_event_v2_vectors() {
    use convene_record::convention::{
        sign_entry_with_nonce, ChoiceJson, Event, Ref, RuleJson, Seen, Subject, TAG_EVENT_V2,
    };
    let h = [0x66u8; 32];
    let motion = "ab".repeat(32);
    let vote = "cd".repeat(32);
    let events = [
        Event::OpenVote { subject: Subject::Motion(Ref::Hash(motion)), rule: RuleJson::simple_majority_of_present() },
        Event::Vote { vote: Ref::Hash(vote), choice: Some(ChoiceJson::Yes), ranking: None },
    ];
    let cases: Vec<Value> = events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let x = fixed(&format!("convention v2 signer {i}"));
            let k = fixed(&format!("convention v2 nonce {i}"));
            let n = 2 + i as u64;
            let seen = Seen { size: 7 + i as u64, root: [0x11 + i as u8; 32] };
            let line = sign_entry_with_nonce(&h, &x, n, Some(&seen), event, &k);
            let parsed: Value = serde_json::from_slice(&line).unwrap();
            let event_json = serde_json::to_string(event).unwrap();
            let mut msg = n.to_le_bytes().to_vec();
            msg.extend_from_slice(&seen.size.to_le_bytes());
            msg.extend_from_slice(&seen.root);
            msg.extend_from_slice(event_json.as_bytes());
            let sig = convene_record::format::SignatureJson::decode(
                &serde_json::from_value(parsed["signature"].clone()).unwrap(),
            )
            .unwrap();
            schnorr::verify_signature(TAG_EVENT_V2, &h, &public(&x), &msg, &sig).unwrap();
            json!({"secret": hex_scalar(&x), "nonce": hex_scalar(&k), "n": n,
                   "seen": {"size": seen.size, "root": to_hex(&seen.root)}, "event_json": event_json,
                   "line": String::from_utf8(line).unwrap()})
        })
        .collect();
    check_or_write(
        "convention-event-v2.json",
        json!({"description": "Signed version-2 convention log lines (docs/convention.md §2.1): sign le64(n) ‖ le64(seen.size) ‖ seen.root ‖ the event's exact JSON bytes under the charter hash, tag convene/convention-event v2",
               "charter_hash": to_hex(&h), "cases": cases}),
    );
}

/// Record format version 2: the exact message of every actor's statement (protocol note §9)
/// and its signature with a fixed nonce, so an independent verifier can check its byte layouts.
#[test]
fn actor_statement_vectors() {
    use convene_crypto::ceremony::{Complaint, EncryptedShare, Round1};
    use convene_crypto::decryption::PartialDecryption;
    use convene_crypto::proofs::dleq::DleqProof;
    use convene_crypto::proofs::schnorr::Signature;
    use convene_record::actors::*;
    let h = convene_crypto::encoding::hash256("convene/test-vector v1", &[b"manifest"]);
    let point = |label: &str| public(&fixed(label));
    let signature = |label: &str| Signature { R: point(&format!("{label} R")), s: fixed(&format!("{label} s")) };
    let dleq = |label: &str| DleqProof {
        T1: point(&format!("{label} T1")),
        T2: point(&format!("{label} T2")),
        z: fixed(&format!("{label} z")),
    };
    let round1 = Round1 {
        trustee: 2,
        communication_key: point("E"),
        communication_proof: signature("E proof"),
        commitments: vec![point("C0"), point("C1")],
        commitment_proofs: vec![signature("C0 proof"), signature("C1 proof")],
    };
    // Dealt out of order: the message takes them in increasing recipient order.
    let shares = vec![
        EncryptedShare { dealer: 2, recipient: 3, R: point("R23"), u: fixed("u23") },
        EncryptedShare { dealer: 2, recipient: 1, R: point("R21"), u: fixed("u21") },
    ];
    let complaints = vec![Complaint { dealer: 2, accuser: 1, S: point("S21"), proof: dleq("complaint") }];
    let base = convene_crypto::encoding::hash256("convene/test-vector v1", &[b"base"]);
    let root = convene_crypto::encoding::hash256("convene/test-vector v1", &[b"root"]);
    let partials =
        vec![vec![vec![Some(PartialDecryption { trustee: 1, share: point("D"), proof: dleq("decryption") }), None]]];
    let code_hash = convene_crypto::encoding::hash256("convene/test-vector v1", &[b"code"]);
    let statements: Vec<(&str, &str, Vec<u8>)> = vec![
        ("authority", TAG_AUTHORITY, Vec::new()),
        ("round1", TAG_ROUND1, round1_message(&round1)),
        ("shares", TAG_SHARES, shares_message(2, &shares)),
        ("complaints", TAG_COMPLAINTS, complaints_message(1, &complaints)),
        ("no complaints", TAG_COMPLAINTS, complaints_message(3, &complaints)),
        ("acknowledgement", TAG_ACKNOWLEDGEMENT, acknowledgement_message(1, &base, &point("K"), &point("X1"))),
        ("decryption", TAG_DECRYPTION, decryption_message(1, &base, (42, &root), &partials)),
        ("registrar", TAG_REGISTRAR, registrar_message(&base, &[("north".into(), 2, 3), ("south".into(), 1, 1)])),
        ("codes", TAG_CODES, codes_message(&[(code_hash, *point("credential").bytes())])),
    ];
    let mut out = Vec::new();
    for (name, tag, msg) in statements {
        let x = fixed(&format!("{name} signer"));
        let k = fixed(&format!("{name} nonce"));
        let signed = schnorr::sign_with_nonce(tag, &h, &x, &public(&x), &msg, &k);
        let json = convene_record::format::SignatureJson::from_signature(&signed);
        assert!(signed_by(tag, &h, &public(&x), &msg, &json), "{name}");
        out.push(json!({"statement": name, "tag": tag, "h": to_hex(&h), "secret": hex_scalar(&x),
                        "key": public(&x).to_hex(), "nonce": hex_scalar(&k), "msg": to_hex(&msg),
                        "signature": {"R": json.r, "s": json.s}}));
    }
    check_or_write(
        "actor-statements.json",
        json!({
            "description": "record format v2: each actor's statement, its exact message bytes (protocol note §9) and its Schnorr signature (§4.2) with h = the manifest hash and a fixed nonce",
            "statements": out,
        }),
    );
}

/// A convention record written by the version-1 code (`convene demo --voters 20 --seed 7` at
/// commit 4b20628, before convention version 2), its secret vote's referendum included: it keeps
/// verifying, with the note of what version 1 cannot prove.
#[test]
fn a_version_1_convention_record_still_verifies() {
    let dir = vectors_dir().join("convention-v1");
    let (report, state) = convene_record::verify::verify_convention(&dir, &convene_record::verify::Quiet);
    assert!(report.ok(), "{:#?}", report.failures);
    let state = state.unwrap();
    assert_eq!(state.charter().version, 1);
    assert_eq!(state.constitution_json().articles.len(), 4);
    assert!(report.notes.iter().any(|n| n.contains("convention record version 1")), "{:?}", report.notes);
}

/// A version-3 convention record (a witnessed log whose referendums name no witnesses), as the
/// code of commit d529ea3 wrote a witnessed convention: written by `convene demo --voters 12
/// --seed 7` with the server writing charter version 3. It keeps verifying — its checkpoints
/// cosigned by the charter's witnesses, its secret vote's referendum derived as format 3 — now
/// that a witnessed convention is written as version 4.
#[test]
fn a_version_3_convention_record_still_verifies() {
    let dir = vectors_dir().join("convention-v3");
    let (report, state) = convene_record::verify::verify_convention(&dir, &convene_record::verify::Quiet);
    assert!(report.ok(), "{:#?}", report.failures);
    let state = state.unwrap();
    assert_eq!((state.charter().version, state.charter().witnesses.len()), (3, 3));
    assert!(
        report.notes.iter().any(|n| n.contains("referendum convene-demo-convention-vote-5 verified")),
        "{:?}",
        report.notes
    );
    let manifest = std::fs::read(dir.join("secret-votes/convene-demo-convention-vote-5/manifest.json")).unwrap();
    let manifest = convene_record::format::Manifest::parse(&manifest).unwrap();
    assert_eq!((manifest.version, manifest.witnesses.len()), (3, 0));
}

/// Credentials and codes typed from a sheet (protocol note §14): check symbols, normalization,
/// refusals, the code hash and the Argon2id derivation, at a light cost and at the default one.
#[test]
fn typed_credential_vectors() {
    use convene_crypto::typed::{KdfParams, TypedCode, TypedCredential};
    use rand_core::SeedableRng;
    let seeded = |n: u64| rand_chacha::ChaCha20Rng::seed_from_u64(n);
    let light = KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 };
    let mut derivations = Vec::new();
    for (n, election, params) in
        [(1, "e", light), (2, "iraq-2005-constitution", light), (3, "convene-demo", KdfParams::DEFAULT)]
    {
        let credential = TypedCredential::generate(&mut seeded(n));
        let k = credential.stretch(election, &params).unwrap();
        let key = credential.derive(election, &params).unwrap();
        derivations.push(json!({
            "election_id": election,
            "credential": credential.grouped(),
            "memory_kib": params.memory_kib, "iterations": params.iterations, "parallelism": params.parallelism,
            "argon2id": to_hex(&*k),
            "secret": to_hex(&key.secret_bytes()),
            "public": key.public().to_hex(),
        }));
    }
    let credential = TypedCredential::generate(&mut seeded(4)).grouped();
    let arabic_digits: String = credential
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0x660 + d).unwrap(),
            None => c.to_ascii_lowercase(),
        })
        .collect();
    let mut typo = credential.clone().into_bytes();
    typo[0] = if typo[0] == b'A' { b'B' } else { b'A' };
    let typo = String::from_utf8(typo).unwrap();
    let parse = |text: &str| match TypedCredential::parse(text) {
        Ok(c) => json!({"typed": text, "normalized": c.as_str()}),
        Err(e) => json!({"typed": text, "refused": e.code()}),
    };
    let typed: Vec<Value> = [
        credential.clone(),
        format!(" {} ", credential.replace('-', " \u{200C}")),
        arabic_digits,
        credential.replace('-', "\u{2013}"),
        typo,
        credential[..credential.len() - 1].to_string(),
        credential.replacen(|c: char| c.is_ascii_alphabetic(), "O", 1),
    ]
    .iter()
    .map(|t| parse(t))
    .collect();
    let codes: Vec<Value> = (5..8)
        .map(|n| {
            let code = TypedCode::generate(&mut seeded(n));
            let typed = code.grouped().to_lowercase().replace('-', " ");
            json!({"election_id": "e", "typed": typed, "normalized": code.as_str(),
                   "code_hash": to_hex(&convene_server::voter_code_hash("e", &typed))})
        })
        .collect();
    let wrong_code = TypedCode::parse("ABC-DEF-GHK").err().map(|e| e.code());
    check_or_write(
        "typed-credentials.json",
        json!({"alphabet": std::str::from_utf8(convene_crypto::typed::ALPHABET).unwrap(),
               "derivations": derivations, "typed": typed, "codes": codes,
               "refused_codes": [{"typed": "ABC-DEF-GHK", "refused": wrong_code}]}),
    );
}
