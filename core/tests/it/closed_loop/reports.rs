//! Residents' reports: a resident reports with photos and a scanned venue code and follows the
//! steps the server sends; a worker checks a report of their grid, and the hazard it opens can
//! be acted on at once; who may do which.

use gridpatrol_core::api::loop_records::{HazardAction, HazardStatus};
use gridpatrol_core::api::records::{CoordSystem, EvidenceTarget, GeoPoint, HazardGrade};
use gridpatrol_core::api::report_records::{ReportCategory, ReportFinding, ReportStatus};
use gridpatrol_core::GridPatrolError;

use super::support::{db, enroll_as, grid_report};
use crate::{photo, Fixture};

fn here() -> Option<GeoPoint> {
    Some(GeoPoint {
        latitude: 39.8829,
        longitude: 116.4561,
        coord_system: CoordSystem::Wgs84,
    })
}

/// The URL printed in CY-JS-001's code (tests/fixtures/qr).
fn scanned_url(f: &Fixture) -> String {
    let path = format!(
        "{}/../tests/fixtures/qr/signed_cy_js_001.png",
        env!("CARGO_MANIFEST_DIR")
    );
    f.gp.scan_image(path).unwrap().remove(0).text
}

#[test]
fn a_resident_reports_with_photos_and_follows_the_steps() {
    let f = Fixture::new();
    enroll_as(&f, "resident", &[]);
    let url = scanned_url(&f);
    let id =
        f.gp.submit_report(
            ReportCategory::EscapeRoute,
            "  楼道堆满纸箱，安全出口锁着  ".into(),
            here(),
            Some(url.clone()),
        )
        .unwrap();
    let photo =
        f.gp.attach_photo(
            EvidenceTarget::Report {
                report_id: id.clone(),
            },
            photo("exif_full.jpg"),
        )
        .unwrap();
    assert_eq!(
        f.gp.list_evidence(EvidenceTarget::Report {
            report_id: id.clone()
        })
        .unwrap(),
        [photo]
    );
    let mine = f.gp.my_reports().unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].description, "楼道堆满纸箱，安全出口锁着");
    assert_eq!((mine[0].status, mine[0].steps.len()), (None, 0));
    assert!(mine[0].submitted_at.is_some());
    // The event carries the bare token, not the URL around it.
    let payload: String = db(&f)
        .query_row(
            "SELECT payload FROM events WHERE kind = 'report.submitted'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let token = url.rsplit('/').next().unwrap();
    assert!(payload.contains(&format!("\"venue_token\":\"{token}\"")));

    // The server's steps arrive with a pull.
    db(&f)
        .execute(
            "INSERT INTO my_reports (report_id, category, description, status, steps, server_seq)
             VALUES (?1, 'escape_route', '楼道堆满纸箱，安全出口锁着', 'no_hazard', ?2, 3)",
            rusqlite::params![
                id,
                r#"[{"status":"received","at":"2026-11-28T01:00:00.000Z","note":null},
                    {"status":"dispatched","at":"2026-11-28T01:00:01.000Z","note":null},
                    {"status":"no_hazard","at":"2026-11-28T03:00:00.000Z","note":"已清理"}]"#
            ],
        )
        .unwrap();
    let mine = f.gp.my_reports().unwrap();
    assert_eq!(mine[0].status, Some(ReportStatus::NoHazard));
    assert_eq!(mine[0].steps.len(), 3);
    assert_eq!(mine[0].steps[2].note.as_deref(), Some("已清理"));
    assert!(f.gp.verify_journal().unwrap().intact);
}

#[test]
fn what_a_resident_sends_is_checked_first() {
    let f = Fixture::new();
    let report = |description: &str, token: Option<&str>| {
        f.gp.submit_report(
            ReportCategory::Fire,
            description.into(),
            None,
            token.map(str::to_owned),
        )
    };
    // Not a resident (not enrolled, then a worker): refused.
    assert!(matches!(
        report("着火了", None),
        Err(GridPatrolError::InvalidInput { .. })
    ));
    enroll_as(&f, "worker", &["劲松三区-03"]);
    assert!(matches!(
        report("着火了", None),
        Err(GridPatrolError::InvalidInput { .. })
    ));
    enroll_as(&f, "resident", &[]);
    assert!(matches!(
        report("   ", None),
        Err(GridPatrolError::InvalidInput { .. })
    ));
    assert!(matches!(
        report("着火了", Some("https://example.com/not-a-venue")),
        Err(GridPatrolError::InvalidInput { .. })
    ));
    assert!(matches!(
        f.gp.attach_photo(
            EvidenceTarget::Report {
                report_id: "someone-elses".into()
            },
            photo("exif_full.jpg"),
        ),
        Err(GridPatrolError::NotFound { .. })
    ));
    assert_eq!(f.gp.outbox_status().unwrap().events_pending, 0);
    report("着火了", None).unwrap();
}

