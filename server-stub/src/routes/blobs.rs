//! `HEAD` / `PATCH /v1/blobs/{sha256}`: resumable, content-addressed evidence uploads (a tus-like
//! subset, ADR 0007). PATCH appends the body to the partial upload as it arrives, chunk by chunk,
//! so a cut connection keeps every byte that was written; the client asks HEAD for the offset
//! and sends the rest. Reaching `upload-length` verifies the SHA-256: a match stores the blob
//! and completes the events waiting for it, a mismatch discards the upload (422).
//!
//! Uploads of one blob are serialised by a per-blob lock; any authenticated caller may upload
//! any blob (content addressing makes the bytes self-certifying).

use axum::body::Body;
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use gridpatrol_proto::sync::{
    is_sha256_hex, BlobState, BLOB_COMPLETE, UPLOAD_LENGTH, UPLOAD_OFFSET,
};
use http_body_util::BodyExt;

use super::AppPath;
use crate::error::AppError;
use crate::openapi::schema;
use crate::state::AppState;
use crate::store::{BlobAppender, BlobProgress, Caller, Finish};

fn checked_name(sha256: &str) -> Result<(), AppError> {
    if is_sha256_hex(sha256) {
        Ok(())
    } else {
        Err(AppError::bad_request(
            "invalid_sha256",
            "a blob is named by its lowercase hex SHA-256",
        ))
    }
}

fn state_of(sha256: &str, progress: BlobProgress) -> BlobState {
    BlobState {
        sha256: sha256.to_owned(),
        offset: progress.offset,
        length: progress.length,
        complete: progress.complete,
    }
}

fn header_u64(headers: &HeaderMap, name: &'static str) -> Result<u64, AppError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .filter(|n| *n <= i64::MAX as u64)
        .ok_or_else(|| {
            AppError::bad_request(
                "invalid_header",
                format!("the {name} header must be a non-negative integer"),
            )
        })
}

