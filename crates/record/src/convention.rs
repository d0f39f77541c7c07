//! The convention record (`docs/convention.md`): the charter, the signed events of the log, and
//! the one state machine that both the server (at the door) and the verifier (replaying the log)
//! run, so that what the server accepted and what the verifier recomputes cannot drift apart.
//!
//! Applying an event either changes the state completely or not at all: every check is made
//! before anything is written. Nothing here does I/O.

use crate::format::{
    parse_credential_line, point_non_identity, Manifest, Question, RecordError, ResultsJson, SignatureJson, NATIONAL,
};
use crate::log::{leaf_hash, Hash};
use crate::writer::manifest_hash;
use convene_core::amendment::{self, Amendment, Change};
use convene_core::apportion::{self, Method, Problem};
use convene_core::constitution::{Article, ArticleBody, Constitution, Holder, SharedRule};
use convene_core::majority::{self, Base, Choice, Majority, Member, VoteRule, Weighting};
use convene_core::ranked::{self, RankedBallot};
use convene_core::{revenue, Ratio};
use convene_crypto::encoding::{to_hex, Point};
use convene_crypto::proofs::schnorr::{self, Signature};
use convene_crypto::BatchVerifier;
use convene_crypto::Scalar;
use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// The domain tag of every event signature in a version-1 log.
pub const TAG_EVENT: &str = "convene/convention-event v1";

/// The domain tag of every event signature in a version-2 log (the message commits to `seen`).
pub const TAG_EVENT_V2: &str = "convene/convention-event v2";

/// The convention record's format version (its charter, log and constitution documents): 2 since
/// events commit to the log their signer saw and refer to objects by hash (`docs/convention.md`
/// §2.1).
pub const CONVENTION_VERSION: u32 = 2;

/// What the verifier's report says of a version-1 convention record.
pub const V1_CONVENTION_NOTE: &str = "convention record version 1: its events name motions and votes by number and \
commit to no checkpoint, so this record cannot prove the order of different signers' events, nor that no accepted \
event was withheld (docs/convention.md §2.1)";

/// The oldest convention record version still verified.
pub const OLDEST_CONVENTION_VERSION: u32 = 1;

/// Version 3 is version 2 with a witnessed log: the charter's `log_key` is an Ed25519 verifier
/// key, it names witnesses and their quorum, and every checkpoint is a cosigned note
/// (`docs/convention.md` §2.2, `docs/protocol.md` §13). The server writes it when the
/// convention names witnesses.
pub const WITNESSED_CONVENTION_VERSION: u32 = 3;

/// Version 4 is version 3 whose referendums are witnessed too: each referendum the convention
/// calls for names the charter's witnesses and quorum and is record format version 4
/// (`docs/convention.md` §2.3). The server writes it when the convention names witnesses.
pub const WITNESSED_REFERENDUMS_VERSION: u32 = 4;

/// The newest convention record version (the one a new witnessed convention is written in).
pub const NEWEST_CONVENTION_VERSION: u32 = WITNESSED_REFERENDUMS_VERSION;

/// The files of a convention record.
pub mod files {
    pub const CHARTER: &str = "charter.json";
    pub const LOG: &str = crate::files::LOG;
    pub const CHECKPOINTS: &str = crate::files::CHECKPOINTS;
    pub const CONSTITUTION: &str = "constitution.json";
}

// ---------------------------------------------------------------- charter

/// `charter.json`: who chairs, who keeps the record, how long each delegation may speak.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Charter {
    pub version: u32,
    pub convention_id: String,
    pub title: String,
    /// The chair's public key (hex).
    pub chair: String,
    /// The secretary's public key (hex): imports localities, apportions, credentials delegates.
    pub secretary: String,
    /// Speaking time per regional delegation per agenda item, in seconds.
    pub speaking_seconds: u64,
    /// The server's checkpoint key (hex).
    pub log_key: String,
    /// Who may be a trustee of the referendums the convention calls for (its secret votes', its
    /// ratification's), by name and long-term key: an event that names trustees names them from
    /// here, and those referendums are then record format version 2.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trustees: Vec<crate::actors::Actor>,
    /// A secret vote's referendum publishes a region's counts only if at least this many ballots
    /// were counted there; smaller regions are published together (`merged`). 0 when absent.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_region_ballots: u64,
    /// Version 3: the witnesses who cosign the log's checkpoints, and how many must (version 4:
    /// those of its referendums too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub witnesses: Vec<crate::format::WitnessJson>,
    #[serde(default, skip_serializing_if = "is_zero32")]
    pub witness_quorum: u32,
}

fn is_zero32(n: &u32) -> bool {
    *n == 0
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The `min_region_ballots` the server writes into a charter unless told otherwise: a secret
/// vote never publishes the counts of a region with fewer than five ballots.
pub const DEFAULT_MIN_REGION_BALLOTS: u64 = 5;

impl Charter {
    pub fn parse(bytes: &[u8]) -> Result<Charter, RecordError> {
        let charter: Charter = serde_json::from_slice(bytes)?;
        if !(OLDEST_CONVENTION_VERSION..=NEWEST_CONVENTION_VERSION).contains(&charter.version) {
            return Err(RecordError::Version { found: charter.version });
        }
        let chair = point_non_identity("chair", &charter.chair)?;
        let secretary = point_non_identity("secretary", &charter.secretary)?;
        if charter.version >= WITNESSED_CONVENTION_VERSION {
            crate::checkpoint::Witnessed::of(
                &charter.convention_id,
                &charter.log_key,
                &charter.witnesses,
                charter.witness_quorum,
            )
            .map_err(RecordError::Invalid)?;
        } else {
            point_non_identity("log_key", &charter.log_key)?;
            if !charter.witnesses.is_empty() || charter.witness_quorum != 0 {
                return Err(RecordError::Invalid("witnesses are named from convention version 3".into()));
            }
        }
        if chair == secretary {
            return Err(RecordError::Invalid("the chair and the secretary need different keys".into()));
        }
        let mut keys = std::collections::BTreeSet::new();
        for (k, trustee) in charter.trustees.iter().enumerate() {
            trustee.check(&format!("trustees[{k}]"))?;
            if !keys.insert(trustee.key.as_str()) {
                return Err(RecordError::Invalid(format!("trustees[{k}] has another trustee's key")));
            }
        }
        if !valid_id(&charter.convention_id) {
            return Err(RecordError::Invalid("convention_id must be 1 to 64 characters of a-z, 0-9 and -".into()));
        }
        Ok(charter)
    }
}

impl Charter {
    /// How this convention's checkpoints are checked: the charter's Schnorr log key under its
    /// hash (versions 1 and 2), or its signed notes and witnesses (version 3).
    pub fn log_verifier(&self, charter_hash: &crate::log::Hash) -> crate::checkpoint::LogVerifier {
        use crate::checkpoint::{LogVerifier, Witnessed};
        if self.version >= WITNESSED_CONVENTION_VERSION {
            let witnessed = Witnessed::of(&self.convention_id, &self.log_key, &self.witnesses, self.witness_quorum);
            LogVerifier::Note(witnessed.expect("checked by Charter::parse"))
        } else {
            let key = point_non_identity("log_key", &self.log_key).expect("checked by Charter::parse");
            LogVerifier::Schnorr { manifest_hash: *charter_hash, key }
        }
    }
}

/// Ids of conventions and referendums: 1 to 64 characters of `a-z`, `0-9` and `-`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

// ---------------------------------------------------------------- events

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LocalityJson {
    pub name: String,
    pub region: String,
    pub population: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<u64>,
    /// The locality's boundary, a GeoJSON `Polygon` or `MultiPolygon` geometry (for maps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<serde_json::Value>,
}

impl LocalityJson {
    /// The localities of a CSV (`name,region,population[,production][,area]`), by the same
    /// parser as `convene revenue`; every locality needs a region.
    pub fn from_csv(text: &str) -> Result<Vec<LocalityJson>, String> {
        let parsed = revenue::parse_localities_csv(text)?;
        let header = text.lines().next().unwrap_or("");
        let has = |column: &str| header.split(',').any(|h| h.trim() == column);
        parsed
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                if l.region.is_empty() {
                    return Err(format!("line {}: locality {:?} has no region (add a region column)", i + 2, l.name));
                }
                Ok(LocalityJson {
                    name: l.name,
                    region: l.region,
                    population: l.population,
                    production: has("production").then_some(l.production),
                    area: has("area").then_some(l.area),
                    boundary: None,
                })
            })
            .collect()
    }

    /// Attaches boundaries from a GeoJSON `FeatureCollection` whose features name their locality
    /// in `properties.name`; every feature must name a known locality and carry a valid
    /// `Polygon` or `MultiPolygon`. Localities without a feature keep no boundary.
    pub fn attach_geojson(localities: &mut [LocalityJson], text: &str) -> Result<(), String> {
        let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not GeoJSON: {e}"))?;
        if doc["type"] != "FeatureCollection" {
            return Err("the GeoJSON must be a FeatureCollection".into());
        }
        let features = doc["features"].as_array().ok_or("the FeatureCollection has no features array")?;
        for (k, feature) in features.iter().enumerate() {
            let name = feature["properties"]["name"]
                .as_str()
                .ok_or_else(|| format!("feature {}: properties.name must name its locality", k + 1))?;
            let locality = localities
                .iter_mut()
                .find(|l| l.name == name)
                .ok_or_else(|| format!("feature {}: there is no locality {name:?}", k + 1))?;
            let geometry = &feature["geometry"];
            check_boundary(geometry).map_err(|e| format!("feature {} ({name}): {e}", k + 1))?;
            if locality.boundary.is_some() {
                return Err(format!("feature {}: {name} has two features", k + 1));
            }
            locality.boundary = Some(geometry.clone());
        }
        Ok(())
    }
}

