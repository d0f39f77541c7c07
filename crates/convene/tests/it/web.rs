//! The browser booth's protocol code (web/, TypeScript on @noble/curves) against the golden
//! vectors: the JS and Rust implementations must agree on every one. Runs `npm ci` when the
//! packages are not installed yet, then `npm test` (Node's test runner). Without Node.js the
//! test says it did not run; in CI (`CI` set) that is a failure.

use std::path::PathBuf;
use std::process::Command;

fn web() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web")
}

fn npm(args: &[&str]) -> std::process::Output {
    Command::new("npm").args(args).current_dir(web()).output().expect("npm runs")
}

#[test]
fn the_booth_agrees_with_rust_on_every_golden_vector() {
    if Command::new("npm").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI needs Node.js and npm for the booth's tests");
        eprintln!("the booth's vector tests did not run: install Node.js and npm");
        return;
    }
    if !web().join("node_modules/@noble/curves").is_dir() {
        let install = npm(&["ci", "--no-audit", "--no-fund"]);
        assert!(install.status.success(), "npm ci failed:\n{}", String::from_utf8_lossy(&install.stderr));
    }
    let run = npm(&["test"]);
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "npm test failed:\n{out}\n{}", String::from_utf8_lossy(&run.stderr));
    // The type check ran clean, every test passed, and none was skipped.
    let count = |what: &str| {
        out.lines().find_map(|l| l.strip_prefix(&format!("# {what} "))).and_then(|n| n.trim().parse::<u32>().ok())
    };
    assert!(count("pass") >= Some(9), "{out}");
    assert_eq!((count("fail"), count("skipped"), count("cancelled")), (Some(0), Some(0), Some(0)), "{out}");
}
