//! The hazard lifecycle on the server (docs/adr/0012-closed-loop.md, 0013): `hazard.transitioned`
//! events applied in `server_seq` order through the shared table `HazardAction::next`, with the
//! caller's role. A transition that cannot be applied is still accepted into the device's chain
//! (the push must not wedge) and reported back as `refused`; one whose `expected_status` the
//! hazard left because another device's transition came first is recorded as a conflict and
//! never applied over it, until a supervisor's `resolve_conflict` keeps one of the two.

use chrono::{DateTime, Utc};
use gridpatrol_proto::events::{HazardGrade, HazardTransitioned};
use gridpatrol_proto::hazard_flow::{HazardAction, HazardStatus};
use gridpatrol_proto::sync::Role;
use gridpatrol_proto::EventEnvelope;
use rusqlite::{params, OptionalExtension, Transaction};

use super::accounts::parse_role;
use super::deadlines::{recompute, rules_for_grid};
use super::hazards::{append_hazard_change, enum_text, parse_text};
use super::projection::{Applied, Outcome, Refusal};
use super::ts;
use crate::rules::parse_time;
use crate::store::{Caller, StoreResult};

/// One applied step, as `hazard_steps` records it.
pub struct StepRecord<'a> {
    pub event_id: Option<&'a str>,
    pub device_id: Option<&'a str>,
    pub action: &'a str,
    pub status: HazardStatus,
    /// A staff name, or `system`.
    pub by: &'a str,
    pub note: Option<String>,
    pub photos: &'a [String],
}

pub fn add_step(
    tx: &Transaction<'_>,
    hazard_id: &str,
    step: &StepRecord<'_>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO hazard_steps (hazard_id, step_no, event_id, device_id, action, status, at,
             by_name, note, photos)
         VALUES (?1, (SELECT COALESCE(MAX(step_no), -1) + 1 FROM hazard_steps
                      WHERE hazard_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            hazard_id,
            step.event_id,
            step.device_id,
            step.action,
            step.status.as_str(),
            ts(now),
            step.by,
            step.note,
            serde_json::to_string(step.photos)?
        ],
    )?;
    Ok(())
}

/// A hazard entering the lifecycle (an inspection's finish, a checked report).
pub struct NewHazard<'a> {
    pub hazard_id: &'a str,
    pub inspection_id: Option<&'a str>,
    pub item_id: Option<&'a str>,
    pub report_id: Option<&'a str>,
    pub venue_id: &'a str,
    pub grid: &'a str,
    pub street: &'a str,
    pub area: &'a str,
    pub grade: HazardGrade,
    pub note: Option<&'a str>,
    /// Device time.
    pub reported_at: &'a str,
    pub found_by: &'a Caller,
    pub event_id: &'a str,
}

/// Inserts a REPORTED hazard with its first step; false when the id is taken. A suspected-major
/// hazard is supervised from the start and has the district's report deadline.
pub fn create(tx: &Transaction<'_>, h: &NewHazard<'_>, now: DateTime<Utc>) -> StoreResult<bool> {
    let major = h.grade == HazardGrade::SuspectedMajor;
    let rules = rules_for_grid(tx, h.grid)?;
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO hazards (hazard_id, inspection_id, item_id, report_id, venue_id,
             grid, street, area, grade, status, note, reported_at, received_at, found_by,
             supervised, report_deadline)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'REPORTED', ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            h.hazard_id,
            h.inspection_id,
            h.item_id,
            h.report_id,
            h.venue_id,
            h.grid,
            h.street,
            h.area,
            enum_text(&h.grade),
            h.note,
            h.reported_at,
            ts(now),
            h.found_by.user_id,
            major,
            major.then(|| ts(rules.major_report_deadline(now)))
        ],
    )?;
    if inserted == 0 {
        return Ok(false);
    }
    let name = display_name(tx, &h.found_by.user_id)?;
    add_step(
        tx,
        h.hazard_id,
        &StepRecord {
            event_id: Some(h.event_id),
            device_id: Some(&h.found_by.device_id),
            action: "reported",
            status: HazardStatus::Reported,
            by: &name,
            note: h.note.map(str::to_owned),
            photos: &[],
        },
        now,
    )?;
    recompute(tx, h.hazard_id, now)?;
    Ok(true)
}

