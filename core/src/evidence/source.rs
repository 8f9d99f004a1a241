//! Reading the original photo: one sequential pass that feeds the decoder and the hasher.
//!
//! Hashing the very bytes the decoder sees (instead of reading the file twice) means the
//! recorded original hash always describes the pixels we stored, even if the file is swapped
//! meanwhile. The reader also knows the size the file had when it was opened: a file that
//! shrinks, grows or disappears mid-read is reported as such, not as a corrupt image.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};

use sha2::{Digest, Sha256};

use crate::evidence::error::EvidenceError;
use crate::evidence::hash::{FileDigest, Sha256Digest};

/// Buffer between the file and the decoders (which read a few bytes at a time).
const READ_BUFFER: usize = 64 * 1024;

/// The container formats we accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Jpeg,
    Png,
}

impl SourceFormat {
    /// Recognises a format by its magic bytes (never by the file name).
    pub fn sniff(head: &[u8]) -> Option<Self> {
        if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else {
            None
        }
    }
}

/// Payload of the I/O error raised when the file no longer matches the size it had when opened.
#[derive(Debug)]
struct SourceVanished {
    expected: u64,
    seen: u64,
}

impl fmt::Display for SourceVanished {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "source was {} bytes when opened but reading gave {} bytes",
            self.expected, self.seen
        )
    }
}

impl std::error::Error for SourceVanished {}

/// Whether an I/O error (possibly wrapped by a decoder) means the source changed mid-read.
pub(crate) fn is_source_vanished(err: &io::Error) -> bool {
    err.get_ref()
        .is_some_and(|inner| inner.downcast_ref::<SourceVanished>().is_some())
}

/// Tees everything read into SHA-256 and checks the byte count against the size at open.
///
/// It also remembers what went wrong, because a C decoder reports a failed read only as
/// "read error" and a premature end of file only as a warning.
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    expected: u64,
    seen: u64,
    /// A read returned end-of-file.
    hit_eof: bool,
    /// The first read failure: kind and text (the error itself goes to the caller).
    failure: Option<(io::ErrorKind, String, bool)>,
}

impl<R: Read> HashingReader<R> {
    fn read_checked(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.seen += n as u64;
        if (n == 0 && !buf.is_empty() && self.seen < self.expected) || self.seen > self.expected {
            return Err(io::Error::other(SourceVanished {
                expected: self.expected,
                seen: self.seen,
            }));
        }
        if n == 0 && !buf.is_empty() {
            self.hit_eof = true;
        }
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_checked(buf).inspect_err(|e| {
            if self.failure.is_none() && e.kind() != io::ErrorKind::Interrupted {
                self.failure = Some((e.kind(), e.to_string(), is_source_vanished(e)));
            }
        })
    }
}

/// `png` 0.18 requires `Seek` in its bounds but never seeks; refuse rather than lose the hash.
impl<R: Read> Seek for HashingReader<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match pos {
            SeekFrom::Current(0) => Ok(self.seen),
            _ => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "the photo is read in one pass and cannot seek",
            )),
        }
    }
}

/// The original photo, opened for one sequential pass.
pub(crate) struct OriginalStream {
    reader: BufReader<HashingReader<Box<dyn Read + Send>>>,
    len: u64,
}

impl OriginalStream {
    /// Wraps a freshly opened source of `len` bytes (its size at open).
    pub(crate) fn new(inner: Box<dyn Read + Send>, len: u64) -> Self {
        let hashing = HashingReader {
            inner,
            hasher: Sha256::new(),
            expected: len,
            seen: 0,
            hit_eof: false,
            failure: None,
        };
        Self {
            reader: BufReader::with_capacity(READ_BUFFER, hashing),
            len,
        }
    }

    /// Size of the file when it was opened.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Looks at the first bytes without consuming them.
    pub(crate) fn sniff(&mut self) -> Result<Option<SourceFormat>, EvidenceError> {
        let head = self
            .reader
            .fill_buf()
            .map_err(EvidenceError::from_source_io)?;
        Ok(SourceFormat::sniff(head))
    }

