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

/// The web build is reproducible: built twice into two directories, every file is byte for byte
/// the same, every page loads its script and stylesheet with Subresource Integrity, and
/// `assets.json` lists the SHA-256 of every file.
#[test]
fn the_web_build_is_reproducible_and_pins_its_assets() {
    if Command::new("npm").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI needs Node.js and npm for the web build");
        eprintln!("the web build test did not run: install Node.js and npm");
        return;
    }
    let first = convene::booth::build_from_source(&web()).unwrap();
    let second = convene::booth::build_from_source(&web()).unwrap();
    assert_eq!(first, second, "two builds of the same source differ");
    assert!(first.contains_key("vote.html") && first.contains_key("assets/booth.js"), "{first:?}");
    let out = tempfile::tempdir().unwrap();
    let build = Command::new("npm")
        .args(["run", "build", "--silent"])
        .current_dir(web())
        .env("CONVENE_WEB_OUT", out.path())
        .output()
        .unwrap();
    assert!(build.status.success());
    let listed: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&std::fs::read(out.path().join("assets.json")).unwrap()).unwrap();
    let mut without_list = first.clone();
    without_list.remove("assets.json");
    assert_eq!(listed, without_list, "assets.json lists every file with its SHA-256");
    for page in ["vote.html", "check.html", "receipt.html", "index.html", "results.html", "assembly.html"] {
        let html = std::fs::read_to_string(out.path().join(page)).unwrap();
        assert_eq!(html.matches(" integrity=\"sha256-").count(), 2, "{page}: the script and the stylesheet");
    }
}
