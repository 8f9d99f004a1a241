//! Errors of the QR decoder. "No code in the frame" is not an error (an empty list is); these
//! are the caller's mistakes (inconsistent plane dimensions) and unreadable image files.

use std::path::PathBuf;

/// Why a frame or an image file could not be scanned at all.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Width or height is zero.
    #[error("empty luma plane: {width}x{height}")]
    EmptyPlane { width: u32, height: u32 },

    /// The row stride is smaller than the width, so rows would overlap.
    #[error("row stride {row_stride} is smaller than the width {width}")]
    StrideTooSmall { row_stride: u32, width: u32 },

    /// The buffer cannot hold `height` rows of `row_stride` bytes (the last row may omit its
    /// padding, as some camera HALs do).
    #[error("luma buffer holds {actual} bytes, a {width}x{height} plane with row stride {row_stride} needs at least {needed}")]
    BufferTooShort {
        width: u32,
        height: u32,
        row_stride: u32,
        needed: u64,
        actual: usize,
    },

    /// The frame is larger than the decoder accepts (a guard against absurd dimensions).
    #[error("luma plane {width}x{height} exceeds the decoder's limits ({max_side} px a side, {max_pixels} pixels)")]
    TooLarge {
        width: u32,
        height: u32,
        max_side: u32,
        max_pixels: u64,
    },

    /// The image file could not be opened or read.
    #[error("cannot read image file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The bytes are not a JPEG or PNG this decoder supports, are truncated, or exceed the limits.
    #[error("unsupported or corrupt image: {reason}")]
    Image { reason: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_inconsistent_dimensions() {
        let e = DecodeError::BufferTooShort {
            width: 640,
            height: 480,
            row_stride: 704,
            needed: 337_856,
            actual: 1000,
        };
        let text = e.to_string();
        assert!(text.contains("704"), "{text}");
        assert!(text.contains("337856"), "{text}");
        let e = DecodeError::StrideTooSmall {
            row_stride: 10,
            width: 20,
        };
        assert_eq!(e.to_string(), "row stride 10 is smaller than the width 20");
    }
}