    /// The reader the decoders consume.
    pub(crate) fn reader(&mut self) -> &mut BufReader<impl Read + Seek> {
        &mut self.reader
    }

    /// Whether reading has reached the end of the file. Right after a decoder finished (before
    /// [`Self::finish`]), this means the decoder wanted more data than the file has.
    pub(crate) fn hit_eof(&self) -> bool {
        self.reader.get_ref().hit_eof
    }

    /// The first read failure, as the error the pipeline reports for it.
    pub(crate) fn read_failure(&self) -> Option<EvidenceError> {
        let (kind, text, vanished) = self.reader.get_ref().failure.as_ref()?;
        Some(if *vanished {
            EvidenceError::SourceVanished
        } else {
            EvidenceError::from_source_io(io::Error::new(*kind, text.clone()))
        })
    }

    /// Reads whatever the decoder left (trailing data after the image) and returns the digest
    /// of the whole file, failing if the file changed size while it was read.
    pub(crate) fn finish(mut self) -> Result<FileDigest, EvidenceError> {
        io::copy(&mut self.reader, &mut io::sink()).map_err(EvidenceError::from_source_io)?;
        let hashing = self.reader.into_inner();
        if hashing.seen != hashing.expected {
            return Err(EvidenceError::SourceVanished);
        }
        Ok(FileDigest {
            sha256: Sha256Digest(hashing.hasher.finalize().into()),
            bytes: hashing.seen,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(data: &'static [u8], claimed_len: u64) -> OriginalStream {
        OriginalStream::new(Box::new(data), claimed_len)
    }

    #[test]
    fn sniffs_by_magic_not_name() {
        assert_eq!(
            SourceFormat::sniff(b"\xFF\xD8\xFF\xE0rest"),
            Some(SourceFormat::Jpeg)
        );
        assert_eq!(
            SourceFormat::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(SourceFormat::Png)
        );
        assert_eq!(SourceFormat::sniff(b"GIF89a"), None);
        assert_eq!(SourceFormat::sniff(b""), None);
    }

    #[test]
    fn finish_hashes_bytes_the_decoder_consumed_and_the_rest() {
        let mut s = stream(b"abc", 3);
        let mut first = [0u8; 1];
        s.reader().read_exact(&mut first).unwrap();
        let digest = s.finish().unwrap();
        assert_eq!(digest.sha256, Sha256Digest::of(b"abc"));
        assert_eq!(digest.bytes, 3);
    }

    #[test]
    fn file_shorter_than_at_open_is_reported_as_vanished() {
        let mut s = stream(b"abc", 10);
        let err = s.reader().read_to_end(&mut Vec::new()).unwrap_err();
        assert!(is_source_vanished(&err));
        assert!(matches!(
            EvidenceError::from_source_io(err),
            EvidenceError::SourceVanished
        ));
    }

    #[test]
    fn file_longer_than_at_open_is_reported_as_vanished() {
        let s = stream(b"abcdef", 3);
        assert!(matches!(s.finish(), Err(EvidenceError::SourceVanished)));
    }

    #[test]
    fn failures_and_eof_are_remembered_for_c_decoders() {
        let mut s = stream(b"abc", 10);
        let _ = s.reader().read_to_end(&mut Vec::new());
        assert!(matches!(
            s.read_failure(),
            Some(EvidenceError::SourceVanished)
        ));

        let mut s = stream(b"abc", 3);
        assert!(!s.hit_eof());
        s.reader().read_to_end(&mut Vec::new()).unwrap();
        assert!(s.hit_eof() && s.read_failure().is_none());
    }

    #[test]
    fn seeking_is_refused() {
        let mut s = stream(b"abc", 3);
        assert!(s.reader().get_mut().seek(SeekFrom::Start(0)).is_err());
    }
}
