//! What a photo may be (input limits) and what the stored evidence looks like (output spec).
//!
//! Input limits are checked from the image header, before any pixel buffer is allocated, so a
//! hostile or broken file cannot make the phone run out of memory; free space is checked before
//! anything is decoded.

use crate::evidence::error::EvidenceError;

/// Safety limits applied to an incoming photo before it is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted original file. Default 200 MiB.
    pub max_file_bytes: u64,
    /// Largest accepted declared pixel count. Default 120 MP: covers 108 MP phone sensors;
    /// bigger photos are refused with [`EvidenceError::TooManyPixels`].
    pub max_pixels: u64,
    /// Declared pixels per byte of file above which the file is treated as a decompression bomb.
    ///
    /// Real data cannot get near it: deflate compresses at most ~1032:1, so even a 1-bit PNG
    /// stays under ~8,300 pixels per byte, and a JPEG needs at least one bit per 8x8 block of
    /// each component (≤ 512 pixels per byte). Default 10,000.
    pub max_pixels_per_byte: u64,
    /// Free space the evidence folder's filesystem must have before a photo is written (R6).
    /// An evidence photo and its thumbnail are under 1 MB, but the journal and the rest of the
    /// phone need room too: refusing early beats a half-written database. Default 64 MiB.
    pub min_free_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 200 * 1024 * 1024,
            max_pixels: 120_000_000,
            max_pixels_per_byte: 10_000,
            min_free_bytes: 64 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// Refuses a declared image size before anything is allocated for it.
    ///
    /// The bomb test comes first: a file that cannot possibly hold its declared pixels is
    /// hostile or broken whatever the configured pixel limit is.
    pub fn check_dimensions(
        &self,
        width: u32,
        height: u32,
        file_bytes: u64,
    ) -> Result<(), EvidenceError> {
        let pixels = u64::from(width) * u64::from(height);
        if width == 0 || height == 0 {
            return Err(EvidenceError::Corrupt {
                reason: format!("the header declares an empty {width}x{height} image"),
            });
        }
        if pixels / file_bytes.max(1) > self.max_pixels_per_byte {
            return Err(EvidenceError::DecompressionBomb {
                width,
                height,
                file_bytes,
            });
        }
        if pixels > self.max_pixels {
            return Err(EvidenceError::TooManyPixels {
                width,
                height,
                max_pixels: self.max_pixels,
            });
        }
        Ok(())
    }
}

impl Limits {
    /// Refuses to write when the filesystem has less than [`Self::min_free_bytes`] free.
    pub fn check_free_space(&self, available: u64) -> Result<(), EvidenceError> {
        const MIB: u64 = 1024 * 1024;
        if available < self.min_free_bytes {
            return Err(EvidenceError::LowOnSpace {
                available_mib: available / MIB,
                required_mib: self.min_free_bytes.div_ceil(MIB),
            });
        }
        Ok(())
    }
}

/// The shape of the stored evidence image and its thumbnail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    /// Longest edge of the evidence image in pixels (smaller photos are not upscaled). 1600.
    pub long_edge: u32,
    /// Longest edge of the thumbnail in pixels. 320.
    pub thumb_long_edge: u32,
    /// JPEG quality of both outputs, 1–100. 80.
    pub jpeg_quality: u8,
}

impl Default for OutputSpec {
    fn default() -> Self {
        Self {
            long_edge: 1600,
            thumb_long_edge: 320,
            jpeg_quality: 80,
        }
    }
}

/// The largest power-of-two reduction (1, 2, 4 or 8) that still leaves the long edge at least
/// `long_edge`: what a JPEG DCT-scaled decode (or a PNG box reduction) can do for free before
/// the final, high-quality resize.
pub fn reduction_denominator(width: u32, height: u32, long_edge: u32) -> u32 {
    let long = width.max(height);
    [8, 4, 2]
        .into_iter()
        .find(|&d| long.div_ceil(d) >= long_edge)
        .unwrap_or(1)
}

/// Dimensions that fit `width`x`height` inside a `long_edge` square, keeping the aspect ratio;
/// never upscales.
pub fn fit_within(width: u32, height: u32, long_edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= long_edge {
        return (width, height);
    }
    let scale = |edge: u32| -> u32 {
        let scaled =
            (u64::from(edge) * u64::from(long_edge) + u64::from(long) / 2) / u64::from(long);
        (scaled as u32).max(1)
    };
    if width >= height {
        (long_edge, scale(height))
    } else {
        (scale(width), long_edge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiny_file_declaring_huge_image_is_a_bomb() {
        let err = Limits::default()
            .check_dimensions(100_000, 100_000, 661)
            .unwrap_err();
        assert!(
            matches!(err, EvidenceError::DecompressionBomb { .. }),
            "{err:?}"
        );
    }

    #[test]
    fn plausible_but_too_big_image_exceeds_pixel_limit() {
        // 200 MP in a 40 MB file is plausible data, just more than allowed.
        let err = Limits::default()
            .check_dimensions(16_320, 12_240, 40_000_000)
            .unwrap_err();
        assert!(
            matches!(err, EvidenceError::TooManyPixels { .. }),
            "{err:?}"
        );
    }

    #[test]
    fn camera_photos_pass() {
        let limits = Limits::default();
        limits.check_dimensions(4000, 3000, 3_000_000).unwrap();
        limits.check_dimensions(8000, 6000, 12_000_000).unwrap();
        // A flat 12 MP PNG compresses to ~36 KB (333 px/byte): still accepted.
        limits.check_dimensions(4000, 3000, 36_000).unwrap();
    }

    #[test]
    fn less_free_space_than_the_margin_is_refused() {
        let limits = Limits::default();
        limits.check_free_space(64 * 1024 * 1024).unwrap();
        let err = limits.check_free_space(10 * 1024 * 1024 + 5).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not enough free storage for evidence photos: 10 MiB free, at least 64 MiB must \
             stay free; free some space and try again"
        );
    }

    #[test]
    fn zero_dimension_is_corrupt() {
        let err = Limits::default().check_dimensions(0, 10, 100).unwrap_err();
        assert!(matches!(err, EvidenceError::Corrupt { .. }));
    }

    #[test]
    fn reduction_keeps_long_edge_at_least_target() {
        assert_eq!(reduction_denominator(4000, 3000, 1600), 2);
        assert_eq!(reduction_denominator(3000, 4000, 1600), 2);
        assert_eq!(reduction_denominator(8000, 6000, 1600), 4);
        assert_eq!(reduction_denominator(16_000, 12_000, 1600), 8);
        assert_eq!(reduction_denominator(1700, 1000, 1600), 1);
        assert_eq!(reduction_denominator(1600, 1200, 1600), 1);
        assert_eq!(reduction_denominator(3200, 100, 1600), 2);
    }

    #[test]
    fn fit_within_keeps_aspect_and_never_upscales() {
        assert_eq!(fit_within(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit_within(3000, 4000, 1600), (1200, 1600));
        assert_eq!(fit_within(1600, 1200, 320), (320, 240));
        assert_eq!(fit_within(800, 600, 1600), (800, 600));
        assert_eq!(fit_within(10_000, 3, 1600), (1600, 1));
    }
}
