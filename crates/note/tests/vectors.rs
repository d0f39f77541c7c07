//! The formats against their specifications' own examples (c2sp.org/signed-note,
//! tlog-checkpoint, tlog-cosignature) and against the reference implementations' test vectors
//! (golang.org/x/mod/sumdb/note's `note_test.go`, transparency-dev/formats' `log/note_test.go`).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use convene_note::*;

/// c2sp.org/signed-note, "Verifier keys — Example".
#[test]
fn the_signed_note_spec_example_verifies() {
    let vkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
    let verifier = Verifier::parse(vkey).unwrap();
    assert_eq!(verifier.to_vkey(), vkey);
    let note = "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
    let parsed = Note::parse(note.as_bytes()).unwrap();
    assert_eq!(parsed.text, "This is an example message.\n");
    assert_eq!(parsed.verify(std::slice::from_ref(&verifier)).unwrap().len(), 1);
    assert_eq!(parsed.render(), note);
    // One changed byte of the text: the known key's signature fails, and the note is refused.
    let changed = note.replacen("example message", "example massage", 1);
    let e = Note::parse(changed.as_bytes()).unwrap().verify(&[verifier]).unwrap_err();
    assert!(matches!(e, NoteError::BadSignature(_)), "{e}");
}

const PETER: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const PETER_SEED: &str = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"; // PRIVATE+KEY+PeterNeumann+c74f20a3+…
const ENOCH: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT: &str =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG: &str =
    "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

/// golang.org/x/mod/sumdb/note `TestSign`: the same key and text give the same note, byte for
/// byte (Ed25519 is deterministic).
#[test]
fn signing_matches_go_s_sumdb_note() {
    let seed = BASE64.decode(PETER_SEED).unwrap();
    assert_eq!(seed[0], TYPE_ED25519);
    let signer = NoteSigner::from_seed("PeterNeumann", TYPE_ED25519, seed[1..].try_into().unwrap()).unwrap();
    assert_eq!(signer.verifier().to_vkey(), PETER);
    let note = Note::sign(TEXT, &signer).unwrap();
    assert_eq!(note.render(), format!("{TEXT}\n{PETER_SIG}"));
}

/// `TestOpen`: with two signatures, an unknown key's is ignored and a known key's verifies;
/// with no known key the note is refused.
#[test]
fn unknown_signatures_are_ignored_and_known_ones_checked() {
    let note = Note::parse(format!("{TEXT}\n{PETER_SIG}{ENOCH_SIG}").as_bytes()).unwrap();
    let peter = Verifier::parse(PETER).unwrap();
    let enoch = Verifier::parse(ENOCH).unwrap();
    assert_eq!(note.verify(std::slice::from_ref(&peter)).unwrap().len(), 1);
    assert_eq!(note.verify(&[peter.clone(), enoch.clone()]).unwrap().len(), 2);
    let stranger = NoteSigner::generate("Stranger", TYPE_ED25519, &mut rand_core::OsRng).unwrap();
    assert_eq!(note.verify(&[stranger.verifier()]), Err(NoteError::Unverified));
    // The same name with another ID is another key: ignored, not failed.
    let impostor = NoteSigner::generate("PeterNeumann", TYPE_ED25519, &mut rand_core::OsRng).unwrap();
    assert_eq!(note.verify(&[impostor.verifier()]), Err(NoteError::Unverified));
}

/// transparency-dev/formats `TestSumDBNoteParsing`: a checkpoint of Go's checksum database,
/// signed by sum.golang.org's published key.
#[test]
fn a_checksum_database_checkpoint_opens() {
    let log = Verifier::parse("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8").unwrap();
    let note = "go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n\n\u{2014} sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=\n";
    let (checkpoint, _) = Checkpoint::open(note.as_bytes(), &log).unwrap();
    assert_eq!((checkpoint.origin.as_str(), checkpoint.size), ("go.sum database tree", 6476701));
    assert_eq!(BASE64.encode(checkpoint.root), "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=");
}

