//! The hazard lifecycle on the phone (docs/adr/0012-closed-loop.md): what state a hazard is in
//! as far as this device knows, and the `hazard.transitioned` events that move it.
//!
//! The phone's best knowledge of a hazard is the server's ledger row (pulled) with this
//! device's *pending* transitions applied on top, in journal order. A transition is pending
//! while the ledger cannot show it yet: still in the outbox, or acknowledged as applied but not
//! pulled back since. One the server refused or recorded as a conflict is never applied. A
//! hazard the ledger does not hold yet (found here, not synced) starts from REPORTED with every
//! one of this device's unrefused transitions on top.
//!
//! A new action is checked against that state with the shared table
//! (`HazardAction::next(state, role)`), so the phone refuses at once what the server would
//! refuse, in the same words; the state it saw becomes the event's `expected_status`.

use gridpatrol_proto::events::{DomainEvent, HazardTransitioned};
use gridpatrol_proto::hazard_flow::{HazardAction, HazardStatus};
use gridpatrol_proto::sync::{is_sha256_hex, Role};
use rusqlite::{params, Connection, Transaction};

use super::hazard_view;
use super::{optional_text, MAX_TEXT_CHARS};
use crate::api::loop_records::{HazardView, PendingAction};
use crate::api::records::HazardGrade;
use crate::error::{Error, Result};
use crate::store::text_enum;

/// Longest owner or department name accepted, in characters.
const MAX_NAME_CHARS: usize = 200;

/// This device's transitions of a hazard the ledger does not show yet, oldest first.
/// `ledger_has_it`: the server's ledger holds the hazard (else every unrefused one counts).
pub fn pending(
    conn: &Connection,
    hazard_id: &str,
    ledger_has_it: bool,
) -> Result<Vec<PendingAction>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.event_id, t.event_seq, t.detail, t.expected_status, t.to_status, t.note,
                t.recorded_at, o.event_seq IS NOT NULL
         FROM hazard_transitions t LEFT JOIN event_outcomes o ON o.event_seq = t.event_seq
         WHERE t.hazard_id = ?1
           AND (o.event_seq IS NULL
                OR (o.refused IS NULL AND o.conflict_with IS NULL AND (o.pulled = 0 OR ?2)))
         ORDER BY t.event_seq",
    )?;
    let rows = stmt.query_map(params![hazard_id, !ledger_has_it], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, u64>(1)?,
            r.get::<_, String>(2)?,
            text_enum::get::<HazardStatus>(r, 3)?,
            text_enum::get::<HazardStatus>(r, 4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, bool>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (event_id, device_seq, detail, expected_status, to_status, note, recorded_at, sent) =
            row?;
        out.push(PendingAction {
            action: serde_json::from_str(&detail)?,
            event_id,
            device_seq,
            expected_status,
            to_status,
            note,
            recorded_at,
            sent,
        });
    }
    Ok(out)
}

/// The state as far as this device knows, and the pending transitions it includes.
pub fn current(
    conn: &Connection,
    lang: super::Lang,
    hazard_id: &str,
) -> Result<(HazardView, Vec<PendingAction>)> {
    let mut view = hazard_view::base(conn, lang, hazard_id)?;
    let pending = pending(conn, hazard_id, view.server_status.is_some())?;
    for p in &pending {
        overlay(&mut view, &p.action, p.to_status);
    }
    Ok((view, pending))
}

/// What an action does to the view besides the state.
fn overlay(view: &mut HazardView, action: &HazardAction, to: HazardStatus) {
    view.status = to;
    match action {
        HazardAction::Confirm { grade } => view.grade = *grade,
        HazardAction::Assign { owner, deadline } => {
            view.owner = Some(owner.clone());
            if deadline.is_some() {
                view.deadline = deadline.clone();
            }
        }
        HazardAction::Refer { department } => view.department = Some(department.clone()),
        HazardAction::Merge { into_hazard_id } => view.merged_into = Some(into_hazard_id.clone()),
        HazardAction::Supervise { on } => view.supervised = *on,
        HazardAction::Escalate => view.escalated = true,
        // Settled: the server voids the other side; the next pull shows which state stands.
        HazardAction::ResolveConflict { .. } => view.open_conflicts.clear(),
        _ => {}
    }
}

/// Plans `action` on `hazard_id` by a user of `role`: checks it against the current state and
/// the shared table, its photos against the hazard's evidence, and returns the event.
pub fn plan(
    tx: &Transaction<'_>,
    role: Role,
    hazard_id: &str,
    action: HazardAction,
    note: Option<String>,
) -> Result<DomainEvent> {
    let (view, _) = current(tx, super::Lang::En, hazard_id)?;
    let refuse = |why: String| Error::InvalidInput(format!("hazard {hazard_id}: {why}"));
    action
        .next(view.status, role)
        .and_then(|_| action.check_grade(view.grade))
        .map_err(|e| refuse(e.to_string()))?;
    let note =
        optional_text("the note", note, MAX_TEXT_CHARS).map_err(|e| refuse(e.to_string()))?;
    check_fields(tx, hazard_id, &view, &action).map_err(|e| match e {
        Error::InvalidInput(why) => refuse(why),
        other => other,
    })?;
    Ok(DomainEvent::HazardTransitioned(HazardTransitioned {
        hazard_id: hazard_id.to_owned(),
        action,
        expected_status: view.status,
        note,
    }))
}

