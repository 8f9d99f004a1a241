//! Opening connections: pragmas, the integrity check, and quarantining a corrupt file.
//!
//! A corrupt database may still hold unsent field work, so it is renamed aside (with its WAL and
//! shared-memory files) for recovery, never deleted. A database from a newer app version is not
//! corrupt: opening it fails instead, leaving it untouched.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{ffi, Connection, ErrorCode, OpenFlags};

use super::migrate;
use crate::error::{Error, Result};

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens the writer connection, migrating the schema; quarantines the file once if it is corrupt.
pub(super) fn open_writer(path: &Path) -> Result<(Connection, Option<PathBuf>)> {
    match try_open_writer(path) {
        Ok(conn) => Ok((conn, None)),
        Err(err) if is_corruption(&err) => {
            tracing::error!(error = %err, "database unreadable; quarantining it");
            let moved = quarantine(path)?;
            Ok((try_open_writer(path)?, Some(moved)))
        }
        Err(err) => Err(err),
    }
}

/// Opens a read-only connection to an already migrated database.
pub(super) fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

fn try_open_writer(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Check before writing anything, so a quarantined file keeps exactly the bytes it had.
    // A file that is not a database fails here (NotADatabase).
    let check: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(corrupt(format!("quick_check: {check}")));
    }
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::InvalidInput(format!(
            "database refused WAL mode ({mode})"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate::migrate(&mut conn)?;
    Ok(conn)
}

fn corrupt(message: String) -> Error {
    Error::Sqlite(rusqlite::Error::SqliteFailure(
        ffi::Error::new(ffi::SQLITE_CORRUPT),
        Some(message),
    ))
}

fn is_corruption(err: &Error) -> bool {
    matches!(
        err,
        Error::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if matches!(e.code, ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

/// Moves the database and its `-wal`/`-shm` companions to `<name>.corrupt-<UTC time>[-wal|-shm]`.
fn quarantine(path: &Path) -> Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let target = PathBuf::from(format!("{}.corrupt-{stamp}", path.display()));
    for suffix in ["-wal", "-shm", ""] {
        let from = PathBuf::from(format!("{}{suffix}", path.display()));
        if from.exists() {
            std::fs::rename(&from, format!("{}{suffix}", target.display()))?;
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_garbage_file_is_quarantined_with_its_bytes_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gp.db");
        let junk = b"this is not an SQLite database, but it may be all the user has".repeat(100);
        std::fs::write(&path, &junk).unwrap();
        let (conn, moved) = open_writer(&path).unwrap();
        let moved = moved.expect("quarantined");
        assert!(
            std::fs::read(&moved).unwrap() == junk,
            "quarantined bytes differ"
        );
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, migrate::SCHEMA_VERSION);
    }

    #[test]
    fn a_damaged_page_is_quarantined() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gp.db");
        {
            let (conn, _) = open_writer(&path).unwrap();
            conn.execute_batch(
                "PRAGMA journal_mode = DELETE;
                 CREATE TABLE filler (x TEXT);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                 INSERT INTO filler SELECT hex(randomblob(64)) FROM n;",
            )
            .unwrap();
        }
        // Overwrite the middle of the file (b-tree pages), keeping the header valid.
        let mut bytes = std::fs::read(&path).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid..mid + 8192].fill(0xA5);
        std::fs::write(&path, &bytes).unwrap();
        let (_conn, moved) = open_writer(&path).unwrap();
        assert!(
            std::fs::read(moved.expect("quarantined")).unwrap() == bytes,
            "quarantined bytes differ"
        );
    }

    #[test]
    fn a_newer_schema_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gp.db");
        {
            let (conn, _) = open_writer(&path).unwrap();
            conn.pragma_update(None, "user_version", migrate::SCHEMA_VERSION + 1)
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        match open_writer(&path) {
            Err(Error::SchemaTooNew { found, known }) => {
                assert_eq!(
                    (found, known),
                    (migrate::SCHEMA_VERSION + 1, migrate::SCHEMA_VERSION)
                );
            }
            other => panic!("expected SchemaTooNew, got {:?}", other.map(|_| ())),
        }
        assert!(
            std::fs::read(&path).unwrap() == before,
            "a refused database was modified"
        );
        assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("corrupt")));
    }
}
