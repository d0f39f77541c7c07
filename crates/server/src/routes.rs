//! Every endpoint (see `docs/openapi.json`). Wire types are the record's own documents where the
//! record has one; the few request shapes of their own are defined here.

use crate::convention;
use crate::error::{AppError, AppResult};
use crate::live::{new_secrets, LogKey, LOG_KEY, SESSION_KEY};
use crate::ops::Metrics;
use crate::{voter_code_hash, ActionBody, AppState, JsonBody};
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use convene_crypto::ceremony::{check_round1, verify_ceremony, CeremonyOutcome, CeremonyParams};
use convene_crypto::encoding::{hex32, to_hex};
use convene_record::admission::{self, Refusal};
use convene_record::files;
use convene_record::format::*;
use convene_record::log::{leaf_hash, MerkleTree};
use convene_record::results::{check_trustee_decryption, shares_of};
use convene_record::tally::TallyAccumulator;
use convene_record::writer::{
    base_hash, checkpoints_document, credentials_hasher, decrypt_results, manifest_hash, sign_checkpoint,
};
use convene_store::{NewEntry, Step, StoreError};
use serde::Deserialize;
use serde_json::{json, value::RawValue, Value};
use sha2::Digest;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tower_http::trace::TraceLayer;

type St = State<Arc<AppState>>;

pub fn router(state: Arc<AppState>) -> Router {
    let body_limit = state.config.max_body_bytes;
    let credentials_limit = state.config.max_credentials_bytes;
    // The pages are compressed (a phone on a slow connection downloads a quarter); the API is
    // not, so that server-sent events stream as they happen.
    let pages = Router::new()
        .route("/", get(crate::pages::home))
        .route("/vote/:id", get(crate::pages::booth))
        .route("/results/:id", get(crate::pages::results))
        .route("/assembly/:id", get(crate::pages::assembly))
        .route("/check", get(crate::pages::check))
        .route("/receipt", get(crate::pages::receipt))
        .route("/assets/:file", get(crate::pages::asset))
        .layer(tower_http::compression::CompressionLayer::new());
    Router::new()
        .merge(pages)
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics))
        .route("/api/openapi.json", get(openapi))
        .route("/api/elections", get(list).post(create))
        .route("/api/elections/:id", get(show))
        .route("/api/elections/:id/ceremony", get(ceremony_messages))
        .route("/api/elections/:id/ceremony/round1", post(round1))
        .route("/api/elections/:id/ceremony/shares", post(shares))
        .route("/api/elections/:id/ceremony/complaints", post(complaints))
        .route("/api/elections/:id/ceremony/finish", post(finish_ceremony))
        .route("/api/elections/:id/credentials", post(credentials).layer(DefaultBodyLimit::max(credentials_limit)))
        .route("/api/elections/:id/open", post(open))
        .route("/api/elections/:id/signin", post(signin))
        .route("/api/elections/:id/ballots", post(cast))
        .route("/api/elections/:id/receipts/:index", get(receipt))
        .route("/api/elections/:id/log", get(log_page))
        .route("/api/elections/:id/close", post(close))
        .route("/api/elections/:id/decryptions", post(decryption))
        .route("/api/elections/:id/publish", post(publish))
        .route("/api/elections/:id/record/:file", get(record_file))
        .route("/api/elections/:id/demo", get(demo_voters).post(set_demo_voters))
        .route("/api/conventions", get(convention::list).post(convention::create))
        .route("/api/conventions/:id", get(convention::show))
        .route("/api/conventions/:id/events", post(convention::post_event))
        .route("/api/conventions/:id/stream", get(convention::stream))
        .route("/api/conventions/:id/log", get(log_page))
        .route("/api/conventions/:id/analysis", get(convention::analysis))
        .route("/api/conventions/:id/record/:file", get(convention::record_file))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn wrong_phase(phase: &str, needed: &str) -> AppError {
    AppError::conflict("wrong_phase", format!("the election is in phase {phase:?}; this needs phase {needed}"))
}

/// An election as read once for a request: its phase, its manifest, the manifest's exact bytes.
struct Election {
    phase: String,
    manifest: Manifest,
    manifest_bytes: Vec<u8>,
}

impl Election {
    fn ceremony_params(&self) -> CeremonyParams {
        CeremonyParams {
            manifest_hash: manifest_hash(&self.manifest_bytes),
            n: self.manifest.trustees.n,
            t: self.manifest.trustees.t,
        }
    }
}

