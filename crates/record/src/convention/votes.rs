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
        Ok((StateChange::OpenVote(vote), format!("vote {id} opened on {}", subject.describe())))
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
        let counts = format!("{} yes, {} no, {} abstaining", counted.yes, counted.no, counted.abstain);
        let counts = match (&vote.secret, vote.rule.majority) {
            (Some(secret), _) => format!("{counts}, by secret ballot in referendum {}", secret.referendum),
            (None, MajorityJson::Consensus) => match (counted.no, vote.objections.len()) {
                (0, 0) => "by consensus, no objection".to_string(),
                (0, 1) => "by consensus, its one objection withdrawn".to_string(),
                (0, n) => format!("by consensus, its {n} objections withdrawn"),
                (standing, _) => format!("{standing} objections standing"),
            },
            (None, _) => counts,
        };
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
                    effects.push(Effect::Amended {
                        motion: (amendment.motion - 1) as usize,
                        current: motion.current.with_text(amended),
                        history: format!(
                            "amendment {a} by {} adopted by vote {id} ({counts}; log entry {index})",
                            amendment.proposer
                        ),
                    });
                }
                effects.push(Effect::Amendment { amendment: (a - 1) as usize, status });
                format!("vote {id} closed: amendment {a} {verdict} ({counts})")
            }
            Subject::Motion(m) => {
                if counted.adopted {
                    effects.extend(self.adopt(*m, format!("adopted by vote {id} ({counts}; log entry {index})"))?);
                } else {
                    self.motion(*m)?;
                    effects.push(Effect::Motion { motion: (m - 1) as usize, status: Status::Rejected, history: None });
                }
                format!("vote {id} closed: motion {m} {verdict} ({counts})")
            }
            Subject::Ranked(options) => match counted.winner {
                Some(w) => {
                    let winner = *options.get(w as usize).ok_or(refuse!("winner_not_an_option"))?;
                    for &other in options.iter().filter(|&&o| o != winner) {
                        self.motion(other)?;
                        effects.push(Effect::Motion {
                            motion: (other - 1) as usize,
                            status: Status::Withdrawn,
                            history: Some(format!("not chosen in ranked vote {id} (log entry {index})")),
                        });
                    }
                    effects.extend(
                        self.adopt(winner, format!("chosen by ranked vote {id} (Schulze; log entry {index})"))?,
                    );
                    format!("vote {id} closed: motion {winner} chosen")
                }
                None => format!("vote {id} closed: no single winner, nothing adopted"),
            },
        };
        let change = StateChange::Close { vote: (id - 1) as usize, result: counted, tally, effects };
        Ok((change, summary))
    }

    /// Adopting `motion` as the next article, `how` saying by what.
    fn adopt(&self, motion: u32, how: String) -> Result<[Effect; 2], Refusal> {
        self.motion(motion)?;
        let number = self.articles.len() + 1;
        let article = if self.charter.conference.is_some() { "paragraph" } else { "article" };
        Ok([
            Effect::Motion {
                motion: (motion - 1) as usize,
                status: Status::Adopted,
                history: Some(format!("{how}: {article} {number}")),
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
        let mut decision = majority::decide(&rule, &members);
        for objection in &vote.objections {
            let who = self.member_index.get(&objection.by).map(|&m| &self.members[m]);
            let (name, state) = who.map(|m| (m.name.as_str(), m.locality.as_str())).unwrap_or_default();
            let words = match objection.withdrawn {
                Some(at) => format!(
                    "objection by {name} for {state} (log entry {}), withdrawn (log entry {at})",
                    objection.entry
                ),
                None => format!("objection by {name} for {state} (log entry {}), standing", objection.entry),
            };
            decision.conditions.push((words, objection.withdrawn.is_some()));
        }
        let count = |c: ChoiceJson| choices.iter().filter(|v| **v == Some(c)).count() as u64;
        Ok(VoteResult {
            adopted: decision.adopted,
            yes: count(ChoiceJson::Yes),
            no: count(ChoiceJson::No),
            abstain: count(ChoiceJson::Abstain),
            winner: None,
            conditions: decision.conditions,
            ranked: None,
        })
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
        let name = |c: usize| format!("motion {}", options[c]);
        let names = |v: &[usize]| v.iter().map(|&c| name(c)).collect::<Vec<_>>().join(" and ");
        let mut conditions = vec![(
            format!("{} of {} delegates ranked the options", ballots.len(), vote.in_office.len()),
            !ballots.is_empty(),
        )];
        let tied = match count.schulze.winners() {
            tied @ [_, _, ..] if !ballots.is_empty() => tied,
            _ => &[],
        };
        conditions.push((
            match (winner, tied) {
                (Some(w), _) => format!("Schulze winner: {}", name(w as usize)),
                (None, [_, ..]) => format!("Schulze: a tie between {}, so nothing is adopted", names(tied)),
                (None, []) => "Schulze: no single winner".into(),
            },
            winner.is_some(),
        ));
        let runoff = &count.runoff;
        for tie in &runoff.ties {
            conditions.push((
                format!(
                    "instant runoff round {}: a tie for last place between {}{}",
                    tie.round,
                    names(&tie.tied),
                    if tie.decisive { ", which decides the winner" } else { "; the winner is the same whichever goes" }
                ),
                !tie.decisive,
            ));
        }
        let possible = runoff.possible_winners.clone().unwrap_or_default();
        conditions.push((
            match runoff.winner {
                Some(w) => format!("instant runoff (for comparison): {}", name(w)),
                None if possible.len() > 1 => {
                    format!("instant runoff (for comparison): no single winner; {} could win", names(&possible))
                }
                None => "instant runoff (for comparison): no single winner".into(),
            },
            runoff.winner.is_some(),
        ));
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
        VoteResult { adopted: winner.is_some(), winner, conditions, ranked: Some(ranked), ..VoteResult::default() }
    }
}
