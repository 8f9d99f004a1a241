//! `GET /v1/changes?since=&limit=`: the changes feed in server commit order, scoped to the
//! caller (venues, venue-code revocations, hazards and residents' reports of their grids or
//! street; their own warnings and, for residents, their own reports; packs and keys for
//! everyone). Deadlines and warnings are re-evaluated first, so a moved clock shows at the next
//! pull; a warning in the page counts as delivered to the caller.

use axum::extract::State;
use axum::Json;
use gridpatrol_proto::sync::{ChangeBody, ChangesResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppQuery;
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::openapi::schema;
use crate::state::AppState;
use crate::store::Caller;

const DEFAULT_LIMIT: u32 = 500;
const MAX_LIMIT: u32 = 1000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// The `next_cursor` of the previous page; 0 (the default) for everything.
    #[param(minimum = 0)]
    pub since: Option<u64>,
    /// Page size, 1–1000 (default 500).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// Changes after a cursor, in commit order; ask again at once while `more` is true.
#[utoipa::path(
    get,
    path = "/v1/changes",
    tag = "sync",
    security(("bearer" = [])),
    params(ChangesQuery),
    responses(
        (status = 200, description = "A page of changes", body = schema::ChangesResponse),
        (status = 400, description = "`invalid_query`", body = schema::ErrorBody),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn changes_list(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(query): AppQuery<ChangesQuery>,
) -> Result<Json<ChangesResponse>, AppError> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::bad_request(
            "invalid_query",
            format!("limit must be 1 to {MAX_LIMIT}"),
        ));
    }
    // Cursors are SQLite's signed 64-bit keys (and int64 in the document).
    let since = query.since.unwrap_or(0);
    if since > i64::MAX as u64 {
        return Err(AppError::bad_request(
            "invalid_query",
            "since must be below 2^63",
        ));
    }
    state.refresh().await?;
    let scope = caller.scope();
    let user_id = caller.user_id.clone();
    let page = state
        .db(move |store| store.changes(&scope, &user_id, since, limit))
        .await?;
    let warnings: Vec<String> = page
        .changes
        .iter()
        .filter_map(|c| match &c.body {
            ChangeBody::Warning(w) => Some(w.warning_id.clone()),
            _ => None,
        })
        .collect();
    if !warnings.is_empty() {
        let now = state.clock.now();
        state
            .db(move |store| store.mark_delivered(&caller.user_id, &warnings, now))
            .await?;
    }
    Ok(Json(ChangesResponse {
        changes: page.changes,
        next_cursor: page.next_cursor,
        more: page.more,
        server_time: rfc3339(state.clock.now()),
    }))
}
