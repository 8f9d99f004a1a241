//! The outbox: what still has to reach the server. An event's row is written in the same
//! transaction as the event and leaves only after the server acknowledged it (R1); evidence
//! files wait in `blob_uploads`. The sending itself is `crate::sync`.

use rusqlite::{Connection, Transaction};

use crate::api::records::OutboxStatus;
use crate::error::Result;
use crate::store::get_meta;

/// Queues the event `device_seq` for upload.
pub fn enqueue_event(tx: &Transaction<'_>, device_seq: u64, created_at: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO outbox (event_seq, created_at) VALUES (?1, ?2)",
        rusqlite::params![device_seq, created_at],
    )?;
    Ok(())
}

/// Counts by state, and what the last sync learned.
pub fn status(conn: &Connection) -> Result<OutboxStatus> {
    let (events_pending, events_wedged, blobs_pending, blobs_wedged) = conn.query_row(
        "SELECT (SELECT count(*) FROM outbox WHERE state = 'pending'),
                (SELECT count(*) FROM outbox WHERE state = 'wedged'),
                (SELECT count(*) FROM blob_uploads WHERE state = 'pending'),
                (SELECT count(*) FROM blob_uploads WHERE state = 'wedged')",
        [],
        |r| r.try_into(),
    )?;
    let auth_required: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM account WHERE auth_failed = 1)",
        [],
        |r| r.get(0),
    )?;
    Ok(OutboxStatus {
        events_pending,
        events_wedged,
        blobs_pending,
        blobs_wedged,
        last_synced_at: get_meta(conn, "last_synced_at")?,
        clock_skew_ms: get_meta(conn, "clock_skew_ms")?.and_then(|v| v.parse().ok()),
        auth_required,
    })
}
