//! The dated timeline (`docs/timeline.md`): the convention's chair signs the day of ratification
//! once the results are published (`publish`), and `convene timeline RECORD` prints every milestone with
//! its date (`read`, `describe`).

use crate::client::{As, Client};
use anyhow::{anyhow, bail, Context, Result};
use convene_core::timeline::Date;
use convene_record::actors::ActorKey;
use convene_record::convention::{ConstitutionJson, MilestoneArticle};
use convene_record::format::{Manifest, ResultsJson};
use convene_record::timeline::{TimelineJson, TIMELINE};
use convene_record::writer::manifest_hash;
use rand_core::CryptoRngCore;
use std::path::Path;

/// Today's date in UTC, from the system clock.
pub fn today() -> Date {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    Date::from_unix(now).unwrap_or_else(|| Date::new(1970, 1, 1).expect("a valid date"))
}

/// `--ratified-on` or `--today` (`flag`): the date given, or today (UTC) without one.
pub fn date_or_today(given: Option<&str>, flag: &str) -> Result<Date> {
    match given {
        Some(d) => Date::parse(d).map_err(|e| anyhow!("{flag}: {e}")),
        None => Ok(today()),
    }
}

/// The convention's chair signs the timeline of ratification referendum `id`, ratified on
/// `ratified_on`, dating every milestone of the constitution the convention handed it, and
/// posts it.
pub async fn publish(
    client: &Client,
    id: &str,
    chair: &ActorKey,
    ratified_on: Date,
    rng: &mut impl CryptoRngCore,
) -> Result<TimelineJson> {
    let bytes = client.get_bytes(&format!("/api/elections/{id}/record/manifest.json")).await?;
    let manifest = Manifest::parse(&bytes).map_err(|e| anyhow!("the manifest of {id}: {e}"))?;
    let origin = manifest
        .origin
        .as_ref()
        .ok_or_else(|| anyhow!("{id} was not created by a convention: it has no milestones to date"))?;
    let constitution: ConstitutionJson = serde_json::from_slice(
        &client.get_bytes(&format!("/api/conventions/{}/record/constitution.json", origin.convention)).await?,
    )
    .context("the convention's constitution.json")?;
    let milestones = convene_record::timeline::offsets_of(&constitution.milestones());
    let timeline = TimelineJson::sign(chair, &manifest, &manifest_hash(&bytes), ratified_on, &milestones, rng)
        .map_err(|e| anyhow!(e))?;
    client
        .post_as::<TimelineJson>(&format!("/api/elections/{id}/timeline"), &timeline, As::Anyone)
        .await
        .context("posting the timeline")
}

/// A record's timeline, as `convene timeline` shows it: the ratification and every milestone,
/// with their dates once the timeline is published.
pub struct Timeline {
    pub title: String,
    pub outcome: Option<String>,
    pub ratified_on: Option<String>,
    pub milestones: Vec<(MilestoneArticle, Option<String>)>,
}

/// Reads the timeline of the ratification record in `dir` (with its convention's record in
/// `dir/convention/`): what the constitution schedules, and the dates `timeline.json` gives.
/// It does not verify them: `convene verify` does.
pub fn read(dir: &Path) -> Result<Timeline> {
    let read_json = |path: &Path| -> Result<Vec<u8>> {
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let manifest = Manifest::parse(&read_json(&dir.join(convene_record::files::MANIFEST))?)
        .map_err(|e| anyhow!("{}: {e}", dir.join(convene_record::files::MANIFEST).display()))?;
    if manifest.origin.is_none() {
        bail!("{} is not a ratification a convention handed off: it schedules no milestone", dir.display());
    }
    let constitution_path = dir.join(convene_record::directory::CONVENTION_DIR).join("constitution.json");
    let constitution: ConstitutionJson = serde_json::from_slice(&read_json(&constitution_path)?)
        .with_context(|| format!("in {}", constitution_path.display()))?;
    let results: Option<ResultsJson> =
        std::fs::read(dir.join(convene_record::files::RESULTS)).ok().and_then(|b| serde_json::from_slice(&b).ok());
    let timeline: Option<TimelineJson> = match std::fs::read(dir.join(TIMELINE)) {
        Ok(bytes) => {
            Some(serde_json::from_slice(&bytes).with_context(|| format!("in {}", dir.join(TIMELINE).display()))?)
        }
        Err(_) => None,
    };
    let milestones = constitution
        .milestones()
        .into_iter()
        .map(|m| {
            let date = timeline
                .as_ref()
                .and_then(|t| t.milestones.iter().find(|d| d.article == m.article))
                .map(|d| d.date.clone());
            (m, date)
        })
        .collect();
    Ok(Timeline {
        title: manifest.title.clone(),
        outcome: results.and_then(|r| r.ratification).map(|r| r.outcome),
        ratified_on: timeline.map(|t| t.ratified_on),
        milestones,
    })
}

/// The timeline in words, one line per step, past and coming relative to `today`.
pub fn describe(timeline: &Timeline, today: Date) -> String {
    let mut out = format!("{}\n", timeline.title);
    let tense = |date: &str| match Date::parse(date) {
        Ok(d) if d <= today => "past",
        _ => "coming",
    };
    match (&timeline.ratified_on, timeline.outcome.as_deref()) {
        (Some(date), _) => out.push_str(&format!("  {date}  ratification ({})\n", tense(date))),
        (None, Some(outcome)) if outcome != "ratified" => {
            out.push_str(&format!("  the constitution was {outcome}: nothing is scheduled\n"))
        }
        (None, Some(_)) => out.push_str("  ratified; the authority has not yet signed the timeline's date\n"),
        (None, None) => out.push_str("  ratification: the results are not published yet\n"),
    }
    for (m, date) in &timeline.milestones {
        let when = m.when();
        let what = format!("article {}: {} in {} ({when})", m.article, m.event, m.region);
        match date {
            Some(date) => out.push_str(&format!("  {date}  {what} ({})\n", tense(date))),
            None => out.push_str(&format!("  (not dated)  {what}\n")),
        }
    }
    out
}
