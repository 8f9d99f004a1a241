//! Evidence bytes, content-addressed and resumable. [`FsBlobStore`] keeps a partial upload in
//! `partial/<sha256>` (with its declared length in `partial/<sha256>.length`), appends bytes as
//! they arrive, and on completion verifies the SHA-256 and renames the file to `blobs/<sha256>`.
//! An S3-style implementation would map `append` onto multipart parts.
//!
//! Callers serialise uploads of one blob (see `routes::blobs`); the store does not lock.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// How much of a blob the server holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobProgress {
    /// Bytes held (the whole length once complete).
    pub offset: u64,
    /// The declared total size, once an upload declared it.
    pub length: Option<u64>,
    /// Stored and verified.
    pub complete: bool,
}

/// The result of completing an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// The bytes hash to the name: stored.
    Stored,
    /// They do not: the partial upload was discarded.
    HashMismatch,
}

/// Appends to one partial upload.
pub trait BlobAppender: Send {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Makes what was appended durable.
    fn sync(&mut self) -> io::Result<()>;
}

/// Where evidence bytes live.
pub trait BlobStore: Send + Sync + 'static {
    fn progress(&self, sha256: &str) -> io::Result<BlobProgress>;
    /// Records the declared length, creating an empty partial upload if there is none.
    fn begin(&self, sha256: &str, length: u64) -> io::Result<()>;
    /// Opens the partial upload for appending.
    fn appender(&self, sha256: &str) -> io::Result<Box<dyn BlobAppender>>;
    /// Verifies the partial upload against its name; stores it or discards it.
    fn finish(&self, sha256: &str) -> io::Result<Finish>;
    /// A complete blob's bytes, `None` when it is not stored (yet).
    fn read(&self, sha256: &str) -> io::Result<Option<Vec<u8>>>;
    /// Stores `bytes` whole (the web form's photo) under their SHA-256, which it returns.
    fn put(&self, bytes: &[u8]) -> io::Result<String> {
        let sha256 = hex::encode(Sha256::digest(bytes));
        if self.progress(&sha256)?.complete {
            return Ok(sha256);
        }
        self.discard_partial(&sha256)?;
        self.begin(&sha256, bytes.len() as u64)?;
        let mut appender = self.appender(&sha256)?;
        appender.append(bytes)?;
        appender.sync()?;
        match self.finish(&sha256)? {
            Finish::Stored => Ok(sha256),
            Finish::HashMismatch => Err(io::Error::other("blob changed while it was stored")),
        }
    }
    /// Drops a partial upload (nothing if there is none).
    fn discard_partial(&self, sha256: &str) -> io::Result<()>;
}

/// Blobs in a directory: `blobs/` complete, `partial/` in progress.
#[derive(Debug)]
pub struct FsBlobStore {
    complete: PathBuf,
    partial: PathBuf,
}

impl FsBlobStore {
    /// Uses (and creates) `dir/blobs` and `dir/partial`.
    pub fn open(dir: &Path) -> io::Result<Self> {
        let store = FsBlobStore {
            complete: dir.join("blobs"),
            partial: dir.join("partial"),
        };
        fs::create_dir_all(&store.complete)?;
        fs::create_dir_all(&store.partial)?;
        Ok(store)
    }

    fn partial_path(&self, sha256: &str) -> PathBuf {
        self.partial.join(sha256)
    }

    fn length_path(&self, sha256: &str) -> PathBuf {
        self.partial.join(format!("{sha256}.length"))
    }

    fn discard(&self, sha256: &str) -> io::Result<()> {
        for path in [self.partial_path(sha256), self.length_path(sha256)] {
            match fs::remove_file(path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }
}

struct FileAppender(File);

impl BlobAppender for FileAppender {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.0.write_all(bytes)
    }

    fn sync(&mut self) -> io::Result<()> {
        self.0.sync_data()
    }
}

impl BlobStore for FsBlobStore {
    fn progress(&self, sha256: &str) -> io::Result<BlobProgress> {
        if let Ok(meta) = fs::metadata(self.complete.join(sha256)) {
            return Ok(BlobProgress {
                offset: meta.len(),
                length: Some(meta.len()),
                complete: true,
            });
        }
        let offset = match fs::metadata(self.partial_path(sha256)) {
            Ok(meta) => meta.len(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
            Err(e) => return Err(e),
        };
        let length = match fs::read_to_string(self.length_path(sha256)) {
            Ok(text) => text.trim().parse().ok(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        Ok(BlobProgress {
            offset,
            length,
            complete: false,
        })
    }

    fn begin(&self, sha256: &str, length: u64) -> io::Result<()> {
        let length_path = self.length_path(sha256);
        if !length_path.exists() {
            fs::write(&length_path, length.to_string())?;
        }
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.partial_path(sha256))?;
        Ok(())
    }

    fn appender(&self, sha256: &str) -> io::Result<Box<dyn BlobAppender>> {
        let file = OpenOptions::new()
            .append(true)
            .open(self.partial_path(sha256))?;
        Ok(Box::new(FileAppender(file)))
    }

    fn finish(&self, sha256: &str) -> io::Result<Finish> {
        let partial = self.partial_path(sha256);
        let mut file = File::open(&partial)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        if hex::encode(hasher.finalize()) != sha256 {
            self.discard(sha256)?;
            return Ok(Finish::HashMismatch);
        }
        file.sync_all()?;
        fs::rename(&partial, self.complete.join(sha256))?;
        // The rename is durable only once the directory is.
        File::open(&self.complete)?.sync_all()?;
        self.discard(sha256)?;
        Ok(Finish::Stored)
    }

    fn read(&self, sha256: &str) -> io::Result<Option<Vec<u8>>> {
        match fs::read(self.complete.join(sha256)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn discard_partial(&self, sha256: &str) -> io::Result<()> {
        self.discard(sha256)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    #[test]
    fn an_upload_in_two_parts_is_verified_and_stored() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsBlobStore::open(dir.path()).unwrap();
        let data = b"evidence photo bytes";
        let name = sha(data);
        assert_eq!(store.progress(&name).unwrap().offset, 0);
        store.begin(&name, data.len() as u64).unwrap();
        store.appender(&name).unwrap().append(&data[..5]).unwrap();
        let mid = store.progress(&name).unwrap();
        assert_eq!((mid.offset, mid.length, mid.complete), (5, Some(20), false));
        store.appender(&name).unwrap().append(&data[5..]).unwrap();
        assert_eq!(store.finish(&name).unwrap(), Finish::Stored);
        assert!(store.progress(&name).unwrap().complete);
        assert_eq!(
            fs::read(dir.path().join("blobs").join(&name)).unwrap(),
            data
        );
        assert_eq!(fs::read_dir(dir.path().join("partial")).unwrap().count(), 0);
    }

    #[test]
    fn a_mismatch_discards_the_partial_upload() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsBlobStore::open(dir.path()).unwrap();
        let name = sha(b"the real photo");
        store.begin(&name, 4).unwrap();
        store.appender(&name).unwrap().append(b"fake").unwrap();
        assert_eq!(store.finish(&name).unwrap(), Finish::HashMismatch);
        let after = store.progress(&name).unwrap();
        assert_eq!(
            (after.offset, after.length, after.complete),
            (0, None, false)
        );
    }
}
