//! The production shape, for the tests that run through it: several `convene serve` processes
//! on one PostgreSQL behind Debian's nginx, which ends TLS with a certificate made here and uses
//! `deploy/nginx-convene.conf` as docs/deploy.md gives it (only its marked lines set for the
//! test). The integration story and the browser's newcomer run through it.

use super::servers::Server;
use super::tiles::{free_port, run_nginx, Nginx};
use convene::client::Client;
use sha2::Digest;
use std::path::{Path, PathBuf};

/// N processes behind nginx over TLS; everything stops when dropped.
pub struct Balanced {
    pub servers: Vec<Server>,
    _nginx: Nginx,
    /// `https://127.0.0.1:PORT`, nginx's address.
    pub url: String,
    /// The test certificate (PEM), and its public key's SHA-256 as Chromium's
    /// `--ignore-certificate-errors-spki-list` takes it (base64).
    pub ca: Vec<u8>,
    pub spki: String,
    pub token: String,
    pub data: PathBuf,
}

impl Balanced {
    /// `processes` servers on a fresh PostgreSQL database behind nginx; None where PostgreSQL
    /// or nginx is not here (in CI, a failure).
    pub async fn start(dir: &Path, processes: usize) -> Option<Balanced> {
        let database = convene_store::testing::fresh_postgres().await?;
        let data = dir.join("data");
        let flags = ["--database", &database, "--trusted-proxy", "127.0.0.1", "--signin-per-minute", "100000"];
        let servers: Vec<Server> = (0..processes).map(|_| Server::start(&data, &flags)).collect();
        let token = std::fs::read_to_string(data.join("admin-token")).unwrap().trim().to_string();
        let tls = dir.join("tls");
        std::fs::create_dir_all(&tls).unwrap();
        let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
        let ca = made.cert.pem().into_bytes();
        std::fs::write(tls.join("cert.pem"), &ca).unwrap();
        std::fs::write(tls.join("key.pem"), made.key_pair.serialize_pem()).unwrap();
        use base64::Engine;
        let spki =
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(made.key_pair.public_key_der()));
        let port = free_port();
        let conf = deployed_config(&servers, port, &tls);
        let nginx = run_nginx(&dir.join("nginx"), &conf, port)?;
        let url = format!("https://127.0.0.1:{port}");
        Some(Balanced { servers, _nginx: nginx, url, ca, spki, token, data })
    }

    /// A client of nginx's address that trusts the test certificate and holds the admin token.
    pub fn client(&self) -> Client {
        Client::with_ca(&self.url, Some(self.token.clone()), &self.ca).unwrap()
    }
}

/// `deploy/nginx-convene.conf` with its marked lines set: the processes' addresses, the port,
/// the certificate's paths. Every marked line must be found, so that the file the guide gives
/// is the file the test runs.
fn deployed_config(servers: &[Server], port: u16, tls: &Path) -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/nginx-convene.conf");
    let text = std::fs::read_to_string(file).unwrap();
    let upstreams: String = servers
        .iter()
        .map(|s| format!("    server {} max_fails=1 fail_timeout=2s;\n", s.url.trim_start_matches("http://")))
        .collect();
    let replacements = [
        (
            "    server 127.0.0.1:8081 max_fails=1 fail_timeout=2s;\n    server 127.0.0.1:8082 max_fails=1 fail_timeout=2s;\n",
            upstreams,
        ),
        ("listen 443 ssl http2;", format!("listen 127.0.0.1:{port} ssl http2;")),
        ("/etc/convene/tls/cert.pem", tls.join("cert.pem").display().to_string()),
        ("/etc/convene/tls/key.pem", tls.join("key.pem").display().to_string()),
    ];
    let mut conf = text;
    for (from, to) in replacements {
        assert!(conf.contains(from), "deploy/nginx-convene.conf no longer has {from:?}");
        conf = conf.replace(from, &to);
    }
    conf
}
