//! Taking pushed events (docs/adr/0007-sync-protocol.md): per device, in order, stopping at the
//! first event not taken. Each event is checked and applied inside a savepoint, so a refused
//! event leaves nothing behind while the events before it in the batch stay committed.
//!
//! Order of checks for one event: whose device it is (forbidden); a stored event with the same
//! id (duplicate or conflict); its hash; a stored event with the same `device_seq` (conflict);
//! the chain (sequence gap, `prev_hash` link: rejected); the payload (rejected); then applying
//! it, which checks scope (forbidden) and references (rejected).

use chrono::{DateTime, Utc};
use gridpatrol_proto::events::DomainEvent;
use gridpatrol_proto::sync::{PushResult, PushStatus};
use gridpatrol_proto::{canonical_json, EventEnvelope, GENESIS_HASH};
use rusqlite::{params, OptionalExtension, Transaction};

use super::projection::{self, Refusal};
use super::ts;
use crate::store::{Caller, StoreResult};

/// SQLite integers are signed 64-bit; larger unsigned values are refused, not wrapped.
pub const MAX_SQL: u64 = i64::MAX as u64;

pub fn push(
    tx: &Transaction<'_>,
    caller: &Caller,
    events: &[EventEnvelope],
    now: DateTime<Utc>,
) -> StoreResult<Vec<PushResult>> {
    let mut results = Vec::with_capacity(events.len());
    for event in events {
        tx.execute_batch("SAVEPOINT push_event")?;
        let result = take(tx, caller, event, now)?;
        let taken = matches!(result.status, PushStatus::Accepted | PushStatus::Duplicate);
        if !taken {
            tx.execute_batch("ROLLBACK TO push_event")?;
        }
        tx.execute_batch("RELEASE push_event")?;
        results.push(result);
        if !taken {
            break;
        }
    }
    Ok(results)
}

