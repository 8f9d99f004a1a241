//! Projections: how each journal event changes the tables the screens read. `apply` runs in the
//! same transaction that appends the event; `differences` replays the whole journal into a
//! scratch database and compares, proving the projections agree with the journal.

use gridpatrol_proto::EventEnvelope;
use rusqlite::{params, Connection, Transaction};

use crate::error::{Error, Result};
use crate::store::text_enum;
use gridpatrol_proto::events::{DomainEvent, EvidenceTarget};

/// The hazard status a new hazard starts in (DOMAIN.md).
pub const REPORTED: &str = "REPORTED";

/// Tables derived from the journal.
const PROJECTIONS: &[&str] = &[
    "inspections",
    "inspection_items",
    "answers",
    "hazards",
    "evidence",
    "evidence_links",
    "venue_scans",
    "hazard_transitions",
    "submitted_reports",
    "report_checks",
    "issued_warnings",
    "warning_acks",
];
/// Reference data the projections point at, copied into the replay database first.
const REFERENCE: &[&str] = &[
    "venue_types",
    "hazard_areas",
    "venues",
    "checklist_templates",
    "checklist_items",
];

/// Applies one event to the projections.
pub fn apply(tx: &Transaction<'_>, event: &EventEnvelope) -> Result<()> {
    let at = &event.device_time;
    let domain = DomainEvent::from_envelope(event).map_err(|e| {
        Error::InvalidInput(format!(
            "event {} ({}) cannot be read: {e}",
            event.device_seq, event.kind
        ))
    })?;
    match domain {
        DomainEvent::InspectionStarted(e) => {
            tx.execute(
                "INSERT INTO inspections (inspection_id, venue_id, template_id, template_version,
                     status, started_at)
                 VALUES (?1, ?2, ?3, ?4, 'in_progress', ?5)",
                params![
                    e.inspection_id,
                    e.venue_id,
                    e.template_id,
                    e.template_version,
                    at
                ],
            )?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO inspection_items (inspection_id, item_id) VALUES (?1, ?2)",
            )?;
            for item in &e.items {
                stmt.execute(params![e.inspection_id, item])?;
            }
        }
        DomainEvent::InspectionAnswered(e) => {
            tx.execute(
                "INSERT INTO answers (inspection_id, item_id, result, note, suspected_major, answered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (inspection_id, item_id) DO UPDATE SET result = excluded.result,
                     note = excluded.note, suspected_major = excluded.suspected_major,
                     answered_at = excluded.answered_at",
                params![
                    e.inspection_id,
                    e.item_id,
                    text_enum::to_text(&e.verdict),
                    e.note,
                    e.suspected_major,
                    at
                ],
            )?;
        }
        DomainEvent::InspectionFinished(e) => {
            tx.execute(
                "UPDATE inspections SET status = 'finished', finished_at = ?2 WHERE inspection_id = ?1",
                params![e.inspection_id, at],
            )?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO hazards (hazard_id, inspection_id, venue_id, item_id, area, grade,
                     status, note, reported_at)
                 SELECT ?1, inspection_id, venue_id, ?2, ?3, ?4, ?5, ?6, ?7
                 FROM inspections WHERE inspection_id = ?8",
            )?;
            for h in &e.hazards {
                stmt.execute(params![
                    h.hazard_id,
                    h.item_id,
                    h.area,
                    text_enum::to_text(&h.grade),
                    REPORTED,
                    h.note,
                    at,
                    e.inspection_id
                ])?;
            }
        }
        DomainEvent::EvidenceAdded(e) => {
            let loc = e.location.as_ref();
            tx.execute(
                "INSERT OR IGNORE INTO evidence (sha256, bytes, width, height, original_sha256,
                     original_bytes, captured_at, latitude, longitude, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    e.sha256,
                    e.bytes,
                    e.width,
                    e.height,
                    e.original_sha256,
                    e.original_bytes,
                    e.captured_at,
                    loc.map(|p| p.latitude),
                    loc.map(|p| p.longitude),
                    at
                ],
            )?;
        }
        DomainEvent::EvidenceAttached(e) => {
            let (inspection_id, item_id, hazard_id, report_id) = match &e.target {
                EvidenceTarget::Answer {
                    inspection_id,
                    item_id,
                } => (Some(inspection_id), Some(item_id), None, None),
                EvidenceTarget::Hazard { hazard_id } => (None, None, Some(hazard_id), None),
                EvidenceTarget::Report { report_id } => (None, None, None, Some(report_id)),
            };
            tx.execute(
                "INSERT OR IGNORE INTO evidence_links (sha256, inspection_id, item_id, hazard_id,
                     report_id, attached_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![e.sha256, inspection_id, item_id, hazard_id, report_id, at],
            )?;
        }
        DomainEvent::VenueScanned(e) => super::scans::project(tx, &e, at)?,
        DomainEvent::HazardTransitioned(e) => {
            super::lifecycle::project(tx, event.device_seq, &event.event_id, &e, at)?
        }
        DomainEvent::ReportSubmitted(e) => super::reports::project_submitted(tx, &e, at)?,
        DomainEvent::ReportChecked(e) => super::reports::project_checked(tx, &e, at)?,
        DomainEvent::WarningIssued(e) => super::warnings::project_issued(tx, &e, at)?,
        DomainEvent::WarningAcknowledged(e) => super::warnings::project_acknowledged(tx, &e, at)?,
    }
    Ok(())
}

/// Replays the journal of the database at `db_path` on top of its reference data into a scratch
/// database and returns every row where the stored projections differ (empty when they agree).
/// Everything is read from one snapshot of the file.
pub fn differences(db_path: &std::path::Path) -> Result<Vec<String>> {
    let mut scratch = crate::store::scratch()?;
    scratch.execute("ATTACH DATABASE ?1 AS src", [db_path.to_string_lossy()])?;
    let tx = scratch.transaction()?;
    for table in REFERENCE.iter().chain(["events"].iter()) {
        tx.execute(
            &format!("INSERT INTO main.{table} SELECT * FROM src.{table}"),
            [],
        )?;
    }
    for event in crate::journal::load_all(&tx)? {
        apply(&tx, &event)?;
    }
    let mut out = Vec::new();
    for table in PROJECTIONS {
        for (only_in, a, b) in [
            ("journal replay", "main", "src"),
            ("stored tables", "src", "main"),
        ] {
            let sql = format!("SELECT * FROM {a}.{table} EXCEPT SELECT * FROM {b}.{table}");
            out.extend(
                rows_only_in(&tx, &sql)?
                    .into_iter()
                    .map(|row| format!("{table}: only in the {only_in}: {row}")),
            );
        }
    }
    Ok(out)
}

fn rows_only_in(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let n = stmt.column_count();
    let rows = stmt.query_map([], |r| {
        (0..n)
            .map(|i| Ok(format!("{:?}", r.get_ref(i)?)))
            .collect::<rusqlite::Result<Vec<_>>>()
            .map(|cells| cells.join(" | "))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
