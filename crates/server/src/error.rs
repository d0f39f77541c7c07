//! The one error type of the HTTP layer. User errors say what is wrong and how to fix it;
//! internal errors are logged and never sent to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use convene_store::StoreError;
use serde_json::json;

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    /// A stable, machine-readable name of the problem (`wrong_phase`, `bad_proof`, …).
    pub code: &'static str,
    pub message: String,
    /// For a 503: when to try again, in seconds (the `Retry-After` header).
    pub retry_after: Option<u32>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> AppError {
        AppError { status, code, message: message.into(), retry_after: None }
    }

    /// The server is busy with this kind of request: try again in `seconds`.
    pub fn busy(message: impl Into<String>, seconds: u32) -> AppError {
        AppError { retry_after: Some(seconds), ..AppError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", message) }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::CONFLICT, code, message)
    }

    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        tracing::error!(%detail, "internal error");
        AppError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "an internal error occurred; it has been logged")
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(json!({ "error": self.code, "message": self.message }))).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound(m) => AppError::new(StatusCode::NOT_FOUND, "not_found", m),
            StoreError::Conflict(m) => AppError::conflict("conflict", m),
            StoreError::Other(m) => AppError::internal(m),
            StoreError::Uncovered { index, why } => AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not_yet_witnessed",
                format!("stored as log entry {index}, but no checkpoint covering it has its witnesses' quorum yet ({why}); ask for its receipt later"),
            ),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
