//! Warnings (预警) and 叫应 (DOMAIN.md "Warnings and 叫应"). A supervisor's `warning.issued`
//! reaches the first level of each grid's duty roster — the grid's workers (level 0), or the
//! first rostered level when the grid has none. Each recipient must acknowledge
//! (`warning.acknowledged`) within the warning's minutes; [`refresh`] (lazily before reads and
//! from the periodic task) passes an unacknowledged receipt on to the next level of that grid's
//! roster (`duty_rosters`, levels 1…; without rows: the street's supervisors). Every receipt
//! keeps delivered / acknowledged / escalated times (server clock): the trail.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use gridpatrol_proto::sync::{ChangeBody, Role};
use gridpatrol_proto::warnings::{
    WarningAcknowledged, WarningForRecipient, WarningIssued, WarningReceipt, WarningTrail,
};
use rusqlite::{params, OptionalExtension, Transaction};

use super::feed::append_user_change;
use super::hazards::{enum_text, parse_text};
use super::lifecycle::display_name;
use super::projection::{Applied, Outcome, Refusal};
use super::reference::street_grids;
use super::ts;
use crate::store::{Caller, StoreResult};

/// The longest acknowledgement window a warning may set (a day).
pub const MAX_ACK_MINUTES: u32 = 24 * 60;

/// The users at one level of a grid's escalation chain (empty: nobody there).
fn level(
    tx: &Transaction<'_>,
    grid: &str,
    street: &str,
    position: u32,
) -> StoreResult<Vec<String>> {
    let query =
        |sql: &str, p: &dyn rusqlite::ToSql, q: &dyn rusqlite::ToSql| -> StoreResult<Vec<String>> {
            let mut stmt = tx.prepare_cached(sql)?;
            let rows = stmt.query_map(params![p, q], |r| r.get(0))?;
            Ok(rows.collect::<Result<Vec<String>, _>>()?)
        };
    if position == 0 {
        return query(
            "SELECT ug.user_id FROM user_grids ug JOIN users u ON u.user_id = ug.user_id
             WHERE ug.grid = ?1 AND u.role = 'worker'
               AND ug.user_id NOT IN (SELECT user_id FROM duty_rosters WHERE grid = ?2)
             ORDER BY ug.user_id",
            &grid,
            &grid,
        );
    }
    let rostered: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM duty_rosters WHERE grid = ?1)",
        [grid],
        |r| r.get(0),
    )?;
    if rostered {
        return query(
            "SELECT user_id FROM duty_rosters WHERE grid = ?1 AND position = ?2 ORDER BY user_id",
            &grid,
            &position,
        );
    }
    if position == 1 {
        return query(
            "SELECT user_id FROM users WHERE role = 'supervisor' AND street = ?1
               AND ?2 IS NOT NULL ORDER BY user_id",
            &street,
            &position,
        );
    }
    Ok(Vec::new())
}

/// The first non-empty level after `after` (`None`: from the start), with its users.
fn next_level(
    tx: &Transaction<'_>,
    grid: &str,
    street: &str,
    after: Option<u32>,
) -> StoreResult<Option<(u32, Vec<String>)>> {
    let last: u32 = tx.query_row(
        "SELECT COALESCE(MAX(position), 1) FROM duty_rosters WHERE grid = ?1",
        [grid],
        |r| r.get(0),
    )?;
    let start = after.map_or(0, |p| p + 1);
    for position in start..=last {
        let users = level(tx, grid, street, position)?;
        if !users.is_empty() {
            return Ok(Some((position, users)));
        }
    }
    Ok(None)
}

struct Receipt<'a> {
    warning_id: &'a str,
    user_id: &'a str,
    grid: &'a str,
    position: u32,
    escalated_from: Option<&'a str>,
    due_at: DateTime<Utc>,
}

fn add_receipt(tx: &Transaction<'_>, r: &Receipt<'_>, now: DateTime<Utc>) -> StoreResult<bool> {
    Ok(tx.execute(
        "INSERT OR IGNORE INTO warning_receipts (warning_id, user_id, grid, position, added_at,
             escalated_from, due_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            r.warning_id,
            r.user_id,
            r.grid,
            r.position,
            ts(now),
            r.escalated_from,
            ts(r.due_at)
        ],
    )? > 0)
}

fn refused(reason: impl Into<String>) -> StoreResult<Applied> {
    Ok(Ok(Outcome {
        refused: Some(reason.into()),
        conflict_with: None,
    }))
}

