//! Residents' reports (DOMAIN.md "Resident reports"): from the app (`report.submitted`, photos as
//! `evidence.attached` with a report target) or the venue page's web form. A report is
//! dispatched to the grid of the venue whose code was scanned (its signature checked with the
//! server's own keys), else of the nearest venue within the district's radius, else to the
//! street's supervisors; a device (or web client) over the hourly limit is refused. A grid
//! worker's `report.checked` opens a hazard or closes it as no hazard. The reporter sees each
//! step (`MyReport`, server times, no names); the grid sees the report (`ReportForGrid`),
//! never the reporter.

use chrono::{DateTime, Duration, Utc};
use ed25519_dalek::VerifyingKey;
use gridpatrol_proto::geo::metres_between;
use gridpatrol_proto::hazard_flow::HazardStatus;
use gridpatrol_proto::reference::{GeoPoint, Venue};
use gridpatrol_proto::reports::{
    MyReport, ReportChecked, ReportForGrid, ReportOutcome, ReportStatus, ReportStep,
    ReportSubmitted,
};
use gridpatrol_proto::sync::{ChangeBody, Role};
use gridpatrol_proto::venue_token;
use gridpatrol_proto::EventEnvelope;
use rusqlite::{params, OptionalExtension, Transaction};

use super::deadlines::{rules, rules_for_grid};
use super::feed::{append_change, append_street_change, append_user_change};
use super::hazards::{append_hazard_change, enum_text, parse_text};
use super::lifecycle::{create, NewHazard};
use super::projection::{Applied, Outcome, Refusal};
use super::reference;
use super::ts;
use crate::store::{Caller, ReportRefused, StoreResult, TokenCheck, WebReport};

/// Longest description kept, in characters.
pub const MAX_DESCRIPTION: usize = 2000;

/// Checks a venue code against the server's keys, the venue list and revocations.
pub fn check_token(tx: &Transaction<'_>, token: &str) -> StoreResult<TokenCheck> {
    let invalid = |why: &str| Ok(TokenCheck::Invalid(why.to_owned()));
    let parsed = match venue_token::parse(token) {
        Ok(parsed) => parsed,
        Err(e) => return Ok(TokenCheck::Invalid(e.to_string())),
    };
    let claim = parsed.claim.clone();
    let key: Option<(String, bool)> = tx
        .query_row(
            "SELECT public_key, revoked FROM signing_keys WHERE key_id = ?1",
            [claim.key_id],
            |r| r.try_into(),
        )
        .optional()?;
    let Some((public_key, revoked)) = key else {
        return invalid("the code was signed with a key this server does not know");
    };
    if revoked {
        return invalid("the key that signed this code is revoked");
    }
    let key: VerifyingKey = match venue_token::decode_public_key(&public_key) {
        Ok(key) => key,
        Err(_) => return invalid("the server's key is unreadable"),
    };
    if parsed.verify(&key).is_err() {
        return invalid("the code's signature is not valid (forged or altered)");
    }
    let Some(venue) = reference::venue(tx, &claim.venue_id)? else {
        return invalid("the venue of this code is not known");
    };
    let before: Option<u32> = tx
        .query_row(
            "SELECT before FROM venue_code_revocations WHERE venue_id = ?1",
            [&claim.venue_id],
            |r| r.get(0),
        )
        .optional()?;
    if before.is_some_and(|before| claim.issued_at < before) {
        return invalid("this code was revoked (a newer code replaces it)");
    }
    Ok(TokenCheck::Valid(Box::new(venue)))
}

/// Where a report goes.
struct Dispatch {
    venue_id: Option<String>,
    /// `None`: no venue near enough; the street's supervisors.
    grid: Option<String>,
    street: String,
    district: String,
}

