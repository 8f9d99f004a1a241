//! Reading hazards as the ledger (台账) and the feed show them: the row, whether evidence is
//! still missing, the applied steps and the open conflicts, joined with the venue and the
//! administrative path for the ledger's filters, counts and CSV export.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gridpatrol_proto::reference::Venue;
use gridpatrol_proto::sync::{ChangeBody, HazardState, HazardStep, LedgerGroupCount};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, OptionalExtension, Row, Transaction};
use serde::de::DeserializeOwned;

use super::feed::{append_change, scope_condition};
use crate::store::{LedgerFilter, LedgerGroup, LedgerRow, Scope, StoreError, StoreResult};

/// Reads an enum stored as its serde text (`REPORTED`, `suspected_major`).
pub fn parse_text<T: DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| StoreError::Backend(format!("unknown value '{text}' stored")))
}

/// The serde text of an enum (`REPORTED`, `suspected_major`).
pub fn enum_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Evidence of the hazard whose blob has not arrived: answer photos (inspection hazards),
/// hazard photos, photos of the steps' transitions, the resident report's photos.
const EVIDENCE_PENDING: &str = "(
    EXISTS (SELECT 1 FROM evidence_links l
            WHERE (l.hazard_id = h.hazard_id
                   OR (l.inspection_id = h.inspection_id AND l.item_id = h.item_id))
              AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = l.sha256))
    OR EXISTS (SELECT 1 FROM hazard_steps s JOIN event_blobs eb ON eb.event_id = s.event_id
               WHERE s.hazard_id = h.hazard_id
                 AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = eb.sha256))
    OR EXISTS (SELECT 1 FROM report_photos rp WHERE rp.report_id = h.report_id
                 AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = rp.sha256)))";

fn columns() -> String {
    format!(
        "h.hazard_id, h.venue_id, h.grid, h.inspection_id, h.item_id, h.report_id, h.area,
         h.grade, h.status, h.note, h.reported_at, h.received_at, {EVIDENCE_PENDING},
         h.due_at, h.overdue, h.supervised, h.escalated, h.owner, h.department, h.merged_into,
         v.body, g.district, h.street, g.community"
    )
}

const FROM: &str = "FROM hazards h JOIN grids g ON g.grid = h.grid
     LEFT JOIN venues v ON v.venue_id = h.venue_id";

/// A row before its enums are parsed and its steps and conflicts loaded.
struct RawHazard {
    state: HazardState,
    grade: String,
    status: String,
    venue: Option<String>,
    district: String,
    street: String,
    community: String,
}

fn raw(r: &Row<'_>) -> rusqlite::Result<RawHazard> {
    Ok(RawHazard {
        state: HazardState {
            hazard_id: r.get(0)?,
            venue_id: r.get(1)?,
            grid: r.get(2)?,
            inspection_id: r.get(3)?,
            item_id: r.get(4)?,
            report_id: r.get(5)?,
            area: r.get(6)?,
            grade: gridpatrol_proto::events::HazardGrade::General,
            status: gridpatrol_proto::hazard_flow::HazardStatus::Reported,
            note: r.get(9)?,
            reported_at: r.get(10)?,
            received_at: r.get(11)?,
            evidence_pending: r.get(12)?,
            deadline: r.get(13)?,
            overdue: r.get(14)?,
            supervised: r.get(15)?,
            escalated: r.get(16)?,
            owner: r.get(17)?,
            department: r.get(18)?,
            merged_into: r.get(19)?,
            conflicts: Vec::new(),
            timeline: Vec::new(),
        },
        grade: r.get(7)?,
        status: r.get(8)?,
        venue: r.get(20)?,
        district: r.get(21)?,
        street: r.get(22)?,
        community: r.get(23)?,
    })
}

fn finish(tx: &Transaction<'_>, raw: RawHazard) -> StoreResult<LedgerRow> {
    let mut hazard = raw.state;
    hazard.grade = parse_text(&raw.grade)?;
    hazard.status = parse_text(&raw.status)?;
    hazard.timeline = steps(tx, &hazard.hazard_id)?;
    hazard.conflicts = open_conflicts(tx, &hazard.hazard_id)?;
    Ok(LedgerRow {
        hazard,
        venue: raw
            .venue
            .map(|body| serde_json::from_str::<Venue>(&body))
            .transpose()?,
        district: raw.district,
        street: raw.street,
        community: raw.community,
    })
}

