//! The one error shape of the API: `{"error": {"code", "message", …}}` with a typed `code`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Extra fields merged into `error` (e.g. the `order_id` an order conflicts with).
    pub extra: Option<Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), extra: None }
    }
    pub fn bad_request(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, leak(code), message)
    }
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }
    pub fn conflict(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, code, message)
    }
    pub fn not_found(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, code, message)
    }
    pub fn with(mut self, extra: Value) -> ApiError {
        self.extra = Some(extra);
        self
    }
    pub fn body(&self) -> Value {
        let mut e = json!({ "code": self.code, "message": self.message });
        if let (Some(Value::Object(x)), Value::Object(m)) = (&self.extra, &mut e) {
            for (k, v) in x {
                m.insert(k.clone(), v.clone());
            }
        }
        json!({ "error": e })
    }
}

/// Codes are a small fixed set; the few built from strings are interned once.
fn leak(code: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        "bad_json", "missing_payload", "unknown_wallet", "missing_wallet", "bad_currency", "bad_replaces", "bad_amount",
        "bad_tip", "bad_fee", "bad_base_amount", "bad_result", "missing_order_id", "bad_idempotency_key", "bad_request", "bad_payer",
    ];
    KNOWN.iter().find(|k| **k == code).copied().unwrap_or("bad_request")
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        eprintln!("sandbox-merchant: store error: {e}");
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "store_unavailable", "the order store is not available; try again")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (self.status, axum::Json(self.body())).into_response();
        r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}
