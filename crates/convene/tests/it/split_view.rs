//! H1, the split view, against a real server and three real witnesses over HTTP (two honest, one
//! that colludes with the host): the host forks its log after a voter's re-vote — a branch
//! without it, or the same size with another tree — and signs the fork with its real log key.
//! The honest witnesses refuse the fork, so it never has its quorum; a receipt under it is
//! refused; the voter's receipt from before the fork, checked against the forked record, fails
//! and says why; `convene verify` names the forked record's checkpoints. With two witnesses
//! down, the server answers a cast with no receipt at all.

use super::*;
use convene::client::Client;
use convene::referendum;
use convene_note::{Checkpoint, Note, NoteSigner, Verifier, TYPE_COSIGNATURE};
use convene_record::checkpoint::{LogSigner, LogVerifier};
use convene_record::failure::Code;
use convene_record::format::{LogEntry, WitnessJson};
use convene_record::log::{leaf_hash, MerkleTree};
use convene_record::receipt::{check_against_record, check_against_witness, ReceiptFailure};
use convene_record::writer::{checkpoints_document, Receipt};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use std::time::Duration;

pub(crate) fn witness_key(k: u8) -> NoteSigner {
    NoteSigner::from_seed(&format!("observers.example/split-{k}"), TYPE_COSIGNATURE, &[k + 40; 32]).unwrap()
}

/// Runs witness `k` as its own process (`convene witness`, its key and SQLite state in `dir`)
/// for `log` on `port`; dropping it kills the process.
pub(crate) async fn serve_witness(dir: &std::path::Path, k: u8, log: &Verifier, port: u16) -> super::witness::Running {
    let data = dir.join(format!("witness-{k}"));
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("witness.key"), format!("{}\n", convene_crypto::encoding::to_hex(&[k + 40; 32]))).unwrap();
    super::witness::run_witness(data.to_str().unwrap(), &witness_key(k).name, &log.to_vkey(), port).await
}

/// Three witness ports and their manifest entries (witnesses 1 to 3, quorum 2), for `plan`.
pub(crate) fn three_witnesses(plan: &mut convene::referendum::ElectionPlan) -> Vec<u16> {
    let ports: Vec<u16> =
        (0..3).map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()).collect();
    plan.witnesses = (1..=3)
        .map(|k| WitnessJson {
            key: witness_key(k).verifier().to_vkey(),
            url: format!("http://127.0.0.1:{}", ports[k as usize - 1]),
        })
        .collect();
    plan.witness_quorum = 2;
    ports
}

/// Starts the three witnesses of `three_witnesses` for the election's log.
pub(crate) async fn start_three(dir: &std::path::Path, log_key: &str, ports: &[u16]) -> Vec<super::witness::Running> {
    let log = Verifier::parse(log_key).unwrap();
    let mut running = Vec::new();
    for k in 1..=3u8 {
        running.push(serve_witness(dir, k, &log, ports[k as usize - 1]).await);
    }
    running
}

