//! JPEG via libjpeg-turbo (the `mozjpeg` crate builds it from source with the `cc` crate; SIMD
//! by NEON on ARM, by nasm on x86): baseline and progressive, gray, YCbCr, CMYK and YCCK.
//!
//! libjpeg scales in the IDCT (1/2, 1/4, 1/8), so a 48 MP photo is decoded straight to about
//! 2000x1500 and its full-size pixels never exist; it reads from our hashing stream, so the
//! file is never in memory whole. It reports fatal errors by unwinding (caught here) and a
//! premature end of file only as a warning, which the stream's EOF flag turns into
//! [`EvidenceError::Truncated`].

use std::io::BufRead;
use std::panic::{self, AssertUnwindSafe};

use mozjpeg::{Decompress, Format, Marker};

use super::DecodedPhoto;
use crate::evidence::error::EvidenceError;
use crate::evidence::limits::{reduction_denominator, Limits};
use crate::evidence::raster::Raster;
use crate::evidence::source::OriginalStream;

/// Markers kept while reading the header: EXIF (APP1), ICC profile (APP2), Adobe (APP14).
const KEPT_MARKERS: &[Marker] = &[Marker::APP(1), Marker::APP(2), Marker::APP(14)];

/// Rows of CMYK converted at a time.
const CMYK_BAND_ROWS: usize = 16;

pub(super) fn decode(
    stream: &mut OriginalStream,
    limits: &Limits,
    long_edge: u32,
) -> Result<DecodedPhoto, EvidenceError> {
    let file_bytes = stream.len();
    let reader = stream.reader();
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        decode_from(reader, file_bytes, limits, long_edge)
    }));
    // What the reader saw explains a failure better than libjpeg's message; and libjpeg pads a
    // truncated file with grey and only warns, so reaching EOF inside the image is fatal here.
    if let Some(err) = stream.read_failure() {
        return Err(err);
    }
    match outcome {
        Ok(Err(
            refused @ (EvidenceError::DecompressionBomb { .. }
            | EvidenceError::TooManyPixels { .. }),
        )) => Err(refused),
        _ if stream.hit_eof() => Err(EvidenceError::Truncated),
        Ok(result) => result,
        Err(payload) => {
            let reason = panic_message(payload.as_ref());
            // libjpeg words refusals of valid-but-unsupported files (12-bit samples, unknown
            // SOF types) this way; everything else is damaged data.
            if reason.starts_with("Unsupported") || reason.starts_with("Sorry") {
                Err(EvidenceError::Unsupported { feature: reason })
            } else {
                Err(EvidenceError::Corrupt { reason })
            }
        }
    }
}

fn decode_from(
    reader: impl BufRead,
    file_bytes: u64,
    limits: &Limits,
    long_edge: u32,
) -> Result<DecodedPhoto, EvidenceError> {
    let io_err = |e: std::io::Error| EvidenceError::Corrupt {
        reason: format!("JPEG: {e}"),
    };
    let mut decompress = Decompress::builder()
        .with_markers(KEPT_MARKERS)
        .from_reader(reader)
        .map_err(io_err)?;
    let (width, height) = (decompress.width() as u32, decompress.height() as u32);
    limits.check_dimensions(width, height, file_bytes)?;

    let reduction = reduction_denominator(width, height, long_edge);
    decompress.scale((8 / reduction) as u8);

    let mut exif = None;
    let mut icc_chunks: Vec<(u8, &[u8])> = Vec::new();
    let mut adobe = false;
    for marker in decompress.markers() {
        match marker.marker {
            Marker::APP(1) if exif.is_none() => {
                exif = marker.data.strip_prefix(b"Exif\0\0").map(<[u8]>::to_vec);
            }
            Marker::APP(2) => {
                if let Some(rest) = marker.data.strip_prefix(b"ICC_PROFILE\0") {
                    if rest.len() > 2 {
                        icc_chunks.push((rest[0], &rest[2..]));
                    }
                }
            }
            Marker::APP(14) => adobe |= marker.data.starts_with(b"Adobe"),
            _ => {}
        }
    }
    icc_chunks.sort_by_key(|(seq, _)| *seq);
    let icc = (!icc_chunks.is_empty())
        .then(|| icc_chunks.iter().flat_map(|(_, d)| *d).copied().collect());

    let (raster_w, raster_h, channels, pixels) = match decompress.image().map_err(io_err)? {
        Format::RGB(mut started) => {
            let px = started.read_scanlines::<u8>().map_err(io_err)?;
            let (w, h) = (started.width() as u32, started.height() as u32);
            started.finish().map_err(io_err)?;
            (w, h, 3, px)
        }
        Format::Gray(mut started) => {
            let px = started.read_scanlines::<u8>().map_err(io_err)?;
            let (w, h) = (started.width() as u32, started.height() as u32);
            started.finish().map_err(io_err)?;
            (w, h, 1, px)
        }
        Format::CMYK(mut started) => {
            // Converted in bands, so the 4-byte-per-pixel image never exists whole.
            let (w, h) = (started.width(), started.height());
            let mut rgb = Vec::with_capacity(w * h * 3);
            let mut band = vec![0u8; w * 4 * CMYK_BAND_ROWS];
            for rows in (0..h).step_by(CMYK_BAND_ROWS) {
                let n = CMYK_BAND_ROWS.min(h - rows);
                let read = started
                    .read_scanlines_into::<u8>(&mut band[..w * 4 * n])
                    .map_err(io_err)?;
                cmyk_to_rgb(read, adobe, &mut rgb);
            }
            started.finish().map_err(io_err)?;
            (w as u32, h as u32, 3, rgb)
        }
    };
    Ok(DecodedPhoto {
        raster: Raster::new(raster_w, raster_h, channels, pixels),
        width,
        height,
        reduction,
        exif,
        icc,
    })
}

