//! The route table: every endpoint of `docs/openapi.json` to its handler (`routes` for
//! referendums, `convention` for conventions), with the layers every answer passes through.

use crate::routes::*;
use crate::{convention, AppState};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use tower_http::trace::TraceLayer;

pub fn router(state: Arc<AppState>) -> Router {
    let body_limit = state.config.max_body_bytes;
    let credentials_limit = state.config.max_credentials_bytes;
    // The pages are compressed (a phone on a slow connection downloads a quarter); the API is
    // not, so that server-sent events stream as they happen.
    let pages = Router::new()
        .route("/", get(crate::pages::home))
        .route("/vote/:id", get(crate::pages::booth))
        .route("/results/:id", get(crate::pages::results))
        .route("/timeline/:id", get(crate::pages::timeline))
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
        .route("/readyz", get(ready))
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
        .route("/api/elections/:id/timeline", post(crate::convention::timeline))
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
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), timed))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), booth_cors))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Records each answered request's route, method, status and duration (`Metrics::request`).
async fn timed(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let started = std::time::Instant::now();
    let route = request.extensions().get::<axum::extract::MatchedPath>().map_or("", |p| p.as_str()).to_string();
    let method = request.method().to_string();
    let response = next.run(request).await;
    state.metrics.request(&route, &method, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

/// Ready to serve: the database answers within two seconds (`/healthz` says only that the process
/// runs; a load balancer sends voters to ready processes, a supervisor restarts dead ones).
async fn ready(axum::extract::State(state): axum::extract::State<Arc<AppState>>) -> crate::AppResult<&'static str> {
    let unready = |why: String| crate::AppError::busy(format!("the database does not answer: {why}"), 5);
    match tokio::time::timeout(std::time::Duration::from_secs(2), state.store.ping()).await {
        Ok(Ok(())) => Ok("ready"),
        Ok(Err(e)) => Err(unready(e.to_string())),
        Err(_) => Err(unready("no answer within 2 s".into())),
    }
}
