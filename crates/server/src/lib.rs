//! # convene-server: the referendum service over HTTP
//!
//! The only crate that knows HTTP. [`app`] builds the axum router over shared [`AppState`], so
//! tests call it without a socket; [`serve`] binds it. The lifecycle of a referendum is
//! `draft → ceremony → credentials → open → closed → tallied → decrypted → published`
//! (see `docs/openapi.json` for every endpoint).
//!
//! Invariants: no endpoint deletes or rewrites a log entry (the store has no such operation and
//! the database refuses it); a ballot is acknowledged only once durably committed; every check
//! the verifier makes of a ballot is made at the door; secrets (the log key, the session key)
//! never leave the server; internal errors are logged, never sent.

mod admitting;
pub mod api;
mod app;
mod cache;
mod convention;
mod error;
mod limits;
mod listen;
mod live;
mod ops;
mod pages;
/// The language a page is sent in, from `?lang=` and Accept-Language.
pub use limits::client_address;
pub use pages::page_lang;
mod routes;
mod sealed;
pub use sealed::SealingKey;
mod witnessing;

pub use convention::convention_files;
pub use error::{AppError, AppResult};
pub use listen::{serve_until, ConnectionLimits};
pub use live::voter_code_hash;
pub use pages::built_files;

use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::Router;
use convene_store::Store;
use std::sync::Arc;

/// Operator settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// The supervisor's bearer token for admin actions.
    pub admin_token: String,
    /// A bearer token that reads `/metrics` and nothing else (the supervisor's token does too).
    pub metrics_token: Option<String>,
    /// Sign-in attempts allowed per client address per minute.
    pub signin_per_minute: u32,
    /// Sign-in attempts allowed per election per second, from all addresses together.
    pub signin_per_election_per_second: u32,
    /// The reverse proxies whose `X-Forwarded-For` names the client; from anyone else it is
    /// ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The largest request body, except credential uploads.
    pub max_body_bytes: usize,
    /// The largest credential upload (a national list is large).
    pub max_credentials_bytes: usize,
    /// How many credential uploads are read at once; more are answered 503 busy.
    pub max_concurrent_uploads: usize,
    /// The most ballots committed in one transaction.
    pub max_batch: usize,
    /// How long a voter's session lasts after sign-in.
    pub session_seconds: u64,
    /// The most ballots (cast or challenged, accepted or refused) one sign-in may send; each
    /// further ballot needs another sign-in (another one-time code). Refused ones count too, so
    /// that one session cannot make the server check proofs without end.
    pub max_ballots_per_session: u32,
    /// How long a checkpoint may wait for its witnesses' quorum before the commit's ballots are
    /// answered with an error (they stay in the log; a later checkpoint covers them).
    pub witness_timeout: std::time::Duration,
    /// How long casting trusts its last read of an election's phase before reading it again
    /// (the append checks it anyway, under the log's write lock): a ballot sent to one process
    /// after another closed voting is refused by this much later at most, never taken.
    pub phase_fresh: std::time::Duration,
    /// The limits on connections: how many, how long for headers, the shutdown's grace.
    pub connections: ConnectionLimits,
    /// The key the host's secrets are sealed under in the database (`DATA/server-key`); without
    /// one, a random key for this process only.
    pub sealing_key: Option<[u8; 32]>,
}

impl Config {
    pub fn new(admin_token: String) -> Config {
        Config {
            admin_token,
            metrics_token: None,
            signin_per_minute: 30,
            signin_per_election_per_second: 20_000,
            trusted_proxies: Vec::new(),
            max_body_bytes: 1 << 20,
            max_credentials_bytes: 512 << 20,
            max_concurrent_uploads: 2,
            max_batch: 256,
            session_seconds: 30 * 60,
            max_ballots_per_session: 10,
            witness_timeout: std::time::Duration::from_secs(10),
            phase_fresh: std::time::Duration::from_millis(250),
            connections: ConnectionLimits::default(),
            sealing_key: None,
        }
    }
}

