//! Builds the web pages from source (`web/`, TypeScript and HTML) with Node.js and npm, into
//! OUT_DIR, and lists them for `include_bytes!`: the server binary carries its pages, and no
//! prebuilt bundle is ever committed or downloaded. With `CONVENE_NO_WEB` set, nothing is built
//! and the list is empty, so that `cargo check` needs no Node.js.

use std::path::{Path, PathBuf};
use std::process::Command;

fn npm(web: &Path, args: &[&str], out: &Path) {
    let status =
        Command::new("npm").args(args).current_dir(web).env("CONVENE_WEB_OUT", out).status().unwrap_or_else(|e| {
            panic!(
                "the web pages are built from web/ with Node.js and npm, and npm cannot run ({e}); \
                 install Node.js and npm (Debian: apt-get install nodejs npm), or set CONVENE_NO_WEB=1 \
                 to build (or `cargo check`) a server without its pages"
            )
        });
    assert!(status.success(), "`npm {}` in {} failed", args.join(" "), web.display());
}

fn main() {
    let web = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../web");
    for watched in [
        "src",
        "pages",
        "layout",
        "locales",
        "../crates/record/locales",
        "build.mjs",
        "package.json",
        "package-lock.json",
    ] {
        println!("cargo:rerun-if-changed={}", web.join(watched).display());
    }
    println!("cargo:rerun-if-env-changed=CONVENE_NO_WEB");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("web");
    if std::env::var_os("CONVENE_NO_WEB").is_some() {
        // `CONVENE_NO_WEB=1 cargo check`: no Node.js needed, and a server without its pages.
        println!("cargo:warning=CONVENE_NO_WEB is set: this build carries no web pages");
        std::fs::create_dir_all(&out).unwrap();
        let list = "/// The built pages and assets, by path (none: built with CONVENE_NO_WEB).\npub static FILES: &[(&str, &[u8])] = &[];\n";
        std::fs::write(out.join("files.rs"), list).unwrap();
        return;
    }
    if !web.join("node_modules/esbuild").is_dir() {
        npm(&web, &["ci", "--no-audit", "--no-fund"], &out);
    }
    npm(&web, &["run", "build", "--silent"], &out);
    let mut files = Vec::new();
    for dir in [out.clone(), out.join("assets")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let name = path.strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
                files.push(format!("    ({name:?}, include_bytes!({:?})),\n", path.display().to_string()));
            }
        }
    }
    files.sort();
    let list = format!(
        "/// The built pages and assets, by path.\npub static FILES: &[(&str, &[u8])] = &[\n{}];\n",
        files.concat()
    );
    std::fs::write(out.join("files.rs"), list).unwrap();
}
