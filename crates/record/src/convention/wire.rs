//! The events as they are written in the log (`docs/convention.md` §3): their JSON, the rules
//! a vote is opened with, and what a vote decides.

use super::*;

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

    pub(super) fn with_text(&self, text: String) -> BodyJson {
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
    pub(super) fn check(&self, regions: &[String]) -> Result<(), String> {
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
