//! Taking a photo in: the pipeline writes the files, then one transaction records
//! `evidence.added` (unless the photo is already recorded) and `evidence.attached` (when there
//! is a target), through `Engine::record_all`, which also queues the upload.
//!
//! The files are on disk before the transaction, so a crash in between leaves an unrecorded
//! file (removed at the next open, `upkeep`), never a row without its file. A photo whose
//! transaction fails is removed again, unless another ingest recorded the same content meanwhile.

use std::path::{Path, PathBuf};

use rusqlite::Transaction;

use super::db::{self, FileState};
use super::normalize::{NormalizedPhoto, PhotoNormalizer};
use super::store::{evidence_paths, remove_evidence};
use super::Limits;
use crate::api::records::{CoordSystem, EvidenceInfo, EvidenceTarget, GeoPoint};
use crate::clock::Stamp;
use crate::engine::Engine;
use crate::error::{Error, Result};
use gridpatrol_proto::events::{DomainEvent, EvidenceAdded, EvidenceAttached};

/// The engine's evidence folder and the normaliser that writes into it.
pub struct Photos {
    pub(crate) normalizer: PhotoNormalizer,
    pub(crate) dir: PathBuf,
}

impl Photos {
    /// The folder `dir` on the real filesystem, default limits and output.
    pub fn new(dir: &Path) -> Photos {
        Photos::with_normalizer(dir, PhotoNormalizer::new(Limits::default()))
    }

    /// The folder `dir` written through `normalizer` (tests pass one with a faulty filesystem).
    pub fn with_normalizer(dir: &Path, normalizer: PhotoNormalizer) -> Photos {
        Photos {
            normalizer,
            dir: dir.to_owned(),
        }
    }
}

/// How an ingest went about the files.
enum Source {
    /// The original is one we already normalised and its files are on disk: nothing decoded.
    Known(String),
    /// Normalised now.
    Fresh(Box<NormalizedPhoto>),
}

impl Source {
    fn sha256(&self) -> String {
        match self {
            Source::Known(sha256) => sha256.clone(),
            Source::Fresh(photo) => photo.evidence.sha256.to_hex(),
        }
    }
}

/// What the transaction did.
enum Recorded {
    /// The photo (and its link) is recorded under this evidence hash.
    Done(String),
    /// The known photo's files are gone (collected meanwhile, or deleted from outside):
    /// nothing was written; normalise the original again.
    FilesGone,
}

impl Engine {
    /// Normalises the photo at `src` and attaches it to `target` (an answer of an inspection in
    /// progress, or a hazard): `evidence.added` (once per photo) and `evidence.attached` in one
    /// transaction. Attaching the same photo to the same target again records nothing.
    pub fn attach_photo(&self, target: &EvidenceTarget, src: &Path) -> Result<EvidenceInfo> {
        self.ingest(Some(target), src)
    }

    /// Normalises the photo at `src` as a draft: recorded (`evidence.added`) but attached to
    /// nothing yet. Drafts nothing is ever attached to are garbage-collected after a grace
    /// period; attaching the same file later does not decode it again.
    pub fn ingest_photo(&self, src: &Path) -> Result<EvidenceInfo> {
        self.ingest(None, src)
    }

    /// The photos attached to `target`, in the order they were attached.
    pub fn list_evidence(&self, target: &EvidenceTarget) -> Result<Vec<EvidenceInfo>> {
        self.core.store.read(|c| {
            db::check_target_exists(c, target)?;
            db::list_for_target(c, &self.evidence.dir, target)
        })
    }

    fn ingest(&self, target: Option<&EvidenceTarget>, src: &Path) -> Result<EvidenceInfo> {
        if let Some(target) = target {
            // Fail before the expensive part; checked again in the transaction.
            self.core.store.read(|c| db::check_target(c, target))?;
        }
        // A known photo's files may be gone by the transaction (garbage-collected meanwhile, or
        // deleted from outside); the second attempt then normalises the photo anew.
        let mut reuse_known = true;
        loop {
            let source = self.source(src, reuse_known)?;
            match self.record_photo(target, &source) {
                Ok(Recorded::Done(sha256)) => {
                    return self
                        .core
                        .store
                        .read(|c| db::info(c, &self.evidence.dir, &sha256));
                }
                Ok(Recorded::FilesGone) => reuse_known = false,
                Err(err) => {
                    if let Source::Fresh(photo) = &source {
                        self.discard_unrecorded(photo);
                    }
                    return Err(err);
                }
            }
        }
    }

