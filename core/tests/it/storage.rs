use gridpatrol_core::api::records::GridPatrolConfig;
use gridpatrol_core::{GridPatrol, GridPatrolError};

use crate::{open, Fixture};

#[test]
fn work_survives_reopening() {
    let f = Fixture::new();
    let id = f.inspect("CY-JS-001", &["E01"]);
    f.gp.finish_inspection(id).unwrap();
    let device = f.gp.device_id().unwrap();
    f.gp.shutdown();
    let gp = open(&f.dir);
    assert_eq!(gp.device_id().unwrap(), device);
    assert_eq!(gp.list_hazards().unwrap().len(), 1);
    assert_eq!(gp.list_venues().unwrap().len(), 4);
    assert_eq!(gp.quarantined_database().unwrap(), None);
}

#[test]
fn calls_after_close_fail_cleanly() {
    let f = Fixture::new();
    f.gp.shutdown();
    assert!(matches!(
        f.gp.list_venues(),
        Err(GridPatrolError::Storage { .. })
    ));
    f.gp.shutdown(); // closing twice is harmless
}

#[test]
fn a_corrupt_database_is_quarantined_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gp.db");
    std::fs::write(&path, vec![0x42u8; 8192]).unwrap();
    let gp = GridPatrol::open(GridPatrolConfig {
        database_path: path.display().to_string(),
        evidence_dir: dir.path().join("evidence").display().to_string(),
        locale: None,
    })
    .unwrap();
    let moved = gp.quarantined_database().unwrap().expect("quarantined");
    assert!(
        std::fs::read(moved).unwrap() == vec![0x42u8; 8192],
        "quarantined bytes differ"
    );
    assert!(gp.list_venues().unwrap().is_empty());
}

#[test]
fn a_database_from_a_newer_app_is_refused() {
    let f = Fixture::new();
    f.gp.shutdown();
    let conn = rusqlite::Connection::open(f.db_path()).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let err = GridPatrol::open(GridPatrolConfig {
        database_path: f.db_path().display().to_string(),
        evidence_dir: f.dir.path().join("evidence").display().to_string(),
        locale: None,
    })
    .err()
    .expect("refused");
    assert!(
        matches!(err, GridPatrolError::Storage { ref reason } if reason.contains("newer")),
        "{err:?}"
    );
}