/// A GeoJSON `Polygon` (rings of at least four `[longitude, latitude]` positions, closed) or
/// `MultiPolygon`, within a size a convention needs.
pub fn check_boundary(geometry: &serde_json::Value) -> Result<(), String> {
    let polygons: Vec<&serde_json::Value> = match (geometry["type"].as_str(), &geometry["coordinates"]) {
        (Some("Polygon"), c) => vec![c],
        (Some("MultiPolygon"), serde_json::Value::Array(ps)) => ps.iter().collect(),
        _ => return Err("the geometry must be a Polygon or a MultiPolygon with coordinates".into()),
    };
    let mut positions = 0usize;
    for polygon in polygons {
        let rings = polygon.as_array().filter(|r| !r.is_empty()).ok_or("a polygon needs at least one ring")?;
        for ring in rings {
            let ring = ring.as_array().filter(|r| r.len() >= 4).ok_or("a ring needs at least four positions")?;
            let mut points = Vec::with_capacity(ring.len());
            for position in ring {
                let p = position
                    .as_array()
                    .filter(|p| p.len() == 2 || p.len() == 3)
                    .ok_or("a position is [longitude, latitude]")?;
                let (Some(lon), Some(lat)) = (p[0].as_f64(), p[1].as_f64()) else {
                    return Err("a position's coordinates are numbers".into());
                };
                if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                    return Err(format!("[{lon}, {lat}] is not a longitude and latitude"));
                }
                points.push((lon, lat));
            }
            if points.first() != points.last() {
                return Err("a ring must end where it starts".into());
            }
            positions += points.len();
        }
    }
    if positions > 200_000 {
        return Err("the boundary has more than 200,000 positions; simplify it".into());
    }
    Ok(())
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Delegate,
    Observer,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HolderJson {
    Centre,
    Shared,
    Regions,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PowerJson {
    pub power: String,
    pub holder: HolderJson,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SharedRuleJson {
    pub regional_chamber: bool,
    pub regional_consent_to_amendment: bool,
    pub regions_in_executive: bool,
    pub regions_co_decide_revenue: bool,
}

/// An article's body: plain text, a matrix of competences, a revenue formula (TOML), or a
/// transitional milestone.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum BodyJson {
    Text(String),
    Competences {
        powers: Vec<PowerJson>,
        #[serde(default)]
        shared_rule: SharedRuleJson,
    },
    Revenue(String),
    Milestone {
        region: String,
        event: String,
        years_after_ratification: u32,
    },
}

impl BodyJson {
    /// The text amendments change, for bodies that have one (text and revenue formulas).
    pub fn amendable_text(&self) -> Option<&str> {
        match self {
            BodyJson::Text(t) | BodyJson::Revenue(t) => Some(t),
            _ => None,
        }
    }

    fn with_text(&self, text: String) -> BodyJson {
        match self {
            BodyJson::Revenue(_) => BodyJson::Revenue(text),
            _ => BodyJson::Text(text),
        }
    }

    pub fn to_core(&self) -> ArticleBody {
        match self {
            BodyJson::Text(t) => ArticleBody::Text(t.clone()),
            BodyJson::Revenue(t) => ArticleBody::Revenue(t.clone()),
            BodyJson::Competences { powers, shared_rule: s } => ArticleBody::Competences {
                powers: powers
                    .iter()
                    .map(|p| {
                        let holder = match p.holder {
                            HolderJson::Centre => Holder::Centre,
                            HolderJson::Shared => Holder::Shared,
                            HolderJson::Regions => Holder::Regions,
                        };
                        (p.power.clone(), holder)
                    })
                    .collect(),
                shared_rule: SharedRule {
                    regional_chamber: s.regional_chamber,
                    regional_consent_to_amendment: s.regional_consent_to_amendment,
                    regions_in_executive: s.regions_in_executive,
                    regions_co_decide_revenue: s.regions_co_decide_revenue,
                },
            },
            BodyJson::Milestone { region, event, years_after_ratification } => ArticleBody::Milestone {
                region: region.clone(),
                event: event.clone(),
                years_after_ratification: *years_after_ratification,
            },
        }
    }

    /// Checks the body on its own: text present, formula parses, matrix well-formed.
    fn check(&self, regions: &[String]) -> Result<(), String> {
        match self {
            BodyJson::Text(t) if t.trim().is_empty() => Err("the motion's text is empty".into()),
            BodyJson::Text(_) => Ok(()),
            BodyJson::Revenue(t) => revenue::Formula::parse(t).map(|_| ()),
            BodyJson::Competences { powers, .. } => {
                let mut names: Vec<&str> = powers.iter().map(|p| p.power.as_str()).collect();
                names.sort();
                names.dedup();
                if names.len() != powers.len() || names.iter().any(|n| n.trim().is_empty()) {
                    return Err("every power in the matrix needs a name, once".into());
                }
                let ArticleBody::Competences { powers, shared_rule } = self.to_core() else { unreachable!() };
                convene_core::constitution::decentralization(&powers, &shared_rule).map(|_| ())
            }
            BodyJson::Milestone { region, event, years_after_ratification } => {
                if !regions.contains(region) {
                    return Err(format!("the milestone's region {region:?} is not a region of the localities"));
                }
                if event.trim().is_empty() || *years_after_ratification > 100 {
                    return Err("a milestone needs an event and at most 100 years after ratification".into());
                }
                Ok(())
            }
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ChangeJson {
    pub from: usize,
    pub to: usize,
    pub with: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MajorityJson {
    Simple,
    Absolute,
    Qualified,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BaseJson {
    Present,
    InOffice,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum WeightingJson {
    #[default]
    Equal,
    Population,
    SqrtPopulation,
}

/// A vote's rule, fixed when the vote opens.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RuleJson {
    pub majority: MajorityJson,
    /// The share a qualified majority needs, e.g. `2/3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
    pub base: BaseJson,
    /// Members present, as a share of members in office, at least.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quorum: Option<String>,
    #[serde(default)]
    pub concurrent: bool,
    #[serde(default)]
    pub weighting: WeightingJson,
}

impl RuleJson {
    /// More yes than no among the members present; no quorum; every delegate weighs the same.
    pub fn simple_majority_of_present() -> RuleJson {
        RuleJson {
            majority: MajorityJson::Simple,
            share: None,
            base: BaseJson::Present,
            quorum: None,
            concurrent: false,
            weighting: WeightingJson::Equal,
        }
    }

    pub fn to_core(&self) -> Result<VoteRule, String> {
        let share = |text: &Option<String>, what: &str| -> Result<Option<Ratio>, String> {
            match text {
                None => Ok(None),
                Some(t) => {
                    let r = Ratio::parse(t).map_err(|e| format!("{what}: {e}"))?;
                    if r.num() == 0 || r.num() > r.den() {
                        return Err(format!("{what} must be more than 0 and at most 1"));
                    }
                    Ok(Some(r))
                }
            }
        };
        let majority = match (self.majority, share(&self.share, "share")?) {
            (MajorityJson::Simple, None) => Majority::Simple,
            (MajorityJson::Absolute, None) => Majority::Absolute,
            (MajorityJson::Qualified, Some(s)) => Majority::Qualified(s),
            (MajorityJson::Qualified, None) => return Err("a qualified majority needs its share, e.g. \"2/3\"".into()),
            (_, Some(_)) => return Err("only a qualified majority takes a share".into()),
        };
        Ok(VoteRule {
            majority,
            base: match self.base {
                BaseJson::Present => Base::Present,
                BaseJson::InOffice => Base::InOffice,
            },
            quorum: share(&self.quorum, "quorum")?,
            concurrent: self.concurrent,
            weighting: match self.weighting {
                WeightingJson::Equal => Weighting::Equal,
                WeightingJson::Population => Weighting::Population,
                WeightingJson::SqrtPopulation => Weighting::SquareRootOfPopulation,
            },
        })
    }
}

/// How an event names a motion, an amendment or a vote: by its number (version 1) or by the
/// reference of the entry that created it — the hex of its leaf hash (version 2,
/// `docs/convention.md` §2.1).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[serde(untagged)]
pub enum Ref {
    Number(u32),
    Hash(String),
}

impl From<u32> for Ref {
    fn from(n: u32) -> Ref {
        Ref::Number(n)
    }
}

impl std::fmt::Display for Ref {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ref::Number(n) => write!(f, "{n}"),
            Ref::Hash(h) => write!(f, "{}…", &h[..h.len().min(12)]),
        }
    }
}

/// What a vote decides: a motion, an amendment, or a ranked choice among motions. In an event
/// the objects are [`Ref`]s; in the state, their numbers.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Subject<R = u32> {
    Motion(R),
    Amendment(R),
    Ranked(Vec<R>),
}

impl Subject<u32> {
    /// The subject as an event names it in a version-1 log (by number).
    pub fn numbered(&self) -> Subject<Ref> {
        match self {
            Subject::Motion(m) => Subject::Motion(Ref::Number(*m)),
            Subject::Amendment(a) => Subject::Amendment(Ref::Number(*a)),
            Subject::Ranked(o) => Subject::Ranked(o.iter().map(|&m| Ref::Number(m)).collect()),
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceJson {
    Yes,
    No,
    Abstain,
}

/// A vote's result as the chair closes it; the state machine recomputes it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct VoteResult {
    pub adopted: bool,
    #[serde(default)]
    pub yes: u64,
    #[serde(default)]
    pub no: u64,
    #[serde(default)]
    pub abstain: u64,
    /// A ranked vote's Schulze winner (an index into its options), if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winner: Option<u32>,
    /// Each condition of the rule and whether it held, in words (or the counts of a ranked vote):
    /// derived by the state machine for people to read. In an event it is **not compared** and
    /// has no effect — the chair signs only the figures above; tools send none (older logs carry
    /// English sentences here, which replay unchanged whatever today's wording).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<(String, bool)>,
}

impl VoteResult {
    /// The figures a chair signs: everything but the words.
    pub fn figures(&self) -> VoteResult {
        VoteResult { conditions: Vec::new(), ..self.clone() }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    Localities {
        source: String,
        localities: Vec<LocalityJson>,
    },
    Apportionment {
        localities_version: u32,
        method: String,
        seats: u64,
        #[serde(default)]
        min_seats: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_seats: Option<u64>,
        result: Vec<u64>,
    },
    Credential {
        key: String,
        name: String,
        locality: String,
        role: Role,
    },
    Agenda {
        items: Vec<String>,
    },
    Motion {
        title: String,
        body: BodyJson,
    },
    Amendment {
        motion: Ref,
        changes: Vec<ChangeJson>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        rationale: String,
    },
    FloorRequest {},
    Floor {
        delegate: String,
        seconds: u64,
    },
    NextItem {},
    OpenVote {
        subject: Subject<Ref>,
        rule: RuleJson,
    },
    Vote {
        vote: Ref,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        choice: Option<ChoiceJson>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ranking: Option<Vec<Vec<u32>>>,
    },
    CloseVote {
        vote: Ref,
        result: VoteResult,
    },
    /// A yes/no vote cast secretly in a referendum whose electorate is the delegates in office
    /// (their own keys are its credentials); the rule must weigh delegates equally.
    OpenSecretVote {
        subject: Subject<Ref>,
        rule: RuleJson,
        referendum: String,
        trustees: crate::format::TrusteeCount,
    },
    /// Closes a secret vote with the referendum's published counts per region
    /// (`[yes, no, abstain]`, abstaining being a blank ballot).
    CloseSecretVote {
        vote: Ref,
        #[serde(deserialize_with = "crate::format::unique_keys")]
        tally: BTreeMap<String, [u64; 3]>,
        result: VoteResult,
    },
    Ratify {
        referendum: String,
        question: String,
        rule: String,
        #[serde(default)]
        min_region_ballots: u64,
        trustees: crate::format::TrusteeCount,
        /// With named trustees (record format version 2): the ratification's registrar, who
        /// signs its credential list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        registrar: Option<crate::actors::Actor>,
        /// With named trustees: the official who issues the sign-in codes apart from the registrar.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code_issuer: Option<crate::actors::Actor>,
    },
}

impl Event {
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Localities { .. } => "localities",
            Event::Apportionment { .. } => "apportionment",
            Event::Credential { .. } => "credential",
            Event::Agenda { .. } => "agenda",
            Event::Motion { .. } => "motion",
            Event::Amendment { .. } => "amendment",
            Event::FloorRequest {} => "floor_request",
            Event::Floor { .. } => "floor",
            Event::NextItem {} => "next_item",
            Event::OpenVote { .. } => "open_vote",
            Event::Vote { .. } => "vote",
            Event::CloseVote { .. } => "close_vote",
            Event::OpenSecretVote { .. } => "open_secret_vote",
            Event::CloseSecretVote { .. } => "close_secret_vote",
            Event::Ratify { .. } => "ratify",
        }
    }
}

/// A log line as read: the event's exact bytes are kept, because they are what was signed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryIn<'a> {
    n: u64,
    /// Version 2: the log the signer saw.
    #[serde(default, borrow)]
    seen: Option<SeenIn<'a>>,
    signer: &'a str,
    #[serde(borrow)]
    event: &'a RawValue,
    signature: SignatureJson<'a>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeenIn<'a> {
    size: u64,
    root: &'a str,
}

/// The log a signer saw (version 2): its size and RFC 9162 root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen {
    pub size: u64,
    pub root: Hash,
}

impl SeenIn<'_> {
    fn decode(&self) -> Result<Seen, String> {
        let root = crate::format::hash("seen.root", self.root).map_err(|e| e.to_string())?;
        Ok(Seen { size: self.size, root })
    }
}

/// The signed message: `le64(n) ‖ E` (version 1), or `le64(n) ‖ le64(seen.size) ‖ seen.root ‖ E`
/// (version 2), with its tag.
fn signed_message(n: u64, seen: Option<&Seen>, event: &[u8]) -> (&'static str, Vec<u8>) {
    let mut msg = n.to_le_bytes().to_vec();
    let tag = match seen {
        None => TAG_EVENT,
        Some(seen) => {
            msg.extend_from_slice(&seen.size.to_le_bytes());
            msg.extend_from_slice(&seen.root);
            TAG_EVENT_V2
        }
    };
    msg.extend_from_slice(event);
    (tag, msg)
}

/// Adds an entry's signature to `batch`: `s·G = R + e·P`, `e = H(tag; h, P, R, M)`.
fn push_entry(batch: &mut BatchVerifier, charter_hash: &Hash, signer: &Point, entry: &EntryIn) -> Result<(), String> {
    let signature: Signature = entry.signature.decode().map_err(|e| e.to_string())?;
    let seen = entry.seen.as_ref().map(SeenIn::decode).transpose()?;
    let (tag, msg) = signed_message(entry.n, seen.as_ref(), entry.event.get().as_bytes());
    schnorr::push_signature(batch, tag, charter_hash, signer, &msg, &signature)
        .map_err(|_| "the signer's key may not be the identity".to_string())
}

/// Whether each line carries a valid signature, checked in batches of 128 (one multiscalar
/// multiplication each, in parallel), falling back to one line at a time in a batch that fails,
/// so that a bad line is named. A line that does not parse counts as not valid here;
/// [`ConventionState::apply_verified_line`] then says what is wrong with it.
pub fn verify_signatures(charter_hash: &Hash, lines: &[&[u8]]) -> Vec<bool> {
    use rayon::prelude::*;
    let one = |line: &[u8], batch: &mut BatchVerifier| -> bool {
        let Ok(entry) = serde_json::from_slice::<EntryIn>(line) else { return false };
        let Ok(signer) = point_non_identity("signer", entry.signer) else { return false };
        push_entry(batch, charter_hash, &signer, &entry).is_ok()
    };
    lines
        .par_chunks(128)
        .flat_map_iter(|chunk| {
            let mut batch = BatchVerifier::new(convene_crypto::RistrettoPoint::default());
            let all_parse = chunk.iter().all(|line| one(line, &mut batch));
            if all_parse && batch.verify_vartime() {
                vec![true; chunk.len()]
            } else {
                chunk
                    .iter()
                    .map(|line| {
                        let mut batch = BatchVerifier::new(convene_crypto::RistrettoPoint::default());
                        one(line, &mut batch) && batch.verify_vartime()
                    })
                    .collect()
            }
        })
        .collect()
}

/// `event` with each motion, amendment or vote it names by number renamed by `lookup(kind,
/// number)` (`kind` is `"motion"`, `"amendment"` or `"vote"`), where that gives a name; the one
/// place that knows which fields of which events name objects.
pub fn name_objects(event: Event, lookup: impl Fn(&str, u32) -> Option<Ref>) -> Event {
    let name = |kind: &str, r: Ref| match r {
        Ref::Number(n) => lookup(kind, n).unwrap_or(Ref::Number(n)),
        hash => hash,
    };
    let subject = |s: Subject<Ref>| match s {
        Subject::Motion(m) => Subject::Motion(name("motion", m)),
        Subject::Amendment(a) => Subject::Amendment(name("amendment", a)),
        Subject::Ranked(o) => Subject::Ranked(o.into_iter().map(|m| name("motion", m)).collect()),
    };
    match event {
        Event::Amendment { motion, changes, rationale } => {
            Event::Amendment { motion: name("motion", motion), changes, rationale }
        }
        Event::OpenVote { subject: s, rule } => Event::OpenVote { subject: subject(s), rule },
        Event::OpenSecretVote { subject: s, rule, referendum, trustees } => {
            Event::OpenSecretVote { subject: subject(s), rule, referendum, trustees }
        }
        Event::Vote { vote, choice, ranking } => Event::Vote { vote: name("vote", vote), choice, ranking },
        Event::CloseVote { vote, result } => Event::CloseVote { vote: name("vote", vote), result },
        Event::CloseSecretVote { vote, tally, result } => {
            Event::CloseSecretVote { vote: name("vote", vote), tally, result }
        }
        other => other,
    }
}

/// Whether `event` names any object by number.
pub fn names_by_number(event: &Event) -> bool {
    let found = std::cell::Cell::new(false);
    name_objects(event.clone(), |_, _| {
        found.set(true);
        None
    });
    found.get()
}

/// Signs `event` as the signer's `n`-th event and returns the log line: a version-1 line when
/// `seen` is `None`, else a version-2 line committing to the log the signer saw.
pub fn sign_entry(
    charter_hash: &Hash,
    secret: &Scalar,
    n: u64,
    seen: Option<&Seen>,
    event: &Event,
    rng: &mut impl CryptoRngCore,
) -> Vec<u8> {
    let k = zeroize::Zeroizing::new(Scalar::random(rng));
    sign_entry_with_nonce(charter_hash, secret, n, seen, event, &k)
}

/// [`sign_entry`] with the signature's nonce `k` given (which must be fresh, secret and uniformly
/// random; fixed only for the golden vectors).
pub fn sign_entry_with_nonce(
    charter_hash: &Hash,
    secret: &Scalar,
    n: u64,
    seen: Option<&Seen>,
    event: &Event,
    k: &Scalar,
) -> Vec<u8> {
    let public = Point::from(convene_crypto::RistrettoPoint::mul_base(secret));
    let event_bytes = serde_json::to_vec(event).expect("events always serialize");
    let (tag, msg) = signed_message(n, seen, &event_bytes);
    let signature = schnorr::sign_with_nonce(tag, charter_hash, secret, &public, &msg, k);
    let signature = serde_json::to_string(&SignatureJson::from_signature(&signature)).expect("serializes");
    let seen =
        seen.map_or(String::new(), |s| format!("\"seen\":{{\"size\":{},\"root\":\"{}\"}},", s.size, to_hex(&s.root)));
    format!(
        "{{\"n\":{n},{seen}\"signer\":\"{}\",\"event\":{},\"signature\":{signature}}}",
        public.to_hex(),
        String::from_utf8(event_bytes).expect("JSON is UTF-8")
    )
    .into_bytes()
}

// ---------------------------------------------------------------- the state

#[derive(Serialize, Clone, Debug)]
pub struct LocalitiesVersion {
    pub version: u32,
    pub source: String,
    pub localities: Vec<LocalityJson>,
    pub entry: u64,
}

#[derive(Serialize, Clone, Debug)]
pub struct ApportionmentState {
    pub localities_version: u32,
    pub method: String,
    pub seats: u64,
    pub min_seats: u64,
    pub max_seats: Option<u64>,
    /// Seats per locality, in the localities' order.
    pub result: Vec<u64>,
    pub entry: u64,
}

#[derive(Serialize, Clone, Debug)]
pub struct MemberState {
    pub key: String,
    pub name: String,
    pub locality: String,
    pub region: String,
    pub role: Role,
    /// The locality's population divided by its seats, rounded down (for weighted votes).
    pub population: u64,
    pub entry: u64,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Adopted,
    Rejected,
    Withdrawn,
}

#[derive(Serialize, Clone, Debug)]
pub struct MotionState {
    pub id: u32,
    pub title: String,
    pub proposer: String,
    /// The body as moved.
    pub moved: BodyJson,
    /// The body with the adopted amendments applied.
    pub current: BodyJson,
    pub status: Status,
    pub history: Vec<String>,
    pub entry: u64,
    /// The reference of the entry that moved it (version 2 events name it so).
    pub hash: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct AmendmentState {
    pub id: u32,
    pub motion: u32,
    pub proposer: String,
    pub changes: Vec<ChangeJson>,
    pub rationale: String,
    /// The diff against the motion's text when the amendment was moved.
    pub diff: String,
    pub status: Status,
    pub entry: u64,
    /// The reference of the entry that moved it.
    pub hash: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct VoteState {
    pub id: u32,
    pub subject: Subject,
    pub rule: RuleJson,
    pub open: bool,
    /// Keys of the delegates in office when the vote opened.
    pub in_office: Vec<String>,
    pub choices: BTreeMap<String, ChoiceJson>,
    pub rankings: BTreeMap<String, Vec<Vec<u32>>>,
    /// The result as closed (while the vote is open, [`ConventionState::count`] gives the result
    /// so far; the server's state shows that).
    pub result: VoteResult,
    /// A secret vote's referendum, and once closed its published counts per region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretVote>,
    pub entry: u64,
    /// The reference of the entry that opened it.
    pub hash: String,
}

#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct SecretVote {
    pub referendum: String,
    pub trustees: crate::format::TrusteeCount,
    /// Per region `[yes, no, abstain]`, as the referendum published them.
    pub tally: BTreeMap<String, [u64; 3]>,
}

#[derive(Serialize, Clone, Debug)]
pub struct Floor {
    pub delegate: String,
    pub region: String,
    pub seconds: u64,
    pub entry: u64,
}

#[derive(Serialize, Clone, Debug)]
pub struct RatifyState {
    pub referendum: String,
    pub question: String,
    pub rule: String,
    pub min_region_ballots: u64,
    pub trustees: crate::format::TrusteeCount,
    pub registrar: Option<crate::actors::Actor>,
    pub code_issuer: Option<crate::actors::Actor>,
    pub entry: u64,
}

/// Why an entry was not accepted: it is not a valid signed entry at all, or it is one the
/// convention's state refuses (wrong signer, wrong moment, a result that does not add up).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("{0}")]
    Malformed(String),
    #[error("{0}")]
    Refused(String),
}

/// What an accepted event did, for live updates.
#[derive(Serialize, Clone, Debug)]
pub struct Applied {
    pub index: u64,
    pub kind: &'static str,
    pub signer: String,
    pub summary: String,
    /// The number of the motion, amendment or vote the event created, if it created one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<u32>,
    /// The entry's reference (the hex of its leaf hash): how version-2 events name what it created.
    pub hash: String,
}

/// What kind of object an entry created, for resolving references.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Created {
    Motion,
    Amendment,
    Vote,
}

impl Created {
    fn name(self) -> &'static str {
        match self {
            Created::Motion => "motion",
            Created::Amendment => "amendment",
            Created::Vote => "vote",
        }
    }
}

