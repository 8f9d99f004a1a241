//! The hazard ledger as the phone holds it: hazards its inspections found, newest first.

use rusqlite::{Connection, Row};

use super::Lang;
use crate::api::records::HazardRecord;
use crate::error::Result;
use crate::store::text_enum;

fn select(lang: Lang, filter: &str) -> String {
    format!(
        "SELECT h.hazard_id, h.venue_id, v.name, v.grid, h.inspection_id, h.item_id, c.title_{l},
                h.area, ar.name_{l}, h.grade, h.status, h.note, h.reported_at
         FROM hazards h
         JOIN venues v ON v.venue_id = h.venue_id
         JOIN inspections i ON i.inspection_id = h.inspection_id
         JOIN checklist_items c ON c.template_id = i.template_id
             AND c.version = i.template_version AND c.item_id = h.item_id
         JOIN hazard_areas ar ON ar.code = h.area
         {filter}
         ORDER BY h.reported_at DESC, h.hazard_id",
        l = lang.col()
    )
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<HazardRecord> {
    Ok(HazardRecord {
        hazard_id: r.get(0)?,
        venue_id: r.get(1)?,
        venue_name: r.get(2)?,
        grid: r.get(3)?,
        inspection_id: r.get(4)?,
        item_id: r.get(5)?,
        item_title: r.get(6)?,
        area: r.get(7)?,
        area_name: r.get(8)?,
        grade: text_enum::get(r, 9)?,
        status: r.get(10)?,
        note: r.get(11)?,
        reported_at: r.get(12)?,
    })
}

/// Every hazard on this device.
pub fn list(conn: &Connection, lang: Lang) -> Result<Vec<HazardRecord>> {
    let mut stmt = conn.prepare_cached(&select(lang, ""))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The hazards one inspection found.
pub fn for_inspection(
    conn: &Connection,
    lang: Lang,
    inspection_id: &str,
) -> Result<Vec<HazardRecord>> {
    let mut stmt = conn.prepare_cached(&select(lang, "WHERE h.inspection_id = ?1"))?;
    let rows = stmt.query_map([inspection_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
