//! `GridPatrol`: the object the app holds for its lifetime. Methods convert arguments, call the
//! engine and convert the error; nothing else happens here.

use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};

use super::records::{
    BadEventRecord, ChecklistEntry, GridPatrolConfig, HazardAreaRecord, HazardRecord,
    InspectionRecord, InspectionSummary, JournalReport, OutboxStatus, VenueRecord, Verdict,
};
use super::{GridPatrolError, GridPatrolListener};
use crate::domain::Lang;
use crate::engine::Engine;
use crate::error::Error;

type Result<T> = std::result::Result<T, GridPatrolError>;

/// GridPatrol's offline core: venues, checklists, inspections and hazards, recorded in a
/// hash-chained journal on the device. Calls are quick local work: call them off the UI thread.
#[derive(uniffi::Object)]
pub struct GridPatrol {
    engine: RwLock<Option<Arc<Engine>>>,
}

impl GridPatrol {
    pub(super) fn engine(&self) -> Result<Arc<Engine>> {
        let guard = self.engine.read().unwrap_or_else(PoisonError::into_inner);
        Ok(guard.as_ref().ok_or(Error::Closed)?.clone())
    }
}

#[uniffi::export]
impl GridPatrol {
    /// Opens (creating if needed) the database named in `config`. A corrupt database is moved
    /// aside, never deleted; see `quarantined_database`.
    #[uniffi::constructor]
    pub fn open(config: GridPatrolConfig) -> Result<Arc<Self>> {
        let lang = Lang::from_tag(config.locale.as_deref().unwrap_or("zh-CN"));
        let engine = Engine::open(
            Path::new(&config.database_path),
            Path::new(&config.evidence_dir),
            lang,
        )?;
        Ok(Arc::new(GridPatrol {
            engine: RwLock::new(Some(Arc::new(engine))),
        }))
    }

    /// This installation's device id.
    pub fn device_id(&self) -> Result<String> {
        Ok(self.engine()?.device_id().to_owned())
    }

    /// Where a corrupt database found when opening was moved (tell the user; keep the file).
    pub fn quarantined_database(&self) -> Result<Option<String>> {
        Ok(self
            .engine()?
            .quarantined()
            .map(|p| p.display().to_string()))
    }

    /// Registers (or, with `None`, removes) the listener.
    pub fn set_listener(&self, listener: Option<Arc<dyn GridPatrolListener>>) -> Result<()> {
        self.engine()?.set_listener(listener);
        Ok(())
    }

    /// Switches label language: `zh-CN` or `en`.
    pub fn set_locale(&self, locale: String) -> Result<()> {
        self.engine()?.set_lang(Lang::from_tag(&locale));
        Ok(())
    }

    /// Imports or updates venues from a JSON file `{"venues": [...]}`; all or nothing.
    pub fn import_venues_file(&self, path: String) -> Result<u32> {
        let json = std::fs::read_to_string(&path)
            .map_err(|e| Error::InvalidInput(format!("cannot read venue file {path}: {e}")))?;
        Ok(self.engine()?.import_venues(&json)?)
    }

    /// Every venue in this device's list.
    pub fn list_venues(&self) -> Result<Vec<VenueRecord>> {
        Ok(self.engine()?.venues()?)
    }

    /// One venue.
    pub fn get_venue(&self, venue_id: String) -> Result<VenueRecord> {
        Ok(self.engine()?.venue(&venue_id)?)
    }

    /// Starts inspecting a venue with its current checklist, or returns the inspection already
    /// in progress there.
    pub fn start_inspection(&self, venue_id: String) -> Result<InspectionRecord> {
        Ok(self.engine()?.start_inspection(&venue_id)?)
    }

    /// Answers one checklist item; answering again replaces the answer. `suspected_major` only
    /// for a failed item that may be major.
    pub fn answer_item(
        &self,
        inspection_id: String,
        item_id: String,
        verdict: Verdict,
        note: Option<String>,
        suspected_major: bool,
    ) -> Result<InspectionRecord> {
        Ok(self
            .engine()?
            .answer_item(&inspection_id, &item_id, verdict, note, suspected_major)?)
    }

    /// Finishes an inspection: every item must be answered. Each failed item becomes a hazard
    /// with status `REPORTED`.
    pub fn finish_inspection(&self, inspection_id: String) -> Result<InspectionSummary> {
        Ok(self.engine()?.finish_inspection(&inspection_id)?)
    }

    /// Every inspection on this device, newest first.
    pub fn list_inspections(&self) -> Result<Vec<InspectionRecord>> {
        Ok(self.engine()?.inspections()?)
    }

    /// One inspection.
    pub fn get_inspection(&self, inspection_id: String) -> Result<InspectionRecord> {
        Ok(self.engine()?.inspection(&inspection_id)?)
    }

    /// The checklist of an inspection, with answers so far.
    pub fn checklist(&self, inspection_id: String) -> Result<Vec<ChecklistEntry>> {
        Ok(self.engine()?.checklist(&inspection_id)?)
    }

    /// The hazard areas of the checklist pack with their labels, in checklist order: the choices
    /// for `ReportFinding::Hazard`'s `area`.
    pub fn hazard_areas(&self) -> Result<Vec<HazardAreaRecord>> {
        Ok(self.engine()?.hazard_areas()?)
    }

    /// Every hazard on this device, newest first.
    pub fn list_hazards(&self) -> Result<Vec<HazardRecord>> {
        Ok(self.engine()?.hazards()?)
    }

    /// What is waiting to be sent.
    pub fn outbox_status(&self) -> Result<OutboxStatus> {
        Ok(self.engine()?.outbox_status()?)
    }

    /// Verifies the journal's hash chain and that replaying it rebuilds the stored tables.
    pub fn verify_journal(&self) -> Result<JournalReport> {
        let check = self.engine()?.verify()?;
        Ok(JournalReport {
            intact: check.chain.first_bad.is_none() && check.projection_differences.is_empty(),
            events: check.chain.events,
            first_bad: check.chain.first_bad.map(|bad| BadEventRecord {
                device_seq: bad.device_seq,
                event_id: bad.event_id,
                problem: bad.problem.to_string(),
            }),
            projection_differences: check.projection_differences,
        })
    }

    /// Closes the database (and, later, stops syncing). Later calls fail with `Storage`; calls
    /// already running finish first. Kotlin's `close()` / Swift's deinit then free the handle.
    pub fn shutdown(&self) {
        let engine = self
            .engine
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(engine) = engine {
            engine.shutdown();
        }
    }
}
