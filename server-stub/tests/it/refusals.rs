//! Every invalid transition from every state, for a worker and a supervisor: the server refuses
//! it with the words of the shared table (`HazardAction::next`) — the same words the phone shows
//! when it refuses offline — accepts it into the chain, and the hazard does not move.

use gridpatrol_proto::events::{HazardAction as A, HazardGrade, HazardStatus as S};
use gridpatrol_proto::sync::{PushStatus, Role};

use crate::lifecycle::general_hazard;
use crate::support::{photo, server, supervisor, worker, Device, GRID_A};

/// Every action, with valid data, for probing a state.
fn every_action(other_hazard: &str) -> Vec<A> {
    vec![
        A::Verify,
        A::Confirm {
            grade: HazardGrade::General,
        },
        A::Dismiss {
            reason: "不是隐患".into(),
        },
        A::Merge {
            into_hazard_id: other_hazard.into(),
        },
        A::FixOnSite {
            before: photo(1),
            after: photo(2),
        },
        A::Assign {
            owner: "店主".into(),
            deadline: None,
        },
        A::Start,
        A::RequestRecheck,
        A::RecheckPass { photos: photo(3) },
        A::RecheckFail { photos: photo(4) },
        A::Refer {
            department: "消防".into(),
        },
        A::Close,
        A::Supervise { on: true },
        A::Escalate,
    ]
}

/// In state `at`, every action the shared table refuses for a worker or a supervisor is
/// refused by the server with the table's own words, and the hazard does not move.
async fn probe(w: &mut Device, s: &mut Device, h: &str, at: S, other: &str) -> usize {
    let mut refused = 0;
    for action in every_action(other) {
        for (device, role) in [(&mut *w, Role::Worker), (&mut *s, Role::Supervisor)] {
            let Err(expected) = action.next(at, role) else {
                continue;
            };
            let result = device.act(h, action.clone(), at).await;
            assert_eq!(result.status, PushStatus::Accepted);
            assert_eq!(
                result.refused,
                Some(expected.to_string()),
                "{} from {at:?}",
                action.name()
            );
            refused += 1;
        }
    }
    assert_eq!(w.hazard(h).await.status, at, "nothing moved");
    refused
}

#[tokio::test]
async fn every_invalid_transition_from_every_state_is_refused_with_the_tables_words() {
    let server = server().await;
    let mut w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut s = Device::enroll(&server, supervisor("s1")).await;
    let other = general_hazard(&mut w).await;
    let mut refused = 0;
    let confirm = || A::Confirm {
        grade: HazardGrade::General,
    };
    // One hazard down the long path: each state probed, then the next step taken.
    let h = general_hazard(&mut w).await;
    let path: Vec<(S, usize, A)> = vec![
        (S::Reported, 0, A::Verify),
        (S::Verifying, 0, confirm()),
        (
            S::Confirmed,
            1,
            A::Assign {
                owner: "店主".into(),
                deadline: None,
            },
        ),
        (S::Assigned, 0, A::Start),
        (S::InProgress, 0, A::RequestRecheck),
        (S::AwaitingRecheck, 0, A::RecheckFail { photos: photo(5) }),
        (S::RecheckFailed, 0, A::Start),
        (S::InProgress, 0, A::RequestRecheck),
        (S::AwaitingRecheck, 0, A::RecheckPass { photos: photo(6) }),
        (S::RecheckPassed, 0, A::Close),
    ];
    for (at, who, step) in path {
        refused += probe(&mut w, &mut s, &h, at, &other).await;
        let device = if who == 0 { &mut w } else { &mut s };
        assert_eq!(device.act(&h, step, at).await.refused, None);
    }
    refused += probe(&mut w, &mut s, &h, S::Closed, &other).await;
    // The side branches' states.
    let fixed = general_hazard(&mut w).await;
    w.act(&fixed, confirm(), S::Reported).await;
    w.act(
        &fixed,
        A::FixOnSite {
            before: photo(1),
            after: photo(2),
        },
        S::Confirmed,
    )
    .await;
    refused += probe(&mut w, &mut s, &fixed, S::FixedOnSite, &other).await;
    let referred = general_hazard(&mut w).await;
    w.act(&referred, confirm(), S::Reported).await;
    s.act(
        &referred,
        A::Refer {
            department: "消防".into(),
        },
        S::Confirmed,
    )
    .await;
    refused += probe(&mut w, &mut s, &referred, S::Referred, &other).await;
    let dismissed = general_hazard(&mut w).await;
    w.act(&dismissed, A::Verify, S::Reported).await;
    w.act(
        &dismissed,
        A::Dismiss {
            reason: "无".into(),
        },
        S::Verifying,
    )
    .await;
    refused += probe(&mut w, &mut s, &dismissed, S::Dismissed, &other).await;
    let merged = general_hazard(&mut w).await;
    w.act(&merged, A::Verify, S::Reported).await;
    s.act(
        &merged,
        A::Merge {
            into_hazard_id: other.clone(),
        },
        S::Verifying,
    )
    .await;
    refused += probe(&mut w, &mut s, &merged, S::Merged, &other).await;
    // 15 probes (all 13 states), 14 actions, two roles: 420 cases, of which the table refuses
    // 361 (the rest are the transitions it allows).
    assert_eq!(
        refused, 361,
        "every refusal of the table in these states, both roles"
    );
    server.shutdown().await;
}
