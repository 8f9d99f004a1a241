//! Warnings and 叫应: a supervisor's warning reaches the grid's workers at their next pull (and
//! over the live stream), each acknowledges, an unacknowledged one escalates up the grid's duty
//! roster (worker → grid lead → street supervisor) after the set minutes of server time, and
//! the receipt trail records delivered / acknowledged / escalated times.

use std::time::Duration;

use futures_util::StreamExt;
use gridpatrol_proto::events::DomainEvent;
use gridpatrol_proto::sync::{ChangeBody, PushStatus};
use gridpatrol_proto::warnings::{
    WarningAcknowledged, WarningForRecipient, WarningIssued, WarningLevel, WarningTrail,
    WarningType,
};
use reqwest::StatusCode;
use server_stub::seed::{DEMO_GRID_LEADS, DEMO_SUPERVISOR};

use crate::support::{error_code, server, supervisor, worker, Device, GRID_A, GRID_B};

const LEAD_A: &str = DEMO_GRID_LEADS[0].1;

fn issue(
    device: &mut Device,
    grids: &[&str],
    minutes: u32,
) -> (String, gridpatrol_proto::EventEnvelope) {
    let warning_id = uuid::Uuid::now_v7().to_string();
    let event = device.event(DomainEvent::WarningIssued(WarningIssued {
        warning_id: warning_id.clone(),
        level: WarningLevel::Orange,
        warning_type: WarningType::Rainstorm,
        grids: grids.iter().map(|g| g.to_string()).collect(),
        text: "暴雨橙色预警：请立即巡查低洼地段".into(),
        ack_within_minutes: minutes,
    }));
    (warning_id, event)
}

async fn acknowledge(device: &mut Device, warning_id: &str) -> gridpatrol_proto::sync::PushResult {
    let event = device.event(DomainEvent::WarningAcknowledged(WarningAcknowledged {
        warning_id: warning_id.into(),
    }));
    device.push_ok(&[event]).await.remove(0)
}

/// The warnings in the device's feed, last state each.
async fn fed_warnings(device: &Device) -> Vec<WarningForRecipient> {
    let mut out: Vec<WarningForRecipient> = Vec::new();
    for change in device.changes().await {
        if let ChangeBody::Warning(w) = change {
            out.retain(|x| x.warning_id != w.warning_id);
            out.push(w);
        }
    }
    out
}

