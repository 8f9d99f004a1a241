//! The changes feed: paging in commit order, cursors, and scope — a worker never sees another
//! grid's venues or hazards; a supervisor sees the street; a resident only district-wide data.

use std::collections::BTreeSet;

use gridpatrol_proto::sync::{ChangeBody, ChangesResponse, Role};
use reqwest::StatusCode;
use server_stub::Account;

use crate::support::{
    error_code, server, supervisor, worker, Device, GRID_A, GRID_B, VENUE_A, VENUE_B,
};

/// Every change visible to `device`, paging `limit` at a time; also checks the paging.
async fn all_changes(device: &Device, limit: u32) -> Vec<ChangeBody> {
    let mut cursor = 0;
    let mut bodies = Vec::new();
    loop {
        let (status, body) = device
            .get(&format!("/v1/changes?since={cursor}&limit={limit}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let page: ChangesResponse = serde_json::from_value(body).unwrap();
        assert!(page.changes.len() <= limit as usize);
        for change in &page.changes {
            assert!(change.server_seq > cursor, "commit order");
            cursor = change.server_seq;
        }
        assert!(page.next_cursor >= cursor);
        cursor = page.next_cursor;
        bodies.extend(page.changes.into_iter().map(|c| c.body));
        if !page.more {
            return bodies;
        }
    }
}

fn grids_of(bodies: &[ChangeBody]) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut venue_grids = BTreeSet::new();
    let mut hazard_grids = BTreeSet::new();
    for body in bodies {
        match body {
            ChangeBody::Venue(v) => {
                venue_grids.insert(v.grid.clone());
            }
            ChangeBody::Hazard(h) => {
                hazard_grids.insert(h.grid.clone());
            }
            _ => {}
        }
    }
    (venue_grids, hazard_grids)
}

#[tokio::test]
async fn pages_come_in_commit_order_and_the_cursor_resumes() {
    let server = server().await;
    let phone = Device::enroll(&server, supervisor("s1")).await;
    let whole = all_changes(&phone, 1000).await;
    let paged = all_changes(&phone, 4).await;
    assert_eq!(whole, paged);
    // 30 venues, one pack, one key.
    assert_eq!(whole.len(), 32);
    assert!(matches!(whole[0], ChangeBody::ReferencePack(_)));
    assert!(whole.iter().any(|b| matches!(b, ChangeBody::SigningKey(_))));
    let (status, body) = phone.get("/v1/changes?limit=5000").await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "invalid_query")
    );
    for since in ["-1", "9223372036854775808"] {
        let (status, body) = phone.get(&format!("/v1/changes?since={since}")).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::BAD_REQUEST, "invalid_query")
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_worker_never_sees_another_grids_venues_or_hazards() {
    let server = server().await;
    let mut a = Device::enroll(&server, worker("wa", GRID_A)).await;
    let mut b = Device::enroll(&server, worker("wb", GRID_B)).await;
    let (events, ..) = a.failed_inspection(VENUE_A);
    assert_eq!(a.push(&events).await.0, StatusCode::OK);
    let (events, ..) = b.failed_inspection(VENUE_B);
    assert_eq!(b.push(&events).await.0, StatusCode::OK);

    let (venues, hazards) = grids_of(&all_changes(&a, 7).await);
    assert_eq!(venues, BTreeSet::from([GRID_A.to_owned()]));
    assert_eq!(hazards, BTreeSet::from([GRID_A.to_owned()]));
    let (venues, hazards) = grids_of(&all_changes(&b, 1000).await);
    assert_eq!(venues, BTreeSet::from([GRID_B.to_owned()]));
    assert_eq!(hazards, BTreeSet::from([GRID_B.to_owned()]));
    let street = Device::enroll(&server, supervisor("s1")).await;
    let (venues, hazards) = grids_of(&all_changes(&street, 1000).await);
    assert_eq!(venues.len(), 5, "every grid of the street");
    assert_eq!(hazards.len(), 2);

    let (_, ledger) = a.get("/v1/ledger").await;
    assert_eq!(ledger["hazards"].as_array().unwrap().len(), 1);
    assert_eq!(ledger["hazards"][0]["grid"], GRID_A);
    let (status, body) = a
        .get(&format!("/v1/ledger?grid={}", urlencode(GRID_B)))
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let (_, ledger) = street.get("/v1/ledger").await;
    assert_eq!(ledger["hazards"].as_array().unwrap().len(), 2);
    server.shutdown().await;
}

#[tokio::test]
async fn a_resident_sees_only_district_wide_data_and_no_ledger() {
    let server = server().await;
    let resident = Device::enroll(
        &server,
        Account {
            user_id: "r1".into(),
            display_name: "居民".into(),
            role: Role::Resident,
            grids: Vec::new(),
            street: None,
        },
    )
    .await;
    let bodies = all_changes(&resident, 1000).await;
    assert!(bodies
        .iter()
        .all(|b| matches!(b, ChangeBody::ReferencePack(_) | ChangeBody::SigningKey(_))));
    let (status, _) = resident.get("/v1/ledger").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = resident.get_bytes("/v1/venues/CY-JS-001/qr.png").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server.shutdown().await;
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
