//! The dated timeline over real HTTP: the demonstration's convention adopts two milestones (the
//! second dated from the first), its referendum ratifies, the chair signs the day, and both
//! milestones get their dates — in the record, verified, printed by `convene timeline`, and on
//! the timeline page in Chromium in English, Arabic and Sorani. Forged timelines are refused by
//! the verifier and by the server, which run the same check.

use convene::client::{As, Client};
use convene_core::timeline::{Date, Offset};
use convene_record::timeline::TimelineJson;
use std::process::Command;

fn verify(dir: &std::path::Path) -> convene_record::directory::Verified {
    convene_record::directory::verify_directory(dir, &convene_record::verify::Quiet).unwrap()
}

fn failures(verified: &convene_record::directory::Verified) -> Vec<String> {
    verified.referendum.as_ref().unwrap().failures.iter().map(|f| format!("{}: {}", f.code.as_str(), f.check)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ratification_dates_both_milestones_and_a_forged_date_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let server =
        convene::local::start(data.path(), None, "127.0.0.1:0", |c| c.signin_per_minute = u32::MAX).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let record = data.path().join("record");
    let mut config = convene::demo::DemoConfig::new(50, record.clone());
    config.seed = Some(1);
    config.participant_keys = Some(data.path().join("keys"));
    let outcome = convene::demo::run_http(&client, &config, &|_, _, _| {}).await.unwrap();
    assert_eq!(outcome.results.ratification.unwrap().outcome, "ratified");

    // Both milestones are dated: six years after ratification, then a year and six months later.
    let timeline: TimelineJson = serde_json::from_slice(&std::fs::read(record.join("timeline.json")).unwrap()).unwrap();
    let ratified = Date::parse(&timeline.ratified_on).unwrap();
    let first = ratified.after(Offset { years: 6, ..Offset::default() }).unwrap();
    let second = first.after(Offset { years: 1, months: 6, days: 0 }).unwrap();
    let dates: Vec<(u32, &str)> = timeline.milestones.iter().map(|m| (m.article, m.date.as_str())).collect();
    assert_eq!(dates, [(4, first.to_string().as_str()), (5, second.to_string().as_str())]);
    assert_eq!(timeline.milestones[1].after_article, Some(4));
    let verified = verify(&record);
    assert!(verified.ok(), "{:?}", failures(&verified));
    let notes = &verified.referendum.as_ref().unwrap().notes;
    assert!(notes.iter().any(|n| n.contains("2 milestones dated")), "{notes:?}");
    let printed = Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["timeline", record.to_str().unwrap(), "--today", &timeline.ratified_on])
        .output()
        .unwrap();
    let text = String::from_utf8(printed.stdout).unwrap();
    assert!(text.contains(&format!("{ratified}  ratification (past)")), "{text}");
    assert!(text.contains(&format!("{second}  article 5: Review of the transitional arrangements in south (1 year and 6 months after article 4) (coming)")), "{text}");

    // Forged in the record: a milestone's date moved, or the day of ratification moved (signed
    // by the real chair) before the witnesses saw the final log.
    let forged = |name: &str, change: &dyn Fn(&mut TimelineJson)| {
        let dir = data.path().join(name);
        let copy = Command::new("cp").args(["-r", record.to_str().unwrap(), dir.to_str().unwrap()]).status().unwrap();
        assert!(copy.success());
        let mut t = timeline.clone();
        change(&mut t);
        std::fs::write(dir.join("timeline.json"), serde_json::to_vec_pretty(&t).unwrap()).unwrap();
        (dir, t)
    };
    let (moved, _) = forged("moved", &|t| t.milestones[1].date = "2099-01-01".into());
    let found = failures(&verify(&moved));
    assert!(found.iter().any(|f| f.starts_with("timeline-invalid") && f.contains("signature")), "{found:?}");
    let chair = convene_record::actors::ActorKey::from_secret(
        convene::assembly::load_key(&data.path().join("keys/chair.key")).unwrap(),
    )
    .unwrap();
    let manifest_bytes = std::fs::read(record.join("manifest.json")).unwrap();
    let manifest = convene_record::format::Manifest::parse(&manifest_bytes).unwrap();
    let offsets = [(4, None, 6, 0), (5, Some(4), 1, 6)];
    let mut rng = rand_core::OsRng;
    let backdated = TimelineJson::sign(
        &chair,
        &manifest,
        &convene_record::writer::manifest_hash(&manifest_bytes),
        Date::parse("2000-01-01").unwrap(),
        &offsets,
        &mut rng,
    )
    .unwrap();
    let (early, _) = forged("backdated", &|t| *t = backdated.clone());
    let found = failures(&verify(&early));
    assert!(found.iter().any(|f| f.contains("before") && f.contains("witness first cosigned")), "{found:?}");

    // Each scheduled referendum carries its date.
    for (article, date) in [(4, first), (5, second)] {
        let shown = client.get(&format!("/api/elections/convene-demo-milestone-{article}")).await.unwrap();
        assert_eq!(shown["scheduled"]["date"], date.to_string().as_str(), "{shown}");
        super::schema::assert_answer("Election", &shown, "a scheduled referendum");
    }

    // The server refuses the same, and a second timeline.
    let post = |t: &TimelineJson| {
        let client = client.clone();
        let t = t.clone();
        async move { client.post("/api/elections/convene-demo/timeline", &t, As::Anyone).await }
    };
    let refused = post(&backdated).await.unwrap_err().to_string();
    assert!(refused.contains("400 bad_timeline") && refused.contains("witness first cosigned"), "{refused}");
    let again = post(&timeline).await.unwrap_err().to_string();
    assert!(again.contains("409 timeline_exists"), "{again}");

    // The page, in three languages at phone width.
    let Some(chromium) = super::browser::chromium() else { return };
    let env = vec![("ELECTION", "convene-demo".to_string())];
    let out = super::browser::e2e("timeline.e2e", chromium, server.url(), env).await;
    assert!(out.contains("e2e ok: timeline"), "{out}");
    assert!(out.contains(&format!("ar: {ratified}, {first}, {second}")), "{out}");
}
