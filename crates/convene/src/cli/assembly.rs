//! The convention: `convene assembly`.

use super::*;
use convene_server::api::{ConventionCreated, NewConvention};

/// `convene assembly`: exits 1 when the convention refuses the event (the reason is printed),
/// 2 on other errors. A refusal is the server's `409 refused`, read from the typed error.
pub(super) async fn run_assembly(step: AssemblyCommand) -> Result<ExitCode> {
    let refused = |e: &anyhow::Error| {
        e.chain().any(|c| {
            c.downcast_ref::<convene::client::HttpError>().is_some_and(|h| h.status == 409 && h.code == "refused")
        })
    };
    match assembly_step(step).await {
        Err(e) if refused(&e) => {
            eprintln!("refused: {e:#}");
            Ok(ExitCode::from(1))
        }
        other => other,
    }
}

pub(super) async fn assembly_step(step: AssemblyCommand) -> Result<ExitCode> {
    use convene::assembly::{self, Convention, Participant};
    use convene_record::convention::{Event, LocalityJson};
    let seated = |seat: &Seat| Client::new(&seat.server, None);
    let signer = |client: Client, seat: Seat, key: PathBuf| async move {
        let secret = assembly::load_key(&key)?;
        let convention = Convention::open(&client, &seat.convention).await.context("no such convention")?;
        let journal = assembly::journal_path(&key);
        let participant = Participant::resume(&client, &convention, secret, Some(journal)).await?;
        Ok::<_, anyhow::Error>((client, convention, participant))
    };
    let show = |applied: serde_json::Value| {
        println!("accepted as log entry {}: {}", applied["index"], applied["summary"].as_str().unwrap_or(""));
    };
    match step {
        AssemblyCommand::Keygen { out } => {
            let public = assembly::keygen(&out, &mut rand_core::OsRng)?;
            println!("{public}");
            eprintln!("The secret is in {} (readable by you only); give others the public key above.", out.display());
        }
        AssemblyCommand::Create(args) => create(args).await?,
        AssemblyCommand::Import { seat, key, source, geojson, file } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let mut localities = LocalityJson::from_csv(&text)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("in {}", file.display()))?;
            if let Some(geojson) = geojson {
                let text =
                    std::fs::read_to_string(&geojson).with_context(|| format!("cannot read {}", geojson.display()))?;
                LocalityJson::attach_geojson(&mut localities, &text)
                    .map_err(anyhow::Error::msg)
                    .with_context(|| format!("in {}", geojson.display()))?;
            }
            let (client, convention, mut secretary) = signer(seated(&seat), seat, key).await?;
            let event = Event::Localities { source, localities };
            show(secretary.send(&client, &convention, event, &mut rand_core::OsRng).await?);
        }
        AssemblyCommand::Apportion { seat, key, house: House { method, seats, min_seats, max_seats } } => {
            let (client, convention, mut secretary) = signer(seated(&seat), seat, key).await?;
            let (event, table) =
                assembly::apportionment_event(&client, &convention, &method, seats, min_seats, max_seats).await?;
            show(secretary.send(&client, &convention, event, &mut rand_core::OsRng).await?);
            print!("{table}");
        }
        AssemblyCommand::Send { seat, key, event } => {
            let text = if event.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&event).with_context(|| format!("cannot read {}", event.display()))?
            };
            let event: Event = serde_json::from_str(&text)
                .with_context(|| format!("{} is not an event (see docs/convention.md)", event.display()))?;
            let (client, convention, mut participant) = signer(seated(&seat), seat, key).await?;
            show(participant.send(&client, &convention, event, &mut rand_core::OsRng).await?);
        }
        AssemblyCommand::Close { seat, key, vote } => {
            let (client, convention, mut chair) = signer(seated(&seat), seat, key).await?;
            let (event, result) = assembly::closing_event(&client, &convention, vote).await?;
            for (condition, holds) in &result.conditions {
                println!("{} {condition}", if *holds { "holds:" } else { "fails:" });
            }
            show(chair.send(&client, &convention, event, &mut rand_core::OsRng).await?);
        }
        AssemblyCommand::Timeline { seat, key, ratified_on } => timeline(seat, key, ratified_on).await?,
        AssemblyCommand::SecretCodes { seat, admin_token_file, vote, codes, out } => {
            let token = std::fs::read_to_string(&admin_token_file)
                .with_context(|| format!("cannot read {}", admin_token_file.display()))?;
            let client = Client::new(&seat.server, Some(token.trim().to_string()));
            let convention = Convention::open(&client, &seat.convention).await.context("no such convention")?;
            let handout = assembly::secret_vote_codes(&client, &convention, vote, codes, &mut rand_core::OsRng).await?;
            let mut csv = String::from("delegate,key,codes\n");
            for (name, key, codes) in &handout {
                csv.push_str(&format!("{},{key},{}\n", convene_core::csv::field(name), codes.join(" ")));
            }
            convene::trustee::write_secret(&out, csv.as_bytes())?;
            println!(
                "Registered {} delegates' own keys with one-time codes; hand each their line of {} (then delete it). \
Each votes with: convene vote --server URL --election REFERENDUM --credential THEIR-KEY-FILE --code CODE --answer yes|no|blank",
                handout.len(),
                out.display()
            );
        }
        AssemblyCommand::Constitution { seat, html } => {
            let file = if html { "constitution.html" } else { "constitution.md" };
            let bytes = seated(&seat).get_bytes(&format!("/api/conventions/{}/record/{file}", seat.convention)).await?;
            print!("{}", String::from_utf8_lossy(&bytes));
        }
        AssemblyCommand::Check { key, convention, record } => {
            let path = assembly::journal_path(&key);
            let journal = assembly::read_journal(&path, &convention)?;
            if journal.is_empty() {
                anyhow::bail!("{} holds no event of convention {convention}", path.display());
            }
            let problems = assembly::check_journal(&journal, &record)?;
            for problem in &problems {
                println!("MISSING: {problem}");
            }
            if !problems.is_empty() {
                return Ok(ExitCode::from(1));
            }
            println!("All {} of your events are in the record, where their receipts put them.", journal.len());
        }
        AssemblyCommand::Fetch { seat, out } => {
            seated(&seat).fetch_convention(&seat.convention, &out).await?;
            println!(
                "Fetched the record of convention {} into {}. Check it: convene verify {}",
                seat.convention,
                out.display(),
                out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `convene assembly create`: the supervisor creates a convention (its charter).
async fn create(args: CreateArgs) -> Result<()> {
    let CreateArgs {
        seat,
        admin_token_file,
        title,
        chair,
        secretary,
        speaking_seconds,
        trustees,
        witnesses,
        witness_quorum,
        states,
    } = args;
    let token = std::fs::read_to_string(&admin_token_file)
        .with_context(|| format!("cannot read {}", admin_token_file.display()))?;
    let client = Client::new(&seat.server, Some(token.trim().to_string()));
    let trustees = trustees
        .iter()
        .map(|t| match t.rsplit_once('=') {
            Some((name, key)) => Ok(convene_record::actors::Actor { name: name.into(), key: key.into() }),
            None => Err(anyhow::anyhow!("--trustee {t:?}: give NAME=KEY")),
        })
        .collect::<Result<Vec<_>>>()?;
    let witnesses = witnesses
        .iter()
        .map(|w| match w.split_once('=') {
            Some((key, url)) => Ok(convene_record::format::WitnessJson { key: key.into(), url: url.into() }),
            None => Err(anyhow::anyhow!("--witness {w:?}: give VKEY=URL")),
        })
        .collect::<Result<Vec<_>>>()?;
    let new = NewConvention {
        convention_id: seat.convention.clone(),
        title,
        chair,
        secretary,
        speaking_seconds,
        trustees,
        min_region_ballots: None,
        witnesses,
        witness_quorum,
        conference: (!states.is_empty()).then_some(convene_record::convention::Conference { states }),
    };
    let created: ConventionCreated = client.post_as("/api/conventions", &new, convene::client::As::Supervisor).await?;
    println!("Created convention {}.", seat.convention);
    if !created.charter.witnesses.is_empty() {
        println!("Its log key (give it to each witness: convene witness --log KEY): {}", created.charter.log_key);
    }

    Ok(())
}

/// `convene assembly timeline`: the chair signs the day of ratification (docs/timeline.md).
async fn timeline(seat: Seat, key: PathBuf, ratified_on: Option<String>) -> Result<()> {
    use convene::assembly::{self, Convention};
    let ratified_on = convene::timeline::date_or_today(ratified_on.as_deref(), "--ratified-on")?;
    let client = Client::new(&seat.server, None);
    let state = Convention::open(&client, &seat.convention).await.context("no such convention")?.shown(&client).await?;
    let referendum = state
        .ratified
        .as_ref()
        .map(|r| r.referendum.clone())
        .context("the convention has not handed off a constitution")?;
    let chair = convene_record::actors::ActorKey::from_secret(assembly::load_key(&key)?)?;
    let signed = convene::timeline::publish(&client, &referendum, &chair, ratified_on, &mut rand_core::OsRng).await?;
    println!("Published the timeline of {referendum}: ratified on {}.", signed.ratified_on);
    for m in &signed.milestones {
        println!("  article {}: {}", m.article, m.date);
    }
    Ok(())
}
