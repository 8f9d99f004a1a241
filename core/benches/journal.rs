//! Core benchmark (not a test): durable events appended per second, open + migrate time, journal
//! verification time, and the size of the mobile cdylib when `scripts/bench-core` built it.
//!
//! Run: `scripts/bench-core` (builds the mobile profile first), or `cargo bench -p gridpatrol-core`.

use std::path::Path;
use std::time::{Duration, Instant};

use gridpatrol_core::api::records::{GridPatrolConfig, Verdict};
use gridpatrol_core::GridPatrol;

const APPENDS: usize = 1000;
const OPENS: usize = 20;
const BIG_JOURNAL: usize = 10_000;

fn open(path: &Path) -> std::sync::Arc<GridPatrol> {
    GridPatrol::open(GridPatrolConfig {
        database_path: path.display().to_string(),
        evidence_dir: path.with_extension("evidence").display().to_string(),
        locale: None,
    })
    .unwrap()
}

fn venues() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/venues.json").to_owned()
}

/// Appends `n` answer events, each its own durable transaction, as a worker's taps would.
fn append(gp: &GridPatrol, n: usize) -> Duration {
    let id = gp
        .start_inspection("CY-JS-001".into())
        .unwrap()
        .inspection_id;
    let items: Vec<String> = gp
        .checklist(id.clone())
        .unwrap()
        .into_iter()
        .map(|e| e.item_id)
        .collect();
    let start = Instant::now();
    for i in 0..n {
        let verdict = if i % 7 == 0 {
            Verdict::Fail
        } else {
            Verdict::Pass
        };
        gp.answer_item(
            id.clone(),
            items[i % items.len()].clone(),
            verdict,
            None,
            false,
        )
        .unwrap();
    }
    start.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<(String, String)> = Vec::new();

    // 1. Durable appends (synchronous=FULL: one fsync'd commit per event).
    let gp = open(&dir.path().join("append.db"));
    gp.import_venues_file(venues()).unwrap();
    let took = append(&gp, APPENDS);
    rows.push((
        format!("durable events appended per second ({APPENDS} answers, one commit each)"),
        format!(
            "{:.0} /s ({:.2} ms each)",
            APPENDS as f64 / took.as_secs_f64(),
            took.as_secs_f64() * 1e3 / APPENDS as f64
        ),
    ));
    gp.shutdown();

    // 2. Open of a new database: create, migrate, install the checklist pack.
    let fresh: Vec<Duration> = (0..OPENS)
        .map(|i| {
            let start = Instant::now();
            let gp = open(&dir.path().join(format!("fresh-{i}.db")));
            let took = start.elapsed();
            gp.shutdown();
            took
        })
        .collect();
    rows.push((
        "open a new database: create + migrate + pack (median)".into(),
        ms(median(fresh)),
    ));

    // 3. Reopen of a database holding a large journal (integrity check included).
    let big = dir.path().join("big.db");
    let gp = open(&big);
    gp.import_venues_file(venues()).unwrap();
    append(&gp, BIG_JOURNAL);
    let start = Instant::now();
    let report = gp.verify_journal().unwrap();
    let verify = start.elapsed();
    assert!(report.intact);
    gp.shutdown();
    let reopen: Vec<Duration> = (0..OPENS)
        .map(|_| {
            let start = Instant::now();
            let gp = open(&big);
            let took = start.elapsed();
            gp.shutdown();
            took
        })
        .collect();
    rows.push((
        format!("reopen with {BIG_JOURNAL} events (median, page cache warm)"),
        ms(median(reopen)),
    ));
    rows.push((
        format!("verify chain + replay projections, {BIG_JOURNAL} events"),
        ms(verify),
    ));

    // 4. The mobile library, if scripts/bench-core built it.
    let so = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/mobile/libgridpatrol_core.so");
    rows.push((
        "cdylib, x86-64, profile `mobile` (stripped)".into(),
        match std::fs::metadata(&so) {
            Ok(m) => format!("{} bytes ({:.2} MiB)", m.len(), m.len() as f64 / 1048576.0),
            Err(_) => "not built (run scripts/bench-core)".into(),
        },
    ));

    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    println!("\nGridPatrol core benchmark");
    for (k, v) in rows {
        println!("  {k:<width$}  {v}");
    }
}