/// The convention as its log has made it so far.
#[derive(Serialize, Clone, Debug)]
pub struct ConventionState {
    pub charter: Charter,
    #[serde(skip)]
    pub charter_hash: Hash,
    /// Entries applied (the next entry's index).
    pub entries: u64,
    /// Each signer's last sequence number.
    pub sequence: BTreeMap<String, u64>,
    pub localities: Vec<LocalitiesVersion>,
    pub apportionment: Option<ApportionmentState>,
    pub members: Vec<MemberState>,
    /// Each member's key → their index in `members`.
    #[serde(skip)]
    member_index: std::collections::HashMap<String, usize>,
    pub agenda: Vec<String>,
    pub current_item: usize,
    pub speakers: Vec<String>,
    pub floors: Vec<Floor>,
    pub motions: Vec<MotionState>,
    pub amendments: Vec<AmendmentState>,
    pub votes: Vec<VoteState>,
    /// Adopted motions, in order of adoption (article `k + 1` is `articles[k]`).
    pub articles: Vec<u32>,
    pub ratified: Option<RatifyState>,
    /// The log's root after each prefix (`roots[k]` is the root of the first `k` entries), for
    /// checking what a version-2 signer saw.
    #[serde(skip)]
    roots: Vec<Hash>,
    #[serde(skip)]
    tree: crate::log::RootAccumulator,
    /// Each signer's last `seen.size` (version 2).
    #[serde(skip)]
    seen: std::collections::HashMap<String, u64>,
    /// Each created object's reference → what it is and its number (version 2).
    #[serde(skip)]
    references: std::collections::HashMap<String, (Created, u32)>,
    /// The reference of the entry being applied.
    #[serde(skip)]
    leaf: String,
}

enum Signer {
    Chair,
    Secretary,
    Member(usize),
}

impl ConventionState {
    pub fn new(charter_bytes: &[u8]) -> Result<ConventionState, RecordError> {
        let charter = Charter::parse(charter_bytes)?;
        Ok(ConventionState {
            charter,
            charter_hash: manifest_hash(charter_bytes),
            entries: 0,
            sequence: BTreeMap::new(),
            localities: Vec::new(),
            apportionment: None,
            members: Vec::new(),
            member_index: std::collections::HashMap::new(),
            agenda: Vec::new(),
            current_item: 0,
            speakers: Vec::new(),
            floors: Vec::new(),
            motions: Vec::new(),
            amendments: Vec::new(),
            votes: Vec::new(),
            articles: Vec::new(),
            ratified: None,
            roots: vec![crate::log::empty_root()],
            tree: crate::log::RootAccumulator::default(),
            seen: std::collections::HashMap::new(),
            references: std::collections::HashMap::new(),
            leaf: String::new(),
        })
    }

    /// The root of the log's first `size` entries, as replayed (the last one is the log so far).
    pub fn root(&self, size: u64) -> Option<Hash> {
        self.roots.get(size as usize).copied()
    }

    /// The number of the object `reference` names, which must be a `kind`: a number in a
    /// version-1 log, an entry's reference in a version-2 log.
    fn resolve(&self, kind: Created, reference: &Ref) -> Result<u32, String> {
        match (self.charter.version, reference) {
            (1, Ref::Number(n)) => Ok(*n),
            (1, Ref::Hash(_)) => Err(format!("this convention (version 1) names a {} by its number", kind.name())),
            (_, Ref::Number(_)) => Err(format!(
                "name the {} by the reference (hash) of the entry that created it, not by its number",
                kind.name()
            )),
            (_, Ref::Hash(h)) => match self.references.get(h.as_str()) {
                Some((k, n)) if *k == kind => Ok(*n),
                Some((k, _)) => Err(format!("entry {h} created a {}, not a {}", k.name(), kind.name())),
                None => Err(format!("no entry with reference {h} created a {}", kind.name())),
            },
        }
    }

    /// What a signer sees now: the whole log as replayed (version 2; `None` in version 1).
    pub fn seen_now(&self) -> Option<Seen> {
        (self.charter.version >= 2).then(|| Seen { size: self.entries, root: self.tree.root() })
    }

