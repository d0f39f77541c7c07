//! Builds the web pages from source (`web/`, TypeScript and HTML) with Node.js and npm, into
//! OUT_DIR, and lists them for `include_bytes!`: the server binary carries its pages, and no
//! prebuilt bundle is ever committed or downloaded.

use std::path::{Path, PathBuf};
use std::process::Command;

fn npm(web: &Path, args: &[&str], out: &Path) {
    let status =
        Command::new("npm").args(args).current_dir(web).env("CONVENE_WEB_OUT", out).status().unwrap_or_else(|e| {
            panic!(
                "the web pages are built from web/ with Node.js and npm, and npm cannot run ({e}); \
                 install Node.js and npm (Debian: apt-get install nodejs npm)"
            )
        });
    assert!(status.success(), "`npm {}` in {} failed", args.join(" "), web.display());
}

fn main() {
    let web = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../web");
    for watched in ["src", "pages", "layout", "build.mjs", "package.json", "package-lock.json"] {
        println!("cargo:rerun-if-changed={}", web.join(watched).display());
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("web");
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
