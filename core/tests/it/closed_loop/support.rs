//! Writing what a sync would have brought: an enrollment, the server's ledger rows, reports of
//! the grid, warnings, and the server's answers to pushed events.

use rusqlite::{params, Connection};

use crate::Fixture;

/// The database, opened beside the core (WAL: both see each other's commits).
pub fn db(f: &Fixture) -> Connection {
    let conn = Connection::open(f.db_path()).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    conn
}

/// Enrolls the fixture's device as `role` ('worker', 'supervisor', 'resident') in `grids`.
pub fn enroll_as(f: &Fixture, role: &str, grids: &[&str]) {
    db(f)
        .execute(
            "INSERT INTO account (id, server_url, token, user_id, display_name, role, grids,
                 street, enrolled_at)
             VALUES (1, 'http://127.0.0.1:9', 't', 'u1', 'test user', ?1, ?2, '劲松街道',
                     '2026-11-28T00:00:00.000Z')
             ON CONFLICT (id) DO UPDATE SET role = excluded.role, grids = excluded.grids",
            params![role, serde_json::to_string(grids).unwrap()],
        )
        .unwrap();
}

/// A ledger row as a pull stores it.
pub struct LedgerHazard<'a> {
    pub hazard_id: &'a str,
    pub venue_id: &'a str,
    pub grid: &'a str,
    pub area: &'a str,
    pub grade: &'a str,
    pub status: &'a str,
    pub overdue: bool,
    pub conflicts: &'a [&'a str],
}

impl Default for LedgerHazard<'_> {
    fn default() -> Self {
        LedgerHazard {
            hazard_id: "H-1",
            venue_id: "CY-JS-001",
            grid: "劲松三区-03",
            area: "escape_routes",
            grade: "general",
            status: "REPORTED",
            overdue: false,
            conflicts: &[],
        }
    }
}

/// Stores (or replaces) a ledger row from change `server_seq`.
pub fn ledger(f: &Fixture, h: LedgerHazard<'_>, server_seq: u64) {
    db(f)
        .execute(
            "INSERT OR REPLACE INTO ledger_hazards (hazard_id, venue_id, grid, area, grade, status,
                 note, reported_at, received_at, evidence_pending, server_seq, overdue, conflicts,
                 timeline)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, '后门上锁', '2026-11-20T01:00:00.000Z',
                     '2026-11-20T01:05:00.000Z', 0, ?7, ?8, ?9, ?10)",
            params![
                h.hazard_id,
                h.venue_id,
                h.grid,
                h.area,
                h.grade,
                h.status,
                server_seq,
                h.overdue,
                serde_json::to_string(h.conflicts).unwrap(),
                format!(
                    r#"[{{"action":"reported","status":"REPORTED","at":"2026-11-20T01:05:00.000Z","by":"grid worker","note":null,"photos":[]}},{{"action":"x","status":"{}","at":"2026-11-21T01:05:00.000Z","by":"supervisor","note":null,"photos":[]}}]"#,
                    h.status
                ),
            ],
        )
        .unwrap();
}

/// The server's answer to event `device_seq`, stored as a push stores it: the outbox row
/// leaves and the answer is kept.
pub fn answered(f: &Fixture, device_seq: u64, refused: Option<&str>, conflict_with: Option<&str>) {
    let conn = db(f);
    let removed = conn
        .execute("DELETE FROM outbox WHERE event_seq = ?1", [device_seq])
        .unwrap();
    assert_eq!(removed, 1, "event {device_seq} was not in the outbox");
    conn.execute(
        "INSERT INTO event_outcomes (event_seq, server_seq, refused, conflict_with, acknowledged_at)
         VALUES (?1, ?1 + 1000, ?2, ?3, '2026-11-28T01:00:00.000Z')",
        params![device_seq, refused, conflict_with],
    )
    .unwrap();
}

/// A complete pull ended after the answers: they count as pulled back.
pub fn pulled(f: &Fixture) {
    db(f)
        .execute("UPDATE event_outcomes SET pulled = 1", [])
        .unwrap();
}

/// A resident's report dispatched to the grid, as the worker's pull stores it.
pub fn grid_report(f: &Fixture, report_id: &str, status: &str, server_seq: u64) {
    db(f)
        .execute(
            "INSERT OR REPLACE INTO grid_reports (report_id, category, description, latitude,
                 longitude, coord_system, venue_id, grid, status, photos, received_at, server_seq)
             VALUES (?1, 'escape_route', '楼道堆满纸箱', 39.88, 116.45, 'wgs84', 'CY-JS-001',
                     '劲松三区-03', ?2, ?3, '2026-11-27T08:00:00.000Z', ?4)",
            params![
                report_id,
                status,
                serde_json::to_string(&["ab".repeat(32)]).unwrap(),
                server_seq
            ],
        )
        .unwrap();
}

/// A warning for this user, as a pull stores it.
pub fn warning(f: &Fixture, warning_id: &str, level: &str, acknowledged: bool) {
    db(f)
        .execute(
            "INSERT OR REPLACE INTO warnings (warning_id, level, warning_type, grids, text,
                 issued_at, issued_by, ack_due_at, escalated_from, acknowledged, server_seq)
             VALUES (?1, ?2, 'rainstorm', '[\"劲松三区-03\"]', '暴雨预警：请检查低洼场所',
                     '2026-11-28T01:00:00.000Z', '街道应急办', '2026-11-28T01:30:00.000Z',
                     NULL, ?3, 1)",
            params![warning_id, level, acknowledged],
        )
        .unwrap();
}

/// Journal sequence number of the newest event.
pub fn last_seq(f: &Fixture) -> u64 {
    db(f)
        .query_row("SELECT coalesce(max(device_seq), 0) FROM events", [], |r| {
            r.get(0)
        })
        .unwrap()
}