/// Reads the election; it must be in one of `phases`.
async fn election_in(state: &AppState, id: &str, phases: &[&str]) -> AppResult<Election> {
    let row = referendum_row(state, id).await?;
    require(&row.phase, phases)?;
    let manifest = Manifest::parse(&row.manifest).map_err(AppError::internal)?;
    Ok(Election { phase: row.phase, manifest, manifest_bytes: row.manifest })
}

/// A supervisor's action on an election in one of `phases`.
async fn supervised(state: &AppState, headers: &HeaderMap, id: &str, phases: &[&str]) -> AppResult<Election> {
    state.require_admin(headers)?;
    election_in(state, id, phases).await
}

/// A referendum's row; a convention's id is not found here (it lives under /api/conventions).
async fn referendum_row(state: &AppState, id: &str) -> AppResult<convene_store::ElectionRow> {
    let row = state.store.election(id).await?;
    if row.kind != "referendum" {
        return Err(AppError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{id:?} is a {}; see /api/conventions/{id}", row.kind),
        ));
    }
    Ok(row)
}

fn require(phase: &str, allowed: &[&str]) -> AppResult<()> {
    if allowed.contains(&phase) {
        Ok(())
    } else {
        Err(wrong_phase(phase, &allowed.join(" or ")))
    }
}

fn step(phase: Option<(&str, &str)>, documents: Vec<(String, Vec<u8>)>) -> Step {
    Step { phase: phase.map(|(a, b)| (a.to_string(), b.to_string())), documents, codes: Vec::new() }
}

// ------------------------------------------------------------------ public and operations

async fn metrics(State(state): St) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render(state.store.backend()))
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("../../../docs/openapi.json"))
}

async fn list(State(state): St) -> AppResult<Json<Value>> {
    let rows = state.store.elections().await?;
    let elections: Vec<Value> = rows
        .iter()
        .filter(|r| r.kind == "referendum")
        .map(|r| {
            let title = Manifest::parse(&r.manifest).map(|m| m.title).unwrap_or_default();
            json!({"id": r.id, "title": title, "phase": r.phase})
        })
        .collect();
    Ok(Json(json!({ "elections": elections })))
}

async fn show(State(state): St, Path(id): Path<String>) -> AppResult<Json<Value>> {
    let row = referendum_row(&state, &id).await?;
    let (phase, manifest) = (row.phase, Manifest::parse(&row.manifest).map_err(AppError::internal)?);
    let election: Option<ElectionJson> =
        state.store.document(&id, files::ELECTION).await.ok().and_then(|b| serde_json::from_slice(&b).ok());
    Ok(Json(json!({
        "id": id,
        "phase": phase,
        "manifest": manifest,
        "base_hash": election.map(|e| e.base_hash),
        "log_size": state.store.log_size(&id).await?,
    })))
}

/// The record's documents, by file name, exactly as `convene verify` reads them.
async fn record_file(State(state): St, Path((id, file)): Path<(String, String)>) -> AppResult<Response> {
    let row = state.store.election(&id).await?;
    let bytes = match file.as_str() {
        files::MANIFEST => row.manifest,
        files::CEREMONY | files::CREDENTIALS | files::ELECTION | files::TALLY | files::DECRYPTION | files::RESULTS => {
            state.store.document(&id, &file).await?
        }
        // A referendum a convention created carries the text it ratifies.
        files::CONSTITUTION_MD => {
            let bytes = state.store.document(&id, &file).await?;
            return Ok(([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], bytes).into_response());
        }
        files::CHECKPOINTS => checkpoints_bytes(&state, &id).await?,
        files::LOG => return Ok(log_stream(&state, &id)),
        other => {
            return Err(AppError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{other:?} is not a record file; the files are {}", record_files().join(", ")),
            ))
        }
    };
    let content_type = if file.ends_with(".jsonl") { "application/x-ndjson" } else { "application/json" };
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// `checkpoints.json` of a referendum's or a convention's log: the signed checkpoints the log
/// covers, with consistency proofs between them.
pub(crate) async fn checkpoints_bytes(state: &AppState, id: &str) -> AppResult<Vec<u8>> {
    let store = state.store.as_ref();
    let mut tree = crate::live::TreeState { tree: MerkleTree::default(), latest: None };
    let size = store.log_size(id).await?;
    tree.catch_up(store, id, size).await?;
    let checkpoints = store
        .checkpoints(id)
        .await?
        .iter()
        .map(|(_, b)| serde_json::from_slice(b))
        .collect::<Result<Vec<CheckpointJson>, _>>()
        .map_err(AppError::internal)?;
    let checkpoints: Vec<CheckpointJson> = checkpoints.into_iter().filter(|c| c.size <= tree.tree.len()).collect();
    serde_json::to_vec_pretty(&checkpoints_document(checkpoints, &tree.tree)).map_err(AppError::internal)
}

