//! The binary as its users run it, against a live server: trustees, the registrar and voters use
//! their own commands on their own files; the supervisor's steps are plain HTTP calls.

use convene::client::{As, Client};
use serde_json::json;

async fn convene(args: &[&str]) -> String {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_convene")).args(args).output().await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "convene {}: {}\n{}", args.join(" "), stdout, String::from_utf8_lossy(&out.stderr));
    stdout
}

/// Three trustees' ceremony steps with their own commands: `start`, `deal`, `check`, each with its
/// state file `DIR/PREFIXi.state` and, when `identities`, `DIR/PREFIXi.identity` (then every
/// message must be signed and uploaded).
async fn ceremony_steps(at: &[&str], dir: &std::path::Path, prefix: &str, identities: bool) {
    for step in ["start", "deal", "check"] {
        for i in 1..=3 {
            let file = |ext: &str| dir.join(format!("{prefix}{i}.{ext}")).to_str().unwrap().to_string();
            let (state, identity, index) = (file("state"), file("identity"), i.to_string());
            let mut args = vec!["trustee", step];
            args.extend(at);
            args.extend(["--state", &state]);
            if identities {
                args.extend(["--identity", &identity]);
            }
            if step == "start" {
                args.extend(["--index", &index]);
            }
            let out = convene(&args).await;
            assert!(!identities || out.contains("signed and uploaded"), "trustee {i} {step}: {out}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trustees_registrar_and_voters_with_their_own_commands() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = convene::local::start(&data, None, "127.0.0.1:0", |c| c.signin_per_minute = u32::MAX).await.unwrap();
    let url = server.url();
    let token = data.join("admin-token");
    let token = token.to_str().unwrap();
    let supervisor = Client::new(&url, Some(server.admin_token.clone()));
    let id = "tools";
    supervisor
        .post(
            "/api/elections",
            &json!({"election_id": id, "title": "Tools", "regions": ["north", "south"], "trustees": {"n": 3, "t": 2},
                    "questions": [{"kind": "yes-no", "id": "q", "text": "Approve?", "blank": true}],
                    "ratification": {"question": "q", "rule": "[approval]\nbase = \"cast\"\nmore_than = \"1/2\"\n"},
                    "min_region_ballots": 2}),
            As::Supervisor,
        )
        .await
        .unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let at = ["--server", &url, "--election", id, "--admin-token-file", token];
    ceremony_steps(&at, dir.path(), "t", false).await;
    supervisor.post(&format!("/api/elections/{id}/ceremony/finish"), &json!({}), As::Supervisor).await.unwrap();
    for i in 1..=3 {
        let (state, key) = (path(&format!("t{i}.state")), path(&format!("t{i}.key")));
        let mut args = vec!["trustee", "finish"];
        args.extend(at);
        args.extend(["--state", &state, "--key", &key]);
        assert!(convene(&args).await.contains("matches the ceremony"));
    }

    std::fs::write(dir.path().join("voters.csv"), "voter,region\nada,north\nbea,south\ncid,south\n").unwrap();
    let (voters, sheets) = (path("voters.csv"), path("sheets"));
    convene(&[
        "registrar",
        "--server",
        &url,
        "--election",
        id,
        "--voters",
        &voters,
        "--out",
        &sheets,
        "--admin-token-file",
        token,
    ])
    .await;
    supervisor.post(&format!("/api/elections/{id}/open"), &json!({}), As::Supervisor).await.unwrap();

    // One-sheet mode: the registrar's sheets print the election's fingerprint.
    let election: convene_record::format::ElectionJson = serde_json::from_slice(
        &Client::new(&url, None).get_bytes(&format!("/api/elections/{id}/record/election.json")).await.unwrap(),
    )
    .unwrap();
    let fingerprint =
        convene_record::writer::fingerprint(&convene_record::format::hash("base", &election.base_hash).unwrap());
    let html = std::fs::read_to_string(dir.path().join("sheets/sheets.html")).unwrap();
    assert!(html.contains(&format!("<bdi>{fingerprint}</bdi>")), "{html}");
    assert!(std::fs::read(dir.path().join("sheets/sheets.pdf")).unwrap().starts_with(b"%PDF-"));
    // Each voter votes from its sheet; ada first challenges a ballot, then casts.
    let csv = std::fs::read_to_string(dir.path().join("sheets/sheets.csv")).unwrap();
    let rows: Vec<Vec<String>> = csv.lines().skip(1).map(|l| l.split(',').map(String::from).collect()).collect();
    for (row, answer) in rows.iter().zip(["yes", "no", "blank"]) {
        let codes: Vec<&str> = row[4].split(' ').collect();
        let vote = |code: &str, challenge: bool| {
            let mut args = vec![
                "vote".to_string(),
                "--server".into(),
                url.clone(),
                "--election".into(),
                id.into(),
                "--credential".into(),
                row[2].clone(),
                "--code".into(),
                code.into(),
                "--answer".into(),
                answer.into(),
                "--receipt".into(),
                dir.path().join(format!("{}.receipt", row[0])).to_string_lossy().into_owned(),
            ];
            if challenge {
                args.push("--challenge".into());
            }
            args
        };
        if row[0] == "ada" {
            let args = vote(codes[0], true);
            assert!(convene(&args.iter().map(String::as_str).collect::<Vec<_>>()).await.starts_with("Challenged"));
        }
        let args = vote(codes[1], false);
        assert!(convene(&args.iter().map(String::as_str).collect::<Vec<_>>()).await.starts_with("Cast."));
    }

    supervisor.post(&format!("/api/elections/{id}/close"), &json!({}), As::Supervisor).await.unwrap();
    for i in [1, 3] {
        let key = path(&format!("t{i}.key"));
        convene(&["trustee", "decrypt", "--server", &url, "--election", id, "--key", &key]).await;
    }
    let results = supervisor.post(&format!("/api/elections/{id}/publish"), &json!({}), As::Supervisor).await.unwrap();
    // North has one ballot: too few to report alone, and merging it alone would hide nothing,
    // so south joins it. Nationally 1 yes, 1 no, 1 blank: yes is not more than half of the 3 cast.
    assert_eq!(results["scopes"][0]["scope"], "merged");
    assert_eq!(results["scopes"][0]["regions"], json!(["north", "south"]));
    assert_eq!(results["scopes"][1]["questions"][0], json!([1, 1]));
    assert_eq!(results["ratification"]["outcome"], "rejected");
    let record = path("record");
    convene(&["fetch", "--server", &url, "--election", id, "--out", &record]).await;
    assert!(convene(&["verify", &record]).await.contains("VERIFIED"));
}

/// The convention as its participants run it: each with their own key file and commands. The
/// charter names the secret vote's three trustees by key; they run the ceremony, acknowledge and
/// decrypt with their own identities (record format version 2, no supervisor's token).
/// With `witnessed`, three witness processes cosign the convention's log (charter version 3):
/// every event's receipt and every checkpoint of the record carry a quorum of cosignatures.
async fn convention_story(database: Option<String>, witnessed: bool) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = convene::local::start(&data, database.as_deref(), "127.0.0.1:0", |_| {}).await.unwrap();
    let url = server.url();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let mut keys = Vec::new();
    for who in ["chair", "secretary", "ada", "bo"] {
        keys.push(convene(&["assembly", "keygen", "--out", &path(&format!("{who}.key"))]).await.trim().to_string());
    }
    let seat = ["--server", &url, "--convention", "c1"];
    let run = |args: Vec<String>| async move {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        convene(&args).await
    };
    let with = |command: &str, key: &str, rest: &[&str]| {
        let mut args: Vec<String> = vec!["assembly".into(), command.into()];
        args.extend(seat.iter().map(|s| s.to_string()));
        if !key.is_empty() {
            args.extend(["--key".to_string(), path(&format!("{key}.key"))]);
        }
        args.extend(rest.iter().map(|s| s.to_string()));
        args
    };
    let token = data.join("admin-token").to_str().unwrap().to_string();
    let mut trustees = Vec::new();
    for i in 1..=3 {
        let key =
            convene(&["keygen", "--name", &format!("Trustee {i}"), "--out", &path(&format!("s{i}.identity"))]).await;
        trustees.push((format!("Trustee {i}"), key.trim().to_string()));
    }
    let named: Vec<String> = trustees.iter().map(|(name, key)| format!("{name}={key}")).collect();
    let mut create =
        vec!["--admin-token-file", &token, "--title", "Tools", "--chair", &keys[0], "--secretary", &keys[1]];
    for t in &named {
        create.extend(["--trustee", t.as_str()]);
    }
    let mut witnesses = Vec::new();
    if witnessed {
        for w in 1..=3 {
            let (data, name) = (path(&format!("witness{w}")), format!("observers.example/c{w}"));
            let key = convene(&["witness", "--data", &data, "--name", &name, "--key-only"]).await;
            let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            witnesses.push((data, name, format!("{}=http://127.0.0.1:{port}", key.trim()), port));
        }
    }
    for (_, _, witness, _) in &witnesses {
        create.extend(["--witness", witness.as_str()]);
    }
    if witnessed {
        create.extend(["--witness-quorum", "2"]);
    }
    let created = run(with("create", "", &create)).await;
    let mut running = Vec::new();
    if witnessed {
        let log_key = created.lines().last().unwrap().rsplit(' ').next().unwrap().to_string();
        for (data, name, _, port) in &witnesses {
            running.push(super::witness::run_witness(data, name, &log_key, *port).await);
        }
    }
    std::fs::write(path("localities.csv"), "name,region,population\nAyr,north,300\nBel,south,200\n").unwrap();
    let csv = path("localities.csv");
    std::fs::write(
        path("bounds.geojson"),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Ayr"},"geometry":{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,1]]]}}]}"#,
    )
    .unwrap();
    let bounds = path("bounds.geojson");
    assert!(run(with("import", "secretary", &["--source", "test census", "--geojson", &bounds, &csv]))
        .await
        .contains("log entry 0"));
    let state = Client::new(&url, None).get("/api/conventions/c1").await.unwrap();
    assert_eq!(state["localities"][0]["localities"][0]["boundary"]["type"], "Polygon");
    let table = run(with("apportion", "secretary", &["--method", "hamilton", "--seats", "2"])).await;
    assert!(table.contains("Ayr,300,1.2000,1") && table.contains("Bel,200,0.8000,1"), "{table}");
    let event = |name: &str, json: String| {
        std::fs::write(path(name), json).unwrap();
        path(name)
    };
    for (k, (name, locality)) in [("Ada", "Ayr"), ("Bo", "Bel")].iter().enumerate() {
        let file = event(
            &format!("credential-{k}.json"),
            format!(
                r#"{{"type":"credential","key":"{}","name":"{name}","locality":"{locality}","role":"delegate"}}"#,
                keys[2 + k]
            ),
        );
        run(with("send", "secretary", &[&file])).await;
    }
    run(with("send", "chair", &[&event("agenda.json", r#"{"type":"agenda","items":["Rights"]}"#.into())])).await;
    let motion =
        event("motion.json", r#"{"type":"motion","title":"Equality","body":{"text":"All are equal.\n"}}"#.into());
    run(with("send", "ada", &[&motion])).await;
    let open = event(
        "open.json",
        r#"{"type":"open_vote","subject":{"motion":1},"rule":{"majority":"qualified","share":"2/3","base":"in_office"}}"#.into(),
    );
    // Only the chair opens a vote: Bo's attempt is refused with the reason, and exits 1.
    let refused = tokio::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(with("send", "bo", &[&open]))
        .output()
        .await
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("only the chair"), "{:?}", refused);
    run(with("send", "chair", &[&open])).await;
    let yes = event("yes.json", r#"{"type":"vote","vote":1,"choice":"yes"}"#.into());
    run(with("send", "ada", &[&yes])).await;
    run(with("send", "bo", &[&yes])).await;
    let closed = run(with("close", "chair", &["--vote", "1"])).await;
    assert!(closed.contains("holds:") && closed.contains("vote 1 closed: motion 1 adopted"), "{closed}");
    let text = run(with("constitution", "", &[])).await;
    assert!(text.contains("Equality") && text.contains("All are equal."), "{text}");

    // A secret vote: its referendum's trustees hold their ceremony with their own commands,
    // the supervisor registers the delegates' own keys with codes, each delegate votes with
    // their key file, the referendum is counted, and the chair closes the vote with its counts.
    let second =
        event("second.json", r#"{"type":"motion","title":"Liberty","body":{"text":"All are free.\n"}}"#.into());
    run(with("send", "bo", &[&second])).await;
    let members: Vec<serde_json::Value> =
        trustees.iter().map(|(name, key)| json!({"name": name, "key": key})).collect();
    let secret = event(
        "secret.json",
        json!({"type": "open_secret_vote", "subject": {"motion": 2}, "rule": {"majority": "simple", "base": "present"},
               "referendum": "c1-secret", "trustees": {"n": 3, "t": 2, "members": members}})
        .to_string(),
    );
    run(with("send", "chair", &[&secret])).await;
    if witnessed {
        // The referendum names the charter's witnesses (version 4): each observer adds its log
        // key to the running witness.
        let manifest =
            Client::new(&url, None).get_bytes("/api/elections/c1-secret/record/manifest.json").await.unwrap();
        let log_key = convene_record::format::Manifest::parse(&manifest).unwrap().log_key;
        for (data, name, _, _) in &witnesses {
            let added = convene(&["witness", "--data", data, "--name", name, "--add-logs", "--log", &log_key]).await;
            assert!(added.contains("witnesses 2 logs"), "{added}");
        }
    }
    let at = ["--server", &url, "--election", "c1-secret"];
    ceremony_steps(&at, dir.path(), "s", true).await;
    let supervisor = Client::new(&url, Some(std::fs::read_to_string(&token).unwrap().trim().to_string()));
    supervisor.post("/api/elections/c1-secret/ceremony/finish", &json!({}), As::Supervisor).await.unwrap();
    for i in 1..=3 {
        let (state, key) = (path(&format!("s{i}.state")), path(&format!("s{i}.key")));
        let mut args = vec!["trustee", "finish"];
        args.extend(at);
        args.extend(["--state", &state, "--key", &key]);
        convene(&args).await;
    }
    let codes = path("codes.csv");
    run(with("secret-codes", "", &["--admin-token-file", &token, "--vote", "2", "--out", &codes])).await;
    for i in 1..=3 {
        let (key, identity) = (path(&format!("s{i}.key")), path(&format!("s{i}.identity")));
        let mut args = vec!["trustee", "acknowledge"];
        args.extend(at);
        args.extend(["--key", &key, "--identity", &identity]);
        convene(&args).await;
    }
    supervisor.post("/api/elections/c1-secret/open", &json!({}), As::Supervisor).await.unwrap();
    let handout = std::fs::read_to_string(&codes).unwrap();
    for (who, answer) in [("ada", "yes"), ("bo", "blank")] {
        let key = &keys[if who == "ada" { 2 } else { 3 }];
        let line = handout.lines().find(|l| l.contains(key.as_str())).unwrap();
        let code = line.rsplit(',').next().unwrap().split(' ').next().unwrap();
        let credential = path(&format!("{who}.key"));
        let cast = convene(&[
            "vote",
            "--server",
            &url,
            "--election",
            "c1-secret",
            "--credential",
            &credential,
            "--code",
            code,
            "--answer",
            answer,
            "--receipt",
            &path(&format!("{who}.receipt")),
        ])
        .await;
        assert!(cast.starts_with("Cast."), "{cast}");
    }
    // Closing before the referendum is published is refused, and says why.
    let early = tokio::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(with("close", "chair", &["--vote", "2"]))
        .output()
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(&early.stderr).contains("not published its results"), "{early:?}");
    supervisor.post("/api/elections/c1-secret/close", &json!({}), As::Supervisor).await.unwrap();
    for i in [1, 2] {
        let (key, identity) = (path(&format!("s{i}.key")), path(&format!("s{i}.identity")));
        convene(&[
            "trustee",
            "decrypt",
            "--server",
            &url,
            "--election",
            "c1-secret",
            "--key",
            &key,
            "--identity",
            &identity,
        ])
        .await;
    }
    supervisor.post("/api/elections/c1-secret/publish", &json!({}), As::Supervisor).await.unwrap();
    let closed = run(with("close", "chair", &["--vote", "2"])).await;
    // One yes, one abstaining (blank): a simple majority of those present.
    assert!(
        closed.contains(
            "vote 2 closed: motion 2 adopted (1 yes, 0 no, 1 abstaining, by secret ballot in referendum c1-secret)"
        ),
        "{closed}"
    );
    let record = path("record");
    run(with("fetch", "", &["--out", &record])).await;
    let verified = convene(&["verify", &record]).await;
    assert!(verified.contains("VERIFIED") && verified.contains("adopted articles: 2"), "{verified}");
    assert!(
        verified.contains("secret vote 2: referendum c1-secret verified (2 delegates registered, 2 ballots counted)"),
        "{verified}"
    );
    let manifest = std::fs::read(dir.path().join("record/secret-votes/c1-secret/manifest.json")).unwrap();
    let manifest = convene_record::format::Manifest::parse(&manifest).unwrap();
    // A version-2 charter's referendums are format version 3 (ballots under one-time keys), a
    // version-4 charter's format 4 (witnessed by the charter's witnesses).
    let version = if witnessed { 4 } else { 3 };
    assert_eq!(
        (manifest.version, manifest.trustees.members.len()),
        (version, 3),
        "the trustees signed with their own keys"
    );
    if witnessed {
        assert_eq!((manifest.witnesses.len(), manifest.witness_quorum), (3, 2));
        let checkpoints: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join("record/secret-votes/c1-secret/checkpoints.json")).unwrap(),
        )
        .unwrap();
        for c in checkpoints["checkpoints"].as_array().unwrap() {
            assert!(c["note"].as_str().unwrap().matches("— observers.example/c").count() >= 2, "{c}");
        }
        let charter: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("record/charter.json")).unwrap()).unwrap();
        assert_eq!((charter["version"].as_u64(), charter["witness_quorum"].as_u64()), (Some(5), Some(2)));
        let checkpoints: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("record/checkpoints.json")).unwrap()).unwrap();
        let all = checkpoints["checkpoints"].as_array().unwrap();
        assert!(all.len() > 5);
        for c in all {
            assert!(c["note"].as_str().unwrap().matches("— observers.example/c").count() >= 2, "{c}");
        }
        // Every event's receipt the tools kept holds against the published record.
        let checked = convene(&["assembly", "check", "--key", &path("ada.key"), "--convention", "c1", &record]).await;
        assert!(checked.contains("are in the record"), "{checked}");
    }
    drop(running);
}

/// Record format version 2 with the participants' own commands: an authority, a registrar, a
/// code issuer and three trustees each make an identity (`convene keygen`); the supervisor
/// creates the election naming them; every later step is an actor's own command, signed with
/// its identity, without the supervisor's token. The record verifies and says who acted.
async fn actors_story(database: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = convene::local::start(&data, database.as_deref(), "127.0.0.1:0", |c| c.signin_per_minute = u32::MAX)
        .await
        .unwrap();
    let url = server.url();
    let supervisor = Client::new(&url, Some(server.admin_token.clone()));
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let mut actor = std::collections::BTreeMap::new();
    for who in ["authority", "registrar", "issuer", "t1", "t2", "t3"] {
        let key =
            convene(&["keygen", "--name", &format!("The {who}"), "--out", &path(&format!("{who}.identity"))]).await;
        actor.insert(who, json!({"name": format!("The {who}"), "key": key.trim()}));
    }
    // Three observers each run a witness (`convene witness`, its own process); the authority
    // names them in the manifest, two of them to cosign every checkpoint.
    let mut witnesses = Vec::new();
    for w in 1..=3 {
        let data = path(&format!("witness{w}"));
        let name = format!("observers.example/w{w}");
        let key = convene(&["witness", "--data", &data, "--name", &name, "--key-only"]).await;
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        witnesses.push((data, name, key.trim().to_string(), port));
    }
    let named: Vec<_> = witnesses
        .iter()
        .map(|(_, _, key, port)| json!({"key": key, "url": format!("http://127.0.0.1:{port}")}))
        .collect();
    let id = "actors";
    supervisor
        .post(
            "/api/elections",
            &json!({"election_id": id, "title": "Actors", "regions": ["north", "south"],
                    "questions": [{"kind": "yes-no", "id": "q", "text": "Approve?"}],
                    "trustees": {"n": 3, "t": 2, "members": [actor["t1"], actor["t2"], actor["t3"]]},
                    "authority": actor["authority"], "registrar": actor["registrar"], "code_issuer": actor["issuer"],
                    "max_weight": 1, "max_ballots_per_credential": 5,
                    "credential_kdf": {"algorithm": "argon2id", "memory_kib": 19456, "iterations": 2, "parallelism": 1},
                    "witnesses": named, "witness_quorum": 2}),
            As::Supervisor,
        )
        .await
        .unwrap();
    let manifest = supervisor.get(&format!("/api/elections/{id}/record/manifest.json")).await.unwrap();
    let log_key = manifest["log_key"].as_str().unwrap().to_string();
    let mut running = Vec::new();
    for (data, name, _, port) in &witnesses {
        running.push(super::witness::run_witness(data, name, &log_key, *port).await);
    }
    let at = ["--server", &url, "--election", id];
    convene(&["authority", "--server", &url, "--election", id, "--identity", &path("authority.identity")]).await;
    ceremony_steps(&at, dir.path(), "t", true).await;
    supervisor.post(&format!("/api/elections/{id}/ceremony/finish"), &json!({}), As::Supervisor).await.unwrap();
    for i in 1..=3 {
        let (state, key) = (path(&format!("t{i}.state")), path(&format!("t{i}.key")));
        let mut args = vec!["trustee", "finish"];
        args.extend(at);
        args.extend(["--state", &state, "--key", &key]);
        convene(&args).await;
    }
    std::fs::write(dir.path().join("voters.csv"), "voter,region\nada,north\nbea,south\ncid,south\n").unwrap();
    let (voters, sheets, registrar) = (path("voters.csv"), path("sheets"), path("registrar.identity"));
    convene(&[
        "registrar",
        "--server",
        &url,
        "--election",
        id,
        "--voters",
        &voters,
        "--out",
        &sheets,
        "--identity",
        &registrar,
    ])
    .await;
    let issued = path("sheets/credentials-upload.json");
    assert!(convene(&["registrar-check", "--server", &url, "--election", id, "--issued", &issued])
        .await
        .contains("is the one issued"));
    let (issuer, slips) = (path("issuer.identity"), path("slips"));
    convene(&["codes", "--server", &url, "--election", id, "--identity", &issuer, "--out", &slips]).await;
    for i in 1..=3 {
        let (key, identity) = (path(&format!("t{i}.key")), path(&format!("t{i}.identity")));
        let mut args = vec!["trustee", "acknowledge"];
        args.extend(at);
        args.extend(["--key", &key, "--identity", &identity]);
        convene(&args).await;
    }
    supervisor.post(&format!("/api/elections/{id}/open"), &json!({}), As::Supervisor).await.unwrap();

    // Each voter: the credential from the registrar's sheet, a code from the issuer's slip.
    let sheet_rows: Vec<Vec<String>> = std::fs::read_to_string(dir.path().join("sheets/sheets.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let slip_rows: Vec<Vec<String>> = std::fs::read_to_string(dir.path().join("slips/code-slips.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    for (k, (row, answer)) in sheet_rows.iter().zip(["yes", "no", "yes"]).enumerate() {
        if k == 2 {
            // One witness stops; the other two are still a quorum.
            running.pop();
        }
        assert_eq!(row[4], "", "the registrar's sheet carries no codes");
        let slip = slip_rows.iter().find(|s| s[0] == row[3]).expect("a slip for each credential");
        let code = slip[1].split(' ').next().unwrap();
        // Typed credentials (protocol note §14): the voter types 18 + 9 symbols, the groups' dashes
        // optional.
        let typed = |s: &str| s.chars().filter(|c| *c != '-').count();
        assert_eq!((typed(&row[2]), typed(code)), (18, 9), "{} {code}", row[2]);
        let out = convene(&[
            "vote",
            "--server",
            &url,
            "--election",
            id,
            "--credential",
            &row[2],
            "--code",
            code,
            "--answer",
            answer,
            "--receipt",
            &path(&format!("voter{k}.receipt")),
        ])
        .await;
        assert!(out.starts_with("Cast."), "{out}");
    }
    supervisor.post(&format!("/api/elections/{id}/close"), &json!({}), As::Supervisor).await.unwrap();
    for i in [1, 2] {
        let (key, identity) = (path(&format!("t{i}.key")), path(&format!("t{i}.identity")));
        let mut args = vec!["trustee", "decrypt"];
        args.extend(at);
        args.extend(["--key", &key, "--identity", &identity]);
        assert!(convene(&args).await.contains("Verified the record up to the tally"));
    }
    supervisor.post(&format!("/api/elections/{id}/publish"), &json!({}), As::Supervisor).await.unwrap();
    let record = path("record");
    convene(&["fetch", "--server", &url, "--election", id, "--out", &record]).await;
    let report = convene(&["verify", &record]).await;
    assert!(report.contains("VERIFIED"), "{report}");
    for line in [
        "record format version: 4",
        "election authority: The authority",
        "registrar: The registrar",
        "issued by The issuer",
        "1. The t1",
        "witnesses: 2 of 3 must cosign every checkpoint: observers.example/w1 (http://127.0.0.1:",
    ] {
        assert!(report.contains(line), "{line:?} not in {report}");
    }
    let json: serde_json::Value = serde_json::from_str(&convene(&["verify", "--json", &record]).await).unwrap();
    assert_eq!(json["verified"], true);
    assert_eq!(json["records"][0]["version"], 4);
    // The server serves the log as tiles too: read back, checked, and the same record.
    let from_tiles = path("record-from-tiles");
    let out = convene(&["fetch", "--tiles", &format!("{url}/logs/{id}"), "--out", &from_tiles]).await;
    assert!(out.contains("3 entries") && out.contains("the record's log is that tree"), "{out}");
    assert!(convene(&["verify", &from_tiles]).await.contains("VERIFIED"));
    // The code slips print the election's fingerprint: the first 8 bytes of its base hash.
    let election: convene_record::format::ElectionJson =
        serde_json::from_slice(&std::fs::read(dir.path().join("record/election.json")).unwrap()).unwrap();
    let fingerprint =
        convene_record::writer::fingerprint(&convene_record::format::hash("base", &election.base_hash).unwrap());
    assert!(slip_rows.iter().all(|slip| slip[2] == fingerprint), "{slip_rows:?} {fingerprint}");
    // Every checkpoint of the record carries two or three of the witnesses' cosignatures; each
    // voter's receipt holds against the record and against what the running witnesses saw.
    let checkpoints: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("record/checkpoints.json")).unwrap()).unwrap();
    for c in checkpoints["checkpoints"].as_array().unwrap() {
        let cosignatures = c["note"].as_str().unwrap().matches("— observers.example/").count();
        assert!(cosignatures >= 2, "{c}");
    }
    for k in 0..3 {
        let receipt = path(&format!("voter{k}.receipt"));
        let out = convene(&["receipt", &record, &receipt, "--ask-witnesses"]).await;
        assert!(out.contains("cosigned by") && out.contains("no later ballot under your credential"), "{out}");
        assert_eq!(out.matches("is consistent with your receipt").count(), 2, "{out}");
        assert!(out.contains("Witness observers.example/w3: could not be reached"), "{out}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_actor_signs_with_their_own_commands_on_sqlite() {
    actors_story(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_actor_signs_with_their_own_commands_on_postgres() {
    let Some(url) = convene_store::testing::fresh_postgres().await else { return };
    actors_story(Some(url)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_convention_run_with_the_participants_own_commands() {
    convention_story(None, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_witnessed_convention_run_with_the_participants_own_commands() {
    convention_story(None, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_convention_run_with_the_participants_own_commands_on_postgres() {
    let Some(url) = convene_store::testing::fresh_postgres().await else { return };
    convention_story(Some(url), false).await;
}
