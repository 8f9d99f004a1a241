//! The persistent state of the upload queue: which events and blobs are due, their attempts and
//! back-off, wedges with reasons, and the retry/discard the user can apply to a wedge. Failures
//! are data here (R4), never exceptions thrown at the app.

use chrono::{DateTime, Utc};
use gridpatrol_proto::EventEnvelope;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::retry;
use crate::api::records::{OutboxItemKind, WedgedItem};
use crate::clock::format_utc;
use crate::domain::outcomes::{self, Outcome};
use crate::error::{Error, Result};
use crate::journal;

/// Events sent in one request, at most.
pub const BATCH_EVENTS: usize = 100;
/// Canonical payload bytes in one request, roughly at most.
pub const BATCH_BYTES: usize = 512 * 1024;

/// What the event queue can send now.
pub enum EventBatch {
    /// Nothing is waiting.
    Empty,
    /// The head event waits for its back-off to end.
    NotDue,
    /// An event is wedged: nothing after it can go until the user retries it.
    Blocked,
    /// Send these, in order.
    Ready(Vec<EventEnvelope>),
}

/// The next batch of events, oldest first. `force` (the user asked to sync now) ignores the
/// client's own back-off, never a delay the server asked for.
pub fn next_events(conn: &Connection, now: DateTime<Utc>, force: bool) -> Result<EventBatch> {
    let wedged: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'wedged')",
        [],
        |r| r.get(0),
    )?;
    if wedged {
        return Ok(EventBatch::Blocked);
    }
    let head: Option<(Option<String>, bool)> = conn
        .query_row(
            "SELECT next_attempt_at, server_delay FROM outbox ORDER BY event_seq LIMIT 1",
            [],
            |r| r.try_into(),
        )
        .optional()?;
    match head {
        None => return Ok(EventBatch::Empty),
        Some((Some(at), server_delay)) if at > format_utc(&now) && (server_delay || !force) => {
            return Ok(EventBatch::NotDue)
        }
        Some(_) => {}
    }
    let mut stmt = conn.prepare_cached(
        "SELECT e.device_seq FROM outbox o JOIN events e ON e.device_seq = o.event_seq
         ORDER BY o.event_seq LIMIT ?1",
    )?;
    let seqs: Vec<u64> = stmt
        .query_map([BATCH_EVENTS as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let (first, last) = (seqs[0], *seqs.last().expect("non-empty"));
    let mut events = journal::load_range(conn, first, last)?;
    let mut bytes = 0;
    let mut keep = 0;
    for e in &events {
        bytes += e.payload.to_string().len() + 400;
        if keep > 0 && bytes > BATCH_BYTES {
            break;
        }
        keep += 1;
    }
    events.truncate(keep);
    Ok(EventBatch::Ready(events))
}

/// The server acknowledged these events (accepted or duplicate, matching hash): they leave,
/// and what it said about each (refused, a conflict) is kept in the same transaction.
pub fn events_acked(tx: &Transaction<'_>, acked: &[Outcome], now: DateTime<Utc>) -> Result<()> {
    let mut stmt = tx.prepare_cached("DELETE FROM outbox WHERE event_seq = ?1")?;
    for outcome in acked {
        stmt.execute([outcome.device_seq])?;
    }
    outcomes::record(tx, acked, &format_utc(&now))
}

/// A failure that may pass: back off every row of the batch from `first_seq` on.
pub fn events_backoff(
    tx: &Transaction<'_>,
    first_seq: u64,
    failure: &super::http::Failure,
    now: DateTime<Utc>,
) -> Result<()> {
    let attempts: u32 = tx
        .query_row(
            "SELECT attempts FROM outbox WHERE event_seq = ?1",
            [first_seq],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0)
        + 1;
    let next = next_attempt(attempts, failure, now);
    tx.execute(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?1, last_error = ?2,
             server_delay = ?3
         WHERE event_seq >= ?4",
        params![
            next,
            failure.to_string(),
            failure.retry_after.is_some(),
            first_seq
        ],
    )?;
    Ok(())
}

/// The server will not take this event as it is: wedge it with the reason.
pub fn event_wedged(tx: &Transaction<'_>, device_seq: u64, reason: &str) -> Result<()> {
    tx.execute(
        "UPDATE outbox SET state = 'wedged', attempts = attempts + 1, last_error = ?1
         WHERE event_seq = ?2",
        params![reason, device_seq],
    )?;
    Ok(())
}

/// Queues an evidence file for upload (once).
pub fn enqueue_blob(tx: &Transaction<'_>, sha256: &str, now: &str) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO blob_uploads (sha256, created_at) VALUES (?1, ?2)",
        params![sha256, now],
    )?;
    Ok(())
}

