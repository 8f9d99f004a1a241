//! One hazard as the detail screen shows it: the facts the server's ledger holds (or, before a
//! sync brought it, what this device recorded when it found the hazard or opened it from a
//! resident's report), the server's timeline, and this device's refused and conflicting actions.

use gridpatrol_proto::hazard_flow::HazardStatus;
use gridpatrol_proto::sync::{HazardStep, Role};
use rusqlite::{Connection, OptionalExtension, Row};

use super::{lifecycle, outcomes, Lang};
use crate::api::loop_records::{HazardDetail, HazardView};
use crate::error::{Error, Result};
use crate::store::text_enum;

fn server_row(r: &Row<'_>) -> rusqlite::Result<(HazardView, String)> {
    let conflicts: String = r.get(22)?;
    Ok((
        HazardView {
            hazard_id: r.get(0)?,
            venue_id: r.get(1)?,
            venue_name: r.get(2)?,
            grid: r.get(3)?,
            area: r.get(4)?,
            area_name: r.get(5)?,
            grade: text_enum::get(r, 6)?,
            status: text_enum::get(r, 7)?,
            server_status: Some(text_enum::get(r, 7)?),
            note: r.get(8)?,
            reported_at: r.get(9)?,
            received_at: r.get(10)?,
            deadline: r.get(11)?,
            overdue: r.get(12)?,
            supervised: r.get(13)?,
            escalated: r.get(14)?,
            owner: r.get(15)?,
            department: r.get(16)?,
            merged_into: r.get(17)?,
            inspection_id: r.get(18)?,
            item_id: r.get(19)?,
            report_id: r.get(20)?,
            evidence_pending: r.get(21)?,
            open_conflicts: Vec::new(),
        },
        conflicts,
    ))
}

fn local_row(r: &Row<'_>) -> rusqlite::Result<HazardView> {
    Ok(HazardView {
        hazard_id: r.get(0)?,
        venue_id: r.get(1)?,
        venue_name: r.get(2)?,
        grid: r.get(3)?,
        area: r.get(4)?,
        area_name: r.get(5)?,
        grade: text_enum::get(r, 6)?,
        status: HazardStatus::Reported,
        server_status: None,
        note: r.get(7)?,
        reported_at: r.get(8)?,
        received_at: None,
        deadline: None,
        overdue: false,
        supervised: false,
        escalated: false,
        owner: None,
        department: None,
        merged_into: None,
        inspection_id: r.get(9)?,
        item_id: r.get(10)?,
        report_id: r.get(11)?,
        evidence_pending: false,
        open_conflicts: Vec::new(),
    })
}

/// The hazard before this device's pending actions: the ledger's row, or (not synced yet) what
/// this device recorded, in state REPORTED.
pub fn base(conn: &Connection, lang: Lang, hazard_id: &str) -> Result<HazardView> {
    let l = lang.col();
    let server = conn
        .prepare_cached(&format!(
            "SELECT h.hazard_id, h.venue_id, v.name, h.grid, h.area, coalesce(a.name_{l}, h.area),
                    h.grade, h.status, h.note, h.reported_at, h.received_at, h.deadline, h.overdue,
                    h.supervised, h.escalated, h.owner, h.department, h.merged_into,
                    h.inspection_id, h.item_id, h.report_id, h.evidence_pending, h.conflicts
             FROM ledger_hazards h
             LEFT JOIN venues v ON v.venue_id = h.venue_id
             LEFT JOIN hazard_areas a ON a.code = h.area
             WHERE h.hazard_id = ?1"
        ))?
        .query_row([hazard_id], server_row)
        .optional()?;
    if let Some((mut view, conflicts)) = server {
        view.open_conflicts = serde_json::from_str(&conflicts)?;
        return Ok(view);
    }
    conn.prepare_cached(&format!(
        "SELECT x.hazard_id, x.venue_id, v.name, coalesce(v.grid, ''), x.area,
                coalesce(a.name_{l}, x.area), x.grade, x.note, x.at, x.inspection_id, x.item_id,
                x.report_id
         FROM (SELECT hazard_id, venue_id, area, grade, note, reported_at AS at, inspection_id,
                      item_id, NULL AS report_id
               FROM hazards
               UNION ALL
               SELECT hazard_id, venue_id, area, grade, note, checked_at, NULL, NULL, report_id
               FROM report_checks WHERE outcome = 'hazard') x
         LEFT JOIN venues v ON v.venue_id = x.venue_id
         LEFT JOIN hazard_areas a ON a.code = x.area
         WHERE x.hazard_id = ?1"
    ))?
    .query_row([hazard_id], local_row)
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("hazard '{hazard_id}' does not exist")))
}

/// Whether this device knows the hazard (found here, opened from a report, or synced).
pub fn exists(conn: &Connection, hazard_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM hazards WHERE hazard_id = ?1)
             OR EXISTS (SELECT 1 FROM report_checks WHERE hazard_id = ?1)
             OR EXISTS (SELECT 1 FROM ledger_hazards WHERE hazard_id = ?1)",
        [hazard_id],
        |r| r.get(0),
    )?)
}

/// The server's timeline of a hazard, oldest first (empty before a sync brought it).
pub fn timeline(conn: &Connection, hazard_id: &str) -> Result<Vec<HazardStep>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT timeline FROM ledger_hazards WHERE hazard_id = ?1",
            [hazard_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match json {
        Some(json) => serde_json::from_str(&json)?,
        None => Vec::new(),
    })
}

/// The detail screen of a hazard for a user of `role`.
pub fn detail(conn: &Connection, lang: Lang, role: Role, hazard_id: &str) -> Result<HazardDetail> {
    let (state, pending_actions) = lifecycle::current(conn, lang, hazard_id)?;
    let (refusals, conflicts) = outcomes::for_hazard(conn, hazard_id)?;
    let available_actions =
        lifecycle::available(state.status, role, !state.open_conflicts.is_empty());
    Ok(HazardDetail {
        timeline: timeline(conn, hazard_id)?,
        state,
        pending_actions,
        refusals,
        conflicts,
        available_actions,
    })
}
