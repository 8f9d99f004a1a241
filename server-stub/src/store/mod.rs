//! Storage behind two traits, so that outgrowing one machine is a new implementation rather than
//! a rewrite (DESIGN.md "server-stub"): [`Store`] for accounts, the event log, its projections,
//! reference data and the changes feed; [`BlobStore`] for evidence bytes. This crate ships
//! SQLite ([`SqliteStore`]) and the file system ([`FsBlobStore`]).
//!
//! Each `Store` method is one transaction. Methods are synchronous: handlers call them on the
//! blocking pool ([`crate::state::AppState::db`]).

mod blobs;
mod scope;
mod sqlite;

use chrono::{DateTime, Utc};
use gridpatrol_proto::reference::{ReferencePack, Venue};
use gridpatrol_proto::reports::{MyReport, ReportCategory};
use gridpatrol_proto::sync::{Change, HazardState, LedgerGroupCount, PushResult, Role};
use gridpatrol_proto::warnings::{WarningForRecipient, WarningTrail};
use gridpatrol_proto::EventEnvelope;

use crate::rules::Rules;

pub use blobs::{BlobAppender, BlobProgress, BlobStore, Finish, FsBlobStore};
pub use scope::{Caller, Scope};
pub use sqlite::SqliteStore;

/// A person who may enroll devices, and what they may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub user_id: String,
    pub display_name: String,
    pub role: Role,
    /// Grids a worker works in; a supervisor's are derived from their street.
    pub grids: Vec<String>,
    /// A supervisor's street (required); a worker's street (informational).
    pub street: Option<String>,
}

/// A device redeeming an enrollment code.
#[derive(Debug, Clone)]
pub struct DeviceEnrollment<'a> {
    pub device_id: &'a str,
    pub device_name: Option<&'a str>,
    /// SHA-256 (hex) of the bearer token the device will use.
    pub token_hash: &'a str,
}

/// Where a grid sits in the administrative tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridInfo {
    pub grid: String,
    pub community: String,
    pub street: String,
    pub district: String,
}

/// A signing key for venue codes, with its secret half.
#[derive(Clone)]
pub struct SigningKeyRecord {
    pub key_id: u32,
    pub secret: [u8; 32],
    pub revoked: bool,
}

/// One page of the changes feed.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangesPage {
    pub changes: Vec<Change>,
    pub next_cursor: u64,
    pub more: bool,
}

/// Optional ledger filters (AND-ed); scope is applied first.
#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    /// 区
    pub district: Option<String>,
    /// 街乡
    pub street: Option<String>,
    /// 社区
    pub community: Option<String>,
    /// 网格
    pub grid: Option<String>,
    /// Hazard area code, e.g. `escape_routes`.
    pub area: Option<String>,
    /// Venue type code, e.g. `small_eatery`.
    pub venue_type: Option<String>,
    /// The venue's industry, e.g. `餐饮`.
    pub industry: Option<String>,
    /// `general` or `suspected_major`.
    pub grade: Option<String>,
    /// DOMAIN.md status, e.g. `REPORTED`.
    pub status: Option<String>,
    pub overdue: Option<bool>,
}

/// What the ledger counts can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerGroup {
    District,
    Street,
    Community,
    Grid,
    Area,
    VenueType,
    Industry,
    Grade,
    Status,
    Overdue,
}

impl LedgerGroup {
    pub const ALL: [LedgerGroup; 10] = [
        LedgerGroup::District,
        LedgerGroup::Street,
        LedgerGroup::Community,
        LedgerGroup::Grid,
        LedgerGroup::Area,
        LedgerGroup::VenueType,
        LedgerGroup::Industry,
        LedgerGroup::Grade,
        LedgerGroup::Status,
        LedgerGroup::Overdue,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LedgerGroup::District => "district",
            LedgerGroup::Street => "street",
            LedgerGroup::Community => "community",
            LedgerGroup::Grid => "grid",
            LedgerGroup::Area => "area",
            LedgerGroup::VenueType => "venue_type",
            LedgerGroup::Industry => "industry",
            LedgerGroup::Grade => "grade",
            LedgerGroup::Status => "status",
            LedgerGroup::Overdue => "overdue",
        }
    }

    pub fn parse(text: &str) -> Option<LedgerGroup> {
        LedgerGroup::ALL.into_iter().find(|g| g.name() == text)
    }
}

/// A ledger line with what the CSV export prints beside the hazard.
#[derive(Debug, Clone)]
pub struct LedgerRow {
    pub hazard: HazardState,
    pub venue: Option<Venue>,
    pub district: String,
    pub street: String,
    pub community: String,
}

