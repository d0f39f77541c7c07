//! A small HTTP client for the Convene service: what the registrar, the trustees, voters and the
//! load generator use. Errors carry the server's own error code and message.

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// A refusal from the server: its HTTP status, its stable error code and its message. Callers
/// that react to a refusal downcast to this and compare the code, never the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// With `not_yet_witnessed`: the index of the entry stored all the same, whose receipt
    /// comes later.
    pub stored: Option<u64>,
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for HttpError {}

#[derive(Clone)]
pub struct Client {
    base: String,
    http: reqwest::Client,
    admin: Option<String>,
    /// Where every JSON answer is kept, when [`Client::tapped`] asked for it.
    tap: Option<Tap>,
}

/// The JSON answers a tapped client received, in order: the method, the path (with its query)
/// and the answer. The schema test holds each to the schema `docs/openapi.json` gives its path.
pub type Tap = std::sync::Arc<std::sync::Mutex<Vec<(&'static str, String, Value)>>>;

/// Who a request is made as.
pub enum As<'a> {
    Anyone,
    Supervisor,
    Voter(&'a str),
    /// An actor who proves itself with signed headers (the registrar's upload, docs/protocol.md §9).
    Signed(&'a [(&'static str, String)]),
}

/// The certificate authority every client of this process trusts besides the system's
/// (`convene --ca-file`), once set.
static TRUSTED_CA: std::sync::OnceLock<reqwest::Certificate> = std::sync::OnceLock::new();

/// Makes every [`Client`] this process creates from now on trust the certificate authority in
/// `ca_pem` too (`convene --ca-file`, `CONVENE_CA_FILE`). Refuses a file that is not PEM.
pub fn trust_ca(ca_pem: &[u8]) -> Result<()> {
    let ca = reqwest::Certificate::from_pem(ca_pem).context("the certificate authority is not PEM")?;
    // Both an https client and the check that the certificate parses.
    reqwest::Client::builder().add_root_certificate(ca.clone()).build()?;
    let _ = TRUSTED_CA.set(ca);
    Ok(())
}

impl Client {
    /// `base` is the server's address, e.g. `http://127.0.0.1:8080`.
    pub fn new(base: &str, admin: Option<String>) -> Client {
        Client::built(base, admin, Client::builder().build().expect("an HTTP client"))
    }

    fn builder() -> reqwest::ClientBuilder {
        let builder = reqwest::Client::builder().pool_max_idle_per_host(64);
        match TRUSTED_CA.get() {
            Some(ca) => builder.add_root_certificate(ca.clone()),
            None => builder,
        }
    }

    /// What "cannot reach" says: with an https address, how to trust a private authority.
    fn unreachable(&self) -> String {
        if self.base.starts_with("https://") && TRUSTED_CA.get().is_none() {
            format!(
                "cannot reach {} (if its certificate is from a private authority, give that authority's \
                 certificate with --ca-file PEM or CONVENE_CA_FILE)",
                self.base
            )
        } else {
            format!("cannot reach {}", self.base)
        }
    }

    fn built(base: &str, admin: Option<String>, http: reqwest::Client) -> Client {
        Client { base: base.trim_end_matches('/').to_string(), http, admin, tap: None }
    }

    /// As [`Client::new`], trusting also the certificate authority in `ca_pem` (an internal
    /// one's, or a test's) for an `https://` address.
    pub fn with_ca(base: &str, admin: Option<String>, ca_pem: &[u8]) -> Result<Client> {
        let ca = reqwest::Certificate::from_pem(ca_pem).context("the certificate authority is not PEM")?;
        Ok(Client::built(base, admin, Client::builder().add_root_certificate(ca).build()?))
    }

    /// This client, keeping every JSON answer it receives in the returned [`Tap`].
    pub fn tapped(self) -> (Client, Tap) {
        let tap = Tap::default();
        (Client { tap: Some(tap.clone()), ..self }, tap)
    }

