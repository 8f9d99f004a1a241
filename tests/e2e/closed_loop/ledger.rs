//! The ledger (台账) against a hand-computed fixture: hazards in two grids, of known areas,
//! grades and states; the server's counts per group and the supervisor phone's offline counts
//! must both match the table below, and the CSV opens in Excel (UTF-8 with a BOM).

use std::collections::BTreeMap;

use gridpatrol_core::api::loop_records::{LedgerFilter, LedgerGroup};
use gridpatrol_proto::events::HazardGrade;
use gridpatrol_proto::hazard_flow::HazardAction;
use gridpatrol_tests::office::Console;
use gridpatrol_tests::{demo_server, supervisor, Phone, GRID_A, GRID_B};

use super::{act, hazard_of, sync};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_match_a_hand_computed_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let (a, b, boss) = (Phone::new(), Phone::new(), Phone::new());
    a.enroll(&server, "u-a", GRID_A).await;
    b.enroll(&server, "u-b", GRID_B).await;
    boss.enroll_as(&server, supervisor("u-boss")).await;
    for p in [&a, &b] {
        sync(p).await;
    }
    // Grid A: eatery P01, P02 (management/people), G04 (gas); shop P01.
    // Grid B: hotel (CY-JS-004) P01 and P02.
    a.inspect("CY-JS-001", &["P01", "P02", "G04"]);
    a.inspect("CY-JS-002", &["P01"]);
    b.inspect("CY-JS-004", &["P01", "P02"]);
    for p in [&a, &b] {
        sync(p).await;
    }
    // States: A's eatery P01 confirmed, its G04 confirmed as suspected major; B's P02 verifying.
    let eatery_p01 = hazard_of(&a, "CY-JS-001", "P01");
    let eatery_g04 = hazard_of(&a, "CY-JS-001", "G04");
    act(
        &a,
        &eatery_p01,
        HazardAction::Confirm {
            grade: HazardGrade::General,
        },
    );
    act(
        &a,
        &eatery_g04,
        HazardAction::Confirm {
            grade: HazardGrade::SuspectedMajor,
        },
    );
    let hotel_p02 = hazard_of(&b, "CY-JS-004", "P02");
    act(&b, &hotel_p02, HazardAction::Verify);
    for p in [&a, &b, &boss] {
        sync(p).await;
    }

    // By hand: 6 hazards. Grid A 4, grid B 2. Areas: people 3 (A eatery P01, A shop P01,
    // B hotel P01), management 2, gas 1. Statuses: CONFIRMED 2, VERIFYING 1, REPORTED 3.
    // Grades: suspected_major 1, general 5.
    let expected: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::from([
        (
            "grid",
            BTreeMap::from([(GRID_A.to_owned(), 4), (GRID_B.to_owned(), 2)]),
        ),
        (
            "area",
            BTreeMap::from([
                ("people".into(), 3),
                ("management".into(), 2),
                ("gas".into(), 1),
            ]),
        ),
        (
            "status",
            BTreeMap::from([
                ("CONFIRMED".into(), 2),
                ("VERIFYING".into(), 1),
                ("REPORTED".into(), 3),
            ]),
        ),
        (
            "grade",
            BTreeMap::from([("suspected_major".into(), 1), ("general".into(), 5)]),
        ),
    ]);
    let office = Console::enroll(&server, supervisor("u-office")).await;
    for (group, want) in &expected {
        let counts = office.counts(group).await;
        let got: BTreeMap<String, u64> = counts
            .groups
            .iter()
            .map(|g| (g.key[*group].clone(), g.count))
            .collect();
        assert_eq!(&got, want, "server counts by {group}");
        assert_eq!(counts.total, 6);
    }
    let phone_groups = [
        ("grid", LedgerGroup::Grid),
        ("area", LedgerGroup::Area),
        ("status", LedgerGroup::Status),
        ("grade", LedgerGroup::Grade),
    ];
    for (name, group) in phone_groups {
        let got: BTreeMap<String, u64> = boss
            .gp
            .ledger_counts(LedgerFilter::default(), group)
            .unwrap()
            .into_iter()
            .map(|c| (c.key, c.total as u64))
            .collect();
        assert_eq!(
            &got, &expected[name],
            "the supervisor phone's offline counts by {name}"
        );
    }

    // CSV for Excel: BOM, one header line, six rows; filtered to grid B, two.
    let (status, csv) = office.bytes("/v1/ledger.csv").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert_eq!(text.lines().count(), 1 + 6);
    let phone_csv = boss
        .gp
        .ledger_csv(LedgerFilter {
            grid: Some(GRID_B.into()),
            ..Default::default()
        })
        .unwrap();
    assert!(phone_csv.starts_with('\u{feff}'));
    assert_eq!(phone_csv.lines().count(), 1 + 2);
    server.shutdown().await;
}
