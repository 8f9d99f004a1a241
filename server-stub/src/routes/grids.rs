//! `GET /v1/grids/{grid}/qr-sheet.png`: a printable sheet of every venue code of a grid, with
//! the venue names under the codes (needs a CJK font, see `qr`).

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::FixedOffset;

use super::venues::signed_url;
use super::AppPath;
use crate::error::AppError;
use crate::openapi::schema;
use crate::qr::{self, SheetEntry};
use crate::state::AppState;
use crate::store::Caller;

/// Beijing time, for the date printed on the sheet.
const BEIJING: i32 = 8 * 3600;

/// A printable sheet of the grid's venue codes (PNG, A4 at 150 dpi).
#[utoipa::path(
    get,
    path = "/v1/grids/{grid}/qr-sheet.png",
    tag = "venues",
    security(("bearer" = [])),
    params(("grid" = String, Path, description = "The grid, e.g. `劲松三区-03`")),
    responses(
        (status = 200, description = "The sheet", content_type = "image/png", body = schema::BlobBytes),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = 403, description = "`forbidden`: outside the caller's scope", body = schema::ErrorBody),
        (status = 404, description = "`not_found`", body = schema::ErrorBody),
        (status = 503, description = "`font_unavailable`: no CJK font installed on the server", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn grids_qr_sheet(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(grid): AppPath<String>,
) -> Result<Response, AppError> {
    let name = grid.clone();
    let info = state
        .db(move |store| store.grid(&name))
        .await?
        .ok_or_else(|| AppError::not_found(format!("no grid '{grid}'")))?;
    if !caller.scope().covers(&info.grid, &info.street) {
        return Err(AppError::forbidden("that grid is outside your scope"));
    }
    let name = grid.clone();
    let (venues, pack) = state
        .db(move |store| Ok((store.grid_venues(&name)?, store.reference_pack()?)))
        .await?;
    let type_name = |code: &str| {
        pack.as_ref()
            .and_then(|p| p.venue_types.iter().find(|t| t.code == code))
            .map_or_else(|| code.to_owned(), |t| t.name_zh.clone())
    };
    let mut entries = Vec::with_capacity(venues.len());
    for venue in &venues {
        entries.push(SheetEntry {
            url: signed_url(&state, &venue.venue_id).await?,
            name: venue.name.clone(),
            caption: format!("{} · {}", venue.venue_id, type_name(&venue.venue_type)),
        });
    }
    let title = format!(
        "{} {} {} · 网格 {}",
        info.district, info.street, info.community, info.grid
    );
    let printed = state
        .clock
        .now()
        .with_timezone(&FixedOffset::east_opt(BEIJING).expect("a valid offset"))
        .format("%Y-%m-%d");
    let subtitle = format!(
        "场所二维码 · 扫码检查 · {} 个场所 · 打印于 {printed}",
        entries.len()
    );
    let fonts = state.fonts.clone();
    let png = tokio::task::spawn_blocking(move || {
        let font = fonts.font().ok_or_else(|| {
            AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "font_unavailable",
                "the server has no CJK font for the sheet (install fonts-wqy-zenhei)",
            )
        })?;
        qr::sheet(font, &title, &subtitle, &entries).map_err(AppError::internal)
    })
    .await??;
    Ok((
        [(CONTENT_TYPE, "image/png"), (CACHE_CONTROL, "no-store")],
        png,
    )
        .into_response())
}