/// Naive CMYK to RGB, as browsers do without a colour management: `R = (1-C)(1-K)`.
///
/// libjpeg hands out the stored samples. Adobe applications (and Pillow) store CMYK inverted
/// (255 = no ink) and mark it with an APP14 "Adobe" segment; without it, 0 means no ink.
fn cmyk_to_rgb(cmyk: &[u8], inverted: bool, rgb: &mut Vec<u8>) {
    for px in cmyk.chunks_exact(4) {
        let clear = |v: u8| u32::from(if inverted { v } else { 255 - v });
        let white = clear(px[3]);
        for &ink in &px[..3] {
            rgb.push(((clear(ink) * white + 127) / 255) as u8);
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("libjpeg failed")
        .trim_start_matches("libjpeg fatal error: ")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb_of(cmyk: &[u8], inverted: bool) -> Vec<u8> {
        let mut rgb = Vec::new();
        cmyk_to_rgb(cmyk, inverted, &mut rgb);
        rgb
    }

    #[test]
    fn cmyk_without_ink_is_white_and_full_black_is_black() {
        assert_eq!(rgb_of(&[0, 0, 0, 0], false), vec![255, 255, 255]);
        assert_eq!(rgb_of(&[0, 0, 0, 255], false), vec![0, 0, 0]);
        assert_eq!(rgb_of(&[255, 0, 255, 0], false), vec![0, 255, 0]);
        // Adobe-inverted storage of the same three colours.
        assert_eq!(rgb_of(&[255, 255, 255, 255], true), vec![255, 255, 255]);
        assert_eq!(rgb_of(&[255, 255, 255, 0], true), vec![0, 0, 0]);
        assert_eq!(rgb_of(&[0, 255, 0, 255], true), vec![0, 255, 0]);
    }

    fn stream_of(bytes: Vec<u8>) -> OriginalStream {
        let len = bytes.len() as u64;
        OriginalStream::new(Box::new(std::io::Cursor::new(bytes)), len)
    }

    /// SOI, SOF0 declaring `w`x`h` gray, SOS header, a few data bytes, no tables.
    fn header_only_jpeg(w: u16, h: u16) -> Vec<u8> {
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08];
        jpeg.extend_from_slice(&h.to_be_bytes());
        jpeg.extend_from_slice(&w.to_be_bytes());
        jpeg.extend_from_slice(&[0x01, 0x01, 0x11, 0x00]);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
        jpeg.extend_from_slice(&[0u8; 16]);
        jpeg
    }

    #[test]
    fn header_is_checked_before_decoding() {
        let mut stream = stream_of(header_only_jpeg(60_000, 60_000));
        let err = decode(&mut stream, &Limits::default(), 1600).unwrap_err();
        assert!(
            matches!(err, EvidenceError::DecompressionBomb { .. }),
            "{err:?}"
        );
    }

    #[test]
    fn twelve_bit_jpeg_is_unsupported() {
        let mut bytes = header_only_jpeg(16, 16);
        bytes[6] = 12; // sample precision
        let mut stream = stream_of(bytes);
        let err = decode(&mut stream, &Limits::default(), 1600).unwrap_err();
        assert!(matches!(err, EvidenceError::Unsupported { .. }), "{err:?}");
    }

    #[test]
    fn libjpeg_fatal_errors_become_corrupt_not_panics() {
        // Tables are missing: libjpeg fails when decompression starts.
        let mut bytes = header_only_jpeg(16, 16);
        bytes.extend_from_slice(&[0xFF, 0xD9]);
        let mut stream = stream_of(bytes);
        let err = decode(&mut stream, &Limits::default(), 1600).unwrap_err();
        assert!(matches!(err, EvidenceError::Corrupt { .. }), "{err:?}");
    }
}
