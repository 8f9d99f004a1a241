//! The server's projections of pushed events: inspections, answers, hazards (the ledger),
//! evidence metadata and links; the closed loop's kinds go to `lifecycle`, `reports` and
//! `warnings`. `apply` also decides scope: an event about a venue outside the caller's scope
//! is forbidden, one that references something unknown or closed is rejected. A domain refusal
//! (an invalid transition, the rate limit) is neither: the event is accepted and the outcome
//! says why it was not applied. Hazard changes go to the feed in the same transaction.

use chrono::{DateTime, Utc};
use gridpatrol_proto::events::{DomainEvent, EvidenceTarget, Verdict};
use gridpatrol_proto::EventEnvelope;
use rusqlite::{params, OptionalExtension, Transaction};

use super::hazards::append_hazard_change;
use super::journal::MAX_SQL;
use super::lifecycle::{create, NewHazard};
use super::{lifecycle, reports, ts, warnings};
use crate::store::{Caller, StoreResult};

/// Why an event was not taken at all (the push result's status and reason).
pub enum Refusal {
    Forbidden(String),
    Rejected(String),
}

/// An event taken into the chain, and what came of applying it.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Not applied, and why (shown to the user).
    pub refused: Option<String>,
    /// A hazard transition that clashed with this applied event (a conflict to resolve).
    pub conflict_with: Option<String>,
}

pub type Applied = Result<Outcome, Refusal>;

/// What the server knows about an inspection an event refers to.
struct InspectionRow {
    venue_id: String,
    grid: String,
    street: String,
    device_id: String,
    items: Vec<String>,
    finished: bool,
}

fn inspection(tx: &Transaction<'_>, id: &str) -> StoreResult<Option<InspectionRow>> {
    let row: Option<(String, String, String, String, String, bool)> = tx
        .query_row(
            "SELECT venue_id, grid, street, device_id, items, finished_at IS NOT NULL
             FROM inspections WHERE inspection_id = ?1",
            [id],
            |r| r.try_into(),
        )
        .optional()?;
    row.map(|(venue_id, grid, street, device_id, items, finished)| {
        Ok(InspectionRow {
            venue_id,
            grid,
            street,
            device_id,
            items: serde_json::from_str(&items)?,
            finished,
        })
    })
    .transpose()
}

/// Looks up an inspection the caller's device may add to.
fn own_inspection(
    tx: &Transaction<'_>,
    caller: &Caller,
    id: &str,
) -> StoreResult<Result<InspectionRow, Refusal>> {
    let Some(row) = inspection(tx, id)? else {
        return Ok(Err(Refusal::Rejected(format!(
            "inspection {id} is unknown to the server (its start was not pushed)"
        ))));
    };
    if row.device_id != caller.device_id {
        return Ok(Err(Refusal::Forbidden(format!(
            "inspection {id} was started on another device"
        ))));
    }
    if !caller.scope().covers(&row.grid, &row.street) {
        return Ok(Err(Refusal::Forbidden(format!(
            "venue {} of inspection {id} is outside your grids",
            row.venue_id
        ))));
    }
    Ok(Ok(row))
}

macro_rules! refuse_on {
    ($e:expr) => {
        match $e? {
            Ok(v) => v,
            Err(refusal) => return Ok(Err(refusal)),
        }
    };
}

