//! Every transition of DOMAIN.md's lifecycle applied by the server in order, every invalid one
//! refused (by the phone at once, and by the server when a device sends it anyway), and two
//! workers re-checking the same hazard offline recorded as a conflict and resolved.

use gridpatrol_core::GridPatrolError;
use gridpatrol_proto::events::HazardGrade;
use gridpatrol_proto::hazard_flow::{HazardAction, HazardStatus};
use gridpatrol_proto::sync::Role;
use gridpatrol_tests::office::Console;
use gridpatrol_tests::{demo_server, supervisor, Phone, GRID_A};

use super::{act, hazard_of, photo, sync};

/// Five hazards at two venues of grid A, without photos (items that need none).
async fn five_hazards(worker: &Phone) {
    sync(worker).await;
    worker.inspect("CY-JS-001", &["P01", "P02", "G04"]);
    worker.inspect("CY-JS-002", &["P01", "P02"]);
    sync(worker).await;
}

/// A hazard `worker` found and confirmed and `boss` assigned, both phones synced after; its id.
async fn assigned_hazard(worker: &Phone, boss: &Phone) -> String {
    five_hazards(worker).await;
    let hazard = hazard_of(worker, "CY-JS-001", "P01");
    act(
        worker,
        &hazard,
        HazardAction::Confirm {
            grade: HazardGrade::General,
        },
    );
    sync(worker).await;
    sync(boss).await;
    act(
        boss,
        &hazard,
        HazardAction::Assign {
            owner: "店主".into(),
            deadline: None,
        },
    );
    sync(boss).await;
    sync(worker).await;
    hazard
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_transition_reaches_the_server_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let (worker, boss) = (Phone::new(), Phone::new());
    worker.enroll(&server, "u-a", GRID_A).await;
    boss.enroll_as(&server, supervisor("u-boss")).await;
    five_hazards(&worker).await;
    sync(&boss).await;
    let h = |venue, item| hazard_of(&worker, venue, item);
    let (assigned, fixed, referred, dismissed, merged) = (
        h("CY-JS-001", "P01"),
        h("CY-JS-001", "P02"),
        h("CY-JS-001", "G04"),
        h("CY-JS-002", "P01"),
        h("CY-JS-002", "P02"),
    );

    // Worker: verify and confirm four; check the fifth only so far.
    for id in [&assigned, &fixed, &referred, &dismissed, &merged] {
        act(&worker, id, HazardAction::Verify);
    }
    for id in [&assigned, &fixed, &referred] {
        act(
            &worker,
            id,
            HazardAction::Confirm {
                grade: HazardGrade::General,
            },
        );
    }
    act(
        &worker,
        &dismissed,
        HazardAction::Dismiss {
            reason: "已当场整改完毕，不构成隐患".into(),
        },
    );
    let before = photo(&worker, &fixed, "ebike-charging.jpg");
    let after = photo(&worker, &fixed, "blocked-exit.jpg");
    act(
        &worker,
        &fixed,
        HazardAction::FixOnSite {
            before: vec![before],
            after: vec![after],
        },
    );
    act(&worker, &fixed, HazardAction::Close);
    sync(&worker).await;

    // Supervisor: assign, supervise, escalate, refer and close, merge.
    sync(&boss).await;
    act(
        &boss,
        &assigned,
        HazardAction::Assign {
            owner: "店主 王师傅".into(),
            deadline: None,
        },
    );
    act(&boss, &assigned, HazardAction::Supervise { on: true });
    act(&boss, &assigned, HazardAction::Escalate);
    act(
        &boss,
        &referred,
        HazardAction::Refer {
            department: "朝阳区市场监管局".into(),
        },
    );
    act(&boss, &referred, HazardAction::Close);
    act(
        &boss,
        &merged,
        HazardAction::Merge {
            into_hazard_id: assigned.clone(),
        },
    );
    sync(&boss).await;

    // Worker: the fix, a failed re-check, the fix again, a passed re-check, closed.
    sync(&worker).await;
    let row = super::ledger(&worker)
        .into_iter()
        .find(|r| r.hazard_id == assigned)
        .unwrap();
    assert!(
        row.deadline.is_some(),
        "the server set the deadline from the district's rules: {row:?}"
    );
    assert_eq!(row.owner.as_deref(), Some("店主 王师傅"));
    act(&worker, &assigned, HazardAction::Start);
    act(&worker, &assigned, HazardAction::RequestRecheck);
    let still = photo(&worker, &assigned, "tangled-wiring.jpg");
    act(
        &worker,
        &assigned,
        HazardAction::RecheckFail {
            photos: vec![still],
        },
    );
    act(&worker, &assigned, HazardAction::Start);
    act(&worker, &assigned, HazardAction::RequestRecheck);
    let done = photo(&worker, &assigned, "gas-alarm-unpowered.jpg");
    act(
        &worker,
        &assigned,
        HazardAction::RecheckPass { photos: vec![done] },
    );
    let detail = act(&worker, &assigned, HazardAction::Close);
    assert_eq!(
        detail.state.status,
        gridpatrol_core::api::loop_records::HazardStatus::Closed
    );
    assert_eq!(
        detail.pending_actions.len(),
        7,
        "the phone shows its own unsent steps"
    );
    sync(&worker).await;

    // What the server holds.
    let office = Console::enroll(&server, supervisor("u-office")).await;
    let hazards = office.ledger("").await.hazards;
    let state = |id: &str| hazards.iter().find(|x| x.hazard_id == id).unwrap().clone();
    let a = state(&assigned);
    let steps: Vec<&str> = a.timeline.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(
        steps,
        [
            "reported",
            "verify",
            "confirm",
            "assign",
            "supervise",
            "escalate",
            "start",
            "request_recheck",
            "recheck_fail",
            "start",
            "request_recheck",
            "recheck_pass",
            "close"
        ],
    );
    assert_eq!(a.status, HazardStatus::Closed);
    assert!(a.supervised && a.escalated);
    assert_eq!(a.owner.as_deref(), Some("店主 王师傅"));
    assert!(!a.evidence_pending, "the re-check photos arrived");
    assert_eq!(state(&fixed).status, HazardStatus::Closed);
    assert_eq!(
        state(&fixed)
            .timeline
            .iter()
            .find(|s| s.action == "fix_on_site")
            .unwrap()
            .photos
            .len(),
        2
    );
    assert_eq!(state(&referred).status, HazardStatus::Closed);
    assert_eq!(
        state(&referred).department.as_deref(),
        Some("朝阳区市场监管局")
    );
    assert_eq!(state(&dismissed).status, HazardStatus::Dismissed);
    assert_eq!(state(&merged).status, HazardStatus::Merged);
    assert_eq!(
        state(&merged).merged_into.as_deref(),
        Some(assigned.as_str())
    );
    // Nothing was refused along the way, and the phones agree with the server after a pull.
    assert!(worker.gp.refusals().unwrap().is_empty() && boss.gp.refusals().unwrap().is_empty());
    sync(&worker).await;
    assert!(worker
        .gp
        .hazard_detail(assigned)
        .unwrap()
        .pending_actions
        .is_empty());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_transitions_are_refused_with_the_same_words_by_phone_and_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let worker = Phone::new();
    worker.enroll(&server, "u-a", GRID_A).await;
    five_hazards(&worker).await;
    let hazard = hazard_of(&worker, "CY-JS-001", "P01");

    // The phone refuses at once every action the lifecycle does not allow from REPORTED, and
    // every supervisor-only action of a worker, with the shared table's words.
    let photos = vec!["ab".repeat(32)];
    let attempts = [
        HazardAction::Dismiss { reason: "x".into() },
        HazardAction::FixOnSite {
            before: photos.clone(),
            after: photos.clone(),
        },
        HazardAction::Start,
        HazardAction::RequestRecheck,
        HazardAction::RecheckPass {
            photos: photos.clone(),
        },
        HazardAction::RecheckFail { photos },
        HazardAction::Close,
        HazardAction::Assign {
            owner: "x".into(),
            deadline: None,
        },
        HazardAction::Refer {
            department: "x".into(),
        },
        HazardAction::Merge {
            into_hazard_id: "x".into(),
        },
        HazardAction::Supervise { on: true },
        HazardAction::Escalate,
    ];
    for action in attempts {
        let expected = action
            .next(HazardStatus::Reported, Role::Worker)
            .unwrap_err()
            .to_string();
        match worker
            .gp
            .transition_hazard(hazard.clone(), action.clone(), None)
        {
            Err(GridPatrolError::InvalidInput { reason }) => {
                assert!(reason.contains(&expected), "{reason} / {expected}")
            }
            other => panic!("{action:?}: expected InvalidInput, got {other:?}"),
        }
    }
    assert_eq!(
        worker.gp.outbox_status().unwrap().events_pending,
        0,
        "nothing recorded"
    );

    // A device that sends one anyway (a second phone of the same grid that still thinks the
    // hazard is awaiting a re-check) gets it refused by the server, with the reason, and its
    // queue goes on.
    let stale = Phone::new();
    stale.enroll(&server, "u-a2", GRID_A).await;
    sync(&stale).await;
    act(&worker, &hazard, HazardAction::Verify);
    act(
        &worker,
        &hazard,
        HazardAction::Confirm {
            grade: HazardGrade::General,
        },
    );
    act(
        &worker,
        &hazard,
        HazardAction::FixOnSite {
            before: vec![photo(&worker, &hazard, "blocked-exit.jpg")],
            after: vec![photo(&worker, &hazard, "tangled-wiring.jpg")],
        },
    );
    act(&worker, &hazard, HazardAction::Close);
    sync(&worker).await;
    act(&stale, &hazard, HazardAction::Verify); // REPORTED as far as it knows
    stale.inspect("CY-JS-005", &[]); // unrelated work queued behind it
    sync(&stale).await;
    let refusals = stale.gp.refusals().unwrap();
    assert_eq!(refusals.len(), 1, "{refusals:?}");
    assert_eq!(refusals[0].action.as_deref(), Some("verify"));
    assert!(
        refusals[0].conflict_with.is_some() || refusals[0].reason.contains("CLOSED"),
        "{:?}",
        refusals[0]
    );
    let status = stale.gp.outbox_status().unwrap();
    assert_eq!(
        (status.events_pending, status.events_wedged),
        (0, 0),
        "the queue went on"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_rechecking_offline_make_a_conflict_not_an_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let (first, second, boss) = (Phone::new(), Phone::new(), Phone::new());
    first.enroll(&server, "u-a", GRID_A).await;
    second.enroll(&server, "u-a2", GRID_A).await;
    boss.enroll_as(&server, supervisor("u-boss")).await;
    let hazard = assigned_hazard(&first, &boss).await;
    act(&first, &hazard, HazardAction::Start);
    act(&first, &hazard, HazardAction::RequestRecheck);
    sync(&first).await;
    sync(&second).await;

    // Both are offline, both see AWAITING_RECHECK, both re-check: one passes, one fails.
    let pass = photo(&first, &hazard, "blocked-exit.jpg");
    act(
        &first,
        &hazard,
        HazardAction::RecheckPass { photos: vec![pass] },
    );
    let fail = photo(&second, &hazard, "tangled-wiring.jpg");
    let failed = act(
        &second,
        &hazard,
        HazardAction::RecheckFail { photos: vec![fail] },
    );
    let failed_event = failed.pending_actions[0].event_id.clone();
    sync(&first).await;
    sync(&second).await;

    let office = Console::enroll(&server, supervisor("u-office")).await;
    let state = office
        .ledger("")
        .await
        .hazards
        .into_iter()
        .find(|h| h.hazard_id == hazard)
        .unwrap();
    assert_eq!(
        state.status,
        HazardStatus::RecheckPassed,
        "the first in server order applies"
    );
    assert_eq!(
        state.conflicts,
        vec![failed_event.clone()],
        "the second is a conflict, not an overwrite"
    );
    let detail = second.gp.hazard_detail(hazard.clone()).unwrap();
    assert_eq!(detail.conflicts.len(), 1, "{detail:?}");
    assert!(detail.conflicts[0].conflict_with.is_some());

    // The supervisor keeps the failed re-check: it applies, the conflict is settled.
    sync(&boss).await;
    act(
        &boss,
        &hazard,
        HazardAction::ResolveConflict {
            keep_event_id: failed_event,
        },
    );
    sync(&boss).await;
    let state = office
        .ledger("")
        .await
        .hazards
        .into_iter()
        .find(|h| h.hazard_id == hazard)
        .unwrap();
    assert_eq!(state.status, HazardStatus::RecheckFailed);
    assert!(state.conflicts.is_empty());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_is_computed_on_the_server_clock() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let (worker, boss) = (Phone::new(), Phone::new());
    worker.enroll(&server, "u-a", GRID_A).await;
    boss.enroll_as(&server, supervisor("u-boss")).await;
    let hazard = assigned_hazard(&worker, &boss).await;
    let row = super::ledger(&worker)
        .into_iter()
        .find(|r| r.hazard_id == hazard)
        .unwrap();
    assert!(!row.overdue && row.deadline.is_some(), "{row:?}");

    // Eight days later on the server's clock (the phone's clock has not moved).
    server.advance_clock(8 * 24 * 3600);
    sync(&worker).await;
    let row = super::ledger(&worker)
        .into_iter()
        .find(|r| r.hazard_id == hazard)
        .unwrap();
    assert!(row.overdue, "{row:?}");
    let overdue = worker
        .gp
        .ledger(gridpatrol_core::api::loop_records::LedgerFilter {
            overdue: Some(true),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(overdue.len(), 1);
    let office = Console::enroll(&server, supervisor("u-office")).await;
    assert_eq!(office.ledger("?overdue=true").await.hazards.len(), 1);
    server.shutdown().await;
}
