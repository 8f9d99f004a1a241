//! Residents' reports (DOMAIN.md "Resident reports") on both kinds of phone. A resident's device
//! records `report.submitted` and follows the report through the steps the server sends back
//! (`MyReport`: status and steps, nothing else). A worker's device sees the reports dispatched
//! to its grids (`ReportForGrid`: never the reporter) and records `report.checked`: a hazard
//! (REPORTED, actionable at once) or no hazard with a reason.

use gridpatrol_proto::events::DomainEvent;
use gridpatrol_proto::reports::{
    MyReport, ReportCategory, ReportChecked, ReportForGrid, ReportOutcome, ReportStatus,
    ReportSubmitted,
};
use gridpatrol_proto::sync::Role;
use gridpatrol_proto::venue_token;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::{optional_text, required_text, MAX_TEXT_CHARS};
use crate::api::records::{CoordSystem, GeoPoint};
use crate::api::report_records::{MyReportRecord, ReportFinding, ReportRecord};
use crate::error::{Error, Result};
use crate::store::text_enum;

/// Plans a resident's report with the id `report_id`.
pub fn plan_submit(
    role: Option<Role>,
    report_id: &str,
    category: ReportCategory,
    description: String,
    location: Option<GeoPoint>,
    venue_token: Option<String>,
) -> Result<DomainEvent> {
    if role != Some(Role::Resident) {
        return Err(Error::InvalidInput(
            "reports are sent from a resident account: enroll as a resident first".into(),
        ));
    }
    let description = required_text("the description", description, MAX_TEXT_CHARS)?;
    if let Some(p) = &location {
        let ok = p.latitude.is_finite()
            && p.longitude.is_finite()
            && (-90.0..=90.0).contains(&p.latitude)
            && (-180.0..=180.0).contains(&p.longitude);
        if !ok {
            return Err(Error::InvalidInput(
                "the location is not a valid point".into(),
            ));
        }
    }
    let venue_token = match venue_token.filter(|t| !t.trim().is_empty()) {
        None => None,
        Some(scanned) => {
            let token = venue_token::token_from_scan(&scanned)
                .and_then(|t| venue_token::parse(t).map(|_| t))
                .map_err(|e| Error::InvalidInput(format!("the scanned venue code: {e}")))?;
            Some(token.to_owned())
        }
    };
    Ok(DomainEvent::ReportSubmitted(ReportSubmitted {
        report_id: report_id.to_owned(),
        category,
        description,
        location,
        venue_token,
    }))
}

/// Plans a worker's check of a report dispatched to their grids; `new_hazard_id` names the
/// hazard a `Hazard` finding opens.
pub fn plan_check(
    tx: &Transaction<'_>,
    role: Role,
    report_id: &str,
    finding: ReportFinding,
    new_hazard_id: &str,
) -> Result<DomainEvent> {
    if role == Role::Resident {
        return Err(Error::InvalidInput(
            "a resident may not check a report".into(),
        ));
    }
    let status: ReportStatus = tx
        .query_row(
            "SELECT status FROM grid_reports WHERE report_id = ?1",
            [report_id],
            |r| text_enum::get(r, 0),
        )
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "report '{report_id}' is not among your grids' reports: sync first"
            ))
        })?;
    let checked_here: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM report_checks WHERE report_id = ?1)",
        [report_id],
        |r| r.get(0),
    )?;
    if checked_here || !matches!(status, ReportStatus::Received | ReportStatus::Dispatched) {
        return Err(Error::Conflict(format!(
            "report '{report_id}' was already checked"
        )));
    }
    let outcome = match finding {
        ReportFinding::Hazard {
            venue_id,
            area,
            grade,
            note,
        } => {
            let venue: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM venues WHERE venue_id = ?1)",
                [&venue_id],
                |r| r.get(0),
            )?;
            if !venue {
                return Err(Error::NotFound(format!(
                    "venue '{venue_id}' is not in this device's list"
                )));
            }
            let known_area: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM hazard_areas WHERE code = ?1)",
                [&area],
                |r| r.get(0),
            )?;
            if !known_area {
                return Err(Error::InvalidInput(format!("unknown hazard area '{area}'")));
            }
            ReportOutcome::Hazard {
                hazard_id: new_hazard_id.to_owned(),
                venue_id,
                area,
                grade,
                note: optional_text("the note", note, MAX_TEXT_CHARS)?,
            }
        }
        ReportFinding::NoHazard { reason } => ReportOutcome::NoHazard {
            reason: required_text("the reason", reason, MAX_TEXT_CHARS)?,
        },
    };
    Ok(DomainEvent::ReportChecked(ReportChecked {
        report_id: report_id.to_owned(),
        outcome,
    }))
}

