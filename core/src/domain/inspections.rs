//! Inspections: start one for a venue (pinning the checklist version and the items that apply
//! to its type), answer items, finish with validation. Each command checks the current state
//! inside the write transaction and returns the one event to record; nothing is written when
//! validation fails.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::catalog::{self, ACTIVE_TEMPLATE};
use super::Lang;
use crate::api::records::{
    AnswerRecord, ChecklistEntry, HazardGrade, InspectionRecord, InspectionStatus, Verdict,
};
use crate::error::{Error, Result};
use crate::store::text_enum;
use gridpatrol_proto::events::{
    DomainEvent, HazardFound, InspectionAnswered, InspectionFinished, InspectionStarted,
};

/// Longest note accepted on an answer, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// What `start` decided.
pub enum Start {
    /// The venue already has an inspection in progress: continue it.
    Continue(String),
    /// Record this event to start a new inspection.
    New(DomainEvent),
}

/// Plans starting an inspection of `venue_id` with the id `inspection_id`.
pub fn start(tx: &Transaction<'_>, venue_id: &str, inspection_id: &str) -> Result<Start> {
    let venue_type: String = tx
        .query_row(
            "SELECT venue_type FROM venues WHERE venue_id = ?1",
            [venue_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!("venue '{venue_id}' is not in this device's list"))
        })?;
    let open: Option<String> = tx
        .query_row(
            "SELECT inspection_id FROM inspections WHERE venue_id = ?1 AND status = 'in_progress'
             ORDER BY started_at DESC LIMIT 1",
            [venue_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(existing) = open {
        return Ok(Start::Continue(existing));
    }
    let version = catalog::latest_version(tx, ACTIVE_TEMPLATE)?;
    let items: Vec<String> = catalog::items(tx, ACTIVE_TEMPLATE, version)?
        .into_iter()
        .filter(|i| i.applies.applies_to(&venue_type))
        .map(|i| i.item_id)
        .collect();
    if items.is_empty() {
        return Err(Error::InvalidInput(format!(
            "no checklist item applies to venue type '{venue_type}'"
        )));
    }
    Ok(Start::New(DomainEvent::InspectionStarted(
        InspectionStarted {
            inspection_id: inspection_id.to_owned(),
            venue_id: venue_id.to_owned(),
            template_id: ACTIVE_TEMPLATE.to_owned(),
            template_version: version,
            items,
        },
    )))
}

/// Plans answering `item_id`.
pub fn answer(
    tx: &Transaction<'_>,
    inspection_id: &str,
    item_id: &str,
    verdict: Verdict,
    note: Option<String>,
    suspected_major: bool,
) -> Result<DomainEvent> {
    require_in_progress(tx, inspection_id)?;
    let may_be_major: Option<bool> = tx
        .query_row(
            "SELECT c.may_be_major FROM inspection_items p
             JOIN inspections i ON i.inspection_id = p.inspection_id
             JOIN checklist_items c ON c.template_id = i.template_id
                 AND c.version = i.template_version AND c.item_id = p.item_id
             WHERE p.inspection_id = ?1 AND p.item_id = ?2",
            params![inspection_id, item_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(may_be_major) = may_be_major else {
        return Err(Error::InvalidInput(format!(
            "item {item_id} is not on this inspection's checklist"
        )));
    };
    if suspected_major && verdict != Verdict::Fail {
        return Err(Error::InvalidInput(format!(
            "item {item_id}: only a failed item can be marked suspected major"
        )));
    }
    if suspected_major && !may_be_major {
        return Err(Error::InvalidInput(format!(
            "item {item_id} cannot be a major hazard; record it as general"
        )));
    }
    let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if note
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(Error::InvalidInput(format!(
            "item {item_id}: the note is longer than {MAX_NOTE_CHARS} characters"
        )));
    }
    Ok(DomainEvent::InspectionAnswered(InspectionAnswered {
        inspection_id: inspection_id.to_owned(),
        item_id: item_id.to_owned(),
        verdict,
        note,
        suspected_major,
    }))
}

/// Plans finishing an inspection: every pinned item must be answered, and every failed item whose
/// template asks for a photo must have one attached. Each failed item becomes a hazard whose id
/// `new_id` makes.
pub fn finish(
    tx: &Transaction<'_>,
    inspection_id: &str,
    mut new_id: impl FnMut() -> String,
) -> Result<DomainEvent> {
    require_in_progress(tx, inspection_id)?;
    let mut stmt = tx.prepare_cached(
        "SELECT p.item_id, c.area, a.result, a.note, a.suspected_major,
                c.photo_on_fail AND NOT EXISTS (SELECT 1 FROM evidence_links l
                    WHERE l.inspection_id = p.inspection_id AND l.item_id = p.item_id)
         FROM inspection_items p
         JOIN inspections i ON i.inspection_id = p.inspection_id
         JOIN checklist_items c ON c.template_id = i.template_id
             AND c.version = i.template_version AND c.item_id = p.item_id
         LEFT JOIN answers a ON a.inspection_id = p.inspection_id AND a.item_id = p.item_id
         WHERE p.inspection_id = ?1 ORDER BY c.ordinal",
    )?;
    let rows = stmt.query_map([inspection_id], |r| {
        let verdict: Option<String> = r.get(2)?;
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            verdict,
            r.get(3)?,
            r.get::<_, Option<bool>>(4)?,
            r.get::<_, bool>(5)?,
        ))
    })?;
    let mut missing = Vec::new();
    let mut without_photo = Vec::new();
    let mut hazards = Vec::new();
    for row in rows {
        let (item_id, area, verdict, note, major, needs_photo) = row?;
        match verdict.as_deref() {
            None => missing.push(item_id),
            Some("fail") if needs_photo => without_photo.push(item_id),
            Some("fail") => hazards.push(HazardFound {
                hazard_id: new_id(),
                item_id,
                area,
                grade: if major == Some(true) {
                    HazardGrade::SuspectedMajor
                } else {
                    HazardGrade::General
                },
                note,
            }),
            Some(_) => {}
        }
    }
    if !missing.is_empty() {
        return Err(Error::InvalidInput(match missing.as_slice() {
            [one] => format!("cannot finish: item {one} is not answered"),
            many => format!(
                "cannot finish: {} items are not answered: {}",
                many.len(),
                many.join(", ")
            ),
        }));
    }
    if !without_photo.is_empty() {
        return Err(Error::InvalidInput(match without_photo.as_slice() {
            [one] => format!("cannot finish: item {one} failed and needs a photo"),
            many => format!(
                "cannot finish: {} failed items need a photo: {}",
                many.len(),
                many.join(", ")
            ),
        }));
    }
    Ok(DomainEvent::InspectionFinished(InspectionFinished {
        inspection_id: inspection_id.to_owned(),
        hazards,
    }))
}

