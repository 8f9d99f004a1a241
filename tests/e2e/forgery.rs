//! Forged, tampered and out-of-scope requests against a real server-stub (issue 5): a chain with
//! a gap or an altered hash, a blob whose bytes do not match its name, an event about another
//! grid, another device's events, no token — each refused with its own status, nothing stored.

use gridpatrol_proto::events::{DomainEvent, InspectionStarted};
use gridpatrol_proto::sync::{
    EnrollRequest, EnrollResponse, PushRequest, PushResponse, PushStatus,
};
use gridpatrol_proto::{EventEnvelope, GENESIS_HASH};
use gridpatrol_tests::{demo_server, worker, GRID_A};
use reqwest::StatusCode;
use server_stub::Handle;

struct Device {
    id: String,
    token: String,
}

async fn enroll(server: &Handle, user: &str, grid: &str) -> Device {
    let code = server.enrollment_code(worker(user, grid)).await.unwrap();
    let id = uuid::Uuid::new_v4().to_string();
    let reply: EnrollResponse = reqwest::Client::new()
        .post(server.url(gridpatrol_proto::sync::ENROLL_PATH))
        .json(&EnrollRequest {
            code,
            device_id: id.clone(),
            device_name: None,
        })
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Device {
        id,
        token: reply.token,
    }
}

/// An `inspection.started` event for `venue`, sealed onto `prev`.
fn started(device: &str, seq: u64, prev: &str, venue: &str) -> EventEnvelope {
    let (kind, payload) = DomainEvent::InspectionStarted(InspectionStarted {
        inspection_id: format!("insp-{device}-{seq}"),
        venue_id: venue.into(),
        template_id: "default".into(),
        template_version: 1,
        items: vec!["E01".into()],
    })
    .into_parts()
    .unwrap();
    EventEnvelope {
        event_id: format!("evt-{device}-{seq}"),
        device_id: device.into(),
        device_seq: seq,
        kind,
        payload,
        device_time: "2026-11-28T02:00:00.000Z".into(),
        utc_offset_min: 480,
        uptime_ms: seq * 1000,
        prev_hash: prev.into(),
        hash: String::new(),
    }
    .seal()
    .unwrap()
}

async fn push(
    server: &Handle,
    token: Option<&str>,
    device: &str,
    events: Vec<EventEnvelope>,
) -> (StatusCode, Option<PushResponse>) {
    let mut request = reqwest::Client::new()
        .post(server.url(gridpatrol_proto::sync::EVENTS_PATH))
        .json(&PushRequest {
            device_id: device.into(),
            events,
        });
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.ok())
}

/// Nothing of `device` is stored: its first event is still accepted as event 1.
async fn nothing_stored(server: &Handle, device: &Device) {
    let first = started(&device.id, 1, GENESIS_HASH, "CY-JS-001");
    let (status, reply) = push(server, Some(&device.token), &device.id, vec![first]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply.unwrap().results[0].status, PushStatus::Accepted);
}

#[tokio::test]
async fn a_chain_with_a_gap_or_an_altered_hash_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let gap = enroll(&server, "gap", GRID_A).await;
    let first = started(&gap.id, 1, GENESIS_HASH, "CY-JS-001");
    let third = started(&gap.id, 3, &first.hash, "CY-JS-002");
    let (status, _) = push(&server, Some(&gap.token), &gap.id, vec![third]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    nothing_stored(&server, &gap).await;

    let altered = enroll(&server, "altered", GRID_A).await;
    let mut event = started(&altered.id, 1, GENESIS_HASH, "CY-JS-001");
    event.payload["venue_id"] = "CY-JS-002".into(); // edited after sealing
    let (status, reply) = push(&server, Some(&altered.token), &altered.id, vec![event]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.unwrap().results[0].status, PushStatus::Rejected);
    nothing_stored(&server, &altered).await;

    let relinked = enroll(&server, "relinked", GRID_A).await;
    let event = started(&relinked.id, 1, &"ab".repeat(32), "CY-JS-001"); // valid hash, wrong link
    let (status, _) = push(&server, Some(&relinked.token), &relinked.id, vec![event]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    nothing_stored(&server, &relinked).await;
    server.shutdown().await;
}

#[tokio::test]
async fn out_of_scope_and_unauthenticated_pushes_are_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let a = enroll(&server, "worker-a", GRID_A).await;
    // A venue of grid B with grid A's token.
    let other_grid = started(&a.id, 1, GENESIS_HASH, "CY-JS-004");
    let (status, reply) = push(&server, Some(&a.token), &a.id, vec![other_grid]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(reply.unwrap().results[0].status, PushStatus::Forbidden);
    // No token, and a forged one.
    let event = started(&a.id, 1, GENESIS_HASH, "CY-JS-001");
    assert_eq!(
        push(&server, None, &a.id, vec![event.clone()]).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        push(&server, Some("forged-token"), &a.id, vec![event.clone()])
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // Grid A's token pushing another device's events.
    let b = enroll(&server, "worker-bb", GRID_A).await;
    let foreign = started(&b.id, 1, GENESIS_HASH, "CY-JS-001");
    assert_eq!(
        push(&server, Some(&a.token), &b.id, vec![foreign]).await.0,
        StatusCode::FORBIDDEN
    );
    nothing_stored(&server, &a).await;
    nothing_stored(&server, &b).await;
    // Reading a venue code of another grid.
    let qr = reqwest::Client::new()
        .get(server.url("/v1/venues/CY-JS-004/qr.png"))
        .bearer_auth(&a.token)
        .send()
        .await
        .unwrap();
    assert_eq!(qr.status(), StatusCode::FORBIDDEN);
    server.shutdown().await;
}

#[tokio::test]
async fn a_blob_whose_bytes_do_not_match_its_name_is_refused_and_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let a = enroll(&server, "blobber", GRID_A).await;
    let bytes = b"not the photo the name promises".to_vec();
    let name = "ab".repeat(32);
    let client = reqwest::Client::new();
    let patch = client
        .patch(server.url(&gridpatrol_proto::sync::blob_path(&name)))
        .bearer_auth(&a.token)
        .header(gridpatrol_proto::sync::UPLOAD_OFFSET, 0)
        .header(gridpatrol_proto::sync::UPLOAD_LENGTH, bytes.len())
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(patch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let head = client
        .head(server.url(&gridpatrol_proto::sync::blob_path(&name)))
        .bearer_auth(&a.token)
        .send()
        .await
        .unwrap();
    assert_eq!(head.headers()[gridpatrol_proto::sync::UPLOAD_OFFSET], "0");
    assert_eq!(
        head.headers()[gridpatrol_proto::sync::BLOB_COMPLETE],
        "false"
    );
    assert_eq!(server.stats().await.blobs[&name].hash_mismatches, 1);
    server.shutdown().await;
}
