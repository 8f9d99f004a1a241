//! What the server answered about this device's events (docs/adr/0012-closed-loop.md): a
//! transition it refused or recorded as a conflict is still acknowledged (it is in the chain),
//! so the answer is kept here, written in the transaction that removes the outbox row, for the
//! screens to show. The table is server data, not a projection: replay does not rebuild it.

use gridpatrol_proto::sync::PushResult;
use rusqlite::{params, Connection, Row, Transaction};

use crate::api::loop_records::RefusalRecord;
use crate::error::Result;

/// The server's answer about one acknowledged event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub device_seq: u64,
    pub server_seq: Option<u64>,
    pub refused: Option<String>,
    pub conflict_with: Option<String>,
}

impl Outcome {
    pub fn of(result: &PushResult) -> Outcome {
        Outcome {
            device_seq: result.device_seq,
            server_seq: result.server_seq,
            refused: result.refused.clone(),
            conflict_with: result.conflict_with.clone(),
        }
    }

    /// The server took it into the chain without applying it.
    pub fn is_refusal(&self) -> bool {
        self.refused.is_some() || self.conflict_with.is_some()
    }
}

/// Keeps the answers about acknowledged events.
pub fn record(tx: &Transaction<'_>, outcomes: &[Outcome], now: &str) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO event_outcomes (event_seq, server_seq, refused, conflict_with, acknowledged_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (event_seq) DO UPDATE SET server_seq = excluded.server_seq,
             refused = excluded.refused, conflict_with = excluded.conflict_with",
    )?;
    for o in outcomes {
        stmt.execute(params![
            o.device_seq,
            o.server_seq,
            o.refused,
            o.conflict_with,
            now
        ])?;
    }
    Ok(())
}

/// A complete pull ended: every answer kept so far is now reflected in the pulled data.
///
/// Sound because passes run one at a time and each pushes before it pulls: every answer in the
/// table arrived before this pull started, and the server applies an event in the transaction
/// that acknowledges it.
pub fn mark_pulled(tx: &Transaction<'_>) -> Result<()> {
    tx.execute("UPDATE event_outcomes SET pulled = 1 WHERE pulled = 0", [])?;
    Ok(())
}

const SELECT_REFUSALS: &str = "
    SELECT e.event_id, e.device_seq, e.kind,
           coalesce(json_extract(e.payload, '$.hazard_id'), json_extract(e.payload, '$.report_id'),
                    json_extract(e.payload, '$.warning_id')),
           json_extract(e.payload, '$.action'), o.refused, o.conflict_with, e.device_time,
           o.acknowledged_at
    FROM event_outcomes o JOIN events e ON e.device_seq = o.event_seq";

fn refusal_from_row(r: &Row<'_>) -> rusqlite::Result<RefusalRecord> {
    let refused: Option<String> = r.get(5)?;
    let conflict_with: Option<String> = r.get(6)?;
    let reason = match (&refused, &conflict_with) {
        (Some(reason), _) => reason.clone(),
        (None, Some(other)) => format!(
            "another transition (event {other}) reached the server first; \
             a supervisor decides which one stands"
        ),
        (None, None) => String::new(),
    };
    Ok(RefusalRecord {
        event_id: r.get(0)?,
        device_seq: r.get(1)?,
        kind: r.get(2)?,
        subject_id: r.get(3)?,
        action: r.get(4)?,
        reason,
        conflict_with,
        recorded_at: r.get(7)?,
        answered_at: r.get(8)?,
    })
}

/// Every event of this device the server did not apply, newest first.
pub fn refusals(conn: &Connection) -> Result<Vec<RefusalRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_REFUSALS} WHERE o.refused IS NOT NULL OR o.conflict_with IS NOT NULL
         ORDER BY e.device_seq DESC"
    ))?;
    let rows = stmt.query_map([], refusal_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// This device's transitions of `hazard_id` the server did not apply, oldest first:
/// `(refused, conflicts)`.
pub fn for_hazard(
    conn: &Connection,
    hazard_id: &str,
) -> Result<(Vec<RefusalRecord>, Vec<RefusalRecord>)> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_REFUSALS} JOIN hazard_transitions t ON t.event_seq = o.event_seq
         WHERE t.hazard_id = ?1 AND (o.refused IS NOT NULL OR o.conflict_with IS NOT NULL)
         ORDER BY e.device_seq"
    ))?;
    let rows = stmt.query_map([hazard_id], refusal_from_row)?;
    let all: Vec<RefusalRecord> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(all.into_iter().partition(|r| r.conflict_with.is_none()))
}

/// The records of these events, if the server did not apply them (for the listener).
pub fn refusals_among(conn: &Connection, device_seqs: &[u64]) -> Result<Vec<RefusalRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_REFUSALS} WHERE o.event_seq = ?1
             AND (o.refused IS NOT NULL OR o.conflict_with IS NOT NULL)"
    ))?;
    let mut out = Vec::new();
    for seq in device_seqs {
        out.extend(
            stmt.query_map([seq], refusal_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
    }
    Ok(out)
}
