//! The web pages (built from `web/` by build.rs and embedded): the front page, the voting booth,
//! and the page that checks a challenged ballot. They are static; everything they show comes
//! from the JSON API, and the booth encrypts in the browser.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

mod built {
    include!(concat!(env!("OUT_DIR"), "/web/files.rs"));
}

fn file(name: &str) -> Response {
    let Some((_, bytes)) = built::FILES.iter().find(|(n, _)| *n == name) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let content_type = match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    };
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], *bytes).into_response()
}

/// Every built page and asset, by file name, as this server serves them (a static copy of the
/// booth is these files, byte for byte).
pub fn built_files() -> &'static [(&'static str, &'static [u8])] {
    built::FILES
}

/// The SHA-256 (hex) of every page and asset this server serves, by file name, as the web build
/// listed them (`assets.json`): a new election's manifest carries them (`booth_assets`).
pub fn asset_hashes() -> std::collections::BTreeMap<String, String> {
    built::FILES
        .iter()
        .find(|(name, _)| *name == "assets.json")
        .and_then(|(_, bytes)| serde_json::from_slice(bytes).ok())
        .unwrap_or_default()
}

pub async fn home() -> Response {
    file("index.html")
}

pub async fn booth(Path(_id): Path<String>) -> Response {
    file("vote.html")
}

pub async fn results(Path(_id): Path<String>) -> Response {
    file("results.html")
}

pub async fn assembly(Path(_id): Path<String>) -> Response {
    file("assembly.html")
}

pub async fn receipt() -> Response {
    file("receipt.html")
}

pub async fn check() -> Response {
    file("check.html")
}

pub async fn asset(Path(name): Path<String>) -> Response {
    file(&format!("assets/{name}"))
}
