//! Checking an event, one family of events per function: the roll, the floor, motions and
//! amendments, votes, the hand-off. Each reads the state (`&self`) and says what the event
//! changes (`change.rs`), or why it is refused.

use super::*;

impl ConventionState {
    /// Applies one event signed by `key` (`signer`, if the key holds an office) at `at`:
    /// checks it whole, then commits what it changes; or refuses with the reason, having
    /// changed nothing (the checks cannot: they read `&self`).
    pub(super) fn apply(
        &mut self,
        key: &str,
        signer: Option<Signer>,
        event: &Event,
        at: &At,
    ) -> Result<String, String> {
        let (change, summary) = self.check(key, signer, event, at)?;
        self.commit(change);
        Ok(summary)
    }

    /// What the event would change, and its summary; or why it is refused.
    fn check(&self, key: &str, signer: Option<Signer>, event: &Event, at: &At) -> Checked {
        if self.ratified.is_some() {
            return Err("the convention has handed its constitution to ratification; the log is closed".into());
        }
        match event {
            Event::Localities { .. } | Event::Apportionment { .. } | Event::Credential { .. } => {
                self.check_roll(signer, event, at)
            }
            Event::Agenda { .. } | Event::NextItem { .. } | Event::FloorRequest { .. } | Event::Floor { .. } => {
                self.check_floor(key, signer, event, at)
            }
            Event::Motion { .. } | Event::Amendment { .. } | Event::Translation { .. } => {
                self.check_motions(key, signer, event, at)
            }
            Event::OpenVote { .. }
            | Event::OpenSecretVote { .. }
            | Event::Vote { .. }
            | Event::WithdrawObjection { .. } => self.check_voting(key, signer, event, at),
            Event::CloseVote { .. } | Event::CloseSecretVote { .. } => self.check_closing(signer, event, at),
            Event::Ratify { .. } => self.check_ratify(signer, event, at),
        }
    }

    /// The roll: localities, apportionment and credentials, all the secretary's.
    fn check_roll(&self, signer: Option<Signer>, event: &Event, at: &At) -> Checked {
        let index = at.index;
        if let Some(conference) = &self.charter.conference {
            return self.check_conference_roll(conference, signer, event, at);
        }
        match event {
            Event::Localities { source, localities } => {
                needs("secretary", matches!(signer, Some(Signer::Secretary)))?;
                check_localities(localities)?;
                if source.trim().is_empty() {
                    return Err("say where the localities come from (source)".into());
                }
                let version = self.localities.len() as u32 + 1;
                let summary = format!("localities version {version}: {} localities from {source}", localities.len());
                let change = StateChange::Localities(LocalitiesVersion {
                    version,
                    source: source.clone(),
                    localities: localities.clone(),
                    entry: index,
                });
                Ok((change, summary))
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
                let change = StateChange::Apportionment(ApportionmentState {
                    localities_version: *localities_version,
                    method: method.clone(),
                    seats: *seats,
                    min_seats: *min_seats,
                    max_seats: *max_seats,
                    result: result.clone(),
                    entry: index,
                });
                Ok((change, format!("{seats} seats apportioned by {}", parsed.name())))
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
                if *role == Role::Head {
                    return Err("heads of delegation sit in a conference of states, not in a convention".into());
                }
                let apportionment = self.apportionment.as_ref().ok_or("apportion the seats first")?;
                let localities = &self.localities[apportionment.localities_version as usize - 1].localities;
                let place = localities
                    .iter()
                    .position(|l| &l.name == locality)
                    .ok_or_else(|| format!("there is no locality {locality:?}"))?;
                let seats = apportionment.result[place];
                if *role == Role::Delegate {
                    let taken =
                        self.members.iter().filter(|m| m.role == Role::Delegate && &m.locality == locality).count();
                    if taken as u64 >= seats {
                        return Err(format!("{locality} has {seats} seats, all taken"));
                    }
                }
                let change = StateChange::Member(MemberState {
                    key: member,
                    name: name.clone(),
                    locality: locality.clone(),
                    region: localities[place].region.clone(),
                    role: *role,
                    population: localities[place].population / seats.max(1),
                    entry: index,
                });
                Ok((change, format!("{name} credentialed for {locality}")))
            }
            _ => Err(format!("a {} event is not one of the roll's", event.kind())),
        }
    }