#[test]
fn a_worker_checks_a_report_and_acts_on_the_hazard_it_opens_at_once() {
    let f = Fixture::new();
    enroll_as(&f, "worker", &["劲松三区-03"]);
    grid_report(&f, "R-1", "dispatched", 1);
    grid_report(&f, "R-2", "dispatched", 2);
    grid_report(&f, "R-0", "no_hazard", 3);
    let listed = f.gp.reports().unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[2].report_id, "R-0", "checked reports come last");
    assert_eq!(listed[0].venue_name.as_deref(), Some("老北京炸酱面馆"));
    assert_eq!(listed[0].photos, ["ab".repeat(32)]);
    assert_eq!(listed[0].location.as_ref().unwrap().latitude, 39.88);

    let finding = |venue_id: &str, area: &str| ReportFinding::Hazard {
        venue_id: venue_id.into(),
        area: area.into(),
        grade: HazardGrade::General,
        note: Some("纸箱堵住后门".into()),
    };
    assert!(matches!(
        f.gp.check_report("R-1".into(), finding("CY-JS-999", "escape_routes")),
        Err(GridPatrolError::NotFound { .. })
    ));
    assert!(matches!(
        f.gp.check_report("R-1".into(), finding("CY-JS-001", "nowhere")),
        Err(GridPatrolError::InvalidInput { .. })
    ));
    assert!(matches!(
        f.gp.check_report("R-9".into(), finding("CY-JS-001", "escape_routes")),
        Err(GridPatrolError::NotFound { .. })
    ));
    let checked =
        f.gp.check_report("R-1".into(), finding("CY-JS-001", "escape_routes"))
            .unwrap();
    assert!(checked.checked_here);
    let hazard_id = checked.hazard_id.unwrap();
    assert!(matches!(
        f.gp.check_report("R-1".into(), finding("CY-JS-001", "escape_routes")),
        Err(GridPatrolError::Conflict { .. })
    ));
    assert!(matches!(
        f.gp.check_report(
            "R-0".into(),
            ReportFinding::NoHazard {
                reason: "已清理".into()
            }
        ),
        Err(GridPatrolError::Conflict { .. })
    ));

    let detail = f.gp.hazard_detail(hazard_id.clone()).unwrap();
    assert_eq!(detail.state.status, HazardStatus::Reported);
    assert_eq!(detail.state.report_id.as_deref(), Some("R-1"));
    assert_eq!(detail.state.area_name, "疏散通道");
    assert_eq!(detail.state.grid, "劲松三区-03");
    f.gp.attach_photo(
        EvidenceTarget::Hazard {
            hazard_id: hazard_id.clone(),
        },
        photo("exif_full.jpg"),
    )
    .unwrap();
    f.gp.transition_hazard(hazard_id.clone(), HazardAction::Verify, None)
        .unwrap();
    let detail =
        f.gp.transition_hazard(
            hazard_id,
            HazardAction::Confirm {
                grade: HazardGrade::General,
            },
            None,
        )
        .unwrap();
    assert_eq!(detail.state.status, HazardStatus::Confirmed);

    assert!(matches!(
        f.gp.check_report("R-2".into(), ReportFinding::NoHazard { reason: " ".into() }),
        Err(GridPatrolError::InvalidInput { .. })
    ));
    let no_hazard =
        f.gp.check_report(
            "R-2".into(),
            ReportFinding::NoHazard {
                reason: "现场已整改".into(),
            },
        )
        .unwrap();
    assert!(no_hazard.checked_here && no_hazard.hazard_id.is_none());

    enroll_as(&f, "resident", &[]);
    grid_report(&f, "R-3", "dispatched", 4);
    assert!(matches!(
        f.gp.check_report("R-3".into(), ReportFinding::NoHazard { reason: "x".into() }),
        Err(GridPatrolError::InvalidInput { .. })
    ));
    assert!(f.gp.verify_journal().unwrap().intact);
}