/// The upload state as headers (HEAD) or headers plus body (PATCH).
fn blob_headers(state: &BlobState) -> [(&'static str, HeaderValue); 4] {
    [
        (UPLOAD_OFFSET, HeaderValue::from(state.offset)),
        (
            UPLOAD_LENGTH,
            state
                .length
                .map_or(HeaderValue::from_static(""), HeaderValue::from),
        ),
        (
            BLOB_COMPLETE,
            HeaderValue::from_static(if state.complete { "true" } else { "false" }),
        ),
        (CACHE_CONTROL.as_str(), HeaderValue::from_static("no-store")),
    ]
}

fn blob_response(status: StatusCode, state: BlobState) -> Response {
    let mut response = (status, Json(&state)).into_response();
    for (name, value) in blob_headers(&state) {
        if !value.is_empty() {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// Looks the blob up; a blob stored on disk but not yet recorded (a crash between the two) is
/// recorded now, so the two never disagree for long.
async fn progress(state: &AppState, sha256: &str) -> Result<BlobProgress, AppError> {
    let name = sha256.to_owned();
    let progress = state.blob_io(move |blobs| blobs.progress(&name)).await?;
    if progress.complete {
        let (name, now) = (sha256.to_owned(), state.clock.now());
        state
            .db(move |store| store.blob_completed(&name, progress.offset, now))
            .await?;
    }
    Ok(progress)
}

/// How many bytes of a blob the server holds, and whether it is complete and verified.
#[utoipa::path(
    head,
    path = "/v1/blobs/{sha256}",
    tag = "sync",
    security(("bearer" = [])),
    params(schema::BlobName),
    responses(
        (status = 200, description = "The upload state, in headers (offset 0 for an unknown blob)",
         headers(
            ("upload-offset" = u64, description = "Bytes the server holds"),
            ("upload-length" = u64, description = "The declared total size, once known"),
            ("blob-complete" = bool, description = "`true` once stored and verified"),
         )),
        (status = 400, description = "`invalid_sha256`"),
        (status = 401, description = "`unauthorized`"),
        (status = "default", description = "Any other error"),
    )
)]
pub async fn blobs_head(
    State(state): State<AppState>,
    _caller: Caller,
    AppPath(sha256): AppPath<String>,
) -> Result<Response, AppError> {
    checked_name(&sha256)?;
    let progress = progress(&state, &sha256).await?;
    let mut response = StatusCode::OK.into_response();
    for (name, value) in blob_headers(&state_of(&sha256, progress)) {
        if !value.is_empty() {
            response.headers_mut().insert(name, value);
        }
    }
    Ok(response)
}

/// Append bytes from `upload-offset`; at `upload-length` the SHA-256 is verified.
#[utoipa::path(
    patch,
    path = "/v1/blobs/{sha256}",
    tag = "sync",
    security(("bearer" = [])),
    params(schema::BlobName, schema::BlobUploadHeaders),
    request_body(content = schema::BlobBytes, content_type = "application/octet-stream",
        description = "The blob's bytes from `upload-offset` on (all of the rest or a part)"),
    responses(
        (status = 200, description = "Bytes appended (or the blob was already complete)", body = schema::BlobState),
        (status = 400, description = "`invalid_sha256`, `invalid_header`, `length_exceeded`", body = schema::ErrorBody),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = 409, description = "`offset_mismatch` or `length_mismatch`: start again from `offset`", body = schema::BlobConflict),
        (status = 413, description = "`payload_too_large`: over the per-request or per-blob limit", body = schema::ErrorBody),
        (status = 422, description = "`hash_mismatch`: the bytes do not hash to the name; the upload was discarded", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn blobs_patch(
    State(state): State<AppState>,
    _caller: Caller,
    AppPath(sha256): AppPath<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    checked_name(&sha256)?;
    let offset = header_u64(&headers, UPLOAD_OFFSET)?;
    let length = header_u64(&headers, UPLOAD_LENGTH)?;
    let limits = state.settings.limits;
    if length > limits.blob_size {
        return Err(AppError::too_large(format!(
            "a blob may be at most {} bytes",
            limits.blob_size
        )));
    }
    state.stats.blob_patch(&sha256);
    let _guard = state.uploads.lock(&sha256).await;
    let held = progress(&state, &sha256).await?;
    if held.complete {
        return Ok(blob_response(StatusCode::OK, state_of(&sha256, held)));
    }
    if held.length.is_some_and(|l| l != length) {
        return Err(conflict(
            "length_mismatch",
            format!(
                "this upload was started with upload-length {}",
                held.length.unwrap_or(0)
            ),
            state_of(&sha256, held),
        ));
    }
    if offset != held.offset {
        return Err(conflict(
            "offset_mismatch",
            format!("the server holds {} bytes; send from there", held.offset),
            state_of(&sha256, held),
        ));
    }
    let name = sha256.clone();
    let appender = state
        .blob_io(move |blobs| {
            blobs.begin(&name, length)?;
            blobs.appender(&name)
        })
        .await?;
    let (received, outcome) = receive(&state, &sha256, appender, body, offset, length).await?;
    outcome?;
    if received < length {
        return Ok(blob_response(
            StatusCode::OK,
            BlobState {
                sha256,
                offset: received,
                length: Some(length),
                complete: false,
            },
        ));
    }
    let name = sha256.clone();
    let finish = state.blob_io(move |blobs| blobs.finish(&name)).await?;
    state.stats.blob_finished(&sha256, finish == Finish::Stored);
    if finish == Finish::HashMismatch {
        return Err(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
            "the uploaded bytes do not hash to the blob's name; the upload was discarded",
        ));
    }
    let (name, now) = (sha256.clone(), state.clock.now());
    state
        .db(move |store| store.blob_completed(&name, length, now))
        .await?;
    Ok(blob_response(
        StatusCode::OK,
        BlobState {
            sha256,
            offset: length,
            length: Some(length),
            complete: true,
        },
    ))
}

fn conflict(code: &'static str, message: String, state: BlobState) -> AppError {
    let offset = HeaderValue::from(state.offset);
    AppError::new(StatusCode::CONFLICT, code, message)
        .with_header(axum::http::HeaderName::from_static(UPLOAD_OFFSET), offset)
        .with_fields(state)
}

/// Streams the body into the partial upload. Returns the offset reached and whether the body
/// arrived whole; bytes written before a failure stay written (and durable).
async fn receive(
    state: &AppState,
    sha256: &str,
    mut appender: Box<dyn BlobAppender>,
    mut body: Body,
    offset: u64,
    length: u64,
) -> Result<(u64, Result<(), AppError>), AppError> {
    let limit = state.settings.limits.blob_request;
    let mut received = offset;
    let outcome = loop {
        let frame = match body.frame().await {
            None => break Ok(()),
            Some(Err(_)) => {
                break Err(AppError::bad_request(
                    "body_incomplete",
                    "the request body ended early; ask HEAD for the offset and resume",
                ))
            }
            Some(Ok(frame)) => frame,
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if received + data.len() as u64 > length {
            break Err(AppError::bad_request(
                "length_exceeded",
                "the body goes past upload-length",
            ));
        }
        if received - offset + data.len() as u64 > limit {
            break Err(AppError::too_large(format!(
                "one request may carry at most {limit} bytes; send the rest in another"
            )));
        }
        let n = data.len() as u64;
        appender = tokio::task::spawn_blocking(move || {
            appender.append(&data)?;
            Ok::<_, std::io::Error>(appender)
        })
        .await??;
        received += n;
        state.stats.blob_bytes(sha256, n);
    };
    tokio::task::spawn_blocking(move || appender.sync()).await??;
    Ok((received, outcome))
}
