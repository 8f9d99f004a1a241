//! The error shape everywhere, test controls (only with the flag), injected faults, the
//! movable server clock, the OpenAPI document, and restarts on the same data directory.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use server_stub::{spawn, Config, FaultAction, FaultPlan, FaultRule};

use crate::support::{error_code, json_of, server, worker, Device, GRID_A, VENUE_A};

fn rule(path_prefix: &str, action: FaultAction) -> FaultRule {
    FaultRule {
        method: None,
        path_prefix: Some(path_prefix.into()),
        skip: 0,
        times: 1,
        action,
    }
}

#[tokio::test]
async fn every_error_has_the_one_shape() {
    let server = server().await;
    let phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let http = reqwest::Client::new();
    let (status, body) = json_of(http.get(server.url("/nowhere")).send().await.unwrap()).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let (status, body) = json_of(http.get(server.url("/v1/events")).send().await.unwrap()).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
    let (status, body) = json_of(
        http.post(server.url("/v1/enroll"))
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );
    let (status, body) = json_of(
        http.post(server.url("/v1/enroll"))
            .json(&json!({"code": 5}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body")
    );
    let huge = json!({"device_id": phone.id, "events": [], "pad": "x".repeat(3 << 20)});
    let (status, body) = json_of(
        http.post(server.url("/v1/events"))
            .bearer_auth(&phone.token)
            .json(&huge)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    server.shutdown().await;
}

#[tokio::test]
async fn test_controls_are_404_without_the_flag_and_absent_from_the_document() {
    let server = spawn(Config::memory()).await.unwrap();
    let http = reqwest::Client::new();
    for (method, path) in [
        ("POST", "/v1/test/faults"),
        ("GET", "/v1/test/stats"),
        ("POST", "/v1/test/clock"),
        ("POST", "/v1/test/enrollment-codes"),
    ] {
        let response = http
            .request(method.parse().unwrap(), server.url(path))
            .json(&json!({"faults": []}))
            .send()
            .await
            .unwrap();
        let (status, body) = json_of(response).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::NOT_FOUND, "not_found"),
            "{path}"
        );
    }
    let (_, doc) = json_of(http.get(server.url("/openapi.json")).send().await.unwrap()).await;
    assert!(doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .all(|p| !p.starts_with("/v1/test")));
    server.shutdown().await;
}

#[tokio::test]
async fn the_openapi_document_describes_the_routes() {
    let server = server().await;
    let http = reqwest::Client::new();
    let (status, doc) = json_of(http.get(server.url("/openapi.json")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/v1/enroll",
        "/v1/events",
        "/v1/blobs/{sha256}",
        "/v1/changes",
        "/v1/ledger",
        "/v1/venues/{venue_id}/qr.png",
        "/v1/grids/{grid}/qr-sheet.png",
        "/v1/test/faults",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
    assert!(paths["/v1/blobs/{sha256}"]["head"].is_object());
    assert!(paths["/v1/blobs/{sha256}"]["patch"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    server.shutdown().await;
}

#[tokio::test]
async fn injected_statuses_delays_and_drops_hit_only_matching_requests() {
    let server = server().await;
    let phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let http = reqwest::Client::new();
    let plan = FaultPlan {
        faults: vec![
            FaultRule {
                skip: 1,
                times: 2,
                ..rule(
                    "/v1/changes",
                    FaultAction::Status {
                        status: 503,
                        retry_after: Some("7".into()),
                    },
                )
            },
            rule("/v1/ledger", FaultAction::DropConnection),
            rule("/v1/enroll", FaultAction::Delay { ms: 300 }),
        ],
    };
    let response = http
        .post(server.url("/v1/test/faults"))
        .json(&plan)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(phone.get("/v1/changes").await.0, StatusCode::OK, "skipped");
    for _ in 0..2 {
        let response = phone
            .http
            .get(format!("{}/v1/changes", phone.base))
            .bearer_auth(&phone.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["retry-after"], "7");
        let (status, body) = json_of(response).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::SERVICE_UNAVAILABLE, "injected_fault")
        );
    }
    assert_eq!(phone.get("/v1/changes").await.0, StatusCode::OK, "spent");
    let dropped = phone
        .http
        .get(format!("{}/v1/ledger", phone.base))
        .bearer_auth(&phone.token)
        .send()
        .await;
    assert!(dropped.is_err(), "{dropped:?}");
    let started = std::time::Instant::now();
    let _ = http
        .post(server.url("/v1/enroll"))
        .json(&json!({"code": "X", "device_id": "d"}))
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    let (_, stats) = json_of(http.get(server.url("/v1/test/stats")).send().await.unwrap()).await;
    assert_eq!(stats["faults_applied"], 4);
    assert_eq!(stats["requests"]["by_status"]["503"], 2);
    let (_, left) = json_of(
        http.get(server.url("/v1/test/faults"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(left, json!({"faults": []}));
    server.shutdown().await;
}

#[tokio::test]
async fn a_cut_response_leaves_the_push_stored_and_the_resend_is_a_duplicate() {
    let server = server().await;
    let mut phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    server
        .set_faults(FaultPlan {
            faults: vec![rule(
                "/v1/events",
                FaultAction::CutResponse { after_bytes: 10 },
            )],
        })
        .unwrap();
    let (events, ..) = phone.failed_inspection(VENUE_A);
    let body = json!({"device_id": phone.id, "events": events});
    let lost = async {
        phone
            .http
            .post(format!("{}/v1/events", phone.base))
            .bearer_auth(&phone.token)
            .json(&body)
            .send()
            .await?
            .bytes()
            .await
    }
    .await;
    assert!(lost.is_err(), "the answer was cut: {lost:?}");
    let (status, again) = phone.push(&events).await;
    assert_eq!(status, StatusCode::OK);
    assert!(again["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "duplicate"));
    server.shutdown().await;
}

#[tokio::test]
async fn the_server_clock_moves_forward_for_tests() {
    let server = server().await;
    let http = reqwest::Client::new();
    let (_, before) = json_of(http.get(server.url("/v1/test/clock")).send().await.unwrap()).await;
    let (status, after) = json_of(
        http.post(server.url("/v1/test/clock"))
            .json(&json!({"advance_seconds": 3 * 86_400}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after["offset_seconds"], 3 * 86_400);
    let day = |v: &Value| v["server_time"].as_str().unwrap()[..10].to_owned();
    assert_ne!(day(&before), day(&after));
    let response = http.get(server.url("/openapi.json")).send().await.unwrap();
    let date = response.headers()["date"].to_str().unwrap().to_owned();
    let parsed = chrono_like_day(&date);
    assert_eq!(
        parsed,
        after["server_time"].as_str().unwrap()[8..10].trim_start_matches('0')
    );
    server.advance_clock(-3 * 86_400);
    let (_, reset) = json_of(http.get(server.url("/v1/test/clock")).send().await.unwrap()).await;
    assert_eq!(reset["offset_seconds"], 0);
    server.shutdown().await;
}

/// The day of month of an HTTP date (`Sat, 28 Nov 2026 02:03:04 GMT`), without leading zero.
fn chrono_like_day(date: &str) -> &str {
    date.split(' ').nth(1).unwrap().trim_start_matches('0')
}

#[tokio::test]
async fn a_restart_on_the_same_data_dir_and_port_keeps_events_blobs_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let first = spawn(Config::in_dir(dir.path()).with_demo()).await.unwrap();
    let addr = first.addr();
    let mut phone = Device::enroll(&first, worker("w1", GRID_A)).await;
    let (events, ..) = phone.failed_inspection(VENUE_A);
    assert_eq!(phone.push(&events).await.0, StatusCode::OK);
    first.shutdown().await;

    let second = spawn(Config::in_dir(dir.path()).with_demo().listening_on(addr))
        .await
        .unwrap();
    assert_eq!(second.addr(), addr);
    let (status, body) = phone.push(&events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "duplicate"));
    let (_, ledger) = phone.get("/v1/ledger").await;
    assert_eq!(ledger["hazards"].as_array().unwrap().len(), 1);
    let (_, changes) = phone.get("/v1/changes").await;
    let venues = changes["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "venue")
        .count();
    assert_eq!(venues, 7, "seeding twice adds nothing");
    second.shutdown().await;
}
