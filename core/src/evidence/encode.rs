//! Encoding the evidence image and thumbnail as baseline JPEG, with no EXIF at all.
//!
//! libjpeg-turbo's encoder (through the `mozjpeg` crate, which is already our decoder) with the
//! plain libjpeg-turbo profile: baseline, not progressive or trellis-quantised, so it is fast
//! and every viewer and server-side tool reads it; 4:2:0 and optimised Huffman tables keep
//! uploads over weak mobile links small. Only the colour profile is carried over (it is not
//! personal data, and dropping a Display P3 profile would shift the colours of iPhone photos).

use std::panic::{self, AssertUnwindSafe};

use mozjpeg::{ColorSpace, Compress};

use crate::evidence::error::EvidenceError;
use crate::evidence::raster::Raster;

/// Encodes `raster` at `quality` (1–100), embedding `icc` if it describes the raster's colour
/// space (a CMYK original's profile, for one, does not describe our RGB output).
pub(crate) fn encode_jpeg(
    raster: &Raster,
    quality: u8,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, EvidenceError> {
    let icc = icc.filter(|p| icc_matches(p, raster.channels));
    // libjpeg reports errors by unwinding; `Compress` owns all its state, so nothing
    // half-updated is observed after a caught unwind.
    panic::catch_unwind(AssertUnwindSafe(|| encode_unguarded(raster, quality, icc))).unwrap_or_else(
        |_| {
            Err(EvidenceError::Encode {
                reason: "libjpeg failed".into(),
            })
        },
    )
}

fn encode_unguarded(
    raster: &Raster,
    quality: u8,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, EvidenceError> {
    let failed = |e: std::io::Error| EvidenceError::Encode {
        reason: e.to_string(),
    };
    let gray = raster.channels == 1;
    let mut compress = Compress::new(if gray {
        ColorSpace::JCS_GRAYSCALE
    } else {
        ColorSpace::JCS_RGB
    });
    compress.set_fastest_defaults();
    compress.set_size(raster.width as usize, raster.height as usize);
    compress.set_quality(f32::from(quality.clamp(1, 100)));
    compress.set_optimize_coding(true);
    if !gray {
        compress.set_chroma_sampling_pixel_sizes((2, 2), (2, 2));
    }
    let mut started = compress
        .start_compress(Vec::with_capacity(raster.data.len() / 6))
        .map_err(failed)?;
    if let Some(profile) = icc {
        started.write_icc_profile(profile);
    }
    started.write_scanlines(&raster.data).map_err(failed)?;
    started.finish().map_err(failed)
}

/// Whether an ICC profile's data colour space (header bytes 16..20) fits 1- or 3-channel pixels.
fn icc_matches(profile: &[u8], channels: u8) -> bool {
    let wanted: &[u8; 4] = if channels == 1 { b"GRAY" } else { b"RGB " };
    profile.get(16..20) == Some(&wanted[..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(space: &[u8; 4]) -> Vec<u8> {
        let mut p = vec![0u8; 128];
        p[16..20].copy_from_slice(space);
        p
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn output_is_a_baseline_jpeg_without_exif() {
        let raster = Raster::new(32, 16, 3, vec![128; 32 * 16 * 3]);
        let jpeg = encode_jpeg(&raster, 80, None).unwrap();
        assert!(jpeg.starts_with(&[0xFF, 0xD8]) && jpeg.ends_with(&[0xFF, 0xD9]));
        assert!(!contains(&jpeg, b"Exif\0\0"));
        assert!(contains(&jpeg, &[0xFF, 0xC0]), "SOF0 (baseline) expected");
        assert!(
            !contains(&jpeg, &[0xFF, 0xC2]),
            "progressive SOF2 not expected"
        );
    }

    #[test]
    fn gray_rasters_encode_as_gray() {
        let raster = Raster::new(8, 8, 1, vec![200; 64]);
        let jpeg = encode_jpeg(&raster, 80, Some(&profile(b"GRAY"))).unwrap();
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        assert_eq!(jpeg[sof + 9], 1, "one component");
        assert!(contains(&jpeg, b"ICC_PROFILE\0"));
    }

    #[test]
    fn only_a_matching_colour_profile_is_embedded() {
        assert!(icc_matches(&profile(b"RGB "), 3));
        assert!(icc_matches(&profile(b"GRAY"), 1));
        assert!(!icc_matches(&profile(b"CMYK"), 3));
        assert!(!icc_matches(&[0u8; 8], 3));
        let raster = Raster::new(8, 8, 3, vec![9; 192]);
        let jpeg = encode_jpeg(&raster, 80, Some(&profile(b"CMYK"))).unwrap();
        assert!(!contains(&jpeg, b"ICC_PROFILE\0"));
    }
}
