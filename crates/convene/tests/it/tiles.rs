//! The log as static tiles (c2sp.org/tlog-tiles), served by a real nginx from Debian's packages:
//! `convene export-tiles` writes the golden version-4 record's tiles, nginx serves the directory
//! as plain files, `convene fetch --tiles` reads them back — checkpoint cosigned by the manifest's
//! witnesses, tiles against the checkpoint, the record's log against the tiles — and the record
//! verifies. A changed entry bundle on the mirror is named. Without nginx (/usr/sbin/nginx) the
//! test says it did not run; in CI (`CI` set) that is a failure.

use std::path::Path;
use std::process::{Command, Stdio};

fn convene(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_convene")).args(args).output().unwrap()
}

/// nginx serving `root` on a free loopback port; killed when dropped.
pub(crate) struct Nginx(std::process::Child, pub(crate) u16);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn nginx(prefix: &Path, root: &Path) -> Option<Nginx> {
    let port = free_port();
    let server = format!(
        "types {{ text/plain checkpoint; application/json json; text/html html; text/javascript js; text/css css; }} default_type application/octet-stream;\n\
         server {{ listen 127.0.0.1:{port}; root {}; add_header Access-Control-Allow-Origin * always; \
         location ~ /checkpoint$ {{ default_type \"text/plain; charset=utf-8\"; }} }}\n",
        root.display(),
    );
    run_nginx(prefix, &server, port)
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Debian's nginx with `http` (the inside of its http block) and its files under `prefix`,
/// once it listens on `port`; None (after saying so) where nginx is not installed, which in CI
/// is a failure.
pub(crate) fn run_nginx(prefix: &Path, http: &str, port: u16) -> Option<Nginx> {
    let binary = Path::new("/usr/sbin/nginx");
    if !binary.exists() {
        assert!(std::env::var_os("CI").is_none(), "CI needs nginx (Debian's package) for this test");
        eprintln!("this test did not run: install nginx");
        return None;
    }
    let p = prefix.display();
    let conf = format!(
        "daemon off; pid {p}/nginx.pid; error_log {p}/error.log; {user}\n\
         events {{ worker_connections 256; }}\n\
         http {{ access_log off; client_body_temp_path {p}/body; proxy_temp_path {p}/proxy; \
         fastcgi_temp_path {p}/fastcgi; uwsgi_temp_path {p}/uwsgi; scgi_temp_path {p}/scgi;\n{http}}}\n",
        user = if is_root() { "user root;" } else { "" },
    );
    std::fs::create_dir_all(prefix).unwrap();
    std::fs::write(prefix.join("nginx.conf"), conf).unwrap();
    let server = Nginx(
        Command::new(binary)
            .args(["-p", &p.to_string(), "-c", &format!("{p}/nginx.conf")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
        port,
    );
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(server);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("nginx did not start: {}", std::fs::read_to_string(prefix.join("error.log")).unwrap_or_default());
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

#[test]
fn exported_tiles_served_by_nginx_fetch_check_and_verify() {
    let work = tempfile::tempdir().unwrap();
    let record = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/record-v4");
    let out = work.path().join("tiles");
    let export = convene(&["export-tiles", record.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    for file in ["checkpoint", "tile/0/000.p/11", "tile/entries/000.p/11", "record/manifest.json"] {
        assert!(out.join(file).is_file(), "{file} was not written");
    }
    let Some(server) = nginx(work.path(), &out) else { return };
    let url = format!("http://127.0.0.1:{}", server.1);
    let fetched = work.path().join("fetched");
    let fetch = convene(&["fetch", "--tiles", &url, "--out", fetched.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&fetch.stdout);
    assert!(fetch.status.success(), "{said}{}", String::from_utf8_lossy(&fetch.stderr));
    assert!(said.contains("11 entries") && said.contains("cosigned by 3 witnesses"), "{said}");
    let verify = convene(&["verify", fetched.to_str().unwrap()]);
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
    // A mirror that changes one entry of a bundle is caught.
    let bundle = out.join("tile/entries/000.p/11");
    let mut bytes = std::fs::read(&bundle).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&bundle, bytes).unwrap();
    let again = convene(&["fetch", "--tiles", &url, "--out", work.path().join("again").to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("level-0 tile 0 does not hash the entries"), "{again:?}");
}