fn steps(tx: &Transaction<'_>, hazard_id: &str) -> StoreResult<Vec<HazardStep>> {
    let mut stmt = tx.prepare_cached(
        "SELECT action, status, at, by_name, note, photos FROM hazard_steps
         WHERE hazard_id = ?1 ORDER BY step_no",
    )?;
    let rows = stmt.query_map([hazard_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (action, status, at, by, note, photos) = row?;
        out.push(HazardStep {
            action,
            status: parse_text(&status)?,
            at,
            by,
            note,
            photos: serde_json::from_str(&photos)?,
        });
    }
    Ok(out)
}

fn open_conflicts(tx: &Transaction<'_>, hazard_id: &str) -> StoreResult<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT c.event_id FROM hazard_conflicts c JOIN events e ON e.event_id = c.event_id
         WHERE c.hazard_id = ?1 AND c.state = 'open' ORDER BY e.server_seq",
    )?;
    let rows = stmt.query_map([hazard_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<Vec<String>, _>>()?)
}

/// One hazard with its venue and place, if it exists.
pub fn hazard_row(tx: &Transaction<'_>, hazard_id: &str) -> StoreResult<Option<LedgerRow>> {
    let sql = format!("SELECT {} {FROM} WHERE h.hazard_id = ?1", columns());
    let found = tx.query_row(&sql, [hazard_id], raw).optional()?;
    found.map(|r| finish(tx, r)).transpose()
}

/// Appends the current state of a hazard to the feed (for its grid and street).
pub fn append_hazard_change(
    tx: &Transaction<'_>,
    hazard_id: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let row = hazard_row(tx, hazard_id)?
        .ok_or_else(|| StoreError::NotFound(format!("no hazard '{hazard_id}'")))?;
    let grid = row.hazard.grid.clone();
    append_change(
        tx,
        &ChangeBody::Hazard(row.hazard),
        hazard_id,
        Some((&grid, &row.street)),
        now,
    )
}

/// The `WHERE` of a ledger query and its parameters (`?1` is the scope's).
fn ledger_where(scope: &Scope, filter: &LedgerFilter) -> (String, Vec<SqlValue>) {
    let (condition, param) = scope_condition(scope, "h", false, 1);
    let mut sql = format!("WHERE {condition}");
    let mut values = vec![SqlValue::Text(param)];
    let mut text = |column: &str, value: &Option<String>| {
        if let Some(value) = value {
            values.push(SqlValue::Text(value.clone()));
            sql.push_str(&format!(" AND {column} = ?{}", values.len()));
        }
    };
    text("g.district", &filter.district);
    text("h.street", &filter.street);
    text("g.community", &filter.community);
    text("h.grid", &filter.grid);
    text("h.area", &filter.area);
    text("json_extract(v.body, '$.venue_type')", &filter.venue_type);
    text("json_extract(v.body, '$.industry')", &filter.industry);
    text("h.grade", &filter.grade);
    text("h.status", &filter.status);
    if let Some(overdue) = filter.overdue {
        values.push(SqlValue::Integer(i64::from(overdue)));
        sql.push_str(&format!(" AND h.overdue = ?{}", values.len()));
    }
    (sql, values)
}

/// The ledger's lines in `scope`, newest report first.
pub fn ledger_rows(
    tx: &Transaction<'_>,
    scope: &Scope,
    filter: &LedgerFilter,
) -> StoreResult<Vec<LedgerRow>> {
    let (condition, values) = ledger_where(scope, filter);
    let sql = format!(
        "SELECT {} {FROM} {condition} ORDER BY h.reported_at DESC, h.hazard_id",
        columns()
    );
    let mut stmt = tx.prepare(&sql)?;
    let raws = stmt
        .query_map(params_from_iter(values), raw)?
        .collect::<Result<Vec<_>, _>>()?;
    raws.into_iter().map(|r| finish(tx, r)).collect()
}

fn group_expression(group: LedgerGroup) -> &'static str {
    match group {
        LedgerGroup::District => "g.district",
        LedgerGroup::Street => "h.street",
        LedgerGroup::Community => "g.community",
        LedgerGroup::Grid => "h.grid",
        LedgerGroup::Area => "h.area",
        LedgerGroup::VenueType => "COALESCE(json_extract(v.body, '$.venue_type'), '')",
        LedgerGroup::Industry => "COALESCE(json_extract(v.body, '$.industry'), '')",
        LedgerGroup::Grade => "h.grade",
        LedgerGroup::Status => "h.status",
        LedgerGroup::Overdue => "CASE h.overdue WHEN 1 THEN 'true' ELSE 'false' END",
    }
}

/// Hazards per group, ordered by the group's values.
pub fn ledger_counts(
    tx: &Transaction<'_>,
    scope: &Scope,
    filter: &LedgerFilter,
    group_by: &[LedgerGroup],
) -> StoreResult<Vec<LedgerGroupCount>> {
    let (condition, values) = ledger_where(scope, filter);
    let expressions: Vec<&str> = group_by.iter().map(|g| group_expression(*g)).collect();
    let positions: Vec<String> = (1..=group_by.len()).map(|i| i.to_string()).collect();
    let (select, grouping) = if group_by.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!("{}, ", expressions.join(", ")),
            format!("GROUP BY {0} ORDER BY {0}", positions.join(", ")),
        )
    };
    let sql = format!("SELECT {select} COUNT(*) {FROM} {condition} {grouping}");
    let mut stmt = tx.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(values), |r| {
        let mut key = BTreeMap::new();
        for (i, group) in group_by.iter().enumerate() {
            key.insert(group.name().to_owned(), r.get::<_, String>(i)?);
        }
        Ok(LedgerGroupCount {
            key,
            count: r.get(group_by.len())?,
        })
    })?;
    let counts = rows.collect::<Result<Vec<_>, _>>()?;
    Ok(counts.into_iter().filter(|c| c.count > 0).collect())
}
