//! The events as they are written in the log (`docs/convention.md` §3): their JSON, the rules
//! a vote is opened with, and what a vote decides.

use super::*;

/// A credentialed member's role.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Moves, amends, speaks and votes (in a conference: a member of a state's delegation, who
    /// moves, amends and speaks but does not vote).
    Delegate,
    /// On the record as present; may do none of those (in a conference: an observer such as an
    /// international organisation, named in `locality`).
    Observer,
    /// A conference's head of a state's delegation (version 5): one per state; moves, amends,
    /// speaks, and votes or objects for the state.
    Head,
}

/// Who holds a power in a matrix of competences.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HolderJson {
    /// The central government.
    Centre,
    /// The centre and the regions together.
    Shared,
    /// The regions.
    Regions,
}

/// One row of a matrix of competences.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PowerJson {
    /// The power, in words (defence, say).
    pub power: String,
    /// Who holds it.
    pub holder: HolderJson,
}

/// How the regions share in the centre's rule (docs/convention.md §5); every flag is false unless set.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SharedRuleJson {
    /// A chamber of the regions in the legislature.
    pub regional_chamber: bool,
    /// Amending the constitution needs the regions' consent.
    pub regional_consent_to_amendment: bool,
    /// The regions are represented in the executive.
    pub regions_in_executive: bool,
    /// The regions co-decide how revenue is shared.
    pub regions_co_decide_revenue: bool,
}

/// An article's body: plain text, a matrix of competences, a revenue formula (TOML), or a
/// transitional milestone.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum BodyJson {
    /// An article in plain text.
    Text(String),
    /// A matrix of competences.
    Competences {
        /// Each power and its holder.
        powers: Vec<PowerJson>,
        /// How the regions share in the centre's rule.
        #[serde(default)]
        shared_rule: SharedRuleJson,
    },
    /// A revenue-sharing formula, TOML (docs/revenue.md).
    Revenue(String),
    /// A transitional milestone: a regional referendum some years after ratification.
    Milestone {
        /// The region that votes (a region of the localities).
        region: String,
        /// What it votes on, in words.
        event: String,
        /// How many years after ratification (or after `after_article`'s milestone).
        years_after_ratification: u32,
        /// Version 5: and how many months.
        #[serde(default, skip_serializing_if = "is_zero_u32")]
        months: u32,
        /// Version 5: the article whose milestone this one follows, instead of ratification: an
        /// adopted milestone article.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after_article: Option<u32>,
    },
}

fn is_zero_u32(n: &u32) -> bool {
    *n == 0
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

    /// The body as `convene-core`'s constitution writes it.
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
            BodyJson::Milestone { region, event, years_after_ratification, months, after_article } => {
                ArticleBody::Milestone {
                    region: region.clone(),
                    event: event.clone(),
                    years_after_ratification: *years_after_ratification,
                    months: *months,
                    after_article: *after_article,
                }
            }
        }
    }

    /// Checks the body on its own: text present, formula parses, matrix well-formed.
    pub(super) fn check(&self, regions: &[String]) -> Result<(), Refusal> {
        match self {
            BodyJson::Text(t) if t.trim().is_empty() => Err(refuse!("empty_text")),
            BodyJson::Text(_) => Ok(()),
            BodyJson::Revenue(t) => revenue::Formula::parse(t).map(|_| ()).map_err(Refusal::invalid),
            BodyJson::Competences { powers, .. } => {
                let mut names: Vec<&str> = powers.iter().map(|p| p.power.as_str()).collect();
                names.sort();
                names.dedup();
                if names.len() != powers.len() || names.iter().any(|n| n.trim().is_empty()) {
                    return Err(refuse!("power_names"));
                }
                let ArticleBody::Competences { powers, shared_rule } = self.to_core() else { unreachable!() };
                convene_core::constitution::decentralization(&powers, &shared_rule)
                    .map(|_| ())
                    .map_err(Refusal::invalid)
            }
            BodyJson::Milestone { region, event, years_after_ratification, months, .. } => {
                if !regions.contains(region) {
                    return Err(refuse!("milestone_region", region = region));
                }
                if event.trim().is_empty() || *years_after_ratification > 100 || *months > 1200 {
                    return Err(refuse!("milestone_shape"));
                }
                Ok(())
            }
        }
    }
}

/// One line-based change of an amendment: lines `from..=to` (numbered from 1; `to = from − 1` inserts) replaced by `with`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ChangeJson {
    /// The first line replaced.
    pub from: usize,
    /// The last line replaced.
    pub to: usize,
    /// The new lines.
    pub with: Vec<String>,
}

/// What a majority is of (docs/convention.md §4).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MajorityJson {
    /// More yes than no.
    Simple,
    /// More yes than half the base.
    Absolute,
    /// At least `share` of the base.
    Qualified,
    /// Version 5: no one against and someone for (abstaining does not prevent it).
    Unanimity,
    /// Version 5: adopted unless someone objects (votes no) and keeps the objection; yes and
    /// abstain are not cast.
    Consensus,
}

