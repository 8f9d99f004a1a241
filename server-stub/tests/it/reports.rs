//! Residents' reports: dispatch by the scanned venue code (signature checked) or the nearest
//! venue, the hourly rate limit, a worker's check opening a hazard or closing it as no hazard,
//! the reporter following each step — and the privacy rules: a resident reads nothing but their
//! own reports and the public pack and keys, by any route; the grid never sees the reporter.

use gridpatrol_proto::events::{DomainEvent, EvidenceAttached, EvidenceTarget};
use gridpatrol_proto::events::{HazardAction as A, HazardGrade, HazardStatus as S};
use gridpatrol_proto::geo::gcj02_to_wgs84;
use gridpatrol_proto::reference::{CoordSystem, GeoPoint};
use gridpatrol_proto::reports::{
    MyReport, ReportCategory, ReportChecked, ReportForGrid, ReportOutcome, ReportStatus,
    ReportSubmitted,
};
use gridpatrol_proto::sync::{ChangeBody, PushResult};
use gridpatrol_proto::venue_token;
use reqwest::StatusCode;

use crate::support::{photo, server, supervisor, worker, Device, GRID_A, GRID_B, VENUE_A};

const DAY: i64 = 86_400;

/// A freshly signed code of `venue` (what its QR sticker carries).
pub async fn venue_code(server: &server_stub::Handle, venue: &str) -> String {
    let url = server_stub::routes::venues::signed_url(server.state(), venue)
        .await
        .unwrap();
    venue_token::token_from_scan(&url).unwrap().to_owned()
}

async fn report(
    resident: &mut Device,
    token: Option<String>,
    location: Option<GeoPoint>,
) -> (String, PushResult) {
    let report_id = uuid::Uuid::now_v7().to_string();
    let event = resident.event(DomainEvent::ReportSubmitted(ReportSubmitted {
        report_id: report_id.clone(),
        category: ReportCategory::EBike,
        description: "楼道里有电动车在充电".into(),
        location,
        venue_token: token,
    }));
    let result = resident.push_ok(&[event]).await.remove(0);
    (report_id, result)
}

async fn check(worker: &mut Device, report_id: &str, outcome: ReportOutcome) -> PushResult {
    let event = worker.event(DomainEvent::ReportChecked(ReportChecked {
        report_id: report_id.into(),
        outcome,
    }));
    worker.push_ok(&[event]).await.remove(0)
}

fn grid_reports(changes: &[ChangeBody]) -> Vec<ReportForGrid> {
    let mut out: Vec<ReportForGrid> = Vec::new();
    for change in changes {
        if let ChangeBody::Report(r) = change {
            out.retain(|x| x.report_id != r.report_id);
            out.push(r.clone());
        }
    }
    out
}

fn my_reports(changes: &[ChangeBody]) -> Vec<MyReport> {
    let mut out: Vec<MyReport> = Vec::new();
    for change in changes {
        if let ChangeBody::MyReport(r) = change {
            out.retain(|x| x.report_id != r.report_id);
            out.push(r.clone());
        }
    }
    out
}

fn steps(report: &MyReport) -> Vec<ReportStatus> {
    report.steps.iter().map(|s| s.status).collect()
}

/// A point `metres_north` of a venue's recorded (GCJ-02) location, as a phone's GPS gives it.
fn near(server_venue: &gridpatrol_proto::reference::Venue, metres_north: f64) -> GeoPoint {
    let at = server_venue.location.as_ref().unwrap();
    let (lat, lon) = gcj02_to_wgs84(at.latitude, at.longitude);
    GeoPoint {
        latitude: lat + metres_north / 111_000.0,
        longitude: lon,
        coord_system: CoordSystem::Wgs84,
    }
}

