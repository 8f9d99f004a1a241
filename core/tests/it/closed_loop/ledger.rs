//! The ledger (台账) offline on a hand-made set of six synced hazards: every filter, counts per
//! group checked against hand-computed numbers, and the CSV Excel opens (BOM, quoting).

use gridpatrol_core::api::loop_records::{HazardStatus, LedgerFilter, LedgerGroup};
use gridpatrol_core::api::records::HazardGrade;

use super::support::{db, ledger, LedgerHazard};
use crate::Fixture;

/// | id  | venue      | grid        | community    | type          | area           | grade | status           | overdue |
/// | H-1 | CY-JS-001  | 劲松三区-03 | 劲松三区社区 | small_eatery  | escape_routes  | gen   | REPORTED         |         |
/// | H-2 | CY-JS-001  | 劲松三区-03 | 劲松三区社区 | small_eatery  | gas            | major | IN_PROGRESS      | yes     |
/// | H-3 | CY-JS-002  | 劲松三区-03 | 劲松三区社区 | small_shop    | electrical     | gen   | CLOSED           |         |
/// | H-4 | CY-JS-003  | 劲松三区-04 | 劲松三区社区 | internet_cafe | escape_routes  | gen   | ASSIGNED         | yes     |
/// | H-5 | CY-JS-004  | 劲松二区-01 | 劲松二区社区 | small_hotel   | e_bikes        | major | AWAITING_RECHECK |         |
/// | H-6 | (unknown)  | 劲松二区-02 | —            | —             | electrical     | gen   | DISMISSED        |         |
fn fixture() -> Fixture {
    let f = Fixture::new();
    let rows = [
        (
            "H-1",
            "CY-JS-001",
            "劲松三区-03",
            "escape_routes",
            "general",
            "REPORTED",
            false,
        ),
        (
            "H-2",
            "CY-JS-001",
            "劲松三区-03",
            "gas",
            "suspected_major",
            "IN_PROGRESS",
            true,
        ),
        (
            "H-3",
            "CY-JS-002",
            "劲松三区-03",
            "electrical",
            "general",
            "CLOSED",
            false,
        ),
        (
            "H-4",
            "CY-JS-003",
            "劲松三区-04",
            "escape_routes",
            "general",
            "ASSIGNED",
            true,
        ),
        (
            "H-5",
            "CY-JS-004",
            "劲松二区-01",
            "e_bikes",
            "suspected_major",
            "AWAITING_RECHECK",
            false,
        ),
        (
            "H-6",
            "CY-JS-999",
            "劲松二区-02",
            "electrical",
            "general",
            "DISMISSED",
            false,
        ),
    ];
    for (seq, (hazard_id, venue_id, grid, area, grade, status, overdue)) in
        rows.into_iter().enumerate()
    {
        ledger(
            &f,
            LedgerHazard {
                hazard_id,
                venue_id,
                grid,
                area,
                grade,
                status,
                overdue,
                conflicts: &[],
            },
            seq as u64 + 1,
        );
    }
    // Distinct report times, so "newest first" is H-6 … H-1.
    db(&f)
        .execute(
            "UPDATE ledger_hazards SET reported_at = '2026-11-2' || substr(hazard_id, 3) || 'T01:00:00.000Z'",
            [],
        )
        .unwrap();
    f
}

fn ids(f: &Fixture, filter: LedgerFilter) -> Vec<String> {
    f.gp.ledger(filter)
        .unwrap()
        .into_iter()
        .map(|r| r.hazard_id)
        .collect()
}

