//! Venue codes: the PNG decodes (rqrr) to the signed URL, which verifies with the key published
//! in the changes feed; SVG; scope; the printable grid sheet carries every code of the grid.

use gridpatrol_proto::sync::{ChangeBody, ChangesResponse};
use gridpatrol_proto::venue_token;
use reqwest::StatusCode;

use crate::changes::urlencode;
use crate::support::{
    server, supervisor, worker, Device, GRID_A, GRID_B, VENUE_A, VENUE_ELSEWHERE,
};

/// Every code rqrr reads in a picture.
fn decode_all(png: &[u8]) -> Vec<String> {
    decode_image(image::load_from_memory(png).unwrap().to_luma8())
}

fn decode_image(image: image::GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(image);
    prepared
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().expect("a readable code").1)
        .collect()
}

/// The codes of a sheet, one cell at a time (rqrr pairs up finder patterns of neighbouring
/// codes when it sees a whole sheet at once, as a phone camera never would).
fn decode_sheet(png: &[u8], cells: usize) -> Vec<String> {
    let sheet = image::load_from_memory(png).unwrap().to_luma8();
    (0..cells)
        .flat_map(|i| {
            let (x, y, w, h) = server_stub::qr::sheet_cell(i);
            decode_image(image::imageops::crop_imm(&sheet, x, y, w, h).to_image())
        })
        .collect()
}

async fn published_key(device: &Device) -> ed25519_dalek::VerifyingKey {
    let (_, body) = device.get("/v1/changes").await;
    let page: ChangesResponse = serde_json::from_value(body).unwrap();
    let key = page
        .changes
        .into_iter()
        .find_map(|c| match c.body {
            ChangeBody::SigningKey(k) => Some(k),
            _ => None,
        })
        .expect("a signing key in the feed");
    venue_token::decode_public_key(&key.public_key).unwrap()
}

#[tokio::test]
async fn a_venue_png_decodes_to_a_url_signed_with_the_published_key() {
    let server = server().await;
    let phone = Device::enroll(&server, worker("w1", GRID_A)).await;
    let (status, png) = phone
        .get_bytes(&format!("/v1/venues/{VENUE_A}/qr.png"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let urls = decode_all(&png);
    assert_eq!(urls.len(), 1);
    assert!(
        urls[0].starts_with(&format!("{}/q/", server.base_url())),
        "{}",
        urls[0]
    );
    let token = venue_token::token_from_scan(&urls[0]).unwrap();
    let claim = venue_token::parse(token)
        .unwrap()
        .verify(&published_key(&phone).await)
        .unwrap();
    assert_eq!(claim.venue_id, VENUE_A);

    let (status, svg) = phone
        .get_bytes(&format!("/v1/venues/{VENUE_A}/qr.svg"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(svg).unwrap().contains("<svg"));
    let (status, _) = phone
        .get_bytes(&format!("/v1/venues/{VENUE_ELSEWHERE}/qr.png"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = phone.get_bytes("/v1/venues/CY-XX-999/qr.svg").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.shutdown().await;
}

#[tokio::test]
async fn the_grid_sheet_carries_every_venue_code_of_the_grid() {
    let server = server().await;
    let phone = Device::enroll(&server, supervisor("s1")).await;
    let key = published_key(&phone).await;
    let (status, png) = phone
        .get_bytes(&format!("/v1/grids/{}/qr-sheet.png", urlencode(GRID_A)))
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{} (the sheet needs a CJK font: apt-get install fonts-wqy-zenhei)",
        String::from_utf8_lossy(&png)
    );
    let mut venues: Vec<String> = decode_sheet(&png, 7)
        .iter()
        .map(|url| {
            let token = venue_token::token_from_scan(url).unwrap();
            venue_token::parse(token)
                .unwrap()
                .verify(&key)
                .unwrap()
                .venue_id
        })
        .collect();
    venues.sort();
    assert_eq!(
        venues,
        [
            "CY-JS-001",
            "CY-JS-002",
            "CY-JS-005",
            "CY-JS-006",
            "CY-JS-007",
            "CY-JS-008",
            "CY-JS-009"
        ]
    );
    let worker_b = Device::enroll(&server, worker("w2", GRID_B)).await;
    let (status, _) = worker_b
        .get_bytes(&format!("/v1/grids/{}/qr-sheet.png", urlencode(GRID_A)))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server.shutdown().await;
}
