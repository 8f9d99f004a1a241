//! Integration tests of the core through its public object, as the apps use it.

mod closed_loop;
mod evidence;
mod inspections;
mod journal;
mod listener;
mod qr;
mod scan;
mod storage;

use std::sync::Arc;

use gridpatrol_core::api::records::{EvidenceTarget, GridPatrolConfig, Verdict};
use gridpatrol_core::GridPatrol;
use tempfile::TempDir;

/// A fresh installation with the sample venues imported.
pub struct Fixture {
    pub dir: TempDir,
    pub gp: Arc<GridPatrol>,
}

impl Default for Fixture {
    fn default() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let gp = open(&dir);
        gp.import_venues_file(sample_venues()).unwrap();
        Fixture { dir, gp }
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture::default()
    }

    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("gp.db")
    }

    /// Starts an inspection of `venue` and answers every item: `fail` for the listed items,
    /// then attaches a photo to each failed item whose template asks for one.
    pub fn inspect(&self, venue: &str, fail: &[&str]) -> String {
        let inspection = self.gp.start_inspection(venue.into()).unwrap();
        let checklist = self.gp.checklist(inspection.inspection_id.clone()).unwrap();
        for entry in &checklist {
            let failed = fail.contains(&entry.item_id.as_str());
            self.gp
                .answer_item(
                    inspection.inspection_id.clone(),
                    entry.item_id.clone(),
                    if failed { Verdict::Fail } else { Verdict::Pass },
                    failed.then(|| format!("{} failed", entry.item_id)),
                    false,
                )
                .unwrap();
        }
        for entry in checklist.iter().filter(|e| e.photo_on_fail) {
            if fail.contains(&entry.item_id.as_str()) {
                self.gp
                    .attach_photo(
                        EvidenceTarget::Answer {
                            inspection_id: inspection.inspection_id.clone(),
                            item_id: entry.item_id.clone(),
                        },
                        photo("exif_full.jpg"),
                    )
                    .unwrap();
            }
        }
        inspection.inspection_id
    }
}

pub fn open(dir: &TempDir) -> Arc<GridPatrol> {
    GridPatrol::open(GridPatrolConfig {
        database_path: dir.path().join("gp.db").display().to_string(),
        evidence_dir: dir.path().join("evidence").display().to_string(),
        locale: None,
    })
    .unwrap()
}

/// A photo from `tests/fixtures/photos/` (made by `scripts/gen-photos.py small`).
pub fn photo(name: &str) -> String {
    format!(
        "{}/../tests/fixtures/photos/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

pub fn sample_venues() -> String {
    format!(
        "{}/../tests/fixtures/venues.json",
        env!("CARGO_MANIFEST_DIR")
    )
}
