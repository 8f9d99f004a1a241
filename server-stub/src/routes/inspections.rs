//! `GET /v1/inspections/{inspection_id}/notice.pdf`: one rectification notice (整改通知书) for
//! every hazard an inspection found, for the caller's grids or street.

use axum::extract::State;
use axum::response::Response;

use super::hazards::notice_response;
use super::AppPath;
use crate::error::AppError;
use crate::openapi::schema;
use crate::state::AppState;
use crate::store::Caller;

/// The rectification notice for an inspection's hazards (PDF).
#[utoipa::path(
    get,
    path = "/v1/inspections/{inspection_id}/notice.pdf",
    tag = "ledger",
    security(("bearer" = [])),
    params(("inspection_id" = String, Path, description = "The inspection's id")),
    responses(
        (status = 200, description = "The notice", content_type = "application/pdf", body = schema::BlobBytes),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = 403, description = "`forbidden`: outside the caller's scope, or a resident", body = schema::ErrorBody),
        (status = 404, description = "`not_found`", body = schema::ErrorBody),
        (status = 503, description = "`font_unavailable`: no CJK font on the server", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn inspections_notice(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(inspection_id): AppPath<String>,
) -> Result<Response, AppError> {
    let found = state
        .db(move |store| store.inspection_notice(&inspection_id))
        .await?;
    notice_response(&state, &caller, found, "inspection").await
}