/// `warning.issued` from a supervisor's device.
pub fn issued(
    tx: &Transaction<'_>,
    caller: &Caller,
    event_id: &str,
    e: &WarningIssued,
    now: DateTime<Utc>,
) -> StoreResult<Applied> {
    let (Role::Supervisor, Some(street)) = (caller.role, caller.street.as_deref()) else {
        return refused("only street staff (supervisors) issue warnings");
    };
    if e.text.trim().is_empty() {
        return refused("a warning needs a text");
    }
    if !(1..=MAX_ACK_MINUTES).contains(&e.ack_within_minutes) {
        return refused(format!("ack_within_minutes must be 1 to {MAX_ACK_MINUTES}"));
    }
    let street_grids = street_grids(tx, street)?;
    for grid in &e.grids {
        if !street_grids.contains(grid) {
            return Ok(Err(Refusal::Forbidden(format!(
                "grid {grid} is outside your street"
            ))));
        }
    }
    let grids: BTreeSet<String> = if e.grids.is_empty() {
        street_grids.into_iter().collect()
    } else {
        e.grids.iter().cloned().collect()
    };
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO warnings (warning_id, event_id, issued_by, street, level,
             warning_type, grids, text, ack_within_minutes, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            e.warning_id,
            event_id,
            caller.user_id,
            street,
            enum_text(&e.level),
            enum_text(&e.warning_type),
            serde_json::to_string(&grids)?,
            e.text.trim(),
            e.ack_within_minutes,
            ts(now)
        ],
    )?;
    if inserted == 0 {
        return Ok(Err(Refusal::Rejected(format!(
            "warning id {} is already in use",
            e.warning_id
        ))));
    }
    let due_at = now + Duration::minutes(i64::from(e.ack_within_minutes));
    let mut recipients = BTreeSet::new();
    for grid in &grids {
        if let Some((position, users)) = next_level(tx, grid, street, None)? {
            for user_id in users {
                let receipt = Receipt {
                    warning_id: &e.warning_id,
                    user_id: &user_id,
                    grid,
                    position,
                    escalated_from: None,
                    due_at,
                };
                add_receipt(tx, &receipt, now)?;
                recipients.insert(user_id);
            }
        }
    }
    for user_id in recipients {
        announce(tx, &e.warning_id, &user_id, now)?;
    }
    Ok(Ok(Outcome::default()))
}

/// `warning.acknowledged` (叫应) by a recipient.
pub fn acknowledged(
    tx: &Transaction<'_>,
    caller: &Caller,
    e: &WarningAcknowledged,
    now: DateTime<Utc>,
) -> StoreResult<Applied> {
    let (rows, open): (u32, u32) = tx.query_row(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE acknowledged_at IS NULL)
         FROM warning_receipts WHERE warning_id = ?1 AND user_id = ?2",
        params![e.warning_id, caller.user_id],
        |r| r.try_into(),
    )?;
    if rows == 0 {
        return refused(format!("warning {} was not sent to you", e.warning_id));
    }
    if open > 0 {
        tx.execute(
            "UPDATE warning_receipts SET acknowledged_at = ?3
             WHERE warning_id = ?1 AND user_id = ?2 AND acknowledged_at IS NULL",
            params![e.warning_id, caller.user_id, ts(now)],
        )?;
        announce(tx, &e.warning_id, &caller.user_id, now)?;
    }
    Ok(Ok(Outcome::default()))
}

fn announce(
    tx: &Transaction<'_>,
    warning_id: &str,
    user_id: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if let Some(warning) = for_recipient(tx, warning_id, Some(user_id))? {
        append_user_change(tx, &ChangeBody::Warning(warning), warning_id, user_id, now)?;
    }
    Ok(())
}

