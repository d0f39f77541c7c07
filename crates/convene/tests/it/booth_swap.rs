//! H7 in the browser. A front end serves the real booth's pages but a swapped script:
//! `convene check-booth` names the swapped file (the manifest lists every asset's SHA-256 and the
//! source builds the same bytes), and Chromium refuses to run it (Subresource Integrity), while
//! the honest server's booth runs. A front end serves another election key in the ceremony: the
//! booth, which recomputes the key and base hash from the record, refuses to encrypt.

use super::browser::{chromium, e2e};
use convene::client::Client;
use convene::referendum;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

type Rewrite = fn(&str, Vec<u8>) -> Vec<u8>;

/// The swapped script: `/assets/booth.js` gains a line.
fn swap_script(path: &str, mut body: Vec<u8>) -> Vec<u8> {
    if path == "/assets/booth.js" {
        body.extend_from_slice(b"\ndocument.title = 'swapped';\n");
    }
    body
}

/// The fake key (H7): the ceremony's outcome names another election key, one the host knows
/// (here the group's generator, whose discrete log is 1).
fn fake_key(path: &str, body: Vec<u8>) -> Vec<u8> {
    if !path.ends_with("/record/ceremony.json") {
        return body;
    }
    let mut ceremony: serde_json::Value = serde_json::from_slice(&body).unwrap();
    ceremony["outcome"]["election_key"] = "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76".into();
    serde_json::to_vec(&ceremony).unwrap()
}

/// A front end before `real`: everything passes through `rewrite`.
async fn swapping_front_end(real: String, rewrite: Rewrite) -> String {
    use axum::response::IntoResponse;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
        let real = real.clone();
        async move {
            let answer = reqwest::get(format!("{real}{uri}")).await.unwrap();
            let status = answer.status().as_u16();
            let kind = answer.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let body = rewrite(uri.path(), answer.bytes().await.unwrap().to_vec());
            (axum::http::StatusCode::from_u16(status).unwrap(), [("content-type", kind)], body).into_response()
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_swapped_booth_script_is_named_by_check_booth_and_refused_by_the_browser() {
    let data = tempfile::tempdir().unwrap();
    let server = convene::local::start(data.path(), None, "127.0.0.1:0", |_| {}).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let election =
        referendum::set_up(&client, &super::plan("booth", 1, &["north"]), &mut ChaCha20Rng::seed_from_u64(5))
            .await
            .unwrap();
    assert!(election.manifest.booth_assets.contains_key("assets/booth.js"), "{:?}", election.manifest.booth_assets);
    let front = swapping_front_end(server.url(), swap_script).await;
    let web = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web");
    let check = |url: String, extra: &'static [&'static str]| {
        let web = web.clone();
        async move {
            tokio::process::Command::new(env!("CARGO_BIN_EXE_convene"))
                .args(["check-booth", &url, "--election", "booth", "--web", web.to_str().unwrap()])
                .args(extra)
                .output()
                .await
                .unwrap()
        }
    };
    // Without Node.js, compare with the manifest only (the source build needs npm).
    let npm = std::process::Command::new("npm").arg("--version").output().is_ok();
    let extra: &'static [&'static str] = if npm { &[] } else { &["--no-source"] };
    let honest = check(server.url(), extra).await;
    let said = String::from_utf8_lossy(&honest.stdout).to_string();
    assert!(honest.status.success(), "{said}{}", String::from_utf8_lossy(&honest.stderr));
    assert!(said.contains("is the one its manifest names"), "{said}");
    assert!(!npm || said.contains("vote.html: served = manifest = source"), "{said}");
    let swapped = check(front.clone(), extra).await;
    let said = String::from_utf8_lossy(&swapped.stdout).to_string();
    assert_eq!(swapped.status.code(), Some(1), "{said}");
    assert!(said.contains("assets/booth.js: DIFFERS"), "{said}");
    assert_eq!(said.matches("DIFFERS").count(), 1, "only the swapped file: {said}");

    let Some(chromium) = chromium() else { return };
    let fake = swapping_front_end(server.url(), fake_key).await;
    let env = vec![("SWAPPED_URL", front), ("FAKE_KEY_URL", fake), ("ELECTION", "booth".to_string())];
    let out = e2e("sri.e2e", chromium, server.url(), env).await;
    assert!(out.contains("e2e ok: the swapped booth script was refused"), "{out}");
    assert!(out.contains("e2e ok: the booth refused the fake key"), "{out}");
}

/// The booth as a static copy on another origin (`convene export-booth`, served by nginx): a
/// voter casts from an origin the manifest lists (the server answers it by CORS) and checks the
/// receipt on the copy's receipt page; from another origin the browser gets no answer. The copy
/// is the built files byte for byte.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_static_copy_of_the_booth_on_a_listed_origin_casts_and_an_unlisted_one_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let server = convene::local::start(&work.path().join("data"), None, "127.0.0.1:0", |_| {}).await.unwrap();
    let copy = work.path().join("booth");
    let export = tokio::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["export-booth", "--server", &server.url(), "--out", copy.to_str().unwrap()])
        .output()
        .await
        .unwrap();
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    for (name, bytes) in convene_server::built_files() {
        assert_eq!(&std::fs::read(copy.join(name)).unwrap(), bytes, "{name}");
    }
    let (a, b) = (work.path().join("nginx-a"), work.path().join("nginx-b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let Some(listed) = super::tiles::nginx(&a, &copy) else { return };
    let Some(unlisted) = super::tiles::nginx(&b, &copy) else { return };
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut plan = super::plan("static", 1, &["north"]);
    plan.booth_origins = vec![format!("http://127.0.0.1:{}", listed.1)];
    let election = referendum::set_up(&client, &plan, &mut ChaCha20Rng::seed_from_u64(8)).await.unwrap();
    let Some(chromium) = chromium() else { return };
    let sheet = &election.sheets[0];
    let voter = serde_json::json!({"code": sheet.codes[0],
                                   "credential": sheet.key_text()});
    let env = vec![
        ("ELECTION", "static".to_string()),
        ("VOTER", voter.to_string()),
        ("LISTED_URL", format!("http://127.0.0.1:{}", listed.1)),
        ("UNLISTED_URL", format!("http://127.0.0.1:{}", unlisted.1)),
    ];
    let out = e2e("origin.e2e", chromium, server.url(), env).await;
    assert!(out.contains("e2e ok: cast from the listed origin"), "{out}");
    assert!(out.contains("e2e ok: the static copy's receipt page checked the receipt"), "{out}");
    assert!(out.contains("e2e ok: refused on an unlisted origin"), "{out}");
    assert_eq!(client.get("/api/elections/static").await.unwrap()["log_size"], 1);
}
