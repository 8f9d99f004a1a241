//! The HTTP surface (docs/adr/0007-sync-protocol.md): one module per resource, handlers named
//! `<resource>_<verb>`, and [`app`] assembling them with body limits, the JSON error fallbacks,
//! the request counters, the server-clock `Date` header and (test controls only) fault injection.

pub mod blobs;
pub mod changes;
pub mod enroll;
pub mod events;
pub mod grids;
pub mod hazards;
pub mod inspections;
pub mod ledger;
pub mod openapi;
pub mod residents;
pub mod test_controls;
pub mod venues;
pub mod warnings;
pub mod web;

use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::header::DATE;
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::{get, head, post};
use axum::Router;
use gridpatrol_proto::sync::{
    CHANGES_PATH, ENROLL_PATH, EVENTS_PATH, LEDGER_PATH, RESIDENT_ENROLL_PATH,
};

use crate::clock::http_date;
use crate::error::{self, AppError};
use crate::faults;
use crate::state::AppState;

/// A JSON body whose rejection is an [`AppError`] (so it has the error shape).
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct AppJson<T>(pub T);

/// A query string whose rejection is an [`AppError`].
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct AppQuery<T>(pub T);

/// Path parameters whose rejection is an [`AppError`].
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct AppPath<T>(pub T);

/// The whole API over `state`.
pub fn app(state: AppState) -> Router {
    let limits = state.settings.limits;
    let mut router = Router::new()
        .route(ENROLL_PATH, post(enroll::enroll_create))
        .route(RESIDENT_ENROLL_PATH, post(residents::residents_create))
        .route(
            EVENTS_PATH,
            post(events::events_push).layer(DefaultBodyLimit::max(limits.events_body)),
        )
        .route(
            "/v1/blobs/{sha256}",
            head(blobs::blobs_head).patch(blobs::blobs_patch),
        )
        .route(CHANGES_PATH, get(changes::changes_list))
        .route(LEDGER_PATH, get(ledger::ledger_list))
        .route("/v1/ledger/counts", get(ledger::ledger_counts))
        .route("/v1/ledger.csv", get(ledger::ledger_csv))
        .route(
            "/v1/hazards/{hazard_id}/notice.pdf",
            get(hazards::hazards_notice),
        )
        .route(
            "/v1/inspections/{inspection_id}/notice.pdf",
            get(inspections::inspections_notice),
        )
        .route("/v1/warnings", get(warnings::warnings_list))
        .route("/v1/warnings/stream", get(warnings::warnings_stream))
        .route("/v1/warnings/{warning_id}", get(warnings::warnings_get))
        .route("/v1/venues/{venue_id}/qr.png", get(venues::venues_qr_png))
        .route("/v1/venues/{venue_id}/qr.svg", get(venues::venues_qr_svg))
        .route("/v1/grids/{grid}/qr-sheet.png", get(grids::grids_qr_sheet))
        .route("/openapi.json", get(openapi::openapi_get))
        .route("/q/{token}", get(web::web_report_form))
        .route(
            "/q/{token}/reports",
            post(web::web_report_create).layer(DefaultBodyLimit::max(web::MAX_FORM)),
        )
        .route("/r/{report_id}", get(web::web_report_status));
    if state.settings.test_controls {
        router = router.merge(test_controls::routes());
    }
    router = router
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(limits.json_body))
        .layer(middleware::from_fn(run_to_completion));
    if state.settings.test_controls {
        router = router.layer(middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ));
    }
    router
        .layer(middleware::from_fn(error::json_errors))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Runs each request to its end on its own task, even when the client goes away: hyper drops
/// a request's future when its connection closes, and a handler stopped between two steps (a
/// blob stored but not yet recorded, a batch stored but not yet counted) would leave the work
/// half done. What the handler reads from a vanished client's body simply ends early.
async fn run_to_completion(request: Request, next: Next) -> Response {
    match tokio::spawn(next.run(request)).await {
        Ok(response) => response,
        Err(join) => AppError::internal(format!("request handler failed: {join}")).into_response(),
    }
}

/// Counts each response by status, stamps `Date` from the server clock (phones estimate skew
/// from it, and tests may shift it), and logs method, path and status (no bodies, no tokens).
async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let status = response.status();
    state.stats.request(status.as_u16());
    if let Ok(date) = HeaderValue::from_str(&http_date(state.clock.now())) {
        response.headers_mut().insert(DATE, date);
    }
    tracing::debug!(%method, %path, status = status.as_u16(), "request");
    response
}
