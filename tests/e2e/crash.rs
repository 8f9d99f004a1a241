//! Power-loss style crash test: a child process appends journal events in a loop and is killed
//! with SIGKILL at random moments. After every kill the database must reopen with an intact
//! chain, no gap in `device_seq`, projections that agree with the journal, one outbox row per
//! event, and no committed event lost.

use std::process::Command;
use std::time::Duration;

use gridpatrol_core::api::records::GridPatrolConfig;
use gridpatrol_core::GridPatrol;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

const KILLS: usize = 60;

#[test]
fn journal_survives_sigkill_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gp.db");
    let venues = gridpatrol_tests::fixtures().join("venues.json");
    let writer = env!("CARGO_BIN_EXE_journal-writer");
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261128);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut events_before = 0u64;
    let mut kills_mid_write = 0;
    for round in 0..KILLS {
        let mut child = Command::new(writer).arg(&db).arg(&venues).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(rng.random_range(40..400)));
        if let Some(status) = child.try_wait().unwrap() {
            panic!("round {round}: the writer exited by itself: {status}");
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let gp = GridPatrol::open(GridPatrolConfig {
            database_path: db.display().to_string(),
            evidence_dir: dir.path().join("evidence").display().to_string(),
            locale: None,
        })
        .unwrap();
        let report = gp.verify_journal().unwrap();
        assert!(
            report.first_bad.is_none(),
            "round {round} (seed {seed}): {:?}",
            report.first_bad
        );
        assert!(
            report.projection_differences.is_empty(),
            "round {round} (seed {seed}): {:?}",
            report.projection_differences
        );
        assert!(
            report.events >= events_before,
            "round {round}: committed events were lost"
        );
        assert_eq!(
            gp.outbox_status().unwrap().events_pending,
            report.events,
            "round {round}: outbox rows"
        );
        if report.events > events_before {
            kills_mid_write += 1;
        }
        events_before = report.events;
        gp.shutdown();
    }
    eprintln!(
        "crash test: {KILLS} SIGKILLs (seed {seed}), {kills_mid_write} while appending, \
         {events_before} events, chain intact after every one"
    );
    assert!(
        kills_mid_write >= KILLS / 2,
        "the writer rarely got to write before the kill"
    );
}
