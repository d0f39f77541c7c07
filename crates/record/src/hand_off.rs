//! The referendums a convention calls for, derived **once** from its replayed state: each secret
//! vote's referendum, and after `ratify` the ratification referendum and one scheduled regional
//! referendum per adopted milestone. The server creates exactly these; the verifier derives
//! them again and compares every field of a referendum's manifest with its derivation
//! (`docs/convention.md`, "The hand-off"), so a host can neither invent a referendum in the
//! convention's name nor change the question, rule, regions, trustees or text of one.
//!
//! The wording of titles and questions built here is normative (the spec gives it), because the
//! verifier compares it byte for byte: changing it is a format change.

use crate::actors::Actor;
use crate::convention::{ConventionState, Subject};
use crate::format::{CredentialKdf, Manifest, Origin, Question, Ratification, Translations, TrusteeCount, WitnessJson};
use convene_crypto::encoding::to_hex;
use sha2::Digest;

/// Every manifest field of a referendum a convention calls for, but its log key (the host's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalledReferendum {
    /// 2 when the event named its trustees by key (and, for the ratification, its registrar).
    pub version: u32,
    /// `{convention}-vote-{n}` for a secret vote; the `ratify` event's id, or its milestones' ids.
    pub election_id: String,
    /// Its title.
    pub title: String,
    /// Its one question.
    pub questions: Vec<Question>,
    /// The regions (the milestone's alone, for a milestone).
    pub regions: Vec<String>,
    /// Its trustees.
    pub trustees: TrusteeCount,
    /// The ratification rule (the ratification and milestones).
    pub ratification: Option<Ratification>,
    /// Below how many ballots its regions are merged.
    pub min_region_ballots: u64,
    /// Which convention called for it, and why.
    pub origin: Origin,
    /// Version 2: the ratification's registrar and code issuer (a secret vote has neither: its
    /// electorate is the delegates in office, checked against the convention).
    pub registrar: Option<Actor>,
    /// The official who issues the sign-in codes apart from the registrar.
    pub code_issuer: Option<Actor>,
    /// The largest weight a credential may carry (1 for a secret vote).
    pub max_weight: Option<u32>,
    /// How many log entries one credential may have.
    pub max_ballots_per_credential: Option<u32>,
    /// The text the voters ratify (`constitution.md`), for the ratification and milestones.
    pub constitution_md: Option<String>,
    /// Version 4 (under a version-4 charter): the charter's witnesses and quorum.
    pub witnesses: Vec<WitnessJson>,
    /// How many of them must cosign each checkpoint.
    pub witness_quorum: u32,
    /// The Argon2id cost of its typed credentials (the `ratify` event's, for the ratification
    /// and its milestones).
    pub credential_kdf: Option<CredentialKdf>,
    /// Its title and question in other languages (the `ratify` event's, for the ratification,
    /// each with the hash of its text where the event gives one).
    pub translations: Translations,
    /// The text to ratify in other languages, by tag (`constitution.TAG.md`).
    pub constitutions: std::collections::BTreeMap<String, String>,
}

/// The rule of a milestone's referendum: a simple majority of valid votes in its region.
pub const MILESTONE_RULE: &str = "[approval]\nbase = \"valid\"\nmore_than = \"1/2\"\n";

/// Version 2: how many log entries a credential may have in a referendum a convention calls for.
pub const CONVENTION_BALLOT_CAP: u32 = 20;

/// The version-2 fields of a referendum whose event named `trustees` (none if it named none):
/// `(version, max_weight, max_ballots_per_credential)`. A convention's referendums weigh every
/// credential 1. With named trustees the version is 2 for a version-1 charter, 3 (one-time
/// ballot keys) for a version-2 or version-3 charter, and 4 (a witnessed log) for a version-4
/// charter.
fn version_of(charter: &crate::convention::Charter, trustees: &TrusteeCount) -> (u32, Option<u32>, Option<u32>) {
    match (trustees.members.is_empty(), charter.version) {
        (true, _) => (1, None, None),
        (false, 1) => (2, Some(1), Some(CONVENTION_BALLOT_CAP)),
        (false, 2 | 3) => (3, Some(1), Some(CONVENTION_BALLOT_CAP)),
        (false, _) => (crate::checkpoint::WITNESSED_VERSION, Some(1), Some(CONVENTION_BALLOT_CAP)),
    }
}

/// The witnesses of a referendum of record format `version`: the charter's, from version 4.
fn witnesses_of(charter: &crate::convention::Charter, version: u32) -> (Vec<WitnessJson>, u32) {
    if version >= crate::checkpoint::WITNESSED_VERSION {
        (charter.witnesses.clone(), charter.witness_quorum)
    } else {
        (Vec::new(), 0)
    }
}

