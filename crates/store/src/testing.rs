//! Test support: a fresh database on the test PostgreSQL server that `.ci/postgres.sh` starts.

/// A connection URL to a fresh, empty PostgreSQL database on the server named by
/// `CONVENE_TEST_POSTGRES`; `None` outside CI when no server is given (in CI, a missing server
/// fails the test rather than skipping it).
pub async fn fresh_postgres() -> Option<String> {
    let Ok(admin) = std::env::var("CONVENE_TEST_POSTGRES") else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must start PostgreSQL and set CONVENE_TEST_POSTGRES (see .ci/postgres.sh)"
        );
        eprintln!("CONVENE_TEST_POSTGRES is not set: the PostgreSQL half of this test did not run");
        return None;
    };
    sqlx::any::install_default_drivers();
    let mut bytes = [0u8; 8];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut bytes);
    let name = format!("convene_test_{}", u64::from_le_bytes(bytes));
    let pool = sqlx::AnyPool::connect(&admin).await.expect("the test PostgreSQL server answers");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.expect("create a test database");
    pool.close().await;
    let (base, _) = admin.rsplit_once('/').expect("a URL with a database name");
    Some(format!("{base}/{name}"))
}

/// A PostgreSQL server of one test's own, made with Debian's `initdb` and `pg_ctl` in a temporary
/// directory and listening on loopback, which the test may stop and start again (drills). Stopped
/// when dropped.
pub struct OwnPostgres {
    bin: std::path::PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl OwnPostgres {
    /// Makes and starts the server; `None` where PostgreSQL is not installed (outside CI; in CI
    /// its absence fails the test).
    pub fn start() -> Option<OwnPostgres> {
        let bin = std::fs::read_dir("/usr/lib/postgresql").ok().and_then(|versions| {
            let mut bins: Vec<_> = versions.filter_map(|v| Some(v.ok()?.path().join("bin"))).collect();
            bins.sort();
            bins.pop()
        });
        let Some(bin) = bin.filter(|b| b.join("initdb").exists()) else {
            assert!(std::env::var("CI").is_err(), "CI must install PostgreSQL (see .ci/postgres.sh)");
            eprintln!("PostgreSQL is not installed: this drill did not run");
            return None;
        };
        let dir = tempfile::tempdir().expect("a temporary directory");
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let server = OwnPostgres { bin, dir, port };
        if server.as_root() {
            std::process::Command::new("chown").arg("postgres").arg(server.dir.path()).status().expect("chown");
        }
        let data = server.dir.path().join("data");
        let initdb = server.command("initdb").arg("-D").arg(&data).args(["-U", "postgres", "--auth=trust"]).output();
        assert!(initdb.is_ok_and(|o| o.status.success()), "initdb works");
        server.pg_ctl("start");
        Some(server)
    }

    /// The URL of its `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server (fast shutdown: connections are cut).
    pub fn stop(&self) {
        self.pg_ctl("stop");
    }

    /// Starts it again, on the same data and port.
    pub fn restart(&self) {
        self.pg_ctl("start");
    }

    fn pg_ctl(&self, action: &str) {
        let dir = self.dir.path();
        let options = format!("-c listen_addresses=127.0.0.1 -p {} -k {}", self.port, dir.display());
        let mut command = self.command("pg_ctl");
        command.arg("-D").arg(dir.join("data")).arg("-l").arg(dir.join("log")).args(["-w", "-m", "fast"]);
        let done = command.args(["-o", &options, action]).output().expect("pg_ctl runs");
        assert!(done.status.success(), "pg_ctl {action}: {}", String::from_utf8_lossy(&done.stderr));
    }

    fn as_root(&self) -> bool {
        std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
    }

    /// A PostgreSQL program, run as the `postgres` user when the tests run as root.
    fn command(&self, program: &str) -> std::process::Command {
        let path = self.bin.join(program);
        if self.as_root() {
            let mut command = std::process::Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            std::process::Command::new(path)
        }
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let dir = self.dir.path();
        let _ = self.command("pg_ctl").arg("-D").arg(dir.join("data")).args(["-m", "immediate", "stop"]).output();
    }
}