/// What a majority is counted against.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BaseJson {
    /// The members present (who cast yes, no or abstain).
    Present,
    /// The members in office when the vote opened.
    InOffice,
}

/// How much a delegate's vote weighs.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum WeightingJson {
    /// Every delegate the same.
    #[default]
    Equal,
    /// By their population (the locality's population divided by its seats).
    Population,
    /// By the square root of that population.
    SqrtPopulation,
}

/// A vote's rule, fixed when the vote opens.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RuleJson {
    /// Which majority is needed.
    pub majority: MajorityJson,
    /// The share a qualified majority needs, e.g. `2/3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
    /// What it is counted against.
    pub base: BaseJson,
    /// Members present, as a share of members in office, at least.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quorum: Option<String>,
    /// Whether the majority must hold within every region's delegation too.
    #[serde(default)]
    pub concurrent: bool,
    /// How delegates are weighed.
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

    /// The rule as `convene-core`'s `majority::decide` takes it; an error for a share that is not in `(0, 1]` or a share where none belongs.
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
            (MajorityJson::Unanimity, None) => Majority::Unanimity,
            (MajorityJson::Consensus, None) => Majority::Consensus,
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
    /// By its number (version 1).
    Number(u32),
    /// By the hex reference of the entry that created it (version 2 and later).
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
    /// A motion.
    Motion(R),
    /// An amendment.
    Amendment(R),
    /// A ranked choice among motions.
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

/// A delegate's choice in a yes/no vote.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceJson {
    /// For.
    Yes,
    /// Against.
    No,
    /// Present, and neither.
    Abstain,
}

/// A vote's result as the chair closes it; the state machine recomputes it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct VoteResult {
    /// Whether the subject is adopted.
    pub adopted: bool,
    /// The weight of yes (a yes/no vote).
    #[serde(default)]
    pub yes: u64,
    /// The weight of no.
    #[serde(default)]
    pub no: u64,
    /// The weight of abstentions.
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
    /// A ranked vote's ties and how they were resolved, derived by the state machine from the
    /// rankings: like `conditions`, **not compared** (the chair signs `winner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranked: Option<RankedTies>,
    /// The same conditions as data, one per line of `conditions` in the same order: each
    /// message and its arguments, which the pages say in their language. Like `conditions`,
    /// derived, **not compared** and with no effect in an event (tools and pages send none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub said: Vec<Said>,
}

impl VoteResult {
    /// The figures a chair signs: everything but what the state machine derives for people.
    pub fn figures(&self) -> VoteResult {
        VoteResult { conditions: Vec::new(), ranked: None, said: Vec::new(), ..self.clone() }
    }

    /// Adds a condition: its words in English, and the data they come from.
    pub(super) fn condition(&mut self, said: Said, holds: bool) {
        self.conditions.push((said.to_string(), holds));
        self.said.push(said);
    }
}

/// A ranked vote's ties (docs/convention.md §4), as `convene_core::ranked::count` finds them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct RankedTies {
    /// The options Schulze ranks first together when there are two or more (then nothing is
    /// adopted); empty when one wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schulze_tied: Vec<u32>,
    /// Instant runoff's winner (reported beside Schulze, never deciding), if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runoff_winner: Option<u32>,
    /// Every option instant runoff elects under some way of breaking its ties for last place.
    #[serde(default)]
    pub runoff_possible_winners: Vec<u32>,
    /// Each tie for last place in instant runoff.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runoff_ties: Vec<RunoffTieJson>,
}

/// A tie for last place in a round of instant runoff.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct RunoffTieJson {
    /// The round, from 1.
    pub round: u32,
    /// The options tied with the fewest votes.
    pub tied: Vec<u32>,
    /// Whether the winner depends on which of them goes: then the count stops with no winner.
    /// If not, the first in option order goes.
    pub decisive: bool,
}

