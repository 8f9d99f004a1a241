//! Exactly-once under faults (issue 5): 200+ events and 40 photos (camera files of 1–5 MB,
//! evidence files of ~1 MB) pushed through
//! dropped connections, 500/503/429 with Retry-After, bodies cut mid-upload and a server restart;
//! and the `gridpatrol sync` process killed with SIGKILL at random moments. The server must end
//! with every event once and every blob verified, and no byte of a photo may reach it twice.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use gridpatrol_core::api::records::SyncOutcome;
use gridpatrol_tests::{demo_server, noise_photo, workspace_bin, Phone, GRID_A};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use server_stub::{FaultPlan, Handle, StatsSnapshot};

/// The inspections of one worker's day: every venue of grid A, failed items with photos.
const DAY: &[(&str, &[&str])] = &[
    ("CY-JS-001", &["E01", "R01", "B01", "C01", "G01", "G03"]),
    ("CY-JS-002", &["E01", "R03", "B01", "C02", "M01", "K01"]),
    ("CY-JS-005", &["E03", "E05", "R01", "R02", "G02"]),
    ("CY-JS-006", &["E01", "E04", "R01", "C01", "H01"]),
    ("CY-JS-007", &["L01", "B01", "C01", "C02", "M01", "R03"]),
    ("CY-JS-008", &["S01", "C01", "E01"]),
    (
        "CY-JS-009",
        &[
            "B01", "E02", "E03", "G02", "H01", "K01", "R01", "C01", "E05",
        ],
    ),
];

/// The 40 camera photos (3.5–4.7 MB JPEGs of noise, so their evidence files stay near 1 MB),
/// made once per target folder and shared by the tests (written to a temporary name, then
/// renamed, so tests running at the same time never see half a file).
fn photos() -> Vec<PathBuf> {
    static PHOTOS: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();
    PHOTOS.get_or_init(make_photos).clone()
}

fn make_photos() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-photos");
    std::fs::create_dir_all(&dir).unwrap();
    (0..40u64)
        .map(|i| {
            let path = dir.join(format!("photo-{i:02}.jpg"));
            if !path.exists() {
                let (w, h) =
                    [(1600, 1200), (1200, 1600), (1400, 1050), (1600, 1000)][i as usize % 4];
                let tmp = dir.join(format!("photo-{i:02}.{}.tmp", std::process::id()));
                noise_photo(&tmp, w, h, i);
                std::fs::rename(&tmp, &path).unwrap();
            }
            assert!((1_000_000..=5_000_000).contains(&std::fs::metadata(&path).unwrap().len()));
            path
        })
        .collect()
}

/// A phone enrolled with `server` (venues pulled) that recorded the day; returns it with its
/// device id, its event count and its blob sizes.
async fn day_on_a_phone(server: &Handle) -> (Phone, String, u64, BTreeMap<String, u64>) {
    let phone = Phone::new();
    phone.enroll(server, "u-a", GRID_A).await;
    assert_eq!(
        phone.gp.sync_now().await.unwrap().outcome,
        SyncOutcome::Completed
    );
    let (events, blobs) = record_day(&phone, &photos());
    let device = phone.gp.device_id().unwrap();
    (phone, device, events, blobs)
}

/// Records the day on `phone`; returns (events, blob sizes by SHA-256).
fn record_day(phone: &Phone, photos: &[PathBuf]) -> (u64, BTreeMap<String, u64>) {
    let mut supply = photos.iter().cloned();
    for (venue, fail) in DAY {
        phone.inspect_with_photos(venue, fail, &mut supply);
    }
    assert!(supply.next().is_none(), "all 40 photos used");
    let events = phone.gp.verify_journal().unwrap().events;
    let status = phone.gp.outbox_status().unwrap();
    assert!(events >= 200, "{events} events");
    assert_eq!(status.events_pending, events);
    assert_eq!(status.blobs_pending, 40);
    let mut blobs = BTreeMap::new();
    for entry in std::fs::read_dir(phone.dir.path().join("evidence")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jpg") {
            let sha = path.file_stem().unwrap().to_string_lossy().into_owned();
            blobs.insert(sha, std::fs::metadata(&path).unwrap().len());
        }
    }
    assert_eq!(blobs.len(), 40);
    (events, blobs)
}

