//! The hazard lifecycle on the server: every transition of DOMAIN.md applied with its timeline,
//! every invalid one accepted into the chain but refused with the reason (never a wedge), role
//! and scope restrictions, and the offline conflict of two re-checks with both resolutions.

use gridpatrol_proto::events::{HazardAction as A, HazardGrade, HazardStatus as S};
use gridpatrol_proto::sync::PushStatus;
use reqwest::StatusCode;

use crate::support::{photo, server, supervisor, worker, Device, GRID_A, GRID_B, VENUE_A};

/// A general hazard at `VENUE_A` found by `device`, pushed; its id.
pub async fn general_hazard(device: &mut Device) -> String {
    let (events, id) = device.hazard_at(VENUE_A, "E01", "extinguishers", HazardGrade::General);
    device.push_ok(&events).await;
    id
}

/// A general hazard found by `w`, confirmed, and assigned by `s` without a deadline (the
/// rules' 7 days).
pub async fn assigned_hazard(w: &mut Device, s: &mut Device) -> String {
    let h = general_hazard(w).await;
    let confirm = A::Confirm {
        grade: HazardGrade::General,
    };
    assert_eq!(w.act(&h, confirm, S::Reported).await.refused, None);
    let assign = A::Assign {
        owner: "店主".into(),
        deadline: None,
    };
    assert_eq!(s.act(&h, assign, S::Confirmed).await.refused, None);
    h
}

/// Walks `steps` (device index, action, expected) asserting each applies.
async fn walk(devices: &mut [&mut Device], hazard: &str, steps: Vec<(usize, A, S, S)>) {
    for (who, action, from, to) in steps {
        let name = action.name();
        let result = devices[who].act(hazard, action, from).await;
        assert_eq!(result.status, PushStatus::Accepted);
        assert_eq!(result.refused, None, "{name} from {from:?}");
        assert_eq!(result.conflict_with, None);
        assert_eq!(devices[who].hazard(hazard).await.status, to, "{name}");
    }
}

#[tokio::test]
async fn every_transition_applies_in_order_with_its_timeline() {
    let server = server().await;
    let mut w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut s = Device::enroll(&server, supervisor("s1")).await;
    let h = general_hazard(&mut w).await;
    let recheck = |n| A::RecheckFail { photos: photo(n) };
    walk(
        &mut [&mut w, &mut s],
        &h,
        vec![
            (0, A::Verify, S::Reported, S::Verifying),
            (
                0,
                A::Confirm {
                    grade: HazardGrade::General,
                },
                S::Verifying,
                S::Confirmed,
            ),
            (
                1,
                A::Assign {
                    owner: "王师傅".into(),
                    deadline: None,
                },
                S::Confirmed,
                S::Assigned,
            ),
            (0, A::Start, S::Assigned, S::InProgress),
            (0, A::RequestRecheck, S::InProgress, S::AwaitingRecheck),
            (0, recheck(1), S::AwaitingRecheck, S::RecheckFailed),
            (0, A::Start, S::RecheckFailed, S::InProgress),
            (0, A::RequestRecheck, S::InProgress, S::AwaitingRecheck),
            (
                0,
                A::RecheckPass { photos: photo(2) },
                S::AwaitingRecheck,
                S::RecheckPassed,
            ),
            (
                1,
                A::Supervise { on: true },
                S::RecheckPassed,
                S::RecheckPassed,
            ),
            (1, A::Escalate, S::RecheckPassed, S::RecheckPassed),
            (0, A::Close, S::RecheckPassed, S::Closed),
        ],
    )
    .await;
    let state = s.hazard(&h).await;
    let actions: Vec<&str> = state.timeline.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "reported",
            "verify",
            "confirm",
            "assign",
            "start",
            "request_recheck",
            "recheck_fail",
            "start",
            "request_recheck",
            "recheck_pass",
            "supervise",
            "escalate",
            "close"
        ]
    );
    assert_eq!(state.timeline[3].by, "督查员");
    assert_eq!(state.timeline[1].by, "测试w1");
    assert_eq!(state.timeline[6].photos, photo(1));
    assert_eq!(state.owner.as_deref(), Some("王师傅"));
    assert!(state.supervised && state.escalated && !state.overdue);
    assert_eq!(state.deadline, None, "a closed hazard has nothing due");
    // The re-check photos' blobs never arrived: the hazard says so.
    assert!(state.evidence_pending);

    // Fix on site; refer; dismiss; merge.
    let fixed = general_hazard(&mut w).await;
    let referred = general_hazard(&mut w).await;
    let dismissed = general_hazard(&mut w).await;
    let merged = general_hazard(&mut w).await;
    let original = general_hazard(&mut w).await;
    let confirm = || A::Confirm {
        grade: HazardGrade::General,
    };
    let mut both = [&mut w, &mut s];
    walk(
        &mut both,
        &fixed,
        vec![
            (0, confirm(), S::Reported, S::Confirmed),
            (
                0,
                A::FixOnSite {
                    before: photo(3),
                    after: photo(4),
                },
                S::Confirmed,
                S::FixedOnSite,
            ),
            (0, A::Close, S::FixedOnSite, S::Closed),
        ],
    )
    .await;
    walk(
        &mut both,
        &referred,
        vec![
            (0, confirm(), S::Reported, S::Confirmed),
            (
                1,
                A::Refer {
                    department: "市场监管所".into(),
                },
                S::Confirmed,
                S::Referred,
            ),
            (1, A::Close, S::Referred, S::Closed),
        ],
    )
    .await;
    walk(
        &mut both,
        &dismissed,
        vec![
            (0, A::Verify, S::Reported, S::Verifying),
            (
                0,
                A::Dismiss {
                    reason: "已自行整改".into(),
                },
                S::Verifying,
                S::Dismissed,
            ),
        ],
    )
    .await;
    walk(
        &mut both,
        &merged,
        vec![
            (0, A::Verify, S::Reported, S::Verifying),
            (
                1,
                A::Merge {
                    into_hazard_id: original.clone(),
                },
                S::Verifying,
                S::Merged,
            ),
        ],
    )
    .await;
    assert_eq!(
        s.hazard(&referred).await.department.as_deref(),
        Some("市场监管所")
    );
    assert_eq!(
        s.hazard(&merged).await.merged_into.as_deref(),
        Some(original.as_str())
    );
    // A duplicate of a closed hazard is not merged into it.
    let late = general_hazard(&mut w).await;
    w.act(&late, A::Verify, S::Reported).await;
    let r = s
        .act(
            &late,
            A::Merge {
                into_hazard_id: fixed.clone(),
            },
            S::Verifying,
        )
        .await;
    assert!(r.refused.unwrap().contains("another open hazard"));
    let dismissal = s.hazard(&dismissed).await;
    assert_eq!(
        dismissal.timeline.last().unwrap().note.as_deref(),
        Some("已自行整改")
    );
    server.shutdown().await;
}

