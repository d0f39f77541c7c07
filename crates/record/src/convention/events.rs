//! Checking an event, one family of events per function: the roll, the floor, motions and
//! amendments, votes, the hand-off. Each reads the state (`&self`) and says what the event
//! changes (`change.rs`), or why it is refused.

use super::*;

impl ConventionState {
    /// Applies one event signed by `key` (`signer`, if the key holds an office) at `at`:
    /// checks it whole, then commits what it changes; or refuses with the reason, having
    /// changed nothing (the checks cannot: they read `&self`).
    pub(super) fn apply(&mut self, key: &str, signer: Option<Signer>, event: &Event, at: &At) -> Result<Said, Refusal> {
        let (change, summary) = self.check(key, signer, event, at)?;
        self.commit(change);
        Ok(summary)
    }

    /// What the event would change, and its summary; or why it is refused.
    fn check(&self, key: &str, signer: Option<Signer>, event: &Event, at: &At) -> Checked {
        if self.ratified.is_some() {
            return Err(refuse!("log_closed"));
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
                needs(matches!(signer, Some(Signer::Secretary)), refuse!("only_secretary"))?;
                check_localities(localities).map_err(Refusal::invalid)?;
                if source.trim().is_empty() {
                    return Err(refuse!("no_source"));
                }
                let version = self.localities.len() as u32 + 1;
                let summary = said!("event-localities", version = version, count = localities.len(), source = source);
                let change = StateChange::Localities(LocalitiesVersion {
                    version,
                    source: source.clone(),
                    localities: localities.clone(),
                    entry: index,
                });
                Ok((change, summary))
            }
            Event::Apportionment { localities_version, method, seats, min_seats, max_seats, result } => {
                needs(matches!(signer, Some(Signer::Secretary)), refuse!("only_secretary"))?;
                let latest = self.localities.last().ok_or(refuse!("no_localities"))?;
                if *localities_version != latest.version {
                    return Err(refuse!("not_latest_localities", version = latest.version));
                }
                if self.members.iter().any(|m| m.role == Role::Delegate) {
                    return Err(refuse!("delegates_credentialed"));
                }
                let problem = Problem {
                    names: latest.localities.iter().map(|l| l.name.clone()).collect(),
                    populations: latest.localities.iter().map(|l| l.population).collect(),
                    seats: *seats,
                    min_seats: *min_seats,
                    max_seats: *max_seats,
                    threshold: None,
                };
                let parsed = Method::parse(method).map_err(Refusal::invalid)?;
                let computed = apportion::apportion(parsed, &problem).map_err(Refusal::invalid)?;
                if &computed.seats != result {
                    return Err(refuse!(
                        "apportionment_differs",
                        method = parsed.name(),
                        seats = format!("{:?}", computed.seats)
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
                Ok((change, said!("event-apportionment", seats = *seats, method = parsed.name())))
            }
            Event::Credential { key: member, name, locality, role } => {
                needs(matches!(signer, Some(Signer::Secretary)), refuse!("only_secretary"))?;
                let point = point_non_identity("key", member).map_err(Refusal::invalid)?;
                let member = point.to_hex();
                if self.who(&member).is_some() {
                    return Err(refuse!("key_in_use"));
                }
                if name.trim().is_empty() {
                    return Err(refuse!("no_name"));
                }
                if *role == Role::Head {
                    return Err(refuse!("head_outside_conference"));
                }
                let apportionment = self.apportionment.as_ref().ok_or(refuse!("no_apportionment"))?;
                let localities = &self.localities[apportionment.localities_version as usize - 1].localities;
                let place = localities
                    .iter()
                    .position(|l| &l.name == locality)
                    .ok_or_else(|| refuse!("no_such_locality", locality = locality))?;
                let seats = apportionment.result[place];
                if *role == Role::Delegate {
                    let taken =
                        self.members.iter().filter(|m| m.role == Role::Delegate && &m.locality == locality).count();
                    if taken as u64 >= seats {
                        return Err(refuse!("seats_taken", locality = locality, seats = seats));
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
                Ok((change, said!("event-credential", name = name, locality = locality)))
            }
            _ => Err(refuse!("wrong_family", kind = event.kind())),
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
            return Err(refuse!("conference_no_event", kind = event.kind()));
        };
        needs(matches!(signer, Some(Signer::Secretary)), refuse!("only_secretary"))?;
        let member = point_non_identity("key", member).map_err(Refusal::invalid)?.to_hex();
        if self.who(&member).is_some() {
            return Err(refuse!("key_in_use"));
        }
        if name.trim().is_empty() {
            return Err(refuse!("no_name"));
        }
        let is_state = conference.states.contains(locality);
        match role {
            Role::Head | Role::Delegate if !is_state => {
                return Err(refuse!("not_a_state", locality = locality, states = conference.states.join(", ")))
            }
            Role::Head if self.members.iter().any(|m| m.role == Role::Head && &m.locality == locality) => {
                return Err(refuse!("head_taken", locality = locality))
            }
            Role::Observer if is_state || locality.trim().is_empty() => return Err(refuse!("observer_for_state")),
            _ => {}
        }
        let summary = match role {
            Role::Head => said!("event-credential_head", name = name, locality = locality),
            Role::Delegate => said!("event-credential_delegation", name = name, locality = locality),
            Role::Observer => said!("event-credential_observer", name = name, locality = locality),
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
    fn check_milestone_reference(&self, body: &BodyJson) -> Result<(), Refusal> {
        let BodyJson::Milestone { months, after_article, .. } = body else { return Ok(()) };
        if *months == 0 && after_article.is_none() {
            return Ok(());
        }
        if self.charter.version < CONFERENCE_VERSION {
            return Err(refuse!("milestone_needs_version", version = CONFERENCE_VERSION));
        }
        let Some(k) = after_article else { return Ok(()) };
        let motion = self.articles.get((*k as usize).wrapping_sub(1)).and_then(|id| self.motion(*id).ok());
        match motion.map(|m| &m.current) {
            Some(BodyJson::Milestone { .. }) => Ok(()),
            Some(_) => Err(refuse!("not_a_milestone", article = *k)),
            None => Err(refuse!("no_such_article", article = *k)),
        }
    }

    /// The floor: the agenda, requests to speak and the time given.
    fn check_floor(&self, key: &str, signer: Option<Signer>, event: &Event, at: &At) -> Checked {
        let index = at.index;
        match event {
            Event::Agenda { items } => {
                needs(matches!(signer, Some(Signer::Chair)), refuse!("only_chair"))?;
                if items.is_empty() || items.iter().any(|i| i.trim().is_empty()) {
                    return Err(refuse!("empty_agenda"));
                }
                Ok((StateChange::Agenda(items.clone()), said!("event-agenda", count = items.len())))
            }
            Event::NextItem {} => {
                needs(matches!(signer, Some(Signer::Chair)), refuse!("only_chair"))?;
                if self.current_item + 1 >= self.agenda.len() {
                    return Err(refuse!("last_item"));
                }
                let next = self.current_item + 1;
                Ok((StateChange::NextItem, said!("event-next_item", item = next + 1, title = &self.agenda[next])))
            }
            Event::FloorRequest {} => {
                let m = self.delegate(&signer)?;
                if self.speakers.iter().any(|s| s == key) {
                    return Err(refuse!("already_listed"));
                }
                let summary = said!("event-floor_request", name = &self.members[m].name);
                Ok((StateChange::Speaker(key.to_string()), summary))
            }
            Event::Floor { delegate, seconds } => {
                needs(matches!(signer, Some(Signer::Chair)), refuse!("only_chair"))?;
                let place = self.speakers.iter().position(|s| s == delegate).ok_or(refuse!("not_listed"))?;
                let member =
                    self.member_index.get(delegate).map(|&m| &self.members[m]).ok_or(refuse!("no_such_delegate"))?;
                let spent: u64 = self.floors.iter().filter(|f| f.region == member.region).map(|f| f.seconds).sum();
                let left = self.charter.speaking_seconds.saturating_sub(spent);
                if *seconds == 0 || *seconds > left {
                    return Err(refuse!("time_left", region = &member.region, left = left));
                }
                let summary = said!("event-floor", name = &member.name, seconds = *seconds);
                let floor = Floor {
                    delegate: delegate.clone(),
                    region: member.region.clone(),
                    seconds: *seconds,
                    entry: index,
                };
                Ok((StateChange::Floor(floor, place), summary))
            }
            _ => Err(refuse!("wrong_family", kind = event.kind())),
        }
    }

    /// Motions and amendments, moved by delegates.
    fn check_motions(&self, key: &str, signer: Option<Signer>, event: &Event, at: &At) -> Checked {
        let index = at.index;
        match event {
            Event::Motion { title, body } => {
                let m = self.delegate(&signer)?;
                if title.trim().is_empty() {
                    return Err(refuse!("no_title"));
                }
                body.check(&self.regions())?;
                self.check_milestone_reference(body)?;
                let id = self.motions.len() as u32 + 1;
                let proposer = self.members[m].name.clone();
                let mut motion = MotionState {
                    id,
                    title: title.clone(),
                    proposer: proposer.clone(),
                    moved: body.clone(),
                    current: body.clone(),
                    status: Status::Open,
                    history: Vec::new(),
                    steps: Vec::new(),
                    entry: index,
                    hash: at.hash.to_string(),
                    version: 1,
                    translations: BTreeMap::new(),
                };
                motion.record(said!("history-moved", motion = id, proposer = proposer, entry = index));
                Ok((StateChange::Motion(motion), said!("event-motion", motion = id, title = title)))
            }
            Event::Amendment { motion, changes, rationale } => {
                let m = self.delegate(&signer)?;
                let motion = self.resolve(Created::Motion, motion)?;
                let target = self.motion(motion)?;
                if target.status != Status::Open {
                    return Err(refuse!("motion_closed", motion = motion));
                }
                let text = target.current.amendable_text().ok_or(refuse!("not_amendable"))?;
                let amended = amendment::apply(text, &to_amendment(changes)).map_err(Refusal::invalid)?;
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
                Ok((change, said!("event-amendment", amendment = id, motion = motion)))
            }
            Event::Translation { motion, lang, version, title, text } => {
                if !matches!(signer, Some(Signer::Secretary)) {
                    self.delegate(&signer)?;
                }
                let motion = self.resolve(Created::Motion, motion)?;
                let target = self.motion(motion)?;
                if !matches!(target.status, Status::Open | Status::Adopted) {
                    return Err(refuse!("translate_closed", motion = motion));
                }
                if !crate::format::is_language_tag(lang) {
                    return Err(refuse!("not_a_language_tag", lang = lang));
                }
                if *version != target.version {
                    return Err(refuse!(
                        "translate_version",
                        motion = motion,
                        current = target.version,
                        version = *version
                    ));
                }
                if title.trim().is_empty() || text.trim().is_empty() {
                    return Err(refuse!("translation_empty"));
                }
                let translation = TranslationState {
                    title: title.clone(),
                    text: text.clone(),
                    version: *version,
                    by: key.to_string(),
                    entry: index,
                };
                let summary = said!("event-translation", motion = motion, lang = lang);
                Ok((StateChange::Translation { motion: motion as usize - 1, lang: lang.clone(), translation }, summary))
            }
            _ => Err(refuse!("wrong_family", kind = event.kind())),
        }
    }

    /// Votes opened (named or secret) and cast.
    fn check_voting(&self, key: &str, signer: Option<Signer>, event: &Event, at: &At) -> Checked {
        match event {
            Event::OpenVote { subject, rule } => {
                needs(matches!(signer, Some(Signer::Chair)), refuse!("only_chair"))?;
                let subject = self.resolve_subject(subject)?;
                self.open_vote(&subject, rule, None, at)
            }
            Event::OpenSecretVote { subject, rule, referendum, trustees } => {
                needs(matches!(signer, Some(Signer::Chair)), refuse!("only_chair"))?;
                if self.charter.conference.is_some() {
                    return Err(refuse!("conference_secret"));
                }
                if rule.weighting != WeightingJson::Equal || matches!(subject, Subject::Ranked(_)) {
                    return Err(refuse!("secret_equal_yes_no"));
                }
                if rule.concurrent && self.charter.min_region_ballots > 0 {
                    return Err(refuse!("secret_concurrent", min = self.charter.min_region_ballots));
                }
                if !valid_id(referendum) || referendum.len() > 40 {
                    return Err(refuse!("bad_referendum_id"));
                }
                if self.votes.iter().any(|v| v.secret.as_ref().is_some_and(|s| &s.referendum == referendum))
                    || self.ratified.as_ref().is_some_and(|r| &r.referendum == referendum)
                {
                    return Err(refuse!("referendum_in_use", referendum = referendum));
                }
                convene_crypto::ceremony::CeremonyParams { manifest_hash: [0; 32], n: trustees.n, t: trustees.t }
                    .check()
                    .map_err(|e| Refusal::invalid(format!("trustees: {e}")))?;
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
                    return Err(refuse!("vote_closed", vote = vote));
                }
                if let Some(secret) = &state.secret {
                    return Err(refuse!("vote_secret", vote = vote, referendum = &secret.referendum));
                }
                if !state.in_office.iter().any(|k| k == key) {
                    return Err(refuse!("credentialed_after"));
                }
                if state.choices.contains_key(key) || state.rankings.contains_key(key) {
                    return Err(refuse!("already_voted", vote = vote));
                }
                // The ballot goes in as it is (an open vote's result is counted when asked for
                // and at its close, not at every ballot).
                let ballot = match (&state.subject, choice, ranking) {
                    (Subject::Ranked(options), None, Some(ranking)) => {
                        let ballot = RankedBallot {
                            ranking: ranking.iter().map(|g| g.iter().map(|&c| c as usize).collect()).collect(),
                            count: 1,
                        };
                        ranked::check_ballots(options.len(), std::slice::from_ref(&ballot))
                            .map_err(Refusal::invalid)?;
                        Cast::Ranking(ranking.clone())
                    }
                    (Subject::Ranked(_), _, _) => return Err(refuse!("send_ranking")),
                    (_, Some(ChoiceJson::No), None) if state.rule.majority == MajorityJson::Consensus => {
                        Cast::Objection(at.index)
                    }
                    (_, Some(_), None) if state.rule.majority == MajorityJson::Consensus => {
                        return Err(refuse!("consensus_objection_only", vote = vote))
                    }
                    (_, Some(choice), None) => Cast::Choice(*choice),
                    _ => return Err(refuse!("send_choice")),
                };
                let name = &self.members[m].name;
                let summary = match ballot {
                    Cast::Objection(_) => said!("event-objection", name = name, vote = vote),
                    _ => said!("event-vote", name = name, vote = vote),
                };
                let change = StateChange::Ballot { vote: (vote - 1) as usize, key: key.to_string(), ballot };
                Ok((change, summary))
            }
            Event::WithdrawObjection { vote } => {
                let m = self.voter(&signer)?;
                let vote = self.resolve(Created::Vote, vote)?;
                let state = self.vote(vote)?;
                if !state.open {
                    return Err(refuse!("vote_closed", vote = vote));
                }
                let standing = state.objections.iter().rposition(|o| o.by == key && o.withdrawn.is_none());
                let Some(objection) = standing else {
                    return Err(refuse!("no_objection", vote = vote));
                };
                let change =
                    StateChange::Withdraw { vote: (vote - 1) as usize, key: key.to_string(), objection, at: at.index };
                Ok((change, said!("event-withdraw_objection", name = &self.members[m].name, vote = vote)))
            }
            _ => Err(refuse!("wrong_family", kind = event.kind())),
        }
    }

    /// Votes closed: a named vote with its recomputed result, a secret one with its referendum's counts.
    fn check_closing(&self, signer: Option<Signer>, event: &Event, at: &At) -> Checked {
        match event {
            Event::CloseVote { vote, result } => {
                needs(matches!(signer, Some(Signer::Chair)), refuse!("only_chair"))?;
                let vote = self.resolve(Created::Vote, vote)?;
                let state = self.vote(vote)?;
                if state.secret.is_some() {
                    return Err(refuse!("close_secret", vote = vote));
                }
                self.close_vote(state, result, None, at)
            }
            Event::CloseSecretVote { vote, tally, result } => {
                needs(matches!(signer, Some(Signer::Chair)), refuse!("only_chair"))?;
                let vote = self.resolve(Created::Vote, vote)?;
                let state = self.vote(vote)?;
                if state.secret.is_none() {
                    return Err(refuse!("close_named", vote = vote));
                }
                if !state.open {
                    return Err(refuse!("vote_closed", vote = vote));
                }
                if tally.contains_key(crate::format::MERGED) && self.charter.min_region_ballots == 0 {
                    return Err(refuse!("merges_no_regions"));
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
                        return Err(refuse!("too_many_ballots", scope = scope, seats = seats, cast = cast));
                    }
                }
                self.close_vote(state, result, Some(tally.clone()), at)
            }
            _ => Err(refuse!("wrong_family", kind = event.kind())),
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
                needs(matches!(signer, Some(Signer::Chair)), refuse!("only_chair"))?;
                if self.charter.conference.is_some() {
                    return Err(refuse!("conference_ratify"));
                }
                if self.articles.is_empty() {
                    return Err(refuse!("no_article"));
                }
                if let Some(v) = self.votes.iter().find(|v| v.open) {
                    return Err(refuse!("vote_open", vote = v.id));
                }
                if !valid_id(referendum) || referendum.len() > 40 {
                    return Err(refuse!("bad_referendum_id"));
                }
                if question.trim().is_empty() {
                    return Err(refuse!("no_question"));
                }
                convene_core::ratify::Rule::parse(rule).map_err(Refusal::invalid)?;
                convene_crypto::ceremony::CeremonyParams { manifest_hash: [0; 32], n: trustees.n, t: trustees.t }
                    .check()
                    .map_err(|e| Refusal::invalid(format!("trustees: {e}")))?;
                self.check_named_trustees(trustees)?;
                match (trustees.members.is_empty(), registrar, code_issuer) {
                    (true, None, None) => {}
                    (true, _, _) => return Err(refuse!("registrar_without_trustees")),
                    (false, None, _) => return Err(refuse!("trustees_without_registrar")),
                    (false, Some(r), issuer) => {
                        r.check("registrar").map_err(Refusal::invalid)?;
                        if let Some(i) = issuer {
                            i.check("code_issuer").map_err(Refusal::invalid)?;
                            if i.key == r.key {
                                return Err(refuse!("issuer_key_is_registrars"));
                            }
                        }
                    }
                }
                if let Some(kdf) = credential_kdf {
                    kdf.params().map_err(Refusal::invalid)?;
                }
                let asked =
                    [crate::format::Question::YesNo { id: "ratify".into(), text: question.clone(), blank: false }];
                // The hashes of the translated texts are the hand-off's to derive, not the event's.
                crate::format::check_translations(translations, &asked, false).map_err(Refusal::invalid)?;
                for (tag, text) in constitutions {
                    if !translations.contains_key(tag) {
                        return Err(refuse!("constitution_untitled", lang = tag));
                    }
                    if text.trim().is_empty() {
                        return Err(refuse!("constitution_empty", lang = tag));
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
                Ok((change, said!("event-ratify", referendum = referendum)))
            }
            _ => Err(refuse!("wrong_family", kind = event.kind())),
        }
    }
}

/// `Ok` if the signer holds the office (`ok`), else `refusal`, which says who may.
pub(super) fn needs(ok: bool, refusal: Refusal) -> Result<(), Refusal> {
    if ok {
        Ok(())
    } else {
        Err(refusal)
    }
}