async fn trail(device: &Device, warning_id: &str) -> WarningTrail {
    let (status, body) = device.get(&format!("/v1/warnings/{warning_id}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).unwrap()
}

#[tokio::test]
async fn a_warning_reaches_the_grid_is_acknowledged_and_escalates_up_the_roster() {
    let server = server().await;
    let mut s = Device::enroll(&server, supervisor(DEMO_SUPERVISOR)).await;
    let mut w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut lead = Device::enroll(&server, worker(LEAD_A, GRID_A)).await;
    let b = Device::enroll(&server, worker("wb", GRID_B)).await;
    let (id, event) = issue(&mut s, &[GRID_A], 10);
    assert_eq!(s.push_ok(&[event]).await[0].refused, None);

    // Grid A's workers (w1 and the demo's 张伟) have it; the lead not yet; grid B never.
    let mine = fed_warnings(&w).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].warning_id, id);
    assert_eq!(mine[0].issued_by, "督查员");
    assert!(!mine[0].acknowledged && mine[0].escalated_from.is_none());
    assert!(fed_warnings(&lead).await.is_empty());
    assert!(fed_warnings(&b).await.is_empty());
    let before = trail(&s, &id).await;
    let level0: Vec<(&str, u32)> = before
        .receipts
        .iter()
        .map(|r| (r.user_id.as_str(), r.roster_position))
        .collect();
    assert_eq!(level0, [("u-zhangwei", 0), ("w1", 0)]);
    let w1 = &before.receipts[1];
    assert!(w1.delivered_at.is_some(), "delivered at w1's pull");
    assert!(
        before.receipts[0].delivered_at.is_none(),
        "张伟 has no device"
    );

    // w1 acknowledges (叫应); 张伟 does not.
    assert_eq!(acknowledge(&mut w, &id).await.refused, None);
    assert!(fed_warnings(&w).await[0].acknowledged);
    server.advance_clock(9 * 60);
    assert!(fed_warnings(&lead).await.is_empty(), "9 minutes: not yet");
    server.advance_clock(2 * 60);
    let escalated = fed_warnings(&lead).await;
    assert_eq!(escalated.len(), 1, "11 minutes: the grid lead has it");
    assert_eq!(escalated[0].escalated_from.as_deref(), Some("张伟"));
    // Nobody acknowledges: 10 more minutes and the street supervisor has it.
    server.advance_clock(11 * 60);
    let to_supervisor = fed_warnings(&s).await;
    assert_eq!(to_supervisor.len(), 1);
    assert!(to_supervisor[0].escalated_from.is_some());
    assert_eq!(acknowledge(&mut lead, &id).await.refused, None);

    let after = trail(&s, &id).await;
    let rows: Vec<(&str, u32, bool, bool, bool)> = after
        .receipts
        .iter()
        .map(|r| {
            (
                r.user_id.as_str(),
                r.roster_position,
                r.delivered_at.is_some(),
                r.acknowledged_at.is_some(),
                r.escalated_at.is_some(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("u-zhangwei", 0, false, false, false),
            ("w1", 0, true, true, false),
            (LEAD_A, 1, true, true, true),
            (DEMO_SUPERVISOR, 2, true, false, true),
        ]
    );
    let lead_row = &after.receipts[2];
    assert!(lead_row.acknowledged_at > lead_row.escalated_at);
    server.shutdown().await;
}

#[tokio::test]
async fn only_supervisors_issue_within_their_street_and_only_recipients_acknowledge() {
    let server = server().await;
    let mut s = Device::enroll(&server, supervisor("s1")).await;
    let mut w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut b = Device::enroll(&server, worker("wb", GRID_B)).await;
    let (_, event) = issue(&mut w, &[GRID_A], 10);
    let refused = w.push_ok(&[event]).await.remove(0).refused.unwrap();
    assert!(refused.contains("supervisors"), "{refused}");
    let (_, event) = issue(&mut s, &["海淀-01"], 10);
    let (status, body) = s.push(&[event]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let mut s = Device::enroll(&server, supervisor("s2")).await;
    let (_, event) = issue(&mut s, &[GRID_A], 0);
    assert!(s.push_ok(&[event]).await[0].refused.is_some(), "0 minutes");
    // Empty grids: the whole street.
    let (id, event) = issue(&mut s, &[], 30);
    assert_eq!(s.push_ok(&[event]).await[0].status, PushStatus::Accepted);
    assert_eq!(fed_warnings(&b).await.len(), 1);
    assert_eq!(acknowledge(&mut b, &id).await.refused, None);
    assert_eq!(
        acknowledge(&mut b, &id).await.refused,
        None,
        "twice is fine"
    );
    let (id, event) = issue(&mut s, &[GRID_B], 30);
    s.push_ok(&[event]).await;
    let r = acknowledge(&mut w, &id).await;
    assert!(r.refused.unwrap().contains("was not sent to you"));
    // The trail is the supervisors'; a resident has no warnings at all.
    let (status, _) = w.get(&format!("/v1/warnings/{id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = s.get("/v1/warnings/nope").await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let (status, body) = b.get("/v1/warnings").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["warnings"].as_array().unwrap().len(), 2);
    let resident = Device::resident(&server, None).await;
    for path in [
        "/v1/warnings",
        "/v1/warnings/stream",
        &format!("/v1/warnings/{id}"),
    ] {
        let (status, _) = resident.get(path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    server.shutdown().await;
}

/// Reads `warning` events off an SSE response until `count` arrived (or 10 s passed).
async fn read_events(response: reqwest::Response, count: usize) -> Vec<WarningForRecipient> {
    let mut body = response.bytes_stream();
    let mut text = String::new();
    let mut found = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while found.len() < count {
        let chunk = tokio::time::timeout_at(deadline, body.next())
            .await
            .expect("events arrive in time")
            .expect("the stream stays open")
            .unwrap();
        text.push_str(std::str::from_utf8(&chunk).unwrap());
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ")) {
                found.push(serde_json::from_str(data).unwrap());
            }
        }
    }
    found
}

#[tokio::test]
async fn the_live_stream_sends_new_and_escalated_warnings_as_they_happen() {
    let server = server().await;
    let mut s = Device::enroll(&server, supervisor(DEMO_SUPERVISOR)).await;
    let w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let lead = Device::enroll(&server, worker(LEAD_A, GRID_A)).await;
    let open = |device: &Device| {
        device
            .http
            .get(format!("{}/v1/warnings/stream", device.base))
            .bearer_auth(&device.token)
            .send()
    };
    let worker_stream = open(&w).await.unwrap();
    assert_eq!(worker_stream.status(), StatusCode::OK);
    assert_eq!(worker_stream.headers()["content-type"], "text/event-stream");
    let lead_stream = open(&lead).await.unwrap();
    let (id, event) = issue(&mut s, &[GRID_A], 5);
    s.push_ok(&[event]).await;
    let got = read_events(worker_stream, 1).await;
    assert_eq!(got[0].warning_id, id);
    let receipts = trail(&s, &id).await.receipts;
    assert!(receipts
        .iter()
        .any(|r| r.user_id == "w1" && r.delivered_at.is_some()));
    // Nobody acknowledges; the clock moves; the lead's open stream gets the escalation.
    server.advance_clock(6 * 60);
    let got = read_events(lead_stream, 1).await;
    assert_eq!(got[0].warning_id, id);
    assert!(got[0].escalated_from.is_some());
    server.shutdown().await;
}
