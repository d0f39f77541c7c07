//! Reading records: `verify`, `fetch`, `receipt`, `export-tiles`, `check-booth`, `export-booth`.

use super::*;

/// `convene verify`.
pub(super) async fn run_verify(args: VerifyArgs) -> Result<ExitCode> {
    let VerifyArgs { dir, json } = args;
    if !dir.is_dir() {
        anyhow::bail!("{} is not a directory; give the directory that `convene demo --out` wrote", dir.display());
    }
    convene_record::electorate::sort_in_memory().map_err(|e| anyhow::anyhow!(e))?;
    let bar = Bar(Mutex::new(None));
    let verified = convene_record::directory::verify_directory(&dir, &bar);
    bar.done();
    let Some(verified) = verified else {
        anyhow::bail!("{} holds neither manifest.json (a referendum) nor charter.json (a convention)", dir.display());
    };
    let ok = verified.ok();
    let (convention, referendum) = (verified.convention, verified.referendum);
    if json {
        let mut records = Vec::new();
        if let Some((report, _)) = &convention {
            records.push(report::verification_json("convention", report));
        }
        if let Some(report) = &referendum {
            records.push(report::verification_json("referendum", report));
        }
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({"verified": ok, "records": records}))?);
    } else {
        if let Some((report, state)) = &convention {
            print!("{}", report::convention_report(report, state.as_ref()));
        }
        if let Some(report) = &referendum {
            if convention.is_some() {
                println!();
            }
            print!("{}", report::verification_report(report));
        }
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `convene fetch`.
pub(super) async fn run_fetch(args: FetchArgs) -> Result<ExitCode> {
    let FetchArgs { server, election, tiles, out } = args;
    if let Some(url) = tiles {
        let fetched = convene::tiles::fetch_tiles(&url, &out).await?;
        println!(
            "Fetched the record from the tiles at {url} into {}: {} entries, the tiles' tree is the checkpoint's (cosigned by {} witnesses) and the record's log is that tree. Check it: convene verify {}",
            out.display(),
            fetched.size,
            fetched.cosigned,
            out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let (server, election) = (server.unwrap_or_default(), election.unwrap_or_default());
    Client::new(&server, None).fetch_record(&election, &out).await?;
    println!("Fetched the record of {election} into {}. Check it: convene verify {}", out.display(), out.display());
    Ok(ExitCode::SUCCESS)
}

/// `convene receipt`.
pub(super) async fn run_receipt(args: ReceiptArgs) -> Result<ExitCode> {
    let ReceiptArgs { dir, receipt, ask_witnesses } = args;
    check_receipt(dir, receipt, ask_witnesses).await
}

/// `convene export-tiles`.
pub(super) async fn run_export_tiles(args: ExportTilesArgs) -> Result<ExitCode> {
    let ExportTilesArgs { record, out } = args;
    let written = convene::tiles::export(&record, &out)?;
    println!("Wrote {written} files into {}: serve that directory as it is.", out.display());
    Ok(ExitCode::SUCCESS)
}

/// `convene check-booth`.
pub(super) async fn run_check_booth(args: CheckBoothArgs) -> Result<ExitCode> {
    let CheckBoothArgs { url, election, web, no_source } = args;
    let source = if no_source {
        None
    } else {
        if !web.join("build.mjs").is_file() {
            anyhow::bail!(
                "{} is not Convene's web source (no build.mjs); give --web DIR, or --no-source",
                web.display()
            );
        }
        eprintln!("Building the booth from {} …", web.display());
        Some(convene::booth::build_from_source(&web)?)
    };
    let files = convene::booth::check_booth(&Client::new(&url, None), &election, source.as_ref()).await?;
    let short = |h: &str| h.chars().take(16).collect::<String>();
    let mut differ = 0;
    for f in &files {
        if f.holds() {
            println!("{}: served = manifest{}", f.file, if f.source.is_some() { " = source" } else { "" });
            continue;
        }
        differ += 1;
        let served = match &f.served {
            Ok(h) if *h == f.manifest => "as the manifest".to_string(),
            Ok(h) => format!("{}…", short(h)),
            Err(e) => format!("not fetched ({e})"),
        };
        let source = match &f.source {
            Some(h) if *h == f.manifest => ", source as the manifest".to_string(),
            Some(h) => format!(", source {}…", short(h)),
            None => String::new(),
        };
        println!("{}: DIFFERS — manifest {}…, served {served}{source}", f.file, short(&f.manifest));
    }
    if differ == 0 {
        println!("The booth of {election} at {url} is the one its manifest names ({} files).", files.len());
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{differ} of the booth's {} files differ: do not vote with this booth; report it.", files.len());
        Ok(ExitCode::from(1))
    }
}

/// `convene export-booth`.
pub(super) async fn run_export_booth(args: ExportBoothArgs) -> Result<ExitCode> {
    let ExportBoothArgs { server, out } = args;
    if convene_record::format::plain_origin(&server).as_deref() != Some(server.trim_end_matches('/')) {
        anyhow::bail!("--server {server:?} is not an address such as https://vote.example (no path)");
    }
    if out.exists() && std::fs::read_dir(&out)?.next().is_some() {
        anyhow::bail!("{} exists and is not empty; give a new directory", out.display());
    }
    for (name, bytes) in convene_server::built_files() {
        let path = out.join(name);
        std::fs::create_dir_all(path.parent().expect("a file under OUT"))?;
        convene_record::writer::write_atomic(&path, bytes)?;
    }
    let config = serde_json::json!({"server": server.trim_end_matches('/')});
    convene_record::writer::write_atomic(&out.join("server.json"), serde_json::to_string(&config)?.as_bytes())?;
    println!(
        "Wrote the booth into {} ({} files and server.json). Host it on an origin the election's manifest lists in booth_origins; voters open ORIGIN/vote.html?election=ID.",
        out.display(),
        convene_server::built_files().len()
    );
    Ok(ExitCode::SUCCESS)
}

/// `convene receipt`: the receipt against the published record, then (if asked) the witnesses.
pub(super) async fn check_receipt(dir: PathBuf, receipt: PathBuf, ask_witnesses: bool) -> Result<ExitCode> {
    use convene_record::receipt::{check_against_record, check_against_witness, ReceiptFailure, WitnessView};
    let text = std::fs::read(&receipt).with_context(|| format!("cannot read {}", receipt.display()))?;
    let receipt: convene_record::writer::Receipt =
        serde_json::from_slice(&text).context("the receipt is not valid JSON of a receipt")?;
    let fail = |failure: ReceiptFailure| {
        println!("The receipt does not hold: {failure}.");
        Ok(ExitCode::from(1))
    };
    let published = match check_against_record(&dir, &receipt) {
        Ok(published) => published,
        Err(failure) => return fail(failure),
    };
    let cosigners = match convene_record::checkpoint::Witnessed::of_manifest(&published.manifest) {
        Some(w) => {
            let cosigned = w
                .check_note(receipt.checkpoint.note.as_deref().unwrap_or_default())
                .map(|(_, cosigned)| cosigned)
                .unwrap_or_default();
            format!(" and cosigned by {} of its {} witnesses (quorum {})", cosigned.len(), w.witnesses.len(), w.quorum)
        }
        _ => String::new(),
    };
    println!(
        "The ballot with tracking code {} is entry {} of the published log, under a checkpoint of {} entries signed by the log key{cosigners}; no later ballot under your credential replaces it.",
        receipt.tracking_code, receipt.index, receipt.checkpoint.size
    );
    if ask_witnesses {
        let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build()?;
        let origin = convene_note::Verifier::parse(&published.manifest.log_key).map(|v| v.name).unwrap_or_default();
        for (k, witness) in published.manifest.witnesses.iter().enumerate() {
            let name = convene_note::Verifier::parse(&witness.key).map(|v| v.name).unwrap_or_default();
            let answer = http.get(format!("{}/checkpoint/{origin}", witness.url)).send().await;
            let note = match answer {
                Ok(a) if a.status().is_success() => a.text().await.unwrap_or_default(),
                Ok(a) if a.status() == reqwest::StatusCode::NOT_FOUND => {
                    println!("Witness {name}: it has cosigned nothing of this log.");
                    continue;
                }
                Ok(a) => {
                    println!("Witness {name}: could not be asked (HTTP {}).", a.status());
                    continue;
                }
                Err(e) => {
                    println!("Witness {name}: could not be reached ({e}).");
                    continue;
                }
            };
            let tree = &published.tree;
            match check_against_witness(&published.manifest, k, &note, &receipt, |from, to| {
                tree.consistency_proof(from, to)
            }) {
                Ok(WitnessView::Consistent(size)) if size > tree.len() => {
                    return fail(ReceiptFailure::Withheld { witness: name, witnessed: size, published: tree.len() })
                }
                Ok(WitnessView::Consistent(size)) => {
                    println!("Witness {name}: its latest checkpoint ({size} entries) is consistent with your receipt.")
                }
                Ok(WitnessView::Unseen) => println!("Witness {name}: it has cosigned nothing of this log."),
                Err(failure) => return fail(failure),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `convene timeline`.
pub(super) async fn run_timeline(args: TimelineArgs) -> Result<ExitCode> {
    let TimelineArgs { dir, today, json } = args;
    let today = convene::timeline::date_or_today(today.as_deref(), "--today")?;
    let timeline = convene::timeline::read(&dir)?;
    if json {
        let milestones: Vec<serde_json::Value> = timeline
            .milestones
            .iter()
            .map(|(m, date)| {
                serde_json::json!({
                    "article": m.article, "event": m.event, "region": m.region, "when": m.when(),
                    "after_article": m.after_article, "years": m.years, "months": m.months, "date": date,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "title": timeline.title, "outcome": timeline.outcome, "ratified_on": timeline.ratified_on,
            "milestones": milestones,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        print!("{}", convene::timeline::describe(&timeline, today));
    }
    Ok(ExitCode::SUCCESS)
}
