//! The engine behind the `GridPatrol` object: owns the store, the device identity and the sync
//! engine, turns commands into journal events (event, projections and outbox rows in one
//! transaction), and tells the listener after each commit.

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use rusqlite::{OptionalExtension, Transaction};

use crate::api::records::{
    AccountRecord, ChecklistEntry, HazardAreaRecord, HazardRecord, InspectionRecord,
    InspectionSummary, OutboxStatus, VenueRecord, Verdict,
};
use crate::api::{CredentialStore, GridPatrolListener};
use crate::clock::Stamp;
use crate::domain::{catalog, hazards, inspections, project, venues, Lang};
use crate::error::Result;
use crate::evidence::Photos;
use crate::journal::{self, VerifyReport};
use crate::notify::Notifier;
use crate::outbox;
use crate::store::Store;
use crate::sync::{self, SyncEngine};
use gridpatrol_proto::events::DomainEvent;

/// What the engine's parts share with the sync tasks.
pub struct Core {
    pub store: Store,
    pub device_id: String,
    pub notifier: Notifier,
    /// Content-addressed evidence files: `<sha256>.jpg`, `thumbs/<sha256>.jpg`.
    pub evidence_dir: PathBuf,
    /// The app's secret store for the bearer token, when it set one (`sync::credentials`).
    pub credentials: RwLock<Option<Arc<dyn CredentialStore>>>,
}

impl Core {
    /// Where the evidence file with this hash lives.
    pub fn evidence_path(&self, sha256: &str) -> PathBuf {
        self.evidence_dir.join(format!("{sha256}.jpg"))
    }

    pub fn outbox_status(&self) -> Result<OutboxStatus> {
        self.store.read(outbox::status)
    }
}

/// One installation's core.
pub struct Engine {
    pub(crate) core: Arc<Core>,
    lang: RwLock<Lang>,
    sync: SyncEngine,
    /// The evidence folder's normaliser (`crate::evidence`).
    pub(crate) evidence: Photos,
}

/// What `verify` found: the chain, and whether replaying it rebuilds the stored projections.
pub struct JournalCheck {
    pub chain: VerifyReport,
    /// Rows where replay and the stored projections differ; only checked on an intact chain.
    pub projection_differences: Vec<String>,
}

impl Engine {
    /// Opens the database at `database_path` (evidence files under `evidence_dir`), creating
    /// the device identity on first use, and starts the sync engine (idle until told).
    pub fn open(database_path: &Path, evidence_dir: &Path, lang: Lang) -> Result<Engine> {
        let store = Store::open(database_path)?;
        let device_id = store.write(|tx| {
            catalog::install_default_pack(tx)?;
            device_id(tx)
        })?;
        std::fs::create_dir_all(evidence_dir)?;
        let core = Arc::new(Core {
            store,
            device_id,
            notifier: Notifier::default(),
            evidence_dir: evidence_dir.to_owned(),
            credentials: RwLock::new(None),
        });
        let sync = SyncEngine::start(core.clone())?;
        let engine = Engine {
            core,
            lang: RwLock::new(lang),
            sync,
            evidence: Photos::new(evidence_dir),
        };
        engine.tidy_evidence();
        Ok(engine)
    }

    /// This installation's device id (UUID), made on first open.
    pub fn device_id(&self) -> &str {
        &self.core.device_id
    }

    /// Where a corrupt database found at open was moved, if one was.
    pub fn quarantined(&self) -> Option<&Path> {
        self.core.store.quarantined()
    }

    pub fn set_listener(&self, listener: Option<Arc<dyn GridPatrolListener>>) {
        self.core.notifier.set(listener);
    }

    /// The sync engine (enroll, sync, online/pause, wedged items).
    pub fn sync(&self) -> &SyncEngine {
        &self.sync
    }

    /// The stored enrollment, if any.
    pub fn account(&self) -> Result<Option<AccountRecord>> {
        Ok(self.core.store.read(sync::account::load)?.map(|a| a.record))
    }

