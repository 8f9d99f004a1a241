//! The changes feed, filtered by scope. Change rows carry the grid and street they belong to
//! (both NULL: visible to everyone), or the one user they are for (a warning's recipient, a
//! report's reporter), so scoping is one `WHERE`.

use chrono::{DateTime, Utc};
use gridpatrol_proto::sync::{Change, ChangeBody};
use rusqlite::{params, Transaction};

use super::ts;
use crate::store::{ChangesPage, Scope, StoreResult};

/// Appends one change; `place` is `(grid, street)`, `None` for district-wide data.
pub fn append_change(
    tx: &Transaction<'_>,
    body: &ChangeBody,
    entity_id: &str,
    place: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    insert(tx, body, entity_id, place, None, now)
}

/// Appends a change for a whole street's supervisors but no grid's workers (a report far
/// from every venue).
pub fn append_street_change(
    tx: &Transaction<'_>,
    body: &ChangeBody,
    entity_id: &str,
    street: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let json = serde_json::to_value(body)?;
    let kind = json["type"].as_str().unwrap_or_default().to_owned();
    tx.execute(
        "INSERT INTO changes (type, entity_id, grid, street, body, created_at)
         VALUES (?1, ?2, NULL, ?3, ?4, ?5)",
        params![kind, entity_id, street, json.to_string(), ts(now)],
    )?;
    Ok(())
}

/// Appends a change only `user_id` reads (their warning, their own report).
pub fn append_user_change(
    tx: &Transaction<'_>,
    body: &ChangeBody,
    entity_id: &str,
    user_id: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    insert(tx, body, entity_id, None, Some(user_id), now)
}

fn insert(
    tx: &Transaction<'_>,
    body: &ChangeBody,
    entity_id: &str,
    place: Option<(&str, &str)>,
    user_id: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let json = serde_json::to_value(body)?;
    let kind = json["type"].as_str().unwrap_or_default().to_owned();
    tx.execute(
        "INSERT INTO changes (type, entity_id, grid, street, user_id, body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            kind,
            entity_id,
            place.map(|p| p.0),
            place.map(|p| p.1),
            user_id,
            json.to_string(),
            ts(now)
        ],
    )?;
    Ok(())
}

/// A condition restricting rows of `table` (columns `grid`, `street`) to `scope`, and the value
/// to bind as `?N` (`param`): a JSON array of grids, or a street. With `everyone`, rows whose
/// grid and street are both NULL (district-wide data) are included.
pub fn scope_condition(scope: &Scope, table: &str, everyone: bool, param: u8) -> (String, String) {
    let all = if everyone {
        format!("({table}.grid IS NULL AND {table}.street IS NULL) OR ")
    } else {
        String::new()
    };
    match scope {
        Scope::Grids(grids) => (
            format!("({all}{table}.grid IN (SELECT value FROM json_each(?{param})))"),
            serde_json::to_string(grids).unwrap_or_else(|_| "[]".into()),
        ),
        Scope::Street(street) => (format!("({all}{table}.street = ?{param})"), street.clone()),
        // Residents see no venue, hazard or grid report rows: only district-wide data and the
        // rows addressed to them. The parameter is still referenced so that every scope binds
        // the same parameters.
        Scope::Own(_) => (format!("({all}?{param} IS NULL)"), String::new()),
    }
}

pub fn changes(
    tx: &Transaction<'_>,
    scope: &Scope,
    user_id: &str,
    since: u64,
    limit: u32,
) -> StoreResult<ChangesPage> {
    let (condition, param) = scope_condition(scope, "changes", true, 2);
    // A row for one user is never "everyone's" even though its grid and street are NULL.
    let sql = format!(
        "SELECT server_seq, body FROM changes WHERE server_seq > ?1
           AND ((changes.user_id IS NULL AND {condition}) OR changes.user_id = ?4)
         ORDER BY server_seq LIMIT ?3"
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![since, param, i64::from(limit) + 1, user_id], |r| {
        Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut changes = Vec::new();
    for row in rows {
        let (server_seq, body) = row?;
        changes.push(Change {
            server_seq,
            body: serde_json::from_str(&body)?,
        });
    }
    let more = changes.len() > limit as usize;
    changes.truncate(limit as usize);
    let next_cursor = if more {
        changes.last().map_or(since, |c| c.server_seq)
    } else {
        // Everything up to the head was either returned or out of scope: skip past it, so the
        // next poll does not rescan rows this caller will never see.
        let head: u64 = tx.query_row(
            "SELECT COALESCE(MAX(server_seq), 0) FROM changes",
            [],
            |r| r.get(0),
        )?;
        head.max(since)
    };
    Ok(ChangesPage {
        changes,
        next_cursor,
        more,
    })
}
