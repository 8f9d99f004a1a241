//! The ledger (台账): filters, counts per group against a hand-computed fixture, scope, and the
//! CSV export (BOM, Chinese headers and labels).

use std::collections::BTreeMap;

use gridpatrol_proto::events::{HazardAction as A, HazardGrade, HazardStatus as S};
use gridpatrol_proto::sync::LedgerCounts;
use reqwest::StatusCode;

use crate::support::{error_code, server, supervisor, worker, Device, GRID_A, GRID_B};

const DAY: i64 = 86_400;
const GRID_A4: &str = "劲松三区-04";

/// Six hazards in three grids (see the table in the test); returns the supervisor and worker A.
async fn fixture(server: &server_stub::Handle) -> (Device, Device, Vec<String>) {
    let mut a = Device::enroll(server, worker("wa", GRID_A)).await;
    let mut b = Device::enroll(server, worker("wb", GRID_B)).await;
    let mut c = Device::enroll(server, worker("wc", GRID_A4)).await;
    let mut s = Device::enroll(server, supervisor("s1")).await;
    let g = HazardGrade::General;
    let mut ids = Vec::new();
    for (who, venue, item, area, grade) in [
        (0, "CY-JS-001", "E01", "extinguishers", g),
        (
            0,
            "CY-JS-001",
            "R01",
            "escape_routes",
            HazardGrade::SuspectedMajor,
        ),
        (0, "CY-JS-002", "B01", "e_bikes", g),
        (2, "CY-JS-003", "C01", "electrical", g),
        (1, "CY-JS-004", "E01", "extinguishers", g),
        (1, "CY-JS-019", "G01", "gas", g),
    ] {
        let device = match who {
            0 => &mut a,
            1 => &mut b,
            _ => &mut c,
        };
        let (events, id) = device.hazard_at(venue, item, area, grade);
        device.push_ok(&events).await;
        ids.push(id);
    }
    a.act(&ids[2], A::Confirm { grade: g }, S::Reported).await;
    b.act(&ids[4], A::Confirm { grade: g }, S::Reported).await;
    s.act(
        &ids[4],
        A::Assign {
            owner: "店主".into(),
            deadline: None,
        },
        S::Confirmed,
    )
    .await;
    // Eight days on: #5's fix is overdue; #2 (suspected major) went up by itself after 48 h,
    // so its report deadline no longer applies.
    server.advance_clock(8 * DAY);
    (s, a, ids)
}

