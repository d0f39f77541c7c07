//! The systemd units of `deploy/` (docs/deploy.md §3 and §5), tested without a service manager:
//! systemd's own checker (`systemd-analyze verify`) accepts each with no warning, and each
//! unit's `ExecStart` command — the server's as the guide edits it for `convene@PORT`, reading
//! `deploy/serve.toml` — starts a process that answers, then stops on the unit's `KillSignal`
//! with exit 0 within its `TimeoutStopSec`.

use super::tiles::free_port;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SERVER_UNIT: &str = include_str!("../../../../deploy/convene.service");
const WITNESS_UNIT: &str = include_str!("../../../../deploy/convene-witness.service");
const SETTINGS: &str = include_str!("../../../../deploy/serve.toml");
const INSTALLED: &str = "/usr/local/bin/convene";

/// The value of `key=` in `unit` (its only line with that key), if it sets it.
fn maybe<'a>(unit: &'a str, key: &str) -> Option<&'a str> {
    let mut values = unit.lines().filter_map(|l| l.strip_prefix(key).and_then(|l| l.strip_prefix('=')));
    let value = values.next();
    assert!(values.next().is_none(), "the unit sets {key} once");
    value.map(str::trim)
}

/// The value of `key=` in `unit`, which must set it.
fn setting<'a>(unit: &'a str, key: &str) -> &'a str {
    maybe(unit, key).unwrap_or_else(|| panic!("the unit sets {key}"))
}

/// `unit` with the installed binary replaced by the one under test.
fn local(unit: &str) -> String {
    unit.replace(INSTALLED, env!("CARGO_BIN_EXE_convene"))
}

/// `systemd-analyze verify` on `units` (file name, text), written to `dir`: its output, which
/// must be empty (a warning is a unit systemd reads otherwise than we meant).
fn systemd_accepts(dir: &Path, units: &[(&str, String)]) {
    let Ok(which) = Command::new("systemd-analyze").arg("--version").output() else {
        assert!(std::env::var("CI").is_err(), "CI installs systemd-analyze (.ci/run)");
        eprintln!("systemd-analyze is not installed: the units' syntax was not checked");
        return;
    };
    assert!(which.status.success());
    let paths: Vec<_> = units
        .iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    let out = Command::new("systemd-analyze").arg("verify").args(&paths).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && said.trim().is_empty(), "systemd-analyze verify: {said}");
}

/// Splits an `ExecStart` command line at spaces (ours quote nothing).
fn words(command: &str) -> Vec<String> {
    assert!(!command.contains(['"', '\'']), "{command}");
    command.split_whitespace().map(str::to_string).collect()
}

/// Sends the unit's `KillSignal` and waits: the exit must be 0 within `TimeoutStopSec`.
fn stop_as_systemd_would(child: &mut std::process::Child, unit: &str, what: &str) -> Duration {
    let signal = setting(unit, "KillSignal").strip_prefix("SIG").expect("a signal name");
    // systemd's default stop timeout is 90 s.
    let timeout = Duration::from_secs(maybe(unit, "TimeoutStopSec").map_or(90, |t| t.parse().unwrap()));
    let asked = Instant::now();
    assert!(Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status().unwrap().success());
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{what} exited {status} on SIG{signal}");
            return asked.elapsed();
        }
        assert!(asked.elapsed() < timeout, "{what} still runs {timeout:?} after SIG{signal}: systemd would kill it");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_systemd_units_pass_systemd_s_checker_and_their_commands_serve_and_stop_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    // The server, as docs/deploy.md §3 installs it: the template convene@.service, its
    // ExecStart given `--addr 127.0.0.1:%i`, reading serve.toml (here with this test's data
    // directory, database and port in place of the guide's).
    let exec = setting(SERVER_UNIT, "ExecStart");
    assert_eq!(exec, format!("{INSTALLED} serve --config /etc/convene/serve.toml"));
    let template = SERVER_UNIT.replace(exec, &format!("{exec} --addr 127.0.0.1:%i"));
    systemd_accepts(
        dir.path(),
        &[("convene@.service", local(&template)), ("convene-witness.service", local(WITNESS_UNIT))],
    );
    let data = dir.path().join("data");
    let mut settings = SETTINGS.replace("/var/lib/convene", data.to_str().unwrap());
    assert!(settings.contains("addr = \"127.0.0.1:8081\""), "{settings}");
    match convene_store::testing::fresh_postgres().await {
        Some(database) => settings = settings.replace("postgres://convene@127.0.0.1/convene", &database),
        // Without a test PostgreSQL (outside CI), the embedded default.
        None => settings = settings.lines().filter(|l| !l.starts_with("database")).map(|l| format!("{l}\n")).collect(),
    }
    let config = dir.path().join("serve.toml");
    std::fs::write(&config, &settings).unwrap();
    let instance =
        local(&template).replace("%i", &port.to_string()).replace("/etc/convene/serve.toml", config.to_str().unwrap());
    let command = words(setting(&instance, "ExecStart"));
    let mut server = Command::new(&command[0])
        .args(&command[1..])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the unit's command runs");
    let mut lines = BufReader::new(server.stdout.take().unwrap());
    let mut first = String::new();
    lines.read_line(&mut first).unwrap();
    // Keep reading, as the journal would: the server writes to its output until it exits.
    std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
    let url = format!("http://127.0.0.1:{port}");
    assert!(first.contains(&url), "the flag after the settings file wins: {first:?}");
    for probe in ["/healthz", "/readyz"] {
        let answer = reqwest::get(format!("{url}{probe}")).await.unwrap();
        assert_eq!(answer.status(), 200, "{probe}");
    }
    let took = stop_as_systemd_would(&mut server, SERVER_UNIT, "convene serve");
    eprintln!("convene serve stopped {took:?} after its KillSignal");
    // What the unit's state directory must be, the server made it: 0700, its keys 0600.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&data).unwrap().permissions().mode() & 0o777, 0o700);
    assert_eq!(std::fs::metadata(data.join("server-key")).unwrap().permissions().mode() & 0o777, 0o600);

    // The witness, as §5 runs it: its key first, then the log it witnesses, then the unit's
    // command on the state those left.
    let witness_data = dir.path().join("witness");
    let unit = local(WITNESS_UNIT).replace("/var/lib/convene-witness", witness_data.to_str().unwrap());
    let command = words(setting(&unit, "ExecStart"));
    let name = &command[command.iter().position(|w| w == "--name").unwrap() + 1];
    let convene = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_convene")).args(args).output().unwrap();
    let key = convene(&["witness", "--data", witness_data.to_str().unwrap(), "--name", name, "--key-only"]);
    assert!(key.status.success(), "{}", String::from_utf8_lossy(&key.stderr));
    let signer =
        convene_note::NoteSigner::generate("convene/deploy-test", convene_note::TYPE_ED25519, &mut rand_core::OsRng);
    let log = signer.unwrap().verifier().to_vkey();
    let added =
        convene(&["witness", "--data", witness_data.to_str().unwrap(), "--name", name, "--log", &log, "--add-logs"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let witness_port = free_port();
    let command: Vec<String> = command
        .iter()
        .map(|w| if w == "127.0.0.1:9090" { format!("127.0.0.1:{witness_port}") } else { w.clone() })
        .collect();
    let mut witness = Command::new(&command[0])
        .args(&command[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the witness unit's command runs");
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", witness_port)).await.is_err() {
        assert!(witness.try_wait().unwrap().is_none(), "the witness unit's command exited");
        assert!(started.elapsed() < Duration::from_secs(20), "the witness does not listen");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop_as_systemd_would(&mut witness, WITNESS_UNIT, "convene witness");
}
