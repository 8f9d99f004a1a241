//! SHA-256 digests of files, computed while streaming.
//!
//! Evidence files are addressed by their SHA-256 and the server verifies it, so the hash must
//! be of exactly the bytes stored; originals can be tens of MB, so they are never read into
//! memory whole. `sha2` picks the CPU's SHA extensions (x86 SHA-NI, ARMv8 SHA2) at run time.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

/// Read size of the streaming hasher: large enough that syscalls cost nothing next to hashing.
const HASH_CHUNK: usize = 1 << 20;

/// A SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256Digest(pub [u8; 32]);

impl Sha256Digest {
    /// Digest of an in-memory buffer.
    pub fn of(bytes: &[u8]) -> Self {
        Self(Sha256::digest(bytes).into())
    }

    /// Lower-case hex, as used in file names and on the wire.
    pub fn to_hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(64);
        for byte in self.0 {
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0x0f)] as char);
        }
        out
    }
}

impl fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Digest({})", self.to_hex())
    }
}

/// A file's digest and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileDigest {
    pub sha256: Sha256Digest,
    pub bytes: u64,
}

/// Hashes a file in 1 MiB chunks; memory use does not grow with the file.
pub fn hash_file_streaming(path: &Path) -> io::Result<FileDigest> {
    hash_reader_streaming(File::open(path)?)
}

/// Hashes everything a reader yields, in 1 MiB chunks.
pub fn hash_reader_streaming(mut reader: impl Read) -> io::Result<FileDigest> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; HASH_CHUNK];
    let mut bytes = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok(FileDigest {
        sha256: Sha256Digest(hasher.finalize().into()),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn digest_of_abc_matches_fips_180_vector() {
        assert_eq!(Sha256Digest::of(b"abc").to_hex(), ABC);
    }

    #[test]
    fn streaming_equals_one_shot_across_chunk_boundaries() {
        let data: Vec<u8> = (0..(HASH_CHUNK * 2 + 12_345))
            .map(|i| (i * 31 % 251) as u8)
            .collect();
        let streamed = hash_reader_streaming(&data[..]).unwrap();
        assert_eq!(streamed.bytes, data.len() as u64);
        assert_eq!(streamed.sha256, Sha256Digest::of(&data));
    }

    #[test]
    fn hashes_a_file_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc");
        std::fs::write(&path, b"abc").unwrap();
        let digest = hash_file_streaming(&path).unwrap();
        assert_eq!((digest.sha256.to_hex().as_str(), digest.bytes), (ABC, 3));
    }
}
