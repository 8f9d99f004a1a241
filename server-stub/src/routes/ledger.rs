//! `GET /v1/ledger`: the hazard ledger (隐患台账) of the caller's grids or street, optionally
//! narrowed to one grid, status or hazard area.

use axum::extract::State;
use axum::Json;
use gridpatrol_proto::sync::{LedgerResponse, Role};
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppQuery;
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::openapi::schema;
use crate::state::AppState;
use crate::store::{Caller, LedgerFilter};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// Only this grid (which must be in the caller's scope).
    pub grid: Option<String>,
    /// Only this status, e.g. `REPORTED`.
    pub status: Option<String>,
    /// Only this hazard area, e.g. `escape_routes`.
    pub area: Option<String>,
}

/// The hazards in the caller's scope, newest report first.
#[utoipa::path(
    get,
    path = "/v1/ledger",
    tag = "ledger",
    security(("bearer" = [])),
    params(LedgerQuery),
    responses(
        (status = 200, description = "The ledger", body = schema::LedgerResponse),
        (status = 400, description = "`invalid_query`", body = schema::ErrorBody),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = 403, description = "`forbidden`: a resident, or a grid outside the caller's scope", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn ledger_list(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(query): AppQuery<LedgerQuery>,
) -> Result<Json<LedgerResponse>, AppError> {
    if caller.role == Role::Resident {
        return Err(AppError::forbidden("residents see only their own reports"));
    }
    let scope = caller.scope();
    if let Some(grid) = query.grid.clone() {
        let info = state.db(move |store| store.grid(&grid)).await?;
        if !info.is_some_and(|g| scope.covers(&g.grid, &g.street)) {
            return Err(AppError::forbidden("that grid is outside your scope"));
        }
    }
    let filter = LedgerFilter {
        grid: query.grid,
        status: query.status,
        area: query.area,
    };
    let hazards = state.db(move |store| store.ledger(&scope, &filter)).await?;
    Ok(Json(LedgerResponse {
        hazards,
        server_time: rfc3339(state.clock.now()),
    }))
}
