//! Warnings (预警) and their acknowledgement (叫应) on the phone: the warnings the server sent
//! this user (pulled), the acknowledgement a recipient records (`warning.acknowledged`, sent at
//! once), and the warning a supervisor issues (`warning.issued`). Escalation and the receipt
//! trail are the server's; the phone only shows what reached it.

use gridpatrol_proto::events::DomainEvent;
use gridpatrol_proto::sync::Role;
use gridpatrol_proto::warnings::{WarningAcknowledged, WarningForRecipient, WarningIssued};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::{required_text, MAX_TEXT_CHARS};
use crate::api::report_records::WarningRecord;
use crate::error::{Error, Result};
use crate::store::text_enum;

/// Longest time a warning may give its recipients to acknowledge: one day.
pub const MAX_ACK_MINUTES: u32 = 24 * 60;

/// Stores a warning the server sent: from change `server_seq` of a pull (an older change than
/// the one stored is ignored), or from the live stream (`None`: the server's state right now,
/// stored over what is there; the next pull's changes still come in order after it). True when
/// the user should be told at once: it is new here, or it was escalated to them since, and it
/// still waits for their acknowledgement.
pub fn store(
    tx: &Transaction<'_>,
    w: &WarningForRecipient,
    server_seq: Option<u64>,
) -> Result<bool> {
    let before: Option<(Option<String>, u64)> = tx
        .query_row(
            "SELECT escalated_from, server_seq FROM warnings WHERE warning_id = ?1",
            [&w.warning_id],
            |r| r.try_into(),
        )
        .optional()?;
    if let (Some((_, stored)), Some(seq)) = (&before, server_seq) {
        if *stored >= seq {
            return Ok(false);
        }
    }
    let seq = server_seq.or(before.as_ref().map(|b| b.1)).unwrap_or(0);
    tx.execute(
        "INSERT INTO warnings (warning_id, level, warning_type, grids, text, issued_at, issued_by,
             ack_due_at, escalated_from, acknowledged, server_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (warning_id) DO UPDATE SET level = excluded.level,
             warning_type = excluded.warning_type, grids = excluded.grids, text = excluded.text,
             issued_at = excluded.issued_at, issued_by = excluded.issued_by,
             ack_due_at = excluded.ack_due_at, escalated_from = excluded.escalated_from,
             acknowledged = excluded.acknowledged, server_seq = excluded.server_seq",
        params![
            w.warning_id,
            text_enum::to_text(&w.level),
            text_enum::to_text(&w.warning_type),
            serde_json::to_string(&w.grids)?,
            w.text,
            w.issued_at,
            w.issued_by,
            w.ack_due_at,
            w.escalated_from,
            w.acknowledged,
            seq
        ],
    )?;
    let news = match before {
        None => true,
        Some((escalated_from, _)) => {
            w.escalated_from.is_some() && w.escalated_from != escalated_from
        }
    };
    let acknowledged_here: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM warning_acks WHERE warning_id = ?1)",
        [&w.warning_id],
        |r| r.get(0),
    )?;
    Ok(news && !w.acknowledged && !acknowledged_here)
}

/// Plans a supervisor's warning: `draft.grids` empty means every grid of the street, else each
/// must be one of the supervisor's `own_grids` (when this device knows them; the server checks
/// the scope again). Text and grids are tidied.
pub fn plan_issue(
    role: Option<Role>,
    own_grids: &[String],
    draft: WarningIssued,
) -> Result<DomainEvent> {
    if role != Some(Role::Supervisor) {
        return Err(Error::InvalidInput(
            "only street staff (a supervisor account) issue warnings".into(),
        ));
    }
    let text = required_text("the warning text", draft.text, MAX_TEXT_CHARS)?;
    if !(1..=MAX_ACK_MINUTES).contains(&draft.ack_within_minutes) {
        return Err(Error::InvalidInput(format!(
            "the time to acknowledge must be 1 to {MAX_ACK_MINUTES} minutes"
        )));
    }
    let mut grids: Vec<String> = draft.grids.iter().map(|g| g.trim().to_owned()).collect();
    grids.sort();
    grids.dedup();
    if let Some(other) = grids
        .iter()
        .find(|g| g.is_empty() || !(own_grids.is_empty() || own_grids.contains(g)))
    {
        return Err(Error::InvalidInput(format!(
            "grid '{other}' is not one of your street's grids"
        )));
    }
    Ok(DomainEvent::WarningIssued(WarningIssued {
        grids,
        text,
        ..draft
    }))
}

