//! Running the server: on its data directory (SQLite) or a PostgreSQL URL, with the supervisor's
//! token kept in a file beside the data. `convene serve` and `convene demo` both start it here.

use anyhow::{Context, Result};
use convene_server::{AppState, Config};
use convene_store::{SqlStore, Store};
use rand_core::{OsRng, RngCore};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

/// The supervisor's token: read from `DATA/admin-token`, or made and saved there (mode 0600).
pub fn admin_token(data: &Path) -> Result<String> {
    secret_file(data, "admin-token", 24)
}

/// The key the server seals its secrets under in the database: `DATA/server-key` (mode 0600),
/// made on first start. Keep it out of database backups, and back it up apart from them.
pub fn sealing_key(data: &Path) -> Result<[u8; 32]> {
    let hex = secret_file(data, "server-key", 32)?;
    convene_crypto::encoding::hex32(&hex)
        .with_context(|| format!("{} is not 64 hexadecimal characters", data.join("server-key").display()))
}

/// `bytes` random bytes in hex kept in `DATA/name`: read, or made and saved there (mode 0600,
/// the directory created 0700).
fn secret_file(data: &Path, name: &str, bytes: usize) -> Result<String> {
    let path = data.join(name);
    if let Ok(token) = std::fs::read_to_string(&path) {
        return Ok(token.trim().to_string());
    }
    if !data.exists() {
        std::fs::create_dir_all(data).with_context(|| format!("cannot create {}", data.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(data, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    let mut random = vec![0u8; bytes];
    OsRng.fill_bytes(&mut random);
    let token = convene_crypto::encoding::to_hex(&random);
    // Written whole under a name of this process's own, then linked into place: a process
    // starting at the same moment on the same directory reads the one that won, never half of it.
    let staging = data.join(format!(".{name}.{}", std::process::id()));
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&staging)
            .with_context(|| format!("cannot write {}", staging.display()))?;
        writeln!(file, "{token}")?;
        file.sync_all()?;
    }
    #[cfg(not(unix))]
    std::fs::write(&staging, format!("{token}\n")).with_context(|| format!("cannot write {}", staging.display()))?;
    let linked = std::fs::hard_link(&staging, &path);
    let _ = std::fs::remove_file(&staging);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Ok(std::fs::read_to_string(&path)?.trim().to_string());
        }
        Err(e) => return Err(e).with_context(|| format!("cannot write {}", path.display())),
    }
    Ok(token)
}

/// Opens the store: PostgreSQL if `database` is given, else SQLite in `data`.
pub async fn open_store(data: &Path, database: Option<&str>) -> Result<Arc<dyn Store>> {
    Ok(match database {
        Some(url) => Arc::new(SqlStore::connect(url).await?),
        None => Arc::new(SqlStore::open_sqlite(data).await?),
    })
}

/// A server started in this process, listening on `addr`.
pub struct Running {
    pub addr: SocketAddr,
    pub admin_token: String,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Starts the service on `addr` (port 0 picks a free one) in this process; `configure` adjusts
/// the defaults of [`Config`].
pub async fn start(
    data: &Path,
    database: Option<&str>,
    addr: &str,
    configure: impl FnOnce(&mut Config),
) -> Result<Running> {
    start_until(data, database, addr, configure, std::future::pending()).await
}

/// [`start`], serving until `shutdown` completes (then gracefully: `convene_server::serve_until`).
pub async fn start_until(
    data: &Path,
    database: Option<&str>,
    addr: &str,
    configure: impl FnOnce(&mut Config),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<Running> {
    let store = open_store(data, database).await?;
    let admin_token = admin_token(data)?;
    let mut config = Config::new(admin_token.clone());
    // Monitoring reads the metrics with a token of its own, not the supervisor's.
    config.metrics_token = Some(secret_file(data, "metrics-token", 24)?);
    config.sealing_key = Some(sealing_key(data)?);
    configure(&mut config);
    let state = AppState::new(store, config);
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(convene_server::serve_until(state, listener, shutdown));
    Ok(Running { addr, admin_token, task })
}
