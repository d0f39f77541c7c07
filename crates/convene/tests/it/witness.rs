//! `convene witness` as its own process, as an observer would run it: it prints its verifier
//! key, cosigns a log's first checkpoint over HTTP, refuses a fork of it, and after being
//! killed and started again still knows the size it cosigned.

use convene_note::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub(crate) struct Running(pub(crate) Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `convene witness` (its key and state in `data`) for the log `log_key` on `port`, and
/// waits until it listens; dropping the handle kills the process.
pub(crate) async fn run_witness(data: &str, name: &str, log_key: &str, port: u16) -> Running {
    let child = Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["witness", "--data", data, "--name", name, "--log", log_key])
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let running = Running(child);
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    running
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts the witness; its first line on stdout is its verifier key.
fn start(data: &std::path::Path, log: &Verifier, port: u16) -> (Running, Verifier) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["witness", "--data", data.to_str().unwrap(), "--name", "observers.example/w1"])
        .args(["--log", &log.to_vkey(), "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let verifier = Verifier::parse(line.trim()).unwrap();
    (Running(child), verifier)
}

async fn add(port: u16, body: String) -> (u16, String) {
    let url = format!("http://127.0.0.1:{port}/add-checkpoint");
    for _ in 0..50 {
        if let Ok(response) = reqwest::Client::new().post(&url).body(body.clone()).send().await {
            let status = response.status().as_u16();
            return (status, response.text().await.unwrap());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the witness does not answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_witness_command_cosigns_and_remembers_across_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let log = NoteSigner::from_seed("convene.example/cli", TYPE_ED25519, &[5; 32]).unwrap();
    let port = free_port();
    let (running, witness) = start(data.path(), &log.verifier(), port);
    assert_eq!((witness.name.as_str(), witness.kind), ("observers.example/w1", TYPE_COSIGNATURE));
    let checkpoint = Checkpoint { origin: "convene.example/cli".into(), size: 4, root: [1; 32] };
    let note = checkpoint.sign(&log).unwrap().render();
    let (status, line) = add(port, format!("old 0\n\n{note}")).await;
    assert_eq!(status, 200, "{line}");
    let cosigned = Note::parse(format!("{note}{line}").as_bytes()).unwrap();
    assert_eq!(cosigned.verify(std::slice::from_ref(&witness)).unwrap().len(), 1);
    // The same size with another root (a fork): refused.
    let fork = Checkpoint { root: [2; 32], ..checkpoint.clone() }.sign(&log).unwrap().render();
    assert_eq!(add(port, format!("old 4\n\n{fork}")).await.0, 422);

    // Killed and started again on the same data: the same key, and it remembers size 4.
    drop(running);
    let port = free_port();
    let (_running, again) = start(data.path(), &log.verifier(), port);
    assert_eq!(again, witness);
    let (status, size) = add(port, format!("old 0\n\n{note}")).await;
    assert_eq!((status, size.as_str()), (409, "4\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.path().join("witness.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the witness key is readable by its owner only");
    }
}
