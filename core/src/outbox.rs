//! The outbox: what still has to reach the server. A row is written in the same transaction as
//! its event and leaves only after the server acknowledged it (R1). Sending arrives with sync.

use rusqlite::{Connection, Transaction};

use crate::api::records::OutboxStatus;
use crate::error::Result;

/// Queues the event `device_seq` for upload.
pub fn enqueue_event(tx: &Transaction<'_>, device_seq: u64, created_at: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO outbox (event_seq, created_at) VALUES (?1, ?2)",
        rusqlite::params![device_seq, created_at],
    )?;
    Ok(())
}

/// Counts by state.
pub fn status(conn: &Connection) -> Result<OutboxStatus> {
    Ok(conn.query_row(
        "SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'wedged')
         FROM outbox",
        [],
        |r| {
            Ok(OutboxStatus {
                pending: r.get(0)?,
                wedged: r.get(1)?,
            })
        },
    )?)
}
