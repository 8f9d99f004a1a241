//! SQLite storage: one writer connection (`BEGIN IMMEDIATE`), read connections beside it, WAL
//! with `synchronous=FULL` so a recorded inspection survives power loss, migrations on open, and
//! a corrupt file quarantined rather than deleted (docs/adr/0002-storage.md).

mod migrate;
mod open;
pub mod text_enum;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::Result;

pub use migrate::SCHEMA_VERSION;

/// Idle read connections kept for reuse; more are opened when screens read concurrently.
const READER_POOL: usize = 4;

/// The database of one installation.
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    quarantined: Option<PathBuf>,
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`. A file SQLite cannot read
    /// is moved aside to `<path>.corrupt-<UTC time>` and a new database is created.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let (writer, quarantined) = open::open_writer(path)?;
        Ok(Store {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            quarantined,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where a corrupt database found at open was moved, if one was.
    pub fn quarantined(&self) -> Option<&Path> {
        self.quarantined.as_deref()
    }

    /// Runs `f` in one write transaction; commits when it returns `Ok`, rolls back otherwise.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on a read connection; it sees the last committed state.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = match lock(&self.readers).pop() {
            Some(conn) => conn,
            None => open::open_reader(&self.path)?,
        };
        let out = f(&conn);
        let mut pool = lock(&self.readers);
        if pool.len() < READER_POOL {
            pool.push(conn);
        }
        out
    }
}

/// Sets a `meta` value.
pub fn set_meta(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        rusqlite::params![key, value],
    )?;
    Ok(())
}

/// Reads a `meta` value.
pub fn get_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// An empty in-memory database with the current schema (replay checks).
pub fn scratch() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate::migrate(&mut conn)?;
    Ok(conn)
}

// A panic inside a transaction closure rolls the transaction back when it unwinds, so the
// connection behind a poisoned lock is still consistent and safe to keep using.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_fails_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("gp.db")).unwrap();
        let r: Result<()> = store.write(|tx| {
            tx.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')", [])?;
            Err(crate::error::Error::InvalidInput("no".into()))
        });
        assert!(r.is_err());
        let n: i64 = store
            .read(|c| {
                Ok(
                    c.query_row("SELECT count(*) FROM meta WHERE key = 'k'", [], |r| {
                        r.get(0)
                    })?,
                )
            })
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn readers_see_committed_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("gp.db")).unwrap();
        store
            .write(|tx| Ok(tx.execute("INSERT INTO meta (key, value) VALUES ('a', '1')", [])?))
            .unwrap();
        let v: String = store
            .read(|c| Ok(c.query_row("SELECT value FROM meta WHERE key = 'a'", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(v, "1");
    }
}