fn plan(rules: serde_json::Value) -> FaultPlan {
    serde_json::from_value(serde_json::json!({ "faults": rules })).unwrap()
}

/// Adds one server life's counters to the running totals.
fn add(totals: &mut StatsSnapshot, s: StatsSnapshot) {
    for (device, c) in s.events {
        let t = totals.events.entry(device).or_default();
        t.accepted += c.accepted;
        t.duplicate += c.duplicate;
        t.conflict += c.conflict;
        t.rejected += c.rejected;
        t.forbidden += c.forbidden;
    }
    for (sha, b) in s.blobs {
        let t = totals.blobs.entry(sha).or_default();
        t.bytes_received += b.bytes_received;
        t.patch_requests += b.patch_requests;
        t.completed |= b.completed;
        t.hash_mismatches += b.hash_mismatches;
    }
    totals.faults_applied += s.faults_applied;
    totals.evidence_pending_events = s.evidence_pending_events;
}

/// The server holds every event once and every blob complete, each byte received once.
fn assert_exactly_once(
    totals: &StatsSnapshot,
    device: &str,
    events: u64,
    blobs: &BTreeMap<String, u64>,
) {
    let e = &totals.events[device];
    assert_eq!(
        (e.accepted, e.conflict, e.rejected, e.forbidden),
        (events, 0, 0, 0),
        "{e:?}"
    );
    for (sha, size) in blobs {
        let b = &totals.blobs[sha];
        assert!(b.completed && b.hash_mismatches == 0, "{sha}: {b:?}");
        assert_eq!(
            b.bytes_received, *size,
            "{sha}: a byte range was sent twice (or lost)"
        );
    }
    assert!(
        totals.evidence_pending_events.is_empty(),
        "{:?}",
        totals.evidence_pending_events
    );
}

