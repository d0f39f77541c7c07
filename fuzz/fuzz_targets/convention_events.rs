//! Any bytes as a convention log line, and any JSON as an event signed by the chair, the
//! secretary or a delegate, in a convention and in a conference of states (version 5): a clear
//! error or an accepted event, never a panic; a refused event changes nothing. Any text as a
//! localities CSV: parsed or refused, never a panic.
#![no_main]

use convene_crypto::Scalar;
use convene_record::convention::*;
use libfuzzer_sys::fuzz_target;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn seated(keys: &[Scalar]) -> ConventionState {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let charter = Charter {
        version: CONVENTION_VERSION,
        convention_id: "fuzz".into(),
        title: "Fuzz".into(),
        chair: public_hex(&keys[0]),
        secretary: public_hex(&keys[1]),
        speaking_seconds: 100,
        log_key: public_hex(&Scalar::from(7u8)),
        // Two named trustees, so that events naming them can be accepted.
        trustees: (8u8..10)
            .map(|k| convene_record::actors::Actor { name: format!("t{k}"), key: public_hex(&Scalar::from(k)) })
            .collect(),
        // Secret votes merge small regions.
        min_region_ballots: 2,
        witnesses: Vec::new(),
        witness_quorum: 0,
        conference: None,
    };
    let mut state = ConventionState::new(&serde_json::to_vec(&charter).unwrap()).unwrap();
    let localities = LocalityJson::from_csv("name,region,population\nA,north,300\nB,south,200\n").unwrap();
    let events = [
        (1, Event::Localities { source: "t".into(), localities }),
        (1, Event::Apportionment { localities_version: 1, method: "hamilton".into(), seats: 2, min_seats: 0, max_seats: None, result: vec![1, 1] }),
        (1, Event::Credential { key: public_hex(&keys[2]), name: "a".into(), locality: "A".into(), role: Role::Delegate }),
        (1, Event::Credential { key: public_hex(&keys[3]), name: "b".into(), locality: "B".into(), role: Role::Delegate }),
        (0, Event::Agenda { items: vec!["one".into(), "two".into()] }),
        (2, Event::Motion { title: "m".into(), body: BodyJson::Text("one\ntwo\n".into()) }),
    ];
    for (who, event) in events {
        let line = state.sign_next(&keys[who], &event, &mut rng);
        state.apply_line(&line).unwrap();
    }
    state
}

/// A conference of the states A and B, their heads the two delegates' keys.
fn conference(keys: &[Scalar]) -> ConventionState {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let (log, _) = convene_record::checkpoint::LogSigner::generate_note("convene/meet", &mut rng).unwrap();
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
        conference: Some(Conference { states: vec!["A".into(), "B".into()] }),
    };
    let mut state = ConventionState::new(&serde_json::to_vec(&charter).unwrap()).unwrap();
    let events = [
        (1, Event::Credential { key: public_hex(&keys[2]), name: "a".into(), locality: "A".into(), role: Role::Head }),
        (1, Event::Credential { key: public_hex(&keys[3]), name: "b".into(), locality: "B".into(), role: Role::Head }),
        (0, Event::Agenda { items: vec!["one".into()] }),
        (2, Event::Motion { title: "m".into(), body: BodyJson::Text("one\n".into()) }),
    ];
    for (who, event) in events {
        let line = state.sign_next(&keys[who], &event, &mut rng);
        state.apply_line(&line).unwrap();
    }
    state
}

fuzz_target!(|data: &[u8]| {
    let keys: Vec<Scalar> = (1u8..=4).map(Scalar::from).collect();
    let mut state = if data.first().is_some_and(|b| b % 2 == 1) { conference(&keys) } else { seated(&keys) };
    let _ = state.apply_line(data);
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(mut localities) = LocalityJson::from_csv(text) {
            let _ = LocalityJson::attach_geojson(&mut localities, text);
        }
        let mut two = LocalityJson::from_csv("name,region,population\nA,north,300\nB,south,200\n").unwrap();
        let _ = LocalityJson::attach_geojson(&mut two, text);
    }
    // The rest as events, one per line, each signed by the person the first byte names.
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    for line in data.split(|b| *b == b'\n').skip(1) {
        let Some((&who, json)) = line.split_first() else { continue };
        let Ok(event) = serde_json::from_slice::<Event>(json) else { continue };
        let who = who as usize % keys.len();
        let before = serde_json::to_string(&state).unwrap();
        let line = state.sign_next(&keys[who], &event, &mut rng);
        if state.apply_line(&line).is_err() {
            assert_eq!(before, serde_json::to_string(&state).unwrap());
        }
    }
});