    /// Recognises an original we already normalised (by its SHA-256: one read, no decoding), or
    /// runs the pipeline.
    fn source(&self, src: &Path, reuse_known: bool) -> Result<Source> {
        let normalizer = &self.evidence.normalizer;
        if reuse_known {
            let original = normalizer.original_digest(src)?.sha256.to_hex();
            if let Some(sha256) = self
                .core
                .store
                .read(|c| db::stored_by_original(c, &original))?
            {
                return Ok(Source::Known(sha256));
            }
        }
        Ok(Source::Fresh(Box::new(
            normalizer.normalize(src, &self.evidence.dir)?,
        )))
    }

    /// The one transaction: evidence row (unless recorded), file row, link.
    fn record_photo(&self, target: Option<&EvidenceTarget>, source: &Source) -> Result<Recorded> {
        let sha256 = source.sha256();
        let now = Stamp::now().utc_text();
        let mut files_gone = false;
        self.record_all(|tx| {
            if let Some(target) = target {
                db::check_target(tx, target)?;
            }
            let mut events = Vec::new();
            match (db::file_state(tx, &sha256)?, source) {
                (Some(FileState::Stored), Source::Known(_)) if !self.files_present(&sha256)? => {
                    files_gone = true;
                    return Ok(Vec::new());
                }
                (Some(FileState::Stored), _) => db::touch(tx, &sha256, &now)?,
                (_, Source::Known(_)) => {
                    files_gone = true;
                    return Ok(Vec::new());
                }
                (None, Source::Fresh(photo)) => {
                    events.push(DomainEvent::EvidenceAdded(added_event(photo)));
                    db::record_files(tx, photo, &now)?;
                }
                // A collected draft taken in again: same content, files placed anew.
                (Some(FileState::Collected), Source::Fresh(photo)) => {
                    db::record_files(tx, photo, &now)?;
                }
            }
            self.require_files(tx, &sha256)?;
            if let Some(target) = target {
                if !db::is_attached(tx, &sha256, target)? {
                    events.push(DomainEvent::EvidenceAttached(EvidenceAttached {
                        sha256: sha256.clone(),
                        target: target.clone(),
                    }));
                }
            }
            Ok(events)
        })?;
        Ok(if files_gone {
            Recorded::FilesGone
        } else {
            Recorded::Done(sha256)
        })
    }

    /// Whether the evidence file and thumbnail of `sha256` are on disk.
    fn files_present(&self, sha256: &str) -> Result<bool> {
        let fs = self.evidence.normalizer.fs();
        let (evidence, thumb) = evidence_paths(&self.evidence.dir, sha256);
        Ok(fs.exists(&evidence)? && fs.exists(&thumb)?)
    }

    /// Inside the transaction (garbage collection deletes under the same lock): the files the
    /// row will describe are really there.
    fn require_files(&self, _tx: &Transaction<'_>, sha256: &str) -> Result<()> {
        if self.files_present(sha256)? {
            Ok(())
        } else {
            Err(Error::Conflict(format!(
                "evidence {sha256} was removed while it was being saved; try again"
            )))
        }
    }

    /// Removes files this ingest created for a photo it could not record, unless another
    /// ingest recorded the same content meanwhile (checked under the writer lock).
    fn discard_unrecorded(&self, photo: &NormalizedPhoto) {
        if !photo.evidence.created && !photo.thumbnail.created {
            return;
        }
        let sha256 = photo.evidence.sha256.to_hex();
        let outcome = self.core.store.write(|tx| {
            if db::file_state(tx, &sha256)? != Some(FileState::Stored) {
                remove_evidence(self.evidence.normalizer.fs(), &self.evidence.dir, &sha256)?;
            }
            Ok(())
        });
        if let Err(err) = outcome {
            tracing::warn!(error = %err, "could not remove an unrecorded evidence file");
        }
    }
}

