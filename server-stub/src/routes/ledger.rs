//! The hazard ledger (隐患台账) of the caller's grids or street: `GET /v1/ledger` (JSON),
//! `GET /v1/ledger/counts?group_by=` (hazards per group) and `GET /v1/ledger.csv` (for Excel),
//! all with the same filters: 区/街乡/社区/网格, hazard area, venue type, industry, grade,
//! status, overdue. Deadlines are re-evaluated first, so `overdue` follows the server clock.
//! Residents have no ledger.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::Json;
use gridpatrol_proto::events::HazardGrade;
use gridpatrol_proto::hazard_flow::HazardStatus;
use gridpatrol_proto::sync::{LedgerCounts, LedgerResponse, Role};
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppQuery;
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::ledger_csv;
use crate::openapi::schema;
use crate::state::AppState;
use crate::store::{Caller, LedgerFilter, LedgerGroup, Scope};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// Only this district (区), e.g. `朝阳区`.
    pub district: Option<String>,
    /// Only this street (街乡), e.g. `劲松街道`.
    pub street: Option<String>,
    /// Only this community (社区), e.g. `劲松三区社区`.
    pub community: Option<String>,
    /// Only this grid (网格), which must be in the caller's scope.
    pub grid: Option<String>,
    /// Only this hazard area, e.g. `escape_routes`.
    pub area: Option<String>,
    /// Only venues of this type, e.g. `small_eatery`.
    pub venue_type: Option<String>,
    /// Only venues of this industry, e.g. `餐饮`.
    pub industry: Option<String>,
    /// Only this grade: `general` or `suspected_major`.
    pub grade: Option<String>,
    /// Only this status, e.g. `REPORTED`.
    pub status: Option<String>,
    /// Only hazards that are (or are not) overdue by the server's clock.
    pub overdue: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountsQuery {
    /// Comma-separated grouping columns: `district`, `street`, `community`, `grid`, `area`,
    /// `venue_type`, `industry`, `grade`, `status`, `overdue`. Empty: one total.
    pub group_by: Option<String>,
}

fn invalid(message: impl Into<String>) -> AppError {
    AppError::bad_request("invalid_query", message)
}

/// Checks the query and the caller: residents have no ledger; a grid must be in scope.
async fn filter_for(
    state: &AppState,
    caller: &Caller,
    query: LedgerQuery,
) -> Result<(Scope, LedgerFilter), AppError> {
    if caller.role == Role::Resident {
        return Err(AppError::forbidden("residents see only their own reports"));
    }
    if let Some(grade) = &query.grade {
        serde_json::from_value::<HazardGrade>(grade.as_str().into())
            .map_err(|_| invalid("grade must be general or suspected_major"))?;
    }
    if let Some(status) = &query.status {
        serde_json::from_value::<HazardStatus>(status.as_str().into())
            .map_err(|_| invalid(format!("unknown status '{status}'")))?;
    }
    let scope = caller.scope();
    if let Some(grid) = query.grid.clone() {
        let info = state.db(move |store| store.grid(&grid)).await?;
        if !info.is_some_and(|g| scope.covers(&g.grid, &g.street)) {
            return Err(AppError::forbidden("that grid is outside your scope"));
        }
    }
    state.refresh().await?;
    let filter = LedgerFilter {
        district: query.district,
        street: query.street,
        community: query.community,
        grid: query.grid,
        area: query.area,
        venue_type: query.venue_type,
        industry: query.industry,
        grade: query.grade,
        status: query.status,
        overdue: query.overdue,
    };
    Ok((scope, filter))
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
    let (scope, filter) = filter_for(&state, &caller, query).await?;
    let hazards = state.db(move |store| store.ledger(&scope, &filter)).await?;
    Ok(Json(LedgerResponse {
        hazards,
        server_time: rfc3339(state.clock.now()),
    }))
}

/// How many hazards of the caller's scope (after the filters) fall in each group.
#[utoipa::path(
    get,
    path = "/v1/ledger/counts",
    tag = "ledger",
    security(("bearer" = [])),
    params(LedgerQuery, CountsQuery),
    responses(
        (status = 200, description = "Counts per group", body = schema::LedgerCounts),
        (status = 400, description = "`invalid_query`: e.g. an unknown group_by column", body = schema::ErrorBody),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = 403, description = "`forbidden`: a resident, or a grid outside the caller's scope", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn ledger_counts(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(query): AppQuery<LedgerQuery>,
    AppQuery(counts): AppQuery<CountsQuery>,
) -> Result<Json<LedgerCounts>, AppError> {
    let mut group_by = Vec::new();
    for name in counts
        .group_by
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let group =
            LedgerGroup::parse(name).ok_or_else(|| invalid(format!("cannot group by '{name}'")))?;
        if group_by.contains(&group) {
            return Err(invalid(format!("'{name}' is named twice in group_by")));
        }
        group_by.push(group);
    }
    let (scope, filter) = filter_for(&state, &caller, query).await?;
    let columns = group_by.clone();
    let groups = state
        .db(move |store| store.ledger_counts(&scope, &filter, &columns))
        .await?;
    Ok(Json(LedgerCounts {
        group_by: group_by.iter().map(|g| g.name().to_owned()).collect(),
        total: groups.iter().map(|g| g.count).sum(),
        groups,
        server_time: rfc3339(state.clock.now()),
    }))
}

/// The ledger as CSV (UTF-8 with BOM, Chinese headers and labels) for Excel.
#[utoipa::path(
    get,
    path = "/v1/ledger.csv",
    tag = "ledger",
    security(("bearer" = [])),
    params(LedgerQuery),
    responses(
        (status = 200, description = "The ledger as CSV", content_type = "text/csv", body = String),
        (status = 400, description = "`invalid_query`", body = schema::ErrorBody),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = 403, description = "`forbidden`: a resident, or a grid outside the caller's scope", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn ledger_csv(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(query): AppQuery<LedgerQuery>,
) -> Result<Response, AppError> {
    let (scope, filter) = filter_for(&state, &caller, query).await?;
    let csv = state
        .db(move |store| {
            let rows = store.ledger_rows(&scope, &filter)?;
            let pack = store.reference_pack()?;
            let mut rules = HashMap::new();
            for row in &rows {
                if !rules.contains_key(&row.district) {
                    rules.insert(row.district.clone(), store.rules(&row.district)?);
                }
            }
            Ok(ledger_csv::render(&rows, pack.as_ref(), &rules))
        })
        .await?;
    let name = format!(
        "attachment; filename=\"ledger.csv\"; filename*=UTF-8''%E9%9A%90%E6%82%A3%E5%8F%B0%E8%B4%A6-{}.csv",
        state.clock.now().format("%Y%m%d")
    );
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, name),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        csv,
    )
        .into_response())
}