/// `log.jsonl`, streamed page by page: memory stays flat however long the log.
pub(crate) fn log_stream(state: &AppState, id: &str) -> Response {
    let store = state.store.clone();
    let id = id.to_string();
    let stream = futures_util::stream::unfold(Some(0u64), move |from| {
        let store = store.clone();
        let id = id.clone();
        async move {
            let from = from?;
            match store.entries(&id, from, 2000).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let next = rows.last().map(|r| r.index + 1);
                    let mut chunk = Vec::new();
                    for row in rows {
                        chunk.extend_from_slice(&row.line);
                        chunk.push(b'\n');
                    }
                    Some((Ok::<_, std::io::Error>(chunk), next))
                }
                Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
            }
        }
    });
    ([(header::CONTENT_TYPE, "application/x-ndjson")], Body::from_stream(stream)).into_response()
}

/// A demonstration referendum's public voter sheets (code and credential key): anyone may vote
/// in it at once from the booth. Only `convene serve --demo` sets them; a real election has none.
const DEMO: &str = "demo.json";

#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct DemoVoter {
    code: String,
    key: String,
}

async fn set_demo_voters(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<Vec<DemoVoter>>,
) -> AppResult<StatusCode> {
    supervised(&state, &headers, &id, &["open"]).await?;
    state.store.put_document(&id, DEMO, &body.bytes).await?;
    Ok(StatusCode::CREATED)
}

async fn demo_voters(State(state): St, Path(id): Path<String>) -> AppResult<Response> {
    referendum_row(&state, &id).await?;
    let bytes = state.store.document(&id, DEMO).await.map_err(|_| {
        AppError::new(StatusCode::NOT_FOUND, "not_found", format!("{id} is not a demonstration referendum"))
    })?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

/// The record's files, in the order `convene fetch` downloads them.
pub fn record_files() -> Vec<&'static str> {
    vec![
        files::MANIFEST,
        files::CEREMONY,
        files::CREDENTIALS,
        files::ELECTION,
        files::LOG,
        files::CHECKPOINTS,
        files::TALLY,
        files::DECRYPTION,
        files::RESULTS,
    ]
}

#[derive(Deserialize)]
struct Page {
    from: Option<u64>,
    limit: Option<u64>,
}

async fn log_page(State(state): St, Path(id): Path<String>, Query(page): Query<Page>) -> AppResult<Response> {
    state.store.election(&id).await?;
    let from = page.from.unwrap_or(0);
    let limit = page.limit.unwrap_or(100).clamp(1, 1000);
    let rows = state.store.entries(&id, from, limit).await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in &rows {
        let text = std::str::from_utf8(&row.line).map_err(AppError::internal)?;
        let entry: &RawValue = serde_json::from_str(text).map_err(AppError::internal)?;
        entries.push(json!({"index": row.index, "tracking_code": to_hex(&row.leaf), "entry": entry}));
    }
    let next = rows.last().map(|r| r.index + 1);
    Ok(Json(json!({"entries": entries, "next": next, "size": state.store.log_size(&id).await?})).into_response())
}

async fn receipt(State(state): St, Path((id, index)): Path<(String, u64)>) -> AppResult<Json<Value>> {
    let live = state.live(&id).await?;
    let tree = live.tree.lock().await;
    let receipt = tree.receipt(index).ok_or_else(|| {
        AppError::new(StatusCode::NOT_FOUND, "not_found", format!("no log entry {index} under a checkpoint yet"))
    })?;
    Ok(Json(serde_json::to_value(receipt).map_err(AppError::internal)?))
}

// ------------------------------------------------------------------ set-up (supervisor)

/// A manifest without its version and log key, which the server adds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewElection {
    pub(crate) election_id: String,
    pub(crate) title: String,
    pub(crate) questions: Vec<Question>,
    pub(crate) regions: Vec<String>,
    pub(crate) trustees: TrusteeCount,
    #[serde(default)]
    pub(crate) ratification: Option<Ratification>,
    #[serde(default)]
    pub(crate) min_region_ballots: u64,
}

async fn create(
    State(state): St,
    headers: HeaderMap,
    body: JsonBody<NewElection>,
) -> AppResult<(StatusCode, Json<Value>)> {
    state.require_admin(&headers)?;
    let manifest = create_referendum(&state, body.value, None, Vec::new()).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": manifest.election_id, "phase": "draft", "manifest": manifest}))))
}