/// The event payload for a newly normalised photo.
fn added_event(photo: &NormalizedPhoto) -> EvidenceAdded {
    EvidenceAdded {
        sha256: photo.evidence.sha256.to_hex(),
        bytes: photo.evidence.bytes,
        width: photo.evidence.width,
        height: photo.evidence.height,
        original_sha256: photo.original.sha256.to_hex(),
        original_bytes: photo.original.bytes,
        captured_at: photo.capture_time.map(|t| t.to_rfc3339()),
        location: photo.gps.map(|gps| GeoPoint {
            latitude: gps.latitude,
            longitude: gps.longitude,
            coord_system: CoordSystem::Wgs84,
        }),
    }
}

#[cfg(test)]
mod tests {
    //! Faults the public API cannot provoke, through the engine: whatever fails, no file, no
    //! row and no event is left behind.

    use super::*;
    use crate::domain::Lang;
    use crate::evidence::{EvidenceError, FaultyFs, Vanish};

    fn engine_with(dir: &Path, fs: FaultyFs) -> Engine {
        let mut engine = Engine::open(&dir.join("gp.db"), &dir.join("evidence"), Lang::En).unwrap();
        let normalizer = PhotoNormalizer::new(Limits::default()).with_fs(fs);
        engine.evidence = Photos::with_normalizer(&dir.join("evidence"), normalizer);
        engine
    }

    /// A 800x600 JPEG big enough that 8 KiB is mid-file.
    fn big_photo(dir: &Path) -> PathBuf {
        let src = dir.join("photo.jpg");
        let pixels: Vec<u8> = (0..800 * 600 * 3).map(|i| (i * 7 % 251) as u8).collect();
        jpeg_encoder::Encoder::new_file(&src, 90)
            .unwrap()
            .encode(&pixels, 800, 600, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        src
    }

    fn nothing_saved(engine: &Engine, dir: &Path) {
        let (events, evidence, files): (u64, u64, u64) = engine
            .core
            .store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM evidence),
                            (SELECT count(*) FROM evidence_files)",
                    [],
                    |r| r.try_into(),
                )?)
            })
            .unwrap();
        assert_eq!((events, evidence, files), (0, 0, 0));
        let left: Vec<_> = std::fs::read_dir(dir.join("evidence"))
            .unwrap()
            .chain(
                std::fs::read_dir(dir.join("evidence/thumbs"))
                    .into_iter()
                    .flatten(),
            )
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }

    /// Ingests a fresh 800x600 photo through `fs`, expecting failure and nothing saved.
    fn ingest_fails(fs: FaultyFs) -> Error {
        let dir = tempfile::tempdir().unwrap();
        let src = big_photo(dir.path());
        let engine = engine_with(dir.path(), fs);
        let err = engine.ingest_photo(&src).unwrap_err();
        nothing_saved(&engine, dir.path());
        err
    }

    #[test]
    fn a_photo_that_vanishes_mid_read_saves_nothing() {
        let err = ingest_fails(FaultyFs::new().vanishing(Vanish::TruncateOnDisk { after: 8192 }));
        assert!(
            matches!(err, Error::Evidence(EvidenceError::SourceVanished)),
            "{err:?}"
        );
    }

    #[test]
    fn a_full_disk_while_writing_saves_nothing() {
        let err = ingest_fails(FaultyFs::new().disk_full_after(20_000));
        assert_eq!(
            err.to_string(),
            "not enough free storage to save the evidence photo"
        );
    }

    #[test]
    fn too_little_free_space_saves_nothing() {
        let err = ingest_fails(FaultyFs::new().free_space(1 << 20));
        assert!(matches!(
            err,
            Error::Evidence(EvidenceError::LowOnSpace { .. })
        ));
    }

    #[test]
    fn a_refused_transaction_removes_the_files_it_placed() {
        let dir = tempfile::tempdir().unwrap();
        let src = big_photo(dir.path());
        let engine = engine_with(dir.path(), FaultyFs::new());
        let photo = engine
            .evidence
            .normalizer
            .normalize(&src, &engine.evidence.dir)
            .unwrap();
        assert!(photo.evidence.created && photo.thumbnail.created);
        engine.discard_unrecorded(&photo);
        nothing_saved(&engine, dir.path());
    }
}
