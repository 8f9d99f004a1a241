//! The SQLite [`Store`]: one connection behind a mutex (a reference server, not a throughput
//! server), WAL and `synchronous=FULL` on disk, numbered migrations in `migrations/` recorded in
//! `PRAGMA user_version`. Every trait method is one transaction; the SQL lives in the DAO
//! modules beside this one.

mod accounts;
mod deadlines;
mod feed;
mod hazards;
mod journal;
mod lifecycle;
mod notice;
mod projection;
mod reference;
mod reports;
mod warnings;

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use gridpatrol_proto::reference::{ReferencePack, Venue};
use gridpatrol_proto::reports::MyReport;
use gridpatrol_proto::sync::{HazardState, LedgerGroupCount, PushResult};
use gridpatrol_proto::warnings::{WarningForRecipient, WarningTrail};
use gridpatrol_proto::EventEnvelope;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::{
    Account, Caller, ChangesPage, DeviceEnrollment, GridInfo, LedgerFilter, LedgerGroup, LedgerRow,
    NoticeData, Refreshed, ReportRefused, Scope, SigningKeyRecord, Store, StoreError, StoreResult,
    TokenCheck, WebReport,
};
use crate::rules::Rules;

/// Migrations in order; entry N takes the schema from `user_version` N to N + 1.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/001_init.sql"),
    include_str!("../../../migrations/002_closed_loop.sql"),
    include_str!("../../../migrations/003_escalate_at.sql"),
];

/// A [`Store`] in one SQLite database (a file, or memory for tests).
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (creating and migrating) the database file at `path`.
    pub fn open(path: &Path) -> StoreResult<Self> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        Self::setup(conn)
    }

    /// A private in-memory database (tests, `--memory`).
    pub fn open_in_memory() -> StoreResult<Self> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> StoreResult<Self> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> StoreResult<T>) -> StoreResult<T> {
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> StoreResult<T>) -> StoreResult<T> {
        // A deferred transaction gives every read one consistent snapshot.
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = conn.transaction()?;
        f(&tx)
    }
}

fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > MIGRATIONS.len() {
        return Err(StoreError::Backend(format!(
            "the database schema (version {version}) is newer than this server knows ({})",
            MIGRATIONS.len()
        )));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Server time as stored: UTC, RFC 3339 with milliseconds.
fn ts(t: DateTime<Utc>) -> String {
    crate::clock::rfc3339(t)
}

impl Store for SqliteStore {
    fn upsert_account(&self, account: &Account, now: DateTime<Utc>) -> StoreResult<()> {
        self.write(|tx| accounts::upsert(tx, account, now))
    }

    fn add_enrollment_code(
        &self,
        user_id: &str,
        code_hash: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| accounts::add_code(tx, user_id, code_hash, expires_at, now))
    }

    fn enroll(
        &self,
        code_hash: &str,
        device: &DeviceEnrollment<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<Account> {
        self.write(|tx| accounts::enroll(tx, code_hash, device, now))
    }

    fn caller(&self, token_hash: &str) -> StoreResult<Option<Caller>> {
        self.read(|tx| accounts::caller(tx, token_hash))
    }

    fn push(
        &self,
        caller: &Caller,
        events: &[EventEnvelope],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<PushResult>> {
        self.write(|tx| journal::push(tx, caller, events, now))
    }

    fn blob_completed(&self, sha256: &str, length: u64, now: DateTime<Utc>) -> StoreResult<()> {
        self.write(|tx| projection::blob_completed(tx, sha256, length, now))
    }

    fn evidence_pending_events(&self) -> StoreResult<Vec<String>> {
        self.read(journal::evidence_pending_events)
    }

    fn changes(
        &self,
        scope: &Scope,
        user_id: &str,
        since: u64,
        limit: u32,
    ) -> StoreResult<ChangesPage> {
        self.read(|tx| feed::changes(tx, scope, user_id, since, limit))
    }

    fn ledger(&self, scope: &Scope, filter: &LedgerFilter) -> StoreResult<Vec<HazardState>> {
        let rows = self.read(|tx| hazards::ledger_rows(tx, scope, filter))?;
        Ok(rows.into_iter().map(|r| r.hazard).collect())
    }

    fn ledger_rows(&self, scope: &Scope, filter: &LedgerFilter) -> StoreResult<Vec<LedgerRow>> {
        self.read(|tx| hazards::ledger_rows(tx, scope, filter))
    }

    fn ledger_counts(
        &self,
        scope: &Scope,
        filter: &LedgerFilter,
        group_by: &[LedgerGroup],
    ) -> StoreResult<Vec<LedgerGroupCount>> {
        self.read(|tx| hazards::ledger_counts(tx, scope, filter, group_by))
    }

    fn refresh(&self, now: DateTime<Utc>) -> StoreResult<Refreshed> {
        self.write(|tx| {
            Ok(Refreshed {
                hazards: deadlines::refresh(tx, now)?,
                escalations: warnings::refresh(tx, now)?,
            })
        })
    }

    fn hazard_notice(&self, hazard_id: &str) -> StoreResult<Option<(GridInfo, NoticeData)>> {
        self.read(|tx| notice::hazard_notice(tx, hazard_id))
    }

    fn inspection_notice(
        &self,
        inspection_id: &str,
    ) -> StoreResult<Option<(GridInfo, NoticeData)>> {
        self.read(|tx| notice::inspection_notice(tx, inspection_id))
    }

    fn rules(&self, district: &str) -> StoreResult<Rules> {
        self.read(|tx| deadlines::rules(tx, district))
    }

    fn set_rules(&self, district: &str, rules: &Rules, now: DateTime<Utc>) -> StoreResult<()> {
        self.write(|tx| deadlines::set_rules(tx, district, rules, now))
    }

    fn enroll_resident(
        &self,
        device: &DeviceEnrollment<'_>,
        phone: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<Account> {
        self.write(|tx| accounts::enroll_resident(tx, device, phone, now))
    }

    fn check_venue_token(&self, token: &str) -> StoreResult<TokenCheck> {
        self.read(|tx| reports::check_token(tx, token))
    }

    fn web_report(
        &self,
        report: &WebReport,
        now: DateTime<Utc>,
    ) -> StoreResult<Result<(), ReportRefused>> {
        self.write(|tx| reports::web_report(tx, report, now))
    }

    fn report_status(&self, report_id: &str, secret_hash: &str) -> StoreResult<Option<MyReport>> {
        self.read(|tx| reports::report_status(tx, report_id, secret_hash))
    }

    fn set_roster(&self, grid: &str, roster: &[(u32, String)]) -> StoreResult<()> {
        self.write(|tx| warnings::set_roster(tx, grid, roster))
    }

    fn warnings_for(&self, caller: &Caller) -> StoreResult<Vec<WarningForRecipient>> {
        self.read(|tx| warnings::for_user(tx, caller))
    }

    fn warning_trail(&self, warning_id: &str) -> StoreResult<Option<(String, WarningTrail)>> {
        self.read(|tx| warnings::trail(tx, warning_id))
    }

    fn mark_delivered(
        &self,
        user_id: &str,
        warning_ids: &[String],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| warnings::mark_delivered(tx, user_id, warning_ids, now))
    }

    fn upsert_venue(&self, venue: &Venue, now: DateTime<Utc>) -> StoreResult<()> {
        self.write(|tx| reference::upsert_venue(tx, venue, now))
    }

    fn venue(&self, venue_id: &str) -> StoreResult<Option<Venue>> {
        self.read(|tx| reference::venue(tx, venue_id))
    }

    fn grid(&self, grid: &str) -> StoreResult<Option<GridInfo>> {
        self.read(|tx| reference::grid(tx, grid))
    }

    fn grid_venues(&self, grid: &str) -> StoreResult<Vec<Venue>> {
        self.read(|tx| reference::grid_venues(tx, grid))
    }

    fn street_grids(&self, street: &str) -> StoreResult<Vec<String>> {
        self.read(|tx| reference::street_grids(tx, street))
    }

    fn publish_reference_pack(&self, pack: &ReferencePack, now: DateTime<Utc>) -> StoreResult<()> {
        self.write(|tx| reference::publish_pack(tx, pack, now))
    }

    fn reference_pack(&self) -> StoreResult<Option<ReferencePack>> {
        self.read(reference::latest_pack)
    }

    fn add_signing_key(&self, key: &SigningKeyRecord, now: DateTime<Utc>) -> StoreResult<()> {
        self.write(|tx| reference::add_signing_key(tx, key, now))
    }

    fn active_signing_key(&self) -> StoreResult<Option<SigningKeyRecord>> {
        self.read(reference::active_signing_key)
    }

    fn revoke_venue_codes(
        &self,
        venue_id: &str,
        before: u32,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| reference::revoke_venue_codes(tx, venue_id, before, now))
    }

    fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        self.read(|tx| {
            Ok(tx
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()?)
        })
    }

    fn set_meta(&self, key: &str, value: &str) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_database_is_at_the_latest_version_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        drop(SqliteStore::open(&path).unwrap());
        let store = SqliteStore::open(&path).unwrap();
        let conn = store.conn.lock().unwrap();
        let version: usize = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len());
    }

    #[test]
    fn hazards_of_the_first_schema_keep_their_place_and_gain_a_timeline() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO users VALUES ('u1', '张伟', 'worker', NULL, 't');
             INSERT INTO grids VALUES ('g1', 'c1', 's1', 'd1');
             INSERT INTO venues VALUES ('v1', 'g1', 's1', '{}', 't');
             INSERT INTO inspections VALUES ('i1', 'v1', 'g1', 's1', 'dev', 'u1', 'default', 1,
                 '[\"R01\"]', 't0', 't1', '2026-11-28T02:00:00.000Z');
             INSERT INTO hazards VALUES ('h1', 'i1', 'v1', 'g1', 's1', 'R01', 'escape_routes',
                 'suspected_major', 'REPORTED', '后门锁闭', 't0', '2026-11-28T02:00:00.000Z');",
        )
        .unwrap();
        drop(conn);
        let store = SqliteStore::open(&path).unwrap();
        let conn = store.conn.lock().unwrap();
        let (found_by, supervised, by): (String, bool, String) = conn
            .query_row(
                "SELECT h.found_by, h.supervised, s.by_name FROM hazards h
                 JOIN hazard_steps s ON s.hazard_id = h.hazard_id AND s.step_no = 0
                 WHERE h.hazard_id = 'h1'",
                [],
                |r| r.try_into(),
            )
            .unwrap();
        assert_eq!(
            (found_by.as_str(), supervised, by.as_str()),
            ("u1", true, "张伟")
        );
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(matches!(
            SqliteStore::open(&path),
            Err(StoreError::Backend(m)) if m.contains("newer")
        ));
    }
}
