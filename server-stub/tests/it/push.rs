//! Push: accepted, duplicate, conflict, gaps, bad hashes and links, foreign devices, venues
//! outside the caller's grids, and stopping at the first refused event with nothing of it
//! stored.

use gridpatrol_proto::events::{DomainEvent, InspectionAnswered, Verdict};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{
    error_code, server, worker, Device, GRID_A, GRID_B, VENUE_A, VENUE_ELSEWHERE,
};

#[tokio::test]
async fn events_are_accepted_in_order_and_a_resend_is_a_duplicate() {
    let server = server().await;
    let mut phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let (events, _, hazard_id) = phone.failed_inspection(VENUE_A);
    let (status, body) = phone.push(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let seqs: Vec<u64> = results
        .iter()
        .map(|r| {
            assert_eq!(r["status"], "accepted");
            r["server_seq"].as_u64().unwrap()
        })
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");

    let (status, again) = phone.push(&events).await;
    assert_eq!(status, StatusCode::OK);
    for (result, seq) in again["results"].as_array().unwrap().iter().zip(&seqs) {
        assert_eq!(result["status"], "duplicate");
        assert_eq!(result["server_seq"].as_u64(), Some(*seq));
    }
    let stats = server.stats().await;
    assert_eq!(stats.events[&phone.id].accepted, 3);
    assert_eq!(stats.events[&phone.id].duplicate, 3);

    let (_, ledger) = phone.get("/v1/ledger").await;
    let hazards = ledger["hazards"].as_array().unwrap();
    assert_eq!(hazards.len(), 1);
    assert_eq!(hazards[0]["hazard_id"], hazard_id.as_str());
    assert_eq!(hazards[0]["status"], "REPORTED");
    assert_eq!(hazards[0]["grade"], "suspected_major");
    server.shutdown().await;
}

#[tokio::test]
async fn the_same_id_with_other_content_is_a_409_conflict() {
    let server = server().await;
    let mut phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let (events, ..) = phone.failed_inspection(VENUE_A);
    assert_eq!(phone.push(&events[..2]).await.0, StatusCode::OK);
    let mut edited = events[1].clone();
    edited.payload["note"] = json!("改过的备注");
    let edited = edited.seal().unwrap();
    let (status, body) = phone.push(&[edited]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_code(&body), "conflict");
    assert_eq!(body["results"][0]["status"], "conflict");
    // The stored event is untouched: the original is still a duplicate, the chain continues.
    let (status, body) = phone.push(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][2]["status"], "accepted");
    server.shutdown().await;
}

#[tokio::test]
async fn a_sequence_gap_is_422_and_nothing_is_stored() {
    let server = server().await;
    let mut phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let (events, ..) = phone.failed_inspection(VENUE_A);
    let (status, body) = phone.push(&events[1..]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_code(&body), "rejected");
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "stops at the first refused event");
    assert_eq!(results[0]["status"], "rejected");
    assert!(results[0]["reason"]
        .as_str()
        .unwrap()
        .contains("expects device_seq 1"));
    assert_eq!(server.stats().await.events[&phone.id].accepted, 0);
    // Sent whole and in order, the same events are accepted.
    assert_eq!(phone.push(&events).await.0, StatusCode::OK);
    server.shutdown().await;
}

#[tokio::test]
async fn an_altered_hash_or_a_broken_link_is_422() {
    let server = server().await;
    let mut phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let (events, ..) = phone.failed_inspection(VENUE_A);
    let mut altered = events[0].clone();
    altered.payload["venue_id"] = json!("CY-JS-002"); // content changed, hash kept
    let (status, body) = phone.push(&[altered]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["message"].as_str().unwrap().contains("hash"), "{body}");

    assert_eq!(phone.push(&events[..1]).await.0, StatusCode::OK);
    let mut unlinked = events[1].clone();
    unlinked.prev_hash = "ab".repeat(32);
    let unlinked = unlinked.seal().unwrap();
    let (status, body) = phone.push(&[unlinked]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["message"].as_str().unwrap().contains("broken chain"),
        "{body}"
    );
    assert_eq!(server.stats().await.events[&phone.id].accepted, 1);

    // Numbers SQLite cannot hold are refused, not a server error.
    let mut huge = events[1].clone();
    huge.device_seq = u64::MAX;
    let (status, body) = phone.push(&[huge.seal().unwrap()]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    server.shutdown().await;
}

#[tokio::test]
async fn another_devices_events_are_403() {
    let server = server().await;
    let mut phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let other = Device::enroll(&server, worker("w1", GRID_A)).await;
    let (events, ..) = phone.failed_inspection(VENUE_A);
    // With another device's token, as that device: each event is someone else's.
    let (status, body) = other.push(&events).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["results"][0]["status"], "forbidden");
    // Claiming to be the first device with the second's token.
    let (status, body) = other.push_as(&phone.id, &events).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&body), "forbidden");
    assert!(!server.stats().await.events.contains_key(&phone.id));
    server.shutdown().await;
}

#[tokio::test]
async fn a_venue_outside_the_workers_grids_is_403_and_nothing_is_stored() {
    let server = server().await;
    let mut phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let (events, ..) = phone.failed_inspection(VENUE_ELSEWHERE);
    let (status, body) = phone.push(&events).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["results"].as_array().unwrap().len(), 1);
    assert!(body["results"][0]["reason"]
        .as_str()
        .unwrap()
        .contains(VENUE_ELSEWHERE));
    let supervisor = Device::enroll(&server, crate::support::supervisor("s1")).await;
    let (_, ledger) = supervisor.get("/v1/ledger").await;
    assert_eq!(ledger["hazards"], json!([]));
    // The refused event took no sequence number: a valid first event is still seq 1.
    let mut fresh = Device::enroll(&server, worker("w2", GRID_B)).await;
    let (events, ..) = fresh.failed_inspection(crate::support::VENUE_B);
    assert_eq!(fresh.push(&events).await.0, StatusCode::OK);
    server.shutdown().await;
}

#[tokio::test]
async fn a_batch_stops_at_the_first_refused_event_and_keeps_the_ones_before() {
    let server = server().await;
    let mut phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let (mut events, inspection_id, hazard_id) = phone.failed_inspection(VENUE_A);
    // An answer to an item that is not on the checklist, then a valid event after it.
    events.push(
        phone.event(DomainEvent::InspectionAnswered(InspectionAnswered {
            inspection_id: inspection_id.clone(),
            item_id: "Z99".into(),
            verdict: Verdict::Pass,
            note: None,
            suspected_major: false,
        })),
    );
    events.push(phone.attach(&"ab".repeat(32), &hazard_id));
    let (status, body) = phone.push(&events).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let statuses: Vec<&str> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["accepted", "accepted", "accepted", "rejected"]);
    assert_eq!(server.stats().await.events[&phone.id].accepted, 3);
    assert!(
        server.stats().await.evidence_pending_events.is_empty(),
        "the attach was not taken"
    );
    server.shutdown().await;
}
