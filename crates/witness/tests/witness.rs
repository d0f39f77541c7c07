//! The witness over real HTTP on loopback, as a log would use it: first checkpoint, a
//! consistent extension with its proof, and every refusal the spec names — a stale old size
//! (409 with the latest size), a fork of the same size or a bad proof (422), an unknown log
//! (404), a checkpoint not signed by the log (403), a malformed request (400). Its state
//! survives a restart.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use convene_note::*;
use convene_record::log::{leaf_hash, MerkleTree};
use convene_witness::*;
use std::sync::Arc;

const ORIGIN: &str = "convene.example/e1";

fn tree(n: u8, salt: u8) -> MerkleTree {
    let mut t = MerkleTree::default();
    for k in 0..n {
        t.push(leaf_hash(&[k, salt]));
    }
    t
}

fn signed(log: &NoteSigner, tree: &MerkleTree) -> String {
    let size = tree.len();
    Checkpoint { origin: ORIGIN.into(), size, root: tree.root(size).unwrap() }.sign(log).unwrap().render()
}

fn body(old: u64, proof: &[[u8; 32]], note: &str) -> String {
    let mut out = format!("old {old}\n");
    for h in proof {
        out.push_str(&BASE64.encode(h));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(note);
    out
}

async fn start(path: &std::path::Path, log: &NoteSigner) -> (String, Verifier, tokio::task::JoinHandle<()>) {
    let signer = NoteSigner::from_seed("witness.example/w1", TYPE_COSIGNATURE, &[3; 32]).unwrap();
    let witness = Arc::new(Witness::open(path, signer, vec![log.verifier()]).await.unwrap());
    let verifier = witness.verifier();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move { axum::serve(listener, router(witness)).await.unwrap() });
    (url, verifier, task)
}

async fn post(url: &str, body: String) -> (u16, String, Option<String>) {
    let response = reqwest::Client::new().post(format!("{url}/add-checkpoint")).body(body).send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
    (status, response.text().await.unwrap(), kind)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_witness_cosigns_only_what_is_consistent_with_what_it_cosigned() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("witness.sqlite3");
    let log = NoteSigner::from_seed(ORIGIN, TYPE_ED25519, &[7; 32]).unwrap();
    let (url, witness, task) = start(&db, &log).await;

    // The first checkpoint, from size 0 with no proof: cosigned.
    let five = tree(5, 0);
    let note5 = signed(&log, &five);
    let (status, line, _) = post(&url, body(0, &[], &note5)).await;
    assert_eq!(status, 200, "{line}");
    let cosigned = Note::parse(format!("{note5}{line}").as_bytes()).unwrap();
    let known = [log.verifier(), witness.clone()];
    let verified = cosigned.verify(&known).unwrap();
    assert!(verified.iter().any(|(v, t)| v.kind == TYPE_COSIGNATURE && t.is_some()), "{line}");

    // A stale old size: 409, and the latest size in text/x.tlog.size.
    let eight = tree(8, 0);
    let note8 = signed(&log, &eight);
    let (status, size, kind) = post(&url, body(0, &[], &note8)).await;
    assert_eq!((status, size.as_str(), kind.as_deref()), (409, "5\n", Some("text/x.tlog.size")));

    // A consistent extension with its proof: cosigned.
    let proof = eight.consistency_proof(5, 8).unwrap();
    let (status, line, _) = post(&url, body(5, &proof, &note8)).await;
    assert_eq!(status, 200, "{line}");

    // A fork: another tree of size 8 (a different leaf), offered as the same size: 422.
    let fork = tree(8, 1);
    let (status, _, _) = post(&url, body(8, &[], &signed(&log, &fork))).await;
    assert_eq!(status, 422);
    // A branch grown from the fork, with the fork's own (valid for it) proof: 422.
    let fork9 = tree(9, 1);
    let (status, _, _) = post(&url, body(8, &fork9.consistency_proof(8, 9).unwrap(), &signed(&log, &fork9))).await;
    assert_eq!(status, 422);
    // A proof that does not prove: 422.
    let ten = tree(10, 0);
    let (status, _, _) = post(&url, body(8, &[[0; 32]], &signed(&log, &ten))).await;
    assert_eq!(status, 422);

    // Not signed by the log's key: 403. Another origin: 404. Malformed: 400.
    let impostor = NoteSigner::from_seed(ORIGIN, TYPE_ED25519, &[9; 32]).unwrap();
    let (status, _, _) = post(&url, body(8, &ten.consistency_proof(8, 10).unwrap(), &signed(&impostor, &ten))).await;
    assert_eq!(status, 403);
    let other = NoteSigner::from_seed("other.example/log", TYPE_ED25519, &[10; 32]).unwrap();
    let other_note =
        Checkpoint { origin: "other.example/log".into(), size: 5, root: five.root(5).unwrap() }.sign(&other).unwrap();
    let (status, _, _) = post(&url, body(0, &[], &other_note.render())).await;
    assert_eq!(status, 404);
    for bad in ["", "old 01\n\nx", "new 5\n\nx", "old 9\n\n", &body(20, &[], &note8)] {
        let (status, _, _) = post(&url, bad.to_string()).await;
        assert_eq!(status, 400, "{bad:?}");
    }

    // Restarted on the same file, it remembers size 8.
    task.abort();
    let (url, _, _task) = start(&db, &log).await;
    let (status, size, _) = post(&url, body(5, &proof, &note8)).await;
    assert_eq!((status, size.as_str()), (409, "8\n"));
    let (status, _, _) = post(&url, body(8, &ten.consistency_proof(8, 10).unwrap(), &signed(&log, &ten))).await;
    assert_eq!(status, 200);
}

