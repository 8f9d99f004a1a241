//! Warnings and 叫应: those still to acknowledge come first, an acknowledgement is recorded once
//! and queued at once, and only a supervisor issues a warning, for their own grids.

use gridpatrol_core::api::report_records::{WarningLevel, WarningType};
use gridpatrol_core::GridPatrolError;

use super::support::{enroll_as, last_seq, warning};
use crate::Fixture;

fn order(f: &Fixture) -> Vec<String> {
    f.gp.warnings()
        .unwrap()
        .into_iter()
        .map(|w| w.warning_id)
        .collect()
}

#[test]
fn warnings_to_acknowledge_come_first_and_are_acknowledged_once() {
    let f = Fixture::new();
    enroll_as(&f, "worker", &["劲松三区-03"]);
    warning(&f, "W-1", "blue", false);
    warning(&f, "W-2", "red", false);
    warning(&f, "W-3", "red", true);
    assert_eq!(order(&f), ["W-2", "W-1", "W-3"]);
    let w = &f.gp.warnings().unwrap()[0];
    assert_eq!(
        (w.level, w.warning_type, w.acknowledged),
        (WarningLevel::Red, WarningType::Rainstorm, false)
    );
    assert_eq!(w.grids, ["劲松三区-03"]);

    let before = last_seq(&f);
    let acked = f.gp.acknowledge_warning("W-1".into()).unwrap();
    assert!(acked.acknowledged && acked.ack_unconfirmed);
    assert!(acked.acknowledged_at.is_some());
    assert_eq!(last_seq(&f), before + 1);
    assert_eq!(f.gp.outbox_status().unwrap().events_pending, 1);
    // Again, and one the server already has: nothing more is recorded.
    f.gp.acknowledge_warning("W-1".into()).unwrap();
    let server_has_it = f.gp.acknowledge_warning("W-3".into()).unwrap();
    assert!(server_has_it.acknowledged && !server_has_it.ack_unconfirmed);
    assert_eq!(last_seq(&f), before + 1);
    assert_eq!(order(&f), ["W-2", "W-3", "W-1"]);
    assert!(matches!(
        f.gp.acknowledge_warning("W-9".into()),
        Err(GridPatrolError::NotFound { .. })
    ));

    enroll_as(&f, "resident", &[]);
    assert!(matches!(
        f.gp.acknowledge_warning("W-2".into()),
        Err(GridPatrolError::InvalidInput { .. })
    ));
    assert!(f.gp.verify_journal().unwrap().intact);
}

#[test]
fn only_a_supervisor_issues_a_warning_and_only_for_their_grids() {
    let f = Fixture::new();
    let issue = |grids: &[&str], text: &str, minutes: u32| {
        f.gp.issue_warning(
            WarningLevel::Orange,
            WarningType::Flood,
            grids.iter().map(|g| g.to_string()).collect(),
            text.into(),
            minutes,
        )
    };
    let refused = |r: Result<String, GridPatrolError>| match r {
        Err(GridPatrolError::InvalidInput { reason }) => reason,
        other => panic!("expected InvalidInput, got {other:?}"),
    };
    enroll_as(&f, "worker", &["劲松三区-03"]);
    assert!(refused(issue(&[], "内涝预警", 30)).contains("supervisor"));
    enroll_as(&f, "supervisor", &["劲松三区-03", "劲松三区-04"]);
    assert_eq!(
        refused(issue(&["劲松二区-01"], "内涝预警", 30)),
        "grid '劲松二区-01' is not one of your street's grids"
    );
    assert!(refused(issue(&[], "  ", 30)).contains("empty"));
    assert!(refused(issue(&[], "内涝预警", 0)).contains("1 to 1440 minutes"));
    assert_eq!(f.gp.outbox_status().unwrap().events_pending, 0);
    let id = issue(
        &["劲松三区-04", " 劲松三区-03", "劲松三区-04"],
        "内涝预警",
        30,
    )
    .unwrap();
    assert_eq!(id.len(), 36);
    let conn = super::support::db(&f);
    let payload: String = conn
        .query_row(
            "SELECT payload FROM events WHERE kind = 'warning.issued'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        payload.contains(r#""grids":["劲松三区-03","劲松三区-04"]"#),
        "{payload}"
    );
    assert!(f.gp.verify_journal().unwrap().intact);
}
