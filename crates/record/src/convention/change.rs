//! Check, then commit. Every family of events is checked by a function of `&self`, which cannot
//! change the state, and yields a [`StateChange`]: everything the event does, computed in full.
//! [`ConventionState::commit`] then writes it and cannot fail. So a refused event has changed
//! nothing, by construction (`tests.rs`, `any_sequence_of_events_is_safe_atomic_and_replays_identically`,
//! compares every field of the state before and after each refusal).

use super::*;

/// The entry being applied: its index in the log and its reference (the hex of its leaf hash).
pub(super) struct At<'a> {
    pub(super) index: u64,
    pub(super) hash: &'a str,
}

/// What checking an event gives: what it changes and its summary, or why it is refused.
pub(super) type Checked = Result<(StateChange, Said), Refusal>;

/// Everything one accepted event changes.
pub(super) enum StateChange {
    Localities(LocalitiesVersion),
    Apportionment(ApportionmentState),
    Member(MemberState),
    Agenda(Vec<String>),
    NextItem,
    Speaker(String),
    /// A floor given, and the speaker's place on the list (whom it removes).
    Floor(Floor, usize),
    Motion(MotionState),
    Amendment(AmendmentState),
    /// `motions[motion]`'s translation into `lang`.
    Translation {
        motion: usize,
        lang: String,
        translation: TranslationState,
    },
    OpenVote(VoteState),
    /// A ballot in vote `votes[vote]`, by `key`.
    Ballot {
        vote: usize,
        key: String,
        ballot: Cast,
    },
    /// `key` withdraws objection `objection` (an index into the vote's objections) in vote
    /// `votes[vote]`, at log entry `at`.
    Withdraw {
        vote: usize,
        key: String,
        objection: usize,
        at: u64,
    },
    /// Vote `votes[vote]` closed with its result (and a secret vote's counts), and what the
    /// result does to its motions and amendments.
    Close {
        vote: usize,
        result: VoteResult,
        tally: Option<BTreeMap<String, [u64; 3]>>,
        effects: Vec<Effect>,
    },
    Ratify(RatifyState),
}

/// What a delegate cast.
pub(super) enum Cast {
    Choice(ChoiceJson),
    Ranking(Vec<Vec<u32>>),
    /// An objection in a consensus vote, made at this log entry.
    Objection(u64),
}

/// What a closed vote's result does.
pub(super) enum Effect {
    /// `motions[motion]` now reads `current` (an adopted amendment; its next version), with a line of history.
    Amended { motion: usize, current: BodyJson, history: Said },
    /// `motions[motion]` is decided, with a line of history if it gets one.
    Motion { motion: usize, status: Status, history: Option<Said> },
    /// `amendments[amendment]` is decided.
    Amendment { amendment: usize, status: Status },
    /// Motion `motion` becomes the next article.
    Article(u32),
}

impl ConventionState {
    /// Writes `change`. Every index in it was checked against this state, which nothing has
    /// changed since.
    pub(super) fn commit(&mut self, change: StateChange) {
        match change {
            StateChange::Localities(version) => self.localities.push(version),
            StateChange::Apportionment(apportionment) => self.apportionment = Some(apportionment),
            StateChange::Member(member) => {
                self.member_index.insert(member.key.clone(), self.members.len());
                self.members.push(member);
            }
            StateChange::Agenda(items) => {
                self.agenda = items;
                self.current_item = 0;
                self.speakers.clear();
                self.floors.clear();
            }
            StateChange::NextItem => {
                self.current_item += 1;
                self.speakers.clear();
                self.floors.clear();
            }
            StateChange::Speaker(key) => self.speakers.push(key),
            StateChange::Floor(floor, speaker) => {
                self.floors.push(floor);
                self.speakers.remove(speaker);
            }
            StateChange::Motion(motion) => self.motions.push(motion),
            StateChange::Amendment(amendment) => self.amendments.push(amendment),
            StateChange::Translation { motion, lang, translation } => {
                self.motions[motion].translations.insert(lang, translation);
            }
            StateChange::OpenVote(vote) => self.votes.push(vote),
            StateChange::Ballot { vote, key, ballot } => {
                let vote = &mut self.votes[vote];
                match ballot {
                    Cast::Choice(choice) => {
                        vote.choices.insert(key, choice);
                    }
                    Cast::Ranking(ranking) => {
                        vote.rankings.insert(key, ranking);
                    }
                    Cast::Objection(entry) => {
                        vote.choices.insert(key.clone(), ChoiceJson::No);
                        vote.objections.push(Objection { by: key, entry, withdrawn: None });
                    }
                }
            }
            StateChange::Withdraw { vote, key, objection, at } => {
                let vote = &mut self.votes[vote];
                vote.choices.remove(&key);
                vote.objections[objection].withdrawn = Some(at);
            }
            StateChange::Close { vote, result, tally, effects } => {
                let vote = &mut self.votes[vote];
                vote.open = false;
                vote.result = result;
                if let (Some(secret), Some(tally)) = (vote.secret.as_mut(), tally) {
                    secret.tally = tally;
                }
                for effect in effects {
                    match effect {
                        Effect::Amended { motion, current, history } => {
                            let motion = &mut self.motions[motion];
                            motion.current = current;
                            motion.version += 1;
                            motion.record(history);
                        }
                        Effect::Motion { motion, status, history } => {
                            let motion = &mut self.motions[motion];
                            motion.status = status;
                            if let Some(history) = history {
                                motion.record(history);
                            }
                        }
                        Effect::Amendment { amendment, status } => self.amendments[amendment].status = status,
                        Effect::Article(motion) => self.articles.push(motion),
                    }
                }
            }
            StateChange::Ratify(ratified) => self.ratified = Some(ratified),
        }
    }
}
