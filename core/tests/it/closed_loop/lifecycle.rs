//! Hazard transitions on the phone: the shared table refuses at once, photos must be attached
//! first, pending actions sit on the server's state until a pull brings them back, refusals and
//! conflicts are shown and never applied, roles decide who may take each action, and a
//! suspected-major hazard is assigned only with the regulator's deadline.

use gridpatrol_core::api::loop_records::{HazardAction, HazardStatus};
use gridpatrol_core::api::records::{EvidenceTarget, HazardGrade};
use gridpatrol_core::GridPatrolError;

use super::support::{answered, enroll_as, last_seq, ledger, pulled, LedgerHazard};
use crate::{photo, Fixture};

/// A hazard this device found: an inspection of CY-JS-002 with R01 failed, finished.
fn found_hazard(f: &Fixture) -> String {
    let id = f.inspect("CY-JS-002", &["R01"]);
    let summary = f.gp.finish_inspection(id).unwrap();
    summary.hazards[0].hazard_id.clone()
}

fn attach(f: &Fixture, hazard_id: &str, name: &str) -> String {
    f.gp.attach_photo(
        EvidenceTarget::Hazard {
            hazard_id: hazard_id.into(),
        },
        photo(name),
    )
    .unwrap()
    .sha256
}

fn invalid(result: Result<impl std::fmt::Debug, GridPatrolError>) -> String {
    match result {
        Err(GridPatrolError::InvalidInput { reason }) => reason,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn a_hazard_found_offline_goes_through_its_lifecycle_before_any_sync() {
    let f = Fixture::new();
    let h = found_hazard(&f);
    let detail = f.gp.hazard_detail(h.clone()).unwrap();
    assert_eq!(detail.state.status, HazardStatus::Reported);
    assert_eq!(detail.state.server_status, None);
    assert_eq!(detail.state.item_id.as_deref(), Some("R01"));
    assert_eq!(detail.available_actions, ["verify", "confirm"]);

    f.gp.transition_hazard(h.clone(), HazardAction::Verify, None)
        .unwrap();
    let detail =
        f.gp.transition_hazard(
            h.clone(),
            HazardAction::Confirm {
                grade: HazardGrade::SuspectedMajor,
            },
            Some("  两个出口都锁着  ".into()),
        )
        .unwrap();
    assert_eq!(detail.state.status, HazardStatus::Confirmed);
    assert_eq!(detail.state.grade, HazardGrade::SuspectedMajor);
    assert_eq!(detail.pending_actions.len(), 2);
    let confirm = &detail.pending_actions[1];
    assert_eq!(
        (confirm.expected_status, confirm.to_status, confirm.sent),
        (HazardStatus::Verifying, HazardStatus::Confirmed, false)
    );
    assert_eq!(confirm.note.as_deref(), Some("两个出口都锁着"));
    assert_eq!(detail.available_actions, ["fix_on_site"]);

    let before = attach(&f, &h, "exif_full.jpg");
    let after = attach(&f, &h, "orientation_6.jpg");
    let detail =
        f.gp.transition_hazard(
            h.clone(),
            HazardAction::FixOnSite {
                before: vec![before],
                after: vec![after],
            },
            None,
        )
        .unwrap();
    assert_eq!(detail.state.status, HazardStatus::FixedOnSite);
    let detail =
        f.gp.transition_hazard(h.clone(), HazardAction::Close, None)
            .unwrap();
    assert_eq!(detail.state.status, HazardStatus::Closed);
    assert!(detail.available_actions.is_empty());
    assert_eq!(detail.pending_actions.len(), 4);

    let report = f.gp.verify_journal().unwrap();
    assert!(report.intact, "{report:?}");
}

#[test]
fn an_impossible_action_is_refused_at_once_in_the_servers_words() {
    let f = Fixture::new();
    let h = found_hazard(&f);
    let events = last_seq(&f);
    assert_eq!(
        invalid(f.gp.transition_hazard(h.clone(), HazardAction::Close, None)),
        format!("hazard {h}: a hazard that is REPORTED cannot be close")
    );
    let assign = HazardAction::Assign {
        owner: "店主".into(),
        deadline: None,
    };
    assert_eq!(
        invalid(f.gp.transition_hazard(h.clone(), assign, None)),
        format!("hazard {h}: a grid worker may not assign a hazard")
    );
    f.gp.transition_hazard(h.clone(), HazardAction::Verify, None)
        .unwrap();
    let dismiss = HazardAction::Dismiss { reason: " ".into() };
    assert_eq!(
        invalid(f.gp.transition_hazard(h.clone(), dismiss, None)),
        format!("hazard {h}: dismissing a hazard needs a reason")
    );
    f.gp.transition_hazard(
        h.clone(),
        HazardAction::Confirm {
            grade: HazardGrade::General,
        },
        None,
    )
    .unwrap();
    let unattached = "ab".repeat(32);
    let fix = HazardAction::FixOnSite {
        before: vec![unattached.clone()],
        after: vec![unattached.clone()],
    };
    assert!(invalid(f.gp.transition_hazard(h.clone(), fix, None))
        .contains("the same photo cannot be both before and after"));
    let shown = attach(&f, &h, "exif_full.jpg");
    let fix = HazardAction::FixOnSite {
        before: vec![shown],
        after: vec![unattached.clone()],
    };
    assert_eq!(
        invalid(f.gp.transition_hazard(h.clone(), fix, None)),
        format!("hazard {h}: photo {unattached} is not attached to this hazard: attach it first")
    );
    // Refusals record nothing: only the verify, the confirm and the photo's attachment (the
    // photo itself was added with the inspection) were recorded.
    assert_eq!(last_seq(&f), events + 3);
    assert!(matches!(
        f.gp.transition_hazard("no-such".into(), HazardAction::Verify, None),
        Err(GridPatrolError::NotFound { .. })
    ));
}

#[test]
fn pending_actions_sit_on_the_server_state_until_a_pull_brings_them_back() {
    let f = Fixture::new();
    enroll_as(&f, "worker", &["劲松三区-03"]);
    ledger(
        &f,
        LedgerHazard {
            status: "ASSIGNED",
            ..Default::default()
        },
        5,
    );
    let detail = f.gp.hazard_detail("H-1".into()).unwrap();
    assert_eq!(detail.state.server_status, Some(HazardStatus::Assigned));
    assert_eq!(detail.timeline.len(), 2);
    assert_eq!(detail.state.venue_name.as_deref(), Some("老北京炸酱面馆"));

    let detail =
        f.gp.transition_hazard("H-1".into(), HazardAction::Start, None)
            .unwrap();
    assert_eq!(detail.state.status, HazardStatus::InProgress);
    assert_eq!(detail.state.server_status, Some(HazardStatus::Assigned));
    assert!(!detail.pending_actions[0].sent);
    let start = last_seq(&f);

    answered(&f, start, None, None);
    let detail = f.gp.hazard_detail("H-1".into()).unwrap();
    assert_eq!(detail.state.status, HazardStatus::InProgress);
    assert!(detail.pending_actions[0].sent);
    // Acknowledged and applied but not pulled back: still the phone's best knowledge.
    assert_eq!(
        invalid(f.gp.transition_hazard("H-1".into(), HazardAction::Start, None)),
        "hazard H-1: a hazard that is IN_PROGRESS cannot be start"
    );

    // The pull brings the server's new state; the pending action is now part of it.
    ledger(
        &f,
        LedgerHazard {
            status: "IN_PROGRESS",
            ..Default::default()
        },
        6,
    );
    pulled(&f);
    let detail =
        f.gp.transition_hazard("H-1".into(), HazardAction::RequestRecheck, None)
            .unwrap();
    assert_eq!(detail.pending_actions.len(), 1);
    assert_eq!(
        detail.pending_actions[0].expected_status,
        HazardStatus::InProgress
    );
    assert_eq!(detail.state.status, HazardStatus::AwaitingRecheck);
    assert_eq!(
        f.gp.ledger(Default::default()).unwrap()[0].pending_actions,
        1
    );
}

#[test]
fn refusals_and_conflicts_are_shown_and_never_applied() {
    let f = Fixture::new();
    enroll_as(&f, "worker", &["劲松三区-03"]);
    ledger(
        &f,
        LedgerHazard {
            status: "AWAITING_RECHECK",
            ..Default::default()
        },
        5,
    );
    let photo = attach(&f, "H-1", "exif_full.jpg");
    f.gp.transition_hazard(
        "H-1".into(),
        HazardAction::RecheckPass {
            photos: vec![photo.clone()],
        },
        None,
    )
    .unwrap();
    let pass = last_seq(&f);
    answered(&f, pass, None, Some("0190-other-device-event"));
    let detail = f.gp.hazard_detail("H-1".into()).unwrap();
    assert_eq!(detail.state.status, HazardStatus::AwaitingRecheck);
    assert!(detail.pending_actions.is_empty());
    assert_eq!(detail.conflicts.len(), 1);
    let conflict = &detail.conflicts[0];
    assert_eq!(conflict.action.as_deref(), Some("recheck_pass"));
    assert_eq!(
        conflict.conflict_with.as_deref(),
        Some("0190-other-device-event")
    );
    assert!(conflict.reason.contains("a supervisor decides"));

    f.gp.transition_hazard(
        "H-1".into(),
        HazardAction::RecheckFail {
            photos: vec![photo],
        },
        None,
    )
    .unwrap();
    let fail = last_seq(&f);
    answered(&f, fail, Some("re-checks are closed for this hazard"), None);
    let detail = f.gp.hazard_detail("H-1".into()).unwrap();
    assert_eq!(detail.state.status, HazardStatus::AwaitingRecheck);
    assert_eq!(detail.refusals.len(), 1);
    assert_eq!(
        detail.refusals[0].reason,
        "re-checks are closed for this hazard"
    );
    let all = f.gp.refusals().unwrap();
    assert_eq!(
        all.iter().map(|r| r.device_seq).collect::<Vec<_>>(),
        [fail, pass]
    );
    assert_eq!(all[0].subject_id.as_deref(), Some("H-1"));
    assert_eq!(all[0].kind, "hazard.transitioned");
}

#[test]
fn a_suspected_major_hazard_needs_the_regulators_deadline_before_it_is_queued() {
    let f = Fixture::new();
    enroll_as(&f, "supervisor", &["劲松三区-03"]);
    ledger(
        &f,
        LedgerHazard {
            grade: "suspected_major",
            status: "CONFIRMED",
            ..Default::default()
        },
        5,
    );
    let before = last_seq(&f);
    let assign = |deadline: Option<&str>| HazardAction::Assign {
        owner: "店主".into(),
        deadline: deadline.map(str::to_owned),
    };
    let why = invalid(f.gp.transition_hazard("H-1".into(), assign(None), None));
    assert!(
        why.contains("H-1") && why.contains("regulator's deadline"),
        "{why}"
    );
    assert_eq!(last_seq(&f), before, "a refused action is not journaled");
    let detail =
        f.gp.transition_hazard(
            "H-1".into(),
            assign(Some("2026-12-02T18:00:00+08:00")),
            None,
        )
        .unwrap();
    assert_eq!(detail.state.status, HazardStatus::Assigned);
    assert_eq!(last_seq(&f), before + 1);
}

#[test]
fn roles_decide_who_may_take_each_action() {
    let f = Fixture::new();
    enroll_as(&f, "supervisor", &["劲松三区-03", "劲松三区-04"]);
    ledger(
        &f,
        LedgerHazard {
            status: "CONFIRMED",
            ..Default::default()
        },
        5,
    );
    ledger(
        &f,
        LedgerHazard {
            hazard_id: "H-2",
            status: "VERIFYING",
            conflicts: &["e-9"],
            ..Default::default()
        },
        6,
    );
    let detail = f.gp.hazard_detail("H-1".into()).unwrap();
    assert!(detail.available_actions.contains(&"assign".to_string()));
    assert!(!detail
        .available_actions
        .contains(&"resolve_conflict".to_string()));
    assert!(invalid(f.gp.transition_hazard(
        "H-1".into(),
        HazardAction::Assign {
            owner: "店主".into(),
            deadline: Some("next week".into()),
        },
        None,
    ))
    .contains("not an RFC 3339 time"));
    let detail =
        f.gp.transition_hazard(
            "H-1".into(),
            HazardAction::Assign {
                owner: "店主".into(),
                deadline: Some("2026-12-05T16:00:00+08:00".into()),
            },
            None,
        )
        .unwrap();
    assert_eq!(detail.state.owner.as_deref(), Some("店主"));
    assert_eq!(
        detail.state.deadline.as_deref(),
        Some("2026-12-05T16:00:00+08:00")
    );
    let detail =
        f.gp.transition_hazard("H-1".into(), HazardAction::Supervise { on: true }, None)
            .unwrap();
    assert!(detail.state.supervised && detail.state.status == HazardStatus::Assigned);
    assert!(invalid(f.gp.transition_hazard(
        "H-1".into(),
        HazardAction::ResolveConflict {
            keep_event_id: "e-9".into()
        },
        None
    ))
    .contains("no conflict to resolve"));

    let detail = f.gp.hazard_detail("H-2".into()).unwrap();
    assert!(detail
        .available_actions
        .contains(&"resolve_conflict".to_string()));
    let detail =
        f.gp.transition_hazard(
            "H-2".into(),
            HazardAction::ResolveConflict {
                keep_event_id: "e-9".into(),
            },
            None,
        )
        .unwrap();
    assert!(detail.state.open_conflicts.is_empty());
    assert!(invalid(f.gp.transition_hazard(
        "H-2".into(),
        HazardAction::Merge {
            into_hazard_id: "H-2".into()
        },
        None
    ))
    .contains("merged into itself"));
    let detail =
        f.gp.transition_hazard(
            "H-2".into(),
            HazardAction::Merge {
                into_hazard_id: "H-1".into(),
            },
            None,
        )
        .unwrap();
    assert_eq!(detail.state.status, HazardStatus::Merged);

    enroll_as(&f, "resident", &[]);
    assert_eq!(
        invalid(f.gp.transition_hazard("H-1".into(), HazardAction::Escalate, None)),
        "hazard H-1: a resident may not escalate a hazard"
    );
    assert!(f
        .gp
        .hazard_detail("H-1".into())
        .unwrap()
        .available_actions
        .is_empty());
    assert!(f.gp.verify_journal().unwrap().intact);
}
