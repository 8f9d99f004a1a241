//! Keeping the evidence folder honest: re-hashing every stored file against its row, and
//! collecting abandoned drafts — photos nothing was ever attached to — after a grace period.
//!
//! Collection deletes the files and sets `evidence_files.collected_at`; the `evidence` row stays,
//! because `evidence.added` stays in the append-only journal and replay must rebuild the same
//! projections (docs/adr/0009-photo-normalisation.md). Attached photos are never collected:
//! attachments are never removed, and the server expects their blobs.

use std::io;
use std::time::Duration;

use chrono::Utc;

use super::db::{self, StoredRow};
use super::hash::hash_reader_streaming;
use super::store::{evidence_paths, remove_evidence, sweep_staging_files};
use crate::api::records::{EvidenceProblem, EvidenceReport, GarbageReport};
use crate::clock::format_utc;
use crate::engine::Engine;
use crate::error::Result;

/// How long a draft (a photo attached to nothing) is kept: a week, so a worker who photographs
/// first and fills in the checklist days later does not lose the photo.
pub const DEFAULT_GC_GRACE: Duration = Duration::from_secs(7 * 24 * 60 * 60);

impl Engine {
    /// Re-hashes every evidence file and thumbnail that should be on disk against its row.
    pub fn verify_evidence(&self) -> Result<EvidenceReport> {
        let rows = self.core.store.read(db::stored)?;
        let mut problems = Vec::new();
        for row in &rows {
            problems.extend(self.check_files(row));
        }
        Ok(EvidenceReport {
            checked: rows.len() as u64,
            problems,
        })
    }

    fn check_files(&self, row: &StoredRow) -> Vec<EvidenceProblem> {
        let fs = self.evidence.normalizer.fs();
        let (evidence, thumb) = evidence_paths(&self.evidence.dir, &row.sha256);
        let mut problems = Vec::new();
        for (path, sha256, bytes, what) in [
            (evidence, &row.sha256, row.bytes, "evidence file"),
            (thumb, &row.thumb_sha256, row.thumb_bytes, "thumbnail"),
        ] {
            let digest = fs
                .open_original(&path)
                .and_then(|(reader, _)| hash_reader_streaming(reader));
            let problem = match digest {
                Err(e) if e.kind() == io::ErrorKind::NotFound => format!("{what} is missing"),
                Err(e) => format!("{what} cannot be read: {e}"),
                Ok(d) if d.sha256.to_hex() != *sha256 || d.bytes != bytes => format!(
                    "{what} does not match its record: {} bytes with SHA-256 {}, recorded {bytes} \
                     bytes with SHA-256 {sha256}",
                    d.bytes, d.sha256
                ),
                Ok(_) => continue,
            };
            problems.push(EvidenceProblem {
                sha256: row.sha256.clone(),
                path: path.display().to_string(),
                problem,
            });
        }
        problems
    }

    /// Deletes the files of photos nothing is attached to that were last taken in more than
    /// `grace` ago. Their rows stay, marked collected.
    pub fn collect_garbage(&self, grace: Duration) -> Result<GarbageReport> {
        let now = Utc::now();
        let before = format_utc(&(now - chrono::Duration::from_std(grace).unwrap_or_default()));
        let now = format_utc(&now);
        let fs = self.evidence.normalizer.fs();
        // Under the writer lock, so no ingest records one of these photos while it goes.
        self.core.store.write(|tx| {
            let mut report = GarbageReport {
                collected: 0,
                bytes_freed: 0,
            };
            for row in db::abandoned(tx, &before)? {
                if let Err(err) = remove_evidence(fs, &self.evidence.dir, &row.sha256) {
                    // Left for the next run; the row still says the files are there.
                    tracing::warn!(error = %err, "could not remove an abandoned evidence photo");
                    continue;
                }
                db::mark_collected(tx, &row.sha256, &now)?;
                report.collected += 1;
                report.bytes_freed += row.bytes + row.thumb_bytes;
            }
            Ok(report)
        })
    }

    /// At open, before anything can ingest: removes temp files a crash left mid-write, photos
    /// a crash left unrecorded (placed, then killed before the transaction), and collects
    /// drafts older than [`DEFAULT_GC_GRACE`]. Failures are logged, not fatal.
    pub(crate) fn tidy_evidence(&self) {
        match sweep_staging_files(&self.evidence.dir) {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "evidence temp files left by a crash removed"),
            Err(err) => tracing::warn!(error = %err, "could not sweep evidence temp files"),
        }
        match self.remove_unrecorded() {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                removed = n,
                "unrecorded evidence files left by a crash removed"
            ),
            Err(err) => tracing::warn!(error = %err, "could not sweep unrecorded evidence files"),
        }
        match self.collect_garbage(DEFAULT_GC_GRACE) {
            Ok(r) if r.collected > 0 => tracing::info!(
                photos = r.collected,
                bytes = r.bytes_freed,
                "abandoned evidence drafts collected"
            ),
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "evidence garbage collection failed"),
        }
    }

    /// Removes `<sha256>.jpg` files (and thumbnails) that no evidence row names. Only safe while
    /// nothing ingests: an ingest places its files before its transaction records them.
    fn remove_unrecorded(&self) -> Result<usize> {
        let dir = &self.evidence.dir;
        let mut names = Vec::new();
        for sub in [dir.clone(), dir.join("thumbs")] {
            let entries = match std::fs::read_dir(&sub) {
                Ok(entries) => entries,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.into()),
            };
            for entry in entries {
                let name = entry?.file_name().to_string_lossy().into_owned();
                if let Some(sha256) = name.strip_suffix(".jpg").filter(|s| is_sha256_hex(s)) {
                    names.push(sha256.to_owned());
                }
            }
        }
        names.sort();
        names.dedup();
        let mut removed = 0;
        for sha256 in names {
            if self
                .core
                .store
                .read(|c| db::file_state(c, &sha256))?
                .is_none()
            {
                remove_evidence(self.evidence.normalizer.fs(), dir, &sha256)?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
