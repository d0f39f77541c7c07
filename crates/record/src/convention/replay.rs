//! Replaying the log: a new state from the charter, each line checked (signature, sequence,
//! what its signer saw) and applied, references to created objects resolved.

use super::*;

impl ConventionState {
    /// The state before any event, under the charter of these exact bytes.
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
        })
    }

    /// The root of the log's first `size` entries, as replayed (the last one is the log so far).
    pub fn root(&self, size: u64) -> Option<Hash> {
        self.roots.get(size as usize).copied()
    }

    /// The number of the object `reference` names, which must be a `kind`: a number in a
    /// version-1 log, an entry's reference in a version-2 log.
    pub(super) fn resolve(&self, kind: Created, reference: &Ref) -> Result<u32, Refusal> {
        match (self.charter.version, reference) {
            (1, Ref::Number(n)) => Ok(*n),
            (1, Ref::Hash(_)) => Err(refuse!("name_by_number", kind = kind.name())),
            (_, Ref::Number(_)) => Err(refuse!("name_by_reference", kind = kind.name())),
            (_, Ref::Hash(h)) => match self.references.get(h.as_str()) {
                Some((k, n)) if *k == kind => Ok(*n),
                Some((k, _)) => Err(refuse!("wrong_reference", reference = h, created = k.name(), kind = kind.name())),
                None => Err(refuse!("no_such_reference", reference = h, kind = kind.name())),
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
    pub fn vote_named(&self, reference: &Ref) -> Result<&VoteState, Refusal> {
        self.vote(self.resolve(Created::Vote, reference)?)
    }

    pub(super) fn resolve_subject(&self, subject: &Subject<Ref>) -> Result<Subject, Refusal> {
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
    pub(super) fn check_named_trustees(&self, trustees: &crate::format::TrusteeCount) -> Result<(), Refusal> {
        if trustees.members.is_empty() {
            return Ok(());
        }
        if trustees.members.len() != trustees.n as usize {
            return Err(refuse!("trustees_named", named = trustees.members.len(), n = trustees.n));
        }
        let mut seen = std::collections::BTreeSet::new();
        for member in &trustees.members {
            if !self.charter.trustees.contains(member) {
                return Err(refuse!("not_a_trustee", name = &member.name, key = &member.key));
            }
            if !seen.insert(member.key.as_str()) {
                return Err(refuse!("trustee_twice", name = &member.name));
            }
        }
        Ok(())
    }

    /// The regions of the latest localities, in order of first appearance (a conference's: its
    /// states).
    pub fn regions(&self) -> Vec<String> {
        if let Some(conference) = &self.charter.conference {
            return conference.states.clone();
        }
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

    pub(super) fn apply_line_with(
        &mut self,
        line: &[u8],
        check_signature: bool,
    ) -> Result<(Hash, Applied), EventError> {
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
            return Err(EventError::Refused(refuse!("out_of_sequence", n = entry.n, next = expected)));
        }
        let seen = entry.seen.as_ref().map(SeenIn::decode).transpose().map_err(malformed)?;
        match (self.charter.version, &seen) {
            (1, Some(_)) => return Err(malformed("a version-1 convention's entries carry no seen".into())),
            (1, None) => {}
            (_, None) => return Err(malformed("a version-2 entry says which log its signer saw (seen)".into())),
            (_, Some(seen)) => {
                if seen.size > self.entries {
                    return Err(EventError::Refused(refuse!("seen_ahead", seen = seen.size, entry = self.entries)));
                }
                if self.root(seen.size) != Some(seen.root) {
                    return Err(EventError::Refused(refuse!("seen_other_log", seen = seen.size)));
                }
                let before = self.seen.get(&signer_hex).copied().unwrap_or(0);
                if seen.size < before {
                    return Err(EventError::Refused(refuse!("seen_back", before = before, seen = seen.size)));
                }
            }
        }
        let signer = self.who(&signer_hex);
        let leaf = leaf_hash(line);
        let reference = to_hex(&leaf);
        let at = At { index: self.entries, hash: &reference };
        let said = self.apply(&signer_hex, signer, &event, &at).map_err(EventError::Refused)?;
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
            self.references.insert(reference.clone(), object);
        }
        let applied = Applied {
            index: self.entries,
            kind: event.kind(),
            signer: signer_hex,
            summary: said.to_string(),
            said,
            created: created.map(|(_, n)| n),
            hash: reference,
        };
        self.grow(leaf);
        Ok((leaf, applied))
    }

    pub(super) fn grow(&mut self, leaf: Hash) {
        self.entries += 1;
        self.tree.push(leaf);
        self.roots.push(self.tree.root());
    }

    /// Counts a line that failed (the verifier goes on replaying after it, without its effect,
    /// but the line is in the log, so later signers saw it).
    pub fn skip_line(&mut self, line: &[u8]) {
        self.grow(leaf_hash(line));
    }

    pub(super) fn who(&self, key: &str) -> Option<Signer> {
        if key == self.charter.chair {
            Some(Signer::Chair)
        } else if key == self.charter.secretary {
            Some(Signer::Secretary)
        } else {
            self.member_index.get(key).copied().map(Signer::Member)
        }
    }

    /// A member who may move, amend and speak: a delegate, or a conference's head of delegation.
    pub(super) fn delegate(&self, signer: &Option<Signer>) -> Result<usize, Refusal> {
        match signer {
            Some(Signer::Member(m)) if matches!(self.members[*m].role, Role::Delegate | Role::Head) => Ok(*m),
            Some(Signer::Member(_)) => Err(refuse!("observer")),
            _ => Err(refuse!("only_delegate")),
        }
    }

    /// Who votes: delegates in a convention, heads of delegation in a conference.
    pub(super) fn voting_role(&self) -> Role {
        if self.charter.conference.is_some() {
            Role::Head
        } else {
            Role::Delegate
        }
    }

    /// A member who may vote.
    pub(super) fn voter(&self, signer: &Option<Signer>) -> Result<usize, Refusal> {
        let m = self.delegate(signer)?;
        if self.members[m].role != self.voting_role() {
            return Err(refuse!("head_votes"));
        }
        Ok(m)
    }
}