/// Plans the acknowledgement of a warning that reached this user; `None` when it is already
/// acknowledged (a second tap records nothing).
pub fn plan_ack(
    tx: &Transaction<'_>,
    role: Option<Role>,
    warning_id: &str,
) -> Result<Option<DomainEvent>> {
    if role == Some(Role::Resident) {
        return Err(Error::InvalidInput(
            "a resident does not acknowledge warnings".into(),
        ));
    }
    let warning = get(tx, warning_id)?;
    if warning.acknowledged {
        return Ok(None);
    }
    Ok(Some(DomainEvent::WarningAcknowledged(
        WarningAcknowledged {
            warning_id: warning_id.to_owned(),
        },
    )))
}

/// Projects `warning.issued` recorded at `at`.
pub fn project_issued(tx: &Transaction<'_>, e: &WarningIssued, at: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO issued_warnings (warning_id, level, warning_type, grids, text,
             ack_within_minutes, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            e.warning_id,
            text_enum::to_text(&e.level),
            text_enum::to_text(&e.warning_type),
            serde_json::to_string(&e.grids)?,
            e.text,
            e.ack_within_minutes,
            at
        ],
    )?;
    Ok(())
}

/// Projects `warning.acknowledged` recorded at `at` (the first acknowledgement counts).
pub fn project_acknowledged(tx: &Transaction<'_>, e: &WarningAcknowledged, at: &str) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO warning_acks (warning_id, acknowledged_at) VALUES (?1, ?2)",
        params![e.warning_id, at],
    )?;
    Ok(())
}

const SELECT: &str = "
    SELECT w.warning_id, w.level, w.warning_type, w.grids, w.text, w.issued_at, w.issued_by,
           w.ack_due_at, w.escalated_from, w.acknowledged, a.acknowledged_at
    FROM warnings w LEFT JOIN warning_acks a ON a.warning_id = w.warning_id";

fn row(r: &Row<'_>) -> rusqlite::Result<WarningRecord> {
    let grids: String = r.get(3)?;
    let server_ack: bool = r.get(9)?;
    let acknowledged_at: Option<String> = r.get(10)?;
    Ok(WarningRecord {
        warning_id: r.get(0)?,
        level: text_enum::get(r, 1)?,
        warning_type: text_enum::get(r, 2)?,
        grids: serde_json::from_str(&grids).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, e.into())
        })?,
        text: r.get(4)?,
        issued_at: r.get(5)?,
        issued_by: r.get(6)?,
        ack_due_at: r.get(7)?,
        escalated_from: r.get(8)?,
        acknowledged: server_ack || acknowledged_at.is_some(),
        ack_unconfirmed: !server_ack && acknowledged_at.is_some(),
        acknowledged_at,
    })
}

/// The warnings for this user: those still to acknowledge first, then by level (red first),
/// then newest first.
pub fn list(conn: &Connection) -> Result<Vec<WarningRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT}
         ORDER BY (w.acknowledged = 0 AND a.warning_id IS NULL) DESC,
                  CASE w.level WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END,
                  w.issued_at DESC, w.warning_id"
    ))?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One warning.
pub fn get(conn: &Connection, warning_id: &str) -> Result<WarningRecord> {
    conn.prepare_cached(&format!("{SELECT} WHERE w.warning_id = ?1"))?
        .query_row([warning_id], row)
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "warning '{warning_id}' has not reached this device"
            ))
        })
}