    /// `event` naming its objects as this convention's version does: each number that names an
    /// existing object becomes that object's reference in version 2 (others stay, and are
    /// refused when applied).
    pub fn named(&self, event: Event) -> Event {
        name_objects(event, |kind, n| self.reference(kind, n))
    }

    /// Signs `event` as the next event of the holder of `secret`, who has seen the whole log,
    /// naming its objects as this version does (tests, fuzzing, forged records and tools that
    /// replay the log themselves).
    pub fn sign_next(&self, secret: &Scalar, event: &Event, rng: &mut impl CryptoRngCore) -> Vec<u8> {
        let n = self.next_n(&public_hex(secret));
        sign_entry(&self.charter_hash, secret, n, self.seen_now().as_ref(), &self.named(event.clone()), rng)
    }

    /// The vote an event names.
    pub fn vote_named(&self, reference: &Ref) -> Result<&VoteState, String> {
        self.vote(self.resolve(Created::Vote, reference)?)
    }

    fn resolve_subject(&self, subject: &Subject<Ref>) -> Result<Subject, String> {
        Ok(match subject {
            Subject::Motion(m) => Subject::Motion(self.resolve(Created::Motion, m)?),
            Subject::Amendment(a) => Subject::Amendment(self.resolve(Created::Amendment, a)?),
            Subject::Ranked(o) => {
                Subject::Ranked(o.iter().map(|m| self.resolve(Created::Motion, m)).collect::<Result<_, _>>()?)
            }
        })
    }

    /// How an event names motion, amendment or vote `number` (the inverse of resolving): its
    /// number in version 1, its creating entry's reference in version 2.
    pub fn reference(&self, kind: &str, number: u32) -> Option<Ref> {
        let hash = match kind {
            "motion" => &self.motion(number).ok()?.hash,
            "amendment" => &self.amendment(number).ok()?.hash,
            "vote" => &self.vote(number).ok()?.hash,
            _ => return None,
        };
        Some(if self.charter.version == 1 { Ref::Number(number) } else { Ref::Hash(hash.clone()) })
    }

    /// The next sequence number for `key` (hex).
    pub fn next_n(&self, key: &str) -> u64 {
        self.sequence.get(key).copied().unwrap_or(0) + 1
    }

    /// The regions of the latest localities, in order of first appearance.
    /// Trustees an event names (record format version 2) must be `n` distinct trustees of the
    /// charter's list; an event may also name none (version 1).
    fn check_named_trustees(&self, trustees: &crate::format::TrusteeCount) -> Result<(), String> {
        if trustees.members.is_empty() {
            return Ok(());
        }
        if trustees.members.len() != trustees.n as usize {
            return Err(format!("{} trustees are named; n is {}", trustees.members.len(), trustees.n));
        }
        let mut seen = std::collections::BTreeSet::new();
        for member in &trustees.members {
            if !self.charter.trustees.contains(member) {
                return Err(format!("{} ({}) is not among the charter's trustees", member.name, member.key));
            }
            if !seen.insert(member.key.as_str()) {
                return Err(format!("{} is named twice", member.name));
            }
        }
        Ok(())
    }

    pub fn regions(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in self.localities.last().map(|v| v.localities.as_slice()).unwrap_or(&[]) {
            if !out.contains(&l.region) {
                out.push(l.region.clone());
            }
        }
        out
    }

    /// Checks the line's signature and sequence number and applies its event; the leaf hash and
    /// what happened on success. On failure nothing changed.
    pub fn apply_line(&mut self, line: &[u8]) -> Result<(Hash, Applied), EventError> {
        self.apply_line_with(line, true)
    }

    /// As [`ConventionState::apply_line`], for a line whose signature the caller has already
    /// found valid with [`verify_signatures`] (the verifier checks them in parallel batches).
    pub fn apply_verified_line(&mut self, line: &[u8]) -> Result<(Hash, Applied), EventError> {
        self.apply_line_with(line, false)
    }

    fn apply_line_with(&mut self, line: &[u8], check_signature: bool) -> Result<(Hash, Applied), EventError> {
        let malformed = |e: String| EventError::Malformed(e);
        let entry: EntryIn = serde_json::from_slice(line).map_err(|e| malformed(format!("not a valid entry: {e}")))?;
        if line.contains(&b'\n') || line.contains(&b'\r') {
            return Err(malformed("an entry must be one line of compact JSON".into()));
        }
        let signer_point = point_non_identity("signer", entry.signer).map_err(|e| malformed(e.to_string()))?;
        if check_signature {
            let mut batch = BatchVerifier::new(*signer_point.point());
            push_entry(&mut batch, &self.charter_hash, &signer_point, &entry).map_err(malformed)?;
            if !batch.verify_vartime() {
                return Err(malformed("the signature does not verify with the signer's key".into()));
            }
        }
        let signer_hex = signer_point.to_hex();
        let event: Event =
            serde_json::from_str(entry.event.get()).map_err(|e| malformed(format!("not a valid event: {e}")))?;
        let expected = self.next_n(&signer_hex);
        if entry.n != expected {
            return Err(EventError::Refused(format!(
                "this is the signer's event n = {}, but their next is n = {expected}",
                entry.n
            )));
        }
        let seen = entry.seen.as_ref().map(SeenIn::decode).transpose().map_err(malformed)?;
        match (self.charter.version, &seen) {
            (1, Some(_)) => return Err(malformed("a version-1 convention's entries carry no seen".into())),
            (1, None) => {}
            (_, None) => return Err(malformed("a version-2 entry says which log its signer saw (seen)".into())),
            (_, Some(seen)) => {
                if seen.size > self.entries {
                    return Err(EventError::Refused(format!(
                        "the signer saw {} entries, but this is entry {}: it was moved before what its signer saw",
                        seen.size, self.entries
                    )));
                }
                if self.root(seen.size) != Some(seen.root) {
                    return Err(EventError::Refused(format!(
                        "the log its signer saw (size {}) is not this log's first {} entries",
                        seen.size, seen.size
                    )));
                }
                let before = self.seen.get(&signer_hex).copied().unwrap_or(0);
                if seen.size < before {
                    return Err(EventError::Refused(format!(
                        "the signer saw {} entries before, and now only {}: a signer's view never goes back",
                        before, seen.size
                    )));
                }
            }
        }
        let signer = self.who(&signer_hex);
        let leaf = leaf_hash(line);
        self.leaf = to_hex(&leaf);
        let summary = self.apply(&signer_hex, signer, &event).map_err(EventError::Refused)?;
        self.sequence.insert(signer_hex.clone(), entry.n);
        if let Some(seen) = seen {
            self.seen.insert(signer_hex.clone(), seen.size);
        }
        let created = match event {
            Event::Motion { .. } => Some((Created::Motion, self.motions.len() as u32)),
            Event::Amendment { .. } => Some((Created::Amendment, self.amendments.len() as u32)),
            Event::OpenVote { .. } | Event::OpenSecretVote { .. } => Some((Created::Vote, self.votes.len() as u32)),
            _ => None,
        };
        if let Some(object) = created {
            self.references.insert(self.leaf.clone(), object);
        }
        let applied = Applied {
            index: self.entries,
            kind: event.kind(),
            signer: signer_hex,
            summary,
            created: created.map(|(_, n)| n),
            hash: self.leaf.clone(),
        };
        self.grow(leaf);
        Ok((leaf, applied))
    }

    fn grow(&mut self, leaf: Hash) {
        self.entries += 1;
        self.tree.push(leaf);
        self.roots.push(self.tree.root());
    }

    /// Counts a line that failed (the verifier goes on replaying after it, without its effect,
    /// but the line is in the log, so later signers saw it).
    pub fn skip_line(&mut self, line: &[u8]) {
        self.grow(leaf_hash(line));
    }

    fn who(&self, key: &str) -> Option<Signer> {
        if key == self.charter.chair {
            Some(Signer::Chair)
        } else if key == self.charter.secretary {
            Some(Signer::Secretary)
        } else {
            self.member_index.get(key).copied().map(Signer::Member)
        }
    }

    fn delegate(&self, signer: &Option<Signer>) -> Result<usize, String> {
        match signer {
            Some(Signer::Member(m)) if self.members[*m].role == Role::Delegate => Ok(*m),
            Some(Signer::Member(_)) => Err("observers may not move, amend, speak or vote".into()),
            _ => Err("only a credentialed delegate may do this".into()),
        }
    }