#[tokio::test]
async fn invalid_transitions_are_accepted_but_refused_with_the_reason() {
    let server = server().await;
    let mut w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut s = Device::enroll(&server, supervisor("s1")).await;
    let h = general_hazard(&mut w).await;
    let cases: Vec<(bool, A, S, &str)> = vec![
        (
            false,
            A::Close,
            S::Reported,
            "a hazard that is REPORTED cannot be close",
        ),
        (
            false,
            A::Start,
            S::Reported,
            "a hazard that is REPORTED cannot be start",
        ),
        (
            false,
            A::Assign {
                owner: "x".into(),
                deadline: None,
            },
            S::Reported,
            "a grid worker may not assign a hazard",
        ),
        (
            false,
            A::Merge {
                into_hazard_id: "x".into(),
            },
            S::Reported,
            "a grid worker may not merge a hazard",
        ),
        (
            false,
            A::ResolveConflict {
                keep_event_id: "x".into(),
            },
            S::Reported,
            "a grid worker may not resolve_conflict a hazard",
        ),
        (
            false,
            A::Dismiss { reason: "x".into() },
            S::Reported,
            "a hazard that is REPORTED cannot be dismiss",
        ),
        (
            true,
            A::RequestRecheck,
            S::Reported,
            "a hazard that is REPORTED cannot be request_recheck",
        ),
        (
            true,
            A::ResolveConflict {
                keep_event_id: "nope".into(),
            },
            S::Reported,
            "involves event nope",
        ),
    ];
    for (by_supervisor, action, expected, reason) in cases {
        let device = if by_supervisor { &mut s } else { &mut w };
        let result = device.act(&h, action, expected).await;
        assert_eq!(result.status, PushStatus::Accepted, "never a wedge");
        let refused = result.refused.unwrap_or_default();
        assert!(refused.contains(reason), "{refused} / {reason}");
    }
    // Reasons the table gives for the action's own data.
    w.act(&h, A::Verify, S::Reported).await;
    let r = w
        .act(&h, A::Dismiss { reason: " ".into() }, S::Verifying)
        .await;
    assert_eq!(
        r.refused.as_deref(),
        Some("dismissing a hazard needs a reason")
    );
    w.act(
        &h,
        A::Confirm {
            grade: HazardGrade::General,
        },
        S::Verifying,
    )
    .await;
    let r = w
        .act(
            &h,
            A::FixOnSite {
                before: vec![],
                after: photo(1),
            },
            S::Confirmed,
        )
        .await;
    assert_eq!(
        r.refused.as_deref(),
        Some("a fix on site needs a photo before and a photo after")
    );
    let r = s
        .act(
            &h,
            A::Assign {
                owner: "x".into(),
                deadline: Some("2020-01-01T00:00:00Z".into()),
            },
            S::Confirmed,
        )
        .await;
    assert_eq!(r.refused.as_deref(), Some("the deadline is already past"));
    let r = s
        .act(
            &h,
            A::Assign {
                owner: "x".into(),
                deadline: Some("next week".into()),
            },
            S::Confirmed,
        )
        .await;
    assert!(r.refused.unwrap().contains("not an RFC 3339 time"));
    let unknown = w.act("no-such-hazard", A::Verify, S::Reported).await;
    assert_eq!(
        unknown.refused.as_deref(),
        Some("hazard no-such-hazard is unknown to the server")
    );
    // Nothing moved, the timeline holds only what applied, and the chain goes on.
    let state = w.hazard(&h).await;
    assert_eq!(state.status, S::Confirmed);
    assert_eq!(state.timeline.len(), 3);
    let r = w
        .act(
            &h,
            A::FixOnSite {
                before: photo(1),
                after: photo(2),
            },
            S::Confirmed,
        )
        .await;
    assert_eq!(r.refused, None);
    // A refused event pushed again (a lost answer) is a duplicate that is still refused.
    let event = w.transition(&h, A::Start, S::FixedOnSite);
    let first = w.push_ok(std::slice::from_ref(&event)).await.remove(0);
    let again = w.push_ok(&[event]).await.remove(0);
    assert_eq!(again.status, PushStatus::Duplicate);
    assert_eq!(again.refused, first.refused);
    assert!(again.refused.is_some());
    server.shutdown().await;
}