    fn kept(&self, method: &'static str, path: &str, answer: Result<Value>) -> Result<Value> {
        if let (Some(tap), Ok(value)) = (&self.tap, &answer) {
            tap.lock().unwrap_or_else(|e| e.into_inner()).push((method, path.to_string(), value.clone()));
        }
        answer
    }

    /// Whether this client holds the supervisor's token.
    pub fn has_admin(&self) -> bool {
        self.admin.is_some()
    }

    fn authorize(&self, request: reqwest::RequestBuilder, who: As) -> Result<reqwest::RequestBuilder> {
        Ok(match who {
            As::Anyone => request,
            As::Supervisor => request.bearer_auth(self.admin.as_deref().context("this needs the supervisor's token")?),
            As::Voter(session) => request.bearer_auth(session),
            As::Signed(headers) => headers.iter().fold(request, |r, (name, value)| r.header(*name, value)),
        })
    }

    async fn answer(response: reqwest::Response) -> Result<Value> {
        let status = response.status();
        let bytes = response.bytes().await?;
        if status.is_success() {
            return if bytes.is_empty() { Ok(Value::Null) } else { Ok(serde_json::from_slice(&bytes)?) };
        }
        let error: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Err(anyhow::Error::new(HttpError {
            status: status.as_u16(),
            code: error["error"].as_str().unwrap_or("error").to_string(),
            message: error["message"]
                .as_str()
                .map(String::from)
                .unwrap_or_else(|| String::from_utf8_lossy(&bytes).into()),
            stored: error["stored"]["index"].as_u64(),
        }))
    }

    pub async fn post(&self, path: &str, body: &impl Serialize, who: As<'_>) -> Result<Value> {
        let request = self.authorize(self.http.post(format!("{}{path}", self.base)).json(body), who)?;
        let answer = Client::answer(request.send().await.with_context(|| self.unreachable())?).await;
        self.kept("POST", path, answer)
    }