fn take(
    tx: &Transaction<'_>,
    caller: &Caller,
    event: &EventEnvelope,
    now: DateTime<Utc>,
) -> StoreResult<PushResult> {
    let refuse = |status, reason: String| PushResult {
        event_id: event.event_id.clone(),
        device_seq: event.device_seq,
        status,
        server_seq: None,
        reason: Some(reason),
        missing_blobs: Vec::new(),
        refused: None,
        conflict_with: None,
    };
    if event.device_id != caller.device_id {
        return Ok(refuse(
            PushStatus::Forbidden,
            format!(
                "event {} belongs to another device; a device pushes only its own events",
                event.event_id
            ),
        ));
    }
    let stored: Option<(u64, String)> = tx
        .query_row(
            "SELECT server_seq, hash FROM events WHERE event_id = ?1",
            [&event.event_id],
            |r| r.try_into(),
        )
        .optional()?;
    if let Some((server_seq, hash)) = stored {
        if hash == event.hash && event.hash_is_valid() {
            let outcome: (Option<String>, Option<String>) = tx
                .query_row(
                    "SELECT refused, conflict_with FROM event_outcomes WHERE event_id = ?1",
                    [&event.event_id],
                    |r| r.try_into(),
                )
                .optional()?
                .unwrap_or_default();
            return Ok(PushResult {
                event_id: event.event_id.clone(),
                device_seq: event.device_seq,
                status: PushStatus::Duplicate,
                server_seq: Some(server_seq),
                reason: None,
                missing_blobs: missing_blobs(tx, &event.event_id)?,
                refused: outcome.0,
                conflict_with: outcome.1,
            });
        }
        return Ok(refuse(
            PushStatus::Conflict,
            format!(
                "event {} was already stored with other content",
                event.event_id
            ),
        ));
    }
    if event.device_seq > MAX_SQL || event.uptime_ms > MAX_SQL {
        return Ok(refuse(
            PushStatus::Rejected,
            format!(
                "event {}: device_seq and uptime_ms must be below 2^63",
                event.event_id
            ),
        ));
    }
    if !event.hash_is_valid() {
        return Ok(refuse(
            PushStatus::Rejected,
            format!(
                "event {} (device_seq {}): the hash does not match the content",
                event.event_id, event.device_seq
            ),
        ));
    }
    let same_seq: Option<String> = tx
        .query_row(
            "SELECT event_id FROM events WHERE device_id = ?1 AND device_seq = ?2",
            params![event.device_id, event.device_seq],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = same_seq {
        return Ok(refuse(
            PushStatus::Conflict,
            format!(
                "device_seq {} was already stored as event {other}",
                event.device_seq
            ),
        ));
    }
    let (head_seq, head_hash) = tx
        .query_row(
            "SELECT device_seq, hash FROM events WHERE device_id = ?1
             ORDER BY device_seq DESC LIMIT 1",
            [&event.device_id],
            |r| Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS_HASH.to_owned()));
    if event.device_seq != head_seq + 1 {
        return Ok(refuse(
            PushStatus::Rejected,
            format!(
                "sequence gap: the server expects device_seq {}, got {}",
                head_seq + 1,
                event.device_seq
            ),
        ));
    }
    if event.prev_hash != head_hash {
        return Ok(refuse(
            PushStatus::Rejected,
            format!(
                "broken chain: prev_hash of device_seq {} does not match the hash of device_seq {head_seq}",
                event.device_seq
            ),
        ));
    }
    let domain = match DomainEvent::from_envelope(event) {
        Ok(domain) => domain,
        Err(e) => {
            return Ok(refuse(
                PushStatus::Rejected,
                format!("unreadable {} event: {e}", event.kind),
            ))
        }
    };
    let server_seq = insert_event(tx, caller, event, now)?;
    for sha256 in domain.blobs() {
        tx.execute(
            "INSERT OR IGNORE INTO event_blobs (event_id, sha256) VALUES (?1, ?2)",
            [&event.event_id, sha256],
        )?;
    }
    match projection::apply(tx, caller, event, &domain, now)? {
        Ok(outcome) => {
            if outcome.refused.is_some() || outcome.conflict_with.is_some() {
                tx.execute(
                    "INSERT INTO event_outcomes (event_id, refused, conflict_with)
                     VALUES (?1, ?2, ?3)",
                    params![event.event_id, outcome.refused, outcome.conflict_with],
                )?;
            }
            Ok(PushResult {
                event_id: event.event_id.clone(),
                device_seq: event.device_seq,
                status: PushStatus::Accepted,
                server_seq: Some(server_seq),
                reason: None,
                missing_blobs: missing_blobs(tx, &event.event_id)?,
                refused: outcome.refused,
                conflict_with: outcome.conflict_with,
            })
        }
        Err(Refusal::Forbidden(reason)) => Ok(refuse(PushStatus::Forbidden, reason)),
        Err(Refusal::Rejected(reason)) => Ok(refuse(PushStatus::Rejected, reason)),
    }
}

fn insert_event(
    tx: &Transaction<'_>,
    caller: &Caller,
    event: &EventEnvelope,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let payload = canonical_json(&event.payload)
        .map_err(|e| crate::store::StoreError::Backend(e.to_string()))?;
    tx.execute(
        "INSERT INTO events (event_id, device_id, device_seq, kind, payload, device_time,
             utc_offset_min, uptime_ms, prev_hash, hash, user_id, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            event.event_id,
            event.device_id,
            event.device_seq,
            event.kind,
            payload,
            event.device_time,
            event.utc_offset_min,
            event.uptime_ms,
            event.prev_hash,
            event.hash,
            caller.user_id,
            ts(now)
        ],
    )?;
    Ok(tx.last_insert_rowid() as u64)
}

/// Blobs an event needs that the server does not hold yet.
fn missing_blobs(tx: &Transaction<'_>, event_id: &str) -> StoreResult<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT e.sha256 FROM event_blobs e
         WHERE e.event_id = ?1 AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = e.sha256)
         ORDER BY e.sha256",
    )?;
    let rows = stmt.query_map([event_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<Vec<String>, _>>()?)
}

pub fn evidence_pending_events(tx: &Transaction<'_>) -> StoreResult<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT DISTINCT ev.event_id, ev.server_seq FROM events ev
         JOIN event_blobs e ON e.event_id = ev.event_id
         WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = e.sha256)
         ORDER BY ev.server_seq",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<Vec<String>, _>>()?)
}
