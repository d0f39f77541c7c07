//! Votes: opening one (its rule fixed), closing it with its result recomputed, and the count
//! itself; adopting a motion.

use super::*;

impl ConventionState {
    /// A vote opened on `subject` under `rule` (a secret one with `secret`).
    pub(super) fn open_vote(&self, subject: &Subject, rule: &RuleJson, secret: Option<SecretVote>, at: &At) -> Checked {
        rule.to_core().map_err(Refusal::invalid)?;
        let motions = self.subject_motions(subject)?;
        for motion in &motions {
            if self.motion(*motion)?.status != Status::Open {
                return Err(refuse!("motion_closed", motion = *motion));
            }
            if self
                .votes
                .iter()
                .any(|v| v.open && self.subject_motions(&v.subject).unwrap_or_default().contains(motion))
            {
                return Err(refuse!("motion_in_vote", motion = *motion));
            }
        }
        if let Subject::Amendment(a) = subject {
            let amendment = self.amendment(*a)?;
            if amendment.status != Status::Open {
                return Err(refuse!("amendment_decided", amendment = *a));
            }
            let text = self.motion(amendment.motion)?.current.amendable_text().unwrap_or_default();
            amendment::apply(text, &to_amendment(&amendment.changes))
                .map_err(|e| refuse!("amendment_stale", amendment = *a, detail = e))?;
        }
        if let Subject::Ranked(options) = subject {
            let mut sorted = options.clone();
            sorted.sort();
            sorted.dedup();
            if options.len() < 2 || sorted.len() != options.len() {
                return Err(refuse!("ranked_two"));
            }
            if options.len() > ranked::MAX_CANDIDATES {
                return Err(refuse!("ranked_many", most = ranked::MAX_CANDIDATES));
            }
        }
        if matches!(rule.majority, MajorityJson::Unanimity | MajorityJson::Consensus) {
            if self.charter.version < CONFERENCE_VERSION {
                return Err(refuse!("rule_needs_version", version = CONFERENCE_VERSION));
            }
            if matches!(subject, Subject::Ranked(_)) {
                return Err(refuse!("ranked_unanimity"));
            }
            if rule.base != BaseJson::Present || rule.weighting != WeightingJson::Equal || rule.concurrent {
                return Err(refuse!("unanimity_shape"));
            }
            if rule.majority == MajorityJson::Consensus && secret.is_some() {
                return Err(refuse!("consensus_secret"));
            }
        }
        let voting = self.voting_role();
        let in_office: Vec<String> = self.members.iter().filter(|m| m.role == voting).map(|m| m.key.clone()).collect();
        if in_office.is_empty() {
            return Err(match voting {
                Role::Head => refuse!("no_head"),
                _ => refuse!("no_delegate"),
            });
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
            objections: Vec::new(),
            result: VoteResult::default(),
            secret,
            entry: at.index,
            hash: at.hash.to_string(),
        };
        vote.result = self.count(&vote).map_err(Refusal::invalid)?;
        let summary = match subject {
            Subject::Motion(m) => said!("event-open_vote", vote = id, motion = *m),
            Subject::Amendment(a) => said!("event-open_vote_amendment", vote = id, amendment = *a),
            Subject::Ranked(options) => {
                let motions = options.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
                said!("event-open_vote_ranked", vote = id, motions = motions)
            }
        };
        Ok((StateChange::OpenVote(vote), summary))
    }