/// Passes every receipt unacknowledged past its due time on to the next level of its grid's
/// roster. Returns how many receipts were added.
pub fn refresh(tx: &Transaction<'_>, now: DateTime<Utc>) -> StoreResult<usize> {
    let mut stmt = tx.prepare_cached(
        "SELECT r.warning_id, r.user_id, r.grid, r.position, w.street, w.ack_within_minutes
         FROM warning_receipts r JOIN warnings w ON w.warning_id = r.warning_id
         WHERE r.acknowledged_at IS NULL AND r.passed_on_at IS NULL AND r.due_at <= ?1
         ORDER BY r.due_at, r.warning_id, r.grid, r.user_id",
    )?;
    let overdue = stmt
        .query_map([ts(now)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, u32>(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    drop(stmt);
    let mut added = 0;
    for (warning_id, user_id, grid, position, street, minutes) in overdue {
        tx.execute(
            "UPDATE warning_receipts SET passed_on_at = ?4
             WHERE warning_id = ?1 AND user_id = ?2 AND grid = ?3",
            params![warning_id, user_id, grid, ts(now)],
        )?;
        let Some((next, users)) = next_level(tx, &grid, &street, Some(position))? else {
            tracing::warn!(%warning_id, "a warning went unacknowledged at the end of a roster");
            continue;
        };
        for next_user in users {
            let receipt = Receipt {
                warning_id: &warning_id,
                user_id: &next_user,
                grid: &grid,
                position: next,
                escalated_from: Some(&user_id),
                due_at: now + Duration::minutes(i64::from(minutes)),
            };
            if add_receipt(tx, &receipt, now)? {
                added += 1;
                announce(tx, &warning_id, &next_user, now)?;
            }
        }
    }
    Ok(added)
}

/// A warning as `user_id` sees it (`None`: the issuer's overall view, for the trail).
pub fn for_recipient(
    tx: &Transaction<'_>,
    warning_id: &str,
    user_id: Option<&str>,
) -> StoreResult<Option<WarningForRecipient>> {
    type Row = (String, String, String, String, String, u32, String);
    let row: Option<Row> = tx
        .query_row(
            "SELECT level, warning_type, grids, text, issued_at, ack_within_minutes, issued_by
             FROM warnings WHERE warning_id = ?1",
            [warning_id],
            |r| r.try_into(),
        )
        .optional()?;
    let Some((level, warning_type, grids, text, issued_at, minutes, issued_by)) = row else {
        return Ok(None);
    };
    let issued = crate::rules::parse_time(&issued_at).unwrap_or_default();
    let (due, from, acknowledged): (Option<String>, Option<String>, bool) = tx.query_row(
        "SELECT MIN(due_at), MAX(escalated_from),
                COUNT(*) > 0 AND COUNT(*) FILTER (WHERE acknowledged_at IS NULL) = 0
         FROM warning_receipts WHERE warning_id = ?1 AND (?2 IS NULL OR user_id = ?2)",
        params![warning_id, user_id],
        |r| r.try_into(),
    )?;
    let escalated_from = match (user_id, from) {
        (Some(_), Some(from)) => Some(display_name(tx, &from)?),
        _ => None,
    };
    Ok(Some(WarningForRecipient {
        warning_id: warning_id.to_owned(),
        level: parse_text(&level)?,
        warning_type: parse_text(&warning_type)?,
        grids: serde_json::from_str(&grids)?,
        text,
        issued_at,
        issued_by: display_name(tx, &issued_by)?,
        ack_due_at: due
            .filter(|_| user_id.is_some())
            .unwrap_or_else(|| ts(issued + Duration::minutes(i64::from(minutes)))),
        escalated_from,
        acknowledged,
    }))
}

/// Warnings the caller received, newest first; a supervisor also sees every warning of their
/// street.
pub fn for_user(tx: &Transaction<'_>, caller: &Caller) -> StoreResult<Vec<WarningForRecipient>> {
    let mut stmt = tx.prepare_cached(
        "SELECT warning_id FROM warnings w
         WHERE EXISTS (SELECT 1 FROM warning_receipts r
                       WHERE r.warning_id = w.warning_id AND r.user_id = ?1)
            OR (?2 IS NOT NULL AND w.street = ?2)
         ORDER BY w.issued_at DESC, w.warning_id",
    )?;
    let street = (caller.role == Role::Supervisor)
        .then(|| caller.street.clone())
        .flatten();
    let ids = stmt
        .query_map(params![caller.user_id, street], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    drop(stmt);
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(for_recipient(tx, &id, Some(&caller.user_id))?);
    }
    Ok(out)
}

/// A warning's receipt trail and the street it was issued in.
pub fn trail(
    tx: &Transaction<'_>,
    warning_id: &str,
) -> StoreResult<Option<(String, WarningTrail)>> {
    let Some(warning) = for_recipient(tx, warning_id, None)? else {
        return Ok(None);
    };
    let street: String = tx.query_row(
        "SELECT street FROM warnings WHERE warning_id = ?1",
        [warning_id],
        |r| r.get(0),
    )?;
    let mut stmt = tx.prepare_cached(
        "SELECT r.user_id, u.display_name, r.grid, r.position, r.delivered_at,
                r.acknowledged_at, r.added_at
         FROM warning_receipts r JOIN users u ON u.user_id = r.user_id
         WHERE r.warning_id = ?1 ORDER BY r.grid, r.position, r.user_id",
    )?;
    let receipts = stmt
        .query_map([warning_id], |r| {
            let position: u32 = r.get(3)?;
            Ok(WarningReceipt {
                user_id: r.get(0)?,
                display_name: r.get(1)?,
                grid: r.get(2)?,
                roster_position: position,
                delivered_at: r.get(4)?,
                acknowledged_at: r.get(5)?,
                escalated_at: if position > 0 { r.get(6)? } else { None },
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some((street, WarningTrail { warning, receipts })))
}

/// Records the first delivery of `warning_ids` to `user_id`'s device.
pub fn mark_delivered(
    tx: &Transaction<'_>,
    user_id: &str,
    warning_ids: &[String],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for id in warning_ids {
        tx.execute(
            "UPDATE warning_receipts SET delivered_at = ?3
             WHERE warning_id = ?1 AND user_id = ?2 AND delivered_at IS NULL",
            params![id, user_id, ts(now)],
        )?;
    }
    Ok(())
}

/// Replaces the rostered levels (≥ 1) of a grid.
pub fn set_roster(tx: &Transaction<'_>, grid: &str, roster: &[(u32, String)]) -> StoreResult<()> {
    tx.execute("DELETE FROM duty_rosters WHERE grid = ?1", [grid])?;
    for (position, user_id) in roster {
        tx.execute(
            "INSERT INTO duty_rosters (grid, position, user_id) VALUES (?1, ?2, ?3)",
            params![grid, position.max(&1), user_id],
        )?;
    }
    Ok(())
}
