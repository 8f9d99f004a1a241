//! `POST /v1/enroll`: an enrollment code and a device id in, a bearer token out. The code is
//! single-use; re-enrolling the same device (same user) replaces its token; a device id that
//! belongs to another user is 409 `device_taken`.

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use gridpatrol_proto::sync::{EnrollRequest, EnrollResponse};

use super::AppJson;
use crate::auth::{code_hash, new_token, sha256_hex};
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::openapi::schema;
use crate::state::AppState;
use crate::store::{Account, DeviceEnrollment};

/// Longest accepted device id, device name and code, in bytes.
const MAX_DEVICE_ID: usize = 128;
const MAX_DEVICE_NAME: usize = 200;
const MAX_CODE: usize = 64;

/// Enroll a device with a code from the street office; returns the bearer token.
#[utoipa::path(
    post,
    path = "/v1/enroll",
    tag = "auth",
    request_body = schema::EnrollRequest,
    responses(
        (status = 200, description = "Enrolled; keep the token", body = schema::EnrollResponse),
        (status = 401, description = "`invalid_code`: unknown, used or expired", body = schema::ErrorBody),
        (status = 409, description = "`device_taken`: the device is enrolled to another user", body = schema::ErrorBody),
        (status = 422, description = "`invalid_body`", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn enroll_create(
    State(state): State<AppState>,
    AppJson(request): AppJson<EnrollRequest>,
) -> Result<Json<EnrollResponse>, AppError> {
    let invalid = |m: &str| {
        AppError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            m,
        )
    };
    if request.device_id.trim().is_empty() || request.device_id.len() > MAX_DEVICE_ID {
        return Err(invalid("device_id must be 1 to 128 bytes"));
    }
    if request.code.trim().is_empty() || request.code.len() > MAX_CODE {
        return Err(invalid("code must be 1 to 64 bytes"));
    }
    if request
        .device_name
        .as_ref()
        .is_some_and(|n| n.len() > MAX_DEVICE_NAME)
    {
        return Err(invalid("device_name must be at most 200 bytes"));
    }
    let token = new_token();
    let token_hash = sha256_hex(&token);
    let hash = code_hash(&request.code);
    let now = state.clock.now();
    let account = state
        .db(move |store| {
            store.enroll(
                &hash,
                &DeviceEnrollment {
                    device_id: &request.device_id,
                    device_name: request.device_name.as_deref(),
                    token_hash: &token_hash,
                },
                now,
            )
        })
        .await?;
    Ok(Json(enrolled(token, account, now)))
}

/// The answer to an enrollment (a code's, or a resident's registration).
pub fn enrolled(token: String, account: Account, now: DateTime<Utc>) -> EnrollResponse {
    EnrollResponse {
        token,
        user_id: account.user_id,
        display_name: account.display_name,
        role: account.role,
        grids: account.grids,
        street: account.street,
        server_time: rfc3339(now),
    }
}
