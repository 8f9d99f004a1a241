//! The OpenAPI document (`/openapi.json`), generated with utoipa from the handlers'
//! `#[utoipa::path]` attributes and the schema twins in [`schema`]. The proto types stay free
//! of documentation dependencies; [`schema`]'s tests prove the twins match them field for field.

pub mod loop_schema;
pub mod schema;

use std::sync::OnceLock;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{
    blobs, changes, enroll, events, grids, hazards, inspections, ledger, openapi, residents,
    test_controls, venues, warnings, web,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "GridPatrol sync API",
        description = "The reference sync server of GridPatrol (网格巡查): enrollment, event push, \
resumable evidence uploads, the changes feed, the hazard ledger and venue QR codes. \
See docs/adr/0007-sync-protocol.md. Every error has the shape {code, message}."
    ),
    paths(
        enroll::enroll_create,
        residents::residents_create,
        events::events_push,
        blobs::blobs_head,
        blobs::blobs_patch,
        changes::changes_list,
        ledger::ledger_list,
        ledger::ledger_counts,
        ledger::ledger_csv,
        hazards::hazards_notice,
        inspections::inspections_notice,
        warnings::warnings_list,
        warnings::warnings_get,
        warnings::warnings_stream,
        venues::venues_qr_png,
        venues::venues_qr_svg,
        grids::grids_qr_sheet,
        openapi::openapi_get,
        web::web_report_form,
        web::web_report_create,
        web::web_report_status,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Enrollment: a code for a bearer token"),
        (name = "sync", description = "Push events, upload evidence, pull changes"),
        (name = "ledger", description = "The hazard ledger (隐患台账)"),
        (name = "warnings", description = "Warnings (预警), 叫应 and the receipt trail"),
        (name = "venues", description = "Venue QR codes"),
        (name = "residents", description = "The venue code's web page: report a hazard without the app"),
        (name = "meta", description = "This document"),
    )
)]
struct ApiDoc;

#[derive(OpenApi)]
#[openapi(
    paths(
        test_controls::test_faults_set,
        test_controls::test_faults_get,
        test_controls::test_faults_clear,
        test_controls::test_stats_get,
        test_controls::test_stats_reset,
        test_controls::test_clock_get,
        test_controls::test_clock_shift,
        test_controls::test_codes_create,
    ),
    tags((name = "test controls", description = "Only with --test-controls: faults, counters, clock, codes"))
)]
struct TestControlsDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The token from POST /v1/enroll"))
                    .build(),
            ),
        );
    }
}

/// The document for a server with or without test controls.
pub fn document(test_controls: bool) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    if test_controls {
        doc.merge(TestControlsDoc::openapi());
    }
    doc
}

/// The document as JSON text, built once per variant.
pub fn document_json(test_controls: bool) -> &'static str {
    static PLAIN: OnceLock<String> = OnceLock::new();
    static WITH_TEST_CONTROLS: OnceLock<String> = OnceLock::new();
    let cell = if test_controls {
        &WITH_TEST_CONTROLS
    } else {
        &PLAIN
    };
    cell.get_or_init(|| {
        document(test_controls)
            .to_json()
            .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    })
}
