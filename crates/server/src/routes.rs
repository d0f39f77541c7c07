//! Every endpoint (see `docs/openapi.json`). Wire types are the record's own documents where the
//! record has one; the few request shapes of their own are defined here.

use crate::convention;
use crate::error::{AppError, AppResult};
use crate::live::{new_secrets, LOG_KEY, SESSION_KEY};
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
use convene_record::actors::{
    acknowledgement_message, authenticated_messages, codes_message, complaints_message, round1_message, shares_message,
    signed_by, AcknowledgementJson, AcknowledgementsJson, Actor, AuthorityJson, RegionCountJson, RegistrarJson,
    TAG_ACKNOWLEDGEMENT, TAG_AUTHORITY, TAG_CODES, TAG_COMPLAINTS, TAG_REGISTRAR, TAG_ROUND1, TAG_SHARES,
};
use convene_record::admission::{self, Refusal};
use convene_record::checkpoint::{default_origin, LogSigner, WITNESSED_VERSION};
use convene_record::files;
use convene_record::format::*;
use convene_record::log::{leaf_hash, MerkleTree};
use convene_record::results::{check_trustee_decryption, decryption_signed, shares_of};
use convene_record::tally::TallyAccumulator;
use convene_record::writer::{base_hash, checkpoints_document, credentials_hasher, decrypt_results, manifest_hash};
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
        .route("/check", get(check_page))
        .route("/receipt", get(receipt_page))
        .route("/assets/:file", get(crate::pages::asset))
        .layer(tower_http::compression::CompressionLayer::new());
    // The log as tlog-tiles (docs/protocol.md §13.6), with the record beside it: public, and
    // read by the receipt and check pages of any origin.
    let logs = Router::new()
        .route("/logs/:id/checkpoint", get(tiles_checkpoint))
        .route("/logs/:id/tile/*path", get(tile))
        .route("/logs/:id/record/:file", get(record_file))
        .layer(axum::middleware::map_response(readable_from_any_origin));
    Router::new()
        .merge(pages)
        .merge(logs)
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics))
        .route("/api/openapi.json", get(openapi))
        .route("/api/elections", get(list).post(create))
        .route("/api/elections/:id", get(show))
        .route("/api/elections/:id/ceremony", get(ceremony_messages))
        .route("/api/elections/:id/authority", post(authority))
        .route("/api/elections/:id/ceremony/round1", post(round1))
        .route("/api/elections/:id/ceremony/shares", post(shares))
        .route("/api/elections/:id/ceremony/complaints", post(complaints))
        .route("/api/elections/:id/ceremony/finish", post(finish_ceremony))
        .route("/api/elections/:id/credentials", post(credentials).layer(DefaultBodyLimit::max(credentials_limit)))
        .route("/api/elections/:id/acknowledgements", post(acknowledge))
        .route("/api/elections/:id/codes", post(issued_codes))
        .route("/api/elections/:id/open", post(open))
        .route("/api/elections/:id/signin", post(signin))
        .route("/api/elections/:id/ballots", post(cast))
        .route("/api/elections/:id/receipts/:index", get(receipt))
        .route("/api/elections/:id/consistency", get(consistency))
        .route("/api/elections/:id/log", get(log_page))
        .route("/api/elections/:id/close", post(close))
        .route("/api/elections/:id/decryptions", post(decryption))
        .route("/api/elections/:id/publish", post(publish))
        .route("/api/elections/:id/record/:file", get(record_file))
        .route("/api/elections/:id/demo", get(demo_voters).post(set_demo_voters))
        .route("/api/conventions", get(convention::list).post(convention::create))
        .route("/api/conventions/:id", get(convention::show))
        .route("/api/conventions/:id/events", post(convention::post_event))
        .route("/api/conventions/:id/checkpoint", get(convention::checkpoint))
        .route("/api/conventions/:id/stream", get(convention::stream))
        .route("/api/conventions/:id/log", get(log_page))
        .route("/api/conventions/:id/analysis", get(convention::analysis))
        .route("/api/conventions/:id/record/:file", get(convention::record_file))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), booth_cors))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Static copies of the booth on other origins (a version-4 manifest's `booth_origins`): their
/// requests to that election's API are answered with CORS headers naming the origin, and their
/// preflights at once; any other origin gets no CORS header, so browsers refuse it the answer.
async fn booth_cors(State(state): St, request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let headers = request.headers();
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).map(str::to_string);
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let election = request.uri().path().strip_prefix("/api/elections/").and_then(|rest| rest.split('/').next());
    let allowed = match (&origin, election) {
        // Same origin (browsers send Origin with a same-origin POST too): nothing to do.
        (Some(o), _) if o.split_once("://").map(|(_, h)| h) == Some(host) => None,
        (Some(o), Some(id)) if !id.is_empty() => match state.store.election(id).await {
            Ok(row) => Manifest::parse(&row.manifest).ok().filter(|m| m.booth_origins.contains(o)).map(|_| o.clone()),
            Err(_) => None,
        },
        _ => None,
    };
    let value = allowed.as_deref().and_then(|o| header::HeaderValue::from_str(o).ok());
    if request.method() == axum::http::Method::OPTIONS {
        if let Some(value) = value {
            return (
                StatusCode::NO_CONTENT,
                [
                    (header::ACCESS_CONTROL_ALLOW_ORIGIN, value),
                    (header::ACCESS_CONTROL_ALLOW_METHODS, header::HeaderValue::from_static("GET, POST")),
                    (
                        header::ACCESS_CONTROL_ALLOW_HEADERS,
                        header::HeaderValue::from_static("content-type, authorization"),
                    ),
                    (header::ACCESS_CONTROL_MAX_AGE, header::HeaderValue::from_static("600")),
                    (header::VARY, header::HeaderValue::from_static("origin")),
                ],
            )
                .into_response();
        }
    }
    let mut response = next.run(request).await;
    if let Some(value) = value {
        response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        response.headers_mut().insert(header::VARY, header::HeaderValue::from_static("origin"));
    }
    response
}

