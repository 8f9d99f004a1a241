//! The `gridpatrol` CLI as a script would use it: JSON output, exit codes, and `journal verify`
//! naming the first edited, removed or reordered event.

use std::path::Path;
use std::process::{Command, Output};

use gridpatrol_tests::{fixtures, workspace_bin};
use serde_json::Value;

fn gridpatrol(data: &Path, args: &[&str]) -> Output {
    Command::new(workspace_bin("gridpatrol"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn json(data: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = gridpatrol(data, &all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Imports the venues and records one finished inspection with one failed item.
fn inspected(data: &Path) -> u64 {
    let venues = fixtures().join("venues.json");
    assert_eq!(
        json(data, &["venues", "import", venues.to_str().unwrap()])["imported"],
        4
    );
    let inspection = json(data, &["inspect", "start", "CY-JS-002"]);
    let id = inspection["inspection_id"].as_str().unwrap().to_owned();
    let show = json(data, &["inspect", "show", &id]);
    for entry in show["checklist"].as_array().unwrap() {
        let item = entry["item_id"].as_str().unwrap();
        let verdict = if item == "B01" { "fail" } else { "pass" };
        json(
            data,
            &[
                "inspect",
                "answer",
                &id,
                item,
                verdict,
                "--note",
                "楼道充电",
            ],
        );
    }
    // B01 needs a photo when failed.
    let photo = fixtures().join("photos/exif_full.jpg");
    let args = [
        "evidence",
        "add",
        photo.to_str().unwrap(),
        "--target-inspection",
        &id,
        "--item",
        "B01",
    ];
    assert_eq!(json(data, &args)["original_format"], "jpeg");
    let summary = json(data, &["inspect", "finish", &id]);
    assert_eq!(summary["hazards"][0]["item_id"], "B01");
    assert_eq!(summary["hazards"][0]["status"], "REPORTED");
    let verify = json(data, &["journal", "verify"]);
    verify["events"].as_u64().unwrap()
}

fn tamper(data: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(data.join("gridpatrol.db")).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
}

fn event_id(data: &Path, seq: u64) -> String {
    let conn = rusqlite::Connection::open(data.join("gridpatrol.db")).unwrap();
    conn.query_row(
        "SELECT event_id FROM events WHERE device_seq = ?1",
        [seq],
        |r| r.get(0),
    )
    .unwrap()
}

/// Runs `journal verify` and returns (exit code, stdout).
fn verify(data: &Path) -> (i32, String) {
    let out = gridpatrol(data, &["journal", "verify"]);
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn a_scripted_inspection_verifies_ok() {
    let dir = tempfile::tempdir().unwrap();
    let events = inspected(dir.path());
    assert_eq!(verify(dir.path()), (0, format!("ok: {events} events\n")));
    let status = json(dir.path(), &["status"]);
    assert_eq!(status["outbox"]["events_pending"], events);
    assert_eq!(status["account"], Value::Null);
    let hazards = json(dir.path(), &["hazards", "list"]);
    assert_eq!(hazards.as_array().unwrap().len(), 1);
}

#[test]
fn verify_names_an_edited_event() {
    let dir = tempfile::tempdir().unwrap();
    inspected(dir.path());
    let id = event_id(dir.path(), 4);
    tamper(
        dir.path(),
        "UPDATE events SET payload = replace(payload, 'pass', 'fail') WHERE device_seq = 4",
    );
    let (code, out) = verify(dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        out,
        format!("journal broken at event 4 (id {id}): content does not match its hash (altered)\n")
    );
}

#[test]
fn verify_names_the_event_after_a_removed_one() {
    let dir = tempfile::tempdir().unwrap();
    inspected(dir.path());
    let id = event_id(dir.path(), 6);
    tamper(dir.path(), "DELETE FROM events WHERE device_seq = 5");
    let (code, out) = verify(dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        out,
        format!(
            "journal broken at event 6 (id {id}): device_seq gap: expected 5; events are missing\n"
        )
    );
}

#[test]
fn verify_names_a_reordered_event() {
    let dir = tempfile::tempdir().unwrap();
    inspected(dir.path());
    let id = event_id(dir.path(), 3);
    tamper(
        dir.path(),
        "UPDATE events SET device_seq = -2 WHERE device_seq = 2;
         UPDATE events SET device_seq = 2 WHERE device_seq = 3;
         UPDATE events SET device_seq = 3 WHERE device_seq = -2;",
    );
    let (code, out) = verify(dir.path());
    assert_eq!(code, 1);
    assert!(
        out.starts_with(&format!("journal broken at event 2 (id {id}): ")),
        "{out}"
    );
}

#[test]
fn errors_exit_nonzero_with_a_json_reason() {
    let dir = tempfile::tempdir().unwrap();
    inspected(dir.path());
    let out = gridpatrol(dir.path(), &["--json", "inspect", "start", "NO-SUCH-VENUE"]);
    assert_eq!(out.status.code(), Some(1));
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["error"]["kind"], "not_found");
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: venue 'NO-SUCH-VENUE'"));
}