    /// [`Client::post`], the answer read as `T`.
    pub async fn post_as<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
        who: As<'_>,
    ) -> Result<T> {
        serde_json::from_value(self.post(path, body, who).await?).with_context(|| format!("the answer to POST {path}"))
    }

    /// Posts bytes that are already JSON (a ballot line, say).
    pub async fn post_raw(&self, path: &str, body: Vec<u8>, who: As<'_>) -> Result<Value> {
        let request =
            self.http.post(format!("{}{path}", self.base)).header("content-type", "application/json").body(body);
        let request = self.authorize(request, who)?;
        let answer = Client::answer(request.send().await.with_context(|| self.unreachable())?).await;
        self.kept("POST", path, answer)
    }

    /// `GET path`, read as the answer type `T` the server writes (`convene_server::api`).
    pub async fn get_as<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T> {
        serde_json::from_value(self.get(path).await?).with_context(|| format!("the answer to GET {path}"))
    }

    /// `GET path`, its JSON answer.
    pub async fn get(&self, path: &str) -> Result<Value> {
        let answer = Client::answer(self.get_response(path).await?).await;
        self.kept("GET", path, answer)
    }

    async fn get_response(&self, path: &str) -> Result<reqwest::Response> {
        self.http.get(format!("{}{path}", self.base)).send().await.with_context(|| self.unreachable())
    }

    /// `GET path`, its bytes as they are (a record's file).
    pub async fn get_bytes(&self, path: &str) -> Result<Vec<u8>> {
        let response = self.get_response(path).await?;
        if !response.status().is_success() {
            return Client::answer(response).await.map(|_| Vec::new());
        }
        Ok(response.bytes().await?.to_vec())
    }

    /// Downloads the public record of election `id` into `dir`, file by file, and when a
    /// convention created it, the convention's record into `dir/convention/` (without which the
    /// referendum is tied to nothing, and does not verify).
    pub async fn fetch_record(&self, id: &str, dir: &Path) -> Result<()> {
        let origin = self.fetch_referendum(id, dir).await?;
        if let Some(convention) = origin {
            let sub = dir.join(convene_record::directory::CONVENTION_DIR);
            self.fetch_convention(&convention, &sub)
                .await
                .with_context(|| format!("the record of convention {convention}"))?;
        }
        Ok(())
    }

    /// Downloads the manifest first: its version says which files the record has.
    async fn fetch_manifest(&self, id: &str, dir: &Path) -> Result<convene_record::format::Manifest> {
        self.fetch_files(&format!("/api/elections/{id}/record"), &[convene_record::files::MANIFEST], dir).await?;
        Ok(convene_record::format::Manifest::parse(&std::fs::read(dir.join(convene_record::files::MANIFEST))?)?)
    }

    /// Downloads what a trustee verifies before decrypting: the record up to the tally (with the
    /// constitution the manifest names, if any).
    pub async fn fetch_until_tally(&self, id: &str, dir: &Path) -> Result<()> {
        let manifest = self.fetch_manifest(id, dir).await?;
        let files: Vec<&str> = convene_record::files::record_files(&manifest)
            .into_iter()
            .filter(|f| ![convene_record::files::DECRYPTION, convene_record::files::RESULTS].contains(f))
            .collect();
        self.fetch_files(&format!("/api/elections/{id}/record"), &files, dir).await?;
        // The text it ratifies, and its translations.
        let texts = convene_record::files::constitution_files(&manifest);
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        self.fetch_files(&format!("/api/elections/{id}/record"), &texts, dir).await?;
        Ok(())
    }

    /// Downloads the referendum's own files (with the constitution it ratifies, if any);
    /// returns the convention that created it, if one did.
    async fn fetch_referendum(&self, id: &str, dir: &Path) -> Result<Option<String>> {
        let manifest = self.fetch_manifest(id, dir).await?;
        let files = convene_record::files::record_files(&manifest);
        self.fetch_files(&format!("/api/elections/{id}/record"), &files, dir).await?;
        // The text it ratifies, and its translations.
        let texts = convene_record::files::constitution_files(&manifest);
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        self.fetch_files(&format!("/api/elections/{id}/record"), &texts, dir).await?;
        // A ratification's timeline, once its authority has signed it.
        if manifest.origin.as_ref().is_some_and(|o| o.constitution_sha256.is_some()) {
            let timeline = convene_record::timeline::TIMELINE;
            let response = self.get_response(&format!("/api/elections/{id}/record/{timeline}")).await?;
            if response.status().is_success() {
                convene_record::writer::write_atomic(&dir.join(timeline), &response.bytes().await?)?;
            } else if response.status() != reqwest::StatusCode::NOT_FOUND {
                Client::answer(response).await.with_context(|| format!("fetching {timeline}"))?;
            }
        }
        Ok(manifest.origin.map(|o| o.convention))
    }

    /// Downloads the record of convention `id` into `dir`, with the records of its closed secret
    /// votes' referendums in `dir/secret-votes/`.
    pub async fn fetch_convention(&self, id: &str, dir: &Path) -> Result<()> {
        self.fetch_files(&format!("/api/conventions/{id}/record"), &convene_server::convention_files(), dir).await?;
        let state: convene_server::api::ConventionShown = self.get_as(&format!("/api/conventions/{id}")).await?;
        for vote in state.votes.iter().filter(|v| !v.open) {
            if let Some(secret) = &vote.secret {
                let referendum = &secret.referendum;
                let sub = dir.join(convene_record::verify::SECRET_VOTES).join(referendum);
                self.fetch_referendum(referendum, &sub).await.with_context(|| format!("secret vote {}", vote.id))?;
            }
        }
        Ok(())
    }

    pub(crate) async fn fetch_files(&self, prefix: &str, files: &[&str], dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for file in files {
            let bytes =
                self.get_bytes(&format!("{prefix}/{file}")).await.with_context(|| format!("fetching {file}"))?;
            convene_record::writer::write_atomic(&dir.join(file), &bytes)?;
        }
        Ok(())
    }
}