    /// A conference's roll (docs/convention.md §2.4): the charter seats the states; the secretary
    /// credentials one head per state, members of the states' delegations, and observers.
    fn check_conference_roll(
        &self,
        conference: &Conference,
        signer: Option<Signer>,
        event: &Event,
        at: &At,
    ) -> Checked {
        let Event::Credential { key: member, name, locality, role } = event else {
            return Err(format!(
                "a conference seats one delegation per state, as its charter names them: it has no {} event",
                event.kind()
            ));
        };
        needs("secretary", matches!(signer, Some(Signer::Secretary)))?;
        let member = point_non_identity("key", member).map_err(|e| e.to_string())?.to_hex();
        if self.who(&member).is_some() {
            return Err("this key is already the chair's, the secretary's or a member's".into());
        }
        if name.trim().is_empty() {
            return Err("a member needs a name".into());
        }
        let is_state = conference.states.contains(locality);
        match role {
            Role::Head | Role::Delegate if !is_state => {
                return Err(format!(
                    "{locality:?} is not one of the conference's states: {}",
                    conference.states.join(", ")
                ))
            }
            Role::Head if self.members.iter().any(|m| m.role == Role::Head && &m.locality == locality) => {
                return Err(format!("{locality} already has a head of delegation"))
            }
            Role::Observer if is_state || locality.trim().is_empty() => {
                return Err(
                    "an observer is credentialed for the organisation they observe for, which is not a state".into()
                )
            }
            _ => {}
        }
        let summary = match role {
            Role::Head => format!("{name} credentialed as head of the delegation of {locality}"),
            Role::Delegate => format!("{name} credentialed to the delegation of {locality}"),
            Role::Observer => format!("{name} credentialed as an observer for {locality}"),
        };
        let change = StateChange::Member(MemberState {
            key: member,
            name: name.clone(),
            locality: locality.clone(),
            region: locality.clone(),
            role: *role,
            population: 1,
            entry: at.index,
        });
        Ok((change, summary))
    }

    /// A milestone dated in months, or after another milestone (version 5): `after_article` must
    /// be an adopted article that is a milestone (docs/timeline.md).
    fn check_milestone_reference(&self, body: &BodyJson) -> Result<(), String> {
        let BodyJson::Milestone { months, after_article, .. } = body else { return Ok(()) };
        if *months == 0 && after_article.is_none() {
            return Ok(());
        }
        if self.charter.version < CONFERENCE_VERSION {
            return Err(format!(
                "a milestone in months or after another milestone needs convention version {CONFERENCE_VERSION}"
            ));
        }
        let Some(k) = after_article else { return Ok(()) };
        let motion = self.articles.get((*k as usize).wrapping_sub(1)).and_then(|id| self.motion(*id).ok());
        match motion.map(|m| &m.current) {
            Some(BodyJson::Milestone { .. }) => Ok(()),
            Some(_) => {
                Err(format!("article {k} is not a milestone: a milestone follows ratification or another milestone"))
            }
            None => Err(format!("there is no article {k} yet: adopt the milestone this one follows first")),
        }
    }