/// The policy every response carries: scripts, styles and connections from this origin only
/// (no inline script anywhere), never framed (the booth cannot be overlaid), no content-type
/// sniffing, and no referrer sent on, so a page's address leaves nothing behind it.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The receipt page (`/receipt?election=ID[&copy=URL]`): its policy also lets it ask that
/// election's witnesses, and no one else, for their latest checkpoints (protocol note §13.4),
/// and read the copy of the log its address names (§13.6).
async fn receipt_page(State(state): St, Query(params): Query<std::collections::HashMap<String, String>>) -> Response {
    let mut origins = Vec::new();
    if let Some(id) = params.get("election") {
        if let Ok(row) = state.store.election(id).await {
            if let Ok(manifest) = Manifest::parse(&row.manifest) {
                origins = manifest.witnesses.iter().filter_map(|w| plain_origin(&w.url)).collect();
            }
        }
    }
    connecting_to(crate::pages::receipt().await, origins, &params)
}

/// The check page (`/check[?copy=URL]`): its policy lets it read the copy of the log its address
/// names (§13.6).
async fn check_page(Query(params): Query<std::collections::HashMap<String, String>>) -> Response {
    connecting_to(crate::pages::check().await, Vec::new(), &params)
}

/// `page` with a policy that lets it connect to `origins` and to the origin of `?copy=`.
fn connecting_to(
    mut page: Response,
    mut origins: Vec<String>,
    params: &std::collections::HashMap<String, String>,
) -> Response {
    origins.extend(params.get("copy").and_then(|copy| plain_origin(copy)));
    let policy = CONTENT_SECURITY_POLICY
        .replace("connect-src 'self'", format!("connect-src 'self' {}", origins.join(" ")).trim_end());
    if let Ok(value) = header::HeaderValue::from_str(&policy) {
        page.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    page
}

async fn readable_from_any_origin(mut response: Response) -> Response {
    response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, header::HeaderValue::from_static("*"));
    response
}

async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::header::{self, HeaderValue};
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
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

/// A trustee's ceremony message: in version 2 its author's signature authenticates it and no
/// token is needed (nor does the supervisor's token stand in for it); in version 1 the
/// supervisor uploads it.
async fn from_trustee(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    phases: &[&str],
    signed: impl FnOnce(&Election) -> bool,
) -> AppResult<Election> {
    let election = election_in(state, id, phases).await?;
    if election.manifest.version < 2 {
        state.require_admin(headers)?;
        return Ok(election);
    }
    if !signed(&election) {
        return Err(AppError::new(
            StatusCode::FORBIDDEN,
            "bad_signature",
            "this message is not signed by the trustee's key that the manifest names (protocol note §9)",
        ));
    }
    Ok(election)
}

/// A version-2 ceremony starts only once the authority has signed the manifest.
async fn authorized(state: &AppState, id: &str) -> AppResult<()> {
    match state.store.document(id, files::AUTHORITY).await {
        Ok(_) => Ok(()),
        Err(StoreError::NotFound(_)) => Err(AppError::conflict(
            "not_authorized",
            "the election authority has not signed the manifest yet: convene authority sign (POST …/authority)",
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthoritySignature {
    signature: SignatureJson<'static>,
}

/// The authority's signature of a version-2 manifest: checked against the key the manifest
/// names, and kept as `authority.json`.
async fn authority(
    State(state): St,
    Path(id): Path<String>,
    body: JsonBody<AuthoritySignature>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let election = election_in(&state, &id, &["draft"]).await?;
    let Some(key) = election.manifest.authority.as_ref().and_then(|a| a.public().ok()) else {
        return Err(AppError::bad_request("no_authority", "this election's manifest (version 1) names no authority"));
    };
    if !signed_by(TAG_AUTHORITY, &manifest_hash(&election.manifest_bytes), &key, b"", &body.value.signature) {
        return Err(AppError::new(
            StatusCode::FORBIDDEN,
            "bad_signature",
            "this is not the authority's signature of this manifest (protocol note §9)",
        ));
    }
    let doc = AuthorityJson { version: election.manifest.version, signature: body.value.signature };
    state
        .store
        .put_document(&id, files::AUTHORITY, &serde_json::to_vec_pretty(&doc).map_err(AppError::internal)?)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"signed": true}))))
}

