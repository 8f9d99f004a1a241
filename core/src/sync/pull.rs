//! Applying what the server sends: venues, the reference pack, signing keys, venue-code
//! revocations, the hazard ledger, residents' reports and warnings, one page per transaction
//! together with the cursor, so a page is applied exactly once whatever happens to the process.

use gridpatrol_proto::sync::{ChangeBody, ChangesResponse};
use rusqlite::{params, Connection, Transaction};

use crate::domain::{catalog, ledger, outcomes, reports, venues, warnings};
use crate::error::Result;

const CURSOR_KEY: &str = "changes_cursor";

/// What a page brought that the user must hear about at once.
#[derive(Debug, Default)]
pub struct News {
    /// Warnings new to this device, or escalated to this user since (ids).
    pub warnings: Vec<String>,
}

/// The cursor to ask for changes after.
pub fn cursor(conn: &Connection) -> Result<u64> {
    Ok(crate::store::get_meta(conn, CURSOR_KEY)?
        .and_then(|t| t.parse().ok())
        .unwrap_or(0))
}

/// Applies one page and advances the cursor, in the caller's transaction. The last page of a
/// pull (`more` false) also marks every answer the server gave so far as pulled back.
pub fn apply(tx: &Transaction<'_>, page: &ChangesResponse) -> Result<News> {
    let mut news = News::default();
    for change in &page.changes {
        let seq = change.server_seq;
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
            ChangeBody::Hazard(h) => ledger::store(tx, h, seq)?,
            ChangeBody::Report(r) => reports::store_for_grid(tx, r, seq)?,
            ChangeBody::MyReport(r) => reports::store_mine(tx, r, seq)?,
            ChangeBody::Warning(w) => {
                if warnings::store(tx, w, Some(seq))? && !news.warnings.contains(&w.warning_id) {
                    news.warnings.push(w.warning_id.clone());
                }
            }
        }
    }
    if !page.more {
        outcomes::mark_pulled(tx)?;
    }
    crate::store::set_meta(tx, CURSOR_KEY, &page.next_cursor.to_string())?;
    Ok(news)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page(changes: serde_json::Value, more: bool) -> ChangesResponse {
        serde_json::from_value(json!({
            "changes": changes, "next_cursor": 9, "more": more,
            "server_time": "2026-11-28T01:00:00.000Z"
        }))
        .unwrap()
    }

    fn warning(seq: u64, escalated_from: Option<&str>, acknowledged: bool) -> serde_json::Value {
        json!({"server_seq": seq, "type": "warning", "data": {
            "warning_id": "W-1", "level": "red", "warning_type": "rainstorm",
            "grids": ["劲松三区-03"], "text": "暴雨", "issued_at": "2026-11-28T01:00:00.000Z",
            "issued_by": "街道应急办", "ack_due_at": "2026-11-28T01:30:00.000Z",
            "escalated_from": escalated_from, "acknowledged": acknowledged}})
    }

    #[test]
    fn the_closed_loops_changes_are_stored_and_new_warnings_reported() {
        let mut conn = crate::store::scratch().unwrap();
        let tx = conn.transaction().unwrap();
        let hazard = json!({"server_seq": 1, "type": "hazard", "data": {
            "hazard_id": "H-1", "venue_id": "V", "grid": "G", "inspection_id": null,
            "item_id": null, "report_id": "R-1", "area": "gas", "grade": "general",
            "status": "ASSIGNED", "note": null, "reported_at": "t0", "received_at": "t1",
            "evidence_pending": false, "deadline": "2026-12-05T00:00:00Z", "overdue": true,
            "supervised": true, "escalated": false, "owner": "店主", "department": null,
            "merged_into": null, "conflicts": ["e-1"],
            "timeline": [{"action": "assign", "status": "ASSIGNED", "at": "t2", "by": "x",
                          "note": null, "photos": []}]}});
        let report = json!({"server_seq": 2, "type": "report", "data": {
            "report_id": "R-1", "category": "gas", "description": "煤气味", "location": null,
            "venue_id": "V", "grid": "G", "status": "dispatched", "photos": [],
            "received_at": "t1", "hazard_id": null}});
        let mine = json!({"server_seq": 3, "type": "my_report", "data": {
            "report_id": "R-2", "category": "fire", "description": "d", "status": "received",
            "steps": [{"status": "received", "at": "t1", "note": null}]}});
        let news = apply(
            &tx,
            &page(json!([hazard, report, mine, warning(4, None, false)]), true),
        )
        .unwrap();
        assert_eq!(news.warnings, ["W-1"]);
        let row: (String, bool, bool, String, String) = tx
            .query_row(
                "SELECT status, overdue, supervised, owner, conflicts FROM ledger_hazards",
                [],
                |r| r.try_into(),
            )
            .unwrap();
        assert_eq!(
            row,
            (
                "ASSIGNED".into(),
                true,
                true,
                "店主".into(),
                r#"["e-1"]"#.into()
            )
        );
        assert_eq!(
            reports::for_grid(&tx).unwrap()[0].status,
            gridpatrol_proto::reports::ReportStatus::Dispatched
        );
        assert_eq!(reports::mine(&tx).unwrap()[0].steps.len(), 1);
        assert_eq!(cursor(&tx).unwrap(), 9);

        // The same warning again: not news. Escalated to this user: news. An older change: ignored.
        assert!(apply(&tx, &page(json!([warning(5, None, false)]), false))
            .unwrap()
            .warnings
            .is_empty());
        let escalated = apply(
            &tx,
            &page(json!([warning(6, Some("worker 1"), false)]), false),
        )
        .unwrap();
        assert_eq!(escalated.warnings, ["W-1"]);
        apply(&tx, &page(json!([warning(2, None, true)]), false)).unwrap();
        assert!(!warnings::get(&tx, "W-1").unwrap().acknowledged);
    }

    #[test]
    fn only_the_last_page_of_a_pull_marks_the_answers_pulled_back() {
        let mut conn = crate::store::scratch().unwrap();
        let tx = conn.transaction().unwrap();
        let answer = outcomes::Outcome {
            device_seq: 1,
            server_seq: Some(10),
            refused: None,
            conflict_with: None,
        };
        outcomes::record(&tx, &[answer], "t").unwrap();
        let pulled = |tx: &Transaction<'_>| -> bool {
            tx.query_row("SELECT pulled FROM event_outcomes", [], |r| r.get(0))
                .unwrap()
        };
        apply(&tx, &page(json!([]), true)).unwrap();
        assert!(!pulled(&tx));
        apply(&tx, &page(json!([]), false)).unwrap();
        assert!(pulled(&tx));
    }
}