    /// The floor: the agenda, requests to speak and the time given.
    fn check_floor(&self, key: &str, signer: Option<Signer>, event: &Event, at: &At) -> Checked {
        let index = at.index;
        match event {
            Event::Agenda { items } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                if items.is_empty() || items.iter().any(|i| i.trim().is_empty()) {
                    return Err("the agenda needs items, none empty".into());
                }
                Ok((StateChange::Agenda(items.clone()), format!("agenda of {} items", items.len())))
            }
            Event::NextItem {} => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                if self.current_item + 1 >= self.agenda.len() {
                    return Err("this is the agenda's last item".into());
                }
                let next = self.current_item + 1;
                Ok((StateChange::NextItem, format!("agenda item {}: {}", next + 1, self.agenda[next])))
            }
            Event::FloorRequest {} => {
                let m = self.delegate(&signer)?;
                if self.speakers.iter().any(|s| s == key) {
                    return Err("you are already on the list of speakers".into());
                }
                Ok((StateChange::Speaker(key.to_string()), format!("{} asks for the floor", self.members[m].name)))
            }
            Event::Floor { delegate, seconds } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                let place = self
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
                let floor = Floor {
                    delegate: delegate.clone(),
                    region: member.region.clone(),
                    seconds: *seconds,
                    entry: index,
                };
                Ok((StateChange::Floor(floor, place), summary))
            }
            _ => Err(format!("a {} event is not one of the floor's", event.kind())),
        }
    }

    /// Motions and amendments, moved by delegates.
    fn check_motions(&self, key: &str, signer: Option<Signer>, event: &Event, at: &At) -> Checked {
        let index = at.index;
        match event {
            Event::Motion { title, body } => {
                let m = self.delegate(&signer)?;
                if title.trim().is_empty() {
                    return Err("a motion needs a title".into());
                }
                body.check(&self.regions())?;
                self.check_milestone_reference(body)?;
                let id = self.motions.len() as u32 + 1;
                let proposer = self.members[m].name.clone();
                let change = StateChange::Motion(MotionState {
                    id,
                    title: title.clone(),
                    proposer: proposer.clone(),
                    moved: body.clone(),
                    current: body.clone(),
                    status: Status::Open,
                    history: vec![format!("motion {id} moved by {proposer} (log entry {index})")],
                    entry: index,
                    hash: at.hash.to_string(),
                    version: 1,
                    translations: BTreeMap::new(),
                });
                Ok((change, format!("motion {id}: {title}")))
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
                let change = StateChange::Amendment(AmendmentState {
                    id,
                    motion,
                    proposer: self.members[m].name.clone(),
                    changes: changes.clone(),
                    rationale: rationale.clone(),
                    diff: amendment::diff(text, &amended),
                    status: Status::Open,
                    entry: index,
                    hash: at.hash.to_string(),
                });
                Ok((change, format!("amendment {id} to motion {motion}")))
            }
            Event::Translation { motion, lang, version, title, text } => {
                if !matches!(signer, Some(Signer::Secretary)) {
                    self.delegate(&signer)?;
                }
                let motion = self.resolve(Created::Motion, motion)?;
                let target = self.motion(motion)?;
                if !matches!(target.status, Status::Open | Status::Adopted) {
                    return Err(format!("motion {motion} was not adopted and is closed; it is not translated"));
                }
                if !crate::format::is_language_tag(lang) {
                    return Err(format!("{lang:?} is not a language tag such as ar, ckb or ar-IQ"));
                }
                if *version != target.version {
                    return Err(format!(
                        "motion {motion}'s text is at version {}; translate that one (this translates version {version})",
                        target.version
                    ));
                }
                if title.trim().is_empty() || text.trim().is_empty() {
                    return Err("a translation needs a title and a text".into());
                }
                let translation = TranslationState {
                    title: title.clone(),
                    text: text.clone(),
                    version: *version,
                    by: key.to_string(),
                    entry: index,
                };
                let summary = format!("motion {motion} translated into {lang}");
                Ok((StateChange::Translation { motion: motion as usize - 1, lang: lang.clone(), translation }, summary))
            }
            _ => Err(format!("a {} event is not one of the motions's", event.kind())),
        }
    }

    /// Votes opened (named or secret) and cast.
    fn check_voting(&self, key: &str, signer: Option<Signer>, event: &Event, at: &At) -> Checked {
        match event {
            Event::OpenVote { subject, rule } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                let subject = self.resolve_subject(subject)?;
                self.open_vote(&subject, rule, None, at)
            }
            Event::OpenSecretVote { subject, rule, referendum, trustees } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                if self.charter.conference.is_some() {
                    return Err("a conference's delegations vote in the open: it calls no referendum".into());
                }
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
                self.open_vote(&subject, rule, Some(secret), at)
            }
            Event::Vote { vote, choice, ranking } => {
                let m = self.voter(&signer)?;
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
                // The ballot goes in as it is (an open vote's result is counted when asked for
                // and at its close, not at every ballot).
                let ballot = match (&state.subject, choice, ranking) {
                    (Subject::Ranked(options), None, Some(ranking)) => {
                        let ballot = RankedBallot {
                            ranking: ranking.iter().map(|g| g.iter().map(|&c| c as usize).collect()).collect(),
                            count: 1,
                        };
                        ranked::check_ballots(options.len(), std::slice::from_ref(&ballot))?;
                        Cast::Ranking(ranking.clone())
                    }
                    (Subject::Ranked(_), _, _) => {
                        return Err("this is a ranked vote: send a ranking, not a choice".into())
                    }
                    (_, Some(ChoiceJson::No), None) if state.rule.majority == MajorityJson::Consensus => {
                        Cast::Objection(at.index)
                    }
                    (_, Some(_), None) if state.rule.majority == MajorityJson::Consensus => {
                        return Err(format!(
                            "vote {vote} is by consensus: it is adopted unless someone objects, so the only thing to \
                             send is an objection (no); say nothing to let it pass"
                        ))
                    }
                    (_, Some(choice), None) => Cast::Choice(*choice),
                    _ => return Err("this is a yes/no vote: send a choice (yes, no or abstain)".into()),
                };
                let summary = match ballot {
                    Cast::Objection(_) => format!("{} objects in vote {vote}", self.members[m].name),
                    _ => format!("{} voted in vote {vote}", self.members[m].name),
                };
                let change = StateChange::Ballot { vote: (vote - 1) as usize, key: key.to_string(), ballot };
                Ok((change, summary))
            }
            Event::WithdrawObjection { vote } => {
                let m = self.voter(&signer)?;
                let vote = self.resolve(Created::Vote, vote)?;
                let state = self.vote(vote)?;
                if !state.open {
                    return Err(format!("vote {vote} is closed"));
                }
                let standing = state.objections.iter().rposition(|o| o.by == key && o.withdrawn.is_none());
                let Some(objection) = standing else {
                    return Err(format!("you have no objection standing in vote {vote}"));
                };
                let change =
                    StateChange::Withdraw { vote: (vote - 1) as usize, key: key.to_string(), objection, at: at.index };
                Ok((change, format!("{} withdraws their objection in vote {vote}", self.members[m].name)))
            }
            _ => Err(format!("a {} event is not one of the voting's", event.kind())),
        }
    }

    /// Votes closed: a named vote with its recomputed result, a secret one with its referendum's counts.
    fn check_closing(&self, signer: Option<Signer>, event: &Event, at: &At) -> Checked {
        match event {
            Event::CloseVote { vote, result } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                let vote = self.resolve(Created::Vote, vote)?;
                let state = self.vote(vote)?;
                if state.secret.is_some() {
                    return Err(format!(
                        "vote {vote} is secret: close it with close_secret_vote and its referendum's counts"
                    ));
                }
                self.close_vote(state, result, None, at)
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
                self.close_vote(state, result, Some(tally.clone()), at)
            }
            _ => Err(format!("a {} event is not one of the closing's", event.kind())),
        }
    }

    /// The hand-off to ratification, which closes the log.
    fn check_ratify(&self, signer: Option<Signer>, event: &Event, at: &At) -> Checked {
        let index = at.index;
        match event {
            Event::Ratify {
                referendum,
                question,
                rule,
                min_region_ballots,
                trustees,
                registrar,
                code_issuer,
                credential_kdf,
                translations,
                constitutions,
            } => {
                needs("chair", matches!(signer, Some(Signer::Chair)))?;
                if self.charter.conference.is_some() {
                    return Err("a conference issues a communiqué; it hands nothing to a referendum".into());
                }
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
                if let Some(kdf) = credential_kdf {
                    kdf.params()?;
                }
                let asked =
                    [crate::format::Question::YesNo { id: "ratify".into(), text: question.clone(), blank: false }];
                // The hashes of the translated texts are the hand-off's to derive, not the event's.
                crate::format::check_translations(translations, &asked, false)?;
                for (tag, text) in constitutions {
                    if !translations.contains_key(tag) {
                        return Err(format!(
                            "constitutions {tag:?}: give the title and question in {tag:?} too (translations)"
                        ));
                    }
                    if text.trim().is_empty() {
                        return Err(format!("constitutions {tag:?}: the text is empty"));
                    }
                }
                let change = StateChange::Ratify(RatifyState {
                    referendum: referendum.clone(),
                    question: question.clone(),
                    rule: rule.clone(),
                    min_region_ballots: *min_region_ballots,
                    trustees: trustees.clone(),
                    registrar: registrar.clone(),
                    code_issuer: code_issuer.clone(),
                    credential_kdf: credential_kdf.clone(),
                    translations: translations.clone(),
                    constitutions: constitutions.clone(),
                    entry: index,
                });
                Ok((change, format!("the constitution goes to referendum {referendum}")))
            }
            _ => Err(format!("a {} event is not one of the ratify's", event.kind())),
        }
    }
}

/// `Ok` if the signer holds the office `role` (`ok`), else the refusal that says who may.
pub(super) fn needs(role: &str, ok: bool) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("only the {role} may do this"))
    }
}
