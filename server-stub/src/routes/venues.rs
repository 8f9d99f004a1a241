//! `GET /v1/venues/{venue_id}/qr.png` and `.svg`: a venue's code, freshly signed (its
//! `issued_at` is now, so a reprint outlives an older revocation). Only for venues in the
//! caller's scope.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use ed25519_dalek::SigningKey;
use gridpatrol_proto::venue_token;

use super::AppPath;
use crate::error::AppError;
use crate::openapi::schema;
use crate::qr;
use crate::state::AppState;
use crate::store::Caller;

/// Signs a code for `venue_id` with the active key and returns the URL it carries.
pub async fn signed_url(state: &AppState, venue_id: &str) -> Result<String, AppError> {
    let key = state
        .db(|store| store.active_signing_key())
        .await?
        .ok_or_else(|| AppError::internal("no active signing key"))?;
    let issued_at = u32::try_from(state.clock.now().timestamp().max(0)).unwrap_or(u32::MAX);
    let token = venue_token::sign(
        &SigningKey::from_bytes(&key.secret),
        key.key_id,
        venue_id,
        issued_at,
    )
    .map_err(|e| AppError::internal(format!("signing venue code: {e}")))?;
    Ok(venue_token::url(&state.settings.public_url, &token))
}

/// The URL for a venue the caller may see: 404 unknown, 403 outside their scope.
async fn venue_url(
    state: &AppState,
    caller: &Caller,
    venue_id: String,
) -> Result<String, AppError> {
    let id = venue_id.clone();
    let venue = state
        .db(move |store| store.venue(&id))
        .await?
        .ok_or_else(|| AppError::not_found(format!("no venue '{venue_id}'")))?;
    if !caller.scope().covers(&venue.grid, &venue.street) {
        return Err(AppError::forbidden("that venue is outside your grids"));
    }
    signed_url(state, &venue.venue_id).await
}

fn picture(content_type: &'static str, bytes: impl IntoResponse) -> Response {
    (
        [(CONTENT_TYPE, content_type), (CACHE_CONTROL, "no-store")],
        bytes,
    )
        .into_response()
}

/// A venue's QR code as PNG.
#[utoipa::path(
    get,
    path = "/v1/venues/{venue_id}/qr.png",
    tag = "venues",
    security(("bearer" = [])),
    params(("venue_id" = String, Path, description = "The venue id, e.g. `CY-JS-001`")),
    responses(
        (status = 200, description = "The code", content_type = "image/png", body = schema::BlobBytes),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = 403, description = "`forbidden`: outside the caller's grids", body = schema::ErrorBody),
        (status = 404, description = "`not_found`", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn venues_qr_png(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(venue_id): AppPath<String>,
) -> Result<Response, AppError> {
    let url = venue_url(&state, &caller, venue_id).await?;
    let png = tokio::task::spawn_blocking(move || qr::png(&url))
        .await?
        .map_err(AppError::internal)?;
    Ok(picture("image/png", png))
}

/// A venue's QR code as SVG.
#[utoipa::path(
    get,
    path = "/v1/venues/{venue_id}/qr.svg",
    tag = "venues",
    security(("bearer" = [])),
    params(("venue_id" = String, Path, description = "The venue id, e.g. `CY-JS-001`")),
    responses(
        (status = 200, description = "The code", content_type = "image/svg+xml", body = String),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = 403, description = "`forbidden`: outside the caller's grids", body = schema::ErrorBody),
        (status = 404, description = "`not_found`", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn venues_qr_svg(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(venue_id): AppPath<String>,
) -> Result<Response, AppError> {
    let url = venue_url(&state, &caller, venue_id).await?;
    let svg = qr::svg(&url).map_err(AppError::internal)?;
    Ok(picture("image/svg+xml", svg))
}
