//! Resumable evidence uploads: in pieces, across a cut connection (a real one and an injected
//! one) resuming from HEAD's offset without re-sending a byte, wrong offsets, hash mismatches,
//! size limits, and evidence-pending events completing when their blob lands.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use server_stub::{FaultAction, FaultPlan, FaultRule};
use tokio::io::AsyncWriteExt;

use crate::support::{
    error_code, json_of, photo_bytes, server, sha256_hex, worker, Device, GRID_A, VENUE_A,
};

/// `(upload-offset, blob-complete)` from HEAD.
async fn head(phone: &Device, sha: &str) -> (u64, bool) {
    let response = phone
        .http
        .head(format!("{}/v1/blobs/{sha}", phone.base))
        .bearer_auth(&phone.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    (
        header("upload-offset").parse().unwrap(),
        header("blob-complete") == "true",
    )
}

async fn patch(
    phone: &Device,
    sha: &str,
    offset: u64,
    length: u64,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let response = phone
        .http
        .patch(format!("{}/v1/blobs/{sha}", phone.base))
        .bearer_auth(&phone.token)
        .header("upload-offset", offset)
        .header("upload-length", length)
        .header("content-type", "application/offset+octet-stream")
        .body(body)
        .send()
        .await
        .unwrap();
    json_of(response).await
}

#[tokio::test]
async fn a_blob_uploads_in_pieces_and_a_wrong_offset_is_409_with_the_servers_offset() {
    let server = server().await;
    let phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let data = photo_bytes(100_000);
    let sha = sha256_hex(&data);
    let len = data.len() as u64;
    assert_eq!(head(&phone, &sha).await, (0, false));
    let (status, body) = patch(&phone, &sha, 0, len, data[..40_000].to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["offset"], 40_000);
    assert_eq!(body["complete"], false);

    let (status, body) = patch(&phone, &sha, 10, len, data[10..].to_vec()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_code(&body), "offset_mismatch");
    assert_eq!(body["offset"], 40_000, "the 409 carries the blob state");

    let (status, body) = patch(&phone, &sha, 40_000, len, data[40_000..].to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["complete"], true);
    assert_eq!(head(&phone, &sha).await, (len, true));
    // PATCHing a complete blob again is a harmless success.
    let (status, body) = patch(&phone, &sha, 0, len, data.clone()).await;
    assert_eq!(
        (status, body["complete"].clone()),
        (StatusCode::OK, json!(true))
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_cut_connection_keeps_the_received_bytes_and_the_upload_resumes_from_head() {
    let server = server().await;
    let phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let data = photo_bytes(300_000);
    let sha = sha256_hex(&data);
    let half = 150_000;
    // A raw connection that promises the whole blob, sends half and hangs up.
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let head_text = format!(
        "PATCH /v1/blobs/{sha} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {}\r\n\
         upload-offset: 0\r\nupload-length: {}\r\ncontent-length: {}\r\n\r\n",
        phone.token,
        data.len(),
        data.len()
    );
    stream.write_all(head_text.as_bytes()).await.unwrap();
    stream.write_all(&data[..half]).await.unwrap();
    stream.flush().await.unwrap();
    let mut offset = 0;
    for _ in 0..100 {
        offset = head(&phone, &sha).await.0;
        if offset == half as u64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(offset, half as u64, "the server wrote what arrived");
    drop(stream);

    let (status, body) = patch(
        &phone,
        &sha,
        offset,
        data.len() as u64,
        data[half..].to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["complete"], true);
    let blob = &server.stats().await.blobs[&sha];
    assert_eq!(
        blob.bytes_received,
        data.len() as u64,
        "no byte was sent twice"
    );
    assert!(blob.completed);
    server.shutdown().await;
}

#[tokio::test]
async fn an_injected_cut_after_n_bytes_keeps_exactly_n_and_no_range_is_resent() {
    let server = server().await;
    let phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let data = photo_bytes(200_000);
    let sha = sha256_hex(&data);
    server
        .set_faults(FaultPlan {
            faults: vec![FaultRule {
                method: Some("PATCH".into()),
                path_prefix: Some("/v1/blobs/".into()),
                skip: 0,
                times: 1,
                action: FaultAction::CutRequest {
                    after_bytes: 70_000,
                },
            }],
        })
        .unwrap();
    let cut = phone
        .http
        .patch(format!("{}/v1/blobs/{sha}", phone.base))
        .bearer_auth(&phone.token)
        .header("upload-offset", 0)
        .header("upload-length", data.len())
        .body(data.clone())
        .send()
        .await;
    assert!(cut.is_err(), "the connection was dropped: {cut:?}");
    let (offset, complete) = head(&phone, &sha).await;
    assert_eq!((offset, complete), (70_000, false));
    let (status, _) = patch(
        &phone,
        &sha,
        offset,
        data.len() as u64,
        data[70_000..].to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let stats = server.stats().await;
    assert_eq!(stats.blobs[&sha].bytes_received, data.len() as u64);
    assert_eq!(stats.faults_applied, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn a_hash_mismatch_is_422_and_nothing_is_kept() {
    let server = server().await;
    let phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let real = photo_bytes(5_000);
    let sha = sha256_hex(&real);
    let mut forged = real.clone();
    forged[4_000] ^= 0xff;
    let (status, body) = patch(&phone, &sha, 0, forged.len() as u64, forged).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "hash_mismatch");
    assert_eq!(head(&phone, &sha).await, (0, false));
    assert_eq!(server.stats().await.blobs[&sha].hash_mismatches, 1);
    // The real bytes still go in afterwards.
    let (status, _) = patch(&phone, &sha, 0, real.len() as u64, real).await;
    assert_eq!(status, StatusCode::OK);
    server.shutdown().await;
}

#[tokio::test]
async fn bad_names_headers_and_sizes_are_refused_with_the_error_shape() {
    let server = server().await;
    let phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let (status, body) = patch(&phone, "ABC", 0, 3, b"abc".to_vec()).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "invalid_sha256")
    );
    let sha = sha256_hex(b"abc");
    let (status, body) = patch(&phone, &sha, 0, 1 << 40, b"abc".to_vec()).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    let (status, body) = patch(&phone, &sha, 0, 2, b"abc".to_vec()).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "length_exceeded")
    );
    let response = phone
        .http
        .patch(format!("{}/v1/blobs/{sha}", phone.base))
        .bearer_auth(&phone.token)
        .body("abc")
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(response).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "invalid_header")
    );
    server.shutdown().await;
}