/// Everything a rectification notice (整改通知书) prints.
#[derive(Debug, Clone)]
pub struct NoticeData {
    /// The hazard or inspection id the notice is for.
    pub subject_id: String,
    pub venue: Venue,
    pub items: Vec<NoticeItem>,
    /// The inspector (or the worker who checked a resident's report): staff names.
    pub inspectors: Vec<String>,
    pub rules: Rules,
}

/// One hazard on a notice.
#[derive(Debug, Clone)]
pub struct NoticeItem {
    pub hazard: HazardState,
    /// The checklist item's title, or the hazard area's name.
    pub title: String,
    /// The fix deadline (server time), if one is set.
    pub fix_deadline: Option<String>,
    /// Evidence photos (SHA-256), in the order they were attached.
    pub photos: Vec<String>,
}

/// A report from the venue page's web form (no account, no device).
#[derive(Debug, Clone)]
pub struct WebReport {
    pub report_id: String,
    pub venue_id: String,
    pub category: ReportCategory,
    pub description: String,
    pub phone: Option<String>,
    pub photos: Vec<String>,
    /// `web:<client address>`: what the rate limit counts.
    pub rate_key: String,
    /// SHA-256 of the status link's key.
    pub secret_hash: String,
}

/// Why a report was not taken (the rate limit): shown to the reporter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRefused(pub String);

/// A venue code checked against the server's keys.
#[derive(Debug, Clone)]
pub enum TokenCheck {
    Valid(Box<Venue>),
    /// Forged, malformed, unknown or revoked key, revoked codes, unknown venue: why.
    Invalid(String),
}

