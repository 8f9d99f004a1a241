//! The records of residents' reports and of warnings (预警) with their acknowledgement (叫应):
//! the wire enums restated for uniffi, and what the report and warning screens read.

use serde::Serialize;

use super::records::{GeoPoint, HazardGrade};
pub use gridpatrol_proto::reports::{ReportCategory, ReportStatus, ReportStep};
pub use gridpatrol_proto::warnings::{WarningLevel, WarningType};

/// What kind of hazard a resident reports.
#[uniffi::remote(Enum)]
pub enum ReportCategory {
    Fire,
    Gas,
    Electrical,
    EscapeRoute,
    EBike,
    Building,
    FloodGeological,
    Other,
}

/// Where a report stands.
#[uniffi::remote(Enum)]
pub enum ReportStatus {
    /// The server has it.
    Received,
    /// Sent to the grid it belongs to.
    Dispatched,
    /// A grid worker checked on site and opened a hazard.
    HazardOpened,
    /// A grid worker checked on site: no hazard (with a reason).
    NoHazard,
    /// The hazard it opened was closed (fixed and re-checked).
    HazardClosed,
    /// Refused (e.g. too many reports from this device in an hour).
    Refused,
}

/// One step of a report as its reporter sees it: never a person's name.
#[uniffi::remote(Record)]
pub struct ReportStep {
    pub status: ReportStatus,
    /// Server time.
    pub at: String,
    /// For `NoHazard` and `Refused`: why.
    pub note: Option<String>,
}

/// A warning's level: blue is lowest, red highest.
#[uniffi::remote(Enum)]
pub enum WarningLevel {
    Blue,
    Yellow,
    Orange,
    Red,
}

/// What a warning is about.
#[uniffi::remote(Enum)]
pub enum WarningType {
    Rainstorm,
    Flood,
    Geological,
    Wind,
    Fire,
    Heat,
    Snow,
    Other,
}

/// A resident's own report (resident mode): the server's status and steps once it has it.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct MyReportRecord {
    pub report_id: String,
    pub category: ReportCategory,
    pub description: String,
    /// `None` while the report waits on this device to be sent (or for the next sync).
    pub status: Option<ReportStatus>,
    /// Each step, oldest first (empty until the server has it).
    pub steps: Vec<ReportStep>,
    /// Device time it was submitted, when it was submitted from this device.
    pub submitted_at: Option<String>,
}

/// A resident's report dispatched to this worker's grids (never who reported it).
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct ReportRecord {
    pub report_id: String,
    pub category: ReportCategory,
    pub description: String,
    pub location: Option<GeoPoint>,
    /// The venue, when the resident scanned its code (or the nearest, as the server chose).
    pub venue_id: Option<String>,
    /// The venue's name, when it is in this device's list.
    pub venue_name: Option<String>,
    pub grid: String,
    /// The server's status.
    pub status: ReportStatus,
    /// Evidence photos (SHA-256) the reporter attached.
    pub photos: Vec<String>,
    /// Server time it arrived.
    pub received_at: String,
    /// The hazard it became: the server's, or the one this device opened when checking it.
    pub hazard_id: Option<String>,
    /// This device recorded a check of it (sent or not).
    pub checked_here: bool,
}

/// What a worker found when checking a report on site.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Enum)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ReportFinding {
    /// A hazard at this venue (in this device's list), in this hazard area; it enters the
    /// lifecycle as REPORTED and can be acted on at once.
    Hazard {
        venue_id: String,
        area: String,
        grade: HazardGrade,
        note: Option<String>,
    },
    /// Nothing to fix; the reason is shown to the reporter.
    NoHazard { reason: String },
}

/// A warning for this user, newest state from the server plus this device's acknowledgement.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct WarningRecord {
    pub warning_id: String,
    pub level: WarningLevel,
    pub warning_type: WarningType,
    pub grids: Vec<String>,
    pub text: String,
    /// Server time it was issued, and the staff member who issued it.
    pub issued_at: String,
    pub issued_by: String,
    /// Acknowledge before this (server time).
    pub ack_due_at: String,
    /// It reached this user because the one before them on the roster did not acknowledge.
    pub escalated_from: Option<String>,
    /// Acknowledged (叫应), on this device or as the server says.
    pub acknowledged: bool,
    /// Device time this device recorded the acknowledgement.
    pub acknowledged_at: Option<String>,
    /// Acknowledged here, but the server has not confirmed it yet.
    pub ack_unconfirmed: bool,
}
