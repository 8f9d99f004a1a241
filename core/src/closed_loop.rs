//! The engine's closed-loop commands (docs/adr/0012-closed-loop.md): hazard transitions checked
//! against the phone's best knowledge, the offline ledger, residents' reports and their checks,
//! warnings issued and acknowledged. Each command validates inside the write transaction and
//! records one event through `Engine::record`; who may do what comes from the enrolled account.

use std::path::Path;

use gridpatrol_proto::hazard_flow::HazardAction;
use gridpatrol_proto::reports::ReportCategory;
use gridpatrol_proto::sync::Role;
use gridpatrol_proto::warnings::{WarningIssued, WarningLevel, WarningType};
use rusqlite::Connection;

use crate::api::loop_records::{
    HazardDetail, LedgerCount, LedgerFilter, LedgerGroup, LedgerRow, RefusalRecord,
};
use crate::api::records::GeoPoint;
use crate::api::report_records::{MyReportRecord, ReportFinding, ReportRecord, WarningRecord};
use crate::domain::{hazard_view, ledger, ledger_csv, lifecycle, outcomes, reports, warnings};
use crate::engine::Engine;
use crate::error::Result;
use crate::sync::account;

/// The enrolled user's role, and their grids (none before enrollment). A supervisor whose
/// enrollment named no grids covers those of their street's venues in this device's list.
fn enrolled(conn: &Connection) -> Result<(Option<Role>, Vec<String>)> {
    let Some(a) = account::load(conn)? else {
        return Ok((None, Vec::new()));
    };
    let mut grids = a.record.grids;
    if grids.is_empty() && a.record.role == Role::Supervisor {
        let mut stmt =
            conn.prepare_cached("SELECT DISTINCT grid FROM venues WHERE street = ?1 ORDER BY 1")?;
        let rows = stmt.query_map([&a.record.street], |r| r.get(0))?;
        grids = rows.collect::<rusqlite::Result<_>>()?;
    }
    Ok((Some(a.record.role), grids))
}

/// The role hazard actions are checked for: a device not enrolled yet is a grid worker's (it
/// inspects offline before its first sync, as it always could).
fn acting_role(conn: &Connection) -> Result<Role> {
    Ok(enrolled(conn)?.0.unwrap_or(Role::Worker))
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Engine {
    /// Takes `action` on a hazard: refused at once (`InvalidInput` naming the hazard) when the
    /// lifecycle does not allow it from the state this device knows, for this user's role.
    pub fn transition_hazard(
        &self,
        hazard_id: &str,
        action: HazardAction,
        note: Option<String>,
    ) -> Result<HazardDetail> {
        self.record(|tx| {
            let role = acting_role(tx)?;
            lifecycle::plan(tx, role, hazard_id, action, note).map(Some)
        })?;
        self.hazard_detail(hazard_id)
    }

    /// The hazard detail screen.
    pub fn hazard_detail(&self, hazard_id: &str) -> Result<HazardDetail> {
        let lang = self.lang();
        self.core.store.read(|c| {
            let role = acting_role(c)?;
            hazard_view::detail(c, lang, role, hazard_id)
        })
    }

    /// Every event of this device the server took but did not apply, newest first.
    pub fn refusals(&self) -> Result<Vec<RefusalRecord>> {
        self.core.store.read(outcomes::refusals)
    }

    /// The synced ledger's rows matching `filter`, newest report first.
    pub fn ledger(&self, filter: &LedgerFilter) -> Result<Vec<LedgerRow>> {
        let lang = self.lang();
        self.core.store.read(|c| ledger::rows(c, lang, filter))
    }

    /// How many of the ledger's hazards matching `filter` fall in each group.
    pub fn ledger_counts(
        &self,
        filter: &LedgerFilter,
        group: LedgerGroup,
    ) -> Result<Vec<LedgerCount>> {
        let lang = self.lang();
        self.core
            .store
            .read(|c| ledger::counts(c, lang, filter, group))
    }

    /// The ledger's rows matching `filter` as CSV (UTF-8 with BOM), and how many rows it holds.
    pub fn ledger_csv(&self, filter: &LedgerFilter) -> Result<(String, u32)> {
        let rows = self.ledger(filter)?;
        Ok((ledger_csv::render(&rows, self.lang()), rows.len() as u32))
    }

    /// Writes [`Self::ledger_csv`] to `path` (whole or not at all); returns the rows written.
    pub fn export_ledger_csv(&self, filter: &LedgerFilter, path: &Path) -> Result<u32> {
        let (csv, rows) = self.ledger_csv(filter)?;
        ledger_csv::write(path, &csv)?;
        Ok(rows)
    }

    /// A resident reports a hazard; returns the report's id (photos attach to it next).
    pub fn submit_report(
        &self,
        category: ReportCategory,
        description: String,
        location: Option<GeoPoint>,
        venue_token: Option<String>,
    ) -> Result<String> {
        let report_id = new_id();
        self.record(|tx| {
            let (role, _) = enrolled(tx)?;
            reports::plan_submit(
                role,
                &report_id,
                category,
                description,
                location,
                venue_token,
            )
            .map(Some)
        })?;
        Ok(report_id)
    }

    /// A resident's own reports, newest first.
    pub fn my_reports(&self) -> Result<Vec<MyReportRecord>> {
        self.core.store.read(reports::mine)
    }

    /// The reports dispatched to this worker's grids, those still to check first.
    pub fn reports(&self) -> Result<Vec<ReportRecord>> {
        self.core.store.read(reports::for_grid)
    }

    /// A worker records what they found checking a report on site.
    pub fn check_report(&self, report_id: &str, finding: ReportFinding) -> Result<ReportRecord> {
        let hazard_id = new_id();
        self.record(|tx| {
            let role = acting_role(tx)?;
            reports::plan_check(tx, role, report_id, finding, &hazard_id).map(Some)
        })?;
        self.core
            .store
            .read(|c| reports::one_for_grid(c, report_id))
    }

    /// The warnings for this user, those still to acknowledge first.
    pub fn warnings(&self) -> Result<Vec<WarningRecord>> {
        self.core.store.read(warnings::list)
    }

    /// Acknowledges (叫应) a warning; a second acknowledgement records nothing. Sent at the next
    /// moment the device is online.
    pub fn acknowledge_warning(&self, warning_id: &str) -> Result<WarningRecord> {
        self.record(|tx| {
            let (role, _) = enrolled(tx)?;
            warnings::plan_ack(tx, role, warning_id)
        })?;
        self.core.store.read(|c| warnings::get(c, warning_id))
    }

    /// A supervisor issues a warning for some of their grids (none: the whole street).
    pub fn issue_warning(
        &self,
        level: WarningLevel,
        warning_type: WarningType,
        grids: Vec<String>,
        text: String,
        ack_within_minutes: u32,
    ) -> Result<String> {
        let draft = WarningIssued {
            warning_id: new_id(),
            level,
            warning_type,
            grids,
            text,
            ack_within_minutes,
        };
        let warning_id = draft.warning_id.clone();
        self.record(|tx| {
            let (role, own_grids) = enrolled(tx)?;
            warnings::plan_issue(role, &own_grids, draft).map(Some)
        })?;
        Ok(warning_id)
    }
}
