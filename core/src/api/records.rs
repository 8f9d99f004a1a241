//! The records the screens read: one flat record per row, one `Vec` per screen, labels already
//! in the app's language. Domain queries return these directly; they are the screen contract.
//!
//! Times are UTC RFC 3339 strings with milliseconds (`2026-11-28T02:30:00.000Z`).

use serde::{Deserialize, Serialize};

pub use super::evidence::{
    EvidenceInfo, EvidenceProblem, EvidenceReport, EvidenceTarget, GarbageReport,
};
pub use gridpatrol_proto::events::{HazardGrade, Verdict};
pub use gridpatrol_proto::reference::{CoordSystem, GeoPoint, RiskColour};

// Wire types from `gridpatrol-proto` that cross the FFI: uniffi needs their shape restated here
// (`uniffi::remote`); the compiler checks it matches the real definition.

/// The map coordinate system a point was recorded in: GPS reports WGS-84, Chinese maps GCJ-02.
#[uniffi::remote(Enum)]
pub enum CoordSystem {
    Wgs84,
    Gcj02,
}

/// A point on the map, with the coordinate system it was recorded in.
#[uniffi::remote(Record)]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
    pub coord_system: CoordSystem,
}

/// A venue's risk colour (风险等级): red is highest.
#[uniffi::remote(Enum)]
pub enum RiskColour {
    Red,
    Orange,
    Yellow,
    Blue,
}

/// A checklist answer: pass, fail, or not applicable at this venue.
#[uniffi::remote(Enum)]
pub enum Verdict {
    Pass,
    Fail,
    Na,
}

/// A hazard's grade. A grid worker never decides "major": they mark it suspected.
#[uniffi::remote(Enum)]
pub enum HazardGrade {
    General,
    SuspectedMajor,
}

/// How a GridPatrol instance is opened.
#[derive(Debug, Clone, uniffi::Record)]
pub struct GridPatrolConfig {
    /// The SQLite database file; created with its folder if missing.
    pub database_path: String,
    /// The folder for evidence photos (app-private storage); created if missing.
    pub evidence_dir: String,
    /// Label language: `zh-CN` (default) or `en`.
    pub locale: Option<String>,
}

/// A venue in the worker's list.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct VenueRecord {
    pub venue_id: String,
    pub name: String,
    /// Venue type code, e.g. `small_eatery`.
    pub venue_type: String,
    /// The type's label in the app's language, e.g. 小餐饮场所.
    pub venue_type_name: String,
    /// One of the nine small venues (九小场所).
    pub small_venue: bool,
    pub industry: String,
    pub address: String,
    /// 区
    pub district: String,
    /// 街乡
    pub street: String,
    /// 社区
    pub community: String,
    /// 网格
    pub grid: String,
    pub location: Option<GeoPoint>,
    pub responsible_name: Option<String>,
    pub responsible_phone: Option<String>,
    pub risk_colour: RiskColour,
}

/// Whether an inspection is still being filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum InspectionStatus {
    InProgress,
    Finished,
}

/// An inspection, as the inspection list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct InspectionRecord {
    pub inspection_id: String,
    pub venue_id: String,
    pub venue_name: String,
    pub template_id: String,
    /// The checklist version pinned when the inspection started.
    pub template_version: u32,
    pub status: InspectionStatus,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// Items that apply to this venue.
    pub item_count: u32,
    pub answered_count: u32,
    pub failed_count: u32,
}

/// A hazard area of the checklist pack (消防器材, 疏散通道, …) with its label in the app's
/// language: what a hazard is filed under (`ReportFinding::Hazard`'s `area`).
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct HazardAreaRecord {
    pub code: String,
    pub label: String,
}

/// One row of the checklist screen: the item and its answer so far.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct ChecklistEntry {
    pub item_id: String,
    /// Hazard area code, e.g. `escape_routes`.
    pub area: String,
    pub area_name: String,
    pub title: String,
    /// A failed answer needs a photo.
    pub photo_on_fail: bool,
    /// A failure may be marked suspected major (疑似重大).
    pub may_be_major: bool,
    pub answer: Option<AnswerRecord>,
    /// Photos attached to this answer.
    pub photo_count: u32,
}

/// A recorded answer.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct AnswerRecord {
    pub verdict: Verdict,
    pub note: Option<String>,
    pub suspected_major: bool,
    pub answered_at: String,
}

/// A hazard in the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct HazardRecord {
    pub hazard_id: String,
    pub venue_id: String,
    pub venue_name: String,
    pub grid: String,
    pub inspection_id: String,
    pub item_id: String,
    pub item_title: String,
    pub area: String,
    pub area_name: String,
    pub grade: HazardGrade,
    /// The DOMAIN.md state, e.g. `REPORTED`.
    pub status: String,
    pub note: Option<String>,
    pub reported_at: String,
}