/// c2sp.org/tlog-cosignature's example: its witness line decodes to the key ID and the timestamp
/// of the spec's signed-message example, and our message is that example byte for byte.
#[test]
fn the_cosignature_spec_example_decodes_and_its_message_matches() {
    let example = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\
\u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n\
\u{2014} witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
    let note = Note::parse(example.as_bytes()).unwrap();
    let checkpoint = Checkpoint::parse(&note.text).unwrap();
    assert_eq!((checkpoint.origin.as_str(), checkpoint.size), ("example.com/behind-the-sofa", 20852163));
    let witness = &note.signatures[1];
    assert_eq!(witness.bytes.len(), 4 + 8 + 64);
    let timestamp = u64::from_be_bytes(witness.bytes[4..12].try_into().unwrap());
    assert_eq!(timestamp, 1679315147);
    let message = cosigned_message(&note.text, timestamp);
    assert_eq!(
        String::from_utf8(message).unwrap(),
        "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    );
}

/// A checkpoint signed by a log and cosigned by two witnesses: each verifies, with its
/// timestamp; a cosignature moved to another checkpoint does not. The golden line fixes the
/// layout (`ID ‖ u64be(time) ‖ signature`) for an independent implementation.
#[test]
fn cosignatures_verify_with_their_timestamps() {
    let log = NoteSigner::from_seed("convene.example/e1", TYPE_ED25519, &[7; 32]).unwrap();
    let w1 = NoteSigner::from_seed("witness.example/w1", TYPE_COSIGNATURE, &[8; 32]).unwrap();
    let w2 = NoteSigner::from_seed("witness.example/w2", TYPE_COSIGNATURE, &[9; 32]).unwrap();
    let checkpoint = Checkpoint { origin: "convene.example/e1".into(), size: 3, root: [0x42; 32] };
    let mut note = checkpoint.sign(&log).unwrap();
    note.cosign(&w1, 1_764_547_200).unwrap();
    note.cosign(&w2, 1_764_547_201).unwrap();
    let known = [log.verifier(), w1.verifier(), w2.verifier()];
    let verified = note.verify(&known).unwrap();
    let times: Vec<Option<u64>> = verified.iter().map(|(_, t)| *t).collect();
    assert_eq!(times, vec![None, Some(1_764_547_200), Some(1_764_547_201)]);
    let again = Note::parse(note.render().as_bytes()).unwrap();
    assert_eq!(again, note);
    assert_eq!(Checkpoint::parse(&again.text).unwrap(), checkpoint);
    // The witness key's vkey has type 0x04 and round-trips.
    assert_eq!(Verifier::parse(&w1.verifier().to_vkey()).unwrap(), w1.verifier());
    // Moved to another checkpoint, the cosignature fails.
    let other = Checkpoint { size: 4, ..checkpoint };
    let mut moved = other.sign(&log).unwrap();
    moved.signatures.push(note.signatures[1].clone());
    assert!(matches!(moved.verify(&known), Err(NoteError::BadSignature(_))));
    // Golden: the first cosignature line, fixed by the seeds and the timestamp.
    assert_eq!(note.signatures[1].bytes[4..12], 1_764_547_200u64.to_be_bytes());
    assert_eq!(note.signatures[1].id, key_id("witness.example/w1", TYPE_COSIGNATURE, w1.verifier().key.as_bytes()));
}

#[test]
fn malformed_notes_and_checkpoints_are_refused() {
    for bad in [
        "",
        "no blank line\n\u{2014} a AAAAAAA=\n",
        "text\n\n",
        "text\n\n\u{2014} a\n",
        "text\n\nnot a signature\n",
        "text\n\n\u{2014} a+b AAAAAAA=\n",
        "text\n\n\u{2014} a !!!\n",
        "te\u{7}xt\n\n\u{2014} a AAAAAAA=\n",
        "text\n\n\u{2014} a AAAAAAA=",
    ] {
        assert!(Note::parse(bad.as_bytes()).is_err(), "{bad:?}");
    }
    for bad in [
        "o\n01\nQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=\n",
        "o\n1\nQkJC\n",
        "\n1\nQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=\n",
        "o\n1\nQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=\nextension\n",
        "o\n-1\nQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=\n",
        "o\n1\nQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=",
    ] {
        assert!(Checkpoint::parse(bad).is_err(), "{bad:?}");
    }
    assert!(Checkpoint::parse("o\n0\nQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=\n").is_ok());
    for bad in ["a+530d903a", "a+XYZ+AQ==", "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"] {
        assert!(Verifier::parse(bad).is_err(), "{bad}");
    }
}

/// `test-vectors/note-cosignature.json`: a log's checkpoint and a witness's cosignature from
/// fixed Ed25519 seeds and a fixed timestamp, byte for byte (Ed25519 signing is deterministic),
/// for an independent implementation to reproduce.
#[test]
fn the_cosigned_checkpoint_vector_is_reproduced() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/note-cosignature.json");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let seed = |k: &str| -> [u8; 32] { hex32(doc[k].as_str().unwrap()) };
    let log = NoteSigner::from_seed(doc["log_name"].as_str().unwrap(), TYPE_ED25519, &seed("log_seed")).unwrap();
    let witness =
        NoteSigner::from_seed(doc["witness_name"].as_str().unwrap(), TYPE_COSIGNATURE, &seed("witness_seed")).unwrap();
    assert_eq!(log.verifier().to_vkey(), doc["log_vkey"]);
    assert_eq!(witness.verifier().to_vkey(), doc["witness_vkey"]);
    let checkpoint = Checkpoint {
        origin: doc["origin"].as_str().unwrap().into(),
        size: doc["size"].as_u64().unwrap(),
        root: hex32(doc["root"].as_str().unwrap()),
    };
    let mut note = checkpoint.sign(&log).unwrap();
    note.cosign(&witness, doc["timestamp"].as_u64().unwrap()).unwrap();
    assert_eq!(note.render(), doc["note"].as_str().unwrap());
    assert_eq!(
        String::from_utf8(cosigned_message(&note.text, doc["timestamp"].as_u64().unwrap())).unwrap(),
        doc["cosigned_message"].as_str().unwrap()
    );
}

fn hex32(h: &str) -> [u8; 32] {
    let bytes: Vec<u8> = (0..h.len()).step_by(2).map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap()).collect();
    bytes.try_into().unwrap()
}
