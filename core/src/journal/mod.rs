//! The device's event journal: every user action appended as a hash-chained event in the same
//! transaction as its projections and its outbox row (docs/adr/0001-event-journal.md).

mod verify;

use gridpatrol_proto::{canonical_json, EventEnvelope, GENESIS_HASH};
use rusqlite::{Connection, OptionalExtension, Row, Transaction};
use serde_json::Value;

use crate::clock::Stamp;
use crate::error::Result;

pub use verify::{verify, BadEvent, Problem, VerifyReport};

/// `meta` key holding `<device_seq>:<hash>` of the newest event, updated with every append, so
/// that removing the newest events is noticed too.
const HEAD_KEY: &str = "journal_head";

/// Appends one event after the current head and returns it as stored.
pub(crate) fn append(
    tx: &Transaction<'_>,
    device_id: &str,
    stamp: &Stamp,
    kind: &str,
    payload: Value,
) -> Result<EventEnvelope> {
    let (last_seq, prev_hash) = tx
        .query_row(
            "SELECT device_seq, hash FROM events ORDER BY device_seq DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
        .unwrap_or_else(|| (0, GENESIS_HASH.to_owned()));
    let event = EventEnvelope {
        event_id: uuid::Uuid::now_v7().to_string(),
        device_id: device_id.to_owned(),
        device_seq: last_seq + 1,
        kind: kind.to_owned(),
        payload,
        device_time: stamp.utc_text(),
        utc_offset_min: stamp.utc_offset_min,
        uptime_ms: stamp.uptime_ms,
        prev_hash,
        hash: String::new(),
    }
    .seal()?;
    tx.execute(
        "INSERT INTO events (device_seq, event_id, device_id, kind, payload, device_time,
                             utc_offset_min, uptime_ms, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        rusqlite::params![
            event.device_seq,
            event.event_id,
            event.device_id,
            event.kind,
            canonical_json(&event.payload)?,
            event.device_time,
            event.utc_offset_min,
            event.uptime_ms,
            event.prev_hash,
            event.hash,
        ],
    )?;
    crate::store::set_meta(
        tx,
        HEAD_KEY,
        &format!("{}:{}", event.device_seq, event.hash),
    )?;
    Ok(event)
}

/// Every event in `device_seq` order (replay and, later, upload).
pub(crate) fn load_all(conn: &Connection) -> Result<Vec<EventEnvelope>> {
    let mut out = Vec::new();
    let mut bad = None;
    scan_raw(conn, |raw| match raw.to_envelope() {
        Ok(event) => {
            out.push(event);
            true
        }
        Err(err) => {
            bad = Some(err);
            false
        }
    })?;
    match bad {
        Some(err) => Err(err.into()),
        None => Ok(out),
    }
}

/// An event row exactly as stored, its payload still text (the verifier checks that text).
pub(crate) struct RawEvent {
    pub device_seq: u64,
    pub event_id: String,
    pub device_id: String,
    pub kind: String,
    pub payload: String,
    pub device_time: String,
    pub utc_offset_min: i32,
    pub uptime_ms: u64,
    pub prev_hash: String,
    pub hash: String,
}

impl RawEvent {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<RawEvent> {
        Ok(RawEvent {
            device_seq: row.get(0)?,
            event_id: row.get(1)?,
            device_id: row.get(2)?,
            kind: row.get(3)?,
            payload: row.get(4)?,
            device_time: row.get(5)?,
            utc_offset_min: row.get(6)?,
            uptime_ms: row.get(7)?,
            prev_hash: row.get(8)?,
            hash: row.get(9)?,
        })
    }

    /// The envelope with its payload parsed; fails only when the stored text is not JSON.
    pub fn to_envelope(&self) -> serde_json::Result<EventEnvelope> {
        Ok(EventEnvelope {
            payload: serde_json::from_str(&self.payload)?,
            event_id: self.event_id.clone(),
            device_id: self.device_id.clone(),
            device_seq: self.device_seq,
            kind: self.kind.clone(),
            device_time: self.device_time.clone(),
            utc_offset_min: self.utc_offset_min,
            uptime_ms: self.uptime_ms,
            prev_hash: self.prev_hash.clone(),
            hash: self.hash.clone(),
        })
    }
}

/// Events `first..=last` in `device_seq` order (an upload batch).
pub(crate) fn load_range(conn: &Connection, first: u64, last: u64) -> Result<Vec<EventEnvelope>> {
    let mut stmt = conn.prepare_cached(
        "SELECT device_seq, event_id, device_id, kind, payload, device_time,
                utc_offset_min, uptime_ms, prev_hash, hash
         FROM events WHERE device_seq BETWEEN ?1 AND ?2 ORDER BY device_seq",
    )?;
    let rows = stmt.query_map([first, last], RawEvent::from_row)?;
    let mut out = Vec::new();
    for raw in rows {
        out.push(raw?.to_envelope()?);
    }
    Ok(out)
}

/// Calls `f` with every stored row in `device_seq` order, one row in memory at a time; stops
/// early when `f` returns `false`.
pub(crate) fn scan_raw(conn: &Connection, mut f: impl FnMut(RawEvent) -> bool) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT device_seq, event_id, device_id, kind, payload, device_time,
                utc_offset_min, uptime_ms, prev_hash, hash
         FROM events ORDER BY device_seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        if !f(RawEvent::from_row(row)?) {
            break;
        }
    }
    Ok(())
}

/// The journal head recorded in `meta`: `(device_seq, hash)` of the newest event.
pub(crate) fn recorded_head(conn: &Connection) -> Result<Option<(u64, String)>> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [HEAD_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(text.and_then(|t| {
        let (seq, hash) = t.split_once(':')?;
        Some((seq.parse().ok()?, hash.to_owned()))
    }))
}