    /// Closes `vote` (a secret one with its referendum's counts `tally`) if `result` is what
    /// its ballots give under its rule, with the effects of the result: an amendment applied, a
    /// motion adopted or rejected, a ranked vote's losers withdrawn.
    pub(super) fn close_vote(
        &self,
        vote: &VoteState,
        result: &VoteResult,
        tally: Option<BTreeMap<String, [u64; 3]>>,
        at: &At,
    ) -> Checked {
        let (id, index) = (vote.id, at.index);
        if !vote.open {
            return Err(refuse!("vote_closed", vote = id));
        }
        let counted = match (&tally, &vote.secret) {
            (Some(tally), Some(secret)) => {
                let secret = SecretVote { tally: tally.clone(), ..secret.clone() };
                self.count(&VoteState { secret: Some(secret), ..vote.clone() }).map_err(Refusal::invalid)?
            }
            _ => self.count(vote).map_err(Refusal::invalid)?,
        };
        if counted.figures() != result.figures() {
            return Err(refuse!("result_differs", result = serde_json::to_string(&counted).unwrap_or_default()));
        }
        // How the vote counted, the arguments its history line and its summary share
        // (`$how` chooses the words: docs/convention.md §5).
        let mut counts = Args::default();
        let mut count = |name: &'static str, value: Arg| counts.0.insert(name.to_string(), value);
        let (yes, no, abstain) = (Arg::Number(counted.yes), Arg::Number(counted.no), Arg::Number(counted.abstain));
        let how = match (&vote.secret, vote.rule.majority) {
            (Some(secret), _) => {
                count("referendum", Arg::Text(secret.referendum.clone()));
                "secret"
            }
            (None, MajorityJson::Consensus) => match (counted.no, vote.objections.len()) {
                (0, 0) => "consensus",
                (0, 1) => "consensus_withdrawn_one",
                (0, n) => {
                    count("withdrawn", Arg::Number(n as u64));
                    "consensus_withdrawn"
                }
                (standing, _) => {
                    count("standing", Arg::Number(standing));
                    "standing"
                }
            },
            (None, _) => "counted",
        };
        if matches!(how, "secret" | "counted") {
            count("yes", yes);
            count("no", no);
            count("abstain", abstain);
        }
        count("how", Arg::Text(how.to_string()));
        let verdict = if counted.adopted { "adopted" } else { "rejected" };
        let mut effects = Vec::new();
        let summary = match &vote.subject {
            Subject::Amendment(a) => {
                let amendment = self.amendment(*a)?;
                let status = if counted.adopted { Status::Adopted } else { Status::Rejected };
                if counted.adopted {
                    let motion = self.motion(amendment.motion)?;
                    let text = motion.current.amendable_text().unwrap_or_default();
                    let amended =
                        amendment::apply(text, &to_amendment(&amendment.changes)).map_err(Refusal::invalid)?;
                    let history = said!(
                        "history-amended",
                        amendment = *a,
                        proposer = &amendment.proposer,
                        vote = id,
                        entry = index
                    );
                    effects.push(Effect::Amended {
                        motion: (amendment.motion - 1) as usize,
                        current: motion.current.with_text(amended),
                        history: history.with_all(&counts),
                    });
                }
                effects.push(Effect::Amendment { amendment: (a - 1) as usize, status });
                said!("event-close_amendment", vote = id, amendment = *a, verdict = verdict).with_all(&counts)
            }
            Subject::Motion(m) => {
                if counted.adopted {
                    let how = said!("history-adopted", vote = id, entry = index).with_all(&counts);
                    effects.extend(self.adopt(*m, how)?);
                } else {
                    self.motion(*m)?;
                    effects.push(Effect::Motion { motion: (m - 1) as usize, status: Status::Rejected, history: None });
                }
                said!("event-close_motion", vote = id, motion = *m, verdict = verdict).with_all(&counts)
            }
            Subject::Ranked(options) => match counted.winner {
                Some(w) => {
                    let winner = *options.get(w as usize).ok_or(refuse!("winner_not_an_option"))?;
                    for &other in options.iter().filter(|&&o| o != winner) {
                        self.motion(other)?;
                        effects.push(Effect::Motion {
                            motion: (other - 1) as usize,
                            status: Status::Withdrawn,
                            history: Some(said!("history-not_chosen", vote = id, entry = index)),
                        });
                    }
                    effects.extend(self.adopt(winner, said!("history-chosen", vote = id, entry = index))?);
                    said!("event-close_ranked", vote = id, motion = winner)
                }
                None => said!("event-close_no_winner", vote = id),
            },
        };
        let change = StateChange::Close { vote: (id - 1) as usize, result: counted, tally, effects };
        Ok((change, summary))
    }

    /// Adopting `motion` as the next article, `how` saying by what (its history line, which
    /// then names the article: a conference's is a paragraph).
    fn adopt(&self, motion: u32, how: Said) -> Result<[Effect; 2], Refusal> {
        self.motion(motion)?;
        let number = self.articles.len() + 1;
        let paragraph = if self.charter.conference.is_some() { "yes" } else { "no" };
        Ok([
            Effect::Motion {
                motion: (motion - 1) as usize,
                status: Status::Adopted,
                history: Some(how.with("article", number).with("paragraph", paragraph)),
            },
            Effect::Article(motion),
        ])
    }

    pub(super) fn motion(&self, id: u32) -> Result<&MotionState, Refusal> {
        self.motions.get((id as usize).wrapping_sub(1)).ok_or_else(|| refuse!("no_such_motion", motion = id))
    }

    pub(super) fn amendment(&self, id: u32) -> Result<&AmendmentState, Refusal> {
        self.amendments.get((id as usize).wrapping_sub(1)).ok_or_else(|| refuse!("no_such_amendment", amendment = id))
    }

    /// Vote number `id`.
    pub fn vote(&self, id: u32) -> Result<&VoteState, Refusal> {
        self.votes.get((id as usize).wrapping_sub(1)).ok_or_else(|| refuse!("no_such_vote", vote = id))
    }

    pub(super) fn subject_motions(&self, subject: &Subject) -> Result<Vec<u32>, Refusal> {
        Ok(match subject {
            Subject::Motion(m) => vec![*m],
            Subject::Amendment(a) => vec![self.amendment(*a)?.motion],
            Subject::Ranked(options) => options.clone(),
        })
    }

