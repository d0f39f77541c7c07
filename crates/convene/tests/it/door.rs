//! The door under attack (issue 13, found by an outside review): what a client holding nothing
//! can make the server spend. Each test reproduces the attack against a real server on loopback.

use super::*;
use convene::client::Client;
use convene::local;
use convene::referendum;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends a POST of `path` announcing `length` bytes of body with `headers` (each `Name: value`
/// line), then up to `sent` bytes of it; the status the server answers within five seconds, or
/// `None` if it is still reading.
async fn announce(url: &str, path: &str, headers: &[String], length: Option<u64>, sent: usize) -> Option<u16> {
    let address = url.trim_start_matches("http://");
    let stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let mut head = format!("POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n");
    for h in headers {
        head.push_str(&format!("{h}\r\n"));
    }
    match length {
        Some(length) => head.push_str(&format!("Content-Length: {length}\r\n\r\n")),
        None => head.push_str("Transfer-Encoding: chunked\r\n\r\n10000\r\n"),
    }
    write.write_all(head.as_bytes()).await.unwrap();
    // The body goes on being written while the answer is awaited; a server that answers early
    // and closes makes these writes fail, which is fine.
    let writer = tokio::spawn(async move {
        let chunk = vec![b'['; 64 << 10];
        for _ in 0..sent.div_ceil(chunk.len()) {
            if write.write_all(&chunk).await.is_err() {
                break;
            }
        }
        write
    });
    let mut answer = vec![0u8; 4096];
    let status = match tokio::time::timeout(Duration::from_secs(5), read.read(&mut answer)).await {
        Ok(Ok(n)) if n >= 12 => std::str::from_utf8(&answer[9..12]).ok().and_then(|s| s.parse().ok()),
        _ => None,
    };
    writer.abort();
    status
}

/// The credential upload can be hundreds of megabytes. Nobody can make the server read one
/// without the supervisor's token or the registrar's signature of exactly that body: four
/// unauthenticated 400 MB uploads are each refused after the first megabyte, before the server
/// reads the rest; an upload of unannounced length is refused; at most two are read at once; a
/// signature of one body does not carry another; the registrar's own upload, signed in its
/// headers, needs no token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unauthenticated_upload_is_refused_before_its_body_is_read() {
    let data = tempfile::tempdir().unwrap();
    let server = local::start(data.path(), None, "127.0.0.1:0", |_| {}).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    let plan = plan("door", 4, &["north", "south"]);
    let ready = referendum::through_ceremony(&client, &plan, &mut rng).await.unwrap();
    let path = "/api/elections/door/credentials";
    let big = Some(400_000_000);
    for attempt in 0..4 {
        let status = announce(&server.url(), path, &[], big, 1 << 20).await;
        assert_eq!(status, Some(401), "attempt {attempt}: the server must refuse before reading 400 MB");
    }
    let wrong = ["Authorization: Bearer not-the-token".to_string()];
    assert_eq!(announce(&server.url(), path, &wrong, big, 1 << 20).await, Some(403));
    let forged = [
        format!("Convene-Upload-Sha256: {}", "ab".repeat(32)),
        format!("Convene-Upload-Signature: {}", "cd".repeat(64)),
    ];
    assert_eq!(announce(&server.url(), path, &forged, big, 1 << 20).await, Some(401));
    // A body of unannounced length (chunked) is refused before any of it is read.
    let token = [format!("Authorization: Bearer {}", server.admin_token)];
    assert_eq!(announce(&server.url(), path, &token, None, 1 << 20).await, Some(411));

    // Two authenticated uploads being read slowly take every upload slot: a third is told to
    // come back later, not queued in memory.
    let mut held = Vec::new();
    for _ in 0..2 {
        let address = server.url().trim_start_matches("http://").to_string();
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        let head =
            format!("POST {path} HTTP/1.1\r\nHost: {address}\r\n{}\r\nContent-Length: 400000000\r\n\r\n[", token[0]);
        stream.write_all(head.as_bytes()).await.unwrap();
        held.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(announce(&server.url(), path, &token, big, 1 << 10).await, Some(503));
    drop(held);

    // The registrar's signature of one body, sent with another of the same length.
    let registrar = &ready.actors.as_ref().unwrap().registrar;
    let manifest_hash = convene_record::writer::manifest_hash(&ready.manifest_bytes);
    let signed = vec![b' '; 1000];
    let headers = convene_record::actors::upload_headers(&manifest_hash, &signed, registrar, &mut rng);
    let response = reqwest::Client::new()
        .post(format!("{}{path}", server.url()))
        .header(headers[0].0, &headers[0].1)
        .header(headers[1].0, &headers[1].1)
        .body(vec![b'\n'; 1000])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "upload_mismatch", "{body}");

    // Nothing of it changed the election; the registrar's signed upload opens it.
    assert_eq!(client.get("/api/elections/door").await.unwrap()["phase"], "ceremony");
    let open = referendum::register_and_open(&client, &plan, ready, None, &mut rng).await.unwrap();
    assert_eq!(client.get("/api/elections/door").await.unwrap()["phase"], "open");
    assert_eq!(open.sheets.len(), 4);
}