/// Projects `report.submitted` recorded at `at`.
pub fn project_submitted(tx: &Transaction<'_>, e: &ReportSubmitted, at: &str) -> Result<()> {
    let loc = e.location.as_ref();
    tx.execute(
        "INSERT INTO submitted_reports (report_id, category, description, latitude, longitude,
             coord_system, venue_token, submitted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            e.report_id,
            text_enum::to_text(&e.category),
            e.description,
            loc.map(|p| p.latitude),
            loc.map(|p| p.longitude),
            loc.map(|p| text_enum::to_text(&p.coord_system)),
            e.venue_token,
            at
        ],
    )?;
    Ok(())
}

/// Projects `report.checked` recorded at `at`.
pub fn project_checked(tx: &Transaction<'_>, e: &ReportChecked, at: &str) -> Result<()> {
    let (outcome, hazard_id, venue_id, area, grade, note) = match &e.outcome {
        ReportOutcome::Hazard {
            hazard_id,
            venue_id,
            area,
            grade,
            note,
        } => (
            "hazard",
            Some(hazard_id),
            Some(venue_id),
            Some(area),
            Some(text_enum::to_text(grade)),
            note.as_ref(),
        ),
        ReportOutcome::NoHazard { reason } => ("no_hazard", None, None, None, None, Some(reason)),
    };
    tx.execute(
        "INSERT INTO report_checks (report_id, outcome, hazard_id, venue_id, area, grade, note,
             checked_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            e.report_id,
            outcome,
            hazard_id,
            venue_id,
            area,
            grade,
            note,
            at
        ],
    )?;
    Ok(())
}

/// Stores a report of this user's grids from change `server_seq` (older changes are ignored).
pub fn store_for_grid(tx: &Transaction<'_>, r: &ReportForGrid, server_seq: u64) -> Result<()> {
    let loc = r.location.as_ref();
    tx.execute(
        "INSERT INTO grid_reports (report_id, category, description, latitude, longitude,
             coord_system, venue_id, grid, status, photos, received_at, hazard_id, server_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (report_id) DO UPDATE SET category = excluded.category,
             description = excluded.description, latitude = excluded.latitude,
             longitude = excluded.longitude, coord_system = excluded.coord_system,
             venue_id = excluded.venue_id, grid = excluded.grid, status = excluded.status,
             photos = excluded.photos, received_at = excluded.received_at,
             hazard_id = excluded.hazard_id, server_seq = excluded.server_seq
         WHERE excluded.server_seq > grid_reports.server_seq",
        params![
            r.report_id,
            text_enum::to_text(&r.category),
            r.description,
            loc.map(|p| p.latitude),
            loc.map(|p| p.longitude),
            loc.map(|p| text_enum::to_text(&p.coord_system)),
            r.venue_id,
            r.grid,
            text_enum::to_text(&r.status),
            serde_json::to_string(&r.photos)?,
            r.received_at,
            r.hazard_id,
            server_seq
        ],
    )?;
    Ok(())
}

/// Stores one of the resident's own reports from change `server_seq`.
pub fn store_mine(tx: &Transaction<'_>, r: &MyReport, server_seq: u64) -> Result<()> {
    tx.execute(
        "INSERT INTO my_reports (report_id, category, description, status, steps, server_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (report_id) DO UPDATE SET category = excluded.category,
             description = excluded.description, status = excluded.status,
             steps = excluded.steps, server_seq = excluded.server_seq
         WHERE excluded.server_seq > my_reports.server_seq",
        params![
            r.report_id,
            text_enum::to_text(&r.category),
            r.description,
            text_enum::to_text(&r.status),
            serde_json::to_string(&r.steps)?,
            server_seq
        ],
    )?;
    Ok(())
}

