//! Deadlines and overdue on the server clock: a general fix due in 7 days, a re-check in 3
//! working days, a suspected-major hazard due up within 24 h; the clock moved forward (the test
//! control) makes them overdue at the next read and in the phones' feed, and past the grace
//! the server escalates by itself.

use chrono::{DateTime, Utc};
use gridpatrol_proto::events::{HazardAction as A, HazardGrade, HazardStatus as S};
use gridpatrol_proto::sync::{ChangeBody, HazardState};

use crate::lifecycle::assigned_hazard;
use crate::support::{server, supervisor, worker, Device, GRID_A, VENUE_A};

const DAY: i64 = 86_400;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// The last state of `hazard_id` in the device's feed.
async fn fed(device: &Device, hazard_id: &str) -> HazardState {
    device
        .changes()
        .await
        .into_iter()
        .rev()
        .find_map(|c| match c {
            ChangeBody::Hazard(h) if h.hazard_id == hazard_id => Some(h),
            _ => None,
        })
        .expect("the hazard is in the feed")
}

#[tokio::test]
async fn a_fix_is_due_in_seven_days_and_overdue_after_with_the_clock_moved() {
    let server = server().await;
    let mut w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut s = Device::enroll(&server, supervisor("s1")).await;
    let h = assigned_hazard(&mut w, &mut s).await;
    let assigned = s.hazard(&h).await;
    let assign_at = at(&assigned.timeline.last().unwrap().at);
    let deadline = at(assigned.deadline.as_deref().unwrap());
    assert_eq!(deadline - assign_at, chrono::Duration::days(7));
    assert!(!assigned.overdue);

    server.advance_clock(6 * DAY);
    assert!(!w.hazard(&h).await.overdue, "day 6 is in time");
    server.advance_clock(DAY + 60);
    assert!(w.hazard(&h).await.overdue, "past the deadline");
    let fed_state = fed(&w, &h).await;
    assert!(fed_state.overdue, "the phone learns it at its next pull");
    assert!(!fed_state.escalated);
    let overdue_only = w.ledger("?overdue=true").await;
    assert_eq!(overdue_only.len(), 1);
    assert!(w.ledger("?overdue=false").await.is_empty());

    // A day of grace later the server escalates on its own, once.
    server.advance_clock(DAY);
    let state = s.hazard(&h).await;
    assert!(state.escalated && state.overdue);
    let last = state.timeline.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.by.as_str()),
        ("escalate", "system")
    );
    server.advance_clock(DAY);
    let again = s.hazard(&h).await;
    assert_eq!(again.timeline.len(), state.timeline.len());

    // Fixed and re-check requested: the re-check window replaces the fix deadline.
    w.act(&h, A::Start, S::Assigned).await;
    w.act(&h, A::RequestRecheck, S::InProgress).await;
    let waiting = w.hazard(&h).await;
    assert!(!waiting.overdue);
    let requested = at(&waiting.timeline.last().unwrap().at);
    let due = at(waiting.deadline.as_deref().unwrap());
    // Three working days: at least 3 and at most 5 calendar days.
    assert!(
        (3..=5).contains(&(due - requested).num_days()),
        "{requested} → {due}"
    );
    server.advance_clock(6 * DAY);
    assert!(w.hazard(&h).await.overdue, "the re-check is overdue");
    assert!(fed(&w, &h).await.overdue);
    w.act(
        &h,
        A::RecheckPass {
            photos: crate::support::photo(9),
        },
        S::AwaitingRecheck,
    )
    .await;
    let passed = w.hazard(&h).await;
    assert!(!passed.overdue && passed.deadline.is_none(), "settled");
    server.shutdown().await;
}

#[tokio::test]
async fn a_suspected_major_hazard_is_overdue_after_24_hours_unless_it_went_up() {
    let server = server().await;
    let mut w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut s = Device::enroll(&server, supervisor("s1")).await;
    let (events, late) = w.hazard_at(VENUE_A, "R01", "escape_routes", HazardGrade::SuspectedMajor);
    w.push_ok(&events).await;
    let (events, escalated) = w.hazard_at(VENUE_A, "G01", "gas", HazardGrade::SuspectedMajor);
    w.push_ok(&events).await;
    s.act(&escalated, A::Escalate, S::Reported).await;
    server.advance_clock(DAY + 60);
    let state = s.hazard(&late).await;
    assert!(state.overdue && state.supervised && !state.escalated);
    let went_up = s.hazard(&escalated).await;
    assert!(!went_up.overdue && went_up.deadline.is_none());
    // Past the grace the server sends it up itself, which settles its report deadline.
    server.advance_clock(DAY);
    let state = fed(&w, &late).await;
    assert!(state.escalated && !state.overdue);
    assert_eq!(state.timeline.last().unwrap().by, "system");
    server.shutdown().await;
}

#[tokio::test]
async fn moving_the_clock_back_clears_overdue() {
    let server = server().await;
    let mut w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut s = Device::enroll(&server, supervisor("s1")).await;
    let h = assigned_hazard(&mut w, &mut s).await;
    server.advance_clock(7 * DAY + 60);
    assert!(w.hazard(&h).await.overdue);
    server.advance_clock(-2 * DAY);
    assert!(!w.hazard(&h).await.overdue);
    server.shutdown().await;
}

#[tokio::test]
async fn a_districts_own_rules_set_the_deadlines() {
    let server = server().await;
    let rules = server_stub::rules::Rules {
        general_fix_days: 3,
        recheck_working_days: 1,
        ..Default::default()
    };
    let now = chrono::Utc::now();
    let store = server.state().store.clone();
    store.set_rules("朝阳区", &rules, now).unwrap();
    let bad = server_stub::rules::Rules {
        reports_per_hour: 0,
        ..Default::default()
    };
    assert!(store.set_rules("朝阳区", &bad, now).is_err(), "validated");
    let mut w = Device::enroll(&server, worker("w1", GRID_A)).await;
    let mut s = Device::enroll(&server, supervisor("s1")).await;
    let h = assigned_hazard(&mut w, &mut s).await;
    let state = s.hazard(&h).await;
    let assigned = at(&state.timeline.last().unwrap().at);
    assert_eq!(
        at(state.deadline.as_deref().unwrap()) - assigned,
        chrono::Duration::days(3)
    );
    server.advance_clock(3 * DAY + 60);
    assert!(w.hazard(&h).await.overdue);
    server.shutdown().await;
}