async fn add_checkpoint(port: u16, body: String) -> (u16, String) {
    let answer =
        reqwest::Client::new().post(format!("http://127.0.0.1:{port}/add-checkpoint")).body(body).send().await.unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

/// The log's leaves as the published record's lines give them.
fn tree_of(lines: &[&[u8]], base: &[u8; 32]) -> MerkleTree {
    let mut tree = MerkleTree::default();
    for line in lines {
        tree.push(leaf_hash(&LogEntry::parse(line).unwrap().entry_bytes(base)));
    }
    tree
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forked_log_never_reaches_its_witnesses_quorum_and_the_voter_s_receipt_names_the_fork() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = convene::local::start(&data, None, "127.0.0.1:0", |c| {
        c.signin_per_minute = u32::MAX;
        c.witness_timeout = Duration::from_secs(3);
    })
    .await
    .unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut plan = plan("split", 3, &["north", "south"]);
    plan.codes_per_voter = 3;
    let ports = three_witnesses(&mut plan);
    let mut rng = ChaCha20Rng::seed_from_u64(77);
    let election = referendum::set_up(&client, &plan, &mut rng).await.unwrap();
    let log = Verifier::parse(&election.manifest.log_key).unwrap();
    let mut running = start_three(dir.path(), &election.manifest.log_key, &ports).await;
    let mut cast = |voter: usize, code: usize, yes: u32| {
        let entry = referendum::make_entry(&election, voter, &[vec![yes]], false, &mut rng).unwrap();
        referendum::sign_in_and_send(&client, &election, voter, code, entry)
    };
    let first = cast(0, 0, 1).await.unwrap();
    let other = cast(1, 0, 1).await.unwrap();
    let revote = cast(0, 1, 0).await.unwrap();
    let last = cast(2, 0, 1).await.unwrap();

    // Two witnesses down: the ballot is stored, but no receipt is issued for it.
    running.drain(..2);
    let refused = cast(1, 1, 0).await.unwrap_err();
    let stored = refused.downcast_ref::<convene::client::HttpError>().map(|h| (h.code.clone(), h.stored));
    let id = &election.id;
    let size = || async { client.get(&format!("/api/elections/{id}/log")).await.unwrap()["size"].as_u64().unwrap() };
    let uncovered = size().await - 1;
    assert_eq!(stored, Some(("not_yet_witnessed".into(), Some(uncovered))), "{refused}");
    assert!(client.get(&format!("/api/elections/{id}/receipts/{uncovered}")).await.is_err());
    // A voter's own client waits for its receipt instead: the server answers 503 after its
    // witness timeout (3 s), and the client asks for the stored entry's receipt until one
    // witness is back, a quorum again, and a checkpoint covers that entry, and the one before.
    let public = referendum::PublicElection::fetch(&client, id).await.unwrap();
    let sheet = &election.sheets[2];
    let (region, no) = (public.region_of(sheet.credential.public()).unwrap(), [vec![0]]);
    let voter = referendum::cast_as(&client, id, &public, &sheet.credential, &region, &sheet.codes[1], &no, false);
    let back = async {
        // Once the ballot is stored, past the server's 3 s wait.
        while size().await < uncovered + 2 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(3500)).await;
        serve_witness(dir.path(), 1, &log, ports[0]).await
    };
    let (receipt, back) = tokio::join!(voter, back);
    running.insert(0, back);
    let receipt = receipt.unwrap();
    assert_eq!(receipt.index, uncovered + 1);
    assert!(receipt.checkpoint.size > receipt.index);
    let late: Receipt =
        serde_json::from_value(client.get(&format!("/api/elections/{id}/receipts/{uncovered}")).await.unwrap())
            .unwrap();
    convene_record::verify::verify_receipt(&election.manifest_bytes, &late).unwrap();

    referendum::count(&client, &election).await.unwrap();
    let honest = dir.path().join("honest");
    client.fetch_record(id, &honest).await.unwrap();
    assert!(verify(&honest).ok(), "{:?}", verify(&honest).failures);
    assert!(check_against_record(&honest, &revote).is_ok(), "{revote:?}");
    // A voter's earlier ballot is superseded by her re-vote (the one stored without a receipt
    // too), and the check says so.
    assert_eq!(check_against_record(&honest, &first).err(), Some(ReceiptFailure::Superseded { later: revote.index }));
    assert_eq!(check_against_record(&honest, &other).err(), Some(ReceiptFailure::Superseded { later: uncovered }));

    // The host's fork: it holds the log key (its own database, sealed under its own key file)
    // and withholds the re-vote.
    let raw = super::attacks::host_database(&data, &[]).await;
    let (sealed,): (Vec<u8>,) =
        sqlx::query_as("SELECT bytes FROM documents WHERE election_id = ? AND name = 'secret/log-key'")
            .bind(id)
            .fetch_one(&raw)
            .await
            .unwrap();
    let manifest_hash = convene_record::writer::manifest_hash(&election.manifest_bytes);
    let host_key = convene_server::SealingKey::new(convene::local::sealing_key(&data).unwrap());
    let secret = host_key.open(id, "secret/log-key", &sealed).unwrap();
    let signer = LogSigner::new(&election.manifest, &manifest_hash, &secret.try_into().unwrap()).unwrap();
    let log_bytes = std::fs::read(honest.join("log.jsonl")).unwrap();
    let lines: Vec<&[u8]> = log_bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    let base = convene_crypto::encoding::hex32(
        serde_json::from_slice::<serde_json::Value>(&std::fs::read(honest.join("election.json")).unwrap()).unwrap()
            ["base_hash"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let n = lines.len() as u64;
    let branch: Vec<&[u8]> =
        lines.iter().enumerate().filter(|(i, _)| *i as u64 != revote.index).map(|(_, l)| *l).collect();
    let mut swapped = lines.clone();
    swapped.swap(revote.index as usize, last.index as usize);
    let colluder = witness_key(3);
    for (name, fork) in [("branch without the re-vote", &branch), ("same size, another tree", &swapped)] {
        let tree = tree_of(fork, &base);
        let mut checkpoint = signer.sign(&tree, &mut rng);
        let note = checkpoint.note.clone().unwrap();
        // The honest witness refuses it: 409 from a size it did not cosign, 422 from its own.
        let (status, body) = add_checkpoint(ports[0], format!("old 0\n\n{note}")).await;
        assert_eq!((status, body.trim()), (409, n.to_string().as_str()), "{name}");
        let (status, _) = add_checkpoint(ports[0], format!("old {n}\n\n{note}")).await;
        assert!(matches!(status, 400 | 422), "{name}: {status}");
        // The colluding witness cosigns; one cosignature is below the quorum of two.
        convene_record::checkpoint::cosign(&mut checkpoint, &colluder, 1_800_000_000).unwrap();
        let verifier = LogVerifier::of(&election.manifest, &manifest_hash).unwrap();
        assert_eq!(verifier.check(&checkpoint).map_err(|(code, _)| code), Err(Code::CheckpointQuorum), "{name}");
        // A receipt under the fork, as a malicious front end would answer, is refused.
        let index = tree.len() - 1;
        let forged = Receipt {
            version: 1,
            index,
            tracking_code: convene_crypto::encoding::to_hex(&tree.leaf(index).unwrap()),
            inclusion: tree
                .inclusion_proof(index, tree.len())
                .unwrap()
                .iter()
                .map(|h| convene_crypto::encoding::to_hex(h))
                .collect(),
            checkpoint: checkpoint.clone(),
        };
        let why = convene_record::verify::verify_receipt(&election.manifest_bytes, &forged).unwrap_err();
        assert!(why.contains("quorum"), "{name}: {why}");
        // The honest witness's latest checkpoint and a fork of its size: two trees signed.
        let latest = reqwest::get(format!("http://127.0.0.1:{}/checkpoint/{}", ports[0], log.name))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(Checkpoint::parse(&Note::parse(latest.as_bytes()).unwrap().text).unwrap().size == n);
        if tree.len() == n {
            let seen = check_against_witness(&election.manifest, 0, &latest, &forged, |_, _| None);
            assert!(matches!(seen, Err(ReceiptFailure::Equivocation(_))), "{name}: {seen:?}");
        }

        // The forked record, published with the colluder's cosignature.
        let forked = dir.path().join(format!("forked-{}", tree.len()));
        std::fs::create_dir_all(&forked).unwrap();
        for file in std::fs::read_dir(&honest).unwrap() {
            let file = file.unwrap();
            if file.file_type().unwrap().is_file() {
                std::fs::copy(file.path(), forked.join(file.file_name())).unwrap();
            }
        }
        let text: Vec<u8> = fork.iter().flat_map(|l| l.iter().copied().chain([b'\n'])).collect();
        std::fs::write(forked.join("log.jsonl"), text).unwrap();
        let document = checkpoints_document(election.manifest.version, vec![checkpoint], &tree);
        std::fs::write(forked.join("checkpoints.json"), serde_json::to_vec(&document).unwrap()).unwrap();
        let report = verify(&forked);
        assert!(report.failures.iter().any(|f| f.code == Code::CheckpointQuorum), "{name}: {:?}", report.failures);
        // The voter's re-vote receipt from before the fork names what happened.
        let failure = check_against_record(&forked, &revote).unwrap_err();
        assert!(matches!(failure, ReceiptFailure::NotInLog(_)), "{name}: {failure}");
        assert!(failure.to_string().starts_with("not in the log"), "{failure}");
        let failure = check_against_record(&forked, &last).unwrap_err();
        assert!(matches!(failure, ReceiptFailure::NotInLog(_) | ReceiptFailure::Equivocation(_)), "{name}: {failure}");
    }
    drop(running);
}