/// The registrar's statement on a credential list as the server computes it, with the signature
/// the registrar gave (checked by the caller). No weight may exceed the manifest's maximum.
fn registrar_statement(
    manifest: &Manifest,
    lines: &str,
    credentials_hash: &[u8; 32],
    signature: Option<SignatureJson<'static>>,
) -> Result<RegistrarJson, String> {
    let signature =
        signature.ok_or("a version-2 election needs the registrar's signature of its list (registrar_signature)")?;
    let max = manifest.max_weight.unwrap_or(1);
    let mut regions: Vec<RegionCountJson> =
        manifest.regions.iter().map(|r| RegionCountJson { region: r.clone(), credentials: 0, weight: 0 }).collect();
    for (k, line) in lines.lines().enumerate() {
        let listed = parse_credential_line(line.as_bytes(), manifest)?;
        if listed.weight > max {
            return Err(format!("credential {k} has weight {}; the manifest allows at most {max}", listed.weight));
        }
        regions[listed.region].credentials += 1;
        regions[listed.region].weight += listed.weight as u64;
    }
    Ok(RegistrarJson {
        version: manifest.version,
        credentials_hash: to_hex(credentials_hash),
        credentials: regions.iter().map(|r| r.credentials).sum(),
        weight: regions.iter().map(|r| r.weight).sum(),
        regions,
        signature,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuedCodes {
    codes: Vec<CodeJson>,
    signature: SignatureJson<'static>,
}

/// The code issuer's upload of sign-in codes (version 2, when the manifest names an issuer):
/// signed with its key, for credentials on the published list, once. The registrar, who holds
/// every credential secret, then has no code to sign in with.
async fn issued_codes(
    State(state): St,
    Path(id): Path<String>,
    body: JsonBody<IssuedCodes>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let election = election_in(&state, &id, &["credentials"]).await?;
    let Some(issuer) = election.manifest.code_issuer.as_ref().and_then(|a| a.public().ok()) else {
        return Err(AppError::bad_request(
            "no_code_issuer",
            "this election names no code issuer: its codes come with the registrar's list",
        ));
    };
    let mut listed = std::collections::HashSet::new();
    for line in state.store.document(&id, files::CREDENTIALS).await?.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let c = parse_credential_line(line, &election.manifest).map_err(AppError::internal)?;
        listed.insert(*c.credential.bytes());
    }
    let mut codes = Vec::with_capacity(body.value.codes.len());
    for (i, c) in body.value.codes.iter().enumerate() {
        let bad = |m: &str| AppError::bad_request("bad_codes", format!("code {i}: {m}"));
        let code_hash = hex32(&c.code_hash).map_err(|e| bad(&e.to_string()))?;
        let credential = hex32(&c.credential).map_err(|e| bad(&e.to_string()))?;
        if !listed.contains(&credential) {
            return Err(bad("its credential is not on the list"));
        }
        codes.push((code_hash, credential));
    }
    if codes.is_empty() {
        return Err(AppError::bad_request("bad_codes", "no codes"));
    }
    if !signed_by(
        TAG_CODES,
        &manifest_hash(&election.manifest_bytes),
        &issuer,
        &codes_message(&codes),
        &body.value.signature,
    ) {
        return Err(AppError::new(
            StatusCode::FORBIDDEN,
            "bad_signature",
            "not the code issuer's signature of these codes (protocol note §9)",
        ));
    }
    let count = codes.len();
    // Written once: a second upload (or anyone else's) is refused.
    let marker = (
        CODES_ISSUED.to_string(),
        to_hex(&convene_crypto::encoding::hash256(TAG_CODES, &[&codes_message(&codes)])).into_bytes(),
    );
    state.store.commit_step(&id, Step { phase: None, documents: vec![marker], codes }).await?;
    Ok((StatusCode::CREATED, Json(json!({"codes": count}))))
}

/// Marks that the code issuer's codes are in (their hash; the codes stay secret).
const CODES_ISSUED: &str = "secret/codes-issued";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Acknowledgement {
    trustee: u32,
    signature: SignatureJson<'static>,
}

/// A qualified trustee's acknowledgement of `K`, its `X_j` and the base hash (version 2),
/// after the credential list is published and before voting opens.
async fn acknowledge(
    State(state): St,
    Path(id): Path<String>,
    body: JsonBody<Acknowledgement>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let election = election_in(&state, &id, &["credentials"]).await?;
    let j = body.value.trustee;
    let ceremony: CeremonyJson =
        serde_json::from_slice(&state.store.document(&id, files::CEREMONY).await?).map_err(AppError::internal)?;
    let outcome = outcome_of(&ceremony)?;
    let (Some(verification_key), Some(key)) = (outcome.verification_key(j), election.manifest.trustee_key(j)) else {
        return Err(AppError::bad_request(
            "not_qualified",
            format!("trustee {j} is not a qualified trustee of this election"),
        ));
    };
    let election_json: ElectionJson =
        serde_json::from_slice(&state.store.document(&id, files::ELECTION).await?).map_err(AppError::internal)?;
    let base = hex32(&election_json.base_hash).map_err(AppError::internal)?;
    let message = acknowledgement_message(j, &base, &outcome.key, verification_key);
    if !signed_by(TAG_ACKNOWLEDGEMENT, &manifest_hash(&election.manifest_bytes), &key, &message, &body.value.signature)
    {
        return Err(AppError::new(
            StatusCode::FORBIDDEN,
            "bad_signature",
            format!("not trustee {j}'s acknowledgement of this election's key and base hash (protocol note §9)"),
        ));
    }
    let doc = AcknowledgementJson { trustee: j, signature: body.value.signature };
    state
        .store
        .put_document(&id, &trustee_name("acknowledgement", j), &serde_json::to_vec(&doc).map_err(AppError::internal)?)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"trustee": j, "acknowledged": true}))))
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
        files::CEREMONY
        | files::CREDENTIALS
        | files::ELECTION
        | files::TALLY
        | files::DECRYPTION
        | files::RESULTS
        | files::AUTHORITY
        | files::REGISTRAR
        | files::ACKNOWLEDGEMENTS => state.store.document(&id, &file).await?,
        // A referendum a convention created carries the text it ratifies.
        files::CONSTITUTION_MD => {
            let bytes = state.store.document(&id, &file).await?;
            return Ok(([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], bytes).into_response());
        }
        files::CHECKPOINTS => {
            let version = Manifest::parse(&row.manifest).map_err(AppError::internal)?.version;
            checkpoints_bytes(&state, &id, version).await?
        }
        files::LOG => return Ok(log_stream(&state, &id)),
        other => {
            return Err(AppError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{other:?} is not a record file; the files are {}", record_files_v1().join(", ")),
            ))
        }
    };
    let content_type = if file.ends_with(".jsonl") { "application/x-ndjson" } else { "application/json" };
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// `checkpoints.json` of a referendum's or a convention's log: the signed checkpoints the log
/// covers, with consistency proofs between them.
pub(crate) async fn checkpoints_bytes(state: &AppState, id: &str, version: u32) -> AppResult<Vec<u8>> {
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
    serde_json::to_vec_pretty(&checkpoints_document(version, checkpoints, &tree.tree)).map_err(AppError::internal)
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
/// The files of the record of a referendum with `manifest`, in the order they are written.
pub fn record_files(manifest: &Manifest) -> Vec<&'static str> {
    let mut out = record_files_v1();
    if manifest.version >= 2 {
        out.insert(1, files::ACKNOWLEDGEMENTS);
        if manifest.registrar.is_some() {
            out.insert(1, files::REGISTRAR);
        }
        if manifest.authority.is_some() {
            out.insert(1, files::AUTHORITY);
        }
    }
    out
}