/// What the table does not check: names and reasons within limits, a parseable deadline, a
/// known hazard to merge into, a conflict to resolve, and photos attached to this hazard.
fn check_fields(
    conn: &Connection,
    hazard_id: &str,
    view: &HazardView,
    action: &HazardAction,
) -> Result<()> {
    let invalid = |why: &str| Err(Error::InvalidInput(why.to_owned()));
    match action {
        HazardAction::Dismiss { reason } if reason.chars().count() > MAX_TEXT_CHARS => {
            return invalid("the reason is too long");
        }
        HazardAction::Assign { owner, deadline } => {
            if owner.chars().count() > MAX_NAME_CHARS {
                return invalid("the owner's name is too long");
            }
            if let Some(d) = deadline {
                if chrono::DateTime::parse_from_rfc3339(d).is_err() {
                    return invalid("the deadline is not an RFC 3339 time");
                }
            }
        }
        HazardAction::Refer { department } if department.chars().count() > MAX_NAME_CHARS => {
            return invalid("the department's name is too long");
        }
        HazardAction::Merge { into_hazard_id } => {
            if into_hazard_id == hazard_id {
                return invalid("a hazard cannot be merged into itself");
            }
            if !hazard_view::exists(conn, into_hazard_id)? {
                return Err(Error::NotFound(format!(
                    "hazard '{into_hazard_id}' does not exist"
                )));
            }
        }
        HazardAction::ResolveConflict { keep_event_id } => {
            if view.open_conflicts.is_empty() {
                return invalid("there is no conflict to resolve");
            }
            if keep_event_id.trim().is_empty() {
                return invalid("name the event whose transition stands");
            }
        }
        HazardAction::FixOnSite { before, after } if before.iter().any(|b| after.contains(b)) => {
            return invalid("the same photo cannot be both before and after the fix");
        }
        _ => {}
    }
    for sha256 in action.photos() {
        if !is_sha256_hex(sha256) {
            return Err(Error::InvalidInput(format!(
                "'{sha256}' is not the SHA-256 of an evidence photo"
            )));
        }
        let attached: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM evidence_links WHERE sha256 = ?1 AND hazard_id = ?2)",
            params![sha256, hazard_id],
            |r| r.get(0),
        )?;
        if !attached {
            return Err(Error::InvalidInput(format!(
                "photo {sha256} is not attached to this hazard: attach it first"
            )));
        }
    }
    Ok(())
}

/// The actions `role` may take on a hazard in `status` (names, e.g. `start`).
pub fn available(status: HazardStatus, role: Role, open_conflicts: bool) -> Vec<String> {
    let photo = || vec!["0".repeat(64)];
    let text = || "-".to_owned();
    let every = [
        HazardAction::Verify,
        HazardAction::Confirm {
            grade: HazardGrade::General,
        },
        HazardAction::Dismiss { reason: text() },
        HazardAction::Merge {
            into_hazard_id: text(),
        },
        HazardAction::FixOnSite {
            before: photo(),
            after: photo(),
        },
        HazardAction::Assign {
            owner: text(),
            deadline: None,
        },
        HazardAction::Start,
        HazardAction::RequestRecheck,
        HazardAction::RecheckPass { photos: photo() },
        HazardAction::RecheckFail { photos: photo() },
        HazardAction::Refer { department: text() },
        HazardAction::Close,
        HazardAction::Supervise { on: true },
        HazardAction::Escalate,
        HazardAction::ResolveConflict {
            keep_event_id: text(),
        },
    ];
    every
        .iter()
        .filter(|a| open_conflicts || !matches!(a, HazardAction::ResolveConflict { .. }))
        .filter(|a| a.next(status, role).is_ok())
        .map(|a| a.name().to_owned())
        .collect()
}

/// Projects `hazard.transitioned` (device_seq `seq`, id `event_id`) recorded at `at`.
pub fn project(
    tx: &Transaction<'_>,
    seq: u64,
    event_id: &str,
    e: &HazardTransitioned,
    at: &str,
) -> Result<()> {
    // A recorded action passed the table for its user; a supervisor may take every action a
    // worker may, so the supervisor's view of the table gives the state it leads to.
    let to = e
        .action
        .next(e.expected_status, Role::Supervisor)
        .map_err(|err| {
            Error::InvalidInput(format!(
                "event {seq} moves hazard {} in a way the lifecycle does not allow: {err}",
                e.hazard_id
            ))
        })?;
    tx.execute(
        "INSERT INTO hazard_transitions (event_seq, event_id, hazard_id, action, detail,
             expected_status, to_status, note, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            seq,
            event_id,
            e.hazard_id,
            e.action.name(),
            serde_json::to_string(&e.action)?,
            e.expected_status.as_str(),
            to.as_str(),
            e.note,
            at
        ],
    )?;
    Ok(())
}

/// How many of this device's transitions each ledger hazard does not show yet.
pub const PENDING_COUNT_SQL: &str = "
    (SELECT count(*) FROM hazard_transitions t LEFT JOIN event_outcomes o
         ON o.event_seq = t.event_seq
     WHERE t.hazard_id = l.hazard_id
       AND (o.event_seq IS NULL
            OR (o.refused IS NULL AND o.conflict_with IS NULL AND o.pulled = 0)))";
