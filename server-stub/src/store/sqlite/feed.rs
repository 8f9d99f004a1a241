//! The changes feed and the hazard ledger, both filtered by scope. Change rows carry the grid
//! and street they belong to (both NULL: visible to everyone), so scoping is one `WHERE`.

use chrono::{DateTime, Utc};
use gridpatrol_proto::sync::{Change, ChangeBody, HazardState};
use rusqlite::{params, Row, Transaction};

use super::ts;
use crate::store::{ChangesPage, LedgerFilter, Scope, StoreError, StoreResult};

/// Appends one change; `place` is `(grid, street)`, `None` for district-wide data.
pub fn append_change(
    tx: &Transaction<'_>,
    body: &ChangeBody,
    entity_id: &str,
    place: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let json = serde_json::to_value(body)?;
    let kind = json["type"].as_str().unwrap_or_default().to_owned();
    tx.execute(
        "INSERT INTO changes (type, entity_id, grid, street, body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            kind,
            entity_id,
            place.map(|p| p.0),
            place.map(|p| p.1),
            json.to_string(),
            ts(now)
        ],
    )?;
    Ok(())
}

/// A condition restricting rows of `table` (columns `grid`, `street`) to `scope`, and the value
/// to bind as `?N` (`param`): a JSON array of grids, or a street. With `everyone`, rows whose
/// grid and street are both NULL (district-wide data) are included.
fn scope_condition(scope: &Scope, table: &str, everyone: bool, param: u8) -> (String, String) {
    let all = if everyone {
        format!("({table}.grid IS NULL AND {table}.street IS NULL) OR ")
    } else {
        String::new()
    };
    match scope {
        Scope::Grids(grids) => (
            format!("({all}{table}.grid IN (SELECT value FROM json_each(?{param})))"),
            serde_json::to_string(grids).unwrap_or_else(|_| "[]".into()),
        ),
        Scope::Street(street) => (format!("({all}{table}.street = ?{param})"), street.clone()),
        // Residents see no venue or hazard rows (their reports arrive in issue 6). The
        // parameter is still referenced so that every scope binds the same parameters.
        Scope::Own(_) => (format!("({all}?{param} IS NULL)"), String::new()),
    }
}

pub fn changes(
    tx: &Transaction<'_>,
    scope: &Scope,
    since: u64,
    limit: u32,
) -> StoreResult<ChangesPage> {
    let (condition, param) = scope_condition(scope, "changes", true, 2);
    let sql = format!(
        "SELECT server_seq, body FROM changes WHERE server_seq > ?1 AND {condition}
         ORDER BY server_seq LIMIT ?3"
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![since, param, i64::from(limit) + 1], |r| {
        Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut changes = Vec::new();
    for row in rows {
        let (server_seq, body) = row?;
        changes.push(Change {
            server_seq,
            body: serde_json::from_str(&body)?,
        });
    }
    let more = changes.len() > limit as usize;
    changes.truncate(limit as usize);
    let next_cursor = if more {
        changes.last().map_or(since, |c| c.server_seq)
    } else {
        // Everything up to the head was either returned or out of scope: skip past it, so the
        // next poll does not rescan rows this caller will never see.
        let head: u64 = tx.query_row(
            "SELECT COALESCE(MAX(server_seq), 0) FROM changes",
            [],
            |r| r.get(0),
        )?;
        head.max(since)
    };
    Ok(ChangesPage {
        changes,
        next_cursor,
        more,
    })
}

const HAZARD_COLUMNS: &str = "h.hazard_id, h.venue_id, h.grid, h.inspection_id, h.item_id,
    h.area, h.grade, h.status, h.note, h.reported_at, h.received_at,
    EXISTS (SELECT 1 FROM evidence_links l
            WHERE (l.hazard_id = h.hazard_id
                   OR (l.inspection_id = h.inspection_id AND l.item_id = h.item_id))
              AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = l.sha256))";

fn hazard_from_row(r: &Row<'_>) -> rusqlite::Result<(HazardState, String)> {
    let grade: String = r.get(6)?;
    let status: String = r.get(7)?;
    let status = serde_json::from_value(serde_json::Value::String(status)).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok((
        HazardState {
            hazard_id: r.get(0)?,
            venue_id: r.get(1)?,
            grid: r.get(2)?,
            inspection_id: r.get(3)?,
            item_id: r.get(4)?,
            area: r.get(5)?,
            // Placeholder until the grade text is parsed below (rusqlite cannot return our error).
            grade: gridpatrol_proto::events::HazardGrade::General,
            status,
            note: r.get(8)?,
            reported_at: r.get(9)?,
            received_at: r.get(10)?,
            evidence_pending: r.get(11)?,
            report_id: None,
            deadline: None,
            overdue: false,
            supervised: false,
            escalated: false,
            owner: None,
            department: None,
            merged_into: None,
            conflicts: Vec::new(),
            timeline: Vec::new(),
        },
        grade,
    ))
}

fn with_grade((mut hazard, grade): (HazardState, String)) -> StoreResult<HazardState> {
    hazard.grade = serde_json::from_value(serde_json::Value::String(grade.clone()))
        .map_err(|_| StoreError::Backend(format!("unknown hazard grade '{grade}' stored")))?;
    Ok(hazard)
}

/// One hazard as the ledger shows it.
pub fn hazard_state(tx: &Transaction<'_>, hazard_id: &str) -> StoreResult<HazardState> {
    let sql = format!("SELECT {HAZARD_COLUMNS} FROM hazards h WHERE h.hazard_id = ?1");
    with_grade(tx.query_row(&sql, [hazard_id], hazard_from_row)?)
}

/// Appends the current state of a hazard to the feed.
pub fn append_hazard_change(
    tx: &Transaction<'_>,
    hazard_id: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let hazard = hazard_state(tx, hazard_id)?;
    let street: String = tx.query_row(
        "SELECT street FROM hazards WHERE hazard_id = ?1",
        [hazard_id],
        |r| r.get(0),
    )?;
    let grid = hazard.grid.clone();
    append_change(
        tx,
        &ChangeBody::Hazard(hazard),
        hazard_id,
        Some((&grid, &street)),
        now,
    )
}

pub fn ledger(
    tx: &Transaction<'_>,
    scope: &Scope,
    filter: &LedgerFilter,
) -> StoreResult<Vec<HazardState>> {
    let (condition, param) = scope_condition(scope, "h", false, 1);
    let sql = format!(
        "SELECT {HAZARD_COLUMNS} FROM hazards h WHERE {condition}
           AND (?2 IS NULL OR h.grid = ?2) AND (?3 IS NULL OR h.status = ?3)
           AND (?4 IS NULL OR h.area = ?4)
         ORDER BY h.reported_at DESC, h.hazard_id"
    );
    let mut stmt = tx.prepare(&sql)?;
    let rows = stmt.query_map(
        params![param, filter.grid, filter.status, filter.area],
        hazard_from_row,
    )?;
    rows.map(|r| with_grade(r?)).collect()
}
