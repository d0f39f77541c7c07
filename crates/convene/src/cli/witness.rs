//! An independent witness: `convene witness`.

use super::*;

/// `convene witness`.
pub(super) async fn run_witness(args: WitnessArgs) -> Result<ExitCode> {
    let WitnessArgs { data, name, logs, addr, key_only, add_logs } = args;
    witness(data, name, logs, addr, key_only, add_logs).await
}

/// `convene witness`: the key (made on first start), the logs, the store, the HTTP interface.
pub(super) async fn witness(
    data: PathBuf,
    name: String,
    logs: Vec<String>,
    addr: String,
    key_only: bool,
    add_logs: bool,
) -> Result<ExitCode> {
    let logs = logs
        .iter()
        .map(|vkey| {
            convene_note::Verifier::parse(vkey)
                .with_context(|| format!("--log {vkey:?} (give the log's verifier key ORIGIN+ID+KEY)"))
        })
        .collect::<Result<Vec<_>>>()?;
    let signer = convene::witnesses::witness_signer(&data, &name).context("--name")?;
    if key_only {
        println!("{}", signer.verifier().to_vkey());
        return Ok(ExitCode::SUCCESS);
    }
    let witness = convene_witness::Witness::open(&data.join("witness.sqlite3"), signer, logs)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let witnessed = witness.logs().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    if add_logs {
        println!("This witness witnesses {} logs:", witnessed.len());
        for log in &witnessed {
            println!("  {}", log.to_vkey());
        }
        return Ok(ExitCode::SUCCESS);
    }
    if witnessed.is_empty() {
        anyhow::bail!(
            "this witness witnesses no log yet: give one with --log ORIGIN+ID+KEY (an election's manifest's log_key)"
        );
    }
    println!("{}", witness.verifier().to_vkey());
    let listener = tokio::net::TcpListener::bind(&addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    eprintln!("Witnessing on http://{addr}/add-checkpoint; its verifier key is above.");
    convene_witness::serve(listener, std::sync::Arc::new(witness), super::stop_requested()).await?;
    Ok(ExitCode::SUCCESS)
}
