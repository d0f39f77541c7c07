//! `timeline.json` (`docs/timeline.md`): once a ratification referendum's results are published,
//! the chair of the convention that handed the constitution to it signs the date of ratification
//! (a convention's referendum has no other authority: the convention's log is), and every
//! milestone of the ratified constitution gets its calendar date, recomputed by anyone from that
//! date and the milestones' offsets. The server takes the statement through this code, and
//! `convene verify` checks it with the same code.

use crate::actors::{signed_by, ActorKey};
use crate::format::{Manifest, ResultsJson, SignatureJson};
use convene_core::timeline::{schedule, Date, Milestone, Offset};
use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};

/// The domain tag of the chair's signature of the timeline.
pub const TAG_TIMELINE: &str = "convene/chair-timeline v1";

/// The file in a referendum record.
pub const TIMELINE: &str = "timeline.json";

/// `timeline.json`: the date of ratification and each milestone's date, signed by the chair.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TimelineJson {
    /// The referendum's record format version.
    pub version: u32,
    /// The day the results were published and the constitution ratified, `YYYY-MM-DD` (UTC).
    pub ratified_on: String,
    /// Every milestone article of the constitution, in article order.
    pub milestones: Vec<DatedMilestone>,
    /// The convention chair's signature.
    pub signature: SignatureJson<'static>,
}

/// A milestone with its offset and its date.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DatedMilestone {
    /// Its article.
    pub article: u32,
    /// The milestone article it follows (absent: ratification).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_article: Option<u32>,
    /// Years after its event.
    pub years: u32,
    /// And months.
    #[serde(default)]
    pub months: u32,
    /// Its date, `YYYY-MM-DD`.
    pub date: String,
}

/// A milestone's `(article, after_article, years, months)`: what the timeline dates, in the
/// order the constitution gives its milestones.
pub type MilestoneOffset = (u32, Option<u32>, u32, u32);

/// The offsets of `milestones`, as the timeline dates them.
pub fn offsets_of(milestones: &[crate::convention::MilestoneArticle]) -> Vec<MilestoneOffset> {
    milestones.iter().map(|m| (m.article, m.after_article, m.years, m.months)).collect()
}

/// What the chair signs: `ratified_on ‖ u32(#milestones) ‖ for each: u32(article) ‖
/// u32(after_article, 0 for ratification) ‖ u32(years) ‖ u32(months) ‖ date`, integers little
/// endian, dates their 10 ASCII bytes.
pub fn timeline_message(ratified_on: &str, milestones: &[DatedMilestone]) -> Vec<u8> {
    let mut out = Vec::with_capacity(14 + 26 * milestones.len());
    out.extend_from_slice(ratified_on.as_bytes());
    out.extend_from_slice(&(milestones.len() as u32).to_le_bytes());
    for m in milestones {
        for n in [m.article, m.after_article.unwrap_or(0), m.years, m.months] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(m.date.as_bytes());
    }
    out
}

/// The milestones' dates from `ratified_on` and their offsets; `after_article` must name an
/// earlier milestone of the list.
pub fn dates(ratified_on: Date, milestones: &[MilestoneOffset]) -> Result<Vec<Date>, String> {
    let mut list = Vec::with_capacity(milestones.len());
    for (k, &(article, after, years, months)) in milestones.iter().enumerate() {
        let after =
            match after {
                None => None,
                Some(a) => Some(milestones[..k].iter().position(|m| m.0 == a).ok_or_else(|| {
                    format!("article {article} follows article {a}, which is not an earlier milestone")
                })?),
            };
        list.push(Milestone { after, offset: Offset { years, months, days: 0 } });
    }
    schedule(ratified_on, &list)
}

impl TimelineJson {
    /// The offsets it dates, in order.
    pub fn offsets(&self) -> Vec<MilestoneOffset> {
        self.milestones.iter().map(|m| (m.article, m.after_article, m.years, m.months)).collect()
    }

