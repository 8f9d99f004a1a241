//! `POST /v1/residents`: an anonymous resident device registers without a code and gets a
//! bearer token (role `resident`, no grids, no street). A phone number, if given, is stored
//! apart and never shown to workers or venues. A device id already enrolled is 409
//! `device_taken` (a resident's token cannot be taken over by naming its device).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use gridpatrol_proto::sync::{EnrollResponse, ResidentEnrollRequest};

use super::enroll::enrolled;

use super::AppJson;
use crate::auth::{new_token, sha256_hex};
use crate::error::AppError;
use crate::openapi::schema;
use crate::state::AppState;
use crate::store::DeviceEnrollment;

/// Register an anonymous resident device; returns its bearer token.
#[utoipa::path(
    post,
    path = "/v1/residents",
    tag = "auth",
    request_body = schema::ResidentEnrollRequest,
    responses(
        (status = 200, description = "Registered; keep the token", body = schema::EnrollResponse),
        (status = 409, description = "`device_taken`: the device id is already enrolled", body = schema::ErrorBody),
        (status = 422, description = "`invalid_body`", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn residents_create(
    State(state): State<AppState>,
    AppJson(request): AppJson<ResidentEnrollRequest>,
) -> Result<Json<EnrollResponse>, AppError> {
    let invalid = |m: &str| AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", m);
    if request.device_id.trim().is_empty() || request.device_id.len() > 128 {
        return Err(invalid("device_id must be 1 to 128 bytes"));
    }
    if request.device_name.as_ref().is_some_and(|n| n.len() > 200) {
        return Err(invalid("device_name must be at most 200 bytes"));
    }
    let phone = request
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    if phone.is_some_and(|p| {
        p.len() > 20 || !p.chars().all(|c| c.is_ascii_digit() || "+- ".contains(c))
    }) {
        return Err(invalid(
            "phone must be up to 20 digits (with + - or spaces)",
        ));
    }
    let phone = phone.map(str::to_owned);
    let token = new_token();
    let token_hash = sha256_hex(&token);
    let now = state.clock.now();
    let account = state
        .db(move |store| {
            store.enroll_resident(
                &DeviceEnrollment {
                    device_id: &request.device_id,
                    device_name: request.device_name.as_deref(),
                    token_hash: &token_hash,
                },
                phone.as_deref(),
                now,
            )
        })
        .await?;
    Ok(Json(enrolled(token, account, now)))
}