pub(crate) fn require_in_progress(conn: &Connection, inspection_id: &str) -> Result<()> {
    let status: Option<InspectionStatus> = conn
        .query_row(
            "SELECT status FROM inspections WHERE inspection_id = ?1",
            [inspection_id],
            |r| text_enum::get(r, 0),
        )
        .optional()?;
    match status {
        None => Err(Error::NotFound(format!(
            "inspection '{inspection_id}' does not exist"
        ))),
        Some(InspectionStatus::Finished) => Err(Error::Conflict(format!(
            "inspection '{inspection_id}' is already finished"
        ))),
        Some(InspectionStatus::InProgress) => Ok(()),
    }
}

const SELECT_INSPECTION: &str = "
    SELECT i.inspection_id, i.venue_id, v.name, i.template_id, i.template_version, i.status,
           i.started_at, i.finished_at,
           (SELECT count(*) FROM inspection_items p WHERE p.inspection_id = i.inspection_id),
           (SELECT count(*) FROM answers a WHERE a.inspection_id = i.inspection_id),
           (SELECT count(*) FROM answers a WHERE a.inspection_id = i.inspection_id AND a.result = 'fail')
    FROM inspections i JOIN venues v ON v.venue_id = i.venue_id";

fn inspection_from_row(r: &Row<'_>) -> rusqlite::Result<InspectionRecord> {
    Ok(InspectionRecord {
        inspection_id: r.get(0)?,
        venue_id: r.get(1)?,
        venue_name: r.get(2)?,
        template_id: r.get(3)?,
        template_version: r.get(4)?,
        status: text_enum::get(r, 5)?,
        started_at: r.get(6)?,
        finished_at: r.get(7)?,
        item_count: r.get(8)?,
        answered_count: r.get(9)?,
        failed_count: r.get(10)?,
    })
}

/// Every inspection, newest first.
pub fn list(conn: &Connection) -> Result<Vec<InspectionRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_INSPECTION} ORDER BY i.started_at DESC, i.inspection_id DESC"
    ))?;
    let rows = stmt.query_map([], inspection_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One inspection.
pub fn get(conn: &Connection, inspection_id: &str) -> Result<InspectionRecord> {
    conn.prepare_cached(&format!("{SELECT_INSPECTION} WHERE i.inspection_id = ?1"))?
        .query_row([inspection_id], inspection_from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("inspection '{inspection_id}' does not exist")))
}

/// The checklist screen: the pinned items in order, with their answers so far.
pub fn checklist(
    conn: &Connection,
    lang: Lang,
    inspection_id: &str,
) -> Result<Vec<ChecklistEntry>> {
    get(conn, inspection_id)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.item_id, c.area, ar.name_{l}, c.title_{l}, c.photo_on_fail, c.may_be_major,
                a.result, a.note, a.suspected_major, a.answered_at,
                (SELECT count(*) FROM evidence_links l
                 WHERE l.inspection_id = p.inspection_id AND l.item_id = p.item_id)
         FROM inspection_items p
         JOIN inspections i ON i.inspection_id = p.inspection_id
         JOIN checklist_items c ON c.template_id = i.template_id
             AND c.version = i.template_version AND c.item_id = p.item_id
         JOIN hazard_areas ar ON ar.code = c.area
         LEFT JOIN answers a ON a.inspection_id = p.inspection_id AND a.item_id = p.item_id
         WHERE p.inspection_id = ?1 ORDER BY c.ordinal",
        l = lang.col()
    ))?;
    let rows = stmt.query_map([inspection_id], |r| {
        let answer = match r.get::<_, Option<String>>(6)? {
            None => None,
            Some(_) => Some(AnswerRecord {
                verdict: text_enum::get(r, 6)?,
                note: r.get(7)?,
                suspected_major: r.get(8)?,
                answered_at: r.get(9)?,
            }),
        };
        Ok(ChecklistEntry {
            item_id: r.get(0)?,
            area: r.get(1)?,
            area_name: r.get(2)?,
            title: r.get(3)?,
            photo_on_fail: r.get(4)?,
            may_be_major: r.get(5)?,
            answer,
            photo_count: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
