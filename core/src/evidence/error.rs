//! Why a photo was refused or could not be stored.
//!
//! Every way an ingest can fail has its own variant, so the app can tell the user what to do
//! (retake the photo, free some space) and tests can assert the exact cause. Messages never
//! contain paths, coordinates or other personal data: they may end up in logs and bug reports.

use std::io;

/// What the app should do with a failure: the later `GridPatrolError` mapping follows this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The photo itself is unusable; retrying the same file cannot help.
    InvalidInput,
    /// The photo file is not there (any more).
    NotFound,
    /// Reading or writing storage failed; retrying may help (e.g. after freeing space).
    Storage,
}

/// A failed photo normalisation. On any of these, nothing was left in the evidence folder and
/// the original file was not modified.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvidenceError {
    #[error("the photo file does not exist")]
    SourceNotFound,

    #[error("the photo file is empty (0 bytes)")]
    EmptyFile,

    #[error("the file is not a JPEG or PNG image")]
    NotAnImage,

    #[error("the photo file is {bytes} bytes, over the limit of {max_bytes} bytes")]
    FileTooLarge { bytes: u64, max_bytes: u64 },

    #[error("the image file is truncated: it ends before its image data is complete")]
    Truncated,

    #[error("the image data is corrupt: {reason}")]
    Corrupt { reason: String },

    #[error("the image uses a feature that cannot be decoded: {feature}")]
    Unsupported { feature: String },

    #[error(
        "refused a likely decompression bomb: a {file_bytes}-byte file declares \
         {width}x{height} pixels, far more than its data can hold"
    )]
    DecompressionBomb {
        width: u32,
        height: u32,
        file_bytes: u64,
    },

    #[error("the image has {width}x{height} pixels, over the limit of {max_pixels} pixels")]
    TooManyPixels {
        width: u32,
        height: u32,
        max_pixels: u64,
    },

    #[error("the photo file changed size or disappeared while it was being read")]
    SourceVanished,

    #[error("could not read the photo file: {0}")]
    SourceRead(#[source] io::Error),

    #[error("not enough free storage to save the evidence photo")]
    StorageFull(#[source] io::Error),

    #[error(
        "not enough free storage for evidence photos: {available_mib} MiB free, at least \
         {required_mib} MiB must stay free; free some space and try again"
    )]
    LowOnSpace {
        available_mib: u64,
        required_mib: u64,
    },

    #[error("could not save the evidence photo: {0}")]
    Storage(#[source] io::Error),

    #[error("could not encode the evidence JPEG: {reason}")]
    Encode { reason: String },
}

impl EvidenceError {
    /// How the app should treat this failure.
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::SourceNotFound | Self::SourceVanished => ErrorClass::NotFound,
            Self::SourceRead(_)
            | Self::StorageFull(_)
            | Self::LowOnSpace { .. }
            | Self::Storage(_) => ErrorClass::Storage,
            Self::EmptyFile
            | Self::NotAnImage
            | Self::FileTooLarge { .. }
            | Self::Truncated
            | Self::Corrupt { .. }
            | Self::Unsupported { .. }
            | Self::DecompressionBomb { .. }
            | Self::TooManyPixels { .. }
            | Self::Encode { .. } => ErrorClass::InvalidInput,
        }
    }

    /// Classifies an I/O error met while reading the original photo.
    pub(crate) fn from_source_io(err: io::Error) -> Self {
        if crate::evidence::source::is_source_vanished(&err) {
            Self::SourceVanished
        } else {
            match err.kind() {
                io::ErrorKind::UnexpectedEof => Self::Truncated,
                io::ErrorKind::NotFound => Self::SourceVanished,
                _ => Self::SourceRead(err),
            }
        }
    }

    /// Classifies an I/O error met while writing into the evidence folder.
    pub(crate) fn from_store_io(err: io::Error) -> Self {
        match err.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => Self::StorageFull(err),
            _ => Self::Storage(err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_full_and_quota_are_storage_full() {
        for kind in [io::ErrorKind::StorageFull, io::ErrorKind::QuotaExceeded] {
            let err = EvidenceError::from_store_io(io::Error::from(kind));
            assert!(matches!(err, EvidenceError::StorageFull(_)), "{err:?}");
            assert_eq!(err.class(), ErrorClass::Storage);
        }
        let other = EvidenceError::from_store_io(io::Error::from(io::ErrorKind::PermissionDenied));
        assert!(matches!(other, EvidenceError::Storage(_)));
    }

    #[test]
    fn unexpected_eof_while_reading_means_truncated() {
        let err = EvidenceError::from_source_io(io::Error::from(io::ErrorKind::UnexpectedEof));
        assert!(matches!(err, EvidenceError::Truncated));
        assert_eq!(err.class(), ErrorClass::InvalidInput);
    }

    #[test]
    fn messages_carry_no_paths() {
        let err = EvidenceError::TooManyPixels {
            width: 20_000,
            height: 10_000,
            max_pixels: 120_000_000,
        };
        assert_eq!(
            err.to_string(),
            "the image has 20000x10000 pixels, over the limit of 120000000 pixels"
        );
    }
}
