//! What a rectification notice (整改通知书) prints, gathered in one read: the venue, each hazard
//! with its checklist item's title (or its area's name), fix deadline and evidence photos, the
//! inspector's name and the district's rules (for local dates).

use gridpatrol_proto::reference::ReferencePack;
use rusqlite::{OptionalExtension, Transaction};

use super::deadlines::rules_for_grid;
use super::hazards::hazard_row;
use super::lifecycle::display_name;
use super::reference::{grid, latest_pack};
use crate::store::{GridInfo, NoticeData, NoticeItem, StoreResult};

fn title(pack: Option<&ReferencePack>, item_id: Option<&str>, area: &str) -> String {
    let Some(pack) = pack else {
        return item_id.unwrap_or(area).to_owned();
    };
    let item = item_id.and_then(|id| {
        pack.templates
            .iter()
            .rev()
            .flat_map(|t| t.items.iter())
            .find(|i| i.item_id == id)
    });
    let area_name = pack
        .hazard_areas
        .iter()
        .find(|a| a.code == area)
        .map_or(area, |a| a.name_zh.as_str());
    match (item_id, item) {
        (Some(id), Some(item)) => format!("{id} {}（{area_name}）", item.title_zh),
        _ => area_name.to_owned(),
    }
}

/// Evidence of a hazard in the order it arrived: answer and hazard photos, the steps' photos,
/// the resident report's photos; each once.
fn photos(tx: &Transaction<'_>, hazard_id: &str) -> StoreResult<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT sha256 FROM (
             SELECT l.sha256, e.server_seq AS seq FROM evidence_links l
               JOIN events e ON e.event_id = l.event_id
               JOIN hazards h ON h.hazard_id = ?1
              WHERE l.hazard_id = h.hazard_id
                 OR (l.inspection_id = h.inspection_id AND l.item_id = h.item_id)
             UNION ALL
             SELECT eb.sha256, e.server_seq FROM hazard_steps s
               JOIN event_blobs eb ON eb.event_id = s.event_id
               JOIN events e ON e.event_id = s.event_id
              WHERE s.hazard_id = ?1
             UNION ALL
             SELECT rp.sha256, -1 FROM report_photos rp
               JOIN hazards h ON h.report_id = rp.report_id
              WHERE h.hazard_id = ?1)
         ORDER BY seq",
    )?;
    let rows = stmt.query_map([hazard_id], |r| r.get::<_, String>(0))?;
    let mut out: Vec<String> = Vec::new();
    for sha in rows {
        let sha = sha?;
        if !out.contains(&sha) {
            out.push(sha);
        }
    }
    Ok(out)
}

fn item(
    tx: &Transaction<'_>,
    pack: Option<&ReferencePack>,
    hazard_id: &str,
) -> StoreResult<Option<(NoticeItem, String, crate::store::LedgerRow)>> {
    let Some(row) = hazard_row(tx, hazard_id)? else {
        return Ok(None);
    };
    let (fix_deadline, found_by): (Option<String>, String) = tx.query_row(
        "SELECT fix_deadline, found_by FROM hazards WHERE hazard_id = ?1",
        [hazard_id],
        |r| r.try_into(),
    )?;
    let item = NoticeItem {
        title: title(pack, row.hazard.item_id.as_deref(), &row.hazard.area),
        fix_deadline,
        photos: photos(tx, hazard_id)?,
        hazard: row.hazard.clone(),
    };
    Ok(Some((item, display_name(tx, &found_by)?, row)))
}

pub fn hazard_notice(
    tx: &Transaction<'_>,
    hazard_id: &str,
) -> StoreResult<Option<(GridInfo, NoticeData)>> {
    let pack = latest_pack(tx)?;
    let Some((item, inspector, row)) = item(tx, pack.as_ref(), hazard_id)? else {
        return Ok(None);
    };
    let (Some(venue), Some(place)) = (row.venue, grid(tx, &row.hazard.grid)?) else {
        return Ok(None);
    };
    let data = NoticeData {
        subject_id: hazard_id.to_owned(),
        rules: rules_for_grid(tx, &venue.grid)?,
        venue,
        items: vec![item],
        inspectors: vec![inspector],
    };
    Ok(Some((place, data)))
}

pub fn inspection_notice(
    tx: &Transaction<'_>,
    inspection_id: &str,
) -> StoreResult<Option<(GridInfo, NoticeData)>> {
    let found: Option<(String, String, String)> = tx
        .query_row(
            "SELECT venue_id, grid, user_id FROM inspections WHERE inspection_id = ?1",
            [inspection_id],
            |r| r.try_into(),
        )
        .optional()?;
    let Some((venue_id, grid_name, user_id)) = found else {
        return Ok(None);
    };
    let (Some(venue), Some(place)) = (
        super::reference::venue(tx, &venue_id)?,
        grid(tx, &grid_name)?,
    ) else {
        return Ok(None);
    };
    let pack = latest_pack(tx)?;
    let mut stmt = tx.prepare_cached(
        "SELECT hazard_id FROM hazards WHERE inspection_id = ?1 ORDER BY item_id, hazard_id",
    )?;
    let ids = stmt
        .query_map([inspection_id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    drop(stmt);
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some((item, _, _)) = item(tx, pack.as_ref(), &id)? {
            items.push(item);
        }
    }
    let data = NoticeData {
        subject_id: inspection_id.to_owned(),
        rules: rules_for_grid(tx, &venue.grid)?,
        venue,
        items,
        inspectors: vec![display_name(tx, &user_id)?],
    };
    Ok(Some((place, data)))
}