/// Blobs whose turn it is, oldest first (`force` as for [`next_events`]).
pub fn due_blobs(conn: &Connection, now: DateTime<Utc>, force: bool) -> Result<Vec<(String, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.sha256, e.bytes FROM blob_uploads b JOIN evidence e ON e.sha256 = b.sha256
         WHERE b.state = 'pending'
           AND (b.next_attempt_at IS NULL OR b.next_attempt_at <= ?1 OR (?2 AND b.server_delay = 0))
         ORDER BY b.created_at, b.sha256",
    )?;
    let rows = stmt.query_map(params![format_utc(&now), force], |r| r.try_into())?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn blob_done(tx: &Transaction<'_>, sha256: &str) -> Result<()> {
    tx.execute("DELETE FROM blob_uploads WHERE sha256 = ?1", [sha256])?;
    Ok(())
}

pub fn blob_backoff(
    tx: &Transaction<'_>,
    sha256: &str,
    failure: &super::http::Failure,
    now: DateTime<Utc>,
) -> Result<()> {
    let attempts: u32 = tx
        .query_row(
            "SELECT attempts FROM blob_uploads WHERE sha256 = ?1",
            [sha256],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0)
        + 1;
    tx.execute(
        "UPDATE blob_uploads SET attempts = ?1, next_attempt_at = ?2, last_error = ?3,
             server_delay = ?4
         WHERE sha256 = ?5",
        params![
            attempts,
            next_attempt(attempts, failure, now),
            failure.to_string(),
            failure.retry_after.is_some(),
            sha256
        ],
    )?;
    Ok(())
}

pub fn blob_wedged(tx: &Transaction<'_>, sha256: &str, reason: &str) -> Result<()> {
    tx.execute(
        "UPDATE blob_uploads SET state = 'wedged', attempts = attempts + 1, last_error = ?1
         WHERE sha256 = ?2",
        params![reason, sha256],
    )?;
    Ok(())
}

fn next_attempt(attempts: u32, failure: &super::http::Failure, now: DateTime<Utc>) -> String {
    let wait = retry::delay(attempts, failure.retry_after, rand::random::<f64>());
    format_utc(&(now + chrono::Duration::from_std(wait).unwrap_or_default()))
}

/// The earliest time an item that can be sent becomes due: `""` for now, None for nothing
/// (events behind a wedged event cannot be sent, so they do not count).
pub fn next_due(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT min(coalesce(next_attempt_at, '')) FROM (
             SELECT next_attempt_at FROM outbox WHERE state = 'pending'
                 AND NOT EXISTS (SELECT 1 FROM outbox WHERE state = 'wedged')
             UNION ALL SELECT next_attempt_at FROM blob_uploads WHERE state = 'pending')",
        [],
        |r| r.get(0),
    )?)
}

/// Every wedged item, for the outbox screen.
pub fn wedged(conn: &Connection) -> Result<Vec<WedgedItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT 'event', CAST(o.event_seq AS TEXT), e.kind, o.last_error, o.attempts
         FROM outbox o JOIN events e ON e.device_seq = o.event_seq WHERE o.state = 'wedged'
         UNION ALL
         SELECT 'blob', sha256, 'evidence file', last_error, attempts
         FROM blob_uploads WHERE state = 'wedged'",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(WedgedItem {
            kind: if r.get::<_, String>(0)? == "event" {
                OutboxItemKind::Event
            } else {
                OutboxItemKind::Blob
            },
            id: r.get(1)?,
            what: r.get(2)?,
            reason: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            attempts: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Puts a wedged item back in the queue, due now.
pub fn retry_wedged(tx: &Transaction<'_>, kind: OutboxItemKind, id: &str) -> Result<()> {
    let changed = match kind {
        OutboxItemKind::Event => tx.execute(
            "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = NULL
             WHERE state = 'wedged' AND event_seq = ?1",
            [id.parse::<u64>()
                .map_err(|_| Error::InvalidInput(format!("'{id}' is not an event number")))?],
        )?,
        OutboxItemKind::Blob => tx.execute(
            "UPDATE blob_uploads SET state = 'pending', attempts = 0, next_attempt_at = NULL
             WHERE state = 'wedged' AND sha256 = ?1",
            [id],
        )?,
    };
    if changed == 0 {
        return Err(Error::NotFound(format!("no wedged item {id}")));
    }
    Ok(())
}

/// Drops a wedged evidence upload: the server keeps the record as evidence-pending. Events
/// cannot be discarded: the chain after them would break.
pub fn discard_wedged(tx: &Transaction<'_>, kind: OutboxItemKind, id: &str) -> Result<()> {
    match kind {
        OutboxItemKind::Event => Err(Error::Conflict(
            "a wedged event cannot be discarded: every later event depends on it; retry it or contact support".into(),
        )),
        OutboxItemKind::Blob => {
            if tx.execute("DELETE FROM blob_uploads WHERE state = 'wedged' AND sha256 = ?1", [id])? == 0 {
                return Err(Error::NotFound(format!("no wedged item {id}")));
            }
            Ok(())
        }
    }
}
