//! Putting encoded files into the content-addressed evidence folder, all or nothing.
//!
//! Layout: `<dest>/<sha256>.jpg` and `<dest>/thumbs/<sha256>.jpg`, both named by the evidence
//! file's hash. Each file is written to a dot-named temp file in its final folder, fsynced, then
//! renamed (atomic on one filesystem) and the folders fsynced, so a crash or power loss leaves
//! either the old state or complete files. On any failure, everything this call created is
//! removed; files that were already there (same content, same name) are left alone.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::evidence::error::EvidenceError;
use crate::evidence::fs::EvidenceFs;
use crate::evidence::hash::Sha256Digest;

/// Prefix of temp files; [`sweep_staging_files`] removes leftovers of a crash.
pub const STAGING_PREFIX: &str = ".staging-";

/// A file placed in the evidence folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub path: PathBuf,
    pub sha256: Sha256Digest,
    pub bytes: u64,
    /// No file of that name was there before this call (so a caller that cannot record the
    /// photo may remove it again; a file that was there belongs to an earlier ingest).
    pub created: bool,
}

/// Where the evidence file named `sha256` and its thumbnail live under `dest_dir`.
pub fn evidence_paths(dest_dir: &Path, sha256: &str) -> (PathBuf, PathBuf) {
    let name = format!("{sha256}.jpg");
    (dest_dir.join(&name), dest_dir.join("thumbs").join(name))
}

/// A temp file that is removed when dropped, unless it was renamed into place.
struct StagedFile<'a> {
    fs: &'a dyn EvidenceFs,
    path: Option<PathBuf>,
}

impl StagedFile<'_> {
    fn persist(mut self, to: &Path) -> io::Result<()> {
        let from = self.path.take().expect("a staged file is persisted once");
        if let Err(e) = self.fs.rename(&from, to) {
            self.path = Some(from);
            return Err(e);
        }
        Ok(())
    }
}

impl Drop for StagedFile<'_> {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            // Best effort: the original error is what the caller needs to see.
            let _ = self.fs.remove_file(&path);
        }
    }
}

fn staging_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{STAGING_PREFIX}{}-{n}-{nanos:08x}.part",
        std::process::id()
    )
}

/// Writes `bytes` to a new temp file in `dir` and fsyncs it.
fn stage<'a>(fs: &'a dyn EvidenceFs, dir: &Path, bytes: &[u8]) -> io::Result<StagedFile<'a>> {
    let path = dir.join(staging_name());
    let mut file = fs.create_new(&path)?;
    // From here on the guard owns the temp file: any error below removes it.
    let staged = StagedFile {
        fs,
        path: Some(path),
    };
    file.write_all(bytes)?;
    file.flush()?;
    file.sync_all()?;
    Ok(staged)
}

/// Removes files this call renamed into place if a later step fails.
struct Placed<'a> {
    fs: &'a dyn EvidenceFs,
    paths: Vec<PathBuf>,
}

impl Drop for Placed<'_> {
    fn drop(&mut self) {
        for path in self.paths.drain(..) {
            let _ = self.fs.remove_file(&path);
        }
    }
}

/// Stores the evidence JPEG and its thumbnail under the evidence file's SHA-256.
pub(crate) fn store_evidence(
    fs: &dyn EvidenceFs,
    dest_dir: &Path,
    evidence: &[u8],
    thumbnail: &[u8],
) -> Result<(StoredFile, StoredFile), EvidenceError> {
    let io_err = EvidenceError::from_store_io;
    let sha256 = Sha256Digest::of(evidence);
    let (evidence_path, thumb_path) = evidence_paths(dest_dir, &sha256.to_hex());
    let thumbs_dir = dest_dir.join("thumbs");
    fs.create_dir_all(&thumbs_dir).map_err(io_err)?;

    let staged_evidence = stage(fs, dest_dir, evidence).map_err(io_err)?;
    let staged_thumb = stage(fs, &thumbs_dir, thumbnail).map_err(io_err)?;

    let mut placed = Placed {
        fs,
        paths: Vec::new(),
    };
    let mut created = [false; 2];
    // The thumbnail goes first: a listed evidence file always has its thumbnail.
    for (i, (staged, path)) in [
        (staged_thumb, &thumb_path),
        (staged_evidence, &evidence_path),
    ]
    .into_iter()
    .enumerate()
    {
        let existed = fs.exists(path).map_err(io_err)?;
        staged.persist(path).map_err(io_err)?;
        if !existed {
            placed.paths.push(path.clone());
            created[i] = true;
        }
    }
    fs.sync_dir(&thumbs_dir).map_err(io_err)?;
    fs.sync_dir(dest_dir).map_err(io_err)?;
    placed.paths.clear();

    Ok((
        StoredFile {
            path: evidence_path,
            sha256,
            bytes: evidence.len() as u64,
            created: created[1],
        },
        StoredFile {
            path: thumb_path,
            sha256: Sha256Digest::of(thumbnail),
            bytes: thumbnail.len() as u64,
            created: created[0],
        },
    ))
}