pub fn display_name(tx: &Transaction<'_>, user_id: &str) -> StoreResult<String> {
    Ok(tx
        .query_row(
            "SELECT display_name FROM users WHERE user_id = ?1",
            [user_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| user_id.to_owned()))
}

/// What the lifecycle needs of a hazard.
struct Current {
    hazard_id: String,
    grid: String,
    street: String,
    status: HazardStatus,
    grade: HazardGrade,
    report_id: Option<String>,
}

fn current(tx: &Transaction<'_>, hazard_id: &str) -> StoreResult<Option<Current>> {
    let row: Option<(String, String, String, String, Option<String>)> = tx
        .query_row(
            "SELECT grid, street, status, grade, report_id FROM hazards WHERE hazard_id = ?1",
            [hazard_id],
            |r| r.try_into(),
        )
        .optional()?;
    row.map(|(grid, street, status, grade, report_id)| {
        Ok(Current {
            hazard_id: hazard_id.to_owned(),
            grid,
            street,
            status: parse_text(&status)?,
            grade: parse_text(&grade)?,
            report_id,
        })
    })
    .transpose()
}

fn refused(reason: impl Into<String>) -> StoreResult<Applied> {
    Ok(Ok(Outcome {
        refused: Some(reason.into()),
        conflict_with: None,
    }))
}

/// The applied transition (of another device) that moved the hazard out of `expected`, if
/// that is why the hazard is no longer there.
fn clashing_event(
    tx: &Transaction<'_>,
    hazard_id: &str,
    expected: HazardStatus,
    device_id: &str,
) -> StoreResult<Option<String>> {
    let found: Option<(Option<String>, Option<String>)> = tx
        .query_row(
            "SELECT event_id, device_id FROM hazard_steps
             WHERE hazard_id = ?1 AND status != ?2
               AND step_no > (SELECT MAX(step_no) FROM hazard_steps
                              WHERE hazard_id = ?1 AND status = ?2)
             ORDER BY step_no LIMIT 1",
            params![hazard_id, expected.as_str()],
            |r| r.try_into(),
        )
        .optional()?;
    Ok(match found {
        Some((Some(event_id), Some(other))) if other != device_id => Some(event_id),
        _ => None,
    })
}

/// Who took a step.
struct Author<'a> {
    event_id: &'a str,
    device_id: &'a str,
    name: String,
}

/// Applies `hazard.transitioned` (see the module docs).
pub fn transition(
    tx: &Transaction<'_>,
    caller: &Caller,
    event: &EventEnvelope,
    e: &HazardTransitioned,
    now: DateTime<Utc>,
) -> StoreResult<Applied> {
    let Some(hazard) = current(tx, &e.hazard_id)? else {
        return refused(format!("hazard {} is unknown to the server", e.hazard_id));
    };
    if !caller.scope().covers(&hazard.grid, &hazard.street) {
        return Ok(Err(Refusal::Forbidden(format!(
            "hazard {} is outside your grids",
            e.hazard_id
        ))));
    }
    let author = Author {
        event_id: &event.event_id,
        device_id: &caller.device_id,
        name: display_name(tx, &caller.user_id)?,
    };
    if let HazardAction::ResolveConflict { keep_event_id } = &e.action {
        if caller.role != Role::Supervisor {
            return refused(
                e.action
                    .next(hazard.status, caller.role)
                    .err()
                    .map_or("only a supervisor resolves conflicts".into(), |e| {
                        e.to_string()
                    }),
            );
        }
        return resolve(tx, &hazard, keep_event_id, &author, e.note.clone(), now);
    }
    let is_flag = matches!(
        e.action,
        HazardAction::Supervise { .. } | HazardAction::Escalate
    );
    if !is_flag && e.expected_status != hazard.status {
        if let Some(other) =
            clashing_event(tx, &hazard.hazard_id, e.expected_status, &caller.device_id)?
        {
            tx.execute(
                "INSERT INTO hazard_conflicts (event_id, hazard_id, conflict_with)
                 VALUES (?1, ?2, ?3)",
                params![event.event_id, hazard.hazard_id, other],
            )?;
            append_hazard_change(tx, &hazard.hazard_id, now)?;
            return Ok(Ok(Outcome {
                refused: None,
                conflict_with: Some(other),
            }));
        }
    }
    let to = match e.action.next(hazard.status, caller.role) {
        Ok(to) => to,
        Err(err) => return refused(err.to_string()),
    };
    match apply_action(tx, &hazard, &e.action, to, &author, e.note.clone(), now)? {
        Ok(()) => {
            append_hazard_change(tx, &hazard.hazard_id, now)?;
            Ok(Ok(Outcome::default()))
        }
        Err(reason) => refused(reason),
    }
}

