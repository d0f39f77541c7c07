use super::*;
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// A charter, its keys (chair, secretary, three delegates) and a state with localities,
/// apportionment, credentials and an agenda.
fn seated() -> (ConventionState, Vec<Scalar>, Vec<Vec<u8>>) {
    seated_in(&["A", "A", "B"], vec![2, 1, 0])
}

/// As `seated`, with one delegate in each of `localities` and the seats `result` (Hamilton).
fn seated_in(seats_in: &[&str], result: Vec<u64>) -> (ConventionState, Vec<Scalar>, Vec<Vec<u8>>) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let keys: Vec<Scalar> = (0..2 + seats_in.len()).map(|_| Scalar::random(&mut rng)).collect();
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
        conference: None,
    };
    let mut state = ConventionState::new(&serde_json::to_vec(&charter).unwrap()).unwrap();
    let localities = LocalityJson::from_csv("name,region,population\nA,north,300\nB,south,200\nC,south,100\n").unwrap();
    let mut events = vec![
        (1, Event::Localities { source: "t".into(), localities }),
        (
            1,
            Event::Apportionment {
                localities_version: 1,
                method: "hamilton".into(),
                seats: seats_in.len() as u64,
                min_seats: 0,
                max_seats: None,
                result,
            },
        ),
    ];
    for (k, locality) in seats_in.iter().enumerate() {
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
        1 => (1u32..4, 1u32..3, prop_oneof![Just("ar"), Just("ckb"), Just("Arabic")]).prop_map(|(m, version, lang)| {
            Event::Translation { motion: m.into(), lang: lang.into(), version, title: "t".into(), text: "نص\n".into() }
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
                    Event::Translation { motion, .. } => *motion = last_motion.into(),
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
            // Every field, the private ones (indexes, roots, references) too.
            let whole = format!("{state:?}");
            match state.apply_line(&line) {
                Ok(_) => accepted.push(line),
                Err(_) => {
                    prop_assert_eq!(before, serde_json::to_string(&state).unwrap());
                    prop_assert_eq!(whole, format!("{state:?}"));
                }
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
        send(&mut state, who, Event::Vote { vote: 1.into(), choice: Some(ChoiceJson::Yes), ranking: None }).unwrap();
    }
    let computed = state.count(state.vote(1).unwrap()).unwrap();
    assert!(!computed.conditions.is_empty(), "the state machine says the conditions in words");
    let wrong = VoteResult { adopted: false, ..computed.figures() };
    let refused = send(&mut state, 0, Event::CloseVote { vote: 1.into(), result: wrong });
    assert!(matches!(refused, Err(EventError::Refused(m)) if m.to_string().contains("does not match")));
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
    let open = Event::OpenSecretVote { subject: Subject::Motion(1.into()), rule, referendum: "r1".into(), trustees };
    send(&mut state, 0, open).unwrap();
    let vote = Event::Vote { vote: 1.into(), choice: Some(ChoiceJson::Yes), ranking: None };
    assert!(matches!(send(&mut state, 2, vote), Err(EventError::Refused(m)) if m.to_string().contains("secret")));
    // Three delegates: two in the north (A), one in the south (B).
    let tally = |north: [u64; 3], south: [u64; 3]| -> BTreeMap<String, [u64; 3]> {
        [("north".to_string(), north), ("south".to_string(), south)].into_iter().collect()
    };
    let close = |tally, result| Event::CloseSecretVote { vote: 1.into(), tally, result };
    let too_many = close(tally([3, 0, 0], [0, 0, 0]), VoteResult::default());
    assert!(
        matches!(send(&mut state, 0, too_many), Err(EventError::Refused(m)) if m.to_string().contains("2 delegates in office"))
    );
    // Two of three in office say yes, but the south says no: no concurrent majority.
    let wrong = close(tally([2, 0, 0], [0, 1, 0]), VoteResult { adopted: true, yes: 2, no: 1, ..Default::default() });
    assert!(
        matches!(send(&mut state, 0, wrong), Err(EventError::Refused(m)) if m.to_string().contains("does not match"))
    );
    assert!(state.votes[0].open && state.votes[0].secret.as_ref().unwrap().tally.is_empty());
    let mut probe = state.votes[0].clone();
    probe.secret.as_mut().unwrap().tally = tally([2, 0, 0], [0, 1, 0]);
    let result = state.count(&probe).unwrap();
    assert_eq!((result.adopted, result.yes, result.no), (false, 2, 1));
    send(&mut state, 0, close(tally([2, 0, 0], [0, 1, 0]), result.figures())).unwrap();
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
        credential_kdf: None,
        translations: Default::default(),
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
    assert!(matches!(refused, Err(EventError::Refused(m)) if m.to_string().contains("named ballot")));
    send(&mut state, 0, open(false)).unwrap();
    let merged: BTreeMap<String, [u64; 3]> = [("merged".to_string(), [2, 1, 0])].into_iter().collect();
    let too_many: BTreeMap<String, [u64; 3]> = [("merged".to_string(), [3, 1, 0])].into_iter().collect();
    let close = |tally, result| Event::CloseSecretVote { vote: 1.into(), tally, result };
    let refused = send(&mut state, 0, close(too_many, VoteResult::default()));
    assert!(matches!(refused, Err(EventError::Refused(m)) if m.to_string().contains("3 delegates in office")));
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
    assert!(
        matches!(plain.apply_line(&line), Err(EventError::Refused(m)) if m.to_string().contains("merges no regions"))
    );
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
        (collection(&[feature("B", r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#)]), "four positions"),
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
    assert!(matches!(&e, EventError::Refused(m) if m.to_string().contains("next is n = 6")), "{e}");
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
    let line = sign_entry(&state.charter_hash, &keys[0], 2, state.seen_now().as_ref(), &Event::NextItem {}, &mut rng);
    let spaced = String::from_utf8(line.clone()).unwrap().replace("{\"type\"", "{ \"type\"");
    assert!(state.apply_line(spaced.as_bytes()).is_err());
    assert!(state.apply_line(&line).is_ok());
}

#[test]
fn a_translation_is_of_the_current_text_and_an_adopted_amendment_retires_it() {
    let (mut state, keys, _) = seated();
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    let mut send = |state: &mut ConventionState, who: usize, event: Event| {
        let line = state.sign_next(&keys[who], &event, &mut rng);
        state.apply_line(&line).map(|_| ())
    };
    let translate = |version: u32, lang: &str, text: &str| Event::Translation {
        motion: 1.into(),
        lang: lang.into(),
        version,
        title: "م".into(),
        text: text.into(),
    };
    let refused = |result: Result<(), EventError>, why: &str| {
        assert!(
            matches!(&result, Err(EventError::Refused(m)) if m.to_string().contains(why)),
            "{result:?} should say {why:?}"
        )
    };
    refused(send(&mut state, 2, translate(1, "ar", "نص\n")), "motion");
    send(&mut state, 2, Event::Motion { title: "m".into(), body: text(1) }).unwrap();
    refused(send(&mut state, 0, translate(1, "ar", "نص\n")), "only a credentialed delegate");
    refused(send(&mut state, 3, translate(1, "Arabic", "نص\n")), "not a language tag");
    refused(send(&mut state, 3, translate(2, "ar", "نص\n")), "at version 1");
    refused(send(&mut state, 3, translate(1, "ar", " \n")), "needs a title and a text");
    send(&mut state, 3, translate(1, "ar", "نص أول\n")).unwrap();
    send(&mut state, 1, translate(1, "ckb", "دەق\n")).unwrap();
    assert_eq!(state.motions[0].translations["ckb"].by, public_hex(&keys[1]), "the secretary's key");

    // An amendment is adopted: the motion is at version 2 and its translations are out of date.
    let changes = vec![ChangeJson { from: 2, to: 2, with: vec!["line changed".into()] }];
    send(&mut state, 2, Event::Amendment { motion: 1.into(), changes, rationale: String::new() }).unwrap();
    let rule = RuleJson::simple_majority_of_present();
    for subject in [Subject::Amendment(1.into()), Subject::Motion(1.into())] {
        send(&mut state, 0, Event::OpenVote { subject, rule: rule.clone() }).unwrap();
        let vote = state.votes.len() as u32;
        for who in [2, 3, 4] {
            send(&mut state, who, Event::Vote { vote: vote.into(), choice: Some(ChoiceJson::Yes), ranking: None })
                .unwrap();
        }
        let result = state.count(state.vote(vote).unwrap()).unwrap().figures();
        send(&mut state, 0, Event::CloseVote { vote: vote.into(), result }).unwrap();
        if vote == 1 {
            assert_eq!(state.motions[0].version, 2);
            refused(send(&mut state, 3, translate(1, "ar", "نص أول\n")), "at version 2");
        }
    }
    let article = &state.constitution_json().articles[0];
    assert!(article.translations.is_empty(), "no translation of the changed words is the article's");
    assert_eq!(state.motions[0].translations["ar"].version, 1, "the old one stays on the record");

    // Translated again, of the adopted text: now it is the article's, in constitution.json.
    send(&mut state, 4, translate(2, "ar", "نص معدل\n")).unwrap();
    let article = &state.constitution_json().articles[0];
    assert_eq!(article.translations.keys().collect::<Vec<_>>(), ["ar"]);
    assert_eq!(
        (article.translations["ar"].text.as_str(), article.translations["ar"].by.as_str()),
        ("نص معدل\n", public_hex(&keys[4]).as_str())
    );
    let json = serde_json::to_string(&state.constitution_json()).unwrap();
    let back: ConstitutionJson = serde_json::from_str(&json).unwrap();
    assert_eq!(back, state.constitution_json());
}

/// Issue 14's tie, in a convention: four delegates rank motion 3 (`C`), `C`, `A>C` and `B>A`.
/// Instant runoff's tie for last place between A and B decides its winner (A or C), and the
/// vote's result says so in figures (`ranked`) and in words; Schulze's A and C tie too, so
/// nothing is adopted. The chair signs only the figures.
#[test]
fn a_ranked_votes_ties_are_in_its_result() {
    let (mut state, keys, _) = seated_in(&["A", "A", "B", "C"], vec![2, 1, 1]);
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    let mut send = |state: &mut ConventionState, who: usize, event: Event| {
        let line = state.sign_next(&keys[who], &event, &mut rng);
        state.apply_line(&line).map(|_| ())
    };
    for (who, n) in [(2, 1), (3, 2), (4, 3)] {
        send(&mut state, who, Event::Motion { title: format!("m{n}"), body: text(n) }).unwrap();
    }
    let rule = RuleJson::simple_majority_of_present();
    let subject = Subject::Ranked(vec![1.into(), 2.into(), 3.into()]);
    send(&mut state, 0, Event::OpenVote { subject, rule }).unwrap();
    let (a, b, c) = (0u32, 1u32, 2u32);
    for (who, ranking) in
        [(2, vec![vec![c]]), (3, vec![vec![c]]), (4, vec![vec![a], vec![c]]), (5, vec![vec![b], vec![a]])]
    {
        send(&mut state, who, Event::Vote { vote: 1.into(), choice: None, ranking: Some(ranking) }).unwrap();
    }
    let computed = state.count(state.vote(1).unwrap()).unwrap();
    assert_eq!(computed.winner, None);
    assert!(!computed.adopted);
    assert_eq!(
        computed.ranked,
        Some(RankedTies {
            schulze_tied: vec![a, c],
            runoff_winner: None,
            runoff_possible_winners: vec![a, c],
            runoff_ties: vec![RunoffTieJson { round: 1, tied: vec![a, b], decisive: true }],
        })
    );
    let words: Vec<&str> = computed.conditions.iter().map(|(w, _)| w.as_str()).collect();
    assert!(words.iter().any(|w| w.contains("a tie for last place between motions 1, 2, which decides")), "{words:?}");
    assert!(words.iter().any(|w| w.contains("motions 1, 3 could win")), "{words:?}");
    send(&mut state, 0, Event::CloseVote { vote: 1.into(), result: computed.figures() }).unwrap();
    assert_eq!(state.votes[0].result, computed, "the stored result has the derived ties");
}

/// A conference of three states (version 5): the chair, the secretary, three heads, an adviser
/// to the first delegation and an observer; an agenda and one motion.
fn conference() -> (ConventionState, Vec<Scalar>) {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let keys: Vec<Scalar> = (0..7).map(|_| Scalar::random(&mut rng)).collect();
    let (log, _) = crate::checkpoint::LogSigner::generate_note("convene/meet", &mut rng).unwrap();
    let charter = Charter {
        version: CONFERENCE_VERSION,
        convention_id: "meet".into(),
        title: "Meet".into(),
        chair: public_hex(&keys[0]),
        secretary: public_hex(&keys[1]),
        speaking_seconds: 100,
        log_key: log.public_key(),
        trustees: Vec::new(),
        min_region_ballots: 0,
        witnesses: Vec::new(),
        witness_quorum: 0,
        conference: Some(Conference { states: vec!["X".into(), "Y".into(), "Z".into()] }),
    };
    let mut state = ConventionState::new(&serde_json::to_vec(&charter).unwrap()).unwrap();
    let credential = |k: usize, locality: &str, role: Role| Event::Credential {
        key: public_hex(&keys[k]),
        name: format!("member {k}"),
        locality: locality.into(),
        role,
    };
    let events = [
        (1, credential(2, "X", Role::Head)),
        (1, credential(3, "Y", Role::Head)),
        (1, credential(4, "Z", Role::Head)),
        (1, credential(5, "X", Role::Delegate)),
        (1, credential(6, "United Nations", Role::Observer)),
        (0, Event::Agenda { items: vec!["one".into()] }),
        (5, Event::Motion { title: "m".into(), body: text(1) }),
    ];
    for (who, event) in events {
        let line = state.sign_next(&keys[who], &event, &mut rng);
        state.apply_line(&line).unwrap();
    }
    (state, keys)
}

/// What a conference refuses, each time naming why, and a consensus that an objection blocks
/// until it is withdrawn.
#[test]
fn a_conference_seats_one_delegation_per_state_and_decides_by_consensus() {
    let (mut state, keys) = conference();
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let mut send = |state: &mut ConventionState, who: usize, event: Event| {
        let line = state.sign_next(&keys[who], &event, &mut rng);
        state.apply_line(&line).map(|_| ()).map_err(|e| e.to_string())
    };
    let refused = |r: Result<(), String>, says: &str| {
        let e = r.unwrap_err();
        assert!(e.contains(says), "{e}");
    };
    let localities = LocalityJson::from_csv("name,region,population\nX,n,1\n").unwrap();
    refused(send(&mut state, 1, Event::Localities { source: "s".into(), localities }), "has no localities event");
    let head = |k: usize, locality: &str| Event::Credential {
        key: public_hex(&Scalar::from(100 + k as u64)),
        name: "n".into(),
        locality: locality.into(),
        role: Role::Head,
    };
    refused(send(&mut state, 1, head(1, "W")), "not one of the conference's states");
    refused(send(&mut state, 1, head(2, "X")), "X already has a head of delegation");
    let observer = Event::Credential {
        key: public_hex(&Scalar::from(200u64)),
        name: "o".into(),
        locality: "Y".into(),
        role: Role::Observer,
    };
    refused(send(&mut state, 1, observer), "which is not a state");
    refused(send(&mut state, 6, Event::Motion { title: "t".into(), body: text(2) }), "observers may not");
    let consensus = RuleJson { majority: MajorityJson::Consensus, ..RuleJson::simple_majority_of_present() };
    let weighted = RuleJson { weighting: WeightingJson::Population, ..consensus.clone() };
    refused(send(&mut state, 0, Event::OpenVote { subject: Subject::Motion(1.into()), rule: weighted }), "equally");
    send(&mut state, 0, Event::OpenVote { subject: Subject::Motion(1.into()), rule: consensus }).unwrap();
    let cast = |choice| Event::Vote { vote: 1.into(), choice: Some(choice), ranking: None };
    refused(send(&mut state, 5, cast(ChoiceJson::No)), "votes through the head of its delegation");
    refused(send(&mut state, 2, cast(ChoiceJson::Yes)), "the only thing to send is an objection");
    refused(send(&mut state, 2, Event::WithdrawObjection { vote: 1.into() }), "no objection standing");
    send(&mut state, 3, cast(ChoiceJson::No)).unwrap();
    let blocked = state.count(state.vote(1).unwrap()).unwrap();
    assert!(!blocked.adopted && blocked.no == 1);
    refused(
        send(
            &mut state,
            0,
            Event::CloseVote { vote: 1.into(), result: VoteResult { adopted: true, ..blocked.figures() } },
        ),
        "does not match",
    );
    send(&mut state, 3, Event::WithdrawObjection { vote: 1.into() }).unwrap();
    let passed = state.count(state.vote(1).unwrap()).unwrap();
    assert!(passed.adopted && passed.no == 0, "{passed:?}");
    assert_eq!(state.votes[0].objections.len(), 1);
    assert!(passed
        .conditions
        .iter()
        .any(|(w, held)| w.contains("objection by member 3 for Y") && w.contains("withdrawn") && *held));
    send(&mut state, 0, Event::CloseVote { vote: 1.into(), result: passed.figures() }).unwrap();
    let communique = state.constitution();
    assert!(communique.communique);
    assert!(
        communique.to_markdown().starts_with("# Meet\n\nCommuniqué, version 1.\n\n## 1. m\n"),
        "{}",
        communique.to_markdown()
    );
    let ratify = Event::Ratify {
        referendum: "r".into(),
        question: "q".into(),
        rule: String::new(),
        min_region_ballots: 0,
        trustees: crate::format::TrusteeCount { n: 3, t: 2, members: Vec::new() },
        registrar: None,
        code_issuer: None,
        credential_kdf: None,
        translations: Default::default(),
        constitutions: Default::default(),
    };
    refused(send(&mut state, 0, ratify), "hands nothing to a referendum");
}

/// Unanimity and consensus are version-5 rules; heads of delegation sit only in a conference.
#[test]
fn unanimity_needs_version_five_and_heads_need_a_conference() {
    let (mut state, keys, _) = seated();
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    let line = state.sign_next(&keys[2], &Event::Motion { title: "m".into(), body: text(1) }, &mut rng);
    state.apply_line(&line).unwrap();
    let unanimity = RuleJson { majority: MajorityJson::Unanimity, ..RuleJson::simple_majority_of_present() };
    let line =
        state.sign_next(&keys[0], &Event::OpenVote { subject: Subject::Motion(1.into()), rule: unanimity }, &mut rng);
    assert!(state.apply_line(&line).unwrap_err().to_string().contains("rules of convention version 5"));
    let head = Event::Credential {
        key: public_hex(&Scalar::from(9u64)),
        name: "h".into(),
        locality: "C".into(),
        role: Role::Head,
    };
    let line = state.sign_next(&keys[1], &head, &mut rng);
    assert!(state.apply_line(&line).unwrap_err().to_string().contains("sit in a conference of states"));
}
