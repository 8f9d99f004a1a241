//! Residents' reports: a report (venue code scanned, photo attached) reaches the venue's grid,
//! a worker checks it on site and opens a hazard; the reporter sees each step and nothing else —
//! not another resident's report, not the inspector's identity, by any route.

use gridpatrol_core::api::report_records::{ReportCategory, ReportFinding, ReportStatus};
use gridpatrol_proto::events::{EvidenceTarget, HazardGrade};
use gridpatrol_proto::reference::{CoordSystem, GeoPoint};
use gridpatrol_tests::office::Console;
use gridpatrol_tests::{demo_server, supervisor, Phone, GRID_A};
use reqwest::StatusCode;

use super::sync;

/// A resident phone registered with the server (anonymous).
async fn resident(server: &server_stub::Handle, phone: Option<&str>) -> Phone {
    let p = Phone::new();
    p.gp.enroll_resident(server.base_url().into(), phone.map(str::to_owned))
        .await
        .unwrap();
    sync(&p).await;
    p
}

/// The bearer token a phone holds (read from its database, as a thief with the file would).
fn token_of(phone: &Phone) -> String {
    let db = rusqlite::Connection::open(phone.dir.path().join("gridpatrol.db")).unwrap();
    db.query_row("SELECT token FROM account", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_becomes_a_hazard_and_its_reporter_sees_only_their_own_steps() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let office = Console::enroll(&server, supervisor("u-office")).await;
    let worker = Phone::new();
    worker.enroll(&server, "u-zhangsan", GRID_A).await;
    sync(&worker).await;

    // Resident 1 scanned the eatery's posted code and took a photo; resident 2 reports a spot.
    let (qr_status, qr) = office.bytes("/v1/venues/CY-JS-001/qr.png").await;
    assert_eq!(qr_status, StatusCode::OK);
    let qr_path = dir.path().join("qr.png");
    std::fs::write(&qr_path, qr).unwrap();
    let r1 = resident(&server, Some("13800000000")).await;
    let code = r1
        .gp
        .scan_image(qr_path.display().to_string())
        .unwrap()
        .remove(0)
        .text;
    let report = r1
        .gp
        .submit_report(
            ReportCategory::EscapeRoute,
            "后门被纸箱堵死".into(),
            None,
            Some(code),
        )
        .unwrap();
    let photo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cli/demo/photos/blocked-exit.jpg");
    r1.gp
        .attach_photo(
            EvidenceTarget::Report {
                report_id: report.clone(),
            },
            photo.display().to_string(),
        )
        .unwrap();
    sync(&r1).await;
    let r2 = resident(&server, None).await;
    let near_school = GeoPoint {
        latitude: 39.8846,
        longitude: 116.4630,
        coord_system: CoordSystem::Wgs84,
    };
    let other = r2
        .gp
        .submit_report(
            ReportCategory::EBike,
            "楼道里充电".into(),
            Some(near_school),
            None,
        )
        .unwrap();
    sync(&r2).await;

    // The worker of grid A sees both (dispatched to the grid), without who reported.
    sync(&worker).await;
    let seen = worker.gp.reports().unwrap();
    let mine = seen
        .iter()
        .find(|r| r.report_id == report)
        .expect("dispatched to grid A");
    assert_eq!(mine.venue_id.as_deref(), Some("CY-JS-001"));
    assert_eq!(mine.photos.len(), 1);
    let checked = worker
        .gp
        .check_report(
            report.clone(),
            ReportFinding::Hazard {
                venue_id: "CY-JS-001".into(),
                area: "escape_routes".into(),
                grade: HazardGrade::General,
                note: Some("属实".into()),
            },
        )
        .unwrap();
    let hazard = checked.hazard_id.expect("a hazard was opened");
    sync(&worker).await;

    // Resident 1 sees their report's steps, resident 2 only theirs.
    sync(&r1).await;
    sync(&r2).await;
    let r1_reports = r1.gp.my_reports().unwrap();
    assert_eq!(r1_reports.len(), 1);
    let steps: Vec<ReportStatus> = r1_reports[0].steps.iter().map(|s| s.status).collect();
    assert_eq!(
        steps,
        [
            ReportStatus::Received,
            ReportStatus::Dispatched,
            ReportStatus::HazardOpened
        ]
    );
    assert_eq!(
        r2.gp
            .my_reports()
            .unwrap()
            .iter()
            .map(|r| r.report_id.clone())
            .collect::<Vec<_>>(),
        [other]
    );

    // No route gives a resident anything else: not the ledger, not notices, not codes, not
    // warnings, not another's report, never the worker's name or id.
    let console = Console::with_token(&server, token_of(&r1));
    for path in [
        "/v1/ledger".to_owned(),
        "/v1/ledger/counts?group_by=grid".to_owned(),
        "/v1/ledger.csv".to_owned(),
        format!("/v1/hazards/{hazard}/notice.pdf"),
        "/v1/venues/CY-JS-001/qr.png".to_owned(),
        "/v1/grids/劲松三区-03/qr-sheet.png".to_owned(),
    ] {
        let (status, _) = console.get(&path).await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "{path}: {status}"
        );
    }
    let (_, warnings) = console.get("/v1/warnings").await;
    assert!(!warnings.contains("u-zhangsan"));
    let (status, changes) = console.get("/v1/changes?since=0").await;
    assert_eq!(status, StatusCode::OK);
    for secret in [
        "u-zhangsan",
        "worker u-zhangsan",
        &hazard,
        "楼道里充电",
        "13800000000",
    ] {
        assert!(
            !changes.contains(secret),
            "a resident's changes contain {secret:?}"
        );
    }
    assert!(changes.contains(&report));
    server.shutdown().await;
}