/// Two submissions racing from the same old size: exactly one is cosigned, the other gets 409;
/// the log can never be rolled back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_submissions_never_roll_the_log_back() {
    let dir = tempfile::tempdir().unwrap();
    let log = NoteSigner::from_seed(ORIGIN, TYPE_ED25519, &[7; 32]).unwrap();
    let (url, _, _task) = start(&dir.path().join("w.sqlite3"), &log).await;
    let (small, large) = (tree(6, 0), tree(12, 0));
    let a = tokio::spawn(post_owned(url.clone(), body(0, &[], &signed(&log, &small))));
    let b = tokio::spawn(post_owned(url.clone(), body(0, &[], &signed(&log, &large))));
    let mut statuses = vec![a.await.unwrap(), b.await.unwrap()];
    statuses.sort();
    assert_eq!(statuses, vec![200, 409]);
}

async fn post_owned(url: String, body: String) -> u16 {
    post(&url, body).await.0
}

/// A log added to a running witness (as `convene witness --add-logs` does, from another process
/// on the same file) is witnessed from the next submission; before, it is an unknown log (404).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_added_to_a_running_witness_is_witnessed_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("witness.sqlite3");
    let first = NoteSigner::from_seed("convene.example/other", TYPE_ED25519, &[8; 32]).unwrap();
    let (url, _, task) = start(&db, &first).await;
    let log = NoteSigner::from_seed(ORIGIN, TYPE_ED25519, &[7; 32]).unwrap();
    let note = signed(&log, &tree(3, 0));
    let (status, _, _) = post(&url, body(0, &[], &note)).await;
    assert_eq!(status, 404);
    // Another handle on the same file, as another process would open it.
    let other = NoteSigner::from_seed("witness.example/w1", TYPE_COSIGNATURE, &[3; 32]).unwrap();
    let adder = Witness::open(&db, other, vec![log.verifier()]).await.unwrap();
    let logs: Vec<String> = adder.logs().await.unwrap().iter().map(|v| v.name.clone()).collect();
    assert_eq!(logs.len(), 2, "{logs:?}");
    let (status, line, _) = post(&url, body(0, &[], &note)).await;
    assert_eq!(status, 200, "{line}");
    task.abort();
}
