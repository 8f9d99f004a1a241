//! Enrollment: codes for tokens, single use, device ownership, token replacement, 401s.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{error_code, json_of, server, worker, Device, GRID_A, GRID_B};

#[tokio::test]
async fn enrollment_returns_a_token_and_the_workers_grids() {
    let server = server().await;
    let code = server.enrollment_code(worker("w1", GRID_A)).await.unwrap();
    let (status, body) = json_of(
        reqwest::Client::new()
            .post(server.url("/v1/enroll"))
            .json(&json!({"code": code.to_lowercase(), "device_id": "d1", "device_name": null}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["role"], "worker");
    assert_eq!(body["grids"], json!([GRID_A]));
    assert!(body["token"].as_str().unwrap().len() >= 40);
    server.shutdown().await;
}

#[tokio::test]
async fn a_code_works_once() {
    let server = server().await;
    let code = server.enrollment_code(worker("w1", GRID_A)).await.unwrap();
    let http = reqwest::Client::new();
    let enroll = |device: &'static str| {
        http.post(server.url("/v1/enroll"))
            .json(&json!({"code": code, "device_id": device, "device_name": null}))
            .send()
    };
    assert_eq!(enroll("d1").await.unwrap().status(), StatusCode::OK);
    let (status, body) = json_of(enroll("d2").await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&body), "invalid_code");
    server.shutdown().await;
}

#[tokio::test]
async fn a_device_enrolled_to_another_user_is_409_and_re_enrolling_replaces_the_token() {
    let server = server().await;
    let device = Device::enroll(&server, worker("w1", GRID_A)).await;
    let http = reqwest::Client::new();
    let other = server.enrollment_code(worker("w2", GRID_B)).await.unwrap();
    let (status, body) = json_of(
        http.post(server.url("/v1/enroll"))
            .json(&json!({"code": other, "device_id": device.id, "device_name": null}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_code(&body), "device_taken");

    let again = server.enrollment_code(worker("w1", GRID_A)).await.unwrap();
    let response = http
        .post(server.url("/v1/enroll"))
        .json(&json!({"code": again, "device_id": device.id, "device_name": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (status, body) = device.get("/v1/changes").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the old token is gone");
    assert_eq!(error_code(&body), "unauthorized");
    server.shutdown().await;
}

#[tokio::test]
async fn requests_without_a_known_token_are_401_with_the_error_shape() {
    let server = server().await;
    let http = reqwest::Client::new();
    for (method, path) in [
        ("GET", "/v1/changes"),
        ("GET", "/v1/ledger"),
        ("POST", "/v1/events"),
        ("GET", "/v1/venues/CY-JS-001/qr.png"),
    ] {
        for token in [None, Some("not-a-token")] {
            let mut request = http.request(method.parse().unwrap(), server.url(path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.json(&json!({})).send().await.unwrap();
            assert!(response.headers().contains_key("www-authenticate"));
            let (status, body) = json_of(response).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_eq!(error_code(&body), "unauthorized");
        }
    }
    server.shutdown().await;
}