fn point(r: &Row<'_>, lat: usize) -> rusqlite::Result<Option<GeoPoint>> {
    let latitude: Option<f64> = r.get(lat)?;
    let longitude: Option<f64> = r.get(lat + 1)?;
    let system: Option<CoordSystem> = match r.get::<_, Option<String>>(lat + 2)? {
        Some(_) => Some(text_enum::get(r, lat + 2)?),
        None => None,
    };
    Ok(match (latitude, longitude, system) {
        (Some(latitude), Some(longitude), Some(coord_system)) => Some(GeoPoint {
            latitude,
            longitude,
            coord_system,
        }),
        _ => None,
    })
}

const SELECT_FOR_GRID: &str = "
    SELECT g.report_id, g.category, g.description, g.latitude, g.longitude, g.coord_system,
           g.venue_id, v.name, g.grid, g.status, g.photos, g.received_at,
           coalesce(g.hazard_id, c.hazard_id), c.report_id IS NOT NULL
    FROM grid_reports g
    LEFT JOIN report_checks c ON c.report_id = g.report_id
    LEFT JOIN venues v ON v.venue_id = g.venue_id";

fn for_grid_row(r: &Row<'_>) -> rusqlite::Result<ReportRecord> {
    let photos: String = r.get(10)?;
    Ok(ReportRecord {
        report_id: r.get(0)?,
        category: text_enum::get(r, 1)?,
        description: r.get(2)?,
        location: point(r, 3)?,
        venue_id: r.get(6)?,
        venue_name: r.get(7)?,
        grid: r.get(8)?,
        status: text_enum::get(r, 9)?,
        photos: serde_json::from_str(&photos).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(10, rusqlite::types::Type::Text, e.into())
        })?,
        received_at: r.get(11)?,
        hazard_id: r.get(12)?,
        checked_here: r.get(13)?,
    })
}

/// The reports of this worker's grids: those still to check first, then newest first.
pub fn for_grid(conn: &Connection) -> Result<Vec<ReportRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_FOR_GRID}
         ORDER BY (c.report_id IS NULL AND g.status IN ('received', 'dispatched')) DESC,
                  g.received_at DESC, g.report_id"
    ))?;
    let rows = stmt.query_map([], for_grid_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One report of this worker's grids.
pub fn one_for_grid(conn: &Connection, report_id: &str) -> Result<ReportRecord> {
    conn.prepare_cached(&format!("{SELECT_FOR_GRID} WHERE g.report_id = ?1"))?
        .query_row([report_id], for_grid_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("report '{report_id}' does not exist")))
}

/// The resident's own reports, newest first: what the server said about each, and those this
/// device sent that the server has not reported back yet.
pub fn mine(conn: &Connection) -> Result<Vec<MyReportRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(m.report_id, s.report_id), coalesce(m.category, s.category),
                coalesce(m.description, s.description), m.status, m.steps, s.submitted_at
         FROM submitted_reports s LEFT JOIN my_reports m ON m.report_id = s.report_id
         UNION ALL
         SELECT m.report_id, m.category, m.description, m.status, m.steps, NULL
         FROM my_reports m
         WHERE NOT EXISTS (SELECT 1 FROM submitted_reports s WHERE s.report_id = m.report_id)
         ORDER BY 1 DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        let status = match r.get::<_, Option<String>>(3)? {
            Some(_) => Some(text_enum::get(r, 3)?),
            None => None,
        };
        Ok((
            MyReportRecord {
                report_id: r.get(0)?,
                category: text_enum::get(r, 1)?,
                description: r.get(2)?,
                status,
                steps: Vec::new(),
                submitted_at: r.get(5)?,
            },
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut report, steps) = row?;
        if let Some(steps) = steps {
            report.steps = serde_json::from_str(&steps)?;
        }
        out.push(report);
    }
    Ok(out)
}

/// Whether this device submitted the report (a resident's photos attach to it).
pub fn submitted_here(conn: &Connection, report_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM submitted_reports WHERE report_id = ?1)",
        [report_id],
        |r| r.get(0),
    )?)
}