#[tokio::test]
async fn a_suspected_major_hazard_needs_the_regulators_deadline() {
    let server = server().await;
    let mut w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut s = Device::enroll(&server, supervisor("s1")).await;
    let (events, h) = w.hazard_at(VENUE_A, "R01", "escape_routes", HazardGrade::SuspectedMajor);
    w.push_ok(&events).await;
    let state = s.hazard(&h).await;
    assert!(
        state.supervised,
        "suspected major is supervised from the start"
    );
    assert!(
        state.deadline.is_some(),
        "and must go up within the district's hours"
    );
    w.act(
        &h,
        A::Confirm {
            grade: HazardGrade::SuspectedMajor,
        },
        S::Reported,
    )
    .await;
    let r = s
        .act(
            &h,
            A::Assign {
                owner: "店主".into(),
                deadline: None,
            },
            S::Confirmed,
        )
        .await;
    assert!(r.refused.unwrap().contains("regulator's deadline"));
    let deadline = "2099-01-31T16:00:00.000Z";
    let r = s
        .act(
            &h,
            A::Assign {
                owner: "店主".into(),
                deadline: Some(deadline.into()),
            },
            S::Confirmed,
        )
        .await;
    assert_eq!(r.refused, None);
    assert_eq!(s.hazard(&h).await.deadline.as_deref(), Some(deadline));
    server.shutdown().await;
}

#[tokio::test]
async fn scope_and_roles_limit_who_acts_on_a_hazard() {
    let server = server().await;
    let mut a = Device::enroll(&server, worker("wa", GRID_A)).await;
    let mut b = Device::enroll(&server, worker("wb", GRID_B)).await;
    let mut resident = Device::resident(&server, None).await;
    let h = general_hazard(&mut a).await;
    for device in [&mut b, &mut resident] {
        let event = device.transition(&h, A::Verify, S::Reported);
        let (status, body) = device.push(&[event]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["results"][0]["status"], "forbidden");
    }
    assert_eq!(a.hazard(&h).await.status, S::Reported);
    server.shutdown().await;
}