    fn apply(&mut self, key: &str, signer: Option<Signer>, event: &Event) -> Result<String, String> {
        if self.ratified.is_some() {
            return Err("the convention has handed its constitution to ratification; the log is closed".into());
        }
        let index = self.entries;
        let needs = |role: &str, ok: bool| if ok { Ok(()) } else { Err(format!("only the {role} may do this")) };
        match event {
            Event::Localities { source, localities } => {
                needs("secretary", matches!(signer, Some(Signer::Secretary)))?;
                check_localities(localities)?;
                if source.trim().is_empty() {
                    return Err("say where the localities come from (source)".into());
                }
                let version = self.localities.len() as u32 + 1;
                self.localities.push(LocalitiesVersion {
                    version,
                    source: source.clone(),
                    localities: localities.clone(),
                    entry: index,
                });
                Ok(format!("localities version {version}: {} localities from {source}", localities.len()))
            }
            Event::Apportionment { localities_version, method, seats, min_seats, max_seats, result } => {
                needs("secretary", matches!(signer, Some(Signer::Secretary)))?;
                let latest = self.localities.last().ok_or("import the localities first")?;
                if *localities_version != latest.version {
                    return Err(format!("apportion the latest localities (version {})", latest.version));
                }
                if self.members.iter().any(|m| m.role == Role::Delegate) {
                    return Err("delegates are already credentialed under the current apportionment".into());
                }
                let problem = Problem {
                    names: latest.localities.iter().map(|l| l.name.clone()).collect(),
                    populations: latest.localities.iter().map(|l| l.population).collect(),
                    seats: *seats,
                    min_seats: *min_seats,
                    max_seats: *max_seats,
                    threshold: None,
                };
                let parsed = Method::parse(method)?;
                let computed = apportion::apportion(parsed, &problem)?;
                if &computed.seats != result {
                    return Err(format!(
                        "the apportionment does not match {} on these localities: it gives {:?}",
                        parsed.name(),
                        computed.seats
                    ));
                }
                self.apportionment = Some(ApportionmentState {
                    localities_version: *localities_version,
                    method: method.clone(),
                    seats: *seats,
                    min_seats: *min_seats,
                    max_seats: *max_seats,
                    result: result.clone(),
                    entry: index,
                });
                Ok(format!("{seats} seats apportioned by {}", parsed.name()))
            }
            Event::Credential { key: member, name, locality, role } => {
                needs("secretary", matches!(signer, Some(Signer::Secretary)))?;
                let point = point_non_identity("key", member).map_err(|e| e.to_string())?;
                let member = point.to_hex();
                if self.who(&member).is_some() {
                    return Err("this key is already the chair's, the secretary's or a member's".into());
                }
                if name.trim().is_empty() {
                    return Err("a member needs a name".into());
                }
                let apportionment = self.apportionment.as_ref().ok_or("apportion the seats first")?;
                let localities = &self.localities[apportionment.localities_version as usize - 1].localities;
                let at = localities
                    .iter()
                    .position(|l| &l.name == locality)
                    .ok_or_else(|| format!("there is no locality {locality:?}"))?;
                let seats = apportionment.result[at];
                if *role == Role::Delegate {
                    let taken =
                        self.members.iter().filter(|m| m.role == Role::Delegate && &m.locality == locality).count();
                    if taken as u64 >= seats {
                        return Err(format!("{locality} has {seats} seats, all taken"));
                    }
                }
                self.member_index.insert(member.clone(), self.members.len());
                self.members.push(MemberState {
                    key: member,
                    name: name.clone(),
                    locality: locality.clone(),
                    region: localities[at].region.clone(),
                    role: *role,
                    population: localities[at].population / seats.max(1),
                    entry: index,
                });
                Ok(format!("{name} credentialed for {locality}"))
            }
            Event::Agenda { items } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                if items.is_empty() || items.iter().any(|i| i.trim().is_empty()) {
                    return Err("the agenda needs items, none empty".into());
                }
                self.agenda = items.clone();
                self.current_item = 0;
                self.speakers.clear();
                self.floors.clear();
                Ok(format!("agenda of {} items", items.len()))
            }
            Event::NextItem {} => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                if self.current_item + 1 >= self.agenda.len() {
                    return Err("this is the agenda's last item".into());
                }
                self.current_item += 1;
                self.speakers.clear();
                self.floors.clear();
                Ok(format!("agenda item {}: {}", self.current_item + 1, self.agenda[self.current_item]))
            }
            Event::FloorRequest {} => {
                let m = self.delegate(&signer)?;
                if self.speakers.iter().any(|s| s == key) {
                    return Err("you are already on the list of speakers".into());
                }
                self.speakers.push(key.to_string());
                Ok(format!("{} asks for the floor", self.members[m].name))
            }
            Event::Floor { delegate, seconds } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                let at = self
                    .speakers
                    .iter()
                    .position(|s| s == delegate)
                    .ok_or("that delegate is not on the list of speakers")?;
                let member = self.member_index.get(delegate).map(|&m| &self.members[m]).ok_or("no such delegate")?;
                let spent: u64 = self.floors.iter().filter(|f| f.region == member.region).map(|f| f.seconds).sum();
                let left = self.charter.speaking_seconds.saturating_sub(spent);
                if *seconds == 0 || *seconds > left {
                    return Err(format!(
                        "the delegation of {} has {left} seconds left on this item; give between 1 and {left}",
                        member.region
                    ));
                }
                let summary = format!("{} has the floor for {seconds} s", member.name);
                self.floors.push(Floor {
                    delegate: delegate.clone(),
                    region: member.region.clone(),
                    seconds: *seconds,
                    entry: index,
                });
                self.speakers.remove(at);
                Ok(summary)
            }
            Event::Motion { title, body } => {
                let m = self.delegate(&signer)?;
                if title.trim().is_empty() {
                    return Err("a motion needs a title".into());
                }
                body.check(&self.regions())?;
                let id = self.motions.len() as u32 + 1;
                let proposer = self.members[m].name.clone();
                self.motions.push(MotionState {
                    id,
                    title: title.clone(),
                    proposer: proposer.clone(),
                    moved: body.clone(),
                    current: body.clone(),
                    status: Status::Open,
                    history: vec![format!("motion {id} moved by {proposer} (log entry {index})")],
                    entry: index,
                    hash: self.leaf.clone(),
                });
                Ok(format!("motion {id}: {title}"))
            }
            Event::Amendment { motion, changes, rationale } => {
                let m = self.delegate(&signer)?;
                let motion = self.resolve(Created::Motion, motion)?;
                let target = self.motion(motion)?;
                if target.status != Status::Open {
                    return Err(format!("motion {motion} is no longer open"));
                }
                let text = target.current.amendable_text().ok_or(
                    "only text and revenue motions are amended line by line; move an alternative motion instead",
                )?;
                let amended = amendment::apply(text, &to_amendment(changes))?;
                target.current.with_text(amended.clone()).check(&self.regions())?;
                let id = self.amendments.len() as u32 + 1;
                self.amendments.push(AmendmentState {
                    id,
                    motion,
                    proposer: self.members[m].name.clone(),
                    changes: changes.clone(),
                    rationale: rationale.clone(),
                    diff: amendment::diff(text, &amended),
                    status: Status::Open,
                    entry: index,
                    hash: self.leaf.clone(),
                });
                Ok(format!("amendment {id} to motion {motion}"))
            }
            Event::OpenVote { subject, rule } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                let subject = self.resolve_subject(subject)?;
                self.open_vote(&subject, rule, None, index)
            }
            Event::OpenSecretVote { subject, rule, referendum, trustees } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                if rule.weighting != WeightingJson::Equal || matches!(subject, Subject::Ranked(_)) {
                    return Err("a secret vote is a yes/no vote weighing every delegate equally".into());
                }
                if rule.concurrent && self.charter.min_region_ballots > 0 {
                    return Err(format!(
                        "a concurrent majority needs every region's own counts, but a secret vote merges the regions \
with fewer than {} ballots (the charter's min_region_ballots): take this vote by named ballot",
                        self.charter.min_region_ballots
                    ));
                }
                if !valid_id(referendum) || referendum.len() > 40 {
                    return Err("the referendum id must be 1 to 40 characters of a-z, 0-9 and -".into());
                }
                if self.votes.iter().any(|v| v.secret.as_ref().is_some_and(|s| &s.referendum == referendum))
                    || self.ratified.as_ref().is_some_and(|r| &r.referendum == referendum)
                {
                    return Err(format!("referendum {referendum} is already in use"));
                }
                convene_crypto::ceremony::CeremonyParams { manifest_hash: [0; 32], n: trustees.n, t: trustees.t }
                    .check()
                    .map_err(|e| format!("trustees: {e}"))?;
                self.check_named_trustees(trustees)?;
                let subject = self.resolve_subject(subject)?;
                let secret =
                    SecretVote { referendum: referendum.clone(), trustees: trustees.clone(), tally: BTreeMap::new() };
                self.open_vote(&subject, rule, Some(secret), index)
            }
            Event::Vote { vote, choice, ranking } => {
                let m = self.delegate(&signer)?;
                let vote = self.resolve(Created::Vote, vote)?;
                let state = self.vote(vote)?;
                if !state.open {
                    return Err(format!("vote {vote} is closed"));
                }
                if let Some(secret) = &state.secret {
                    return Err(format!("vote {vote} is secret: cast your ballot in referendum {}", secret.referendum));
                }
                if !state.in_office.iter().any(|k| k == key) {
                    return Err("you were credentialed after this vote opened".into());
                }
                if state.choices.contains_key(key) || state.rankings.contains_key(key) {
                    return Err(format!("you have already voted in vote {vote}"));
                }
                // Checked first; then the ballot goes in (an open vote's result is counted when
                // asked for and at its close, not at every ballot).
                let (v, subject) = ((vote - 1) as usize, state.subject.clone());
                match (&subject, choice, ranking) {
                    (Subject::Ranked(options), None, Some(ranking)) => {
                        let ballot = RankedBallot {
                            ranking: ranking.iter().map(|g| g.iter().map(|&c| c as usize).collect()).collect(),
                            count: 1,
                        };
                        ranked::check_ballots(options.len(), std::slice::from_ref(&ballot))?;
                        self.votes[v].rankings.insert(key.to_string(), ranking.clone());
                    }
                    (Subject::Ranked(_), _, _) => {
                        return Err("this is a ranked vote: send a ranking, not a choice".into())
                    }
                    (_, Some(choice), None) => {
                        self.votes[v].choices.insert(key.to_string(), *choice);
                    }
                    _ => return Err("this is a yes/no vote: send a choice (yes, no or abstain)".into()),
                }
                Ok(format!("{} voted in vote {vote}", self.members[m].name))
            }
            Event::CloseVote { vote, result } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                let vote = self.resolve(Created::Vote, vote)?;
                let state = self.vote(vote)?;
                if state.secret.is_some() {
                    return Err(format!(
                        "vote {vote} is secret: close it with close_secret_vote and its referendum's counts"
                    ));
                }
                self.close_vote(vote, result, index)
            }
            Event::CloseSecretVote { vote, tally, result } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                let vote = self.resolve(Created::Vote, vote)?;
                let state = self.vote(vote)?;
                if state.secret.is_none() {
                    return Err(format!("vote {vote} is not secret: close it with close_vote"));
                }
                if !state.open {
                    return Err(format!("vote {vote} is already closed"));
                }
                if tally.contains_key(crate::format::MERGED) && self.charter.min_region_ballots == 0 {
                    return Err("this charter merges no regions (min_region_ballots is 0)".into());
                }
                for (scope, counts) in tally {
                    let seats = state
                        .in_office
                        .iter()
                        .filter(|k| {
                            self.member_index
                                .get(*k)
                                .is_some_and(|&m| secret_scope(tally, &self.members[m].region) == scope)
                        })
                        .count() as u64;
                    let cast = counts.iter().try_fold(0u64, |a, c| a.checked_add(*c)).unwrap_or(u64::MAX);
                    if cast > seats {
                        return Err(format!("{scope} has {seats} delegates in office, not {cast} ballots"));
                    }
                }
                let v = (vote - 1) as usize;
                let before = self.votes[v].secret.clone();
                if let Some(secret) = self.votes[v].secret.as_mut() {
                    secret.tally = tally.clone();
                }
                let closed = self.close_vote(vote, result, index);
                if closed.is_err() {
                    self.votes[v].secret = before;
                }
                closed
            }
            Event::Ratify { referendum, question, rule, min_region_ballots, trustees, registrar, code_issuer } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                if self.articles.is_empty() {
                    return Err("no article has been adopted yet".into());
                }
                if let Some(v) = self.votes.iter().find(|v| v.open) {
                    return Err(format!("vote {} is still open", v.id));
                }
                if !valid_id(referendum) || referendum.len() > 40 {
                    return Err("the referendum id must be 1 to 40 characters of a-z, 0-9 and -".into());
                }
                if question.trim().is_empty() {
                    return Err("the referendum needs its question".into());
                }
                convene_core::ratify::Rule::parse(rule)?;
                convene_crypto::ceremony::CeremonyParams { manifest_hash: [0; 32], n: trustees.n, t: trustees.t }
                    .check()
                    .map_err(|e| format!("trustees: {e}"))?;
                self.check_named_trustees(trustees)?;
                match (trustees.members.is_empty(), registrar, code_issuer) {
                    (true, None, None) => {}
                    (true, _, _) => return Err("a registrar or code issuer is named only with named trustees".into()),
                    (false, None, _) => return Err("with named trustees, name the referendum's registrar too".into()),
                    (false, Some(r), issuer) => {
                        r.check("registrar").map_err(|e| e.to_string())?;
                        if let Some(i) = issuer {
                            i.check("code_issuer").map_err(|e| e.to_string())?;
                            if i.key == r.key {
                                return Err("the code issuer needs a key of its own, not the registrar's".into());
                            }
                        }
                    }
                }
                self.ratified = Some(RatifyState {
                    referendum: referendum.clone(),
                    question: question.clone(),
                    rule: rule.clone(),
                    min_region_ballots: *min_region_ballots,
                    trustees: trustees.clone(),
                    registrar: registrar.clone(),
                    code_issuer: code_issuer.clone(),
                    entry: index,
                });
                Ok(format!("the constitution goes to referendum {referendum}"))
            }
        }
    }

    fn open_vote(
        &mut self,
        subject: &Subject,
        rule: &RuleJson,
        secret: Option<SecretVote>,
        index: u64,
    ) -> Result<String, String> {
        rule.to_core()?;
        let motions = self.subject_motions(subject)?;
        for motion in &motions {
            if self.motion(*motion)?.status != Status::Open {
                return Err(format!("motion {motion} is no longer open"));
            }
            if self
                .votes
                .iter()
                .any(|v| v.open && self.subject_motions(&v.subject).unwrap_or_default().contains(motion))
            {
                return Err(format!("a vote touching motion {motion} is already open"));
            }
        }
        if let Subject::Amendment(a) = subject {
            let amendment = self.amendment(*a)?;
            if amendment.status != Status::Open {
                return Err(format!("amendment {a} has already been decided"));
            }
            let text = self.motion(amendment.motion)?.current.amendable_text().unwrap_or_default();
            amendment::apply(text, &to_amendment(&amendment.changes))
                .map_err(|e| format!("amendment {a} no longer applies to the motion as amended: {e}"))?;
        }
        if let Subject::Ranked(options) = subject {
            let mut sorted = options.clone();
            sorted.sort();
            sorted.dedup();
            if options.len() < 2 || sorted.len() != options.len() {
                return Err("a ranked vote needs two or more different motions".into());
            }
        }
        let in_office: Vec<String> =
            self.members.iter().filter(|m| m.role == Role::Delegate).map(|m| m.key.clone()).collect();
        if in_office.is_empty() {
            return Err("no delegate is credentialed yet".into());
        }
        let id = self.votes.len() as u32 + 1;
        let mut vote = VoteState {
            id,
            subject: subject.clone(),
            rule: rule.clone(),
            open: true,
            in_office,
            choices: BTreeMap::new(),
            rankings: BTreeMap::new(),
            result: VoteResult::default(),
            secret,
            entry: index,
            hash: self.leaf.clone(),
        };
        vote.result = self.count(&vote)?;
        self.votes.push(vote);
        Ok(format!("vote {id} opened on {}", subject.describe()))
    }

    /// Closes vote `vote` if `result` is what its ballots give under its rule, with the effects
    /// of the result (an amendment applied, a motion adopted or rejected).
    fn close_vote(&mut self, vote: u32, result: &VoteResult, index: u64) -> Result<String, String> {
        let state = self.vote(vote)?;
        if !state.open {
            return Err(format!("vote {vote} is already closed"));
        }
        let computed = self.count(state)?;
        if computed.figures() != result.figures() {
            return Err(format!(
                "the result does not match the votes under the rule: it is {}",
                serde_json::to_string(&computed).unwrap_or_default()
            ));
        }
        let v = self.votes.iter().position(|v| v.id == vote).expect("found above");
        self.votes[v].open = false;
        self.votes[v].result = computed.clone();
        let subject = self.votes[v].subject.clone();
        let counts = format!("{} yes, {} no, {} abstaining", computed.yes, computed.no, computed.abstain);
        let counts = match &self.votes[v].secret {
            Some(secret) => format!("{counts}, by secret ballot in referendum {}", secret.referendum),
            None => counts,
        };
        let verdict = if computed.adopted { "adopted" } else { "rejected" };
        match subject {
            Subject::Amendment(a) => {
                let at = (a - 1) as usize;
                let motion = self.amendments[at].motion;
                if computed.adopted {
                    let changes = to_amendment(&self.amendments[at].changes);
                    let m = self.motion_mut(motion)?;
                    let text = m.current.amendable_text().unwrap_or_default().to_string();
                    let amended = amendment::apply(&text, &changes)?;
                    m.current = m.current.with_text(amended);
                    let proposer = self.amendments[at].proposer.clone();
                    self.motion_mut(motion)?.history.push(format!(
                        "amendment {a} by {proposer} adopted by vote {vote} ({counts}; log entry {index})"
                    ));
                    self.amendments[at].status = Status::Adopted;
                } else {
                    self.amendments[at].status = Status::Rejected;
                }
                Ok(format!("vote {vote} closed: amendment {a} {verdict} ({counts})"))
            }
            Subject::Motion(m) => {
                if computed.adopted {
                    self.adopt(m, format!("adopted by vote {vote} ({counts}; log entry {index})"))?;
                } else {
                    self.motion_mut(m)?.status = Status::Rejected;
                }
                Ok(format!("vote {vote} closed: motion {m} {verdict} ({counts})"))
            }
            Subject::Ranked(options) => match computed.winner {
                Some(w) => {
                    let winner = options[w as usize];
                    for &other in options.iter().filter(|&&o| o != winner) {
                        let m = self.motion_mut(other)?;
                        m.status = Status::Withdrawn;
                        m.history.push(format!("not chosen in ranked vote {vote} (log entry {index})"));
                    }
                    self.adopt(winner, format!("chosen by ranked vote {vote} (Schulze; log entry {index})"))?;
                    Ok(format!("vote {vote} closed: motion {winner} chosen"))
                }
                None => Ok(format!("vote {vote} closed: no single winner, nothing adopted")),
            },
        }
    }

    fn adopt(&mut self, motion: u32, how: String) -> Result<(), String> {
        let number = self.articles.len() + 1;
        let m = self.motion_mut(motion)?;
        m.status = Status::Adopted;
        m.history.push(format!("{how}: article {number}"));
        self.articles.push(motion);
        Ok(())
    }

    fn motion(&self, id: u32) -> Result<&MotionState, String> {
        self.motions.get((id as usize).wrapping_sub(1)).ok_or_else(|| format!("there is no motion {id}"))
    }

    fn motion_mut(&mut self, id: u32) -> Result<&mut MotionState, String> {
        self.motions.get_mut((id as usize).wrapping_sub(1)).ok_or_else(|| format!("there is no motion {id}"))
    }

    fn amendment(&self, id: u32) -> Result<&AmendmentState, String> {
        self.amendments.get((id as usize).wrapping_sub(1)).ok_or_else(|| format!("there is no amendment {id}"))
    }

    pub fn vote(&self, id: u32) -> Result<&VoteState, String> {
        self.votes.get((id as usize).wrapping_sub(1)).ok_or_else(|| format!("there is no vote {id}"))
    }

    fn subject_motions(&self, subject: &Subject) -> Result<Vec<u32>, String> {
        Ok(match subject {
            Subject::Motion(m) => vec![*m],
            Subject::Amendment(a) => vec![self.amendment(*a)?.motion],
            Subject::Ranked(options) => options.clone(),
        })
    }

    /// A vote's result from its ballots, under its rule.
    pub fn count(&self, vote: &VoteState) -> Result<VoteResult, String> {
        if let Subject::Ranked(options) = &vote.subject {
            let ballots: Vec<RankedBallot> = vote
                .rankings
                .values()
                .map(|r| RankedBallot {
                    ranking: r.iter().map(|g| g.iter().map(|&c| c as usize).collect()).collect(),
                    count: 1,
                })
                .collect();
            let schulze = ranked::schulze(options.len(), &ballots);
            let runoff = ranked::instant_runoff(options.len(), &ballots);
            let winner = match schulze.winners() {
                [w] if !ballots.is_empty() => Some(*w as u32),
                _ => None,
            };
            let name = |c: usize| format!("motion {}", options[c]);
            let mut conditions = vec![(
                format!("{} of {} delegates ranked the options", ballots.len(), vote.in_office.len()),
                !ballots.is_empty(),
            )];
            conditions.push((
                match winner {
                    Some(w) => format!("Schulze winner: {}", name(w as usize)),
                    None => "Schulze: no single winner".into(),
                },
                winner.is_some(),
            ));
            conditions.push((
                match runoff.winner {
                    Some(w) => format!("instant runoff (for comparison): {}", name(w)),
                    None => "instant runoff (for comparison): no single winner".into(),
                },
                runoff.winner.is_some(),
            ));
            return Ok(VoteResult { adopted: winner.is_some(), winner, conditions, ..VoteResult::default() });
        }
        let rule = vote.rule.to_core()?;
        // A secret vote knows only counts per region: with every delegate weighing the same, who
        // cast which ballot within a region changes nothing, so the counts are dealt out to the
        // region's delegates in order.
        let mut dealt: BTreeMap<String, (usize, [u64; 3])> = BTreeMap::new();
        let mut secret_choice = |region: &str| -> Option<ChoiceJson> {
            let tallies = &vote.secret.as_ref()?.tally;
            let scope = secret_scope(tallies, region);
            let tally = tallies.get(scope)?;
            let (seen, _) = dealt.entry(scope.to_string()).or_insert((0, *tally));
            let k = *seen as u64;
            *seen += 1;
            let [yes, no, abstain] = *tally;
            if k < yes {
                Some(ChoiceJson::Yes)
            } else if k < yes + no {
                Some(ChoiceJson::No)
            } else if k < yes + no + abstain {
                Some(ChoiceJson::Abstain)
            } else {
                None
            }
        };
        let mut choices = Vec::with_capacity(vote.in_office.len());
        let members: Vec<Member> = vote
            .in_office
            .iter()
            .filter_map(|key| self.member_index.get(key).map(|&m| &self.members[m]))
            .map(|m| {
                let choice =
                    if vote.secret.is_some() { secret_choice(&m.region) } else { vote.choices.get(&m.key).copied() };
                choices.push(choice);
                Member {
                    name: m.name.clone(),
                    region: m.region.clone(),
                    population: m.population,
                    vote: choice.map(|c| match c {
                        ChoiceJson::Yes => Choice::Yes,
                        ChoiceJson::No => Choice::No,
                        ChoiceJson::Abstain => Choice::Abstain,
                    }),
                }
            })
            .collect();
        let decision = majority::decide(&rule, &members);
        let count = |c: ChoiceJson| choices.iter().filter(|v| **v == Some(c)).count() as u64;
        Ok(VoteResult {
            adopted: decision.adopted,
            yes: count(ChoiceJson::Yes),
            no: count(ChoiceJson::No),
            abstain: count(ChoiceJson::Abstain),
            winner: None,
            conditions: decision.conditions,
        })
    }

    /// The constitution as adopted so far: one article per adopted motion, with its history.
    pub fn constitution(&self) -> Constitution {
        ConventionState::constitution_of(self.constitution_json())
    }

    /// The core model of a `constitution.json`, for its Markdown and HTML exports.
    pub fn constitution_of(json: ConstitutionJson) -> Constitution {
        let articles = json
            .articles
            .into_iter()
            .map(|a| Article { number: a.number, title: a.title, body: a.body.to_core(), history: a.history })
            .collect();
        Constitution { title: json.title, version: json.constitution_version, articles }
    }

    /// `constitution.json`: the adopted articles in the record's format.
    pub fn constitution_json(&self) -> ConstitutionJson {
        ConstitutionJson {
            version: self.charter.version,
            title: self.charter.title.clone(),
            constitution_version: self.articles.len() as u32,
            articles: self
                .articles
                .iter()
                .enumerate()
                .filter_map(|(k, id)| self.motion(*id).ok().map(|m| (k, m)))
                .map(|(k, m)| ArticleJson {
                    number: k as u32 + 1,
                    motion: m.id,
                    title: m.title.clone(),
                    body: m.current.clone(),
                    history: m.history.clone(),
                })
                .collect(),
            ratification: self.ratified.as_ref().map(|r| r.referendum.clone()),
        }
    }

    /// The adopted milestones: `(article number, region, event, years after ratification)`.
    pub fn milestones(&self) -> Vec<(u32, String, String, u32)> {
        self.constitution_json()
            .articles
            .into_iter()
            .filter_map(|a| match a.body {
                BodyJson::Milestone { region, event, years_after_ratification } => {
                    Some((a.number, region, event, years_after_ratification))
                }
                _ => None,
            })
            .collect()
    }
}

