//! Deadlines, overdue and escalation on the server clock (DOMAIN.md: "Overdue is computed by
//! the server"). Each hazard keeps the deadline that applies in its state (`due_at`): the
//! report deadline of a suspected-major hazard not yet escalated or assigned, the fix deadline
//! while assigned or in progress, the re-check deadline while awaiting it. `overdue` is what
//! the server last computed; [`refresh`] re-evaluates every hazard whose flag is stale (lazily
//! before reads and from the periodic task) and escalates those overdue past the district's
//! grace, each with a change so phones learn it at their next pull.

use chrono::{DateTime, Utc};
use gridpatrol_proto::hazard_flow::HazardStatus;
use rusqlite::{params, OptionalExtension, Transaction};

use super::hazards::{append_hazard_change, parse_text};
use super::lifecycle::add_step;
use super::ts;
use crate::rules::{parse_time, Rules};
use crate::store::StoreResult;

/// The rules of the district a grid is in.
pub fn rules_for_grid(tx: &Transaction<'_>, grid: &str) -> StoreResult<Rules> {
    let body: Option<String> = tx
        .query_row(
            "SELECT r.body FROM district_rules r JOIN grids g ON g.district = r.district
             WHERE g.grid = ?1",
            [grid],
            |r| r.get(0),
        )
        .optional()?;
    parse_rules(body)
}

pub fn rules(tx: &Transaction<'_>, district: &str) -> StoreResult<Rules> {
    let body: Option<String> = tx
        .query_row(
            "SELECT body FROM district_rules WHERE district = ?1",
            [district],
            |r| r.get(0),
        )
        .optional()?;
    parse_rules(body)
}

/// A district's stored rules, or the defaults when it has none.
fn parse_rules(body: Option<String>) -> StoreResult<Rules> {
    Ok(body
        .map(|b| serde_json::from_str(&b))
        .transpose()?
        .unwrap_or_default())
}

pub fn set_rules(
    tx: &Transaction<'_>,
    district: &str,
    rules: &Rules,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    rules
        .validate()
        .map_err(crate::store::StoreError::Invalid)?;
    tx.execute(
        "INSERT INTO district_rules (district, body, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (district) DO UPDATE SET body = excluded.body,
             updated_at = excluded.updated_at",
        params![district, serde_json::to_string(rules)?, ts(now)],
    )?;
    Ok(())
}

struct DueRow {
    grid: String,
    status: HazardStatus,
    suspected_major: bool,
    escalated: bool,
    overdue: bool,
    report_deadline: Option<String>,
    fix_deadline: Option<String>,
    recheck_due: Option<String>,
}

fn due_row(tx: &Transaction<'_>, hazard_id: &str) -> StoreResult<DueRow> {
    let (row, status) = tx.query_row(
        "SELECT grid, status, grade, escalated, overdue, report_deadline, fix_deadline,
                recheck_due
         FROM hazards WHERE hazard_id = ?1",
        [hazard_id],
        |r| {
            let status: String = r.get(1)?;
            let grade: String = r.get(2)?;
            let row = DueRow {
                grid: r.get(0)?,
                status: HazardStatus::Reported,
                suspected_major: grade == "suspected_major",
                escalated: r.get(3)?,
                overdue: r.get(4)?,
                report_deadline: r.get(5)?,
                fix_deadline: r.get(6)?,
                recheck_due: r.get(7)?,
            };
            Ok((row, status))
        },
    )?;
    Ok(DueRow {
        status: parse_text(&status)?,
        ..row
    })
}

/// The deadline that applies to a hazard in its state, if any.
fn applicable_due(row: &DueRow) -> Option<String> {
    use HazardStatus as S;
    match row.status {
        S::AwaitingRecheck => row.recheck_due.clone(),
        S::Assigned | S::InProgress | S::RecheckFailed => row.fix_deadline.clone(),
        S::Reported | S::Verifying | S::Confirmed if row.suspected_major && !row.escalated => {
            row.report_deadline.clone()
        }
        _ => None,
    }
}

/// Re-evaluates one hazard's deadline, overdue flag and automatic escalation at `now`.
/// Returns true when a flag changed (the caller appends the hazard's change).
pub fn recompute(tx: &Transaction<'_>, hazard_id: &str, now: DateTime<Utc>) -> StoreResult<bool> {
    let row = due_row(tx, hazard_id)?;
    let due = applicable_due(&row);
    let due_time = due.as_deref().and_then(parse_time);
    let overdue = due_time.is_some_and(|d| now > d);
    let rules = rules_for_grid(tx, &row.grid)?;
    let escalate =
        overdue && !row.escalated && due_time.is_some_and(|d| now > rules.escalation_at(d));
    let escalate_at = due_time.map(|d| ts(rules.escalation_at(d)));
    tx.execute(
        "UPDATE hazards SET due_at = ?2, overdue = ?3, escalate_at = ?4 WHERE hazard_id = ?1",
        params![hazard_id, due, overdue, escalate_at],
    )?;
    if escalate {
        tx.execute(
            "UPDATE hazards SET escalated = 1 WHERE hazard_id = ?1",
            [hazard_id],
        )?;
        add_step(
            tx,
            hazard_id,
            &super::lifecycle::StepRecord {
                event_id: None,
                device_id: None,
                action: "escalate",
                status: row.status,
                by: "system",
                note: Some(format!(
                    "逾期超过 {} 小时，系统自动升级",
                    rules.escalate_after_overdue_hours
                )),
                photos: &[],
            },
            now,
        )?;
        // Escalating a suspected-major hazard satisfies its report deadline.
        let after = due_row(tx, hazard_id)?;
        let due = applicable_due(&after);
        let due_time = due.as_deref().and_then(parse_time);
        let overdue = due_time.is_some_and(|d| now > d);
        let escalate_at = due_time.map(|d| ts(rules.escalation_at(d)));
        tx.execute(
            "UPDATE hazards SET due_at = ?2, overdue = ?3, escalate_at = ?4 WHERE hazard_id = ?1",
            params![hazard_id, due, overdue, escalate_at],
        )?;
        return Ok(true);
    }
    Ok(overdue != row.overdue)
}

/// Re-evaluates every hazard whose overdue flag may be stale at `now` or that may be due for
/// escalation; appends a change for each that moved. Returns how many moved.
pub fn refresh(tx: &Transaction<'_>, now: DateTime<Utc>) -> StoreResult<usize> {
    let now_text = ts(now);
    let mut stmt = tx.prepare_cached(
        "SELECT hazard_id FROM hazards WHERE due_at IS NOT NULL
           AND ((overdue = 0 AND due_at < ?1) OR (overdue = 1 AND due_at >= ?1))
         UNION
         SELECT hazard_id FROM hazards
         WHERE escalate_at IS NOT NULL AND escalated = 0 AND escalate_at < ?1
         ORDER BY hazard_id",
    )?;
    let candidates = stmt
        .query_map([&now_text], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    drop(stmt);
    let mut moved = 0;
    for hazard_id in candidates {
        if recompute(tx, &hazard_id, now)? {
            append_hazard_change(tx, &hazard_id, now)?;
            moved += 1;
        }
    }
    Ok(moved)
}
