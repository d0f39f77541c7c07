//! The web pages (built from `web/` by build.rs and embedded): the front page, the voting booth,
//! and the page that checks a challenged ballot. They are static; everything they show comes
//! from the JSON API, and the booth encrypts in the browser.

use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use convene_words::Lang;

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

/// A page's `?lang=`.
#[derive(serde::Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

/// The language a page is sent in: `?lang=` (exactly `en`, `ar` or `ckb`), else the first
/// language of Accept-Language (by its weights) that Convene speaks, else English. The page
/// files are built in each (`web/build.mjs`): `page.html` is English, `page.ar.html` and
/// `page.ckb.html` the others.
pub fn page_lang(asked: Option<&str>, accept_language: Option<&str>) -> &'static str {
    let asked = asked.and_then(|a| Lang::ALL.into_iter().find(|l| l.tag() == a));
    asked.or_else(|| accept_language.and_then(Lang::preferred)).unwrap_or(Lang::En).tag()
}

/// `page` (`vote.html`) in the language the request asks for, its static text and `<html lang
/// dir>` rendered for the first paint.
pub fn page(name: &str, asked: Option<&str>, headers: &HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let lang = page_lang(asked, accept);
    let file_name = match lang {
        "en" => name.to_string(),
        other => name.replace(".html", &format!(".{other}.html")),
    };
    let mut response = file(&file_name);
    response.headers_mut().insert(header::VARY, header::HeaderValue::from_static("accept-language"));
    response
}

pub async fn home(Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    page("index.html", q.lang.as_deref(), &headers)
}

pub async fn booth(Path(_id): Path<String>, Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    page("vote.html", q.lang.as_deref(), &headers)
}

pub async fn results(Path(_id): Path<String>, Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    page("results.html", q.lang.as_deref(), &headers)
}

pub async fn timeline(Path(_id): Path<String>, Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    page("timeline.html", q.lang.as_deref(), &headers)
}

pub async fn assembly(Path(_id): Path<String>, Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    page("assembly.html", q.lang.as_deref(), &headers)
}

pub async fn asset(Path(name): Path<String>) -> Response {
    file(&format!("assets/{name}"))
}

#[cfg(test)]
mod tests {
    use super::page_lang;

    #[test]
    fn the_page_language_follows_the_address_then_the_browser() {
        assert_eq!(page_lang(Some("ckb"), Some("en")), "ckb");
        assert_eq!(page_lang(Some("fr"), Some("ar-IQ,ar;q=0.9,en;q=0.8")), "ar");
        assert_eq!(page_lang(None, Some("fr-FR, en;q=0.5, ar;q=0.7")), "ar");
        assert_eq!(page_lang(None, Some("ku-Arab-IQ")), "ckb");
        assert_eq!(page_lang(None, Some("ar;q=0, de")), "en");
        assert_eq!(page_lang(None, None), "en");
    }
}
