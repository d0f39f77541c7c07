//! The conformance kit, `test-vectors/conformance/`: small records, each with `expected.json` —
//! its verdict and every `(code, location)` the verifier must report (`docs/failure-codes.md`).
//! An independent verifier conforms when it finds the same for every case. This test holds ours
//! to the committed kit, and each case to the failure it was built to show; with
//! `CONVENE_WRITE_VECTORS=1` it writes the cases that are missing (never overwriting one).

use super::forge::{Forge, Spec, Zeros};
use super::*;
use convene_crypto::ballot::CredentialSecret;
use convene_record::failure::Code;
use convene_record::format::{LogEntry, Question, Ratification};
use rand_core::SeedableRng;
use serde_json::{json, Value};

type Built = (tempfile::TempDir, PathBuf);

fn rule(toml: &str) -> Option<Ratification> {
    Some(Ratification { question: "q".into(), rule: toml.into(), region_weights: Default::default() })
}

/// Casts each `(voter, yes)` in order.
fn cast_all(f: &mut Forge, votes: &[(usize, bool)]) {
    for &(v, y) in votes {
        let (b, _) = f.ballot(v, y);
        f.append(LogEntry::Cast(b));
    }
}

/// Casts `yes[v]` for each voter `v` and publishes.
fn simple(regions: &[(&str, usize)], yes: &[bool]) -> Built {
    let mut forge = Forge::new(regions);
    for (v, y) in yes.iter().enumerate() {
        let (b, _) = forge.ballot(v, *y);
        forge.append(LogEntry::Cast(b));
    }
    forge.publish()
}

fn honest() -> Built {
    simple(&[("north", 2), ("south", 1)], &[true, false, true])
}

fn edit_json(dir: &Path, file: &str, edit: impl FnOnce(&mut Value)) {
    let path = dir.join(file);
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut doc);
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
}