pub fn apply(
    tx: &Transaction<'_>,
    caller: &Caller,
    event: &EventEnvelope,
    domain: &DomainEvent,
    now: DateTime<Utc>,
) -> StoreResult<Applied> {
    let at = &event.device_time;
    match domain {
        DomainEvent::InspectionStarted(e) => {
            let place: Option<(String, String)> = tx
                .query_row(
                    "SELECT grid, street FROM venues WHERE venue_id = ?1",
                    [&e.venue_id],
                    |r| r.try_into(),
                )
                .optional()?;
            let Some((grid, street)) = place else {
                return Ok(Err(Refusal::Forbidden(format!(
                    "venue {} is unknown to the server, so not in your grids",
                    e.venue_id
                ))));
            };
            if !caller.scope().covers(&grid, &street) {
                return Ok(Err(Refusal::Forbidden(format!(
                    "venue {} is outside your grids",
                    e.venue_id
                ))));
            }
            if inspection(tx, &e.inspection_id)?.is_some() {
                return Ok(Err(Refusal::Rejected(format!(
                    "inspection id {} is already in use",
                    e.inspection_id
                ))));
            }
            tx.execute(
                "INSERT INTO inspections (inspection_id, venue_id, grid, street, device_id,
                     user_id, template_id, template_version, items, started_at, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    e.inspection_id,
                    e.venue_id,
                    grid,
                    street,
                    caller.device_id,
                    caller.user_id,
                    e.template_id,
                    e.template_version,
                    serde_json::to_string(&e.items)?,
                    at,
                    ts(now)
                ],
            )?;
        }
        DomainEvent::InspectionAnswered(e) => {
            let row = refuse_on!(own_inspection(tx, caller, &e.inspection_id));
            if row.finished {
                return Ok(Err(Refusal::Rejected(format!(
                    "inspection {} is already finished",
                    e.inspection_id
                ))));
            }
            if !row.items.contains(&e.item_id) {
                return Ok(Err(Refusal::Rejected(format!(
                    "item {} is not on the checklist of inspection {}",
                    e.item_id, e.inspection_id
                ))));
            }
            let verdict = match e.verdict {
                Verdict::Pass => "pass",
                Verdict::Fail => "fail",
                Verdict::Na => "na",
            };
            tx.execute(
                "INSERT INTO answers (inspection_id, item_id, verdict, note, suspected_major,
                     answered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (inspection_id, item_id) DO UPDATE SET verdict = excluded.verdict,
                     note = excluded.note, suspected_major = excluded.suspected_major,
                     answered_at = excluded.answered_at",
                params![
                    e.inspection_id,
                    e.item_id,
                    verdict,
                    e.note,
                    e.suspected_major,
                    at
                ],
            )?;
        }
        DomainEvent::InspectionFinished(e) => {
            let row = refuse_on!(own_inspection(tx, caller, &e.inspection_id));
            if row.finished {
                return Ok(Err(Refusal::Rejected(format!(
                    "inspection {} is already finished",
                    e.inspection_id
                ))));
            }
            tx.execute(
                "UPDATE inspections SET finished_at = ?2 WHERE inspection_id = ?1",
                params![e.inspection_id, at],
            )?;
            for h in &e.hazards {
                if !row.items.contains(&h.item_id) {
                    return Ok(Err(Refusal::Rejected(format!(
                        "hazard {} names item {}, which is not on the checklist",
                        h.hazard_id, h.item_id
                    ))));
                }
                let created = create(
                    tx,
                    &NewHazard {
                        hazard_id: &h.hazard_id,
                        inspection_id: Some(&e.inspection_id),
                        item_id: Some(&h.item_id),
                        report_id: None,
                        venue_id: &row.venue_id,
                        grid: &row.grid,
                        street: &row.street,
                        area: &h.area,
                        grade: h.grade,
                        note: h.note.as_deref(),
                        reported_at: at,
                        found_by: caller,
                        event_id: &event.event_id,
                    },
                    now,
                )?;
                if !created {
                    return Ok(Err(Refusal::Rejected(format!(
                        "hazard id {} is already in use",
                        h.hazard_id
                    ))));
                }
                append_hazard_change(tx, &h.hazard_id, now)?;
            }
        }
        DomainEvent::EvidenceAdded(e) => {
            if e.bytes > MAX_SQL || e.original_bytes > MAX_SQL {
                return Ok(Err(Refusal::Rejected(format!(
                    "photo {}: byte counts must be below 2^63",
                    e.sha256
                ))));
            }
            // The same photo may be added twice (the phone ignores the repeat too).
            tx.execute(
                "INSERT OR IGNORE INTO evidence (sha256, bytes, width, height, original_sha256,
                     original_bytes, captured_at, location, device_id, added_at, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    e.sha256,
                    e.bytes,
                    e.width,
                    e.height,
                    e.original_sha256,
                    e.original_bytes,
                    e.captured_at,
                    e.location.as_ref().map(serde_json::to_string).transpose()?,
                    caller.device_id,
                    at,
                    ts(now)
                ],
            )?;
        }
        DomainEvent::EvidenceAttached(e) => {
            let hazards = match &e.target {
                EvidenceTarget::Answer {
                    inspection_id,
                    item_id,
                } => {
                    let row = refuse_on!(own_inspection(tx, caller, inspection_id));
                    if !row.items.contains(item_id) {
                        return Ok(Err(Refusal::Rejected(format!(
                            "item {item_id} is not on the checklist of inspection {inspection_id}"
                        ))));
                    }
                    tx.execute(
                        "INSERT INTO evidence_links (event_id, sha256, target_type,
                             inspection_id, item_id)
                         VALUES (?1, ?2, 'answer', ?3, ?4)",
                        params![event.event_id, e.sha256, inspection_id, item_id],
                    )?;
                    answer_hazards(tx, inspection_id, item_id)?
                }
                EvidenceTarget::Hazard { hazard_id } => {
                    let place: Option<(String, String)> = tx
                        .query_row(
                            "SELECT grid, street FROM hazards WHERE hazard_id = ?1",
                            [hazard_id],
                            |r| r.try_into(),
                        )
                        .optional()?;
                    let Some((grid, street)) = place else {
                        return Ok(Err(Refusal::Rejected(format!(
                            "hazard {hazard_id} is unknown to the server"
                        ))));
                    };
                    if !caller.scope().covers(&grid, &street) {
                        return Ok(Err(Refusal::Forbidden(format!(
                            "hazard {hazard_id} is outside your grids"
                        ))));
                    }
                    tx.execute(
                        "INSERT INTO evidence_links (event_id, sha256, target_type, hazard_id)
                         VALUES (?1, ?2, 'hazard', ?3)",
                        params![event.event_id, e.sha256, hazard_id],
                    )?;
                    vec![hazard_id.clone()]
                }
                EvidenceTarget::Report { report_id } => {
                    return reports::photo_attached(tx, caller, &e.sha256, report_id, now);
                }
            };
            // A new photo can change a hazard's evidence_pending: tell the feed.
            for hazard_id in hazards {
                append_hazard_change(tx, &hazard_id, now)?;
            }
        }
        DomainEvent::HazardTransitioned(e) => {
            return lifecycle::transition(tx, caller, event, e, now)
        }
        DomainEvent::ReportSubmitted(e) => return reports::submitted(tx, caller, e, now),
        DomainEvent::ReportChecked(e) => return reports::checked(tx, caller, event, e, now),
        DomainEvent::WarningIssued(e) => {
            return warnings::issued(tx, caller, &event.event_id, e, now)
        }
        DomainEvent::WarningAcknowledged(e) => return warnings::acknowledged(tx, caller, e, now),
        // A kind added to the contract after this server learnt it is kept in the event log
        // (its chain checked) but not projected until the server learns it.
        #[allow(unreachable_patterns)]
        _ => {}
    }
    Ok(Ok(Outcome::default()))
}