#[tokio::test]
async fn an_attached_photo_is_evidence_pending_until_its_blob_lands() {
    let server = server().await;
    let mut phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let photo = photo_bytes(20_000);
    let sha = sha256_hex(&photo);
    let (mut events, _, hazard_id) = phone.failed_inspection(VENUE_A);
    events.push(phone.attach(&sha, &hazard_id));
    let (status, body) = phone.push(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][3]["missing_blobs"], json!([sha]));
    let pending_event = events[3].event_id.clone();
    assert_eq!(
        server.stats().await.evidence_pending_events,
        vec![pending_event]
    );
    let (_, ledger) = phone.get("/v1/ledger").await;
    assert_eq!(ledger["hazards"][0]["evidence_pending"], true);
    let (_, before) = phone.get("/v1/changes").await;
    let cursor = before["next_cursor"].as_u64().unwrap();

    let (status, _) = patch(&phone, &sha, 0, photo.len() as u64, photo).await;
    assert_eq!(status, StatusCode::OK);
    assert!(server.stats().await.evidence_pending_events.is_empty());
    let (_, ledger) = phone.get("/v1/ledger").await;
    assert_eq!(ledger["hazards"][0]["evidence_pending"], false);
    let (_, after) = phone.get(&format!("/v1/changes?since={cursor}")).await;
    let changes = after["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{after}");
    assert_eq!(changes[0]["type"], "hazard");
    assert_eq!(changes[0]["data"]["evidence_pending"], false);
    // A resend now reports nothing missing.
    let (_, again) = phone.push(&events[3..]).await;
    assert_eq!(again["results"][0]["status"], "duplicate");
    assert_eq!(again["results"][0]["missing_blobs"], json!([]));
    server.shutdown().await;
}