/// Whether `/healthz` answers within `deadline`, asking every half second.
async fn answers_within(url: &str, deadline: Duration) -> Option<Duration> {
    let start = std::time::Instant::now();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(1)).build().unwrap();
    while start.elapsed() < deadline {
        if client.get(format!("{url}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    None
}

/// 150 connections that send nothing, against a server allowed 128 open files: it keeps
/// descriptors for its own work (it serves fewer connections than it may open files), closes
/// connections beyond its cap on arrival and idle ones after the header deadline, so `/healthz`
/// answers again within seconds. Without the limits (a cap above the file limit and no
/// deadline, as before), the same attack keeps it from answering at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_cannot_starve_the_server() {
    let attack = |url: String| async move {
        let address = url.trim_start_matches("http://").to_string();
        let mut idle = Vec::new();
        for _ in 0..150 {
            if let Ok(Ok(stream)) =
                tokio::time::timeout(Duration::from_secs(1), tokio::net::TcpStream::connect(&address)).await
            {
                idle.push(stream);
            }
        }
        idle
    };
    for (limited, flags) in [
        (true, vec!["--header-timeout-seconds", "2"]),
        (false, vec!["--max-connections", "100000", "--header-timeout-seconds", "3600"]),
    ] {
        let data = tempfile::tempdir().unwrap();
        let server = super::servers::Server::start_with(data.path(), &flags, Some(128));
        let url = server.url.clone();
        assert!(answers_within(&url, Duration::from_secs(5)).await.is_some(), "the server starts");
        let mut idle = attack(url.clone()).await;
        assert!(idle.len() >= 128, "{} connections opened", idle.len());
        let answered = answers_within(&url, Duration::from_secs(12)).await;
        if limited {
            let after = answered.expect("with its limits the server answers while 150 connections idle");
            assert!(after < Duration::from_secs(8), "answered after {after:?}");
            // The idle connections were closed by the server: reading one ends.
            let mut byte = [0u8; 1];
            let closed = tokio::time::timeout(Duration::from_secs(5), idle[0].read(&mut byte)).await;
            assert!(matches!(closed, Ok(Ok(0)) | Ok(Err(_))), "{closed:?}");
        } else {
            assert_eq!(answered, None, "without limits the attack works: this test measures something");
        }
        drop((idle, server));
    }
}

/// A sign-in from `forwarded` (as a proxy names it) with `code` and optionally the claimed
/// credential: the status, the error code and Retry-After.
async fn sign_in(url: &str, forwarded: &str, code: &str, credential: Option<&str>) -> (u16, String, Option<String>) {
    let mut body = serde_json::json!({ "code": code });
    if let Some(c) = credential {
        body["credential"] = c.into();
    }
    let response = reqwest::Client::new()
        .post(format!("{url}/api/elections/limits/signin"))
        .header("x-forwarded-for", forwarded)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let retry = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
    let answer: serde_json::Value = response.json().await.unwrap_or_default();
    (status, answer["error"].as_str().unwrap_or_default().to_string(), retry)
}

/// Behind a reverse proxy every request comes from the proxy's address. Keyed on that address,
/// one voter's mistakes locked out every voter (the attack, shown on a server that does not
/// trust the proxy); keyed on the address the trusted proxy forwards, they lock out only that
/// address, and a forged header from anyone else changes nothing. Guessing from many addresses
/// meets the election's own limit; a code tried wrongly again and again waits, longer each time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_limits_key_on_the_voter_behind_the_proxy_on_the_election_and_on_the_code() {
    let data = tempfile::tempdir().unwrap();
    let configure = |trusted: bool| {
        move |c: &mut convene_server::Config| {
            c.signin_per_minute = 5;
            c.signin_per_election_per_second = 30;
            if trusted {
                c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
            }
        }
    };
    let server = local::start(data.path(), None, "127.0.0.1:0", configure(true)).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(17);
    let open = referendum::set_up(&client, &plan("limits", 3, &["north", "south"]), &mut rng).await.unwrap();
    let code = |v: usize| open.sheets[v].codes[0].clone();
    let mistyped = |k: usize| format!("AAAAA-AAAAA-AAAAA-AAAAA-{k:05}");

    // Behind the proxy: voter A mistypes five times and is stopped; voter B is not.
    for k in 0..5 {
        assert_eq!(sign_in(&server.url(), "198.51.100.1", &mistyped(k), None).await.0, 401);
    }
    let (status, error, retry) = sign_in(&server.url(), "198.51.100.1", &mistyped(5), None).await;
    assert_eq!((status, error.as_str(), retry.as_deref()), (429, "rate_limited", Some("60")));
    assert_eq!(sign_in(&server.url(), "198.51.100.2", &code(0), None).await.0, 200);

    // Guessing from thirty addresses at once meets the election's limit of 30 a second.
    let guesses = (0..60).map(|k| {
        let url = server.url();
        async move { sign_in(&url, &format!("203.0.113.{k}"), &mistyped(100 + k), None).await.0 }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let stopped = statuses.iter().filter(|s| **s == 429).count();
    assert!(stopped >= 20, "{statuses:?}");

    // A code tried with the wrong credential: two mistakes are free, then it waits.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let wrong = "11".repeat(32);
    for k in 0..3 {
        let (status, error, _) = sign_in(&server.url(), &format!("192.0.2.{k}"), &code(1), Some(&wrong)).await;
        assert_eq!((status, error.as_str()), (403, "wrong_key"), "attempt {k}");
    }
    let (status, _, retry) = sign_in(&server.url(), "192.0.2.9", &code(1), None).await;
    assert_eq!((status, retry.as_deref()), (429, Some("1")), "the code waits, from any address");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(sign_in(&server.url(), "192.0.2.9", &code(1), None).await.0, 200, "then the voter signs in");
    server.task.abort();

    // A server that trusts no proxy keys on the proxy's own address: A's mistakes stop B too,
    // and a forged X-Forwarded-For does not get around it.
    let untrusting = local::start(data.path(), None, "127.0.0.1:0", configure(false)).await.unwrap();
    for k in 0..5 {
        sign_in(&untrusting.url(), "198.51.100.1", &mistyped(200 + k), None).await;
    }
    assert_eq!(sign_in(&untrusting.url(), "198.51.100.2", &code(2), None).await.0, 429);
    assert_eq!(sign_in(&untrusting.url(), "198.51.100.3", &code(2), None).await.0, 429);
}

/// `/metrics` was public. It now answers only the metrics token (kept in DATA/metrics-token,
/// apart from the supervisor's) or the supervisor's, with latency histograms under Prometheus
/// names: each cast, and each request by route.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_a_token_and_carry_latency_histograms() {
    let data = tempfile::tempdir().unwrap();
    let server = local::start(data.path(), None, "127.0.0.1:0", |c| c.signin_per_minute = u32::MAX).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(19);
    let open = referendum::set_up(&client, &plan("metered", 2, &["north"]), &mut rng).await.unwrap();
    let entry = referendum::make_entry(&open, 0, &[vec![1]], false, &mut rng).unwrap();
    referendum::sign_in_and_send(&client, &open, 0, 0, entry).await.unwrap();
    let get = |token: Option<String>| {
        let url = format!("{}/metrics", server.url());
        async move {
            let mut request = reqwest::Client::new().get(url);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    assert_eq!(get(None).await.0, 401, "nobody reads the metrics without a token");
    assert_eq!(get(Some("guess".into())).await.0, 403);
    let metrics_token = std::fs::read_to_string(data.path().join("metrics-token")).unwrap().trim().to_string();
    assert_ne!(metrics_token, server.admin_token);
    let (status, text) = get(Some(metrics_token)).await;
    assert_eq!(status, 200);
    assert!(text.contains("convene_ballots_accepted_total 1"), "{text}");
    assert!(text.contains("convene_cast_duration_seconds_bucket{le=\"+Inf\"} 1"), "{text}");
    assert!(text.contains("convene_cast_duration_seconds_count 1"), "{text}");
    // One process alone never finds its log moved by another.
    assert!(text.contains("convene_append_moved_total 0"), "{text}");
    assert!(text.contains("convene_append_reread_entries_total 0"), "{text}");
    let route = "convene_http_request_duration_seconds_count{route=\"/api/elections/:id/ballots\",method=\"POST\",status=\"2xx\"} 1";
    assert!(text.contains(route), "{text}");
    assert_eq!(get(Some(server.admin_token.clone())).await.0, 200);
}

/// The status of `GET path`, or `None` without an answer within three seconds.
async fn status_of(url: &str, path: &str) -> Option<u16> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(3)).build().unwrap();
    client.get(format!("{url}{path}")).send().await.ok().map(|r| r.status().as_u16())
}

/// Drill: PostgreSQL stops under a running server. Readiness fails (so a load balancer sends
/// voters elsewhere) while liveness holds (so nothing restarts the process for nothing); once
/// PostgreSQL is back, the same process is ready again without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_postgres_stops_readiness_fails_and_liveness_holds_then_it_recovers() {
    let Some(postgres) = convene_store::testing::OwnPostgres::start() else { return };
    let data = tempfile::tempdir().unwrap();
    let server = local::start(data.path(), Some(&postgres.url()), "127.0.0.1:0", |_| {}).await.unwrap();
    let url = server.url();
    assert_eq!(status_of(&url, "/readyz").await, Some(200));
    postgres.stop();
    assert_eq!(status_of(&url, "/readyz").await, Some(503), "not ready without its database");
    assert_eq!(status_of(&url, "/healthz").await, Some(200), "but alive");
    postgres.restart();
    let start = std::time::Instant::now();
    while status_of(&url, "/readyz").await != Some(200) {
        assert!(start.elapsed() < Duration::from_secs(20), "ready again once PostgreSQL is back");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    eprintln!("ready again {:?} after PostgreSQL restarted", start.elapsed());
    let elections = reqwest::get(format!("{url}/api/elections")).await.unwrap();
    assert_eq!(elections.status().as_u16(), 200, "and it serves");
}

/// A copy of the database (a backup) held the log and session keys in the clear: whoever had
/// it could sign checkpoints and mint sessions. They are sealed under the server's key, kept in
/// a file of its own (0600, in a data directory made 0700), so the database alone opens nothing;
/// with the key file the server still signs with them after a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_backup_holds_no_secret_in_the_clear() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let server = local::start(&data, None, "127.0.0.1:0", |c| c.signin_per_minute = u32::MAX).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(23);
    let open = referendum::set_up(&client, &plan("sealed", 2, &["north"]), &mut rng).await.unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    for file in ["server-key", "admin-token", "metrics-token"] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    let raw = super::attacks::host_database(&data, &[]).await;
    let rows: Vec<(String, Vec<u8>)> =
        sqlx::query_as("SELECT name, bytes FROM documents WHERE election_id = 'sealed' AND name LIKE 'secret/%-key'")
            .fetch_all(&raw)
            .await
            .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let key = convene_server::SealingKey::new(convene::local::sealing_key(&data).unwrap());
    let manifest_hash = convene_record::writer::manifest_hash(&open.manifest_bytes);
    for (name, bytes) in &rows {
        assert!(bytes.starts_with(b"convene-sealed v1\n") && bytes.len() == 18 + 24 + 32 + 16, "{name} is sealed");
        let secret = key.open("sealed", name, bytes).unwrap();
        assert!(!bytes.windows(32).any(|w| w == secret.as_slice()), "{name}'s bytes are not in the row");
        assert!(convene_server::SealingKey::random().open("sealed", name, bytes).is_err());
        if name == "secret/log-key" {
            let secret: [u8; 32] = secret.try_into().unwrap();
            convene_record::checkpoint::LogSigner::new(&open.manifest, &manifest_hash, &secret)
                .expect("the sealed log key is the manifest's");
        }
    }
    // After a restart on the same data the server opens them and goes on: a voter casts.
    server.task.abort();
    let again = local::start(&data, None, "127.0.0.1:0", |c| c.signin_per_minute = u32::MAX).await.unwrap();
    let client = Client::new(&again.url(), Some(again.admin_token.clone()));
    let entry = referendum::make_entry(&open, 0, &[vec![1]], false, &mut rng).unwrap();
    referendum::sign_in_and_send(&client, &open, 0, 0, entry).await.expect("the restarted server signs a receipt");
}