    /// Stops syncing and closes the database once the last call in flight returns.
    pub fn shutdown(&self) {
        self.sync.shutdown();
    }

    pub fn set_lang(&self, lang: Lang) {
        *self.lang.write().unwrap_or_else(PoisonError::into_inner) = lang;
    }

    pub(crate) fn lang(&self) -> Lang {
        *self.lang.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn import_venues(&self, json: &str) -> Result<u32> {
        self.core.store.write(|tx| venues::import_json(tx, json))
    }

    pub fn venues(&self) -> Result<Vec<VenueRecord>> {
        self.core.store.read(|c| venues::list(c, self.lang()))
    }

    pub fn venue(&self, venue_id: &str) -> Result<VenueRecord> {
        self.core
            .store
            .read(|c| venues::get(c, self.lang(), venue_id))
    }

    /// Starts inspecting a venue, or continues the inspection already in progress there.
    pub fn start_inspection(&self, venue_id: &str) -> Result<InspectionRecord> {
        let new_id = new_id();
        let mut id = new_id.clone();
        self.record(|tx| match inspections::start(tx, venue_id, &new_id)? {
            inspections::Start::Continue(existing) => {
                id = existing;
                Ok(None)
            }
            inspections::Start::New(event) => Ok(Some(event)),
        })?;
        self.inspection(&id)
    }

    pub fn answer_item(
        &self,
        inspection_id: &str,
        item_id: &str,
        verdict: Verdict,
        note: Option<String>,
        suspected_major: bool,
    ) -> Result<InspectionRecord> {
        self.record(|tx| {
            inspections::answer(tx, inspection_id, item_id, verdict, note, suspected_major)
                .map(Some)
        })?;
        self.inspection(inspection_id)
    }

    /// Finishes an inspection; every failed item becomes a `REPORTED` hazard.
    pub fn finish_inspection(&self, inspection_id: &str) -> Result<InspectionSummary> {
        self.record(|tx| inspections::finish(tx, inspection_id, new_id).map(Some))?;
        let lang = self.lang();
        self.core.store.read(|c| {
            Ok(InspectionSummary {
                inspection: inspections::get(c, inspection_id)?,
                hazards: hazards::for_inspection(c, lang, inspection_id)?,
            })
        })
    }

    pub fn inspections(&self) -> Result<Vec<InspectionRecord>> {
        self.core.store.read(inspections::list)
    }

    pub fn inspection(&self, inspection_id: &str) -> Result<InspectionRecord> {
        self.core.store.read(|c| inspections::get(c, inspection_id))
    }

    pub fn checklist(&self, inspection_id: &str) -> Result<Vec<ChecklistEntry>> {
        self.core
            .store
            .read(|c| inspections::checklist(c, self.lang(), inspection_id))
    }

    pub fn hazard_areas(&self) -> Result<Vec<HazardAreaRecord>> {
        self.core
            .store
            .read(|c| catalog::hazard_areas(c, self.lang()))
    }

    pub fn hazards(&self) -> Result<Vec<HazardRecord>> {
        self.core.store.read(|c| hazards::list(c, self.lang()))
    }

    pub fn outbox_status(&self) -> Result<OutboxStatus> {
        self.core.outbox_status()
    }

    /// Walks the hash chain; when it is intact, also replays it against the projections.
    pub fn verify(&self) -> Result<JournalCheck> {
        let chain = self
            .core
            .store
            .read(|c| journal::verify(c, &self.core.device_id))?;
        let projection_differences = match chain.first_bad {
            None => project::differences(self.core.store.path())?,
            Some(_) => Vec::new(),
        };
        Ok(JournalCheck {
            chain,
            projection_differences,
        })
    }

    /// Runs `plan` in a write transaction; the event it returns (if any) is appended to the
    /// journal, applied to the projections and queued in the outbox (with the evidence blobs it
    /// needs), all in that transaction.
    pub(crate) fn record(
        &self,
        plan: impl FnOnce(&Transaction<'_>) -> Result<Option<DomainEvent>>,
    ) -> Result<()> {
        self.record_all(|tx| Ok(plan(tx)?.into_iter().collect()))
    }

    /// [`Self::record`] for a command that is several events (a photo's `evidence.added` and
    /// `evidence.attached`): every event is appended, projected and queued in the one
    /// transaction, so all of them are committed or none.
    pub(crate) fn record_all(
        &self,
        plan: impl FnOnce(&Transaction<'_>) -> Result<Vec<DomainEvent>>,
    ) -> Result<()> {
        let stamp = Stamp::now();
        let device_id = &self.core.device_id;
        let appended = self.core.store.write(|tx| {
            let mut appended = Vec::new();
            for event in plan(tx)? {
                let blobs: Vec<String> = event.blobs().into_iter().map(str::to_owned).collect();
                let (kind, payload) = event.into_parts()?;
                let envelope = journal::append(tx, device_id, &stamp, &kind, payload)?;
                project::apply(tx, &envelope)?;
                outbox::enqueue_event(tx, envelope.device_seq, &envelope.device_time)?;
                for sha256 in &blobs {
                    sync::enqueue_blob(tx, sha256, &envelope.device_time)?;
                }
                appended.push((envelope.device_seq, kind));
            }
            Ok(appended)
        })?;
        if appended.is_empty() {
            return Ok(());
        }
        // Notify only after the commit, or a listener that reads in response sees stale rows.
        for (device_seq, kind) in appended {
            self.core.notifier.journal_appended(device_seq, kind);
        }
        match self.outbox_status() {
            Ok(status) => self.core.notifier.outbox_changed(status),
            Err(err) => tracing::warn!(error = %err, "outbox status unavailable for the listener"),
        }
        self.sync.wake();
        Ok(())
    }
}

/// A new id for an inspection or hazard: UUIDv7, so ids sort by creation time.
fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Reads the device id, creating it on first use.
fn device_id(tx: &Transaction<'_>) -> Result<String> {
    let existing: Option<String> = tx
        .query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = uuid::Uuid::new_v4().to_string();
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('device_id', ?1)",
        [&id],
    )?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridpatrol_proto::reference::ReferencePack;

    #[test]
    fn an_inspection_keeps_the_checklist_version_it_started_with() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(
            &dir.path().join("gp.db"),
            &dir.path().join("evidence"),
            Lang::En,
        )
        .unwrap();
        engine
            .import_venues(
                &std::fs::read_to_string(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../tests/fixtures/venues.json"
                ))
                .unwrap(),
            )
            .unwrap();
        let old = engine.start_inspection("CY-JS-001").unwrap();
        assert_eq!(old.template_version, 1);

        // The district publishes v2: one item, retitled.
        let pack: ReferencePack = serde_json::from_value(serde_json::json!({
            "pack_version": 2, "venue_types": [], "hazard_areas": [],
            "templates": [{"template_id": "default", "version": 2, "title_zh": "二", "title_en": "two",
                "items": [{"item_id": "E01", "area": "extinguishers", "title_zh": "新", "title_en": "new E01",
                           "photo_on_fail": true, "may_be_major": false, "applies": "all"}]}]
        }))
        .unwrap();
        engine
            .core
            .store
            .write(|tx| catalog::install(tx, &pack))
            .unwrap();

        let old_list = engine.checklist(&old.inspection_id).unwrap();
        assert_eq!(old_list.len() as u32, old.item_count);
        assert!(old_list.len() > 1);
        assert_ne!(old_list[0].title, "new E01");
        let new = engine.start_inspection("CY-JS-002").unwrap();
        assert_eq!((new.template_version, new.item_count), (2, 1));
        assert_eq!(
            engine.checklist(&new.inspection_id).unwrap()[0].title,
            "new E01"
        );
    }
}
