use gridpatrol_core::api::records::{
    EvidenceTarget, HazardAreaRecord, HazardGrade, InspectionStatus, Verdict,
};
use gridpatrol_core::GridPatrolError;

use crate::{photo, Fixture};

#[test]
fn an_offline_inspection_round_trip_turns_failed_items_into_reported_hazards() {
    let f = Fixture::new();
    let inspection = f.gp.start_inspection("CY-JS-001".into()).unwrap();
    assert_eq!(inspection.status, InspectionStatus::InProgress);
    assert_eq!(
        (inspection.template_id.as_str(), inspection.template_version),
        ("default", 1)
    );
    let checklist = f.gp.checklist(inspection.inspection_id.clone()).unwrap();
    assert_eq!(checklist.len() as u32, inspection.item_count);
    // An eatery gets the gas-alarm item; a shop does not.
    assert!(checklist.iter().any(|e| e.item_id == "G01"));
    let id = inspection.inspection_id.clone();
    for entry in &checklist {
        let (verdict, major) = match entry.item_id.as_str() {
            "R01" => (Verdict::Fail, true),
            "B01" => (Verdict::Fail, false),
            "E02" => (Verdict::Na, false),
            _ => (Verdict::Pass, false),
        };
        f.gp.answer_item(
            id.clone(),
            entry.item_id.clone(),
            verdict,
            Some(" 见照片 ".into()),
            major,
        )
        .unwrap();
    }
    for item in ["R01", "B01"] {
        let target = EvidenceTarget::Answer {
            inspection_id: id.clone(),
            item_id: item.into(),
        };
        f.gp.attach_photo(target, photo("exif_full.jpg")).unwrap();
    }
    let summary = f.gp.finish_inspection(id.clone()).unwrap();
    assert_eq!(summary.inspection.status, InspectionStatus::Finished);
    assert_eq!(summary.inspection.failed_count, 2);
    let mut found: Vec<(String, String, HazardGrade, String)> = summary
        .hazards
        .iter()
        .map(|h| (h.item_id.clone(), h.area.clone(), h.grade, h.status.clone()))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        found,
        vec![
            (
                "B01".into(),
                "e_bikes".into(),
                HazardGrade::General,
                "REPORTED".into()
            ),
            (
                "R01".into(),
                "escape_routes".into(),
                HazardGrade::SuspectedMajor,
                "REPORTED".into()
            ),
        ]
    );
    assert!(summary
        .hazards
        .iter()
        .all(|h| h.note.as_deref() == Some("见照片")));
    assert_eq!(f.gp.list_hazards().unwrap().len(), 2);
    // start, answers, one evidence.added (the same photo twice), two evidence.attached, finish
    let outbox = f.gp.outbox_status().unwrap();
    assert_eq!(outbox.events_pending, 5 + checklist.len() as u64);
    assert_eq!(outbox.blobs_pending, 1);
}