#[tokio::test]
async fn a_report_becomes_a_hazard_and_the_reporter_sees_each_step_and_nothing_else() {
    let server = server().await;
    let mut resident = Device::resident(&server, Some("13800000000")).await;
    let mut a = Device::enroll(&server, worker("wa", GRID_A)).await;
    let b = Device::enroll(&server, worker("wb", GRID_B)).await;
    let s = Device::enroll(&server, supervisor("s1")).await;
    let code = venue_code(&server, VENUE_A).await;
    let (report_id, result) = report(&mut resident, Some(code), None).await;
    assert_eq!(result.refused, None);
    let photo_event = resident.event(DomainEvent::EvidenceAttached(EvidenceAttached {
        sha256: photo(7)[0].clone(),
        target: EvidenceTarget::Report {
            report_id: report_id.clone(),
        },
    }));
    let attached = resident.push_ok(&[photo_event]).await.remove(0);
    assert_eq!(attached.missing_blobs, photo(7));

    // Dispatched to the venue's grid, with the photo, without the reporter.
    let seen = grid_reports(&a.changes().await);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].grid, GRID_A);
    assert_eq!(seen[0].venue_id.as_deref(), Some(VENUE_A));
    assert_eq!(seen[0].status, ReportStatus::Dispatched);
    assert_eq!(seen[0].photos, photo(7));
    assert!(grid_reports(&b.changes().await).is_empty(), "not grid B's");
    let worker_view = serde_json::to_string(&a.changes().await).unwrap();
    assert!(!worker_view.contains("13800000000") && !worker_view.contains(&resident.id));

    // The worker checks on site and opens a hazard; it runs to closed.
    let hazard_id = uuid::Uuid::now_v7().to_string();
    let outcome = ReportOutcome::Hazard {
        hazard_id: hazard_id.clone(),
        venue_id: VENUE_A.into(),
        area: "e_bikes".into(),
        grade: HazardGrade::General,
        note: None,
    };
    assert_eq!(
        check(&mut a, &report_id, outcome.clone()).await.refused,
        None
    );
    let hazard = a.hazard(&hazard_id).await;
    assert_eq!(hazard.status, S::Reported);
    assert_eq!(hazard.report_id.as_deref(), Some(report_id.as_str()));
    assert_eq!(hazard.inspection_id, None);
    assert!(
        hazard.evidence_pending,
        "the report's photo has not arrived"
    );
    let again = check(&mut a, &report_id, outcome).await;
    assert!(again.refused.unwrap().contains("already checked"));
    a.act(
        &hazard_id,
        A::Confirm {
            grade: HazardGrade::General,
        },
        S::Reported,
    )
    .await;
    a.act(
        &hazard_id,
        A::FixOnSite {
            before: photo(1),
            after: photo(2),
        },
        S::Confirmed,
    )
    .await;
    a.act(&hazard_id, A::Close, S::FixedOnSite).await;
    assert_eq!(s.hazard(&hazard_id).await.status, S::Closed);

    let changes = resident.changes().await;
    let mine = my_reports(&changes);
    assert_eq!(mine.len(), 1);
    assert_eq!(
        steps(&mine[0]),
        [
            ReportStatus::Received,
            ReportStatus::Dispatched,
            ReportStatus::HazardOpened,
            ReportStatus::HazardClosed
        ]
    );
    // Only the pack, keys and their own report: no venue, hazard, report of the grid, warning,
    // and no name of anyone who handled it.
    for change in &changes {
        assert!(
            matches!(
                change,
                ChangeBody::ReferencePack(_) | ChangeBody::SigningKey(_) | ChangeBody::MyReport(_)
            ),
            "a resident received {change:?}"
        );
    }
    let text = serde_json::to_string(&changes).unwrap();
    assert!(
        !text.contains("测试wa") && !text.contains("wa\""),
        "no inspector in {text}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn without_a_code_a_report_goes_to_the_nearest_venues_grid_or_the_street() {
    let server = server().await;
    let mut resident = Device::resident(&server, None).await;
    let a = Device::enroll(&server, worker("wa", GRID_A)).await;
    let mut b = Device::enroll(&server, worker("wb", GRID_B)).await;
    let s = Device::enroll(&server, supervisor("s1")).await;
    let venue = server.state().store.venue("CY-JS-016").unwrap().unwrap();
    assert_eq!(venue.grid, GRID_B);
    let (near_id, _) = report(&mut resident, None, Some(near(&venue, 20.0))).await;
    let (far_id, _) = report(&mut resident, None, Some(near(&venue, 5_000.0))).await;
    // A forged code falls back on the location.
    let forged = venue_code(&server, VENUE_A).await.replace('A', "B");
    let (forged_id, _) = report(&mut resident, Some(forged), Some(near(&venue, 10.0))).await;
    let (nowhere, r) = report(&mut resident, None, None).await;
    assert!(r
        .refused
        .unwrap()
        .contains("needs the venue's code or a location"));

    let to_b = grid_reports(&b.changes().await);
    let ids: Vec<&str> = to_b.iter().map(|r| r.report_id.as_str()).collect();
    assert_eq!(ids, [near_id.as_str(), forged_id.as_str()]);
    assert!(to_b
        .iter()
        .all(|r| r.venue_id.is_none() && r.grid == GRID_B));
    assert!(grid_reports(&a.changes().await).is_empty());
    let street = grid_reports(&s.changes().await);
    let far = street.iter().find(|r| r.report_id == far_id).unwrap();
    assert_eq!(
        far.grid, "",
        "no venue within the radius: the street's supervisors"
    );
    assert!(!street.iter().any(|r| r.report_id == nowhere));
    // A worker of grid B cannot check the street's report; the supervisor can.
    let event = b.event(DomainEvent::ReportChecked(ReportChecked {
        report_id: far_id.clone(),
        outcome: ReportOutcome::NoHazard { reason: "x".into() },
    }));
    let (status, _) = b.push(&[event]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut s = s;
    let r = check(
        &mut s,
        &far_id,
        ReportOutcome::NoHazard {
            reason: "不在辖区场所".into(),
        },
    )
    .await;
    assert_eq!(r.refused, None);
    server.shutdown().await;
}

#[tokio::test]
async fn a_device_may_send_five_reports_an_hour() {
    let server = server().await;
    let mut resident = Device::resident(&server, None).await;
    let code = venue_code(&server, VENUE_A).await;
    for _ in 0..5 {
        let (_, r) = report(&mut resident, Some(code.clone()), None).await;
        assert_eq!(r.refused, None);
    }
    let (sixth, r) = report(&mut resident, Some(code.clone()), None).await;
    let reason = r.refused.expect("the sixth in an hour is refused");
    assert!(reason.contains("at most 5 an hour"), "{reason}");
    let mine = my_reports(&resident.changes().await);
    let refused = mine.iter().find(|m| m.report_id == sixth).unwrap();
    assert_eq!(refused.status, ReportStatus::Refused);
    assert_eq!(
        refused.steps.last().unwrap().note.as_deref(),
        Some(reason.as_str())
    );
    // Another device is not limited by this one; an hour later this one may send again.
    let mut other = Device::resident(&server, None).await;
    assert_eq!(
        report(&mut other, Some(code.clone()), None).await.1.refused,
        None
    );
    server.advance_clock(3_601);
    assert_eq!(
        report(&mut resident, Some(code), None).await.1.refused,
        None
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_report_closed_as_no_hazard_tells_the_reporter_why() {
    let server = server().await;
    let mut resident = Device::resident(&server, None).await;
    let mut a = Device::enroll(&server, worker("wa", GRID_A)).await;
    let mut b = Device::enroll(&server, worker("wb", GRID_B)).await;
    let (id, _) = report(
        &mut resident,
        Some(venue_code(&server, VENUE_A).await),
        None,
    )
    .await;
    let no = |reason: &str| ReportOutcome::NoHazard {
        reason: reason.into(),
    };
    let event = b.event(DomainEvent::ReportChecked(ReportChecked {
        report_id: id.clone(),
        outcome: no("x"),
    }));
    let (status, _) = b.push(&[event]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another grid's worker");
    assert!(
        check(&mut a, &id, no(" ")).await.refused.is_some(),
        "a reason is needed"
    );
    assert_eq!(
        check(&mut a, &id, no("现场核实：车辆已移走")).await.refused,
        None
    );
    let mine = my_reports(&resident.changes().await).remove(0);
    assert_eq!(mine.status, ReportStatus::NoHazard);
    assert_eq!(
        mine.steps.last().unwrap().note.as_deref(),
        Some("现场核实：车辆已移走")
    );
    server.advance_clock(DAY);
    server.shutdown().await;
}

#[tokio::test]
async fn a_resident_reads_no_one_elses_report_and_no_inspector_by_any_route() {
    let server = server().await;
    let mut alice = Device::resident(&server, Some("13900000001")).await;
    let mut bob = Device::resident(&server, None).await;
    let mut w = Device::enroll(&server, worker("wa", GRID_A)).await;
    let mut s = Device::enroll(&server, supervisor("s1")).await;
    let code = venue_code(&server, VENUE_A).await;
    let (alice_report, _) = report(&mut alice, Some(code.clone()), None).await;
    let (bob_report, _) = report(&mut bob, Some(code), None).await;
    let (events, hazard) = w.hazard_at(VENUE_A, "E01", "extinguishers", HazardGrade::General);
    let inspection = match &events[0].payload["inspection_id"] {
        serde_json::Value::String(id) => id.clone(),
        other => panic!("{other}"),
    };
    w.push_ok(&events).await;
    let (warning, event) = {
        let id = uuid::Uuid::now_v7().to_string();
        let e = s.event(DomainEvent::WarningIssued(
            gridpatrol_proto::warnings::WarningIssued {
                warning_id: id.clone(),
                level: gridpatrol_proto::warnings::WarningLevel::Red,
                warning_type: gridpatrol_proto::warnings::WarningType::Flood,
                grids: vec![],
                text: "t".into(),
                ack_within_minutes: 5,
            },
        ));
        (id, e)
    };
    s.push_ok(&[event]).await;

    // The feed: each sees only their own report.
    let alice_changes = alice.changes().await;
    let ids: Vec<String> = my_reports(&alice_changes)
        .into_iter()
        .map(|r| r.report_id)
        .collect();
    assert_eq!(ids, std::slice::from_ref(&alice_report));
    let bob_ids: Vec<String> = my_reports(&bob.changes().await)
        .into_iter()
        .map(|r| r.report_id)
        .collect();
    assert_eq!(bob_ids, [bob_report]);
    let text = serde_json::to_string(&alice_changes).unwrap();
    for secret in ["测试wa", "督查员", &hazard, &warning, VENUE_A] {
        assert!(!text.contains(secret), "{secret} reached a resident");
    }
    // Every other route is closed to residents.
    for path in [
        "/v1/ledger".to_owned(),
        "/v1/ledger/counts?group_by=grid".into(),
        "/v1/ledger.csv".into(),
        format!("/v1/hazards/{hazard}/notice.pdf"),
        format!("/v1/inspections/{inspection}/notice.pdf"),
        format!("/v1/venues/{VENUE_A}/qr.png"),
        format!("/v1/venues/{VENUE_A}/qr.svg"),
        format!("/v1/grids/{GRID_A}/qr-sheet.png"),
        "/v1/warnings".into(),
        format!("/v1/warnings/{warning}"),
        "/v1/warnings/stream".into(),
    ] {
        let (status, body) = alice.get_bytes(&path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        let text = String::from_utf8_lossy(&body);
        assert!(!text.contains("测试wa"), "{path}: {text}");
    }
    // Nor can a resident act on the grid's business.
    let event = alice.event(DomainEvent::ReportChecked(ReportChecked {
        report_id: alice_report,
        outcome: ReportOutcome::NoHazard { reason: "x".into() },
    }));
    let (status, _) = alice.push(&[event]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server.shutdown().await;
}