/// Shared by every request.
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Config,
    live: cache::Cache<live::Live>,
    conventions: cache::Cache<convention::ConventionLive>,
    metrics: Arc<ops::Metrics>,
    limiter: limits::SigninLimits,
    /// One permit per credential upload being read.
    uploads: Arc<tokio::sync::Semaphore>,
    /// Seals and opens the host's secrets in the store.
    sealer: SealingKey,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: Config) -> Arc<AppState> {
        let limiter = limits::SigninLimits::new(config.signin_per_minute, config.signin_per_election_per_second);
        let uploads = Arc::new(tokio::sync::Semaphore::new(config.max_concurrent_uploads.max(1)));
        let sealer = config.sealing_key.map_or_else(SealingKey::random, SealingKey::new);
        Arc::new(AppState {
            sealer,
            uploads,
            store,
            config,
            live: cache::Cache::default(),
            conventions: cache::Cache::default(),
            metrics: Arc::new(ops::Metrics::default()),
            limiter,
        })
    }

    /// The host's secret document `name` of `id`, opened.
    pub(crate) async fn secret(&self, id: &str, name: &str) -> AppResult<Vec<u8>> {
        let stored = self.store.document(id, name).await?;
        self.sealer.open(id, name, &stored).map_err(AppError::internal)
    }

    /// `plaintext` sealed for the store as the host's secret document `name` of `id`.
    pub(crate) fn sealed(&self, id: &str, name: &str, plaintext: &[u8]) -> (String, Vec<u8>) {
        (name.to_string(), self.sealer.seal(id, name, plaintext))
    }

    fn require_admin(&self, headers: &HeaderMap) -> AppResult<()> {
        let token = bearer(headers).ok_or_else(|| {
            AppError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this action needs the supervisor's token: Authorization: Bearer TOKEN",
            )
        })?;
        if !constant_time_eq(token.as_bytes(), self.config.admin_token.as_bytes()) {
            return Err(AppError::new(StatusCode::FORBIDDEN, "forbidden", "the supervisor token is wrong"));
        }
        Ok(())
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A JSON body whose every failure (too large, not JSON, wrong shape) is a JSON error naming
/// the problem. The raw bytes are kept: some documents are stored exactly as sent.
pub struct JsonBody<T> {
    pub value: T,
    pub bytes: axum::body::Bytes,
}

/// Reads a request body; too large or unreadable is a JSON error.
async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<axum::body::Bytes, AppError> {
    axum::body::Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the request body is larger than this endpoint accepts",
            )
        } else {
            AppError::bad_request("unreadable_body", format!("cannot read the request body: {e}"))
        }
    })
}

fn invalid_json(e: serde_json::Error) -> AppError {
    AppError::bad_request("invalid_json", format!("the body is not the JSON this endpoint expects: {e}"))
}

#[async_trait::async_trait]
impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let bytes = read_body(req, state).await?;
        let value = serde_json::from_slice(&bytes).map_err(invalid_json)?;
        Ok(JsonBody { value, bytes })
    }
}

/// A body taken as bytes, for endpoints that check its content themselves (a convention's
/// signed event); too large or unreadable is a JSON error like everywhere else.
pub struct RawBody(pub axum::body::Bytes);

#[async_trait::async_trait]
impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        Ok(RawBody(read_body(req, state).await?))
    }
}

/// The body of an action that takes no parameters: empty, or any JSON (`{}`). A malformed or
/// oversized body is refused like anywhere else, before the action runs.
pub struct ActionBody;

#[async_trait::async_trait]
impl<S: Send + Sync> FromRequest<S> for ActionBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let bytes = read_body(req, state).await?;
        if !bytes.iter().all(u8::is_ascii_whitespace) {
            serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).map_err(invalid_json)?;
        }
        Ok(ActionBody)
    }
}

/// The whole HTTP application.
pub fn app(state: Arc<AppState>) -> Router {
    app::router(state)
}

/// Serves `app` on `listener` until the process is stopped.
pub async fn serve(state: Arc<AppState>, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    serve_until(state, listener, std::future::pending()).await
}
