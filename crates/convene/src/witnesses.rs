//! Witnesses on this machine: a witness's key file (made on first use, as `convene witness`
//! makes it), and [`LocalWitnesses`], real `convene-witness` witnesses run inside this process on
//! loopback — the demonstration's observers. Each has its own key and SQLite file and is served
//! over HTTP exactly as `convene witness` serves one; the demonstration plays the observers who
//! add each new log's key (`docs/convention.md` §2.3).

use anyhow::{Context, Result};
use convene_note::{NoteSigner, Verifier, TYPE_COSIGNATURE};
use convene_record::format::WitnessJson;
use convene_witness::Witness;
use std::path::Path;
use std::sync::Arc;

/// The cosigning key of the witness whose data directory is `data` (`data/witness.key`, 64 hex
/// digits readable by its owner only; made on first use), under the name `name`.
pub fn witness_signer(data: &Path, name: &str) -> Result<NoteSigner> {
    std::fs::create_dir_all(data).with_context(|| format!("cannot create {}", data.display()))?;
    let key_path = data.join("witness.key");
    if !key_path.exists() {
        let mut seed = [0u8; 32];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut seed);
        crate::trustee::write_secret(&key_path, format!("{}\n", convene_crypto::encoding::to_hex(&seed)).as_bytes())?;
    }
    let text = std::fs::read_to_string(&key_path).with_context(|| format!("cannot read {}", key_path.display()))?;
    let seed = convene_record::format::hash("witness.key", text.trim())
        .map_err(|e| anyhow::anyhow!("{} is not a witness key: {e}", key_path.display()))?;
    NoteSigner::from_seed(name, TYPE_COSIGNATURE, &seed).map_err(|e| anyhow::anyhow!("the name {name:?}: {e}"))
}

/// How many of the demonstration's three witnesses must cosign each checkpoint.
pub const LOCAL_QUORUM: u32 = 2;

/// Witnesses served by this process on loopback; dropping this stops them.
pub struct LocalWitnesses {
    running: Vec<(Arc<Witness>, WitnessJson)>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for LocalWitnesses {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.running.iter().map(|(_, named)| &named.url)).finish()
    }
}

impl LocalWitnesses {
    /// Starts one witness per entry of `ports` (0: any free port), the k-th (from 1) in
    /// `dir/wk` with the key it made there on first start, named `observers.localhost/wk`.
    pub async fn start(dir: &Path, ports: &[u16]) -> Result<LocalWitnesses> {
        let mut witnesses = LocalWitnesses { running: Vec::new(), tasks: Vec::new() };
        for (k, port) in ports.iter().enumerate() {
            let data = dir.join(format!("w{}", k + 1));
            let signer = witness_signer(&data, &format!("observers.localhost/w{}", k + 1))?;
            let witness = Witness::open(&data.join("witness.sqlite3"), signer, Vec::new())
                .await
                .map_err(|e| anyhow::anyhow!("witness {}: {e}", k + 1))?;
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", *port))
                .await
                .with_context(|| format!("witness {} cannot listen on 127.0.0.1:{port}", k + 1))?;
            let named = WitnessJson {
                key: witness.verifier().to_vkey(),
                url: format!("http://127.0.0.1:{}", listener.local_addr()?.port()),
            };
            let witness = Arc::new(witness);
            let served = witness.clone();
            witnesses.tasks.push(tokio::spawn(async move {
                let _ = convene_witness::serve(listener, served, std::future::pending()).await;
            }));
            witnesses.running.push((witness, named));
        }
        Ok(witnesses)
    }

    /// Starts again the witnesses a manifest or charter names at these loopback addresses, from
    /// their directories under `dir` (their keys and what they cosigned survive a restart).
    pub async fn restart(dir: &Path, named: &[WitnessJson]) -> Result<LocalWitnesses> {
        let ports = named
            .iter()
            .map(|w| {
                w.url
                    .strip_prefix("http://127.0.0.1:")
                    .and_then(|port| port.parse().ok())
                    .with_context(|| format!("{} is not a witness run by this process", w.url))
            })
            .collect::<Result<Vec<u16>>>()?;
        let witnesses = LocalWitnesses::start(dir, &ports).await?;
        if witnesses.named() != named {
            anyhow::bail!("the witnesses in {} are not the ones named", dir.display());
        }
        Ok(witnesses)
    }

    /// Their entries for a manifest or a charter.
    pub fn named(&self) -> Vec<WitnessJson> {
        self.running.iter().map(|(_, named)| named.clone()).collect()
    }

    /// Every witness adds the log whose verifier key is `log_key` to those it witnesses.
    pub async fn follow(&self, log_key: &str) -> Result<()> {
        let log = Verifier::parse(log_key).map_err(|e| anyhow::anyhow!("the log key {log_key:?}: {e}"))?;
        for (witness, _) in &self.running {
            witness.add_log(&log).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        Ok(())
    }
}

impl Drop for LocalWitnesses {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
