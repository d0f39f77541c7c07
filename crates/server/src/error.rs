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
    /// For a 429, 503 or 507: when to try again, in seconds (the `Retry-After` header).
    pub retry_after: Option<u32>,
    /// For a convention's `refused`: the state machine's refusal as data, `{code, args}`, which
    /// the pages say in their language (`message` is its English).
    pub refusal: Option<serde_json::Value>,
    /// For a `not_yet_witnessed`: the entry that is stored all the same, `{index, tracking_code}`,
    /// whose receipt the client asks for later (`GET …/receipts/{index}`).
    pub stored: Option<serde_json::Value>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> AppError {
        AppError { status, code, message: message.into(), retry_after: None, refusal: None, stored: None }
    }

    /// This answer, telling the client to try again in `seconds` (`Retry-After`).
    pub fn retry_after(self, seconds: u32) -> AppError {
        AppError { retry_after: Some(seconds), ..self }
    }

    /// The server is busy with this kind of request: try again in `seconds`.
    pub fn busy(message: impl Into<String>, seconds: u32) -> AppError {
        AppError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", message).retry_after(seconds)
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::CONFLICT, code, message)
    }

    /// The convention's state refused an event: 409 `refused`, with the refusal's code and
    /// arguments beside its English words.
    pub fn refused(refusal: &convene_record::convention::Refusal) -> AppError {
        AppError { refusal: serde_json::to_value(refusal).ok(), ..AppError::conflict("refused", refusal.to_string()) }
    }

    /// Entry `index` is in the log, but no checkpoint that covers it has its witnesses' quorum
    /// yet: 503 `not_yet_witnessed`, with the entry as data, so that the client asks for its
    /// receipt later.
    pub fn not_yet_witnessed(index: u64, tracking_code: Option<&str>, why: &str) -> AppError {
        let message = format!("stored as log entry {index}, but no checkpoint covering it has its witnesses' quorum yet ({why}); ask for its receipt later");
        AppError {
            stored: Some(match tracking_code {
                Some(code) => json!({ "index": index, "tracking_code": code }),
                None => json!({ "index": index }),
            }),
            ..AppError::new(StatusCode::SERVICE_UNAVAILABLE, "not_yet_witnessed", message).retry_after(1)
        }
    }

    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        tracing::error!(%detail, "internal error");
        AppError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "an internal error occurred; it has been logged")
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut body = json!({ "error": self.code, "message": self.message });
        if let Some(refusal) = self.refusal {
            body["refusal"] = refusal;
        }
        if let Some(stored) = self.stored {
            body["stored"] = stored;
        }
        let mut response = (self.status, Json(body)).into_response();
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
            StoreError::Moved { size } => AppError::internal(format!("an append found the log moved to {size}")),
            StoreError::Unavailable(m) => {
                tracing::warn!(error = %m, "the database is unavailable");
                let message = "the database is unavailable for a moment; try again shortly";
                AppError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message).retry_after(1)
            }
            StoreError::Full(m) => {
                tracing::error!(error = %m, "the database's disk is full: free space or grow it; casts are refused until then");
                let message = "the server's disk is full, so nothing was recorded; its operators are told; try again in a few minutes";
                AppError::new(StatusCode::INSUFFICIENT_STORAGE, "storage_full", message).retry_after(10)
            }
            StoreError::Refused { code, message } => AppError::conflict(code, message),
            StoreError::Uncovered { index, why } => AppError::not_yet_witnessed(index, None, &why),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The stable code under which the door refuses a ballot for `refusal`.
pub(crate) fn refusal_code(refusal: &convene_record::admission::Refusal) -> &'static str {
    match refusal {
        convene_record::admission::Refusal::Ineligible(_) => "not_eligible",
        convene_record::admission::Refusal::Proof(_) => "bad_proof",
        convene_record::admission::Refusal::Reveal(_) => "bad_reveal",
        convene_record::admission::Refusal::Repeated { .. } | convene_record::admission::Refusal::RepeatedPending => {
            "repeated_ballot"
        }
        convene_record::admission::Refusal::ReusesReveal { .. } => "reuses_reveal",
        convene_record::admission::Refusal::TooManyBallots { .. } => "too_many_ballots",
        convene_record::admission::Refusal::OneTimeKey(_) => "bad_one_time_key",
        convene_record::admission::Refusal::IdentityCiphertext { .. }
        | convene_record::admission::Refusal::Unreadable(_) => "bad_ballot",
    }
}

/// The status that goes with a refusal's code.
pub(crate) fn refusal_status(code: &str) -> StatusCode {
    match code {
        "not_eligible" | "too_many_ballots" => StatusCode::FORBIDDEN,
        "repeated_ballot" => StatusCode::CONFLICT,
        _ => StatusCode::BAD_REQUEST,
    }
}