fn edit_log_line(dir: &Path, line: usize, edit: impl FnOnce(&mut Value)) {
    let path = dir.join("log.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut doc: Value = serde_json::from_str(&lines[line]).unwrap();
    edit(&mut doc);
    lines[line] = serde_json::to_string(&doc).unwrap();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

/// A hex string with its first digit changed.
fn flip(v: &mut Value) {
    let s = v.as_str().unwrap().to_string();
    let first = if s.starts_with('0') { "1" } else { "0" };
    *v = json!(format!("{first}{}", &s[1..]));
}

/// An honest record, changed by `mutate` after it was written.
fn mutated(mutate: impl FnOnce(&Path)) -> Built {
    let built = honest();
    mutate(&built.1);
    built
}

/// The golden version-4 record (checkpoints cosigned by its three witnesses, quorum two),
/// changed by `mutate`.
fn witnessed(mutate: impl FnOnce(&Path)) -> Built {
    let keep = tempfile::tempdir().unwrap();
    let dir = keep.path().join("record");
    copy_record(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/record-v4"), &dir);
    mutate(&dir);
    (keep, dir)
}

/// Keeps the first `keep` signature lines of checkpoint `k`'s note (the log's signature first).
fn keep_signatures(dir: &Path, k: usize, keep: usize) {
    edit_json(dir, "checkpoints.json", |c| {
        let note = c["checkpoints"][k]["note"].as_str().unwrap().to_string();
        let (text, lines) = note.rsplit_once("\n\n").unwrap();
        let kept: Vec<&str> = lines.lines().take(keep).collect();
        c["checkpoints"][k]["note"] = json!(format!("{text}\n\n{}\n", kept.join("\n")));
    });
}

struct Case {
    name: &'static str,
    description: &'static str,
    build: fn() -> Built,
    /// What the case was built to show: empty for a valid record.
    shows: &'static [Code],
}

fn cases() -> Vec<Case> {
    vec![
        // Valid records.
        Case {
            name: "valid-simple",
            description: "two regions, three voters, one yes/no question",
            build: honest,
            shows: &[],
        },
        Case {
            name: "valid-revote",
            description: "a voter votes twice; the last ballot counts",
            build: || {
                let mut f = Forge::new(&[("north", 2)]);
                cast_all(&mut f, &[(0, true), (1, true), (0, false)]);
                f.publish()
            },
            shows: &[],
        },
        Case {
            name: "valid-challenge",
            description: "a challenged (spoiled, revealed) ballot, then a cast one",
            build: || {
                let mut f = Forge::new(&[("north", 2)]);
                let (s, reveal) = f.ballot(0, true);
                f.append(LogEntry::Spoiled(s, reveal));
                let (b, _) = f.ballot(0, false);
                f.append(LogEntry::Cast(b));
                f.publish()
            },
            shows: &[],
        },
        Case {
            name: "valid-weights",
            description: "credentials of weight 1, 3 and 5 (max_weight 5)",
            build: || {
                let mut f =
                    Forge::build(Spec { regions: &[("north", 3)], weight: |v| [1, 3, 5][v], ..Spec::default() }, |m| {
                        m.max_weight = Some(5)
                    });
                cast_all(&mut f, &[(0, true), (1, false), (2, true)]);
                f.publish()
            },
            shows: &[],
        },
        Case {
            name: "valid-merged-region",
            description: "min_region_ballots 2: the small regions are published merged",
            build: || {
                let mut f = Forge::build(
                    Spec { regions: &[("north", 3), ("south", 1), ("east", 1)], ..Spec::default() },
                    |m| m.min_region_ballots = 2,
                );
                for v in 0..5 {
                    let (b, _) = f.ballot(v, v % 2 == 0);
                    f.append(LogEntry::Cast(b));
                }
                f.publish()
            },
            shows: &[],
        },
        Case {
            name: "valid-empty-region",
            description: "a region without ballots: its tally is read from beta without trustees",
            build: || simple(&[("north", 2), ("south", 1)], &[true, false]),
            shows: &[],
        },
        Case {
            name: "valid-rejected-rule",
            description: "a rule (more than 1/2 of valid votes) that the results reject",
            build: || {
                let mut f = Forge::with(&[("north", 3)], |m| {
                    m.ratification = rule("[approval]\nbase = \"valid\"\nmore_than = \"1/2\"\n")
                });
                cast_all(&mut f, &[(0, true), (1, false), (2, false)]);
                f.publish()
            },
            shows: &[],
        },
        Case {
            name: "valid-blocking-minority",
            description: "a blocking minority: two thirds of one region reject, which blocks ratification",
            build: || {
                let toml = "[approval]\nbase = \"valid\"\nmore_than = \"1/2\"\n\n[blocking]\ncount = 1\nbase = \"cast\"\nat_least = \"2/3\"\n";
                let mut f = Forge::with(&[("north", 3), ("south", 3)], |m| m.ratification = rule(toml));
                cast_all(&mut f, &[(0, true), (1, true), (2, true), (3, false), (4, false), (5, true)]);
                f.publish()
            },
            shows: &[],
        },
        Case {
            name: "valid-upheld-complaint",
            description: "trustee 3 deals trustee 1 a bad share; the complaint is upheld and trustee 3 excluded",
            build: || {
                let mut f = Forge::build(Spec { corrupt: Some((3, 1)), ..Spec::default() }, |_| {});
                let (b, _) = f.ballot(0, true);
                f.append(LogEntry::Cast(b));
                f.publish()
            },
            shows: &[],
        },
        Case {
            name: "valid-cumulative",
            description: "a cumulative question: up to 3 points over 3 options, 0 to 3 per option",
            build: || {
                let question = Question::Choose {
                    id: "q".into(),
                    text: "Share your points".into(),
                    options: vec!["a".into(), "b".into(), "c".into()],
                    min: 0,
                    max: 3,
                    max_per_option: 3,
                };
                let mut f = Forge::with(&[("north", 2)], |m| m.questions = vec![question]);
                for (v, points) in [(0, vec![3, 0, 0]), (1, vec![1, 1, 1])] {
                    let (secret, region) = &f.voters[v];
                    let (b, _) = f.writer.context().encrypt_ballot(secret, region, &[points], &mut f.rng).unwrap();
                    f.append(LogEntry::Cast(b));
                }
                f.publish()
            },
            shows: &[],
        },
        Case {
            name: "valid-blank",
            description: "a yes/no question with blank votes (two slots)",
            build: || {
                let q = Question::YesNo { id: "q".into(), text: "Yes?".into(), blank: true };
                let mut f = Forge::with(&[("north", 3)], |m| m.questions = vec![q]);
                for (v, slots) in [(0, vec![1, 0]), (1, vec![0, 1]), (2, vec![0, 0])] {
                    let (secret, region) = &f.voters[v];
                    let (b, _) = f.writer.context().encrypt_ballot(secret, region, &[slots], &mut f.rng).unwrap();
                    f.append(LogEntry::Cast(b));
                }
                f.publish()
            },
            shows: &[],
        },
        // Who acted (version 2).
        Case {
            name: "forged-ghost-credential",
            description: "H5: the host adds a credential of weight 1,000,000 to the list the registrar signed",
            build: || {
                let honest = Forge::new(&[("north", 2)]).publish();
                let ghost = CredentialSecret::generate(&mut rand_chacha::ChaCha20Rng::seed_from_u64(35));
                let mut f =
                    Forge::with_ghosts(&[("north", 2)], |_| {}, &[(*ghost.public(), "north".into(), 1_000_000)]);
                let (b, _) = f.writer.context().encrypt_ballot(&ghost, "north", &[vec![1]], &mut f.rng).unwrap();
                f.append(LogEntry::Cast(b));
                let built = f.publish();
                std::fs::copy(honest.1.join("registrar.json"), built.1.join("registrar.json")).unwrap();
                built
            },
            shows: &[Code::RegistrarStatement, Code::CredentialWeight],
        },
        Case {
            name: "forged-unsigned-round1",
            description: "C2: round-1 messages nobody signed (the host's) for trustees 1 and 2",
            build: || {
                mutated(|d| {
                    edit_json(d, "ceremony.json", |c| {
                        for k in 0..2 {
                            c["round1"][k].as_object_mut().unwrap().remove("signature");
                        }
                    })
                })
            },
            shows: &[Code::CeremonySignature, Code::CeremonyIncomplete],
        },
        Case {
            name: "forged-unsigned-shares",
            description: "C2: a dealer's shares that its trustee did not sign",
            build: || {
                mutated(|d| edit_json(d, "ceremony.json", |c| flip(&mut c["signed_shares"][0]["signature"]["s"])))
            },
            shows: &[Code::CeremonySignature],
        },
        Case {
            name: "forged-authority-signature",
            description: "the authority's signature of the manifest does not verify",
            build: || mutated(|d| edit_json(d, "authority.json", |a| flip(&mut a["signature"]["s"]))),
            shows: &[Code::AuthoritySignature],
        },
        Case {
            name: "forged-registrar-signature",
            description: "the registrar's signature of its statement does not verify",
            build: || mutated(|d| edit_json(d, "registrar.json", |r| flip(&mut r["signature"]["s"]))),
            shows: &[Code::RegistrarSignature],
        },
        Case {
            name: "forged-missing-acknowledgement",
            description: "a qualified trustee's acknowledgement of the key is missing",
            build: || {
                mutated(|d| {
                    edit_json(d, "acknowledgements.json", |a| {
                        a["acknowledgements"].as_array_mut().unwrap().remove(0);
                    })
                })
            },
            shows: &[Code::AcknowledgementMissing],
        },
        Case {
            name: "forged-acknowledgement-signature",
            description: "an acknowledgement that is not its trustee's signature",
            build: || {
                mutated(|d| {
                    edit_json(d, "acknowledgements.json", |a| flip(&mut a["acknowledgements"][1]["signature"]["s"]))
                })
            },
            shows: &[Code::AcknowledgementSignature],
        },
        Case {
            name: "forged-decryption-signature",
            description: "a trustee's partial decryptions it did not sign (they do not count)",
            build: || mutated(|d| edit_json(d, "decryption.json", |x| flip(&mut x["trustees"][0]["signature"]["s"]))),
            shows: &[Code::DecryptionSignature, Code::ResultsUndecryptable],
        },
        Case {
            name: "forged-tally-log",
            description: "the tally names a log other than the final checkpoint's",
            build: || mutated(|d| edit_json(d, "tally.json", |t| t["log"]["size"] = json!(2))),
            shows: &[Code::TallyLog],
        },
        // Ballots.
        Case {
            name: "forged-replayed-ballot",
            description: "H2: a voter's earlier ballot appended again after its later one (log A, B, A)",
            build: || {
                let mut f = Forge::new(&[("north", 2)]);
                let (a, _) = f.ballot(0, true);
                let (b, _) = f.ballot(0, false);
                f.append(LogEntry::Cast(a.clone()));
                f.append(LogEntry::Cast(b));
                f.append(LogEntry::Cast(a));
                f.publish()
            },
            shows: &[Code::BallotRepeated, Code::TallyMismatch],
        },
        Case {
            name: "valid-v3-challenge",
            description: "format version 3: a challenged ballot under a one-time key, naming no credential, then the voter's cast ballot",
            build: || {
                let mut f = Forge::with(&[("north", 2)], |m| m.version = 3);
                let challenged = f.entry(0, true, true);
                f.append(challenged);
                for (v, yes) in [(0, false), (1, true)] {
                    let cast = f.entry(v, yes, false);
                    f.append(cast);
                }
                f.publish()
            },
            shows: &[],
        },
        Case {
            name: "forged-v3-challenge-under-credential",
            description: "format version 3: a challenged ballot whose one-time key is the voter's own credential (it would name the voter)",
            build: || {
                let mut f = Forge::with(&[("north", 2)], |m| m.version = 3);
                let (secret, region) = f.voters[0].clone();
                let mut rng = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::seed_from_u64(77);
                let (own, reveal) = f.context().encrypt_one_time(&secret, &region, &[vec![1]], &mut rng).unwrap();
                f.append(LogEntry::Spoiled(own, reveal));
                let cast = f.entry(1, true, false);
                f.append(cast);
                f.publish()
            },
            shows: &[Code::BallotOneTimeKey],
        },
        Case {
            name: "forged-reveal-reuse",
            description: "a cast ballot reusing the ciphertexts a challenged ballot revealed",
            build: || {
                let mut f = Forge::new(&[("north", 2)]);
                let (s, reveal) = f.ballot(0, true);
                f.append(LogEntry::Spoiled(s.clone(), reveal));
                f.append(LogEntry::Cast(s));
                f.publish()
            },
            shows: &[Code::BallotReusesReveal, Code::TallyMismatch],
        },
        Case {
            name: "forged-identity-alpha",
            description: "H8: a ballot whose ciphertext has r = 0 (alpha the identity, the vote in beta)",
            build: || {
                let mut f = Forge::new(&[("north", 2)]);
                let (secret, region) = &f.voters[0];
                let (zero, _) = f.writer.context().encrypt_ballot(secret, region, &[vec![1]], &mut Zeros).unwrap();
                f.append(LogEntry::Cast(zero));
                let (b, _) = f.ballot(1, false);
                f.append(LogEntry::Cast(b));
                f.publish()
            },
            shows: &[Code::BallotIdentity],
        },
        Case {
            name: "forged-ballot-cap",
            description: "a credential with more entries than max_ballots_per_credential (1)",
            build: || {
                let mut f = Forge::with(&[("north", 2)], |m| m.max_ballots_per_credential = Some(1));
                for y in [true, false] {
                    let (b, _) = f.ballot(0, y);
                    f.append(LogEntry::Cast(b));
                }
                f.publish()
            },
            shows: &[Code::BallotCap, Code::TallyMismatch],
        },
        Case {
            name: "forged-unknown-credential",
            description: "a ballot signed by a credential that is not on the list",
            build: || {
                let mut f = Forge::new(&[("north", 2)]);
                let stranger = CredentialSecret::generate(&mut rand_chacha::ChaCha20Rng::seed_from_u64(40));
                let (b, _) = f.writer.context().encrypt_ballot(&stranger, "north", &[vec![1]], &mut f.rng).unwrap();
                f.writer.append(&LogEntry::Cast(b)).unwrap_err();
                // The host appends it anyway, by hand.
                let (ok, _) = f.ballot(0, true);
                f.append(LogEntry::Cast(ok));
                let (b, _) = f.writer.context().encrypt_ballot(&stranger, "north", &[vec![1]], &mut f.rng).unwrap();
                let built = f.publish();
                let log = built.1.join("log.jsonl");
                let mut text = std::fs::read_to_string(&log).unwrap();
                text.push_str(&LogEntry::Cast(b).to_json_line());
                text.push('\n');
                std::fs::write(&log, text).unwrap();
                built
            },
            shows: &[Code::BallotIneligible],
        },
        Case {
            name: "forged-ballot-signature",
            description: "a ballot whose credential signature does not verify",
            build: || mutated(|d| edit_log_line(d, 1, |e| flip(&mut e["ballot"]["signature"]["s"]))),
            shows: &[Code::BallotSignature],
        },
        Case {
            name: "forged-ballot-proof",
            description: "a ballot whose range proof does not verify",
            build: || {
                mutated(|d| edit_log_line(d, 0, |e| flip(&mut e["ballot"]["answers"][0]["slots"][0]["proof"][0]["z"])))
            },
            shows: &[Code::BallotProof],
        },
        Case {
            name: "forged-ballot-region",
            description: "a ballot that claims another region than its credential's",
            build: || mutated(|d| edit_log_line(d, 2, |e| e["ballot"]["region"] = json!("north"))),
            shows: &[Code::BallotRegion],
        },
        Case {
            name: "forged-reveal",
            description: "a challenged ballot whose reveal does not open it",
            build: || {
                let mut f = Forge::new(&[("north", 2)]);
                let (s, reveal) = f.ballot(0, true);
                f.append(LogEntry::Spoiled(s, reveal));
                let built = f.publish();
                edit_log_line(&built.1, 0, |e| e["reveal"][0][0]["m"] = json!(0));
                built
            },
            shows: &[Code::RevealInvalid],
        },
        // The ceremony, credentials, hashes.
        Case {
            name: "forged-election-key",
            description: "the published election key is not the sum of the qualified trustees' commitments",
            build: || {
                mutated(|d| {
                    edit_json(d, "ceremony.json", |c| {
                        c["outcome"]["election_key"] = c["round1"][0]["commitments"][0].clone()
                    })
                })
            },
            shows: &[Code::CeremonyOutcome],
        },
        Case {
            name: "forged-duplicate-credential",
            description: "a credential listed twice",
            build: || {
                mutated(|d| {
                    let path = d.join("credentials.jsonl");
                    let text = std::fs::read_to_string(&path).unwrap();
                    let first = text.lines().next().unwrap().to_string();
                    std::fs::write(&path, format!("{text}{first}\n")).unwrap();
                })
            },
            shows: &[Code::CredentialDuplicate, Code::ElectionHash],
        },
        Case {
            name: "forged-election-hash",
            description: "election.json's base hash is not the computed one",
            build: || mutated(|d| edit_json(d, "election.json", |e| flip(&mut e["base_hash"]))),
            shows: &[Code::ElectionHash],
        },
        // Checkpoints.
        Case {
            name: "forged-checkpoint-signature",
            description: "a checkpoint not signed by the log key",
            build: || {
                mutated(|d| edit_json(d, "checkpoints.json", |c| flip(&mut c["checkpoints"][0]["signature"]["s"])))
            },
            shows: &[Code::CheckpointSignature],
        },
        // Version 4: witnessed checkpoints (protocol note §13.2).
        Case {
            name: "valid-v4-witnessed",
            description: "format version 4: every checkpoint a signed note cosigned by the manifest's three witnesses",
            build: || witnessed(|_| {}),
            shows: &[],
        },
        Case {
            name: "forged-v4-checkpoint-quorum",
            description: "format version 4: a checkpoint cosigned by one witness where the quorum is two",
            build: || witnessed(|d| keep_signatures(d, 0, 2)),
            shows: &[Code::CheckpointQuorum],
        },
        Case {
            name: "forged-v4-checkpoint-cosignature",
            description: "format version 4: a witness's cosignature line that does not verify",
            build: || {
                witnessed(|d| {
                    edit_json(d, "checkpoints.json", |c| {
                        let note = c["checkpoints"][1]["note"].as_str().unwrap().to_string();
                        let line = note.lines().rev().nth(1).unwrap().to_string();
                        let cut = line.len() - 8;
                        let other = if &line[cut..cut + 1] == "A" { "B" } else { "A" };
                        let changed = format!("{}{other}{}", &line[..cut], &line[cut + 1..]);
                        c["checkpoints"][1]["note"] = json!(note.replace(&line, &changed));
                    })
                })
            },
            shows: &[Code::CheckpointCosignature],
        },
        Case {
            name: "forged-v4-checkpoint-unsigned-note",
            description: "format version 4: a checkpoint note without the log key's signature (witnesses only)",
            build: || {
                witnessed(|d| {
                    edit_json(d, "checkpoints.json", |c| {
                        let note = c["checkpoints"][0]["note"].as_str().unwrap().to_string();
                        let first = note.split("\n\n").nth(1).unwrap().lines().next().unwrap().to_string();
                        c["checkpoints"][0]["note"] = json!(note.replace(&format!("{first}\n"), ""));
                    })
                })
            },
            shows: &[Code::CheckpointSignature],
        },
        Case {
            name: "forged-checkpoint-root",
            description: "a checkpoint whose root is not the log's",
            build: || mutated(|d| edit_json(d, "checkpoints.json", |c| flip(&mut c["checkpoints"][0]["root"]))),
            shows: &[Code::CheckpointRoot],
        },
        Case {
            name: "forged-truncated-checkpoints",
            description: "an entry appended after the last checkpoint",
            build: || {
                let mut f = Forge::new(&[("north", 2)]);
                let (b, _) = f.ballot(0, true);
                f.append(LogEntry::Cast(b));
                let built = f.publish();
                let (extra, _) = {
                    let mut g = Forge::new(&[("north", 2)]);
                    let b = g.ballot(1, false);
                    drop(g);
                    b
                };
                let log = built.1.join("log.jsonl");
                let mut text = std::fs::read_to_string(&log).unwrap();
                text.push_str(&LogEntry::Cast(extra).to_json_line());
                text.push('\n');
                std::fs::write(&log, text).unwrap();
                built
            },
            shows: &[Code::CheckpointIncomplete],
        },
        Case {
            name: "forged-no-checkpoint",
            description: "a log without any checkpoint",
            build: || {
                mutated(|d| {
                    edit_json(d, "checkpoints.json", |c| {
                        c["checkpoints"] = json!([]);
                        c["consistency"] = json!([]);
                    })
                })
            },
            shows: &[Code::CheckpointMissing],
        },
        // Tally, decryption, results.
        Case {
            name: "forged-tally",
            description: "C1: a region's tally replaced by one voter's ciphertext",
            build: || {
                mutated(|d| {
                    let log = std::fs::read_to_string(d.join("log.jsonl")).unwrap();
                    let first: Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
                    let ct = first["ballot"]["answers"][0]["slots"][0].clone();
                    edit_json(d, "tally.json", |t| {
                        t["scopes"][0]["questions"][0][0] = json!({"alpha": ct["alpha"], "beta": ct["beta"]})
                    });
                })
            },
            shows: &[Code::TallyMismatch],
        },
        Case {
            name: "forged-identity-slot-partial",
            description: "H8: a partial decryption offered for a slot read without trustees",
            build: || {
                let built = simple(&[("north", 2), ("south", 1)], &[true, false]);
                edit_json(&built.1, "decryption.json", |x| {
                    x["trustees"][0]["scopes"][1][0][0] = x["trustees"][0]["scopes"][0][0][0].clone();
                });
                built
            },
            shows: &[Code::DecryptionShape],
        },
        Case {
            name: "forged-decryption-proof",
            description: "a partial decryption whose proof does not verify",
            build: || {
                mutated(|d| {
                    edit_json(d, "decryption.json", |x| flip(&mut x["trustees"][1]["scopes"][0][0][0]["proof"]["z"]))
                })
            },
            shows: &[Code::DecryptionProof],
        },
        Case {
            name: "forged-results",
            description: "published counts that are not the decrypted ones",
            build: || mutated(|d| edit_json(d, "results.json", |r| r["scopes"][0]["questions"][0][0] = json!(2))),
            shows: &[Code::ResultsMismatch],
        },
        Case {
            name: "forged-verdict",
            description: "a published verdict that the rule on the results does not give",
            build: || {
                let mut f = Forge::with(&[("north", 3)], |m| {
                    m.ratification = rule("[approval]\nbase = \"valid\"\nmore_than = \"1/2\"\n")
                });
                cast_all(&mut f, &[(0, true), (1, false), (2, false)]);
                let built = f.publish();
                edit_json(&built.1, "results.json", |r| r["ratification"]["outcome"] = json!("ratified"));
                built
            },
            shows: &[Code::RatificationMismatch],
        },
        // The convention's order (H4), version 2.
        Case {
            name: "valid-convention-v2",
            description: "a version-2 convention record: two delegates' motions, the chair's vote on the first, adopted",
            build: || {
                let (charter, lines, log_secret, _) = super::attacks::two_motions_and_a_vote(2);
                let dir = super::attacks::publish_convention(&charter, &lines, &log_secret);
                let path = dir.path().to_path_buf();
                (dir, path)
            },
            shows: &[],
        },
        Case {
            name: "forged-convention-swapped-motions",
            description: "H4: the host swaps two delegates' motions and re-signs its checkpoint; the chair's vote after them committed to the log it saw",
            build: || {
                let (charter, mut lines, log_secret, first) = super::attacks::two_motions_and_a_vote(2);
                lines.swap(first, first + 1);
                let dir = super::attacks::publish_convention(&charter, &lines, &log_secret);
                let path = dir.path().to_path_buf();
                (dir, path)
            },
            shows: &[Code::EventRefused],
        },
        // Documents.
        Case {
            name: "forged-unsupported-version",
            description: "a document in a format version this verifier does not read",
            build: || mutated(|d| edit_json(d, "tally.json", |t| t["version"] = json!(3))),
            shows: &[Code::VersionUnsupported],
        },
        Case {
            name: "forged-manifest-without-registrar",
            description: "a version-2 manifest that names no registrar",
            build: || {
                mutated(|d| {
                    edit_json(d, "manifest.json", |m| {
                        m.as_object_mut().unwrap().remove("registrar");
                    })
                })
            },
            shows: &[Code::ManifestInvalid],
        },
        Case {
            name: "forged-missing-log",
            description: "a record without its log",
            build: || mutated(|d| std::fs::remove_file(d.join("log.jsonl")).unwrap()),
            shows: &[Code::FileUnreadable],
        },
    ]
}

fn found(dir: &Path) -> (bool, Vec<(String, String)>) {
    let verified = convene_record::directory::verify_directory(dir, &convene_record::verify::Quiet).expect("a record");
    let mut out: Vec<(String, String)> = Vec::new();
    for report in verified.convention.iter().map(|(r, _)| r).chain(verified.referendum.iter()) {
        out.extend(report.failures.iter().map(|f| (f.code.as_str().to_string(), f.location.clone())));
    }
    out.sort();
    out.dedup();
    (verified.ok(), out)
}

fn copy_record(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn the_conformance_kit() {
    let kit = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/conformance");
    let all = cases();
    assert!(all.len() >= 40, "the kit has {} cases; the issue asks for at least 40", all.len());
    let write = std::env::var_os("CONVENE_WRITE_VECTORS").is_some();
    for case in &all {
        let dir = kit.join(case.name);
        if !dir.exists() && write {
            let (_keep, built) = (case.build)();
            copy_record(&built, &dir);
            let (valid, failures) = found(&dir);
            let expected = json!({
                "description": case.description,
                "verdict": if valid { "valid" } else { "invalid" },
                "failures": failures.iter().map(|(code, location)| json!({"code": code, "location": location})).collect::<Vec<_>>(),
            });
            std::fs::write(dir.join("expected.json"), serde_json::to_vec_pretty(&expected).unwrap()).unwrap();
        }
        let expected: Value = serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap_or_else(|_| {
            panic!("{}: missing; CONVENE_WRITE_VECTORS=1 cargo test conformance writes it", case.name)
        }))
        .unwrap();
        // The case shows what it was built for.
        let wanted: Vec<String> =
            expected["failures"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect();
        assert_eq!(expected["verdict"] == "valid", case.shows.is_empty(), "{}: {expected}", case.name);
        for code in case.shows {
            assert!(wanted.contains(&code.as_str().to_string()), "{}: {code} not among {wanted:?}", case.name);
        }
        // And the verifier still finds exactly what the kit says.
        let (valid, failures) = found(&dir);
        let listed: Vec<(String, String)> = expected["failures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["code"].as_str().unwrap().to_string(), f["location"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(valid, expected["verdict"] == "valid", "{}", case.name);
        assert_eq!(failures, listed, "{}", case.name);
    }
}