#[test]
fn a_failed_item_that_needs_a_photo_cannot_be_finished_without_one() {
    let f = Fixture::new();
    let id =
        f.gp.start_inspection("CY-JS-001".into())
            .unwrap()
            .inspection_id;
    // E01 and R01 ask for a photo when failed; G04 (gas shut off after hours) does not.
    for entry in f.gp.checklist(id.clone()).unwrap() {
        let verdict = match entry.item_id.as_str() {
            "E01" | "R01" | "G04" => Verdict::Fail,
            _ => Verdict::Pass,
        };
        f.gp.answer_item(id.clone(), entry.item_id, verdict, None, false)
            .unwrap();
    }
    let before = f.gp.outbox_status().unwrap();
    match f.gp.finish_inspection(id.clone()) {
        Err(GridPatrolError::InvalidInput { reason }) => assert_eq!(
            reason,
            "cannot finish: 2 failed items need a photo: E01, R01"
        ),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    let answer = |item: &str| EvidenceTarget::Answer {
        inspection_id: id.clone(),
        item_id: item.into(),
    };
    f.gp.attach_photo(answer("E01"), photo("orientation_6.jpg"))
        .unwrap();
    match f.gp.finish_inspection(id.clone()) {
        Err(GridPatrolError::InvalidInput { reason }) => {
            assert_eq!(reason, "cannot finish: item R01 failed and needs a photo")
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    // Only the photo was recorded (evidence.added + evidence.attached); nothing else.
    assert_eq!(
        f.gp.outbox_status().unwrap().events_pending,
        before.events_pending + 2
    );
    assert!(f.gp.list_hazards().unwrap().is_empty());
    assert_eq!(
        f.gp.get_inspection(id.clone()).unwrap().status,
        InspectionStatus::InProgress
    );

    f.gp.attach_photo(answer("R01"), photo("no_exif.jpg"))
        .unwrap();
    let summary = f.gp.finish_inspection(id).unwrap();
    let mut items: Vec<&str> = summary.hazards.iter().map(|h| h.item_id.as_str()).collect();
    items.sort();
    assert_eq!(items, ["E01", "G04", "R01"]);
}

#[test]
fn finishing_with_unanswered_items_names_them_and_saves_nothing() {
    let f = Fixture::new();
    let id =
        f.gp.start_inspection("CY-JS-002".into())
            .unwrap()
            .inspection_id;
    let checklist = f.gp.checklist(id.clone()).unwrap();
    for entry in checklist.iter().filter(|e| e.item_id != "R03") {
        f.gp.answer_item(
            id.clone(),
            entry.item_id.clone(),
            Verdict::Fail,
            None,
            false,
        )
        .unwrap();
    }
    let before = f.gp.outbox_status().unwrap();
    match f.gp.finish_inspection(id.clone()) {
        Err(GridPatrolError::InvalidInput { reason }) => {
            assert_eq!(reason, "cannot finish: item R03 is not answered")
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert_eq!(f.gp.outbox_status().unwrap(), before);
    assert!(f.gp.list_hazards().unwrap().is_empty());
    assert_eq!(
        f.gp.get_inspection(id).unwrap().status,
        InspectionStatus::InProgress
    );
}

#[test]
fn invalid_answers_are_refused_naming_the_item() {
    let f = Fixture::new();
    let id =
        f.gp.start_inspection("CY-JS-002".into())
            .unwrap()
            .inspection_id;
    let cases = [
        (
            "G01",
            Verdict::Fail,
            false,
            "item G01 is not on this inspection's checklist",
        ),
        (
            "E01",
            Verdict::Fail,
            true,
            "item E01 cannot be a major hazard; record it as general",
        ),
        (
            "R01",
            Verdict::Pass,
            true,
            "item R01: only a failed item can be marked suspected major",
        ),
    ];
    for (item, verdict, major, expected) in cases {
        match f
            .gp
            .answer_item(id.clone(), item.into(), verdict, None, major)
        {
            Err(GridPatrolError::InvalidInput { reason }) => assert_eq!(reason, expected),
            other => panic!("{item}: expected InvalidInput, got {other:?}"),
        }
    }
    let long = "很".repeat(2001);
    assert!(matches!(
        f.gp.answer_item(id.clone(), "E01".into(), Verdict::Fail, Some(long), false),
        Err(GridPatrolError::InvalidInput { .. })
    ));
    assert_eq!(
        f.gp.outbox_status().unwrap().events_pending,
        1,
        "only the start was recorded"
    );
}

#[test]
fn a_finished_inspection_cannot_be_changed() {
    let f = Fixture::new();
    let id = f.inspect("CY-JS-003", &[]);
    f.gp.finish_inspection(id.clone()).unwrap();
    assert!(matches!(
        f.gp.answer_item(id.clone(), "E01".into(), Verdict::Fail, None, false),
        Err(GridPatrolError::Conflict { .. })
    ));
    assert!(matches!(
        f.gp.finish_inspection(id),
        Err(GridPatrolError::Conflict { .. })
    ));
}

#[test]
fn starting_twice_continues_the_inspection_in_progress() {
    let f = Fixture::new();
    let first = f.gp.start_inspection("CY-JS-004".into()).unwrap();
    f.gp.answer_item(
        first.inspection_id.clone(),
        "E01".into(),
        Verdict::Pass,
        None,
        false,
    )
    .unwrap();
    let again = f.gp.start_inspection("CY-JS-004".into()).unwrap();
    assert_eq!(again.inspection_id, first.inspection_id);
    assert_eq!(again.answered_count, 1);
    assert_eq!(f.gp.list_inspections().unwrap().len(), 1);
}

#[test]
fn answering_again_replaces_the_answer() {
    let f = Fixture::new();
    let id =
        f.gp.start_inspection("CY-JS-002".into())
            .unwrap()
            .inspection_id;
    f.gp.answer_item(
        id.clone(),
        "E01".into(),
        Verdict::Fail,
        Some("过期".into()),
        false,
    )
    .unwrap();
    let record =
        f.gp.answer_item(id.clone(), "E01".into(), Verdict::Pass, None, false)
            .unwrap();
    assert_eq!((record.answered_count, record.failed_count), (1, 0));
    let entry =
        f.gp.checklist(id)
            .unwrap()
            .into_iter()
            .find(|e| e.item_id == "E01")
            .unwrap();
    let answer = entry.answer.unwrap();
    assert_eq!((answer.verdict, answer.note), (Verdict::Pass, None));
}

#[test]
fn unknown_ids_are_not_found() {
    let f = Fixture::new();
    assert!(matches!(
        f.gp.start_inspection("nope".into()),
        Err(GridPatrolError::NotFound { .. })
    ));
    assert!(matches!(
        f.gp.checklist("nope".into()),
        Err(GridPatrolError::NotFound { .. })
    ));
    assert!(matches!(
        f.gp.get_venue("nope".into()),
        Err(GridPatrolError::NotFound { .. })
    ));
}

#[test]
fn labels_follow_the_locale() {
    let f = Fixture::new();
    let zh = f.gp.get_venue("CY-JS-003".into()).unwrap();
    assert_eq!(zh.venue_type_name, "小网吧");
    f.gp.set_locale("en".into()).unwrap();
    let en = f.gp.get_venue("CY-JS-003".into()).unwrap();
    assert_eq!(en.venue_type_name, "Small internet café");
    assert!(en.small_venue);
}

#[test]
fn hazard_areas_come_in_checklist_order_in_the_apps_language() {
    let f = Fixture::new();
    let zh = f.gp.hazard_areas().unwrap();
    assert_eq!(zh.len(), 19);
    assert_eq!(
        (zh[0].code.as_str(), zh[0].label.as_str()),
        ("extinguishers", "灭火器")
    );
    let escape = zh.iter().position(|a| a.code == "escape_routes").unwrap();
    let gas = zh.iter().position(|a| a.code == "gas").unwrap();
    assert!(
        escape < gas,
        "checklist order: escape routes (R01) before gas"
    );
    assert_eq!(zh[escape].label, "疏散通道");
    f.gp.set_locale("en".into()).unwrap();
    let en = f.gp.hazard_areas().unwrap();
    let codes =
        |areas: &[HazardAreaRecord]| areas.iter().map(|a| a.code.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&en), codes(&zh));
    assert_eq!(en[escape].label, "Escape routes");
}

#[test]
fn a_bad_venue_file_imports_nothing() {
    let f = Fixture::new();
    let path = f.dir.path().join("bad.json");
    let mut file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(crate::sample_venues()).unwrap()).unwrap();
    file["venues"][0]["name"] = "改名".into();
    file["venues"][2]["venue_type"] = "spaceport".into();
    std::fs::write(&path, file.to_string()).unwrap();
    match f.gp.import_venues_file(path.display().to_string()) {
        Err(GridPatrolError::InvalidInput { reason }) => {
            assert_eq!(reason, "venue 'CY-JS-003': unknown venue type 'spaceport'")
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert_eq!(
        f.gp.get_venue("CY-JS-001".into()).unwrap().name,
        "老北京炸酱面馆"
    );
    assert!(matches!(
        f.gp.import_venues_file(f.dir.path().join("missing.json").display().to_string()),
        Err(GridPatrolError::InvalidInput { .. })
    ));
}
