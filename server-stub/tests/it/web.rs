//! The venue code's web page: the form for a valid code, an error page for a forged one, a
//! report sent at once (multipart) with its photo stripped of EXIF, the private status link,
//! and the per-address rate limit. The same page in a real browser: `scripts/test-web`.

use gridpatrol_proto::sync::ChangeBody;
use reqwest::StatusCode;
use serde_json::Value;

use crate::reports::venue_code;
use crate::support::{server, worker, Device, GRID_A, GRID_B, VENUE_A};

const PHOTO: &[u8] = include_bytes!("../../../cli/demo/photos/ebike-charging.jpg");

/// A multipart/form-data body of text fields and an optional JPEG.
fn form(fields: &[(&str, &str)], photo: Option<&[u8]>) -> (String, Vec<u8>) {
    let boundary = format!("----gridpatrol{}", uuid::Uuid::new_v4().simple());
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some(photo) = photo {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(photo);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn submit(base: &str, token: &str, photo: Option<&[u8]>) -> (StatusCode, Value) {
    let (content_type, body) = form(
        &[
            ("category", "e_bike"),
            ("description", "楼道里有电动车在充电"),
            ("phone", "13912345678"),
        ],
        photo,
    );
    let response = reqwest::Client::new()
        .post(format!("{base}/q/{token}/reports"))
        .header("content-type", content_type)
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn the_page_takes_a_report_at_once_and_the_grid_gets_it_without_exif_or_phone() {
    let server = server().await;
    let token = venue_code(&server, VENUE_A).await;
    let http = reqwest::Client::new();
    let page = http
        .get(server.url(&format!("/q/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'"));
    let html = page.text().await.unwrap();
    assert!(html.contains("老北京炸酱面馆") && html.contains("capture=\"environment\""));
    for stored in [
        "localStorage",
        "indexedDB",
        "serviceWorker",
        "http://",
        "https://",
    ] {
        assert!(!html.contains(stored), "{stored} in the page");
    }
    assert!(
        PHOTO.windows(4).any(|w| w == b"Exif"),
        "the sample photo carries EXIF"
    );
    let (status, created) = submit(server.base_url(), &token, Some(PHOTO)).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let report_id = created["report_id"].as_str().unwrap();
    let link = created["status_url"].as_str().unwrap();
    assert!(link.starts_with(&format!("/r/{report_id}?k=")));

    let w = Device::enroll(&server, worker("wa", GRID_A)).await;
    let changes = w.changes().await;
    let report = changes
        .iter()
        .find_map(|c| match c {
            ChangeBody::Report(r) if r.report_id == report_id => Some(r.clone()),
            _ => None,
        })
        .expect("dispatched to the venue's grid");
    assert_eq!(report.photos.len(), 1);
    let stored = server
        .state()
        .blobs
        .read(&report.photos[0])
        .unwrap()
        .unwrap();
    assert!(!stored.windows(4).any(|w| w == b"Exif"), "EXIF stripped");
    assert!(stored.len() < PHOTO.len());
    assert!(!serde_json::to_string(&changes)
        .unwrap()
        .contains("13912345678"));
    let b = Device::enroll(&server, worker("wb", GRID_B)).await;
    assert!(!b
        .changes()
        .await
        .iter()
        .any(|c| matches!(c, ChangeBody::Report(_))));

    let status_page = http.get(server.url(link)).send().await.unwrap();
    assert_eq!(status_page.status(), StatusCode::OK);
    let text = status_page.text().await.unwrap();
    assert!(text.contains("已派发到网格") && text.contains(report_id));
    let wrong = http
        .get(server.url(&format!("/r/{report_id}?k=guess")))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    server.shutdown().await;
}

#[tokio::test]
async fn a_forged_code_gets_an_error_page_and_bad_input_a_clear_reason() {
    let server = server().await;
    let token = venue_code(&server, VENUE_A).await;
    let forged = format!("{}A", &token[..token.len() - 1]);
    let forged = if forged == token {
        format!("{}B", &token[..token.len() - 1])
    } else {
        forged
    };
    let page = reqwest::get(server.url(&format!("/q/{forged}")))
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.text().await.unwrap().contains("二维码无效"));
    let (status, body) = submit(server.base_url(), &forged, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("invalid_code"))
    );
    let (status, body) = submit(server.base_url(), &token, Some(b"GIF89a not a jpeg")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().unwrap().contains("JPEG"));
    server.shutdown().await;
}

#[tokio::test]
async fn one_address_may_send_five_reports_an_hour() {
    let server = server().await;
    let token = venue_code(&server, VENUE_A).await;
    for _ in 0..5 {
        assert_eq!(
            submit(server.base_url(), &token, None).await.0,
            StatusCode::OK
        );
    }
    let (status, body) = submit(server.base_url(), &token, None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "rate_limited");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("每小时最多 5 条"));
    server.advance_clock(3_601);
    assert_eq!(
        submit(server.base_url(), &token, None).await.0,
        StatusCode::OK
    );
    server.shutdown().await;
}