fn answer_hazards(
    tx: &Transaction<'_>,
    inspection_id: &str,
    item_id: &str,
) -> StoreResult<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT hazard_id FROM hazards WHERE inspection_id = ?1 AND item_id = ?2",
    )?;
    let rows = stmt.query_map([inspection_id, item_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<Vec<String>, _>>()?)
}

/// Marks a blob complete. Events waiting for it stop being evidence-pending (that is computed
/// from `blobs`); hazards it is evidence of get a new change.
pub fn blob_completed(
    tx: &Transaction<'_>,
    sha256: &str,
    length: u64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO blobs (sha256, length, completed_at) VALUES (?1, ?2, ?3)",
        params![sha256, length, ts(now)],
    )?;
    if inserted == 0 {
        return Ok(());
    }
    let mut stmt = tx.prepare_cached(
        "SELECT h.hazard_id FROM evidence_links l JOIN hazards h
             ON h.hazard_id = l.hazard_id
             OR (h.inspection_id = l.inspection_id AND h.item_id = l.item_id)
         WHERE l.sha256 = ?1
         UNION SELECT s.hazard_id FROM event_blobs eb JOIN hazard_steps s
             ON s.event_id = eb.event_id WHERE eb.sha256 = ?1
         UNION SELECT h.hazard_id FROM report_photos rp JOIN hazards h
             ON h.report_id = rp.report_id WHERE rp.sha256 = ?1
         ORDER BY 1",
    )?;
    let hazards = stmt
        .query_map([sha256], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    for hazard_id in hazards {
        append_hazard_change(tx, &hazard_id, now)?;
    }
    Ok(())
}