/// What a periodic or lazy evaluation changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Hazards whose overdue or escalated flag changed.
    pub hazards: usize,
    /// Warning receipts added by escalation.
    pub escalations: usize,
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The enrollment code is unknown, used or expired (deliberately not told apart).
    #[error("the enrollment code is unknown, already used or expired")]
    InvalidCode,
    /// The device id is enrolled to another user.
    #[error("this device is enrolled to another user")]
    DeviceTaken,
    /// A referenced record does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The input is inconsistent (e.g. a worker account without grids).
    #[error("{0}")]
    Invalid(String),
    /// The backend failed (I/O, SQL, corrupt row).
    #[error("storage failure: {0}")]
    Backend(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Backend(e.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Backend(format!("stored JSON is unreadable: {e}"))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Accounts, the event log and what is derived from it, reference data, the changes feed.
///
/// Invariants every implementation keeps: a change row is written in the same transaction as
/// the data it describes, and `server_seq`s (of events and of changes) are assigned in commit
/// order, so a reader that saw seq N has seen everything below it.
pub trait Store: Send + Sync + 'static {
    /// Creates or updates a user (and their grids).
    fn upsert_account(&self, account: &Account, now: DateTime<Utc>) -> StoreResult<()>;
    /// Stores a new single-use enrollment code (its SHA-256) for an existing user.
    fn add_enrollment_code(
        &self,
        user_id: &str,
        code_hash: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Redeems a code for a device: stores the device with its token hash (replacing an older
    /// token of the same device) and returns the account.
    fn enroll(
        &self,
        code_hash: &str,
        device: &DeviceEnrollment<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<Account>;
    /// The caller a bearer token (its SHA-256) belongs to.
    fn caller(&self, token_hash: &str) -> StoreResult<Option<Caller>>;

    /// Takes a device's events in order, stopping at the first one not taken (ADR 0007).
    fn push(
        &self,
        caller: &Caller,
        events: &[EventEnvelope],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<PushResult>>;
    /// Records that a blob is stored and verified; idempotent. Hazards whose evidence this
    /// completes get a new change.
    fn blob_completed(&self, sha256: &str, length: u64, now: DateTime<Utc>) -> StoreResult<()>;
    /// Ids of events still waiting for a blob, in commit order.
    fn evidence_pending_events(&self) -> StoreResult<Vec<String>>;

    /// Changes after `since` visible in `scope` (and rows for `user_id` alone), at most `limit`.
    fn changes(
        &self,
        scope: &Scope,
        user_id: &str,
        since: u64,
        limit: u32,
    ) -> StoreResult<ChangesPage>;
    /// Hazards in `scope`, newest report first.
    fn ledger(&self, scope: &Scope, filter: &LedgerFilter) -> StoreResult<Vec<HazardState>>;
    /// The same, with the venue and the administrative path (CSV export).
    fn ledger_rows(&self, scope: &Scope, filter: &LedgerFilter) -> StoreResult<Vec<LedgerRow>>;
    /// Hazards per group of the ledger (after the filters).
    fn ledger_counts(
        &self,
        scope: &Scope,
        filter: &LedgerFilter,
        group_by: &[LedgerGroup],
    ) -> StoreResult<Vec<LedgerGroupCount>>;
    /// Re-evaluates deadlines (overdue, escalation) and unacknowledged warnings at `now`,
    /// appending changes for what moved.
    fn refresh(&self, now: DateTime<Utc>) -> StoreResult<Refreshed>;
    /// What a notice for one hazard prints, with its grid and street (scope).
    fn hazard_notice(&self, hazard_id: &str) -> StoreResult<Option<(GridInfo, NoticeData)>>;
    /// What a notice for every hazard of an inspection prints.
    fn inspection_notice(&self, inspection_id: &str)
        -> StoreResult<Option<(GridInfo, NoticeData)>>;
    /// A district's rules (the defaults when it has none).
    fn rules(&self, district: &str) -> StoreResult<Rules>;
    /// Replaces a district's rules (`Invalid` when a value is out of range).
    fn set_rules(&self, district: &str, rules: &Rules, now: DateTime<Utc>) -> StoreResult<()>;

    /// Registers an anonymous resident device: a new resident user, its device and token.
    fn enroll_resident(
        &self,
        device: &DeviceEnrollment<'_>,
        phone: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<Account>;
    /// Checks a venue code against the server's keys and revocations.
    fn check_venue_token(&self, token: &str) -> StoreResult<TokenCheck>;
    /// Takes a web-form report (dispatched to the venue's grid), or refuses it (rate limit).
    fn web_report(
        &self,
        report: &WebReport,
        now: DateTime<Utc>,
    ) -> StoreResult<Result<(), ReportRefused>>;
    /// A report as its reporter sees it, if `secret_hash` is its status link's key.
    fn report_status(&self, report_id: &str, secret_hash: &str) -> StoreResult<Option<MyReport>>;

    /// Replaces a grid's duty roster after its workers: `(position ≥ 1, user_id)`.
    fn set_roster(&self, grid: &str, roster: &[(u32, String)]) -> StoreResult<()>;
    /// Warnings the caller received (supervisors: also every warning of their street).
    fn warnings_for(&self, caller: &Caller) -> StoreResult<Vec<WarningForRecipient>>;
    /// A warning and its receipt trail, with the street it was issued in (scope).
    fn warning_trail(&self, warning_id: &str) -> StoreResult<Option<(String, WarningTrail)>>;
    /// Records the first delivery of these warnings to the user's device.
    fn mark_delivered(
        &self,
        user_id: &str,
        warning_ids: &[String],
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Adds or replaces a venue (and its grid), with a change.
    fn upsert_venue(&self, venue: &Venue, now: DateTime<Utc>) -> StoreResult<()>;
    fn venue(&self, venue_id: &str) -> StoreResult<Option<Venue>>;
    fn grid(&self, grid: &str) -> StoreResult<Option<GridInfo>>;
    /// Venues of one grid, by id.
    fn grid_venues(&self, grid: &str) -> StoreResult<Vec<Venue>>;
    /// Every grid of a street, by name.
    fn street_grids(&self, street: &str) -> StoreResult<Vec<String>>;
    /// Publishes a reference pack (a change) unless this version is already published.
    fn publish_reference_pack(&self, pack: &ReferencePack, now: DateTime<Utc>) -> StoreResult<()>;
    /// The newest published reference pack.
    fn reference_pack(&self) -> StoreResult<Option<ReferencePack>>;
    /// Adds a venue-code signing key, with a change publishing its public half.
    fn add_signing_key(&self, key: &SigningKeyRecord, now: DateTime<Utc>) -> StoreResult<()>;
    /// The newest key that is not revoked.
    fn active_signing_key(&self) -> StoreResult<Option<SigningKeyRecord>>;
    /// Refuses codes of `venue_id` issued before `before` (Unix seconds), with a change.
    fn revoke_venue_codes(
        &self,
        venue_id: &str,
        before: u32,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// A small key-value table for one-off facts (e.g. that the demo was seeded).
    fn meta(&self, key: &str) -> StoreResult<Option<String>>;
    fn set_meta(&self, key: &str, value: &str) -> StoreResult<()>;
}