/// Creates a referendum in phase `draft` with its secrets and any first `documents`; the
/// supervisor's endpoint and the convention's hand-off both come here.
pub(crate) async fn create_referendum(
    state: &AppState,
    new: NewElection,
    origin: Option<Origin>,
    mut documents: Vec<(String, Vec<u8>)>,
) -> AppResult<Manifest> {
    if !convene_record::convention::valid_id(&new.election_id) {
        return Err(AppError::bad_request("bad_id", "election_id must be 1 to 64 characters of a-z, 0-9 and -"));
    }
    let (log_secret, session_key) = new_secrets();
    let log_public = convene_crypto::Point::from(convene_crypto::RistrettoPoint::mul_base(&log_secret));
    let manifest = Manifest {
        version: RECORD_VERSION,
        election_id: new.election_id.clone(),
        title: new.title,
        questions: new.questions,
        regions: new.regions,
        trustees: new.trustees,
        log_key: log_public.to_hex(),
        ratification: new.ratification,
        min_region_ballots: new.min_region_ballots,
        origin,
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest).map_err(AppError::internal)?;
    bytes.push(b'\n');
    Manifest::parse(&bytes).map_err(|e| AppError::bad_request("bad_manifest", e.to_string()))?;
    CeremonyParams { manifest_hash: [0; 32], n: manifest.trustees.n, t: manifest.trustees.t }
        .check()
        .map_err(|e| AppError::bad_request("bad_manifest", e.to_string()))?;
    documents.push((LOG_KEY.to_string(), log_secret.to_bytes().to_vec()));
    documents.push((SESSION_KEY.to_string(), session_key.to_vec()));
    state.store.create_election(&manifest.election_id, "referendum", &bytes, "draft", &documents).await?;
    tracing::info!(election = %manifest.election_id, "election created");
    Ok(manifest)
}

fn trustee_name(kind: &str, trustee: u32) -> String {
    format!("{kind}/{trustee:03}")
}

/// The ceremony's public messages so far, in the shape of `ceremony.json` (outcome pending).
async fn ceremony_messages(State(state): St, Path(id): Path<String>) -> AppResult<Json<CeremonyJson>> {
    state.store.election(&id).await?;
    Ok(Json(gather_ceremony(&state, &id).await?))
}

