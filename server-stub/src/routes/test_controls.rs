//! `/v1/test/*`: controls for client tests, mounted only with test controls (otherwise these
//! paths are 404 like any unknown path). No authentication: never enable them on a server
//! anyone else can reach.
//!
//! - `POST /v1/test/faults` replaces the fault plan (`faults::FaultPlan`); `GET` shows what is
//!   left of it; `DELETE` clears it.
//! - `GET /v1/test/stats` returns the counters (`stats::StatsSnapshot`); `DELETE` resets them.
//! - `GET /v1/test/clock` shows the server clock; `POST` shifts it (`advance_seconds` adds,
//!   `offset_seconds` sets the shift from the real clock).
//! - `POST /v1/test/enrollment-codes` creates or updates a user and returns a fresh code.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use gridpatrol_proto::sync::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppJson;
use crate::auth::issue_code;
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::faults::FaultPlan;
use crate::openapi::schema;
use crate::state::AppState;
use crate::stats::StatsSnapshot;
use crate::store::Account;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/test/faults",
            post(test_faults_set)
                .get(test_faults_get)
                .delete(test_faults_clear),
        )
        .route(
            "/v1/test/stats",
            get(test_stats_get).delete(test_stats_reset),
        )
        .route("/v1/test/clock", get(test_clock_get).post(test_clock_shift))
        .route("/v1/test/enrollment-codes", post(test_codes_create))
}

/// Replace the fault plan.
#[utoipa::path(post, path = "/v1/test/faults", tag = "test controls",
    request_body = FaultPlan,
    responses((status = 200, description = "The plan now in force", body = FaultPlan),
              (status = "default", description = "Any error", body = schema::ErrorBody)))]
pub async fn test_faults_set(
    State(state): State<AppState>,
    AppJson(plan): AppJson<FaultPlan>,
) -> Result<Json<FaultPlan>, AppError> {
    state
        .faults
        .set(plan)
        .map_err(|m| AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", m))?;
    Ok(Json(state.faults.remaining()))
}

/// What is left of the fault plan.
#[utoipa::path(get, path = "/v1/test/faults", tag = "test controls",
    responses((status = 200, description = "Rules with the skips and times they still have", body = FaultPlan)))]
pub async fn test_faults_get(State(state): State<AppState>) -> Json<FaultPlan> {
    Json(state.faults.remaining())
}

/// Clear the fault plan.
#[utoipa::path(delete, path = "/v1/test/faults", tag = "test controls",
    responses((status = 200, description = "The (empty) plan", body = FaultPlan)))]
pub async fn test_faults_clear(State(state): State<AppState>) -> Json<FaultPlan> {
    let _ = state.faults.set(FaultPlan::default());
    Json(state.faults.remaining())
}

/// The counters.
#[utoipa::path(get, path = "/v1/test/stats", tag = "test controls",
    responses((status = 200, description = "Counters since start or reset", body = StatsSnapshot),
              (status = "default", description = "Any error", body = schema::ErrorBody)))]
pub async fn test_stats_get(
    State(state): State<AppState>,
) -> Result<Json<StatsSnapshot>, AppError> {
    let mut snapshot = state.stats.snapshot();
    snapshot.evidence_pending_events = state.db(|store| store.evidence_pending_events()).await?;
    Ok(Json(snapshot))
}

/// Reset the counters.
#[utoipa::path(delete, path = "/v1/test/stats", tag = "test controls",
    responses((status = 204, description = "Reset")))]
pub async fn test_stats_reset(State(state): State<AppState>) -> StatusCode {
    state.stats.reset();
    StatusCode::NO_CONTENT
}

/// The server clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClockState {
    pub server_time: String,
    /// Seconds the server clock is ahead of the real clock.
    pub offset_seconds: i64,
}

/// A clock shift: `advance_seconds` adds to the shift, `offset_seconds` sets it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClockShift {
    #[serde(default)]
    pub advance_seconds: Option<i64>,
    #[serde(default)]
    pub offset_seconds: Option<i64>,
}

fn clock_state(state: &AppState) -> ClockState {
    ClockState {
        server_time: rfc3339(state.clock.now()),
        offset_seconds: state.clock.offset_seconds(),
    }
}

/// Read the server clock.
#[utoipa::path(get, path = "/v1/test/clock", tag = "test controls",
    responses((status = 200, description = "The server clock", body = ClockState)))]
pub async fn test_clock_get(State(state): State<AppState>) -> Json<ClockState> {
    Json(clock_state(&state))
}

/// Shift the server clock.
#[utoipa::path(post, path = "/v1/test/clock", tag = "test controls",
    request_body = ClockShift,
    responses((status = 200, description = "The server clock after the shift", body = ClockState),
              (status = "default", description = "Any error", body = schema::ErrorBody)))]
pub async fn test_clock_shift(
    State(state): State<AppState>,
    AppJson(shift): AppJson<ClockShift>,
) -> Json<ClockState> {
    if let Some(offset) = shift.offset_seconds {
        state.clock.set_offset_seconds(offset);
    }
    if let Some(seconds) = shift.advance_seconds {
        state.clock.advance_seconds(seconds);
    }
    Json(clock_state(&state))
}

/// A user to create (or update) and issue a code to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NewEnrollment {
    pub user_id: String,
    pub display_name: String,
    pub role: schema::Role,
    /// A worker's grids.
    #[serde(default)]
    pub grids: Vec<String>,
    /// A supervisor's street (required for supervisors).
    #[serde(default)]
    pub street: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EnrollmentCode {
    pub code: String,
}

/// Create or update a user and issue a fresh enrollment code.
#[utoipa::path(post, path = "/v1/test/enrollment-codes", tag = "test controls",
    request_body = NewEnrollment,
    responses((status = 200, description = "A single-use code", body = EnrollmentCode),
              (status = "default", description = "Any error", body = schema::ErrorBody)))]
pub async fn test_codes_create(
    State(state): State<AppState>,
    AppJson(new): AppJson<NewEnrollment>,
) -> Result<Json<EnrollmentCode>, AppError> {
    let account = Account {
        user_id: new.user_id,
        display_name: new.display_name,
        role: Role::from(new.role),
        grids: new.grids,
        street: new.street,
    };
    let blocking = state.clone();
    let code = tokio::task::spawn_blocking(move || issue_code(&blocking, &account)).await??;
    Ok(Json(EnrollmentCode { code }))
}
