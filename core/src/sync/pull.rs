//! Applying what the server sends: venues, the reference pack, signing keys, venue-code
//! revocations and the hazard ledger, one page per transaction together with the cursor, so a
//! page is applied exactly once whatever happens to the process.

use gridpatrol_proto::sync::{ChangeBody, ChangesResponse};
use rusqlite::{params, Connection, Transaction};

use crate::domain::{catalog, venues};
use crate::error::Result;
use crate::store::text_enum;

const CURSOR_KEY: &str = "changes_cursor";

/// The cursor to ask for changes after.
pub fn cursor(conn: &Connection) -> Result<u64> {
    Ok(crate::store::get_meta(conn, CURSOR_KEY)?
        .and_then(|t| t.parse().ok())
        .unwrap_or(0))
}

/// Applies one page and advances the cursor, in the caller's transaction.
pub fn apply(tx: &Transaction<'_>, page: &ChangesResponse) -> Result<()> {
    for change in &page.changes {
        match &change.body {
            ChangeBody::Venue(v) => {
                venues::upsert(tx, std::slice::from_ref(v))?;
            }
            ChangeBody::ReferencePack(pack) => catalog::install(tx, pack)?,
            ChangeBody::SigningKey(k) => crate::qr::keys::upsert(tx, k)?,
            ChangeBody::VenueCodesRevoked { venue_id, before } => {
                tx.execute(
                    "INSERT INTO venue_code_revocations (venue_id, before) VALUES (?1, ?2)
                     ON CONFLICT (venue_id) DO UPDATE SET before = max(before, excluded.before)",
                    params![venue_id, before],
                )?;
            }
            // Reports and warnings reach the screens with the closed loop (issue 6).
            ChangeBody::Report(_) | ChangeBody::MyReport(_) | ChangeBody::Warning(_) => {}
            ChangeBody::Hazard(h) => {
                tx.execute(
                    "INSERT INTO ledger_hazards (hazard_id, venue_id, grid, inspection_id, item_id,
                         area, grade, status, note, reported_at, received_at, evidence_pending,
                         server_seq)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                     ON CONFLICT (hazard_id) DO UPDATE SET venue_id = excluded.venue_id,
                         grid = excluded.grid, grade = excluded.grade, status = excluded.status,
                         note = excluded.note, evidence_pending = excluded.evidence_pending,
                         server_seq = excluded.server_seq
                     WHERE excluded.server_seq > ledger_hazards.server_seq",
                    params![
                        h.hazard_id,
                        h.venue_id,
                        h.grid,
                        h.inspection_id,
                        h.item_id,
                        h.area,
                        text_enum::to_text(&h.grade),
                        h.status.as_str(),
                        h.note,
                        h.reported_at,
                        h.received_at,
                        h.evidence_pending,
                        change.server_seq,
                    ],
                )?;
            }
        }
    }
    crate::store::set_meta(tx, CURSOR_KEY, &page.next_cursor.to_string())
}
