//! Residents' reports and warnings (叫应) as part of `GridPatrol`: resident mode (enroll
//! anonymously, report with photos, follow the report's steps), the worker's side (reports of
//! their grids, checked on site), and warnings received, acknowledged and issued.

use super::gridpatrol::GridPatrol;
use super::records::{AccountRecord, GeoPoint};
use super::report_records::{
    MyReportRecord, ReportCategory, ReportFinding, ReportRecord, WarningLevel, WarningRecord,
    WarningType,
};
use super::GridPatrolError;
use crate::error::Error;

type Result<T> = std::result::Result<T, GridPatrolError>;

#[uniffi::export]
impl GridPatrol {
    /// Registers this device as a resident's (no code; a phone number only if the resident
    /// gives one: the server never shows it to venues or workers). Fails with `Network`
    /// (unreachable), `Rejected` (refused), or `Conflict` when a worker's unsent field work is
    /// still queued on this device.
    pub async fn enroll_resident(
        &self,
        server_url: String,
        phone: Option<String>,
    ) -> Result<AccountRecord> {
        let pending = self.engine()?.sync().enroll_resident(server_url, phone)?;
        Ok(pending
            .await
            .map_err(|e| Error::Network(format!("enrollment was cancelled: {e}")))??)
    }

    /// A resident reports a hazard (resident accounts only): category, what they saw, where
    /// (a map point, or the venue code they scanned: its URL or token). Returns the report id;
    /// attach photos with `attach_photo(EvidenceTarget::Report)`. Sent like everything else.
    pub fn submit_report(
        &self,
        category: ReportCategory,
        description: String,
        location: Option<GeoPoint>,
        venue_token: Option<String>,
    ) -> Result<String> {
        Ok(self
            .engine()?
            .submit_report(category, description, location, venue_token)?)
    }

    /// The resident's own reports, newest first, each with the steps the server reported.
    pub fn my_reports(&self) -> Result<Vec<MyReportRecord>> {
        Ok(self.engine()?.my_reports()?)
    }

    /// Residents' reports dispatched to this worker's grids (never who reported), those still
    /// to check first.
    pub fn reports(&self) -> Result<Vec<ReportRecord>> {
        Ok(self.engine()?.reports()?)
    }

    /// Records the on-site check of a report: a hazard (REPORTED, actionable at once through
    /// `transition_hazard`; its id is the record's `hazard_id`) or no hazard with a reason for
    /// the reporter. A report already checked is `Conflict`; one not synced `NotFound`.
    pub fn check_report(&self, report_id: String, finding: ReportFinding) -> Result<ReportRecord> {
        Ok(self.engine()?.check_report(&report_id, finding)?)
    }

    /// Warnings for this user: those still to acknowledge first, then red to blue, newest first.
    pub fn warnings(&self) -> Result<Vec<WarningRecord>> {
        Ok(self.engine()?.warnings()?)
    }

    /// Acknowledges (叫应) a warning that reached this user; sent as soon as the device is
    /// online. Acknowledging again changes nothing.
    pub fn acknowledge_warning(&self, warning_id: String) -> Result<WarningRecord> {
        Ok(self.engine()?.acknowledge_warning(&warning_id)?)
    }

    /// A supervisor issues a warning for some of their street's grids (empty: all of them);
    /// recipients must acknowledge within `ack_within_minutes` or it escalates. Returns its id.
    pub fn issue_warning(
        &self,
        level: WarningLevel,
        warning_type: WarningType,
        grids: Vec<String>,
        text: String,
        ack_within_minutes: u32,
    ) -> Result<String> {
        Ok(self
            .engine()?
            .issue_warning(level, warning_type, grids, text, ack_within_minutes)?)
    }
}