fn record_files_v1() -> Vec<&'static str> {
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

/// The latest witnessed checkpoint, as a signed note (record format 4).
async fn tiles_checkpoint(State(state): St, Path(id): Path<String>) -> AppResult<Response> {
    let live = state.live(&id).await?;
    let note = live.tree.lock().await.latest.as_ref().and_then(|c| c.note.clone()).ok_or_else(|| {
        AppError::new(StatusCode::NOT_FOUND, "not_found", "no signed-note checkpoint yet (record format 4 has them)")
    })?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], note)
        .into_response())
}

/// A tile of the log's tree, or an entry bundle (each entry's exact bytes), within the latest
/// checkpoint.
async fn tile(State(state): St, Path((id, path)): Path<(String, String)>) -> AppResult<Response> {
    use convene_record::tiles::{bundle, parse_tile_path, tile_bytes, TILE_WIDTH};
    let not_found = || AppError::new(StatusCode::NOT_FOUND, "not_found", format!("no tile {path}"));
    let (level, n, width) = parse_tile_path(&path).ok_or_else(not_found)?;
    let live = state.live(&id).await?;
    let bytes = match level {
        Some(level) => {
            let tree = live.tree.lock().await;
            let size = tree.latest.as_ref().map_or(0, |c| c.size);
            let span = TILE_WIDTH.checked_pow(level as u32 + 1).ok_or_else(not_found)?;
            // Within the latest checkpoint: full tiles below it, the partial one at it.
            let fits = (n + 1) * span <= size
                || (width < TILE_WIDTH && n == size / span && (size % span) / (span / TILE_WIDTH) == width);
            fits.then(|| tile_bytes(&tree.tree, level, n, width)).flatten().ok_or_else(not_found)?
        }
        None => {
            let size = live.tree.lock().await.latest.as_ref().map_or(0, |c| c.size);
            let start = n * TILE_WIDTH;
            if start + width > size || (width < TILE_WIDTH && start + width != size) {
                return Err(not_found());
            }
            let rows = state.store.entries(&id, start, width).await?;
            let entries = rows
                .iter()
                .map(|row| LogEntry::parse(&row.line).map(|e| e.entry_bytes(&live.context.base)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(AppError::internal)?;
            bundle(&entries).map_err(AppError::internal)?
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}

#[derive(Deserialize)]
struct Sizes {
    from: u64,
    to: u64,
}

/// A consistency proof between two sizes of the log (RFC 9162 §2.1.4), for a voter's tool that
/// compares a kept receipt's checkpoint with a later one (protocol note §13.4).
async fn consistency(State(state): St, Path(id): Path<String>, Query(sizes): Query<Sizes>) -> AppResult<Json<Value>> {
    let live = state.live(&id).await?;
    let tree = live.tree.lock().await;
    let proof = (sizes.from <= sizes.to)
        .then(|| tree.tree.consistency_proof(sizes.from, sizes.to))
        .flatten()
        .ok_or_else(|| {
            AppError::bad_request(
                "bad_sizes",
                format!("give 0 ≤ from ≤ to ≤ {} (the log's size here)", tree.tree.len()),
            )
        })?;
    Ok(Json(json!({"from": sizes.from, "to": sizes.to, "proof": proof.iter().map(|h| to_hex(h)).collect::<Vec<_>>()})))
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
    /// Version 2 (given with `registrar` and `trustees.members`): the election authority.
    #[serde(default)]
    pub(crate) authority: Option<Actor>,
    #[serde(default)]
    pub(crate) registrar: Option<Actor>,
    #[serde(default)]
    pub(crate) code_issuer: Option<Actor>,
    #[serde(default)]
    pub(crate) max_weight: Option<u32>,
    #[serde(default)]
    pub(crate) max_ballots_per_credential: Option<u32>,
    /// Version 4: the witnesses who cosign the log's checkpoints, and how many must.
    #[serde(default)]
    pub(crate) witnesses: Vec<WitnessJson>,
    #[serde(default)]
    pub(crate) witness_quorum: u32,
    /// Version 4: the origins of static copies of the booth the server answers (CORS).
    #[serde(default)]
    pub(crate) booth_origins: Vec<String>,
    /// The record version a convention's hand-off derives (never read from a request).
    #[serde(skip)]
    pub(crate) version: Option<u32>,
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
    // Named actors make a record of the current version; without them, version 1 (which cannot
    // show who acted, and says so when verified). A hand-off gives the version it derives.
    let named = new.authority.is_some() || new.registrar.is_some() || !new.trustees.members.is_empty();
    let version = new.version.unwrap_or(if named { RECORD_VERSION } else { 1 });
    if version < WITNESSED_VERSION && !new.witnesses.is_empty() {
        return Err(AppError::bad_request(
            "bad_manifest",
            "witnesses need a record of format version 4: name the authority, the registrar and the trustees",
        ));
    }
    let (schnorr_secret, session_key) = new_secrets();
    let (log_key, log_secret) = if version >= WITNESSED_VERSION {
        let (signer, seed) = LogSigner::generate_note(&default_origin(&new.election_id), &mut rand_core::OsRng)
            .map_err(|e| AppError::bad_request("bad_id", e))?;
        (signer.public_key(), seed)
    } else {
        let public = convene_crypto::Point::from(convene_crypto::RistrettoPoint::mul_base(&schnorr_secret));
        (public.to_hex(), schnorr_secret.to_bytes())
    };
    let manifest = Manifest {
        version,
        election_id: new.election_id.clone(),
        title: new.title,
        questions: new.questions,
        regions: new.regions,
        trustees: new.trustees,
        log_key,
        ratification: new.ratification,
        min_region_ballots: new.min_region_ballots,
        origin,
        authority: new.authority,
        registrar: new.registrar,
        code_issuer: new.code_issuer,
        max_weight: new.max_weight,
        max_ballots_per_credential: new.max_ballots_per_credential,
        witnesses: new.witnesses,
        witness_quorum: new.witness_quorum,
        booth_assets: if version >= WITNESSED_VERSION { crate::pages::asset_hashes() } else { Default::default() },
        booth_origins: new.booth_origins,
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest).map_err(AppError::internal)?;
    bytes.push(b'\n');
    Manifest::parse(&bytes).map_err(|e| AppError::bad_request("bad_manifest", e.to_string()))?;
    CeremonyParams { manifest_hash: [0; 32], n: manifest.trustees.n, t: manifest.trustees.t }
        .check()
        .map_err(|e| AppError::bad_request("bad_manifest", e.to_string()))?;
    documents.push((LOG_KEY.to_string(), log_secret.to_vec()));
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
    let message = body.value;
    let json = CeremonyJson {
        version: 1,
        round1: vec![message.clone()],
        shares: vec![],
        complaints: vec![],
        outcome: OutcomeJson::pending(),
        signed_shares: vec![],
        signed_complaints: vec![],
    };
    let (decoded, _, _) = json.decode_messages().map_err(|e| AppError::bad_request("bad_round1", e.to_string()))?;
    let election = from_trustee(&state, &headers, &id, &["draft", "ceremony"], |e| {
        match (e.manifest.trustee_key(message.trustee), &message.signature) {
            (Some(key), Some(s)) => {
                signed_by(TAG_ROUND1, &manifest_hash(&e.manifest_bytes), &key, &round1_message(&decoded[0]), s)
            }
            _ => false,
        }
    })
    .await?;
    if election.manifest.version >= 2 && election.manifest.origin.is_none() {
        authorized(&state, &id).await?;
    }
    let phase = election.phase.as_str();
    let params = election.ceremony_params();
    if message.trustee == 0 || message.trustee > params.n {
        return Err(AppError::bad_request("bad_trustee", format!("trustee must be between 1 and {}", params.n)));
    }
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
    /// Version 2: the dealer's signature of its shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signature: Option<SignatureJson<'static>>,
}

async fn shares(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<DealtShares>,
) -> AppResult<StatusCode> {
    let dealt = body.value;
    let decoded: Result<Vec<_>, _> = dealt
        .shares
        .iter()
        .map(|s| -> Result<convene_crypto::ceremony::EncryptedShare, convene_record::format::RecordError> {
            Ok(convene_crypto::ceremony::EncryptedShare {
                dealer: s.dealer,
                recipient: s.recipient,
                R: point("share.R", &s.r)?,
                u: scalar("share.u", &s.u)?,
            })
        })
        .collect();
    let decoded = decoded.map_err(|e| AppError::bad_request("bad_shares", e.to_string()))?;
    from_trustee(&state, &headers, &id, &["ceremony"], |e| {
        match (e.manifest.trustee_key(dealt.dealer), &dealt.signature) {
            (Some(key), Some(s)) => signed_by(
                TAG_SHARES,
                &manifest_hash(&e.manifest_bytes),
                &key,
                &shares_message(dealt.dealer, &decoded),
                s,
            ),
            _ => false,
        }
    })
    .await?;
    let election = election_in(&state, &id, &["ceremony"]).await?;
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
    /// Version 2: the accuser's signature of its complaints (an empty list too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signature: Option<SignatureJson<'static>>,
}

async fn complaints(
    State(state): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: JsonBody<Complaints>,
) -> AppResult<StatusCode> {
    let listed = &body.value;
    let decoded: Result<Vec<_>, _> = listed
        .complaints
        .iter()
        .map(|c| -> Result<convene_crypto::ceremony::Complaint, convene_record::format::RecordError> {
            Ok(convene_crypto::ceremony::Complaint {
                dealer: c.dealer,
                accuser: c.accuser,
                S: point("complaint.S", &c.s)?,
                proof: c.proof.decode()?,
            })
        })
        .collect();
    let decoded = decoded.map_err(|e| AppError::bad_request("bad_complaints", e.to_string()))?;
    from_trustee(&state, &headers, &id, &["ceremony"], |e| {
        match (e.manifest.trustee_key(listed.accuser), &listed.signature) {
            (Some(key), Some(s)) => signed_by(
                TAG_COMPLAINTS,
                &manifest_hash(&e.manifest_bytes),
                &key,
                &complaints_message(listed.accuser, &decoded),
                s,
            ),
            _ => false,
        }
    })
    .await?;
    if body.value.complaints.iter().any(|c| c.accuser != body.value.accuser) {
        return Err(AppError::bad_request("bad_complaints", "every complaint must be the accuser's own"));
    }
    state.store.put_document(&id, &trustee_name("complaints", body.value.accuser), &body.bytes).await?;
    Ok(StatusCode::CREATED)
}

/// The ceremony's messages as they stand, as a `ceremony.json` without its outcome.
async fn gather_ceremony(state: &AppState, id: &str) -> AppResult<CeremonyJson> {
    let version = Manifest::parse(&referendum_row(state, id).await?.manifest).map_err(AppError::internal)?.version;
    let mut doc = CeremonyJson {
        version,
        round1: vec![],
        shares: vec![],
        complaints: vec![],
        outcome: OutcomeJson::pending(),
        signed_shares: vec![],
        signed_complaints: vec![],
    };
    for (_, b) in state.store.documents(id, "round1/").await? {
        doc.round1.push(serde_json::from_slice(&b).map_err(AppError::internal)?);
    }
    for (_, b) in state.store.documents(id, "shares/").await? {
        let dealt: DealtShares = serde_json::from_slice(&b).map_err(AppError::internal)?;
        if let Some(signature) = dealt.signature {
            doc.signed_shares.push(SignedByJson { trustee: dealt.dealer, signature });
        }
        doc.shares.extend(dealt.shares);
    }
    for (_, b) in state.store.documents(id, "complaints/").await? {
        let c: Complaints = serde_json::from_slice(&b).map_err(AppError::internal)?;
        if let Some(signature) = c.signature {
            doc.signed_complaints.push(SignedByJson { trustee: c.accuser, signature });
        }
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
    let election = election_in(&state, &id, &["ceremony"]).await?;
    let ((round1, shares, complaints), _) =
        authenticated_messages(&election.manifest, &params.manifest_hash, &gathered).map_err(AppError::internal)?;
    let (outcome, findings) = verify_ceremony(&params, &round1, &shares, &complaints)
        .map_err(|e| AppError::conflict("ceremony_failed", format!("the ceremony cannot complete: {e}")))?;
    // The gathered messages as uploaded (with their authors' signatures), and the outcome.
    let mut doc = gathered;
    doc.outcome = OutcomeJson::from_outcome(&outcome);
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
    /// Version 2: the registrar's signature of its statement on this list (protocol note §9);
    /// the server computes the statement's figures and checks the signature against them.
    #[serde(default)]
    registrar_signature: Option<SignatureJson<'static>>,
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
    let row = state.store.election(&id).await?;
    // Version 2 with a registrar: its signature authenticates the list. Otherwise (version 1,
    // or a secret vote's delegates, checked against the convention) the supervisor uploads it.
    let v2 = Manifest::parse(&row.manifest).map_err(AppError::internal)?.registrar.is_some();
    if !v2 {
        state.require_admin(&headers)?;
    }
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
    // Every count must be within reach of the discrete-log solver (protocol note §7).
    let total_weight: u64 = lines
        .lines()
        .filter_map(|l| parse_credential_line(l.as_bytes(), &manifest).ok())
        .map(|c| c.weight as u64)
        .sum();
    if let Err(e) = convene_record::results::table_bound(&manifest.shapes(), total_weight) {
        return Err(AppError::bad_request(
            "unreachable_count",
            format!("{e}: the credentials' total weight {total_weight} times the most points per option is more than the results can count; lower the weights or the points per option"),
        ));
    }
    if manifest.code_issuer.is_some() && !body.value.codes.is_empty() {
        return Err(AppError::bad_request(
            "codes_from_issuer",
            "this election's sign-in codes are issued by its code issuer (POST …/codes): the registrar's upload carries none",
        ));
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
    let mut documents = Vec::new();
    if v2 {
        let statement =
            registrar_statement(&manifest, &lines, &credentials_hash, body.value.registrar_signature.clone())
                .map_err(|e| AppError::bad_request("bad_credentials", e))?;
        let key = manifest
            .registrar
            .as_ref()
            .and_then(|r| r.public().ok())
            .ok_or_else(|| AppError::internal("v2 without registrar"))?;
        let message = statement.message().map_err(AppError::internal)?;
        if !signed_by(TAG_REGISTRAR, &manifest_hash, &key, &message, &statement.signature) {
            return Err(AppError::new(
                StatusCode::FORBIDDEN,
                "bad_signature",
                format!(
                    "the registrar's signature does not sign this list ({} credentials, weight {}, hash {}): the \
                     registrar signs exactly the list it issued (protocol note §9)",
                    statement.credentials, statement.weight, statement.credentials_hash
                ),
            ));
        }
        documents
            .push((files::REGISTRAR.to_string(), serde_json::to_vec_pretty(&statement).map_err(AppError::internal)?));
    }
    let base = base_hash(&manifest_hash, &credentials_hash, &manifest, &outcome);
    let election = ElectionJson {
        version: manifest.version,
        manifest_hash: to_hex(&manifest_hash),
        credentials_hash: to_hex(&credentials_hash),
        base_hash: to_hex(&base),
    };
    let election_bytes = serde_json::to_vec_pretty(&election).map_err(AppError::internal)?;
    let step = Step {
        phase: Some(("ceremony".into(), "credentials".into())),
        documents: [
            vec![(files::CREDENTIALS.into(), lines.into_bytes()), (files::ELECTION.into(), election_bytes)],
            documents,
        ]
        .concat(),
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
    let election = election_in(&state, &id, &["credentials"]).await?;
    if election.manifest.code_issuer.is_some() {
        match state.store.document(&id, CODES_ISSUED).await {
            Ok(_) => {}
            Err(StoreError::NotFound(_)) => {
                return Err(AppError::conflict(
                    "no_codes",
                    "the code issuer has not uploaded the sign-in codes yet: convene codes (POST …/codes)",
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let mut documents = Vec::new();
    if election.manifest.version >= 2 {
        // Every qualified trustee has acknowledged the key, its own share's key and the base hash.
        let ceremony: CeremonyJson =
            serde_json::from_slice(&state.store.document(&id, files::CEREMONY).await?).map_err(AppError::internal)?;
        let mut acknowledgements = Vec::new();
        let mut missing = Vec::new();
        for j in &ceremony.outcome.qualified {
            match state.store.document(&id, &trustee_name("acknowledgement", *j)).await {
                Ok(b) => acknowledgements
                    .push(serde_json::from_slice::<AcknowledgementJson>(&b).map_err(AppError::internal)?),
                Err(StoreError::NotFound(_)) => missing.push(*j),
                Err(e) => return Err(e.into()),
            }
        }
        if !missing.is_empty() {
            return Err(AppError::conflict(
                "unacknowledged",
                format!("trustee(s) {missing:?} have not acknowledged the election key: convene trustee acknowledge"),
            ));
        }
        let doc = AcknowledgementsJson { version: election.manifest.version, acknowledgements };
        documents
            .push((files::ACKNOWLEDGEMENTS.to_string(), serde_json::to_vec_pretty(&doc).map_err(AppError::internal)?));
    }
    state.store.commit_step(&id, step(Some(("credentials", "open")), documents)).await.map_err(|e| match e {
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
        Some(Refusal::TooManyBallots { .. }) => (StatusCode::FORBIDDEN, "too_many_ballots"),
        Some(Refusal::OneTimeKey(_)) => (StatusCode::BAD_REQUEST, "bad_one_time_key"),
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
    if !live.spend_session(token, state.config.max_ballots_per_session) {
        return Err(reject(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            "session_cap",
            format!(
                "this sign-in has sent {} ballots (accepted or not), the most one sign-in may; sign in again with another code",
                state.config.max_ballots_per_session
            ),
        ));
    }
    let entry = LogEntry::parse(body.bytes.as_ref())
        .map_err(|e| reject(&state, StatusCode::BAD_REQUEST, "bad_ballot", e.to_string()))?;
    let ballot = entry.ballot();
    // A version-3 challenged ballot is signed by its one-time key, and names no credential: any
    // signed-in voter may post one (within the session's cap), and the store keeps that key, not
    // the session's credential, beside it.
    let anonymous = admission::one_time_keys(live.version) && matches!(entry, LogEntry::Spoiled(..));
    if !anonymous && *ballot.credential.bytes() != credential {
        return Err(reject(
            &state,
            StatusCode::FORBIDDEN,
            "not_your_credential",
            "the ballot is signed with another voter's credential".into(),
        ));
    }
    let credential = *ballot.credential.bytes();
    // The verifier's own list of checks (`convene_record::admission`), in the same order.
    let voter = admission::check_entry(&live.context, &live.electorate, live.version, &entry)
        .map_err(|refusals| refused(&state, &refusals))?;
    live.order().admit(None, voter, &entry).map_err(|refusal| refused(&state, &[refusal]))?;
    let leaf = leaf_hash(&entry.entry_bytes(&live.context.base));
    let line = entry.to_json_line().into_bytes();
    let index = match live.appender.append(NewEntry { leaf, credential, line }).await {
        Ok(index) => {
            live.order().placed(&entry, index);
            index
        }
        Err(StoreError::Uncovered { index, why }) => {
            // In the log all the same: remembered, never withdrawn; its receipt comes later.
            live.order().placed(&entry, index);
            return Err(StoreError::Uncovered { index, why: format!("{why}; tracking code {}", to_hex(&leaf)) }.into());
        }
        Err(e) => {
            live.order().withdraw(voter, &entry);
            return Err(e.into());
        }
    };
    if let Err(StoreError::Uncovered { index, why }) =
        live.checkpoints.covering(index, state.config.witness_timeout).await
    {
        return Err(StoreError::Uncovered { index, why: format!("{why}; tracking code {}", to_hex(&leaf)) }.into());
    }
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
            drop(tree);
            live.checkpoints.checkpoint_now().await?;
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
    let mut tally_json = TallyJson::from_scopes(election.manifest.version, &scopes);
    if election.manifest.version >= 2 {
        // The tally names the log it counts: the final checkpoint, which covers every entry.
        let tree = live.tree.lock().await;
        let size = tree.tree.len();
        let root = tree.tree.root(size).ok_or_else(|| AppError::internal("the tree has no root"))?;
        tally_json.log = Some(LogHead { size, root }.to_json());
    }
    let doc = serde_json::to_vec_pretty(&tally_json).map_err(AppError::internal)?;
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
    let election = election_in(&state, &id, &["tallied"]).await?;
    let ceremony: CeremonyJson =
        serde_json::from_slice(&state.store.document(&id, files::CEREMONY).await?).map_err(AppError::internal)?;
    let outcome = outcome_of(&ceremony)?;
    let j = body.value.trustee;
    let key = outcome.verification_key(j).ok_or_else(|| {
        AppError::bad_request("not_qualified", format!("trustee {j} is not a qualified trustee of this election"))
    })?;
    let live = state.live(&id).await?;
    let scopes = published_tally(&state, &id).await?;
    let tally: TallyJson =
        serde_json::from_slice(&state.store.document(&id, files::TALLY).await?).map_err(AppError::internal)?;
    let log = tally.log.as_ref().map(|l| l.decode()).transpose().map_err(AppError::internal)?;
    if election.manifest.version >= 2 {
        let signed = match (election.manifest.trustee_key(j), &log) {
            (Some(k), Some(log)) => {
                decryption_signed(&manifest_hash(&election.manifest_bytes), &k, &live.context.base, log, &body.value)
            }
            _ => false,
        };
        if !signed {
            return Err(AppError::new(
                StatusCode::FORBIDDEN,
                "bad_signature",
                format!(
                    "not trustee {j}'s signature of these partial decryptions of this tally's log (protocol note §9)"
                ),
            ));
        }
    }
    let (_, failures) = check_trustee_decryption(&live.context.base, log.as_ref(), key, &scopes, &body.value);
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
        let doc = DecryptionJson { version: manifest.version, trustees };
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

#[cfg(test)]
mod tests {
    use convene_record::format::plain_origin;

    #[test]
    fn a_witness_origin_is_a_plain_scheme_host_and_port() {
        assert_eq!(
            plain_origin("https://w1.observers.example/witness").as_deref(),
            Some("https://w1.observers.example")
        );
        assert_eq!(plain_origin("http://127.0.0.1:9090").as_deref(), Some("http://127.0.0.1:9090"));
        // Nothing that could add a directive to the policy.
        for bad in ["https://a.example; script-src *", "ftp://a.example", "https://", "https://a b.example"] {
            assert_eq!(plain_origin(bad), None, "{bad}");
        }
    }
}