/// An event, as a log entry carries it (docs/convention.md §3: who may sign it and what the state machine checks).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// The secretary imports a new version of the localities.
    Localities {
        /// Where the figures come from.
        source: String,
        /// The localities.
        localities: Vec<LocalityJson>,
    },
    /// The secretary apportions the seats among the latest localities (recomputed, must match).
    Apportionment {
        /// The localities version apportioned.
        localities_version: u32,
        /// The method's name, as `convene apportion --method` takes it.
        method: String,
        /// The house size.
        seats: u64,
        /// The fewest seats a locality gets.
        #[serde(default)]
        min_seats: u64,
        /// The most seats a locality may get.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_seats: Option<u64>,
        /// Seats per locality, in the localities' order.
        result: Vec<u64>,
    },
    /// The secretary credentials a delegate or an observer.
    Credential {
        /// Their signing key (hex).
        key: String,
        /// Their name.
        name: String,
        /// Their locality.
        locality: String,
        /// Delegate or observer.
        role: Role,
    },
    /// The chair sets the agenda (replacing any earlier one).
    Agenda {
        /// The items, in order.
        items: Vec<String>,
    },
    /// A delegate moves an article.
    Motion {
        /// Its title.
        title: String,
        /// Its body.
        body: BodyJson,
    },
    /// A delegate moves an amendment to an open text or revenue motion.
    Amendment {
        /// The motion.
        motion: Ref,
        /// The changes, applied to the motion's current text.
        changes: Vec<ChangeJson>,
        /// Why, in words (optional).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        rationale: String,
    },
    /// A delegate or the secretary gives a motion's title and text in another language, for
    /// its current version.
    Translation {
        /// The motion.
        motion: Ref,
        /// The language tag (`ar`, `ckb`, `ar-IQ`).
        lang: String,
        /// The motion's text version it translates: 1 as moved, one more per adopted amendment.
        version: u32,
        /// The title in that language.
        title: String,
        /// The text in that language, Markdown.
        text: String,
    },
    /// A delegate asks for the floor.
    FloorRequest {},
    /// The chair gives a delegate on the list the floor.
    Floor {
        /// The delegate's key.
        delegate: String,
        /// For how long.
        seconds: u64,
    },
    /// The chair moves to the next agenda item.
    NextItem {},
    /// The chair opens a vote under a rule fixed now.
    OpenVote {
        /// What it decides.
        subject: Subject<Ref>,
        /// The rule.
        rule: RuleJson,
    },
    /// A delegate votes: a choice in a yes/no vote, a ranking in a ranked vote.
    Vote {
        /// The vote.
        vote: Ref,
        /// Yes, no or abstain.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        choice: Option<ChoiceJson>,
        /// Option indices, best first, ties as groups.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ranking: Option<Vec<Vec<u32>>>,
    },
    /// Version 5: a member withdraws the objection they made in an open consensus vote.
    WithdrawObjection {
        /// The vote.
        vote: Ref,
    },
    /// The chair closes a vote with its result (recomputed, must match).
    CloseVote {
        /// The vote.
        vote: Ref,
        /// The result's figures.
        result: VoteResult,
    },
    /// A yes/no vote cast secretly in a referendum whose electorate is the delegates in office
    /// (their own keys are its credentials); the rule must weigh delegates equally.
    OpenSecretVote {
        /// What it decides (a motion or an amendment).
        subject: Subject<Ref>,
        /// The rule, weighing every delegate equally.
        rule: RuleJson,
        /// The id of the referendum it is cast in.
        referendum: String,
        /// The referendum's trustees.
        trustees: crate::format::TrusteeCount,
    },
    /// Closes a secret vote with the referendum's published counts per region
    /// (`[yes, no, abstain]`, abstaining being a blank ballot).
    CloseSecretVote {
        /// The vote.
        vote: Ref,
        /// Per published scope, `[yes, no, abstain]`.
        #[serde(deserialize_with = "crate::format::unique_keys")]
        tally: BTreeMap<String, [u64; 3]>,
        /// The result's figures.
        result: VoteResult,
    },
    /// The chair hands the adopted constitution to its ratification referendum; the log closes.
    Ratify {
        /// The referendum's id.
        referendum: String,
        /// Its question.
        question: String,
        /// Its ratification rule, TOML.
        rule: String,
        /// Below how many ballots its regions are merged.
        #[serde(default)]
        min_region_ballots: u64,
        /// Its trustees.
        trustees: crate::format::TrusteeCount,
        /// With named trustees (record format version 2): the ratification's registrar, who
        /// signs its credential list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        registrar: Option<crate::actors::Actor>,
        /// With named trustees: the official who issues the sign-in codes apart from the registrar.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code_issuer: Option<crate::actors::Actor>,
        /// The Argon2id cost of the typed credentials of the referendums it calls for (protocol
        /// note §14); absent, their credentials are keys.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credential_kdf: Option<crate::format::CredentialKdf>,
        /// The ratification referendum's title and question in other languages.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        translations: crate::format::Translations,
        /// The constitution's Markdown in some of those languages: the convention's official
        /// translations, which the referendum's voters may read instead.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        constitutions: std::collections::BTreeMap<String, String>,
    },
}

impl Event {
    /// The event's `type`, as its JSON names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Localities { .. } => "localities",
            Event::Apportionment { .. } => "apportionment",
            Event::Credential { .. } => "credential",
            Event::Agenda { .. } => "agenda",
            Event::Motion { .. } => "motion",
            Event::Amendment { .. } => "amendment",
            Event::Translation { .. } => "translation",
            Event::FloorRequest {} => "floor_request",
            Event::Floor { .. } => "floor",
            Event::NextItem {} => "next_item",
            Event::OpenVote { .. } => "open_vote",
            Event::Vote { .. } => "vote",
            Event::WithdrawObjection { .. } => "withdraw_objection",
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
