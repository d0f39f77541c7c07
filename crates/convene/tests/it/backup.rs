//! The restore drill (docs/deploy.md, "Backups"): `convene backup` copies the SQLite database
//! while the server runs and voting goes on; the copy, with the data directory's `server-key`
//! put back beside it, serves elsewhere the log as it stood, entry for entry; voting continues
//! there, and the restored server's record verifies.

use super::servers::Server;
use super::*;
use convene::client::Client;
use convene::referendum;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn convene(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_convene")).args(args).output().unwrap()
}

/// The log's first `n` entries as the server pages them: index, tracking code, entry.
async fn log_of(client: &Client, n: u64) -> Vec<serde_json::Value> {
    let page = client.get(&format!("/api/elections/kept/log?from=0&limit={n}")).await.unwrap();
    page["entries"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_voting_restores_elsewhere_and_its_record_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::start(&data, &["--signin-per-minute", "1000000"]);
    let token = std::fs::read_to_string(data.join("admin-token")).unwrap().trim().to_string();
    let client = Client::new(&server.url, Some(token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(47);
    let voters = 30usize;
    let election =
        referendum::set_up(&client, &plan("kept", voters as u64, &["north", "south"]), &mut rng).await.unwrap();
    let cast = async |client: &Client, v: usize, code: usize, rng: &mut ChaCha20Rng| {
        let entry = referendum::make_entry(&election, v, &[vec![(v % 2) as u32]], false, rng).unwrap();
        referendum::sign_in_and_send(client, &election, v, code, entry).await.unwrap();
    };
    for v in 0..20 {
        cast(&client, v, 0, &mut rng).await;
    }
    // Backed up while the server runs; voting goes on after.
    let copy = dir.path().join("backup.sqlite3");
    let backup = convene(&["backup", "--data", data.to_str().unwrap(), "--out", copy.to_str().unwrap()]);
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    assert!(String::from_utf8_lossy(&backup.stdout).contains("server-key"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    let again = convene(&["backup", "--data", data.to_str().unwrap(), "--out", copy.to_str().unwrap()]);
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("exists"));
    for v in 20..25 {
        cast(&client, v, 0, &mut rng).await;
    }
    let kept = log_of(&client, 20).await;

    // Restored elsewhere: the copy as the database, the key file and the token beside it.
    let restored = dir.path().join("restored");
    std::fs::create_dir_all(&restored).unwrap();
    std::fs::set_permissions(&restored, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::copy(&copy, restored.join("convene.sqlite3")).unwrap();
    for file in ["server-key", "admin-token"] {
        std::fs::copy(data.join(file), restored.join(file)).unwrap();
    }
    drop(server);
    let second = Server::start(&restored, &["--signin-per-minute", "1000000"]);
    let client = Client::new(&second.url, Some(token));
    assert_eq!(client.get("/api/elections/kept").await.unwrap()["log_size"], 20, "the log as it stood");
    assert_eq!(log_of(&client, 20).await, kept, "entry for entry");
    // The restored server signs with the same log key: voting continues there (voters 20–24
    // vote again with their next code, as they would after a restore).
    for v in 20..voters {
        cast(&client, v, 1, &mut rng).await;
    }
    counted_and_verified(&client, &election, dir.path()).await;
}