#[test]
fn every_filter_narrows_the_ledger() {
    let f = fixture();
    assert_eq!(
        ids(&f, LedgerFilter::default()),
        ["H-6", "H-5", "H-4", "H-3", "H-2", "H-1"]
    );
    let cases: Vec<(LedgerFilter, &[&str])> = vec![
        (
            LedgerFilter {
                district: Some("朝阳区".into()),
                ..Default::default()
            },
            &["H-5", "H-4", "H-3", "H-2", "H-1"],
        ),
        (
            LedgerFilter {
                street: Some("劲松街道".into()),
                ..Default::default()
            },
            &["H-5", "H-4", "H-3", "H-2", "H-1"],
        ),
        (
            LedgerFilter {
                community: Some("劲松二区社区".into()),
                ..Default::default()
            },
            &["H-5"],
        ),
        (
            LedgerFilter {
                grid: Some("劲松三区-03".into()),
                ..Default::default()
            },
            &["H-3", "H-2", "H-1"],
        ),
        (
            LedgerFilter {
                grid: Some("劲松二区-02".into()),
                ..Default::default()
            },
            &["H-6"],
        ),
        (
            LedgerFilter {
                area: Some("escape_routes".into()),
                ..Default::default()
            },
            &["H-4", "H-1"],
        ),
        (
            LedgerFilter {
                venue_type: Some("small_eatery".into()),
                ..Default::default()
            },
            &["H-2", "H-1"],
        ),
        (
            LedgerFilter {
                industry: Some("住宿".into()),
                ..Default::default()
            },
            &["H-5"],
        ),
        (
            LedgerFilter {
                grade: Some(HazardGrade::SuspectedMajor),
                ..Default::default()
            },
            &["H-5", "H-2"],
        ),
        (
            LedgerFilter {
                status: Some(HazardStatus::Closed),
                ..Default::default()
            },
            &["H-3"],
        ),
        (
            LedgerFilter {
                overdue: Some(true),
                ..Default::default()
            },
            &["H-4", "H-2"],
        ),
        (
            LedgerFilter {
                overdue: Some(false),
                grid: Some("劲松三区-03".into()),
                ..Default::default()
            },
            &["H-3", "H-1"],
        ),
        (
            LedgerFilter {
                grid: Some("劲松三区-04".into()),
                status: Some(HazardStatus::Closed),
                ..Default::default()
            },
            &[],
        ),
    ];
    for (filter, expected) in cases {
        assert_eq!(ids(&f, filter.clone()), expected, "{filter:?}");
    }
    let row = &f
        .gp
        .ledger(LedgerFilter {
            grid: Some("劲松三区-04".into()),
            ..Default::default()
        })
        .unwrap()[0];
    assert_eq!(
        (
            row.venue_name.as_str(),
            row.venue_type_name.as_str(),
            row.area_name.as_str(),
            row.status_name.as_str()
        ),
        ("星光网吧", "小网吧", "疏散通道", "已交办")
    );
    assert!(row.overdue);
    let unknown = &f
        .gp
        .ledger(LedgerFilter {
            grid: Some("劲松二区-02".into()),
            ..Default::default()
        })
        .unwrap()[0];
    assert_eq!(
        (unknown.venue_name.as_str(), unknown.district.as_str()),
        ("", "")
    );
}