impl ConventionState {
    /// Checks that a secret vote's referendum is that vote's: its manifest names this convention
    /// and vote and asks one yes/no question with a blank (abstain) option, and its electorate is
    /// exactly the delegates in office when the vote opened — their own keys, their regions,
    /// each weighing one. Nobody else could have voted, and each delegate once.
    pub fn check_secret_electorate(
        &self,
        vote: &VoteState,
        manifest: &Manifest,
        credentials: &[u8],
    ) -> Result<(), String> {
        let secret = vote.secret.as_ref().ok_or_else(|| format!("vote {} is not secret", vote.id))?;
        if manifest.election_id != secret.referendum {
            return Err(format!("this is referendum {}, not {}", manifest.election_id, secret.referendum));
        }
        let origin = manifest.origin.as_ref().ok_or("the referendum's manifest names no convention (origin)")?;
        if origin.convention != self.charter.convention_id || origin.vote != Some(vote.id) {
            return Err(format!("the referendum's origin is not vote {} of this convention", vote.id));
        }
        if !matches!(manifest.questions.as_slice(), [Question::YesNo { blank: true, .. }]) {
            return Err("a secret vote's referendum asks one yes/no question with a blank option".into());
        }
        let mut listed = Vec::new();
        for (k, line) in credentials.split(|b| *b == b'\n').filter(|l| !l.is_empty()).enumerate() {
            let c = parse_credential_line(line, manifest).map_err(|e| format!("credential {}: {e}", k + 1))?;
            if c.weight != 1 {
                return Err(format!("credential {} has weight {}; every delegate weighs one", k + 1, c.weight));
            }
            listed.push((c.credential.to_hex(), manifest.regions[c.region].clone()));
        }
        let mut expected: Vec<(String, String)> = vote
            .in_office
            .iter()
            .filter_map(|key| self.member_index.get(key).map(|&m| (key.clone(), self.members[m].region.clone())))
            .collect();
        listed.sort();
        expected.sort();
        if listed != expected {
            return Err(format!(
                "its {} credentials are not the {} delegates in office when vote {} opened, with their regions",
                listed.len(),
                expected.len(),
                vote.id
            ));
        }
        Ok(())
    }
}

/// The scope of a secret vote's counts that holds `region`'s ballots: the region itself when the
/// counts name it, else the merged regions (`docs/convention.md` §4).
fn secret_scope<'a>(tally: &'a BTreeMap<String, [u64; 3]>, region: &'a str) -> &'a str {
    if tally.contains_key(region) {
        region
    } else {
        crate::format::MERGED
    }
}

