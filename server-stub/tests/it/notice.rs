//! The rectification notice (整改通知书) as PDF, read back with poppler's `pdftotext` and
//! `pdfimages` (Debian `poppler-utils`): the Chinese text extracts as written (venue,
//! responsible person, items, deadline, inspector, issue date), the photo is embedded with its
//! SHA-256 printed under it, and only the grid's staff may fetch it.

use std::process::Command;

use gridpatrol_proto::events::{HazardAction as A, HazardGrade, HazardStatus as S};
use reqwest::StatusCode;

use crate::support::{
    error_code, server, sha256_hex, supervisor, worker, Device, GRID_A, GRID_B, VENUE_A,
};

const PHOTO: &[u8] = include_bytes!("../../../cli/demo/photos/blocked-exit.jpg");

/// Runs a poppler tool on the PDF bytes and returns its stdout.
fn poppler(tool: &str, pdf: &[u8], args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notice.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new(tool)
        .args(args)
        .arg(&path)
        .args((tool == "pdftotext").then_some("-"))
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (apt-get install poppler-utils): {e}"));
    assert!(
        output.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

async fn upload(device: &Device, bytes: &[u8]) -> String {
    let sha = sha256_hex(bytes);
    let response = device
        .http
        .patch(format!("{}/v1/blobs/{sha}", device.base))
        .bearer_auth(&device.token)
        .header("upload-offset", 0)
        .header("upload-length", bytes.len())
        .header("content-type", "application/offset+octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    sha
}

#[tokio::test]
async fn a_hazard_notice_prints_the_venue_items_photos_deadline_and_inspector() {
    let server = server().await;
    let mut w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut s = Device::enroll(&server, supervisor("s1")).await;
    let b = Device::enroll(&server, worker("wb", GRID_B)).await;
    let (events, h) = w.hazard_at(VENUE_A, "R01", "escape_routes", HazardGrade::General);
    let inspection = events[0].payload["inspection_id"]
        .as_str()
        .unwrap()
        .to_owned();
    w.push_ok(&events).await;
    let sha = upload(&w, PHOTO).await;
    let missing = "ab".repeat(32);
    let attach = [w.attach(&sha, &h), w.attach(&missing, &h)];
    w.push_ok(&attach).await;
    w.act(
        &h,
        A::Confirm {
            grade: HazardGrade::General,
        },
        S::Reported,
    )
    .await;
    let deadline = "2099-03-01T02:00:00.000Z";
    let assign = A::Assign {
        owner: "王师傅".into(),
        deadline: Some(deadline.into()),
    };
    assert_eq!(s.act(&h, assign, S::Confirmed).await.refused, None);

    let (status, pdf) = w.get_bytes(&format!("/v1/hazards/{h}/notice.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF-"));
    let text = poppler("pdftotext", &pdf, &["-layout", "-enc", "UTF-8"]);
    for expected in [
        "安全隐患整改通知书",
        "被检查单位：老北京炸酱面馆",
        "地址：朝阳区劲松街道劲松三区 112 号底商",
        "负责人：王师傅",
        "劲松三区-03",
        "R01",
        "疏散通道",
        "等级：一般隐患",
        "状态：已交办",
        "整改期限：2099年03月01日",
        &format!("SHA-256: {sha}"),
        &format!("SHA-256: {missing}"),
        "照片尚未上传",
        "检查人：测试w1",
        "签发日期：",
        &h,
    ] {
        assert!(text.contains(expected), "'{expected}' not in:\n{text}");
    }
    let images = poppler("pdfimages", &pdf, &["-list"]);
    let embedded: Vec<&str> = images.lines().skip(2).collect();
    assert_eq!(embedded.len(), 1, "{images}");
    assert!(embedded[0].contains("jpeg"), "{images}");
    // The font is a subset of the glyphs used: the notice is the photo and a few dozen KB.
    assert!(pdf.len() < PHOTO.len() + 80_000, "{} bytes", pdf.len());

    // One notice per inspection, for the same hazards.
    let (status, pdf) = s
        .get_bytes(&format!("/v1/inspections/{inspection}/notice.pdf"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = poppler("pdftotext", &pdf, &["-enc", "UTF-8"]);
    assert!(
        text.contains("下列 1 项安全隐患") && text.contains(&sha),
        "{text}"
    );

    // Other grids and unknown ids.
    let (status, body) = b.get(&format!("/v1/hazards/{h}/notice.pdf")).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let (status, _) = b
        .get(&format!("/v1/inspections/{inspection}/notice.pdf"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = w.get("/v1/hazards/nope/notice.pdf").await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::NOT_FOUND, "not_found")
    );
    server.shutdown().await;
}
