//! The one error type of the HTTP layer and the one error shape of the API: `{code, message}`
//! ([`ErrorBody`]), for handler errors, extractor rejections, 404/405 fallbacks and anything else
//! (a last-resort middleware rewrites any non-JSON error response). Some errors carry extra
//! fields beside `code` and `message` (a blob's state on 409), so the body still parses as
//! `ErrorBody`. Internal details are logged, never sent; nothing personal is logged.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gridpatrol_proto::sync::ErrorBody;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::store::StoreError;

/// An error response: status, stable code, a sentence, optional headers and extra fields.
#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    extra: Map<String, Value>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError {
            status,
            code,
            message: message.into(),
            headers: Vec::new(),
            extra: Map::new(),
        }
    }

    /// 401: no token, or one the server does not know (the phone pauses its queue).
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
            .with_header(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
    }

    /// 403: outside the caller's grids or street, or not allowed for their role.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message)
    }

    /// 500 with a generic message; the detail goes to the log only.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; try again later",
        )
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Adds the fields of `value` (an object) beside `code` and `message`.
    pub fn with_fields(mut self, value: impl Serialize) -> Self {
        if let Ok(Value::Object(fields)) = serde_json::to_value(value) {
            self.extra.extend(fields);
        }
        self
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut body = self.extra;
        body.insert("code".into(), Value::String(self.code.into()));
        body.insert("message".into(), Value::String(self.message));
        let mut response = (self.status, Json(Value::Object(body))).into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::InvalidCode => {
                AppError::new(StatusCode::UNAUTHORIZED, "invalid_code", e.to_string())
            }
            StoreError::DeviceTaken => {
                AppError::new(StatusCode::CONFLICT, "device_taken", e.to_string())
            }
            StoreError::NotFound(m) => AppError::not_found(m),
            StoreError::Invalid(m) => AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", m),
            StoreError::Backend(m) => AppError::internal(m),
        }
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        AppError::internal(format!("blob storage: {e}"))
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::internal(format!("blocking task: {e}"))
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        let code = match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
            _ => "malformed_json",
        };
        AppError::new(rejection.status(), code, rejection.body_text())
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::bad_request("invalid_query", rejection.body_text())
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::bad_request("invalid_path", rejection.body_text())
    }
}

/// Router fallback: no such route.
pub async fn not_found() -> AppError {
    AppError::not_found("no such route")
}

/// Router fallback: the route exists, the method does not.
pub async fn method_not_allowed() -> AppError {
    AppError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method",
    )
}

/// Last resort: an error response that is not JSON (from a layer outside our handlers) is
/// rewritten into the error shape, keeping its status and headers.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let head = request.method() == Method::HEAD;
    let response = next.run(request).await;
    let status = response.status();
    // JSON errors are ours already; HTML errors are the web form's pages for people.
    let is_ours = response.headers().get(CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(b"application/json") || v.as_bytes().starts_with(b"text/html")
    });
    if head || is_ours || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let body = ErrorBody {
        code: status
            .canonical_reason()
            .unwrap_or("error")
            .to_ascii_lowercase()
            .replace([' ', '-'], "_"),
        message: format!("request failed with status {}", status.as_u16()),
    };
    let rewritten = Json(body).into_response();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts
        .headers
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, rewritten.into_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn extra_fields_sit_beside_code_and_message() {
        let response = AppError::new(StatusCode::CONFLICT, "offset_mismatch", "wrong offset")
            .with_fields(serde_json::json!({"offset": 5}))
            .into_response();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let bytes = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(value["offset"], 5);
        let body: ErrorBody = serde_json::from_value(value).unwrap();
        assert_eq!(body.code, "offset_mismatch");
    }
}