fn dispatch(
    tx: &Transaction<'_>,
    token: Option<&str>,
    location: Option<&GeoPoint>,
) -> StoreResult<Option<Dispatch>> {
    if let Some(token) = token {
        if let TokenCheck::Valid(venue) = check_token(tx, token)? {
            let venue = *venue;
            return Ok(Some(Dispatch {
                venue_id: Some(venue.venue_id),
                grid: Some(venue.grid),
                street: venue.street,
                district: venue.district,
            }));
        }
    }
    let Some(location) = location else {
        return Ok(None);
    };
    let nearest = reference::all_venues(tx)?
        .into_iter()
        .filter_map(|v| {
            let at = v.location.as_ref()?;
            Some((metres_between(location, at), v))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let Some((metres, venue)) = nearest else {
        return Ok(None);
    };
    let radius = rules(tx, &venue.district)?.dispatch_radius_m;
    Ok(Some(Dispatch {
        venue_id: None,
        grid: (metres <= radius).then(|| venue.grid.clone()),
        street: venue.street,
        district: venue.district,
    }))
}

/// A report row as both views need it.
struct ReportRow {
    report_id: String,
    user_id: Option<String>,
    category: String,
    description: String,
    location: Option<String>,
    venue_id: Option<String>,
    grid: Option<String>,
    street: Option<String>,
    status: String,
    hazard_id: Option<String>,
    received_at: String,
}

fn report_row(tx: &Transaction<'_>, report_id: &str) -> StoreResult<Option<ReportRow>> {
    Ok(tx
        .query_row(
            "SELECT report_id, user_id, category, description, location, venue_id, grid, street,
                    status, hazard_id, received_at
             FROM reports WHERE report_id = ?1",
            [report_id],
            |r| {
                Ok(ReportRow {
                    report_id: r.get(0)?,
                    user_id: r.get(1)?,
                    category: r.get(2)?,
                    description: r.get(3)?,
                    location: r.get(4)?,
                    venue_id: r.get(5)?,
                    grid: r.get(6)?,
                    street: r.get(7)?,
                    status: r.get(8)?,
                    hazard_id: r.get(9)?,
                    received_at: r.get(10)?,
                })
            },
        )
        .optional()?)
}

fn add_step(
    tx: &Transaction<'_>,
    report_id: &str,
    status: ReportStatus,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO report_steps (report_id, step_no, status, at, note)
         VALUES (?1, (SELECT COALESCE(MAX(step_no), -1) + 1 FROM report_steps
                      WHERE report_id = ?1), ?2, ?3, ?4)",
        params![report_id, enum_text(&status), ts(now), note],
    )?;
    tx.execute(
        "UPDATE reports SET status = ?2 WHERE report_id = ?1",
        params![report_id, enum_text(&status)],
    )?;
    Ok(())
}

/// The reporter's view: their report and its steps, nothing else.
pub fn my_report(tx: &Transaction<'_>, report_id: &str) -> StoreResult<Option<MyReport>> {
    let Some(row) = report_row(tx, report_id)? else {
        return Ok(None);
    };
    let mut stmt = tx.prepare_cached(
        "SELECT status, at, note FROM report_steps WHERE report_id = ?1 ORDER BY step_no",
    )?;
    let steps = stmt
        .query_map([report_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
        })?
        .map(|r| {
            let (status, at, note) = r?;
            Ok(ReportStep {
                status: parse_text(&status)?,
                at,
                note,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Some(MyReport {
        report_id: row.report_id,
        category: parse_text(&row.category)?,
        description: row.description,
        status: parse_text(&row.status)?,
        steps,
    }))
}

fn for_grid(tx: &Transaction<'_>, row: &ReportRow) -> StoreResult<ReportForGrid> {
    let mut stmt =
        tx.prepare_cached("SELECT sha256 FROM report_photos WHERE report_id = ?1 ORDER BY rowid")?;
    let photos = stmt
        .query_map([&row.report_id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(ReportForGrid {
        report_id: row.report_id.clone(),
        category: parse_text(&row.category)?,
        description: row.description.clone(),
        location: row
            .location
            .as_deref()
            .map(serde_json::from_str)
            .transpose()?,
        venue_id: row.venue_id.clone(),
        grid: row.grid.clone().unwrap_or_default(),
        status: parse_text(&row.status)?,
        photos,
        received_at: row.received_at.clone(),
        hazard_id: row.hazard_id.clone(),
    })
}

/// Tells the reporter (their own row) and the grid (or street) what the report is now.
fn announce(tx: &Transaction<'_>, report_id: &str, now: DateTime<Utc>) -> StoreResult<()> {
    let Some(row) = report_row(tx, report_id)? else {
        return Ok(());
    };
    if let (Some(user_id), Some(mine)) = (&row.user_id, my_report(tx, report_id)?) {
        append_user_change(tx, &ChangeBody::MyReport(mine), report_id, user_id, now)?;
    }
    if row.status == enum_text(&ReportStatus::Refused) {
        return Ok(());
    }
    let body = ChangeBody::Report(for_grid(tx, &row)?);
    match (&row.grid, &row.street) {
        (Some(grid), Some(street)) => {
            append_change(tx, &body, report_id, Some((grid, street)), now)
        }
        (None, Some(street)) => append_street_change(tx, &body, report_id, street, now),
        _ => Ok(()),
    }
}

/// Reports of `rate_key` in the hour before `now` that were taken (not refused).
fn reports_last_hour(tx: &Transaction<'_>, rate_key: &str, now: DateTime<Utc>) -> StoreResult<u32> {
    Ok(tx.query_row(
        "SELECT COUNT(*) FROM reports WHERE rate_key = ?1 AND received_at > ?2
           AND status != 'refused'",
        params![rate_key, ts(now - Duration::hours(1))],
        |r| r.get(0),
    )?)
}

fn refused(reason: impl Into<String>) -> StoreResult<Applied> {
    Ok(Ok(Outcome {
        refused: Some(reason.into()),
        conflict_with: None,
    }))
}

/// `report.submitted` from a resident's device.
pub fn submitted(
    tx: &Transaction<'_>,
    caller: &Caller,
    e: &ReportSubmitted,
    now: DateTime<Utc>,
) -> StoreResult<Applied> {
    if caller.role != Role::Resident {
        return refused("reports are sent by residents; grid staff record hazards by inspecting");
    }
    if report_row(tx, &e.report_id)?.is_some() {
        return Ok(Err(Refusal::Rejected(format!(
            "report id {} is already in use",
            e.report_id
        ))));
    }
    let description: String = e.description.trim().chars().take(MAX_DESCRIPTION).collect();
    let route = dispatch(tx, e.venue_token.as_deref(), e.location.as_ref())?;
    let rate_key = format!("device:{}", caller.device_id);
    let limit = match &route {
        Some(route) => rules(tx, &route.district)?.reports_per_hour,
        None => crate::rules::Rules::default().reports_per_hour,
    };
    let refusal = if reports_last_hour(tx, &rate_key, now)? >= limit {
        Some(format!(
            "too many reports from this device: at most {limit} an hour; try again later"
        ))
    } else if route.is_none() {
        Some("a report needs the venue's code or a location".to_owned())
    } else {
        None
    };
    tx.execute(
        "INSERT INTO reports (report_id, source, user_id, device_id, rate_key, category,
             description, location, venue_id, grid, street, status, received_at)
         VALUES (?1, 'app', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'received', ?11)",
        params![
            e.report_id,
            caller.user_id,
            caller.device_id,
            rate_key,
            enum_text(&e.category),
            description,
            e.location.as_ref().map(serde_json::to_string).transpose()?,
            route.as_ref().and_then(|r| r.venue_id.clone()),
            route.as_ref().and_then(|r| r.grid.clone()),
            route.as_ref().map(|r| r.street.clone()),
            ts(now)
        ],
    )?;
    add_step(tx, &e.report_id, ReportStatus::Received, None, now)?;
    match &refusal {
        Some(reason) => add_step(tx, &e.report_id, ReportStatus::Refused, Some(reason), now)?,
        None => add_step(tx, &e.report_id, ReportStatus::Dispatched, None, now)?,
    }
    announce(tx, &e.report_id, now)?;
    Ok(Ok(Outcome {
        refused: refusal,
        conflict_with: None,
    }))
}

/// A photo of a report, attached on the reporter's device.
pub fn photo_attached(
    tx: &Transaction<'_>,
    caller: &Caller,
    sha256: &str,
    report_id: &str,
    now: DateTime<Utc>,
) -> StoreResult<Applied> {
    let Some(row) = report_row(tx, report_id)? else {
        return refused(format!("report {report_id} is unknown to the server"));
    };
    if row.user_id.as_deref() != Some(caller.user_id.as_str()) {
        return Ok(Err(Refusal::Forbidden(format!(
            "report {report_id} is not yours"
        ))));
    }
    tx.execute(
        "INSERT OR IGNORE INTO report_photos (report_id, sha256) VALUES (?1, ?2)",
        params![report_id, sha256],
    )?;
    announce(tx, report_id, now)?;
    Ok(Ok(Outcome::default()))
}

/// `report.checked` by a worker of the report's grid (or a supervisor of its street).
pub fn checked(
    tx: &Transaction<'_>,
    caller: &Caller,
    event: &EventEnvelope,
    e: &ReportChecked,
    now: DateTime<Utc>,
) -> StoreResult<Applied> {
    let Some(row) = report_row(tx, &e.report_id)? else {
        return refused(format!("report {} is unknown to the server", e.report_id));
    };
    let street = row.street.clone().unwrap_or_default();
    if caller.role == Role::Resident
        || !caller
            .scope()
            .covers(row.grid.as_deref().unwrap_or_default(), &street)
    {
        return Ok(Err(Refusal::Forbidden(format!(
            "report {} is outside your grids",
            e.report_id
        ))));
    }
    if row.status != enum_text(&ReportStatus::Dispatched) {
        return refused(format!(
            "report {} was already checked (it is {})",
            e.report_id, row.status
        ));
    }
    match &e.outcome {
        ReportOutcome::NoHazard { reason } => {
            if reason.trim().is_empty() {
                return refused("closing a report as no hazard needs a reason");
            }
            add_step(
                tx,
                &e.report_id,
                ReportStatus::NoHazard,
                Some(reason.trim()),
                now,
            )?;
        }
        ReportOutcome::Hazard {
            hazard_id,
            venue_id,
            area,
            grade,
            note,
        } => {
            let Some(venue) = reference::venue(tx, venue_id)? else {
                return Ok(Err(Refusal::Forbidden(format!(
                    "venue {venue_id} is unknown to the server, so not in your grids"
                ))));
            };
            if !caller.scope().covers(&venue.grid, &venue.street) {
                return Ok(Err(Refusal::Forbidden(format!(
                    "venue {venue_id} is outside your grids"
                ))));
            }
            let note = note.clone().unwrap_or_else(|| row.description.clone());
            let created = create(
                tx,
                &NewHazard {
                    hazard_id,
                    inspection_id: None,
                    item_id: None,
                    report_id: Some(&e.report_id),
                    venue_id,
                    grid: &venue.grid,
                    street: &venue.street,
                    area,
                    grade: *grade,
                    note: Some(&note),
                    reported_at: &event.device_time,
                    found_by: caller,
                    event_id: &event.event_id,
                },
                now,
            )?;
            if !created {
                return Ok(Err(Refusal::Rejected(format!(
                    "hazard id {hazard_id} is already in use"
                ))));
            }
            tx.execute(
                "UPDATE reports SET hazard_id = ?2 WHERE report_id = ?1",
                params![e.report_id, hazard_id],
            )?;
            add_step(tx, &e.report_id, ReportStatus::HazardOpened, None, now)?;
            append_hazard_change(tx, hazard_id, now)?;
        }
    }
    announce(tx, &e.report_id, now)?;
    Ok(Ok(Outcome::default()))
}

/// The hazard a report opened moved: the reporter learns when it is closed, or dismissed.
pub fn hazard_moved(
    tx: &Transaction<'_>,
    report_id: &str,
    to: HazardStatus,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let step = match to {
        HazardStatus::Closed => (ReportStatus::HazardClosed, None),
        HazardStatus::Dismissed => (ReportStatus::NoHazard, note),
        _ => return Ok(()),
    };
    add_step(tx, report_id, step.0, step.1, now)?;
    announce(tx, report_id, now)
}

/// A report from the web form (the venue is already verified from its code).
pub fn web_report(
    tx: &Transaction<'_>,
    report: &WebReport,
    now: DateTime<Utc>,
) -> StoreResult<Result<(), ReportRefused>> {
    let venue: Venue = reference::venue(tx, &report.venue_id)?.ok_or_else(|| {
        crate::store::StoreError::NotFound(format!("no venue '{}'", report.venue_id))
    })?;
    let limit = rules_for_grid(tx, &venue.grid)?.reports_per_hour;
    if reports_last_hour(tx, &report.rate_key, now)? >= limit {
        return Ok(Err(ReportRefused(format!(
            "提交过于频繁：每小时最多 {limit} 条，请稍后再试"
        ))));
    }
    tx.execute(
        "INSERT INTO reports (report_id, source, rate_key, category, description, venue_id,
             grid, street, status, secret_hash, phone, received_at)
         VALUES (?1, 'web', ?2, ?3, ?4, ?5, ?6, ?7, 'received', ?8, ?9, ?10)",
        params![
            report.report_id,
            report.rate_key,
            enum_text(&report.category),
            report
                .description
                .trim()
                .chars()
                .take(MAX_DESCRIPTION)
                .collect::<String>(),
            venue.venue_id,
            venue.grid,
            venue.street,
            report.secret_hash,
            report.phone,
            ts(now)
        ],
    )?;
    for sha256 in &report.photos {
        tx.execute(
            "INSERT OR IGNORE INTO report_photos (report_id, sha256) VALUES (?1, ?2)",
            params![report.report_id, sha256],
        )?;
    }
    add_step(tx, &report.report_id, ReportStatus::Received, None, now)?;
    add_step(tx, &report.report_id, ReportStatus::Dispatched, None, now)?;
    announce(tx, &report.report_id, now)?;
    Ok(Ok(()))
}

/// A report for its status link, if the key matches.
pub fn report_status(
    tx: &Transaction<'_>,
    report_id: &str,
    secret_hash: &str,
) -> StoreResult<Option<MyReport>> {
    let stored: Option<Option<String>> = tx
        .query_row(
            "SELECT secret_hash FROM reports WHERE report_id = ?1",
            [report_id],
            |r| r.get(0),
        )
        .optional()?;
    match stored {
        Some(Some(hash)) if hash == secret_hash => my_report(tx, report_id),
        _ => Ok(None),
    }
}
