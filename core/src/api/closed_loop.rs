//! The hazard lifecycle and the ledger (台账) part of `GridPatrol`: actions on hazards checked
//! offline against the shared transition table, the hazard detail with what the server refused
//! or recorded as a conflict, and the synced ledger with filters, counts and CSV export.

use std::path::Path;

use super::gridpatrol::GridPatrol;
use super::loop_records::{
    HazardAction, HazardDetail, LedgerCount, LedgerFilter, LedgerGroup, LedgerRow, RefusalRecord,
};
use super::GridPatrolError;

type Result<T> = std::result::Result<T, GridPatrolError>;

#[uniffi::export]
impl GridPatrol {
    /// Takes `action` on a hazard (with an optional note) and returns its detail. The action is
    /// checked at once against the state this device knows (the synced ledger plus its own
    /// actions not shown there yet) and the user's role, with the server's words: an action the
    /// lifecycle does not allow is `InvalidInput` naming the hazard; an unknown hazard
    /// `NotFound`. Photos must be attached to the hazard first (`attach_photo`). The server is
    /// the authority: what it refuses later appears in the detail's `refusals` / `conflicts`.
    pub fn transition_hazard(
        &self,
        hazard_id: String,
        action: HazardAction,
        note: Option<String>,
    ) -> Result<HazardDetail> {
        Ok(self.engine()?.transition_hazard(&hazard_id, action, note)?)
    }

    /// One hazard: its state as this device knows it, the server's timeline, this device's
    /// pending actions, refusals and conflicts, and the actions the user may take now.
    pub fn hazard_detail(&self, hazard_id: String) -> Result<HazardDetail> {
        Ok(self.engine()?.hazard_detail(&hazard_id)?)
    }

    /// Every event of this device the server took into its chain but did not apply, newest
    /// first (hazard transitions, reports over a rate limit, …).
    pub fn refusals(&self) -> Result<Vec<RefusalRecord>> {
        Ok(self.engine()?.refusals()?)
    }

    /// The grid's hazard ledger from the last sync, filtered; newest report first.
    pub fn ledger(&self, filter: LedgerFilter) -> Result<Vec<LedgerRow>> {
        Ok(self.engine()?.ledger(&filter)?)
    }

    /// How many of the ledger's hazards (filtered) fall in each group, ordered by group.
    pub fn ledger_counts(
        &self,
        filter: LedgerFilter,
        group_by: LedgerGroup,
    ) -> Result<Vec<LedgerCount>> {
        Ok(self.engine()?.ledger_counts(&filter, group_by)?)
    }

    /// The ledger (filtered) as CSV text for Excel: UTF-8 with a byte-order mark, CRLF lines,
    /// headers and labels in the app's language.
    pub fn ledger_csv(&self, filter: LedgerFilter) -> Result<String> {
        Ok(self.engine()?.ledger_csv(&filter)?.0)
    }

    /// Writes [`Self::ledger_csv`] to the file `path` (replaced whole, never half-written);
    /// returns how many hazards it holds.
    pub fn export_ledger_csv(&self, filter: LedgerFilter, path: String) -> Result<u32> {
        Ok(self
            .engine()?
            .export_ledger_csv(&filter, Path::new(&path))?)
    }
}
