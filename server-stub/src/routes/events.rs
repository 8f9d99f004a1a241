//! `POST /v1/events`: a device pushes its journal events in `device_seq` order. The answer is a
//! `PushResponse`; when an event is not taken the status is that event's (403, 409, 422) and the
//! body also carries `code` and `message`, so it parses as the error shape too.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gridpatrol_proto::sync::{PushRequest, PushResponse, PushStatus};

use super::AppJson;
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::openapi::schema;
use crate::state::AppState;
use crate::store::Caller;

/// Push a batch of this device's events; the server stops at the first it does not take.
#[utoipa::path(
    post,
    path = "/v1/events",
    tag = "sync",
    security(("bearer" = [])),
    request_body = schema::PushRequest,
    responses(
        (status = 200, description = "Every event accepted or duplicate", body = schema::PushResponse),
        (status = 401, description = "`unauthorized`: no or unknown token", body = schema::ErrorBody),
        (status = 403, description = "`forbidden`: another device's events, or a venue outside the caller's grids (the body is a PushFailure when an event was refused)", body = schema::PushRefusal),
        (status = 409, description = "`conflict`: an event id or device_seq stored with other content", body = schema::PushFailure),
        (status = 413, description = "`payload_too_large`: the batch is over 2 MiB", body = schema::ErrorBody),
        (status = 422, description = "`rejected`: bad hash, broken chain, sequence gap or unreadable payload (PushFailure); or `invalid_body` (ErrorBody)", body = schema::PushRefusal),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn events_push(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(request): AppJson<PushRequest>,
) -> Result<Response, AppError> {
    if request.device_id != caller.device_id {
        return Err(AppError::forbidden(
            "this token belongs to another device; a device pushes only its own events",
        ));
    }
    let device_id = caller.device_id.clone();
    let now = state.clock.now();
    let results = state
        .db(move |store| store.push(&caller, &request.events, now))
        .await?;
    state.stats.pushed(&device_id, &results);
    // Any accepted event may be a warning or an acknowledgement: wake the live streams.
    if results.iter().any(|r| r.status == PushStatus::Accepted) {
        state.warnings_changed.send_modify(|n| *n += 1);
    }
    let failure = results.last().and_then(|last| {
        let (status, code) = match last.status {
            PushStatus::Accepted | PushStatus::Duplicate => return None,
            PushStatus::Conflict => (StatusCode::CONFLICT, "conflict"),
            PushStatus::Rejected => (StatusCode::UNPROCESSABLE_ENTITY, "rejected"),
            PushStatus::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        };
        Some((status, code, last.reason.clone().unwrap_or_default()))
    });
    let response = PushResponse {
        results,
        server_time: rfc3339(now),
    };
    Ok(match failure {
        None => Json(response).into_response(),
        Some((status, code, message)) => AppError::new(status, code, message)
            .with_fields(response)
            .into_response(),
    })
}