/// Writes what an allowed action does: the new status, its fields and flags, the step, the
/// deadlines; the reporter's step when a report's hazard settles. `Err` refuses it (nothing
/// written).
fn apply_action(
    tx: &Transaction<'_>,
    hazard: &Current,
    action: &HazardAction,
    to: HazardStatus,
    author: &Author<'_>,
    note: Option<String>,
    now: DateTime<Utc>,
) -> StoreResult<Result<(), String>> {
    // Here, not in the caller: a conflict's kept transition is applied through this too.
    if let Err(err) = action.check_grade(hazard.grade) {
        return Ok(Err(err.to_string()));
    }
    let id = &hazard.hazard_id;
    let rules = rules_for_grid(tx, &hazard.grid)?;
    let mut step_note = note;
    match action {
        HazardAction::Confirm { grade } => {
            tx.execute(
                "UPDATE hazards SET grade = ?2 WHERE hazard_id = ?1",
                params![id, enum_text(grade)],
            )?;
            if *grade == HazardGrade::SuspectedMajor && hazard.grade != HazardGrade::SuspectedMajor
            {
                tx.execute(
                    "UPDATE hazards SET supervised = 1, report_deadline = ?2 WHERE hazard_id = ?1",
                    params![id, ts(rules.major_report_deadline(now))],
                )?;
            }
        }
        HazardAction::Dismiss { reason } => {
            step_note = Some(match step_note {
                Some(n) => format!("{reason}（{n}）"),
                None => reason.clone(),
            });
        }
        HazardAction::Merge { into_hazard_id } => {
            let Some(target) = current(tx, into_hazard_id)? else {
                return Ok(Err(format!(
                    "hazard {into_hazard_id} to merge into is unknown"
                )));
            };
            if target.hazard_id == *id || target.status.is_terminal() {
                return Ok(Err(format!(
                    "a hazard can only be merged into another open hazard, not {into_hazard_id}"
                )));
            }
            if target.street != hazard.street {
                return Ok(Err(format!("hazard {into_hazard_id} is in another street")));
            }
            tx.execute(
                "UPDATE hazards SET merged_into = ?2 WHERE hazard_id = ?1",
                params![id, into_hazard_id],
            )?;
        }
        HazardAction::Assign { owner, deadline } => {
            let deadline = match deadline {
                Some(text) => match parse_time(text) {
                    Some(t) if t > now => t,
                    Some(_) => return Ok(Err("the deadline is already past".into())),
                    None => {
                        return Ok(Err(format!(
                            "the deadline '{text}' is not an RFC 3339 time"
                        )))
                    }
                },
                None => rules.fix_deadline(now),
            };
            tx.execute(
                "UPDATE hazards SET owner = ?2, fix_deadline = ?3 WHERE hazard_id = ?1",
                params![id, owner.trim(), ts(deadline)],
            )?;
        }
        HazardAction::RequestRecheck => {
            tx.execute(
                "UPDATE hazards SET recheck_due = ?2 WHERE hazard_id = ?1",
                params![id, ts(rules.recheck_due(now))],
            )?;
        }
        HazardAction::Refer { department } => {
            tx.execute(
                "UPDATE hazards SET department = ?2 WHERE hazard_id = ?1",
                params![id, department.trim()],
            )?;
        }
        HazardAction::Supervise { on } => {
            tx.execute(
                "UPDATE hazards SET supervised = ?2 WHERE hazard_id = ?1",
                params![id, on],
            )?;
        }
        HazardAction::Escalate => {
            tx.execute(
                "UPDATE hazards SET escalated = 1 WHERE hazard_id = ?1",
                [id],
            )?;
        }
        HazardAction::Verify
        | HazardAction::FixOnSite { .. }
        | HazardAction::Start
        | HazardAction::RecheckPass { .. }
        | HazardAction::RecheckFail { .. }
        | HazardAction::Close
        | HazardAction::ResolveConflict { .. } => {}
    }
    tx.execute(
        "UPDATE hazards SET status = ?2 WHERE hazard_id = ?1",
        params![id, to.as_str()],
    )?;
    let photos: Vec<String> = action.photos().into_iter().map(str::to_owned).collect();
    add_step(
        tx,
        id,
        &StepRecord {
            event_id: Some(author.event_id),
            device_id: Some(author.device_id),
            action: action.name(),
            status: to,
            by: &author.name,
            note: step_note.clone(),
            photos: &photos,
        },
        now,
    )?;
    recompute(tx, id, now)?;
    if let Some(report_id) = &hazard.report_id {
        super::reports::hazard_moved(tx, report_id, to, step_note.as_deref(), now)?;
    }
    Ok(Ok(()))
}

