//! Running elections: `demo`, `serve`, `vote`, `loadtest`.

use super::*;
use convene::settings::ServeSettings;

/// `convene demo`.
pub(super) async fn run_demo(args: DemoArgs) -> Result<ExitCode> {
    let DemoArgs { voters, registered, out, structure_question, seed, database, offline, data: keep, conference } =
        args;
    if let Some(dir) = &keep {
        if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
            anyhow::bail!("{} exists and is not empty; give a new directory with --data", dir.display());
        }
    }
    if conference {
        return run_conference_demo(&out, database.as_deref(), keep.as_deref(), seed).await;
    }
    let mut config = DemoConfig::new(voters, out.clone());
    config.structure_question = structure_question;
    config.registered = registered.unwrap_or(0);
    config.seed = seed;
    config.participant_keys = keep.as_ref().map(|dir| dir.join("convention-keys"));
    config.open_milestone = keep.is_some();
    let bar = Bar(Mutex::new(None));
    let progress = |stage: &str, done: u64, total: u64| bar.at(stage, done, total);
    let outcome = if offline {
        demo::run_offline(&config, &progress)?
    } else {
        let temporary = tempfile_dir()?;
        let data = keep.clone().unwrap_or_else(|| temporary.path().to_path_buf());
        async {
            // Every simulated voter signs in from this one address: no per-address limit.
            let server =
                convene::local::start(&data, database.as_deref(), "127.0.0.1:0", |c| c.signin_per_minute = u32::MAX)
                    .await?;
            let client = Client::new(&server.url(), Some(server.admin_token.clone()));
            demo::run_http(&client, &config, &progress).await
        }
        .await?
    };
    bar.done();
    if !outcome.convention.is_empty() {
        println!("The convention (its record is in {}):", out.join(convene::demo::CONVENTION_DIR).display());
        for step in &outcome.convention {
            println!("  {step}");
        }
        println!();
    }
    println!("Wrote the record of {} log entries to {}", outcome.entries, out.display());
    println!(
        "Trustee {} dealt a bad share, was named in a public complaint, and was excluded; trustees 1-3 decrypted.",
        outcome.excluded_trustee
    );
    println!(
        "{} ballots were superseded by re-votes. One ballot was challenged and spoiled: tracking code {}.",
        outcome.superseded, outcome.challenged_tracking_code
    );
    println!();
    print!("{}", report::results_table(&outcome.manifest, &outcome.results));
    if let Some(dir) = &keep {
        println!();
        println!(
            "The server's data is in {}: `convene serve --data {}` serves the finished convention, the counted \
             referendum and the milestone's open referendum, whose booth offers demonstration voters (open the \
             address it prints). The convention's participants' keys are in {}: paste one \
             (chair.key, secretary.key, delegate-NN.key) into the assembly page to sign in as them.",
            dir.display(),
            dir.display(),
            dir.join("convention-keys").display()
        );
    }
    println!("\nCheck it yourself: convene verify {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// `convene demo --conference`: the conference over HTTP on a local server, its record fetched
/// into `out` and verified.
async fn run_conference_demo(
    out: &std::path::Path,
    database: Option<&str>,
    keep: Option<&std::path::Path>,
    seed: Option<u64>,
) -> Result<ExitCode> {
    use rand_core::SeedableRng;
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        anyhow::bail!("{} exists and is not empty; give a new directory with --out, or remove that one", out.display());
    }
    let temporary = tempfile_dir()?;
    let data = keep.map(std::path::Path::to_path_buf).unwrap_or_else(|| temporary.path().to_path_buf());
    let server = convene::local::start(&data, database, "127.0.0.1:0", |_| {}).await?;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let witnesses =
        std::sync::Arc::new(convene::witnesses::LocalWitnesses::start(&data.join("demo-witnesses"), &[0, 0, 0]).await?);
    let plan = convene::assembly::ConferencePlan {
        observers: Some(witnesses),
        ..convene::assembly::ConferencePlan::example("conference-demo")
    };
    let mut rng = match seed {
        Some(seed) => rand_chacha::ChaCha20Rng::seed_from_u64(seed),
        None => rand_chacha::ChaCha20Rng::from_entropy(),
    };
    println!("{}, {} states:", plan.title, plan.states.len());
    let outcome = convene::assembly::run_conference(&client, &plan, &mut rng, &|step| println!("  {step}")).await?;
    client.fetch_convention(&plan.id, out).await?;
    std::fs::write(out.join("communique.md"), &outcome.communique)?;
    let (report, _) = convene_record::verify::verify_convention(out, &convene_record::verify::Quiet);
    println!("\nWrote the conference's record to {} (and its communiqué, communique.md).", out.display());
    if !report.ok() {
        print!("{}", report::verification_report(&report));
        return Ok(ExitCode::from(1));
    }
    println!("It verifies: every event signed by its member and replayed, the communiqué rebuilt.");
    println!("\nCheck it yourself: convene verify {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// `convene serve`.
pub(super) async fn run_serve(args: ServeArgs) -> Result<ExitCode> {
    let settings = resolve(&args)?;
    serve(settings, args.demo).await
}

/// The settings `args` give (flags and `CONVENE_*` variables), over their `--config` file's,
/// over the defaults.
fn resolve(args: &ServeArgs) -> Result<ServeSettings> {
    let file = match &args.config {
        Some(path) => ServeSettings::read(path)?,
        None => ServeSettings::default(),
    };
    let given = ServeSettings {
        data: args.data.clone(),
        database: args.database.clone(),
        addr: args.addr.clone(),
        signin_per_minute: args.signin_per_minute,
        signin_per_election_per_second: args.signin_per_election_per_second,
        trusted_proxies: args.trusted_proxies.clone(),
        max_connections: args.max_connections,
        header_timeout_seconds: args.header_timeout_seconds,
        shutdown_grace_seconds: args.shutdown_grace_seconds,
        max_credentials_mib: args.max_credentials_mib,
        log: args.log.clone(),
    };
    Ok(given.over(file).over(ServeSettings::defaults()))
}

/// `convene backup`.
pub(super) async fn run_backup(args: BackupArgs) -> Result<ExitCode> {
    let bytes = convene_store::backup_sqlite(&args.data, &args.out).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "Backed up {} into {} ({bytes} bytes). Keep {} apart from it: the copy's keys open only with that file.",
        args.data.join("convene.sqlite3").display(),
        args.out.display(),
        args.data.join("server-key").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `convene vote`.
pub(super) async fn run_vote(args: VoteArgs) -> Result<ExitCode> {
    let VoteArgs { server, election, credential, code, answers, challenge, receipt } = args;
    vote(server, election, credential, code, answers, challenge, receipt).await
}

/// `convene loadtest`.
pub(super) async fn run_loadtest(args: LoadtestArgs) -> Result<ExitCode> {
    let LoadtestArgs {
        server,
        admin_token_file,
        voters,
        registered,
        concurrency,
        rate,
        timeout,
        witnesses,
        witness_quorum,
        record,
    } = args;
    let token = std::fs::read_to_string(&admin_token_file)
        .with_context(|| format!("cannot read {}", admin_token_file.display()))?;
    let client = Client::new(&server, Some(token.trim().to_string()));
    let options = convene::loadtest::LoadOptions {
        voters,
        registered: registered.unwrap_or(voters),
        concurrency,
        rate,
        timeout: std::time::Duration::from_secs(timeout),
        witnesses,
        witness_quorum,
        record: record.clone(),
    };
    let bar = Bar(Mutex::new(None));
    let progress = |stage: &str, done: u64, total: u64| bar.at(stage, done, total);
    let report = convene::loadtest::run(&client, &options, &progress).await?;
    bar.done();
    println!(
        "accepted {} ballots ({} failed) in {:.2} s: {:.0} ballots/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        report.accepted,
        report.failed,
        report.seconds,
        report.per_second(),
        report.p50_ms,
        report.p99_ms,
        report.max_ms
    );
    if let (Some((counted, fetched)), Some(dir)) = (report.counted, &record) {
        println!(
            "counted in {counted:.1} s (closed, decrypted by the trustees, published); record fetched into {} in {fetched:.1} s",
            dir.display()
        );
    }
    Ok(if report.failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

pub(super) fn tempfile_dir() -> Result<tempfile::TempDir> {
    tempfile::tempdir().context("cannot make a temporary directory for the demo's server")
}

pub(super) async fn serve(settings: ServeSettings, demo: bool) -> Result<ExitCode> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    // Logs go to standard error; standard output says where the server listens, and its settings.
    if settings.log.as_deref() == Some("json") {
        tracing_subscriber::fmt().json().with_writer(std::io::stderr).with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter(filter).init();
    }
    let (data, database) = (settings.data(), settings.database.clone());
    let server = convene::local::start_until(
        &data,
        database.as_deref(),
        &settings.addr(),
        |c| settings.apply(c),
        super::stop_requested(),
    )
    .await?;
    let backend = if database.is_some() { "PostgreSQL" } else { "SQLite" };
    println!("Convene is serving on {} ({backend}; data in {}).", server.url(), data.display());
    println!(
        "The supervisor's token is in {}; the metrics token in {}.",
        data.join("admin-token").display(),
        data.join("metrics-token").display()
    );
    println!("Settings:\n{}", settings.describe().trim_end());
    let mut _witnesses = None;
    if demo {
        let client = Client::new(&server.url(), Some(server.admin_token.clone()));
        let (sheets, witnesses) = convene::demo::seed_open_demo(&client, &server.url(), &data).await?;
        println!("{sheets}");
        _witnesses = Some(witnesses);
    }
    server.task.await??;
    println!("Convene has stopped.");
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn vote(
    server: String,
    election: String,
    credential: String,
    code: String,
    answers: Vec<String>,
    challenge: bool,
    receipt_path: Option<PathBuf>,
) -> Result<ExitCode> {
    let client = Client::new(&server, None);
    let public = convene::referendum::PublicElection::fetch(&client, &election).await?;
    // A delegate's key file (from `convene assembly keygen`) serves as the credential of a secret vote.
    let credential = match std::fs::read_to_string(&credential) {
        Ok(text) if std::path::Path::new(&credential).is_file() => text,
        _ => credential,
    };
    let credential = convene::registrar::credential_from_text(&public.manifest, &credential)
        .map_err(|e| anyhow::anyhow!("--credential: {e}"))?;
    let region =
        public.region_of(credential.public()).context("this credential is not on the election's published list")?;
    let choices = convene::referendum::parse_answers(&public.manifest, &answers)?;
    let receipt =
        convene::referendum::cast_as(&client, &election, &public, &credential, &region, &code, &choices, challenge)
            .await?;
    if challenge {
        println!(
            "Challenged: the ballot was revealed and spoiled (never counted). Tracking code {}.",
            receipt.tracking_code
        );
        println!("Check the reveal in the public log (entry {}), then vote again with your next code.", receipt.index);
    } else {
        println!(
            "Cast. Tracking code {} (log entry {}), included under a checkpoint of {} entries signed by the log.",
            receipt.tracking_code, receipt.index, receipt.checkpoint.size
        );
    }
    if challenge {
        return Ok(ExitCode::SUCCESS);
    }
    let path = receipt_path.unwrap_or_else(|| PathBuf::from(format!("receipt-{election}-{}.json", receipt.index)));
    std::fs::write(&path, serde_json::to_vec_pretty(&receipt)?)
        .with_context(|| format!("cannot keep the receipt in {}", path.display()))?;
    println!(
        "Your receipt is in {}. Keep it: `convene receipt RECORD {}` checks it against the published record.",
        path.display(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