/// What finishing an inspection produced.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct InspectionSummary {
    pub inspection: InspectionRecord,
    /// One hazard per failed item.
    pub hazards: Vec<HazardRecord>,
}

/// The result of walking the event journal.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct JournalReport {
    /// True when every event links and matches its hash and the projections agree.
    pub intact: bool,
    /// Events verified before the first bad one (all of them when the chain is intact).
    pub events: u64,
    /// The first bad event, when there is one.
    pub first_bad: Option<BadEventRecord>,
    /// Rows where replaying the journal disagrees with the stored tables (checked only when the
    /// chain is intact).
    pub projection_differences: Vec<String>,
}

/// The first event that failed verification.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct BadEventRecord {
    pub device_seq: u64,
    pub event_id: String,
    pub problem: String,
}

/// What is waiting to be sent, and what the last sync learned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct OutboxStatus {
    /// Journal events not yet acknowledged by the server.
    pub events_pending: u64,
    /// Events the server refused; every later event waits behind the first.
    pub events_wedged: u64,
    /// Evidence files not yet uploaded.
    pub blobs_pending: u64,
    /// Evidence uploads stopped with a reason (retry or discard).
    pub blobs_wedged: u64,
    /// When a sync pass last completed.
    pub last_synced_at: Option<String>,
    /// Server clock minus device clock at the last sync, in ms (±1 s).
    pub clock_skew_ms: Option<i64>,
    /// The server refused the token: enroll again before anything can be sent.
    pub auth_required: bool,
}

/// Which queue a wedged item is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum OutboxItemKind {
    Event,
    Blob,
}

/// An item the server would not take, for the outbox screen (retry; discard for blobs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct WedgedItem {
    pub kind: OutboxItemKind,
    /// The event's `device_seq`, or the blob's SHA-256.
    pub id: String,
    /// The event kind, or "evidence file".
    pub what: String,
    pub reason: String,
    pub attempts: u32,
}

pub use gridpatrol_proto::sync::Role;

/// Who a token belongs to.
#[uniffi::remote(Enum)]
pub enum Role {
    Worker,
    Supervisor,
    Resident,
}

/// The enrollment this device holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct AccountRecord {
    pub server_url: String,
    pub user_id: String,
    pub display_name: String,
    pub role: Role,
    pub grids: Vec<String>,
    pub street: Option<String>,
    pub enrolled_at: String,
    /// The server refused the token: enroll again.
    pub auth_required: bool,
}

/// How a sync pass ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum SyncOutcome {
    /// Everything due was sent and changes were pulled.
    Completed,
    /// No network: the queue waits and retries with back-off.
    Offline,
    /// The server is busy or failing: retried later (honouring Retry-After).
    ServerUnavailable,
    /// The server refused the token: enroll again.
    AuthRequired,
    /// Paused by the app.
    Paused,
    /// The server refused a request outright; `message` says why.
    Failed,
}

/// What one sync pass did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct SyncReport {
    pub outcome: SyncOutcome,
    pub message: Option<String>,
    /// Events the server stored now.
    pub events_sent: u64,
    /// Events the server already had (same hash): success again.
    pub duplicates: u64,
    /// Events the server refused (now wedged).
    pub rejected: u64,
    pub blobs_uploaded: u64,
    /// Evidence bytes uploaded.
    pub blob_bytes: u64,
    pub changes_pulled: u64,
    /// Items wedged during this pass.
    pub wedged: u64,
    /// Request body bytes put on the wire, and response bytes read.
    pub bytes_sent: u64,
    pub bytes_received: u64,
    pub clock_skew_ms: Option<i64>,
}

impl SyncReport {
    pub(crate) fn new(outcome: SyncOutcome, message: Option<String>) -> SyncReport {
        SyncReport {
            outcome,
            message,
            events_sent: 0,
            duplicates: 0,
            rejected: 0,
            blobs_uploaded: 0,
            blob_bytes: 0,
            changes_pulled: 0,
            wedged: 0,
            bytes_sent: 0,
            bytes_received: 0,
            clock_skew_ms: None,
        }
    }
}

/// Which part of a pass is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    Uploading,
    Pushing,
    Pulling,
}

/// Progress of the running pass (throttled: ≥1 % or 250 ms apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct SyncProgress {
    pub phase: SyncPhase,
    /// Items done and in total in this phase (total 0 when unknown, e.g. pulling).
    pub done: u64,
    pub total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
}