/// `resolve_conflict {keep_event_id}`: keeping the applied transition voids the one that
/// clashed with it; keeping the clashing one applies it from the state its device saw, in
/// place of the applied one — only while that is still the hazard's latest step.
fn resolve(
    tx: &Transaction<'_>,
    hazard: &Current,
    keep: &str,
    author: &Author<'_>,
    note: Option<String>,
    now: DateTime<Utc>,
) -> StoreResult<Applied> {
    let conflict: Option<(String, String)> = tx
        .query_row(
            "SELECT event_id, conflict_with FROM hazard_conflicts
             WHERE hazard_id = ?1 AND state = 'open' AND (event_id = ?2 OR conflict_with = ?2)
             ORDER BY event_id LIMIT 1",
            params![hazard.hazard_id, keep],
            |r| r.try_into(),
        )
        .optional()?;
    let Some((clashing, applied)) = conflict else {
        return refused(format!(
            "no open conflict of hazard {} involves event {keep}",
            hazard.hazard_id
        ));
    };
    let settle = |state: &str| {
        tx.execute(
            "UPDATE hazard_conflicts SET state = ?2, resolved_at = ?3, resolved_by = ?4
             WHERE event_id = ?1",
            params![clashing, state, ts(now), author.event_id],
        )
    };
    let resolution = |kept: &str, void: &str| {
        let text = format!("保留 {kept}，作废 {void}");
        Some(match &note {
            Some(n) => format!("{text}（{n}）"),
            None => text,
        })
    };
    let step = |status, note| StepRecord {
        event_id: Some(author.event_id),
        device_id: Some(author.device_id),
        action: "resolve_conflict",
        status,
        by: &author.name,
        note,
        photos: &[],
    };
    if keep == applied {
        settle("void")?;
        add_step(
            tx,
            &hazard.hazard_id,
            &step(hazard.status, resolution(&applied, &clashing)),
            now,
        )?;
        append_hazard_change(tx, &hazard.hazard_id, now)?;
        return Ok(Ok(Outcome::default()));
    }
    // Keep the clashing transition: it replaces the applied one, which must be the last step.
    // The server's own steps (automatic escalation) and flags change no state: not "moving on".
    let latest: Option<String> = tx
        .query_row(
            "SELECT event_id FROM hazard_steps
             WHERE hazard_id = ?1 AND event_id IS NOT NULL
               AND action NOT IN ('resolve_conflict', 'supervise', 'escalate')
             ORDER BY step_no DESC LIMIT 1",
            [&hazard.hazard_id],
            |r| r.get(0),
        )
        .optional()?;
    if latest.as_deref() != Some(applied.as_str()) {
        return refused(format!(
            "hazard {} has moved on since event {applied}; act on it anew",
            hazard.hazard_id
        ));
    }
    let (payload, user_id, device_id): (String, String, String) = tx.query_row(
        "SELECT payload, user_id, device_id FROM events WHERE event_id = ?1",
        [&clashing],
        |r| r.try_into(),
    )?;
    let kept: HazardTransitioned = serde_json::from_str(&payload)?;
    let role: String = tx.query_row(
        "SELECT role FROM users WHERE user_id = ?1",
        [&user_id],
        |r| r.get(0),
    )?;
    let to = match kept.action.next(kept.expected_status, parse_role(&role)?) {
        Ok(to) => to,
        Err(err) => return refused(format!("event {clashing} cannot be kept: {err}")),
    };
    let from = Current {
        status: kept.expected_status,
        hazard_id: hazard.hazard_id.clone(),
        grid: hazard.grid.clone(),
        street: hazard.street.clone(),
        grade: hazard.grade,
        report_id: hazard.report_id.clone(),
    };
    let kept_author = Author {
        event_id: &clashing,
        device_id: &device_id,
        name: display_name(tx, &user_id)?,
    };
    // Nested savepoint: if the kept action cannot be applied after all, nothing of the
    // resolution stays and the supervisor's event is refused, not rejected.
    tx.execute_batch("SAVEPOINT keep_conflict")?;
    settle("kept")?;
    add_step(
        tx,
        &hazard.hazard_id,
        &step(kept.expected_status, resolution(&clashing, &applied)),
        now,
    )?;
    let applied_kept = apply_action(tx, &from, &kept.action, to, &kept_author, kept.note, now)?;
    if let Err(reason) = applied_kept {
        tx.execute_batch("ROLLBACK TO keep_conflict; RELEASE keep_conflict")?;
        return refused(format!("event {clashing} cannot be kept: {reason}"));
    }
    tx.execute_batch("RELEASE keep_conflict")?;
    append_hazard_change(tx, &hazard.hazard_id, now)?;
    Ok(Ok(Outcome::default()))
}