/// Removes a photo's evidence file and thumbnail (garbage collection, or a photo that could not
/// be recorded); a file already gone is fine.
pub fn remove_evidence(fs: &dyn EvidenceFs, dest_dir: &Path, sha256: &str) -> io::Result<()> {
    let (evidence, thumb) = evidence_paths(dest_dir, sha256);
    // The evidence file goes first: a listed evidence file always has its thumbnail.
    for path in [evidence, thumb] {
        match fs.remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    fs.sync_dir(dest_dir)
}

/// Removes temp files left in the evidence folder by a crash or power loss mid-write; call
/// once at start-up. Returns how many were removed.
pub fn sweep_staging_files(dest_dir: &Path) -> io::Result<usize> {
    let mut removed = 0;
    for dir in [dest_dir.to_path_buf(), dest_dir.join("thumbs")] {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(STAGING_PREFIX)
            {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::fs::OsFs;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn files_land_under_the_evidence_hash_and_no_temp_remains() {
        let dir = tempfile::tempdir().unwrap();
        let (ev, th) = store_evidence(&OsFs, dir.path(), b"evidence", b"thumb").unwrap();
        let hex = Sha256Digest::of(b"evidence").to_hex();
        assert_eq!(ev.path, dir.path().join(format!("{hex}.jpg")));
        assert_eq!(
            th.path,
            dir.path().join("thumbs").join(format!("{hex}.jpg"))
        );
        assert_eq!(std::fs::read(&ev.path).unwrap(), b"evidence");
        assert_eq!(std::fs::read(&th.path).unwrap(), b"thumb");
        assert_eq!(th.sha256, Sha256Digest::of(b"thumb"));
        assert_eq!(
            names(dir.path()),
            vec![format!("{hex}.jpg"), "thumbs".into()]
        );
        assert_eq!(
            names(&dir.path().join("thumbs")),
            vec![format!("{hex}.jpg")]
        );
    }

    #[test]
    fn storing_the_same_content_twice_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let first = store_evidence(&OsFs, dir.path(), b"same", b"t").unwrap();
        let second = store_evidence(&OsFs, dir.path(), b"same", b"t").unwrap();
        assert!(first.0.created && first.1.created);
        assert!(!second.0.created && !second.1.created);
        assert_eq!(first.0.path, second.0.path);
        assert_eq!(names(dir.path()).len(), 2);
    }

    #[test]
    fn removing_takes_both_files_and_tolerates_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let (ev, th) = store_evidence(&OsFs, dir.path(), b"evidence", b"thumb").unwrap();
        let hex = ev.sha256.to_hex();
        remove_evidence(&OsFs, dir.path(), &hex).unwrap();
        assert!(!ev.path.exists() && !th.path.exists());
        remove_evidence(&OsFs, dir.path(), &hex).unwrap();
    }

    #[test]
    fn sweep_removes_only_staging_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("thumbs")).unwrap();
        std::fs::write(dir.path().join(format!("{STAGING_PREFIX}1-2-3.part")), b"x").unwrap();
        std::fs::write(
            dir.path()
                .join("thumbs")
                .join(format!("{STAGING_PREFIX}9.part")),
            b"",
        )
        .unwrap();
        std::fs::write(dir.path().join("keep.jpg"), b"x").unwrap();
        assert_eq!(sweep_staging_files(dir.path()).unwrap(), 2);
        assert_eq!(
            names(dir.path()),
            vec!["keep.jpg".to_string(), "thumbs".into()]
        );
    }
}