/// Every referendum `convention` calls for, in log order: secret votes first (by vote), then the
/// ratification referendum, then the milestones (by article).
pub fn called_referendums(convention: &ConventionState) -> Vec<CalledReferendum> {
    let id = &convention.charter.convention_id;
    let mut out = Vec::new();
    for vote in &convention.votes {
        let Some(secret) = &vote.secret else { continue };
        let title = match &vote.subject {
            Subject::Motion(m) => convention.motions.get(*m as usize - 1).map(|m| m.title.clone()),
            Subject::Amendment(a) => Some(format!("amendment {a}")),
            Subject::Ranked(_) => None,
        }
        .unwrap_or_default();
        let (version, max_weight, max_ballots_per_credential) = version_of(&convention.charter, &secret.trustees);
        let (witnesses, witness_quorum) = witnesses_of(&convention.charter, version);
        out.push(CalledReferendum {
            version,
            witnesses,
            witness_quorum,
            registrar: None,
            code_issuer: None,
            max_weight,
            max_ballots_per_credential,
            election_id: secret.referendum.clone(),
            title: format!("{}: secret vote {} ({title})", convention.charter.title, vote.id),
            questions: vec![Question::YesNo {
                id: "vote".into(),
                text: format!("Do you vote for {title}?"),
                blank: true,
            }],
            regions: convention.regions(),
            trustees: secret.trustees.clone(),
            ratification: None,
            min_region_ballots: convention.charter.min_region_ballots,
            origin: Origin { convention: id.clone(), constitution_sha256: None, schedule: None, vote: Some(vote.id) },
            constitution_md: None,
            credential_kdf: None,
            translations: Translations::new(),
            constitutions: Default::default(),
        });
    }
    let Some(ratify) = &convention.ratified else { return out };
    let markdown = convention.constitution().to_markdown();
    let origin = |schedule: Option<String>| Origin {
        convention: id.clone(),
        constitution_sha256: Some(to_hex(&sha2::Sha256::digest(markdown.as_bytes()))),
        schedule,
        vote: None,
    };
    let (version, max_weight, max_ballots_per_credential) = version_of(&convention.charter, &ratify.trustees);
    let (registrar, code_issuer) =
        if version >= 2 { (ratify.registrar.clone(), ratify.code_issuer.clone()) } else { (None, None) };
    let (witnesses, witness_quorum) = witnesses_of(&convention.charter, version);
    out.push(CalledReferendum {
        version,
        witnesses: witnesses.clone(),
        witness_quorum,
        registrar: registrar.clone(),
        code_issuer: code_issuer.clone(),
        max_weight,
        max_ballots_per_credential,
        election_id: ratify.referendum.clone(),
        title: format!("Ratification: {}", convention.charter.title),
        questions: vec![Question::YesNo { id: "ratify".into(), text: ratify.question.clone(), blank: false }],
        regions: convention.regions(),
        trustees: ratify.trustees.clone(),
        ratification: Some(Ratification {
            question: "ratify".into(),
            rule: ratify.rule.clone(),
            region_weights: Default::default(),
        }),
        min_region_ballots: ratify.min_region_ballots,
        origin: origin(None),
        constitution_md: Some(markdown.clone()),
        credential_kdf: ratify.credential_kdf.clone(),
        translations: ratify
            .translations
            .iter()
            .map(|(tag, t)| {
                let hash = ratify.constitutions.get(tag).map(|text| to_hex(&sha2::Sha256::digest(text.as_bytes())));
                (tag.clone(), crate::format::ManifestTranslation { constitution_sha256: hash, ..t.clone() })
            })
            .collect(),
        constitutions: ratify.constitutions.clone(),
    });
    for milestone in convention.milestones() {
        let when = milestone.when();
        let crate::convention::MilestoneArticle { article, region, event, .. } = milestone;
        out.push(CalledReferendum {
            version,
            witnesses: witnesses.clone(),
            witness_quorum,
            registrar: registrar.clone(),
            code_issuer: code_issuer.clone(),
            max_weight,
            max_ballots_per_credential,
            election_id: milestone_referendum(&ratify.referendum, article),
            title: format!("{event} (article {article} of {})", convention.charter.title),
            questions: vec![Question::YesNo {
                id: "milestone".into(),
                text: format!("{event} in {region}: do you approve?"),
                blank: false,
            }],
            regions: vec![region],
            trustees: ratify.trustees.clone(),
            ratification: Some(Ratification {
                question: "milestone".into(),
                rule: MILESTONE_RULE.into(),
                region_weights: Default::default(),
            }),
            min_region_ballots: 0,
            origin: origin(Some(when)),
            constitution_md: Some(markdown.clone()),
            credential_kdf: ratify.credential_kdf.clone(),
            translations: Translations::new(),
            constitutions: Default::default(),
        });
    }
    out
}

/// The fields in which `manifest` differs from what the convention called for.
pub fn differences(called: &CalledReferendum, manifest: &Manifest) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut differ = |field: &'static str, same: bool| {
        if !same {
            out.push(field);
        }
    };
    differ("election_id", manifest.election_id == called.election_id);
    differ("title", manifest.title == called.title);
    differ("questions", manifest.questions == called.questions);
    differ("regions", manifest.regions == called.regions);
    differ("trustees", manifest.trustees == called.trustees);
    differ("ratification", manifest.ratification == called.ratification);
    differ("min_region_ballots", manifest.min_region_ballots == called.min_region_ballots);
    differ("origin", manifest.origin.as_ref() == Some(&called.origin));
    differ("version", manifest.version == called.version);
    differ("authority", manifest.authority.is_none());
    differ("registrar", manifest.registrar == called.registrar);
    differ("code_issuer", manifest.code_issuer == called.code_issuer);
    differ("max_weight", manifest.max_weight == called.max_weight);
    differ("max_ballots_per_credential", manifest.max_ballots_per_credential == called.max_ballots_per_credential);
    differ("witnesses", manifest.witnesses == called.witnesses);
    differ("witness_quorum", manifest.witness_quorum == called.witness_quorum);
    differ("booth_origins", manifest.booth_origins.is_empty());
    differ("credential_kdf", manifest.credential_kdf == called.credential_kdf);
    differ("translations", manifest.translations == called.translations);
    out
}

/// The id of the referendum the hand-off calls for article `article`'s milestone, after the
/// ratification `ratification` (docs/convention.md §6).
pub fn milestone_referendum(ratification: &str, article: u32) -> String {
    format!("{ratification}-milestone-{article}")
}
