//! Every endpoint (see `docs/openapi.json`). Wire types are the record's own documents where the
//! record has one; the few request shapes of their own are defined here.

use crate::api;
use crate::error::{AppError, AppResult};
use crate::live::{new_secrets, LOG_KEY, SESSION_KEY};
use crate::ops::Metrics;
use crate::{voter_code_hash, ActionBody, AppState, JsonBody};
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use convene_crypto::ceremony::{check_round1, verify_ceremony, CeremonyOutcome, CeremonyParams};
use convene_crypto::encoding::{hex32, to_hex};
use convene_record::actors::{
    acknowledgement_message, authenticated_messages, check_upload_headers, codes_message, complaints_message,
    round1_message, shares_message, signed_by, AcknowledgementJson, AcknowledgementsJson, AuthorityJson,
    RegionCountJson, RegistrarJson, TAG_ACKNOWLEDGEMENT, TAG_AUTHORITY, TAG_CODES, TAG_COMPLAINTS, TAG_REGISTRAR,
    TAG_ROUND1, TAG_SHARES, UPLOAD_SHA256_HEADER, UPLOAD_SIGNATURE_HEADER,
};
use convene_record::admission::{self, Refusal};
use convene_record::checkpoint::{default_origin, LogSigner, WITNESSED_VERSION};
use convene_record::files;
use convene_record::format::*;
use convene_record::log::{leaf_hash, MerkleTree};
use convene_record::results::{check_trustee_decryption, decryption_signed, shares_of};
use convene_record::tally::TallyAccumulator;
use convene_record::writer::{base_hash, checkpoints_document, credentials_hasher, decrypt_results, manifest_hash};
use convene_store::{NewEntry, Phase, Step, StoreError};
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::Digest;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

type St = State<Arc<AppState>>;

/// Static copies of the booth on other origins (a version-4 manifest's `booth_origins`): their
/// requests to that election's API are answered with CORS headers naming the origin, and their
/// preflights at once; any other origin gets no CORS header, so browsers refuse it the answer.
pub(crate) async fn booth_cors(
    State(state): St,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
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
pub(crate) async fn receipt_page(
    State(state): St,
    Query(params): Query<std::collections::HashMap<String, String>>,
    headers: axum::http::HeaderMap,
) -> Response {
    let mut origins = Vec::new();
    if let Some(id) = params.get("election") {
        if let Ok(row) = state.store.election(id).await {
            if let Ok(manifest) = Manifest::parse(&row.manifest) {
                origins = manifest.witnesses.iter().filter_map(|w| plain_origin(&w.url)).collect();
            }
        }
    }
    let page = crate::pages::page("receipt.html", params.get("lang").map(String::as_str), &headers);
    connecting_to(page, origins, &params)
}

/// The check page (`/check[?copy=URL]`): its policy lets it read the copy of the log its address
/// names (§13.6).
pub(crate) async fn check_page(
    Query(params): Query<std::collections::HashMap<String, String>>,
    headers: axum::http::HeaderMap,
) -> Response {
    let page = crate::pages::page("check.html", params.get("lang").map(String::as_str), &headers);
    connecting_to(page, Vec::new(), &params)
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

pub(crate) async fn readable_from_any_origin(mut response: Response) -> Response {
    response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, header::HeaderValue::from_static("*"));
    response
}

pub(crate) async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
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
pub(crate) struct Election {
    phase: Phase,
    pub(crate) manifest: Manifest,
    pub(crate) manifest_bytes: Vec<u8>,
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
pub(crate) async fn election_in(state: &AppState, id: &str, phases: &[Phase]) -> AppResult<Election> {
    let row = referendum_row(state, id).await?;
    let phase = require(&row.phase, phases)?;
    let manifest = Manifest::parse(&row.manifest).map_err(AppError::internal)?;
    Ok(Election { phase, manifest, manifest_bytes: row.manifest })
}

/// A trustee's ceremony message: in version 2 its author's signature authenticates it and no
/// token is needed (nor does the supervisor's token stand in for it); in version 1 the
/// supervisor uploads it.
async fn from_trustee(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    phases: &[Phase],
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

/// The authority's signature of a version-2 manifest: checked against the key the manifest
/// names, and kept as `authority.json`.
pub(crate) async fn authority(
    State(state): St,
    Path(id): Path<String>,
    body: JsonBody<api::AuthoritySignature>,
) -> AppResult<(StatusCode, Json<api::Signed>)> {
    let election = election_in(&state, &id, &[Phase::Draft]).await?;
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
    Ok((StatusCode::CREATED, Json(api::Signed { signed: true })))
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

/// The code issuer's upload of sign-in codes (version 2, when the manifest names an issuer):
/// signed with its key, for credentials on the published list, once. The registrar, who holds
/// every credential secret, then has no code to sign in with.
pub(crate) async fn issued_codes(
    State(state): St,
    Path(id): Path<String>,
    body: JsonBody<api::IssuedCodes>,
) -> AppResult<(StatusCode, Json<api::CodesAccepted>)> {
    let election = election_in(&state, &id, &[Phase::Credentials]).await?;
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
    Ok((StatusCode::CREATED, Json(api::CodesAccepted { codes: count as u64 })))
}

/// Marks that the code issuer's codes are in (their hash; the codes stay secret).
const CODES_ISSUED: &str = "secret/codes-issued";

/// A qualified trustee's acknowledgement of `K`, its `X_j` and the base hash (version 2),
/// after the credential list is published and before voting opens.
pub(crate) async fn acknowledge(
    State(state): St,
    Path(id): Path<String>,
    body: JsonBody<api::Acknowledgement>,
) -> AppResult<(StatusCode, Json<api::Acknowledged>)> {
    let election = election_in(&state, &id, &[Phase::Credentials]).await?;
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
    Ok((StatusCode::CREATED, Json(api::Acknowledged { trustee: j, acknowledged: true })))
}

/// A supervisor's action on an election in one of `phases`.
async fn supervised(state: &AppState, headers: &HeaderMap, id: &str, phases: &[Phase]) -> AppResult<Election> {
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

/// The referendum's phase, named as the store keeps it, if it is one of `allowed`.
fn require(phase: &str, allowed: &[Phase]) -> AppResult<Phase> {
    match Phase::parse(phase) {
        Some(p) if allowed.contains(&p) => Ok(p),
        _ => Err(wrong_phase(phase, &allowed.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" or "))),
    }
}

pub(crate) fn step(phase: Option<(Phase, Phase)>, documents: Vec<(String, Vec<u8>)>) -> Step {
    Step { phase: phase.map(|(a, b)| (a.to_string(), b.to_string())), documents, codes: Vec::new() }
}

mod counting;
mod public;
mod setup;
mod voting;
pub(crate) use counting::*;
pub(crate) use public::*;
pub(crate) use setup::*;
pub(crate) use voting::*;

#[cfg(test)]
mod tests;