    /// A vote's result from its ballots, under its rule.
    pub fn count(&self, vote: &VoteState) -> Result<VoteResult, String> {
        if let Subject::Ranked(options) = &vote.subject {
            return Ok(self.count_ranked(vote, options));
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
        let mut result = VoteResult {
            adopted: decision.adopted,
            yes: count(ChoiceJson::Yes),
            no: count(ChoiceJson::No),
            abstain: count(ChoiceJson::Abstain),
            ..VoteResult::default()
        };
        for (condition, holds) in &decision.conditions {
            result.condition(condition_said(condition), *holds);
        }
        for objection in &vote.objections {
            let who = self.member_index.get(&objection.by).map(|&m| &self.members[m]);
            let (name, state) = who.map(|m| (m.name.as_str(), m.locality.as_str())).unwrap_or_default();
            let said = said!("condition-objection", name = name, state = state, entry = objection.entry);
            let said = match objection.withdrawn {
                Some(at) => said.with("status", "withdrawn").with("at", at),
                None => said.with("status", "standing"),
            };
            result.condition(said, objection.withdrawn.is_some());
        }
        Ok(result)
    }

    /// A ranked vote's result: Schulze's winner, and both counts' ties (docs/convention.md §7).
    fn count_ranked(&self, vote: &VoteState, options: &[u32]) -> VoteResult {
        let ballots: Vec<RankedBallot> = vote
            .rankings
            .values()
            .map(|r| RankedBallot {
                ranking: r.iter().map(|g| g.iter().map(|&c| c as usize).collect()).collect(),
                count: 1,
            })
            .collect();
        let count = ranked::count(options.len(), &ballots, None);
        let winner = count.schulze_winner.map(|w| w as u32);
        let index = |v: &[usize]| v.iter().map(|&c| c as u32).collect::<Vec<u32>>();
        // The motions' numbers, as a list the message puts in.
        let names = |v: &[usize]| v.iter().map(|&c| options[c].to_string()).collect::<Vec<_>>().join(", ");
        let mut result = VoteResult::default();
        let ranking = said!("condition-ranked_count", ranked = ballots.len(), in_office = vote.in_office.len());
        result.condition(ranking, !ballots.is_empty());
        let tied = match count.schulze.winners() {
            tied @ [_, _, ..] if !ballots.is_empty() => tied,
            _ => &[],
        };
        let schulze = match (winner, tied) {
            (Some(w), _) => said!("condition-schulze_winner", motion = options[w as usize]),
            (None, [_, ..]) => said!("condition-schulze_tie", motions = names(tied)),
            (None, []) => said!("condition-schulze_none"),
        };
        result.condition(schulze, winner.is_some());
        let runoff = &count.runoff;
        for tie in &runoff.ties {
            let decisive = if tie.decisive { "yes" } else { "no" };
            let said =
                said!("condition-runoff_tie", round = tie.round, motions = names(&tie.tied), decisive = decisive);
            result.condition(said, !tie.decisive);
        }
        let possible = runoff.possible_winners.clone().unwrap_or_default();
        let compared = match runoff.winner {
            Some(w) => said!("condition-runoff_winner", motion = options[w]),
            None if possible.len() > 1 => said!("condition-runoff_possible", motions = names(&possible)),
            None => said!("condition-runoff_none"),
        };
        result.condition(compared, runoff.winner.is_some());
        let ranked = RankedTies {
            schulze_tied: index(tied),
            runoff_winner: runoff.winner.map(|w| w as u32),
            runoff_possible_winners: index(&possible),
            runoff_ties: runoff
                .ties
                .iter()
                .map(|t| RunoffTieJson { round: t.round as u32, tied: index(&t.tied), decisive: t.decisive })
                .collect(),
        };
        VoteResult { adopted: winner.is_some(), winner, ranked: Some(ranked), ..result }
    }
}

/// A condition of `convene_core::majority`'s, as the state machine says it.
fn condition_said(condition: &majority::Condition) -> Said {
    use majority::{Bar, Condition, Scope};
    let scoped = |said: Said, scope: &Scope| match scope {
        Scope::Assembly => said.with("scope", "assembly"),
        Scope::Delegation(region) => said.with("scope", "delegation").with("region", region),
    };
    match condition {
        Condition::Quorum { present, in_office, needed } => {
            said!("condition-quorum", present = *present, in_office = *in_office, needed = needed.to_string())
        }
        Condition::Majority { scope, yes, no, base, base_kind, bar } => {
            let base_kind = if *base_kind == Base::Present { "present" } else { "in_office" };
            // A whole weight is a number (the pages write it in their digits); a sum of square
            // roots stays the three decimals it was given.
            let figure = |w: &String| w.parse::<u64>().map(Arg::Number).unwrap_or_else(|_| Arg::Text(w.clone()));
            let said = said!(
                "condition-majority",
                yes = figure(yes),
                no = figure(no),
                base = figure(base),
                base_kind = base_kind
            );
            let said = match bar {
                Bar::MoreYesThanNo => said.with("bar", "simple"),
                Bar::MoreThanHalf => said.with("bar", "half"),
                Bar::AtLeast(share) => said.with("bar", "share").with("share", share.to_string()),
                Bar::NoOneAgainst => said.with("bar", "unanimity"),
            };
            scoped(said, scope)
        }
        Condition::Objections { scope, standing } => scoped(said!("condition-objections", standing = *standing), scope),
    }
}
