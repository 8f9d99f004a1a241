//! The filesystem seam: every file operation of an ingest goes through [`EvidenceFs`].
//!
//! The real implementation is [`OsFs`]. Tests substitute their own to simulate what is hard to
//! provoke for real — a full disk during a write or before it, a photo deleted or truncated
//! while it is being read — and later the core can route through platform storage without
//! touching the pipeline.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

/// A file being written that can be flushed to stable storage.
pub trait DurableWrite: Write + Send {
    /// Flushes data and metadata to the device (`fsync`).
    fn sync_all(&mut self) -> io::Result<()>;
}

impl DurableWrite for File {
    fn sync_all(&mut self) -> io::Result<()> {
        File::sync_all(self)
    }
}

/// File operations used by the photo pipeline.
pub trait EvidenceFs: Send + Sync {
    /// Opens the original photo; returns a reader and the file's size at this moment.
    fn open_original(&self, path: &Path) -> io::Result<(Box<dyn Read + Send>, u64)>;

    /// Creates a folder and its parents.
    fn create_dir_all(&self, dir: &Path) -> io::Result<()>;

    /// Creates a new file for writing; fails if it already exists.
    fn create_new(&self, path: &Path) -> io::Result<Box<dyn DurableWrite>>;

    /// Atomically replaces `to` with `from` (both in the same folder).
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;

    /// Removes a file.
    fn remove_file(&self, path: &Path) -> io::Result<()>;

    /// Whether a file exists.
    fn exists(&self, path: &Path) -> io::Result<bool>;

    /// Makes a folder's entries (new names from renames) durable.
    fn sync_dir(&self, dir: &Path) -> io::Result<()>;

    /// Bytes an unprivileged app may still write on the filesystem holding `dir` (or, when
    /// `dir` does not exist yet, its nearest existing parent).
    fn available_space(&self, dir: &Path) -> io::Result<u64>;
}

/// The operating system's filesystem.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsFs;

impl EvidenceFs for OsFs {
    fn open_original(&self, path: &Path) -> io::Result<(Box<dyn Read + Send>, u64)> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok((Box::new(file), len))
    }

    fn create_dir_all(&self, dir: &Path) -> io::Result<()> {
        fs::create_dir_all(dir)
    }

    fn create_new(&self, path: &Path) -> io::Result<Box<dyn DurableWrite>> {
        let file = OpenOptions::new().write(true).create_new(true).open(path)?;
        Ok(Box::new(file))
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }

    fn exists(&self, path: &Path) -> io::Result<bool> {
        path.try_exists()
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        // Android and iOS are Unix: a directory opened read-only can be fsynced. Windows
        // cannot open directories this way and makes renames durable by itself.
        if cfg!(unix) {
            File::open(dir)?.sync_all()
        } else {
            Ok(())
        }
    }

    fn available_space(&self, dir: &Path) -> io::Result<u64> {
        let existing = dir
            .ancestors()
            .find(|d| d.is_dir())
            .unwrap_or_else(|| Path::new("."));
        statvfs_available(existing)
    }
}

/// `f_bavail * f_frsize`: the blocks left for unprivileged writers (the root reserve is not
/// ours to use).
#[cfg(unix)]
fn statvfs_available(dir: &Path) -> io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))?;
    // SAFETY: `path` is a valid NUL-terminated string and `stat` a plain-data out-parameter.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut stat) } != 0 {
        return Err(io::Error::last_os_error());
    }
    #[allow(clippy::unnecessary_cast)] // the field widths differ between platforms
    Ok(stat.f_bavail as u64 * stat.f_frsize as u64)
}

#[cfg(not(unix))]
fn statvfs_available(_dir: &Path) -> io::Result<u64> {
    Ok(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_fs_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let fs = OsFs;
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        let mut w = fs.create_new(&a).unwrap();
        w.write_all(b"hello").unwrap();
        w.sync_all().unwrap();
        drop(w);
        assert!(fs.create_new(&a).is_err(), "create_new must not clobber");
        fs.rename(&a, &b).unwrap();
        fs.sync_dir(dir.path()).unwrap();
        assert!(!fs.exists(&a).unwrap() && fs.exists(&b).unwrap());
        let (mut r, len) = fs.open_original(&b).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!((s.as_str(), len), ("hello", 5));
        fs.remove_file(&b).unwrap();
        assert!(!fs.exists(&b).unwrap());
    }

    #[test]
    fn free_space_is_read_for_a_folder_not_made_yet() {
        let dir = tempfile::tempdir().unwrap();
        let here = OsFs.available_space(dir.path()).unwrap();
        let later = OsFs
            .available_space(&dir.path().join("evidence/thumbs"))
            .unwrap();
        assert!(here > 0);
        // Same filesystem: the same figure, give or take what other processes wrote meanwhile.
        assert!(here.abs_diff(later) < 1 << 30, "{here} vs {later}");
    }
}