/// Two workers of the same grid re-check the same hazard offline; `first` is pushed first.
async fn two_rechecks(keep_second: bool) {
    let server = server().await;
    let mut first = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut second = Device::enroll(&server, worker("w2", GRID_A)).await;
    let mut s = Device::enroll(&server, supervisor("s1")).await;
    let h = general_hazard(&mut first).await;
    first
        .act(
            &h,
            A::Confirm {
                grade: HazardGrade::General,
            },
            S::Reported,
        )
        .await;
    s.act(
        &h,
        A::Assign {
            owner: "店主".into(),
            deadline: None,
        },
        S::Confirmed,
    )
    .await;
    first.act(&h, A::Start, S::Assigned).await;
    first.act(&h, A::RequestRecheck, S::InProgress).await;
    // Both saw AWAITING_RECHECK before going offline.
    let pass = first.transition(&h, A::RecheckPass { photos: photo(1) }, S::AwaitingRecheck);
    let fail = second.transition(&h, A::RecheckFail { photos: photo(2) }, S::AwaitingRecheck);
    let applied = first.push_ok(std::slice::from_ref(&pass)).await.remove(0);
    assert_eq!(applied.conflict_with, None);
    let clash = second.push_ok(std::slice::from_ref(&fail)).await.remove(0);
    assert_eq!(
        clash.status,
        PushStatus::Accepted,
        "a conflict never wedges the queue"
    );
    assert_eq!(clash.conflict_with.as_deref(), Some(pass.event_id.as_str()));
    assert_eq!(clash.refused, None);
    let state = s.hazard(&h).await;
    assert_eq!(
        state.status,
        S::RecheckPassed,
        "never applied over the first"
    );
    assert_eq!(state.conflicts, vec![fail.event_id.clone()]);
    // The worker's own feed carries the conflict too.
    assert!(second.changes().await.iter().any(|c| matches!(c,
        gridpatrol_proto::sync::ChangeBody::Hazard(x) if x.conflicts == vec![fail.event_id.clone()])));
    let keep = if keep_second {
        &fail.event_id
    } else {
        &pass.event_id
    };
    let r = s
        .act(
            &h,
            A::ResolveConflict {
                keep_event_id: keep.clone(),
            },
            S::RecheckPassed,
        )
        .await;
    assert_eq!(r.refused, None);
    let state = s.hazard(&h).await;
    assert!(state.conflicts.is_empty());
    let last: Vec<&str> = state
        .timeline
        .iter()
        .rev()
        .take(2)
        .map(|s| s.action.as_str())
        .collect();
    if keep_second {
        assert_eq!(state.status, S::RecheckFailed);
        assert_eq!(last, ["recheck_fail", "resolve_conflict"]);
        assert_eq!(state.timeline.last().unwrap().by, "测试w2");
    } else {
        assert_eq!(state.status, S::RecheckPassed);
        assert_eq!(last[0], "resolve_conflict");
    }
    // Settled: the same resolution again is refused.
    let r = s
        .act(
            &h,
            A::ResolveConflict {
                keep_event_id: keep.clone(),
            },
            state.status,
        )
        .await;
    assert!(r.refused.unwrap().contains("no open conflict"));
    server.shutdown().await;
}

/// Keeping a conflict's other side goes through the same checks as applying it would have: a
/// suspected-major assignment without the regulator's deadline cannot be kept.
#[tokio::test]
async fn a_kept_conflicting_assignment_still_needs_the_regulators_deadline() {
    let server = server().await;
    let mut w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut s1 = Device::enroll(&server, supervisor("s1")).await;
    let mut s2 = Device::enroll(&server, supervisor("s2")).await;
    let (events, h) = w.hazard_at(VENUE_A, "R01", "escape_routes", HazardGrade::SuspectedMajor);
    w.push_ok(&events).await;
    let major = A::Confirm {
        grade: HazardGrade::SuspectedMajor,
    };
    w.act(&h, major, S::Reported).await;
    // Both supervisors saw CONFIRMED before going offline.
    let assign = |deadline: Option<&str>| A::Assign {
        owner: "店主".into(),
        deadline: deadline.map(str::to_owned),
    };
    let first = s1.transition(&h, assign(Some("2099-01-31T16:00:00.000Z")), S::Confirmed);
    let second = s2.transition(&h, assign(None), S::Confirmed);
    assert_eq!(
        s1.push_ok(std::slice::from_ref(&first)).await[0].refused,
        None
    );
    let clash = s2.push_ok(std::slice::from_ref(&second)).await.remove(0);
    assert_eq!(
        clash.conflict_with.as_deref(),
        Some(first.event_id.as_str())
    );
    let r = s1
        .act(
            &h,
            A::ResolveConflict {
                keep_event_id: second.event_id.clone(),
            },
            S::Assigned,
        )
        .await;
    let why = r.refused.expect("keeping it is refused");
    assert!(why.contains("regulator's deadline"), "{why}");
    let state = s1.hazard(&h).await;
    assert_eq!(state.status, S::Assigned);
    assert_eq!(state.deadline.as_deref(), Some("2099-01-31T16:00:00.000Z"));
    server.shutdown().await;
}

#[tokio::test]
async fn two_offline_rechecks_conflict_and_keeping_the_second_applies_it() {
    two_rechecks(true).await;
}

#[tokio::test]
async fn two_offline_rechecks_conflict_and_keeping_the_first_voids_the_second() {
    two_rechecks(false).await;
}
