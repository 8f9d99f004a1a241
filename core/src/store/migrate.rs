//! Schema migrations: numbered, append-only SQL files applied in order, one transaction each,
//! tracked in `PRAGMA user_version`. A schema newer than the code is refused.
//!
//! Never edit or reorder a shipped migration, and never write one that deletes unsent events or
//! outbox rows: phones upgrade with field work still queued (R1).

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// The migrations, in order; migration `i` (0-based) moves the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/001_journal.sql"),
    include_str!("../../migrations/002_domain.sql"),
    include_str!("../../migrations/003_evidence.sql"),
    include_str!("../../migrations/004_sync.sql"),
    include_str!("../../migrations/005_scans.sql"),
    include_str!("../../migrations/006_closed_loop.sql"),
];

/// The schema version this code creates and understands.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the database up to [`SCHEMA_VERSION`].
pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Brings the database up to `target` (tests stop part-way to exercise every upgrade path).
pub(crate) fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    for version in current..target {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(MIGRATIONS[version as usize])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
        tracing::info!(version = version + 1, "database migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema as SQLite stores it, in a stable order.
    fn schema(conn: &Connection) -> Vec<(String, String, String)> {
        let mut stmt = conn
            .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
            .unwrap();
        let rows = stmt.query_map([], |r| r.try_into()).unwrap();
        rows.map(|r| r.unwrap()).collect()
    }

    /// Unsent work as it could exist at `version`: journal events with outbox rows.
    fn seed_unsent_work(conn: &Connection, version: u32) {
        if version >= 1 {
            for seq in 1..=3 {
                conn.execute(
                    "INSERT INTO events (device_seq, event_id, device_id, kind, payload, device_time,
                                         utc_offset_min, uptime_ms, prev_hash, hash)
                     VALUES (?1, 'e' || ?1, 'dev', 'test.kind', '{}', '2026-01-01T00:00:00.000Z',
                             480, ?1, 'p' || ?1, 'h' || ?1)",
                    [seq],
                )
                .unwrap();
                conn.execute(
                    "INSERT INTO outbox (event_seq, created_at) VALUES (?1, '2026-01-01T00:00:00.000Z')",
                    [seq],
                )
                .unwrap();
            }
        }
    }

    /// Every row of `table` as `column=value` cells. Columns a later migration adds are not
    /// in `columns` of an earlier dump, so old rows compare equal on what they had.
    fn dump(
        conn: &Connection,
        table: &str,
        columns: Option<&[String]>,
    ) -> (Vec<String>, Vec<String>) {
        let cols = match columns {
            Some(c) => c.to_vec(),
            None => {
                let stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
                stmt.column_names().map(str::to_owned).collect()
            }
        };
        let sql = format!("SELECT {} FROM {table} ORDER BY 1", cols.join(", "));
        let mut stmt = conn.prepare(&sql).unwrap();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = cols
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{c}={:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(cells.join("|"))
            })
            .unwrap();
        let rows: Vec<String> = rows.map(|r| r.unwrap()).collect();
        (cols, rows)
    }

    #[test]
    fn every_upgrade_path_equals_a_fresh_schema_and_keeps_unsent_work() {
        let mut fresh = Connection::open_in_memory().unwrap();
        migrate(&mut fresh).unwrap();
        let fresh_schema = schema(&fresh);
        assert!(!fresh_schema.is_empty());

        for start in 0..=SCHEMA_VERSION {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("gp.db");
            let before = {
                let mut conn = Connection::open(&path).unwrap();
                migrate_to(&mut conn, start).unwrap();
                seed_unsent_work(&conn, start);
                (start > 0).then(|| (dump(&conn, "events", None), dump(&conn, "outbox", None)))
            };
            // Reopen, as an app upgrade would, and finish the migration.
            let mut conn = Connection::open(&path).unwrap();
            migrate(&mut conn).unwrap();
            assert_eq!(schema(&conn), fresh_schema, "upgrade from version {start}");
            if let Some(((event_cols, events), (outbox_cols, outbox))) = before {
                assert_eq!(
                    dump(&conn, "events", Some(&event_cols)).1,
                    events,
                    "events kept from version {start}"
                );
                assert_eq!(
                    dump(&conn, "outbox", Some(&outbox_cols)).1,
                    outbox,
                    "outbox kept from version {start}"
                );
                assert_eq!(outbox.len(), 3);
            }
            let fk: Vec<String> = {
                let mut stmt = conn.prepare("PRAGMA foreign_key_check").unwrap();
                let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
                rows.map(|r| r.unwrap()).collect()
            };
            assert!(
                fk.is_empty(),
                "foreign key violations after upgrade from {start}: {fk:?}"
            );
        }
    }

    #[test]
    fn migrations_never_delete_or_drop() {
        for (i, sql) in MIGRATIONS.iter().enumerate() {
            let upper = sql.to_uppercase();
            for banned in [
                "DELETE FROM EVENTS",
                "DELETE FROM OUTBOX",
                "DROP TABLE EVENTS",
                "DROP TABLE OUTBOX",
            ] {
                assert!(
                    !upper.contains(banned),
                    "migration {} contains {banned}",
                    i + 1
                );
            }
        }
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 3)
            .unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(Error::SchemaTooNew { .. })
        ));
    }
}