async fn round1(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<Round1Json>,
) -> AppResult<StatusCode> {
    let election = supervised(&state, &headers, &id, &["draft", "ceremony"]).await?;
    let phase = election.phase.as_str();
    let message = body.value;
    let params = election.ceremony_params();
    if message.trustee == 0 || message.trustee > params.n {
        return Err(AppError::bad_request("bad_trustee", format!("trustee must be between 1 and {}", params.n)));
    }
    let json = CeremonyJson {
        version: RECORD_VERSION,
        round1: vec![message.clone()],
        shares: vec![],
        complaints: vec![],
        outcome: OutcomeJson::pending(),
    };
    let (decoded, _, _) = json.decode_messages().map_err(|e| AppError::bad_request("bad_round1", e.to_string()))?;
    check_round1(&params, &decoded[0]).map_err(|why| AppError::bad_request("bad_round1", why))?;
    let doc = (trustee_name("round1", message.trustee), body.bytes.to_vec());
    let moved = if phase == "draft" { Some(("draft", "ceremony")) } else { None };
    match state.store.commit_step(&id, step(moved, vec![doc.clone()])).await {
        // Another trustee's first message moved the phase meanwhile: store ours alone.
        Err(StoreError::Conflict(m)) if moved.is_some() && m.contains("phase") => {
            state.store.commit_step(&id, step(None, vec![doc])).await?
        }
        other => other?,
    }
    Ok(StatusCode::CREATED)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DealtShares {
    dealer: u32,
    shares: Vec<ShareJson>,
}

async fn shares(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<DealtShares>,
) -> AppResult<StatusCode> {
    let election = supervised(&state, &headers, &id, &["ceremony"]).await?;
    let dealt = body.value;
    let n = election.manifest.trustees.n;
    let mut recipients = std::collections::BTreeSet::new();
    for s in &dealt.shares {
        let ok = s.dealer == dealt.dealer
            && s.recipient >= 1
            && s.recipient <= n
            && s.recipient != dealt.dealer
            && recipients.insert(s.recipient);
        if !ok {
            return Err(AppError::bad_request(
                "bad_shares",
                "each share must be from the dealer to a distinct other trustee in 1..=n",
            ));
        }
        let r = point("share.R", &s.r)
            .and_then(|r| scalar("share.u", &s.u).map(|_| r))
            .map_err(|e| AppError::bad_request("bad_shares", e.to_string()))?;
        if r.is_identity() {
            return Err(AppError::bad_request(
                "unopenable_share",
                format!("the share for trustee {} has R = identity: it cannot be opened", s.recipient),
            ));
        }
    }
    state.store.put_document(&id, &trustee_name("shares", dealt.dealer), &body.bytes).await?;
    Ok(StatusCode::CREATED)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Complaints {
    accuser: u32,
    complaints: Vec<ComplaintJson>,
}

async fn complaints(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<Complaints>,
) -> AppResult<StatusCode> {
    supervised(&state, &headers, &id, &["ceremony"]).await?;
    if body.value.complaints.iter().any(|c| c.accuser != body.value.accuser) {
        return Err(AppError::bad_request("bad_complaints", "every complaint must be the accuser's own"));
    }
    state.store.put_document(&id, &trustee_name("complaints", body.value.accuser), &body.bytes).await?;
    Ok(StatusCode::CREATED)
}

/// The ceremony's messages as they stand, as a `ceremony.json` without its outcome.
async fn gather_ceremony(state: &AppState, id: &str) -> AppResult<CeremonyJson> {
    let mut doc = CeremonyJson {
        version: RECORD_VERSION,
        round1: vec![],
        shares: vec![],
        complaints: vec![],
        outcome: OutcomeJson::pending(),
    };
    for (_, b) in state.store.documents(id, "round1/").await? {
        doc.round1.push(serde_json::from_slice(&b).map_err(AppError::internal)?);
    }
    for (_, b) in state.store.documents(id, "shares/").await? {
        let dealt: DealtShares = serde_json::from_slice(&b).map_err(AppError::internal)?;
        doc.shares.extend(dealt.shares);
    }
    for (_, b) in state.store.documents(id, "complaints/").await? {
        let c: Complaints = serde_json::from_slice(&b).map_err(AppError::internal)?;
        doc.complaints.extend(c.complaints);
    }
    Ok(doc)
}

async fn finish_ceremony(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    _body: ActionBody,
) -> AppResult<Json<Value>> {
    let params = supervised(&state, &headers, &id, &["ceremony"]).await?.ceremony_params();
    let gathered = gather_ceremony(&state, &id).await?;
    let (round1, shares, complaints) = gathered.decode_messages().map_err(AppError::internal)?;
    let (outcome, findings) = verify_ceremony(&params, &round1, &shares, &complaints)
        .map_err(|e| AppError::conflict("ceremony_failed", format!("the ceremony cannot complete: {e}")))?;
    let doc = CeremonyJson::from_messages(&round1, &shares, &complaints, &outcome);
    let bytes = serde_json::to_vec_pretty(&doc).map_err(AppError::internal)?;
    state.store.put_document(&id, files::CEREMONY, &bytes).await?;
    tracing::info!(election = %id, qualified = ?outcome.qualified, "key ceremony complete");
    Ok(Json(json!({
        "qualified": outcome.qualified,
        "election_key": outcome.key.to_hex(),
        "findings": findings.iter().map(|f| format!("{f:?}")).collect::<Vec<_>>(),
    })))
}

fn outcome_of(doc: &CeremonyJson) -> AppResult<CeremonyOutcome> {
    doc.outcome().map_err(AppError::internal)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeJson {
    code_hash: String,
    credential: String,
}

/// What the registrar's tool hands over: the public credential list and the hashes of the voters'
/// one-time codes (never the codes themselves).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    credentials: Vec<CredentialEntry>,
    codes: Vec<CodeJson>,
}

/// One credential of the upload; the same fields as a line of `credentials.jsonl`.
#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct CredentialEntry {
    credential: String,
    region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weight: Option<u32>,
}

async fn credentials(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<Credentials>,
) -> AppResult<Json<Value>> {
    state.require_admin(&headers)?;
    let row = state.store.election(&id).await?;
    require(&row.phase, &["ceremony"])?;
    let manifest = Manifest::parse(&row.manifest).map_err(AppError::internal)?;
    let ceremony: CeremonyJson = match state.store.document(&id, files::CEREMONY).await {
        Ok(b) => serde_json::from_slice(&b).map_err(AppError::internal)?,
        Err(StoreError::NotFound(_)) => {
            return Err(AppError::conflict("wrong_phase", "finish the key ceremony before publishing credentials"))
        }
        Err(e) => return Err(e.into()),
    };
    let outcome = outcome_of(&ceremony)?;
    let mut lines = String::new();
    let mut seen = std::collections::HashSet::new();
    for (i, c) in body.value.credentials.iter().enumerate() {
        let line = serde_json::to_vec(c).map_err(AppError::internal)?;
        let listed = parse_credential_line(&line, &manifest)
            .map_err(|e| AppError::bad_request("bad_credentials", format!("credential {i}: {e}")))?;
        if !seen.insert(*listed.credential.bytes()) {
            return Err(AppError::bad_request("bad_credentials", format!("credential {i} is listed twice")));
        }
        lines.push_str(&credential_line(&listed.credential, &manifest.regions[listed.region], listed.weight));
    }
    if seen.is_empty() {
        return Err(AppError::bad_request("bad_credentials", "the credential list is empty"));
    }
    let mut codes = Vec::with_capacity(body.value.codes.len());
    for (i, c) in body.value.codes.iter().enumerate() {
        let bad = |m: &str| AppError::bad_request("bad_codes", format!("code {i}: {m}"));
        let code_hash = hex32(&c.code_hash).map_err(|e| bad(&e.to_string()))?;
        let credential = hex32(&c.credential).map_err(|e| bad(&e.to_string()))?;
        if !seen.contains(&credential) {
            return Err(bad("its credential is not on the list"));
        }
        codes.push((code_hash, credential));
    }
    let mut hasher = credentials_hasher(lines.len() as u64);
    hasher.update(lines.as_bytes());
    let credentials_hash: [u8; 32] = hasher.finalize().into();
    let manifest_hash = manifest_hash(&row.manifest);
    let base = base_hash(&manifest_hash, &credentials_hash, &manifest, &outcome);
    let election = ElectionJson {
        version: RECORD_VERSION,
        manifest_hash: to_hex(&manifest_hash),
        credentials_hash: to_hex(&credentials_hash),
        base_hash: to_hex(&base),
    };
    let election_bytes = serde_json::to_vec_pretty(&election).map_err(AppError::internal)?;
    let step = Step {
        phase: Some(("ceremony".into(), "credentials".into())),
        documents: vec![(files::CREDENTIALS.into(), lines.into_bytes()), (files::ELECTION.into(), election_bytes)],
        codes,
    };
    state.store.commit_step(&id, step).await?;
    tracing::info!(election = %id, credentials = seen.len(), "credentials published");
    Ok(Json(json!({"credentials": seen.len(), "base_hash": election.base_hash})))
}

async fn open(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    _body: ActionBody,
) -> AppResult<Json<Value>> {
    state.require_admin(&headers)?;
    state.store.advance_phase(&id, "credentials", "open").await.map_err(|e| match e {
        StoreError::Conflict(m) => AppError::conflict("wrong_phase", m),
        e => e.into(),
    })?;
    state.live(&id).await?;
    tracing::info!(election = %id, "voting open");
    Ok(Json(json!({"phase": "open"})))
}

// ------------------------------------------------------------------ voting

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignIn {
    code: String,
}

async fn signin(
    State(state): St,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    body: JsonBody<SignIn>,
) -> AppResult<Json<Value>> {
    if !state.limiter.allow(peer.ip()) {
        Metrics::inc(&state.metrics.signins_rate_limited);
        return Err(AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many sign-in attempts from this address; wait a minute",
        ));
    }
    election_in(&state, &id, &["open"]).await?;
    let credential = match state.store.spend_code(&id, &voter_code_hash(&id, &body.value.code)).await {
        Ok(c) => c,
        Err(StoreError::NotFound(_)) => {
            Metrics::inc(&state.metrics.signins_rejected);
            return Err(AppError::new(
                StatusCode::UNAUTHORIZED,
                "unknown_code",
                "this voter code is not known; check it on your sheet",
            ));
        }
        Err(StoreError::Conflict(_)) => {
            Metrics::inc(&state.metrics.signins_rejected);
            return Err(AppError::conflict(
                "spent_code",
                "this voter code has already been used; use another code from your sheet",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let live = state.live(&id).await?;
    let expires = now() + state.config.session_seconds;
    Metrics::inc(&state.metrics.signins);
    // The voter's region, so that the booth need not download the whole credential list.
    let region = live.electorate.voter(&credential).map(|v| live.electorate.regions()[v.region as usize].clone());
    Ok(Json(json!({
        "session": live.session_token(&id, &credential, expires),
        "credential": to_hex(&credential),
        "region": region,
        "expires": expires,
    })))
}

/// The door's answer to a ballot that fails the record's checks: the first refusal decides the
/// status and code, and the message lists them all.
fn refused(state: &AppState, refusals: &[Refusal]) -> AppError {
    let (status, code) = match refusals.first() {
        Some(Refusal::Ineligible(_)) => (StatusCode::FORBIDDEN, "not_eligible"),
        Some(Refusal::Proof(_)) => (StatusCode::BAD_REQUEST, "bad_proof"),
        Some(Refusal::Reveal(_)) => (StatusCode::BAD_REQUEST, "bad_reveal"),
        Some(Refusal::Repeated { .. } | Refusal::RepeatedPending) => (StatusCode::CONFLICT, "repeated_ballot"),
        Some(Refusal::ReusesReveal { .. }) => (StatusCode::BAD_REQUEST, "reuses_reveal"),
        Some(Refusal::IdentityCiphertext { .. } | Refusal::Unreadable(_)) | None => {
            (StatusCode::BAD_REQUEST, "bad_ballot")
        }
    };
    let all: Vec<String> = refusals.iter().map(|r| r.to_string()).collect();
    let message = match all.as_slice() {
        [one] => one.clone(),
        _ => format!("{} (all failures: {})", all[0], all.join("; ")),
    };
    reject(state, status, code, message)
}

fn reject(state: &AppState, status: StatusCode, code: &'static str, message: String) -> AppError {
    Metrics::inc(&state.metrics.ballots_rejected);
    AppError::new(status, code, message)
}

async fn cast(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<Box<RawValue>>,
) -> AppResult<Json<Value>> {
    let started = Instant::now();
    election_in(&state, &id, &["open"]).await?;
    let live = state.live(&id).await?;
    let token = crate::bearer(&headers).ok_or_else(|| {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            "bad_session",
            "casting needs the session from sign-in: Authorization: Bearer SESSION",
        )
    })?;
    let credential = live.check_session(&id, token, now())?;
    let entry = LogEntry::parse(body.bytes.as_ref())
        .map_err(|e| reject(&state, StatusCode::BAD_REQUEST, "bad_ballot", e.to_string()))?;
    let ballot = entry.ballot();
    if *ballot.credential.bytes() != credential {
        return Err(reject(
            &state,
            StatusCode::FORBIDDEN,
            "not_your_credential",
            "the ballot is signed with another voter's credential".into(),
        ));
    }
    // The verifier's own list of checks (`convene_record::admission`), in the same order.
    admission::check_entry(&live.context, &live.electorate, &entry).map_err(|refusals| refused(&state, &refusals))?;
    live.order().admit(None, &entry).map_err(|refusal| refused(&state, &[refusal]))?;
    let leaf = leaf_hash(&entry.entry_bytes(&live.context.base));
    let line = entry.to_json_line().into_bytes();
    let index = match live.appender.append(NewEntry { leaf, credential, line }).await {
        Ok(index) => {
            live.order().placed(&entry, index);
            index
        }
        Err(e) => {
            live.order().withdraw(&entry);
            return Err(e.into());
        }
    };
    let receipt = live
        .tree
        .lock()
        .await
        .receipt(index)
        .ok_or_else(|| AppError::internal("no checkpoint covers a committed ballot"))?;
    match entry {
        LogEntry::Cast(_) => Metrics::inc(&state.metrics.ballots_accepted),
        LogEntry::Spoiled(..) => Metrics::inc(&state.metrics.spoiled_accepted),
    }
    state.metrics.cast_micros.fetch_add(started.elapsed().as_micros() as u64, std::sync::atomic::Ordering::Relaxed);
    Ok(Json(serde_json::to_value(receipt).map_err(AppError::internal)?))
}

// ------------------------------------------------------------------ counting

async fn close(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    _body: ActionBody,
) -> AppResult<Json<Value>> {
    let election = supervised(&state, &headers, &id, &["open", "closed"]).await?;
    if election.phase == "open" {
        state.store.advance_phase(&id, "open", "closed").await?;
    }
    // Every cast that began while voting was open has committed (or been refused) before the count.
    state.store.drain_appends(&id).await?;
    let live = state.live(&id).await?;
    // A final checkpoint covering the whole log (there is one already unless the log is empty).
    {
        let mut tree = live.tree.lock().await;
        let size = state.store.log_size(&id).await?;
        tree.catch_up(state.store.as_ref(), &id, size).await?;
        if tree.latest.as_ref().map(|c| c.size) != Some(tree.tree.len()) {
            let key = LogKey::load(state.store.as_ref(), &id).await?;
            let checkpoint = sign_checkpoint(
                &manifest_hash(&election.manifest_bytes),
                &key.secret,
                &key.public,
                &tree.tree,
                &mut rand_core::OsRng,
            );
            state
                .store
                .put_checkpoint(&id, checkpoint.size, &serde_json::to_vec(&checkpoint).map_err(AppError::internal)?)
                .await?;
            tree.latest = Some(checkpoint);
        }
    }
    // The tally: every entry again, the last cast ballot per credential counting.
    let mut tally = TallyAccumulator::new(election.manifest.shapes(), &live.electorate);
    let mut from = 0;
    loop {
        let rows = state.store.entries(&id, from, 5000).await?;
        let Some(last) = rows.last() else { break };
        from = last.index + 1;
        for row in rows {
            if let LogEntry::Cast(ballot) = LogEntry::parse(&row.line).map_err(AppError::internal)? {
                let voter = live.electorate.check(&ballot).map_err(AppError::internal)?;
                tally.count(row.index, voter, &ballot);
            }
        }
    }
    let scopes = tally.scopes(election.manifest.min_region_ballots);
    let doc = serde_json::to_vec_pretty(&TallyJson::from_scopes(&scopes)).map_err(AppError::internal)?;
    state.store.commit_step(&id, step(Some(("closed", "tallied")), vec![(files::TALLY.into(), doc)])).await?;
    tracing::info!(election = %id, counted = scopes.last().map(|s| s.1.counted), "closed and tallied");
    Ok(Json(
        json!({"phase": "tallied", "counted": scopes.last().map(|s| s.1.counted), "superseded": tally.superseded()}),
    ))
}

async fn published_tally(state: &AppState, id: &str) -> AppResult<Vec<(String, convene_record::tally::ScopeSum)>> {
    let tally: TallyJson =
        serde_json::from_slice(&state.store.document(id, files::TALLY).await?).map_err(AppError::internal)?;
    tally.decode_scopes().map_err(|(_, e)| AppError::internal(e))
}

async fn decryption(
    State(state): St,
    Path(id): Path<String>,
    body: JsonBody<TrusteeDecryptionJson>,
) -> AppResult<(StatusCode, Json<Value>)> {
    election_in(&state, &id, &["tallied"]).await?;
    let ceremony: CeremonyJson =
        serde_json::from_slice(&state.store.document(&id, files::CEREMONY).await?).map_err(AppError::internal)?;
    let outcome = outcome_of(&ceremony)?;
    let j = body.value.trustee;
    let key = outcome.verification_key(j).ok_or_else(|| {
        AppError::bad_request("not_qualified", format!("trustee {j} is not a qualified trustee of this election"))
    })?;
    let live = state.live(&id).await?;
    let scopes = published_tally(&state, &id).await?;
    let (_, failures) = check_trustee_decryption(&live.context.base, key, &scopes, &body.value);
    if !failures.is_empty() {
        let listed: Vec<String> = failures.iter().take(5).map(|f| f.to_string()).collect();
        return Err(AppError::bad_request(
            "bad_decryption",
            format!("{} partial decryption(s) do not verify: {}", failures.len(), listed.join("; ")),
        ));
    }
    state.store.put_document(&id, &trustee_name("decryption", j), &body.bytes).await?;
    Ok((StatusCode::CREATED, Json(json!({"trustee": j, "accepted": true}))))
}

async fn publish(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    _body: ActionBody,
) -> AppResult<Json<Value>> {
    let election = supervised(&state, &headers, &id, &["tallied", "decrypted"]).await?;
    let manifest = &election.manifest;
    let scopes = published_tally(&state, &id).await?;
    if election.phase == "tallied" {
        let mut trustees: Vec<TrusteeDecryptionJson> = Vec::new();
        for (_, b) in state.store.documents(&id, "decryption/").await? {
            trustees.push(serde_json::from_slice(&b).map_err(AppError::internal)?);
        }
        if trustees.len() < manifest.trustees.t as usize {
            return Err(AppError::conflict(
                "too_few_decryptions",
                format!("{} trustee(s) have decrypted; {} are needed", trustees.len(), manifest.trustees.t),
            ));
        }
        let doc = DecryptionJson { version: RECORD_VERSION, trustees };
        let bytes = serde_json::to_vec_pretty(&doc).map_err(AppError::internal)?;
        state
            .store
            .commit_step(&id, step(Some(("tallied", "decrypted")), vec![(files::DECRYPTION.into(), bytes)]))
            .await?;
    }
    let doc: DecryptionJson =
        serde_json::from_slice(&state.store.document(&id, files::DECRYPTION).await?).map_err(AppError::internal)?;
    let shares = shares_of(&doc, &scopes).map_err(AppError::internal)?;
    let registered = state.live(&id).await?.electorate.registered_by_region();
    let results = decrypt_results(manifest, &scopes, &shares, &registered).map_err(AppError::internal)?;
    let bytes = serde_json::to_vec_pretty(&results).map_err(AppError::internal)?;
    state.store.commit_step(&id, step(Some(("decrypted", "published")), vec![(files::RESULTS.into(), bytes)])).await?;
    tracing::info!(election = %id, "results published");
    Ok(Json(serde_json::to_value(results).map_err(AppError::internal)?))
}
