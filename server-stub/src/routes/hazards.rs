//! `GET /v1/hazards/{hazard_id}/notice.pdf`: the rectification notice (整改通知书) for one
//! hazard, for workers of its grid and supervisors of its street (never residents: it names
//! the inspector). The PDF itself is `notice_pdf`; this module also serves the inspection
//! notice's response.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::AppPath;
use crate::error::AppError;
use crate::notice_pdf::{self, NoticePhoto};
use crate::openapi::schema;
use crate::state::AppState;
use crate::store::{Caller, GridInfo, NoticeData};

/// Renders a notice the caller may read: 404 unknown, 403 outside scope (or a resident).
pub async fn notice_response(
    state: &AppState,
    caller: &Caller,
    found: Option<(GridInfo, NoticeData)>,
    what: &str,
) -> Result<Response, AppError> {
    let (place, data) = found.ok_or_else(|| AppError::not_found(format!("no {what}")))?;
    if !caller.scope().covers(&place.grid, &place.street) {
        return Err(AppError::forbidden(format!(
            "that {what} is outside your scope"
        )));
    }
    let mut photos = Vec::with_capacity(data.items.len());
    for item in &data.items {
        let mut item_photos = Vec::new();
        for sha256 in &item.photos {
            let name = sha256.clone();
            let bytes = state.blob_io(move |blobs| blobs.read(&name)).await?;
            item_photos.push(NoticePhoto {
                sha256: sha256.clone(),
                bytes,
            });
        }
        photos.push(item_photos);
    }
    let issued = state.clock.now();
    let fonts = state.pdf_font.clone();
    let subject = data.subject_id.clone();
    let pdf = tokio::task::spawn_blocking(move || {
        let font = fonts.get().ok_or_else(|| {
            AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "font_unavailable",
                "the server has no TrueType CJK font for notices (install fonts-wqy-zenhei)",
            )
        })?;
        notice_pdf::render(font, &place, &data, &photos, issued).map_err(AppError::internal)
    })
    .await??;
    Ok((
        [
            (CONTENT_TYPE, "application/pdf".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("inline; filename=\"notice-{subject}.pdf\""),
            ),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        pdf,
    )
        .into_response())
}

/// The rectification notice for one hazard (PDF).
#[utoipa::path(
    get,
    path = "/v1/hazards/{hazard_id}/notice.pdf",
    tag = "ledger",
    security(("bearer" = [])),
    params(("hazard_id" = String, Path, description = "The hazard's id")),
    responses(
        (status = 200, description = "The notice", content_type = "application/pdf", body = schema::BlobBytes),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = 403, description = "`forbidden`: outside the caller's scope, or a resident", body = schema::ErrorBody),
        (status = 404, description = "`not_found`", body = schema::ErrorBody),
        (status = 503, description = "`font_unavailable`: no CJK font on the server", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn hazards_notice(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(hazard_id): AppPath<String>,
) -> Result<Response, AppError> {
    let found = state
        .db(move |store| store.hazard_notice(&hazard_id))
        .await?;
    notice_response(&state, &caller, found, "hazard").await
}