/// A secret vote's published counts per region, `[yes, no, abstain]` (a blank ballot abstains),
/// and for the regions published together, `merged` — which must merge exactly the regions the
/// results do not name on their own.
pub fn secret_tally(manifest: &Manifest, results: &ResultsJson) -> Result<BTreeMap<String, [u64; 3]>, String> {
    let question = manifest.questions.first().ok_or("the referendum has no question")?;
    let mut tally = BTreeMap::new();
    let named: Vec<&String> = results.scopes.iter().map(|s| &s.scope).collect();
    for scope in results.scopes.iter().filter(|s| s.scope != NATIONAL) {
        if scope.scope == crate::format::MERGED {
            let mut rest: Vec<&String> = manifest.regions.iter().filter(|r| !named.contains(r)).collect();
            let mut merged: Vec<&String> = scope.regions.iter().collect();
            rest.sort();
            merged.sort();
            if rest != merged {
                return Err("the merged scope does not merge exactly the regions not published on their own".into());
            }
        } else if !manifest.regions.contains(&scope.scope) {
            return Err(format!("the results report {:?}, which is not one region", scope.scope));
        }
        let counts = scope.questions.first().ok_or("the results have no counts")?;
        let (yes, no, blank) =
            question.yes_no_blank(scope.counted, counts).ok_or("the results do not fit a yes/no question")?;
        tally.insert(scope.scope.clone(), [yes, no, blank]);
    }
    Ok(tally)
}

/// `constitution.json`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ConstitutionJson {
    pub version: u32,
    pub title: String,
    /// How many articles have been adopted.
    pub constitution_version: u32,
    pub articles: Vec<ArticleJson>,
    /// The referendum the constitution was handed to, once it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratification: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ArticleJson {
    pub number: u32,
    pub motion: u32,
    pub title: String,
    pub body: BodyJson,
    pub history: Vec<String>,
}

fn to_amendment(changes: &[ChangeJson]) -> Amendment {
    Amendment { changes: changes.iter().map(|c| Change { from: c.from, to: c.to, with: c.with.clone() }).collect() }
}

impl Subject {
    /// What a vote decides, in words: `motion 2`, `amendment 1`, `a ranked choice among motions 2, 3`.
    pub fn describe(&self) -> String {
        match self {
            Subject::Motion(m) => format!("motion {m}"),
            Subject::Amendment(a) => format!("amendment {a}"),
            Subject::Ranked(options) => {
                format!(
                    "a ranked choice among motions {}",
                    options.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                )
            }
        }
    }
}

fn check_localities(localities: &[LocalityJson]) -> Result<(), String> {
    if localities.is_empty() {
        return Err("no localities".into());
    }
    for (k, l) in localities.iter().enumerate() {
        if l.name.trim().is_empty() || l.region.trim().is_empty() {
            return Err(format!("locality {}: a name and a region are needed", k + 1));
        }
        if l.population == 0 || l.population > 1 << 40 {
            return Err(format!("locality {:?}: the population must be between 1 and 2^40", l.name));
        }
        if localities[..k].iter().any(|o| o.name == l.name) {
            return Err(format!("locality {:?} is listed twice", l.name));
        }
        if let Some(boundary) = &l.boundary {
            check_boundary(boundary).map_err(|e| format!("locality {:?}: {e}", l.name))?;
        }
    }
    Ok(())
}

