use rusqlite::Connection;

use crate::{open, Fixture};

/// Opens the database behind the app's back, as an attacker with file access would, with the
/// append-only triggers removed.
fn tamper(f: &Fixture, sql: &str) {
    let conn = Connection::open(f.db_path()).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
}

fn event_id(f: &Fixture, seq: u64) -> String {
    let conn = Connection::open(f.db_path()).unwrap();
    conn.query_row(
        "SELECT event_id FROM events WHERE device_seq = ?1",
        [seq],
        |r| r.get(0),
    )
    .unwrap()
}

fn recorded(f: &Fixture) -> u64 {
    let id = f.inspect("CY-JS-001", &["R01"]);
    f.gp.finish_inspection(id).unwrap();
    let report = f.gp.verify_journal().unwrap();
    assert!(report.intact, "{report:?}");
    report.events
}

#[test]
fn an_intact_journal_verifies_and_replays_to_the_same_tables() {
    let f = Fixture::new();
    let n = recorded(&f);
    assert!(n > 20);
    let report = f.gp.verify_journal().unwrap();
    assert_eq!(report.first_bad, None);
    assert!(report.projection_differences.is_empty());
}

#[test]
fn the_app_itself_cannot_edit_or_delete_events() {
    let f = Fixture::new();
    recorded(&f);
    let conn = Connection::open(f.db_path()).unwrap();
    assert!(conn
        .execute("UPDATE events SET kind = 'x' WHERE device_seq = 1", [])
        .is_err());
    assert!(conn
        .execute("DELETE FROM events WHERE device_seq = 1", [])
        .is_err());
}

#[test]
fn an_edited_payload_is_named() {
    let f = Fixture::new();
    recorded(&f);
    let id = event_id(&f, 5);
    tamper(
        &f,
        "UPDATE events SET payload = replace(payload, '\"pass\"', '\"fail\"') WHERE device_seq = 5",
    );
    let bad = f.gp.verify_journal().unwrap().first_bad.unwrap();
    assert_eq!((bad.device_seq, bad.event_id), (5, id));
    assert!(bad.problem.contains("altered"), "{}", bad.problem);
}

#[test]
fn a_deleted_event_is_named_by_the_gap() {
    let f = Fixture::new();
    recorded(&f);
    let next = event_id(&f, 8);
    tamper(
        &f,
        "DELETE FROM outbox WHERE event_seq = 7; DELETE FROM events WHERE device_seq = 7",
    );
    let report = f.gp.verify_journal().unwrap();
    let bad = report.first_bad.unwrap();
    assert_eq!((bad.device_seq, bad.event_id), (8, next));
    assert!(bad.problem.contains("expected 7"), "{}", bad.problem);
    assert_eq!(report.events, 6);
}

#[test]
fn deleting_the_newest_event_is_noticed() {
    let f = Fixture::new();
    let n = recorded(&f);
    tamper(
        &f,
        &format!(
            "DELETE FROM outbox WHERE event_seq = {n}; DELETE FROM events WHERE device_seq = {n}"
        ),
    );
    let bad = f.gp.verify_journal().unwrap().first_bad.unwrap();
    assert_eq!(bad.device_seq, n - 1);
    assert!(bad.problem.contains("removed"), "{}", bad.problem);
}

#[test]
fn two_swapped_events_are_named() {
    let f = Fixture::new();
    recorded(&f);
    let moved = event_id(&f, 4);
    // Swap rows 3 and 4 (every column but the position).
    tamper(
        &f,
        "UPDATE events SET device_seq = -3 WHERE device_seq = 3;
         UPDATE events SET device_seq = 3 WHERE device_seq = 4;
         UPDATE events SET device_seq = 4 WHERE device_seq = -3;",
    );
    let bad = f.gp.verify_journal().unwrap().first_bad.unwrap();
    assert_eq!((bad.device_seq, bad.event_id), (3, moved));
}

#[test]
fn edited_projections_disagree_with_the_journal() {
    let f = Fixture::new();
    recorded(&f);
    tamper(&f, "UPDATE hazards SET grade = 'suspected_major'");
    let report = f.gp.verify_journal().unwrap();
    assert!(report.first_bad.is_none());
    assert!(!report.intact);
    assert_eq!(
        report.projection_differences.len(),
        2,
        "{:?}",
        report.projection_differences
    );
}

#[test]
fn the_chain_continues_across_reopen() {
    let f = Fixture::new();
    let n = recorded(&f);
    f.gp.shutdown();
    let gp = open(&f.dir);
    gp.start_inspection("CY-JS-002".into()).unwrap();
    let report = gp.verify_journal().unwrap();
    assert!(report.intact);
    assert_eq!(report.events, n + 1);
}