#[test]
fn counts_per_group_match_the_hand_computed_table() {
    let f = fixture();
    let count = |group, filter: LedgerFilter| -> Vec<(String, String, u32, u32, u32, u32)> {
        f.gp.ledger_counts(filter, group)
            .unwrap()
            .into_iter()
            .map(|c| {
                (
                    c.key,
                    c.label,
                    c.total,
                    c.open,
                    c.overdue,
                    c.suspected_major,
                )
            })
            .collect()
    };
    let s = String::from;
    assert_eq!(
        count(LedgerGroup::Grid, LedgerFilter::default()),
        [
            (s("劲松三区-03"), s("劲松三区-03"), 3, 2, 1, 1),
            (s("劲松三区-04"), s("劲松三区-04"), 1, 1, 1, 0),
            (s("劲松二区-01"), s("劲松二区-01"), 1, 1, 0, 1),
            (s("劲松二区-02"), s("劲松二区-02"), 1, 0, 0, 0),
        ]
    );
    assert_eq!(
        count(LedgerGroup::Area, LedgerFilter::default()),
        [
            (s("e_bikes"), s("电动自行车"), 1, 1, 0, 1),
            (s("electrical"), s("电气线路"), 2, 0, 0, 0),
            (s("escape_routes"), s("疏散通道"), 2, 2, 1, 0),
            (s("gas"), s("燃气"), 1, 1, 1, 1),
        ]
    );
    assert_eq!(
        count(LedgerGroup::Community, LedgerFilter::default()),
        [
            (s(""), s("（未知）"), 1, 0, 0, 0),
            (s("劲松三区社区"), s("劲松三区社区"), 4, 3, 2, 1),
            (s("劲松二区社区"), s("劲松二区社区"), 1, 1, 0, 1),
        ]
    );
    assert_eq!(
        count(
            LedgerGroup::Grade,
            LedgerFilter {
                overdue: Some(true),
                ..Default::default()
            }
        ),
        [
            (s("general"), s("一般隐患"), 1, 1, 1, 0),
            (s("suspected_major"), s("疑似重大隐患"), 1, 1, 1, 1),
        ]
    );
    let by_type = count(
        LedgerGroup::VenueType,
        LedgerFilter {
            street: Some("劲松街道".into()),
            ..Default::default()
        },
    );
    assert_eq!(
        by_type
            .iter()
            .map(|c| (c.1.as_str(), c.2))
            .collect::<Vec<_>>(),
        [
            ("小餐饮场所", 2),
            ("小旅馆", 1),
            ("小网吧", 1),
            ("小商店", 1)
        ]
    );
    let by_status = count(LedgerGroup::Status, LedgerFilter::default());
    assert_eq!(by_status.len(), 6);
    assert!(by_status.contains(&(s("CLOSED"), s("已销号"), 1, 0, 0, 0)));
    let totals: u32 = count(LedgerGroup::Industry, LedgerFilter::default())
        .iter()
        .map(|c| c.2)
        .sum();
    assert_eq!(totals, 6);
}

#[test]
fn the_csv_opens_in_excel_with_chinese_intact() {
    let f = fixture();
    db(&f)
        .execute(
            "UPDATE ledger_hazards SET note = '门锁了, \"钥匙\"在店主处' WHERE hazard_id = 'H-1'",
            [],
        )
        .unwrap();
    let csv =
        f.gp.ledger_csv(LedgerFilter {
            grid: Some("劲松三区-03".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(csv.starts_with('\u{feff}'), "no byte-order mark");
    assert!(csv.as_bytes().starts_with(&[0xEF, 0xBB, 0xBF]));
    let lines: Vec<&str> = csv
        .trim_start_matches('\u{feff}')
        .split_terminator("\r\n")
        .collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[0].starts_with("隐患编号,区,街乡,社区,网格,场所编号,场所名称,场所类型,行业,地址"));
    let h1 = lines.iter().find(|l| l.starts_with("H-1,")).unwrap();
    assert!(
        h1.starts_with("H-1,朝阳区,劲松街道,劲松三区社区,劲松三区-03,CY-JS-001,老北京炸酱面馆,小餐饮场所,餐饮,"),
        "{h1}"
    );
    assert!(
        h1.contains(",疏散通道,,一般隐患,已上报,否,,否,否,,,"),
        "{h1}"
    );
    assert!(h1.ends_with(",\"门锁了, \"\"钥匙\"\"在店主处\""), "{h1}");

    let path = f.dir.path().join("out").join("台账.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let n =
        f.gp.export_ledger_csv(
            LedgerFilter {
                overdue: Some(true),
                ..Default::default()
            },
            path.display().to_string(),
        )
        .unwrap();
    assert_eq!(n, 2);
    let written = std::fs::read(&path).unwrap();
    assert!(written.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert_eq!(
        String::from_utf8(written).unwrap().matches("\r\n").count(),
        3
    );
    let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
    assert_eq!(leftovers, 1, "a temp file was left behind");

    f.gp.set_locale("en".into()).unwrap();
    let csv =
        f.gp.ledger_csv(LedgerFilter {
            status: Some(HazardStatus::Closed),
            ..Default::default()
        })
        .unwrap();
    assert!(csv.contains("hazard id,district,street,community,grid,venue id,venue,"));
    assert!(csv.contains(",general,closed,no,"));
}