/// The hex of a public key for a secret (the delegate tools' key files hold the secret).
pub fn public_hex(secret: &Scalar) -> String {
    to_hex(Point::from(convene_crypto::RistrettoPoint::mul_base(secret)).bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    /// A charter, its keys (chair, secretary, three delegates) and a state with localities,
    /// apportionment, credentials and an agenda.
    fn seated() -> (ConventionState, Vec<Scalar>, Vec<Vec<u8>>) {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let keys: Vec<Scalar> = (0..5).map(|_| Scalar::random(&mut rng)).collect();
        let charter = Charter {
            version: CONVENTION_VERSION,
            convention_id: "prop".into(),
            title: "Prop".into(),
            chair: public_hex(&keys[0]),
            secretary: public_hex(&keys[1]),
            speaking_seconds: 100,
            log_key: public_hex(&Scalar::from(7u8)),
            trustees: Vec::new(),
            min_region_ballots: 0,
            witnesses: Vec::new(),
            witness_quorum: 0,
        };
        let mut state = ConventionState::new(&serde_json::to_vec(&charter).unwrap()).unwrap();
        let localities =
            LocalityJson::from_csv("name,region,population\nA,north,300\nB,south,200\nC,south,100\n").unwrap();
        let mut events = vec![
            (1, Event::Localities { source: "t".into(), localities }),
            (
                1,
                Event::Apportionment {
                    localities_version: 1,
                    method: "hamilton".into(),
                    seats: 3,
                    min_seats: 0,
                    max_seats: None,
                    result: vec![2, 1, 0],
                },
            ),
        ];
        for (k, locality) in ["A", "A", "B"].iter().enumerate() {
            events.push((
                1,
                Event::Credential {
                    key: public_hex(&keys[2 + k]),
                    name: format!("d{k}"),
                    locality: locality.to_string(),
                    role: Role::Delegate,
                },
            ));
        }
        events.push((0, Event::Agenda { items: vec!["one".into(), "two".into()] }));
        let mut lines = Vec::new();
        for (who, event) in events {
            let line = state.sign_next(&keys[who], &event, &mut rng);
            state.apply_line(&line).unwrap();
            lines.push(line);
        }
        (state, keys, lines)
    }

    fn text(n: u8) -> BodyJson {
        BodyJson::Text(format!("line one {n}\nline two\n"))
    }

    /// Small random events: most are valid at some moment, many are not at the moment they come.
    fn event() -> impl Strategy<Value = Event> {
        let rule = (0u8..3, any::<bool>(), any::<bool>()).prop_map(|(m, base, concurrent)| RuleJson {
            majority: [MajorityJson::Simple, MajorityJson::Absolute, MajorityJson::Qualified][m as usize],
            share: (m == 2).then(|| "2/3".into()),
            base: if base { BaseJson::Present } else { BaseJson::InOffice },
            quorum: None,
            concurrent,
            weighting: WeightingJson::SqrtPopulation,
        });
        let choice = prop_oneof![3 => Just(ChoiceJson::Yes), 1 => Just(ChoiceJson::No), 1 => Just(ChoiceJson::Abstain)];
        prop_oneof![
            2 => any::<u8>().prop_map(|n| Event::Motion { title: format!("m{n}"), body: text(n) }),
            2 => (1u32..4, 1usize..3).prop_map(|(motion, line)| Event::Amendment {
                motion: motion.into(),
                changes: vec![ChangeJson { from: line, to: line, with: vec!["changed".into()] }],
                rationale: String::new(),
            }),
            2 => (1u32..4, rule.clone()).prop_map(|(m, rule)| Event::OpenVote { subject: Subject::Motion(m.into()), rule }),
            2 => (1u32..3, rule.clone()).prop_map(|(a, rule)| Event::OpenVote { subject: Subject::Amendment(a.into()), rule }),
            1 => rule.prop_map(|rule| Event::OpenVote { subject: Subject::Ranked(vec![1.into(), 2.into()]), rule }),
            8 => (1u32..4, choice).prop_map(|(vote, choice)| Event::Vote { vote: vote.into(), choice: Some(choice), ranking: None }),
            1 => (1u32..4).prop_map(|vote| Event::Vote { vote: vote.into(), choice: None, ranking: Some(vec![vec![1], vec![0]]) }),
            1 => (1u32..4, any::<bool>()).prop_map(|(vote, adopted)| Event::CloseVote {
                vote: vote.into(),
                result: VoteResult { adopted, ..VoteResult::default() }
            }),
            1 => Just(Event::FloorRequest {}),
            1 => Just(Event::NextItem {}),
            1 => (1u32..4, any::<u8>()).prop_map(|(m, r)| Event::OpenSecretVote {
                subject: Subject::Motion(m.into()),
                rule: RuleJson::simple_majority_of_present(),
                referendum: format!("s{}", r % 3),
                trustees: crate::format::TrusteeCount { n: 3, t: 2, members: Vec::new() },
            }),
            1 => (1u32..4, 0u64..3, 0u64..2).prop_map(|(vote, yes, no)| Event::CloseSecretVote {
                vote: vote.into(),
                tally: [("north".to_string(), [yes, no, 0])].into_iter().collect(),
                result: VoteResult::default(),
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Whatever comes, in whatever order, from whoever: no panic; a refused event changes
        /// nothing; and replaying the accepted lines rebuilds exactly the same state (what the
        /// verifier does).
        #[test]
        fn any_sequence_of_events_is_safe_atomic_and_replays_identically(
            steps in proptest::collection::vec((0usize..5, event(), any::<bool>(), proptest::bool::weighted(0.15)), 1..60)
        ) {
            let (mut state, keys, mut accepted) = seated();
            let mut rng = ChaCha20Rng::seed_from_u64(2);
            for (anyone, mut event, fix_result, wrong_signer) in steps {
                // Mostly the right person signs (the chair runs votes, delegates move and vote).
                let who = match &event {
                    _ if wrong_signer => anyone,
                    Event::OpenVote { .. }
                    | Event::CloseVote { .. }
                    | Event::OpenSecretVote { .. }
                    | Event::CloseSecretVote { .. }
                    | Event::NextItem {} => 0,
                    _ => 2 + anyone % 3,
                };
                // Half the time aim at what exists: the latest motion, amendment or open vote,
                // and close with the true result, so that adoption paths run too.
                if fix_result {
                    let open_vote = state.votes.iter().rev().find(|v| v.open).map(|v| v.id);
                    let last_motion = state.motions.len() as u32;
                    let last_amendment = state.amendments.len() as u32;
                    match &mut event {
                        Event::OpenVote { subject: Subject::Motion(m), .. } => *m = last_motion.into(),
                        Event::OpenVote { subject: Subject::Amendment(a), .. } => *a = last_amendment.into(),
                        Event::Amendment { motion, .. } => *motion = last_motion.into(),
                        Event::Vote { vote, .. } => *vote = open_vote.map_or(vote.clone(), Ref::Number),
                        Event::CloseVote { vote, result } => {
                            *vote = open_vote.map_or(vote.clone(), Ref::Number);
                            if let Some(v) = open_vote.and_then(|v| state.vote(v).ok()) {
                                *result = state.count(v).unwrap();
                            }
                        }
                        Event::OpenSecretVote { subject: Subject::Motion(m), .. } => *m = last_motion.into(),
                        Event::CloseSecretVote { vote, tally, result } => {
                            *vote = open_vote.map_or(vote.clone(), Ref::Number);
                            if let Some(v) = open_vote.and_then(|v| state.vote(v).ok()) {
                                let mut probe = v.clone();
                                if let Some(secret) = probe.secret.as_mut() {
                                    secret.tally = tally.clone();
                                }
                                *result = state.count(&probe).unwrap();
                            }
                        }
                        _ => {}
                    }
                }
                let line = state.sign_next(&keys[who], &event, &mut rng);
                let before = serde_json::to_string(&state).unwrap();
                match state.apply_line(&line) {
                    Ok(_) => accepted.push(line),
                    Err(_) => prop_assert_eq!(before, serde_json::to_string(&state).unwrap()),
                }
            }
            let (mut replayed, _, _) = seated();
            replayed = ConventionState::new(&serde_json::to_vec(&replayed.charter).unwrap()).unwrap();
            for line in &accepted {
                replayed.apply_line(line).unwrap();
            }
            prop_assert_eq!(serde_json::to_string(&replayed).unwrap(), serde_json::to_string(&state).unwrap());
            prop_assert_eq!(replayed.constitution_json(), state.constitution_json());
        }

        /// Any bytes as a log line: a clear error or an accepted event, never a panic.
        #[test]
        fn any_bytes_as_a_line_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let (mut state, _, _) = seated();
            let _ = state.apply_line(&bytes);
        }
    }

    /// No language in signed data: the chair signs a vote's figures; the words of its conditions
    /// are derived. A chair who sends none, or other words, closes the vote; wrong figures do not.
    #[test]
    fn a_chair_signs_the_figures_not_the_words() {
        let (mut state, keys, _) = seated();
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let mut send = |state: &mut ConventionState, who: usize, event: Event| {
            let line = state.sign_next(&keys[who], &event, &mut rng);
            state.apply_line(&line).map(|_| ())
        };
        send(&mut state, 2, Event::Motion { title: "m".into(), body: text(1) }).unwrap();
        let rule = RuleJson {
            majority: MajorityJson::Simple,
            share: None,
            base: BaseJson::Present,
            quorum: None,
            concurrent: false,
            weighting: WeightingJson::Equal,
        };
        send(&mut state, 0, Event::OpenVote { subject: Subject::Motion(1.into()), rule }).unwrap();
        for who in [2, 3, 4] {
            send(&mut state, who, Event::Vote { vote: 1.into(), choice: Some(ChoiceJson::Yes), ranking: None })
                .unwrap();
        }
        let computed = state.count(state.vote(1).unwrap()).unwrap();
        assert!(!computed.conditions.is_empty(), "the state machine says the conditions in words");
        let wrong = VoteResult { adopted: false, ..computed.figures() };
        let refused = send(&mut state, 0, Event::CloseVote { vote: 1.into(), result: wrong });
        assert!(matches!(refused, Err(EventError::Refused(m)) if m.contains("does not match")));
        let reworded = VoteResult { conditions: vec![("other words".into(), true)], ..computed.figures() };
        let line = state.sign_next(
            &keys[0],
            &Event::CloseVote { vote: 1.into(), result: computed.figures() },
            &mut ChaCha20Rng::seed_from_u64(6),
        );
        assert!(!String::from_utf8_lossy(&line).contains("conditions"), "the chair's event carries no words");
        let mut other = state.clone();
        send(&mut other, 0, Event::CloseVote { vote: 1.into(), result: reworded }).unwrap();
        send(&mut state, 0, Event::CloseVote { vote: 1.into(), result: computed.figures() }).unwrap();
        assert_eq!(state.votes[0].result, computed, "the stored result has the derived words");
        assert_eq!(other.votes[0].result, computed);
    }

    #[test]
    fn a_secret_vote_is_decided_by_its_referendums_counts_and_electorate() {
        let (mut state, keys, _) = seated();
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let mut send = |state: &mut ConventionState, who: usize, event: Event| {
            let line = state.sign_next(&keys[who], &event, &mut rng);
            state.apply_line(&line).map(|_| ())
        };
        send(&mut state, 2, Event::Motion { title: "m".into(), body: text(1) }).unwrap();
        let rule = RuleJson {
            majority: MajorityJson::Qualified,
            share: Some("2/3".into()),
            base: BaseJson::InOffice,
            quorum: None,
            concurrent: true,
            weighting: WeightingJson::Equal,
        };
        let trustees = crate::format::TrusteeCount { n: 3, t: 2, members: Vec::new() };
        let open =
            Event::OpenSecretVote { subject: Subject::Motion(1.into()), rule, referendum: "r1".into(), trustees };
        send(&mut state, 0, open).unwrap();
        let vote = Event::Vote { vote: 1.into(), choice: Some(ChoiceJson::Yes), ranking: None };
        assert!(matches!(send(&mut state, 2, vote), Err(EventError::Refused(m)) if m.contains("secret")));
        // Three delegates: two in the north (A), one in the south (B).
        let tally = |north: [u64; 3], south: [u64; 3]| -> BTreeMap<String, [u64; 3]> {
            [("north".to_string(), north), ("south".to_string(), south)].into_iter().collect()
        };
        let close = |tally, result| Event::CloseSecretVote { vote: 1.into(), tally, result };
        let too_many = close(tally([3, 0, 0], [0, 0, 0]), VoteResult::default());
        assert!(
            matches!(send(&mut state, 0, too_many), Err(EventError::Refused(m)) if m.contains("2 delegates in office"))
        );
        // Two of three in office say yes, but the south says no: no concurrent majority.
        let wrong =
            close(tally([2, 0, 0], [0, 1, 0]), VoteResult { adopted: true, yes: 2, no: 1, ..Default::default() });
        assert!(matches!(send(&mut state, 0, wrong), Err(EventError::Refused(m)) if m.contains("does not match")));
        assert!(state.votes[0].open && state.votes[0].secret.as_ref().unwrap().tally.is_empty());
        let mut probe = state.votes[0].clone();
        probe.secret.as_mut().unwrap().tally = tally([2, 0, 0], [0, 1, 0]);
        let result = state.count(&probe).unwrap();
        assert_eq!((result.adopted, result.yes, result.no), (false, 2, 1));
        send(&mut state, 0, close(tally([2, 0, 0], [0, 1, 0]), result)).unwrap();
        assert_eq!(state.motions[0].status, Status::Rejected);

        // Its referendum's electorate must be exactly the delegates in office, weighing one each.
        let manifest = Manifest {
            version: 1,
            election_id: "r1".into(),
            title: "r1".into(),
            questions: vec![Question::YesNo { id: "vote".into(), text: "?".into(), blank: true }],
            regions: vec!["north".into(), "south".into()],
            trustees: crate::format::TrusteeCount { n: 3, t: 2, members: Vec::new() },
            log_key: public_hex(&Scalar::from(9u8)),
            ratification: None,
            min_region_ballots: 0,
            origin: Some(crate::format::Origin {
                convention: "prop".into(),
                constitution_sha256: None,
                schedule: None,
                vote: Some(1),
            }),
            authority: None,
            registrar: None,
            code_issuer: None,
            max_weight: None,
            max_ballots_per_credential: None,
            witnesses: Vec::new(),
            witness_quorum: 0,
            booth_assets: Default::default(),
            booth_origins: Vec::new(),
        };
        let line = |k: usize, region: &str, weight: &str| {
            format!("{{\"credential\":\"{}\",\"region\":\"{region}\"{weight}}}\n", public_hex(&keys[k]))
        };
        let honest = [line(2, "north", ""), line(3, "north", ""), line(4, "south", "")].concat();
        state.check_secret_electorate(&state.votes[0], &manifest, honest.as_bytes()).unwrap();
        for (bad, why) in [
            ([line(2, "north", ""), line(3, "north", "")].concat(), "not the 3 delegates"),
            ([honest.clone(), line(1, "south", "")].concat(), "not the 3 delegates"),
            ([line(2, "north", ""), line(3, "south", ""), line(4, "south", "")].concat(), "with their regions"),
            ([line(2, "north", ",\"weight\":2"), line(3, "north", ""), line(4, "south", "")].concat(), "weighs one"),
        ] {
            let e = state.check_secret_electorate(&state.votes[0], &manifest, bad.as_bytes()).unwrap_err();
            assert!(e.contains(why), "{e}");
        }
        let mut other = manifest.clone();
        other.origin.as_mut().unwrap().vote = Some(2);
        assert!(state.check_secret_electorate(&state.votes[0], &other, honest.as_bytes()).is_err());
    }

    /// A charter that merges small regions: a secret vote's counts may be `merged`, dealt to the
    /// delegates of the regions not named on their own; a concurrent rule is refused, since it
    /// needs every region's counts; and a charter that merges nothing refuses `merged`.
    #[test]
    fn a_charter_that_merges_small_regions_counts_merged_secret_votes() {
        let (plain, keys, lines) = seated();
        let mut charter = plain.charter.clone();
        charter.min_region_ballots = 5;
        let mut state = ConventionState::new(&serde_json::to_vec(&charter).unwrap()).unwrap();
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let signers = [1, 1, 1, 1, 1, 0];
        for (line, who) in lines.iter().zip(signers) {
            let event: serde_json::Value = serde_json::from_slice(line).unwrap();
            let event: Event = serde_json::from_value(event["event"].clone()).unwrap();
            let line = state.sign_next(&keys[who], &event, &mut rng);
            state.apply_line(&line).unwrap();
        }
        let mut send = |state: &mut ConventionState, who: usize, event: Event| {
            let line = state.sign_next(&keys[who], &event, &mut rng);
            state.apply_line(&line).map(|_| ())
        };
        send(&mut state, 2, Event::Motion { title: "m".into(), body: text(1) }).unwrap();
        let trustees = crate::format::TrusteeCount { n: 3, t: 2, members: Vec::new() };
        let open = |concurrent: bool| Event::OpenSecretVote {
            subject: Subject::Motion(1.into()),
            rule: RuleJson { concurrent, ..RuleJson::simple_majority_of_present() },
            referendum: "r1".into(),
            trustees: trustees.clone(),
        };
        let refused = send(&mut state, 0, open(true));
        assert!(matches!(refused, Err(EventError::Refused(m)) if m.contains("named ballot")));
        send(&mut state, 0, open(false)).unwrap();
        let merged: BTreeMap<String, [u64; 3]> = [("merged".to_string(), [2, 1, 0])].into_iter().collect();
        let too_many: BTreeMap<String, [u64; 3]> = [("merged".to_string(), [3, 1, 0])].into_iter().collect();
        let close = |tally, result| Event::CloseSecretVote { vote: 1.into(), tally, result };
        let refused = send(&mut state, 0, close(too_many, VoteResult::default()));
        assert!(matches!(refused, Err(EventError::Refused(m)) if m.contains("3 delegates in office")));
        let mut probe = state.votes[0].clone();
        probe.secret.as_mut().unwrap().tally = merged.clone();
        let result = state.count(&probe).unwrap();
        assert_eq!((result.adopted, result.yes, result.no), (true, 2, 1));
        send(&mut state, 0, close(merged.clone(), result.figures())).unwrap();
        assert_eq!(state.motions[0].status, Status::Adopted);

        // A charter that merges nothing refuses merged counts.
        let (mut plain, keys, _) = seated();
        let line = plain.sign_next(&keys[2], &Event::Motion { title: "m".into(), body: text(1) }, &mut rng);
        plain.apply_line(&line).unwrap();
        let line = plain.sign_next(&keys[0], &open(true), &mut rng);
        plain.apply_line(&line).unwrap();
        let line = plain.sign_next(&keys[0], &close(merged, VoteResult::default()), &mut rng);
        assert!(matches!(plain.apply_line(&line), Err(EventError::Refused(m)) if m.contains("merges no regions")));
    }

    #[test]
    fn boundaries_come_from_geojson_features_named_after_their_localities() {
        let mut localities = LocalityJson::from_csv("name,region,population\nA,north,300\nB,south,200\n").unwrap();
        let square = r#"{"type":"Polygon","coordinates":[[[30,10],[31,10],[31,11],[30,11],[30,10]]]}"#;
        let feature = |name: &str, geometry: &str| {
            format!(r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{geometry}}}"#)
        };
        let collection =
            |features: &[String]| format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","));
        LocalityJson::attach_geojson(&mut localities, &collection(&[feature("A", square)])).unwrap();
        assert!(localities[0].boundary.is_some() && localities[1].boundary.is_none());
        for (text, why) in [
            (collection(&[feature("C", square)]), "no locality \"C\""),
            (collection(&[feature("B", r#"{"type":"Point","coordinates":[1,2]}"#)]), "Polygon or a MultiPolygon"),
            (
                collection(&[feature("B", r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,2]]]}"#)]),
                "end where it starts",
            ),
            (
                collection(&[feature("B", r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#)]),
                "four positions",
            ),
            (
                collection(&[feature("B", r#"{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,1],[0,0]]]}"#)]),
                "not a longitude",
            ),
            (collection(&[feature("A", square)]), "two features"),
            (r#"{"type":"Feature"}"#.to_string(), "FeatureCollection"),
            ("{".to_string(), "not GeoJSON"),
        ] {
            let mut copy = localities.clone();
            let e = LocalityJson::attach_geojson(&mut copy, &text).unwrap_err();
            assert!(e.contains(why), "{e}");
            assert_eq!(copy[1].boundary, None);
        }
        // A bad boundary inside a signed event is refused by the state machine too.
        let (mut state, keys, _) = seated();
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let mut bad = localities.clone();
        bad[1].boundary = Some(serde_json::json!({"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}));
        for (list, ok) in [(bad, false), (localities, true)] {
            let event = Event::Localities { source: "maps".into(), localities: list };
            let line = state.sign_next(&keys[1], &event, &mut rng);
            let applied = state.apply_line(&line);
            assert_eq!(applied.is_ok(), ok, "{applied:?}");
        }
        assert_eq!(state.localities.len(), 2);
    }

    #[test]
    fn the_same_event_signed_for_another_convention_or_replayed_is_refused() {
        let (mut state, keys, lines) = seated();
        // Replaying the first credential: the secretary's sequence has moved on.
        let e = state.apply_line(&lines[2]).unwrap_err();
        assert!(matches!(&e, EventError::Refused(m) if m.contains("next is n = 6")), "{e}");
        // Signed under another charter's hash: the signature does not verify here.
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let line = sign_entry(
            &[9; 32],
            &keys[0],
            state.next_n(&public_hex(&keys[0])),
            state.seen_now().as_ref(),
            &Event::NextItem {},
            &mut rng,
        );
        assert!(matches!(state.apply_line(&line), Err(EventError::Malformed(m)) if m.contains("signature")));
        // Whitespace inside the signed event is part of what was signed; a reformatted line is refused.
        let line =
            sign_entry(&state.charter_hash, &keys[0], 2, state.seen_now().as_ref(), &Event::NextItem {}, &mut rng);
        let spaced = String::from_utf8(line.clone()).unwrap().replace("{\"type\"", "{ \"type\"");
        assert!(state.apply_line(spaced.as_bytes()).is_err());
        assert!(state.apply_line(&line).is_ok());
    }
}
