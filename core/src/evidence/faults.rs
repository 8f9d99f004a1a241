//! [`FaultyFs`]: the real filesystem with faults injected through the [`EvidenceFs`] seam — a
//! disk that fills up, a rename that fails, a photo truncated or unreadable mid-read, a device
//! short of free space. What cannot be provoked safely on a real phone is simulated here, so the
//! pipeline's and the engine's "nothing saved" promises are tested on every failure path.

use std::fs::OpenOptions;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use super::fs::{DurableWrite, EvidenceFs, OsFs};

/// How the original photo misbehaves once `after` bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vanish {
    /// Another process truncates the file on disk (e.g. the gallery rewrote it).
    TruncateOnDisk { after: u64 },
    /// The storage under the file goes away (SD card removed): `EIO`.
    IoError { after: u64 },
}

/// [`OsFs`] with optional faults; every fault is off by default.
#[derive(Debug, Default)]
pub struct FaultyFs {
    /// Bytes the disk still takes; writes past them fail with `StorageFull`.
    write_budget: Option<Arc<AtomicU64>>,
    /// The 0-based rename that fails with `PermissionDenied`.
    failing_rename: Option<usize>,
    renames: AtomicUsize,
    vanish: Option<Vanish>,
    /// What `available_space` reports instead of the real figure.
    free_space: Option<u64>,
}

impl FaultyFs {
    /// No faults yet.
    pub fn new() -> FaultyFs {
        FaultyFs::default()
    }

    /// The disk fills up after `bytes` more bytes are written.
    pub fn disk_full_after(mut self, bytes: u64) -> FaultyFs {
        self.write_budget = Some(Arc::new(AtomicU64::new(bytes)));
        self
    }

    /// The `n`-th rename (0-based) fails.
    pub fn failing_rename(mut self, n: usize) -> FaultyFs {
        self.failing_rename = Some(n);
        self
    }

    /// The original misbehaves mid-read.
    pub fn vanishing(mut self, vanish: Vanish) -> FaultyFs {
        self.vanish = Some(vanish);
        self
    }

    /// The filesystem reports only `bytes` free.
    pub fn free_space(mut self, bytes: u64) -> FaultyFs {
        self.free_space = Some(bytes);
        self
    }
}

impl EvidenceFs for FaultyFs {
    fn open_original(&self, path: &Path) -> io::Result<(Box<dyn Read + Send>, u64)> {
        let (file, len) = OsFs.open_original(path)?;
        let Some(vanish) = self.vanish else {
            return Ok((file, len));
        };
        let reader = VanishingReader {
            file,
            path: path.to_owned(),
            read: 0,
            vanish,
        };
        Ok((Box::new(reader), len))
    }

    fn create_dir_all(&self, dir: &Path) -> io::Result<()> {
        OsFs.create_dir_all(dir)
    }

    fn create_new(&self, path: &Path) -> io::Result<Box<dyn DurableWrite>> {
        let file = OsFs.create_new(path)?;
        Ok(match &self.write_budget {
            None => file,
            Some(budget) => Box::new(BudgetWriter {
                file,
                budget: Arc::clone(budget),
            }),
        })
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        let n = self.renames.fetch_add(1, Ordering::SeqCst);
        if self.failing_rename == Some(n) {
            return Err(io::Error::from(io::ErrorKind::PermissionDenied));
        }
        OsFs.rename(from, to)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        OsFs.remove_file(path)
    }

    fn exists(&self, path: &Path) -> io::Result<bool> {
        OsFs.exists(path)
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        OsFs.sync_dir(dir)
    }

    fn available_space(&self, dir: &Path) -> io::Result<u64> {
        match self.free_space {
            Some(bytes) => Ok(bytes),
            None => OsFs.available_space(dir),
        }
    }
}

/// Writes until the shared byte budget is spent, then fails as a full disk does.
struct BudgetWriter {
    file: Box<dyn DurableWrite>,
    budget: Arc<AtomicU64>,
}

impl Write for BudgetWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let left = self.budget.load(Ordering::SeqCst);
        if left == 0 {
            return Err(io::Error::from(io::ErrorKind::StorageFull));
        }
        let n = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let written = self.file.write(&buf[..n])?;
        self.budget.fetch_sub(written as u64, Ordering::SeqCst);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl DurableWrite for BudgetWriter {
    fn sync_all(&mut self) -> io::Result<()> {
        self.file.sync_all()
    }
}

/// Reads the real file in 4 KiB steps and misbehaves past the configured offset.
struct VanishingReader {
    file: Box<dyn Read + Send>,
    path: PathBuf,
    read: u64,
    vanish: Vanish,
}

impl Read for VanishingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.vanish {
            Vanish::TruncateOnDisk { after } if self.read >= after => {
                OpenOptions::new()
                    .write(true)
                    .open(&self.path)?
                    .set_len(0)?;
            }
            Vanish::IoError { after } if self.read >= after => {
                return Err(io::Error::from_raw_os_error(5)); // EIO
            }
            _ => {}
        }
        let limit = buf.len().min(4096);
        let n = self.file.read(&mut buf[..limit])?;
        self.read += n as u64;
        Ok(n)
    }
}