async fn counts(device: &Device, query: &str) -> BTreeMap<String, u64> {
    let (status, body) = device.get(&format!("/v1/ledger/counts?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let counts: LedgerCounts = serde_json::from_value(body).unwrap();
    assert_eq!(
        counts.total,
        counts.groups.iter().map(|g| g.count).sum::<u64>()
    );
    counts
        .groups
        .into_iter()
        .map(|g| {
            (
                g.key.values().cloned().collect::<Vec<_>>().join("|"),
                g.count,
            )
        })
        .collect()
}

fn table(rows: &[(&str, u64)]) -> BTreeMap<String, u64> {
    rows.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

#[tokio::test]
async fn counts_per_group_match_the_hand_computed_fixture() {
    let server = server().await;
    let (s, a, _) = fixture(&server).await;
    // #  venue      grid          community    type                 industry        area           grade  status
    // 1  CY-JS-001  劲松三区-03  劲松三区社区  small_eatery         餐饮            extinguishers  gen    REPORTED
    // 2  CY-JS-001  劲松三区-03  劲松三区社区  small_eatery         餐饮            escape_routes  major  REPORTED
    // 3  CY-JS-002  劲松三区-03  劲松三区社区  small_shop           零售            e_bikes        gen    CONFIRMED
    // 4  CY-JS-003  劲松三区-04  劲松三区社区  small_internet_cafe  互联网上网服务  electrical     gen    REPORTED
    // 5  CY-JS-004  劲松二区-01  劲松二区社区  small_hotel          住宿            extinguishers  gen    ASSIGNED (overdue)
    // 6  CY-JS-019  劲松二区-01  劲松二区社区  small_eatery         餐饮            gas            gen    REPORTED
    assert_eq!(
        counts(&s, "group_by=grid").await,
        table(&[("劲松三区-03", 3), ("劲松三区-04", 1), ("劲松二区-01", 2)])
    );
    assert_eq!(
        counts(&s, "group_by=community").await,
        table(&[("劲松三区社区", 4), ("劲松二区社区", 2)])
    );
    assert_eq!(
        counts(&s, "group_by=venue_type").await,
        table(&[
            ("small_eatery", 3),
            ("small_shop", 1),
            ("small_internet_cafe", 1),
            ("small_hotel", 1)
        ])
    );
    assert_eq!(
        counts(&s, "group_by=industry").await,
        table(&[("餐饮", 3), ("零售", 1), ("互联网上网服务", 1), ("住宿", 1)])
    );
    assert_eq!(
        counts(&s, "group_by=area").await,
        table(&[
            ("extinguishers", 2),
            ("escape_routes", 1),
            ("e_bikes", 1),
            ("electrical", 1),
            ("gas", 1)
        ])
    );
    assert_eq!(
        counts(&s, "group_by=grade").await,
        table(&[("general", 5), ("suspected_major", 1)])
    );
    assert_eq!(
        counts(&s, "group_by=status").await,
        table(&[("REPORTED", 4), ("CONFIRMED", 1), ("ASSIGNED", 1)])
    );
    assert_eq!(
        counts(&s, "group_by=overdue").await,
        table(&[("true", 1), ("false", 5)])
    );
    // Two columns: keys are joined in column-name order (grid, status).
    assert_eq!(
        counts(&s, "group_by=grid,status").await,
        table(&[
            ("劲松三区-03|REPORTED", 2),
            ("劲松三区-03|CONFIRMED", 1),
            ("劲松三区-04|REPORTED", 1),
            ("劲松二区-01|ASSIGNED", 1),
            ("劲松二区-01|REPORTED", 1),
        ])
    );
    // Filters apply before counting.
    assert_eq!(
        counts(&s, "group_by=grid&industry=餐饮").await,
        table(&[("劲松三区-03", 2), ("劲松二区-01", 1)])
    );
    assert_eq!(counts(&s, "overdue=true").await, table(&[("", 1)]));
    // A worker counts their own grid only.
    assert_eq!(
        counts(&a, "group_by=grid").await,
        table(&[("劲松三区-03", 3)])
    );
    let (status, body) = s.get("/v1/ledger/counts?group_by=colour").await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "invalid_query")
    );
    let (status, _) = s.get("/v1/ledger/counts?group_by=grid,grid").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    server.shutdown().await;
}

#[tokio::test]
async fn every_filter_narrows_the_ledger() {
    let server = server().await;
    let (s, a, ids) = fixture(&server).await;
    let found = |hazards: Vec<gridpatrol_proto::sync::HazardState>| {
        let mut positions: Vec<usize> = hazards
            .iter()
            .map(|h| ids.iter().position(|id| *id == h.hazard_id).unwrap() + 1)
            .collect();
        positions.sort();
        positions
    };
    for (query, expected) in [
        ("", vec![1, 2, 3, 4, 5, 6]),
        ("?district=朝阳区", vec![1, 2, 3, 4, 5, 6]),
        ("?district=海淀区", vec![]),
        ("?street=劲松街道", vec![1, 2, 3, 4, 5, 6]),
        ("?community=劲松二区社区", vec![5, 6]),
        ("?grid=劲松三区-04", vec![4]),
        ("?area=extinguishers", vec![1, 5]),
        ("?venue_type=small_eatery", vec![1, 2, 6]),
        ("?industry=零售", vec![3]),
        ("?grade=suspected_major", vec![2]),
        ("?status=ASSIGNED", vec![5]),
        ("?overdue=true", vec![5]),
        ("?area=extinguishers&community=劲松三区社区", vec![1]),
    ] {
        assert_eq!(found(s.ledger(query).await), expected, "{query}");
    }
    assert_eq!(found(a.ledger("").await), vec![1, 2, 3]);
    let (status, _) = a.get(&format!("/v1/ledger?grid={GRID_B}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for bad in ["?grade=major", "?status=DONE", "?overdue=maybe"] {
        let (status, body) = s.get(&format!("/v1/ledger{bad}")).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::BAD_REQUEST, "invalid_query"),
            "{bad}"
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn the_csv_export_opens_in_excel_with_chinese_headers_and_labels() {
    let server = server().await;
    let (s, _, ids) = fixture(&server).await;
    let response = s
        .http
        .get(format!("{}/v1/ledger.csv?grid={GRID_B}", s.base))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM for Excel");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("隐患编号,区,街乡,社区,网格,场所编号,场所名称,场所类型,行业"));
    let hotel = lines.iter().find(|l| l.starts_with(&ids[4])).unwrap();
    for label in [
        "朝阳区",
        "劲松二区社区",
        "小旅馆",
        "住宿",
        "灭火器",
        "一般隐患",
        "已交办",
        "店主",
    ] {
        assert!(hotel.contains(label), "{label} in {hotel}");
    }
    let cells: Vec<&str> = hotel.split(',').collect();
    assert_eq!(cells[14], "是", "overdue");
    let eatery = lines.iter().find(|l| l.starts_with(&ids[5])).unwrap();
    assert!(eatery.contains("小餐饮场所") && eatery.contains("燃气") && eatery.contains("已上报"));
    let resident = Device::resident(&server, None).await;
    let (status, _) = resident.get("/v1/ledger.csv").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server.shutdown().await;
}