async fn restart(old: Handle, dir: &Path) -> Handle {
    let addr = old.addr();
    old.shutdown().await;
    server_stub::spawn(
        server_stub::Config::in_dir(dir.join("server"))
            .with_test_controls()
            .listening_on(addr),
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_and_photo_arrives_exactly_once_through_faults_and_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = demo_server(&dir).await;
    let (phone, device, events, blobs) = day_on_a_phone(&server).await;

    // Each rule takes the next matching request (skip 0), so the faults play out in order:
    // the blob uploads meet a 502, three cuts mid-body, a dropped connection and a 503 with
    // Retry-After; the event pushes a 503 and a 429 with Retry-After, a 500, a dropped
    // connection, and an answer cut after the server stored the batch.
    server
        .set_faults(plan(serde_json::json!([
            {"method": "HEAD", "path_prefix": "/v1/blobs/", "action": {"type": "status", "status": 502}},
            {"method": "PATCH", "path_prefix": "/v1/blobs/", "times": 3, "action": {"type": "cut_request", "after_bytes": 300_000}},
            {"method": "PATCH", "path_prefix": "/v1/blobs/", "action": {"type": "drop_connection"}},
            {"method": "PATCH", "path_prefix": "/v1/blobs/", "action": {"type": "status", "status": 503, "retry_after": "1"}},
            {"method": "POST", "path_prefix": "/v1/events", "action": {"type": "status", "status": 503, "retry_after": "1"}},
            {"method": "POST", "path_prefix": "/v1/events", "action": {"type": "status", "status": 500}},
            {"method": "POST", "path_prefix": "/v1/events", "action": {"type": "status", "status": 429, "retry_after": "1"}},
            {"method": "POST", "path_prefix": "/v1/events", "action": {"type": "drop_connection"}},
            {"method": "POST", "path_prefix": "/v1/events", "action": {"type": "cut_response", "after_bytes": 10}},
        ])))
        .unwrap();

    let mut totals = StatsSnapshot::default();
    let mut outcomes = Vec::new();
    for pass in 0..40 {
        if pass == 3 {
            // Restart the server with a blob half uploaded: the rest must reach the new process,
            // resuming from the bytes the old one kept on disk. The faults not yet played go on.
            let remaining = server.state().faults.remaining();
            add(&mut totals, server.stats().await);
            server = restart(server, dir.path()).await;
            server.set_faults(remaining).unwrap();
        }
        let report = phone.gp.sync_now().await.unwrap();
        outcomes.push(report.outcome);
        let status = phone.gp.outbox_status().unwrap();
        if report.outcome == SyncOutcome::Completed
            && status.events_pending == 0
            && status.blobs_pending == 0
        {
            break;
        }
        // The server's Retry-After is honoured even by "sync now".
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    add(&mut totals, server.stats().await);
    let status = phone.gp.outbox_status().unwrap();
    assert_eq!(
        (status.events_pending, status.blobs_pending),
        (0, 0),
        "outcomes: {outcomes:?}"
    );
    assert!(phone.gp.wedged_items().unwrap().is_empty());
    assert_eq!(totals.faults_applied, 11, "every fault played");
    assert!(
        outcomes.contains(&SyncOutcome::Offline)
            && outcomes.contains(&SyncOutcome::ServerUnavailable),
        "{outcomes:?}"
    );
    assert_exactly_once(&totals, &device, events, &blobs);
    eprintln!(
        "faults: {events} events, 40 photos ({} MB), {} faults, {} passes: {outcomes:?}",
        blobs.values().sum::<u64>() / 1_000_000,
        totals.faults_applied,
        outcomes.len()
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_gridpatrol_sync_at_random_moments_loses_and_duplicates_nothing() {
    const KILLS: usize = 30;
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    // The phone's data, recorded through the core; then the CLI takes over its folder.
    let (phone, device, events, blobs) = day_on_a_phone(&server).await;
    phone.gp.shutdown();
    let data = phone.dir.path();
    // Slow the server down so that kills land mid-request.
    server
        .set_faults(plan(serde_json::json!([
            {"path_prefix": "/v1/", "times": 100_000, "action": {"type": "delay", "ms": 150}}
        ])))
        .unwrap();
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261128);
    let mut rng = StdRng::seed_from_u64(seed);
    let gridpatrol = workspace_bin("gridpatrol");
    let mut killed_mid_sync = 0;
    let mut runs = 0;
    while killed_mid_sync < KILLS && runs < 3 * KILLS {
        runs += 1;
        let mut child = Command::new(&gridpatrol)
            .arg("--data")
            .arg(data)
            .arg("sync")
            .spawn()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(rng.random_range(50..700))).await;
        if child.try_wait().unwrap().is_none() {
            killed_mid_sync += 1;
        }
        child.kill().ok();
        child.wait().unwrap();
    }
    let status = Command::new(&gridpatrol)
        .arg("--data")
        .arg(data)
        .arg("sync")
        .status()
        .unwrap();
    assert!(status.success(), "the final sync completes");
    let queue = Command::new(&gridpatrol)
        .arg("--data")
        .arg(data)
        .args(["--json", "status"])
        .output()
        .unwrap();
    let queue: serde_json::Value = serde_json::from_slice(&queue.stdout).unwrap();
    assert_eq!(queue["wedged"], serde_json::json!([]), "{queue}");
    assert_eq!(
        (
            queue["outbox"]["events_pending"].as_u64(),
            queue["outbox"]["blobs_pending"].as_u64()
        ),
        (Some(0), Some(0))
    );
    let totals = server.stats().await;
    assert_exactly_once(&totals, &device, events, &blobs);
    assert_eq!(
        killed_mid_sync, KILLS,
        "only {killed_mid_sync} of {runs} runs were killed mid-sync"
    );
    eprintln!(
        "kill -9: {runs} runs (seed {seed}), {killed_mid_sync} killed mid-sync; \
         {events} events and 40 photos arrived once"
    );
    server.shutdown().await;
}