    /// The chair's statement for `milestones` (`(article, after_article, years, months)`),
    /// with their dates computed from `ratified_on`.
    pub fn sign(
        chair: &ActorKey,
        manifest: &Manifest,
        manifest_hash: &[u8; 32],
        ratified_on: Date,
        milestones: &[MilestoneOffset],
        rng: &mut impl CryptoRngCore,
    ) -> Result<TimelineJson, String> {
        let dated = dates(ratified_on, milestones)?;
        let milestones: Vec<DatedMilestone> = milestones
            .iter()
            .zip(dated)
            .map(|(&(article, after_article, years, months), date)| DatedMilestone {
                article,
                after_article,
                years,
                months,
                date: date.to_string(),
            })
            .collect();
        let ratified_on = ratified_on.to_string();
        let msg = timeline_message(&ratified_on, &milestones);
        let signature = chair.sign(TAG_TIMELINE, manifest_hash, &msg, rng);
        Ok(TimelineJson { version: manifest.version, ratified_on, milestones, signature })
    }

    /// Checks the statement (docs/timeline.md, "What is checked") of the referendum `manifest`,
    /// handed off by `convention`: the chair's signature, the convention's milestones, a
    /// ratified outcome, `ratified_on` no earlier than `not_before` (the day the first witness
    /// cosigned the final log, when there are witnesses), and every date recomputed. Its dates.
    pub fn check(
        &self,
        manifest: &Manifest,
        manifest_hash: &[u8; 32],
        convention: &crate::convention::ConventionState,
        results: Option<&ResultsJson>,
        not_before: Option<Date>,
    ) -> Result<Vec<Date>, String> {
        if self.version != manifest.version {
            return Err(format!("the timeline is format version {}, the manifest {}", self.version, manifest.version));
        }
        if convention.ratified().as_ref().map(|r| r.referendum.as_str()) != Some(manifest.election_id.as_str()) {
            return Err("only the ratification referendum of a convention has a timeline".into());
        }
        let chair =
            crate::format::point_non_identity("chair", &convention.charter().chair).map_err(|e| e.to_string())?;
        if !signed_by(
            TAG_TIMELINE,
            manifest_hash,
            &chair,
            &timeline_message(&self.ratified_on, &self.milestones),
            &self.signature,
        ) {
            return Err("the convention chair's signature of the timeline does not verify".into());
        }
        check_milestones(self, convention)?;
        match results.and_then(|r| r.ratification.as_ref()).map(|r| r.outcome.as_str()) {
            Some("ratified") => {}
            Some(other) => return Err(format!("the results say {other}, not ratified: there is no timeline to date")),
            None => return Err("there are no published results with a ratification verdict yet".into()),
        }
        let ratified_on = Date::parse(&self.ratified_on)?;
        if let Some(first) = not_before.filter(|first| ratified_on < *first) {
            return Err(format!(
                "ratified on {ratified_on}, before {first}, the day a witness first cosigned the final log"
            ));
        }
        let dates = dates(ratified_on, &self.offsets())?;
        for (m, date) in self.milestones.iter().zip(&dates) {
            if m.date != date.to_string() {
                return Err(format!("article {}'s milestone falls on {date}, not {}", m.article, m.date));
            }
        }
        Ok(dates)
    }
}

/// Whether `timeline` dates exactly `convention`'s milestone articles, in article order, with
/// their offsets (the hand-off's side of the check).
pub fn check_milestones(
    timeline: &TimelineJson,
    convention: &crate::convention::ConventionState,
) -> Result<(), String> {
    let (dated, adopted) = (timeline.offsets(), offsets_of(&convention.milestones()));
    if dated != adopted {
        return Err(format!(
            "it dates the milestones {dated:?}, but the constitution's are {adopted:?} (article, after, years, months)"
        ));
    }
    Ok(())
}

/// The day (UTC) a witness first cosigned the final checkpoint of `checkpoints` (a
/// `checkpoints.json`), if the manifest's log is witnessed.
pub fn first_cosigned_day(checkpoints: &[u8], manifest: &Manifest) -> Option<Date> {
    let witnessed = crate::checkpoint::Witnessed::of_manifest(manifest)?;
    let doc: crate::format::CheckpointsJson = serde_json::from_slice(checkpoints).ok()?;
    let note = doc.checkpoints.last()?.note.clone()?;
    let note = convene_note::Note::parse(note.as_bytes()).ok()?;
    let first = note.verify(&witnessed.witnesses).ok()?.into_iter().filter_map(|(_, t)| t).min()?;
    Date::from_unix(first)
}
