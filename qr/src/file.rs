//! Image files (JPEG, PNG) to luma, for scanning a code from a photo or a saved screenshot.
//!
//! The codecs are the ones the evidence pipeline already links (libjpeg-turbo through `mozjpeg`,
//! and `png`), so scanning files adds no second JPEG decoder to the phone library. JPEG is
//! decoded straight to its Y channel (ITU-R BT.601, as libjpeg does); PNG colour is converted
//! with the same weights, and transparency is composited over white (a code exported on a
//! transparent background has black modules on "nothing").
//!
//! Decoding is bounded: dimensions are checked from the header before any pixel memory is
//! allocated, so a decompression bomb fails with a clear error instead of exhausting memory.

use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use crate::{DecodeError, LumaImage, MAX_PIXELS};

/// Largest accepted edge in pixels (a 48 MP phone photo is 8000x6000).
const MAX_EDGE: u32 = 12_000;
/// Largest allocation the PNG decoder may make (8-bit RGBA at the pixel limit is 400 MB).
const MAX_ALLOC: usize = 512 * 1024 * 1024;

/// Reads a JPEG or PNG file and converts it to luma.
pub fn load_luma_file(path: &Path) -> Result<LumaImage, DecodeError> {
    let bytes = std::fs::read(path).map_err(|source| DecodeError::Io {
        path: path.to_owned(),
        source,
    })?;
    load_luma_bytes(&bytes)
}

/// Decodes an in-memory JPEG or PNG and converts it to luma.
pub fn load_luma_bytes(bytes: &[u8]) -> Result<LumaImage, DecodeError> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png_luma(bytes)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg_luma(bytes)
    } else {
        Err(image_error("not a JPEG or PNG file"))
    }
}

fn image_error(reason: impl Into<String>) -> DecodeError {
    DecodeError::Image {
        reason: reason.into(),
    }
}

fn check_size(width: u32, height: u32) -> Result<(), DecodeError> {
    if width == 0 || height == 0 {
        return Err(image_error(format!("empty image {width}x{height}")));
    }
    if width > MAX_EDGE || height > MAX_EDGE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(image_error(format!(
            "image {width}x{height} exceeds the limits ({MAX_EDGE} px a side, {MAX_PIXELS} pixels)"
        )));
    }
    Ok(())
}

fn png_luma(bytes: &[u8]) -> Result<LumaImage, DecodeError> {
    let png_error = |e: png::DecodingError| image_error(format!("PNG: {e}"));
    let mut decoder =
        png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: MAX_ALLOC });
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(png_error)?;
    let (width, height) = (reader.info().width, reader.info().height);
    check_size(width, height)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| image_error("PNG: image too large"))?;
    let mut buf = vec![0u8; size];
    let frame = reader.next_frame(&mut buf).map_err(png_error)?;
    let channels = frame.color_type.samples();
    let row_bytes = frame.line_size;
    let mut pixels = Vec::with_capacity(width as usize * height as usize);
    for row in buf.chunks_exact(row_bytes).take(height as usize) {
        for px in row[..width as usize * channels].chunks_exact(channels) {
            pixels.push(match *px {
                [y] => y,
                [y, a] => over_white(y, a),
                [r, g, b] => bt601(r, g, b),
                [r, g, b, a] => over_white(bt601(r, g, b), a),
                _ => unreachable!("8-bit PNG output has 1 to 4 samples"),
            });
        }
    }
    LumaImage::new(pixels, width, height)
}

/// Luma from RGB with the ITU-R BT.601 weights libjpeg uses for Y (fixed point, rounded).
fn bt601(r: u8, g: u8, b: u8) -> u8 {
    ((19_595 * u32::from(r) + 38_470 * u32::from(g) + 7_471 * u32::from(b) + 32_768) >> 16) as u8
}

/// A pixel of luma `y` and opacity `a`, seen over a white background.
fn over_white(y: u8, a: u8) -> u8 {
    let (y, a) = (u32::from(y), u32::from(a));
    ((y * a + 255 * (255 - a) + 127) / 255) as u8
}

fn jpeg_luma(bytes: &[u8]) -> Result<LumaImage, DecodeError> {
    // libjpeg reports fatal errors by unwinding out of the `mozjpeg` calls.
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let io_error = |e: std::io::Error| image_error(format!("JPEG: {e}"));
        let decompress = mozjpeg::Decompress::builder()
            .from_mem(bytes)
            .map_err(io_error)?;
        let (width, height) = (decompress.width() as u32, decompress.height() as u32);
        check_size(width, height)?;
        let mut started = decompress.grayscale().map_err(io_error)?;
        let pixels = started.read_scanlines::<u8>().map_err(io_error)?;
        // a truncated file ends in grey rows (libjpeg only warns): they hold no code, and the
        // rows before them may, so the image is kept
        drop(started);
        LumaImage::new(pixels, width, height)
    }));
    outcome.unwrap_or_else(|payload| {
        let reason = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("undecodable data");
        Err(image_error(format!("JPEG: {reason}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_bytes(width: u32, height: u32, color: png::ColorType, px: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(color);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(px).unwrap();
        writer.finish().unwrap();
        out
    }

    fn gray_png(width: u32, height: u32) -> Vec<u8> {
        let px: Vec<u8> = (0..width * height)
            .map(|i| ((i % width) * 10 + i / width) as u8)
            .collect();
        png_bytes(width, height, png::ColorType::Grayscale, &px)
    }

    #[test]
    fn png_round_trips_to_the_same_luma() {
        let luma = load_luma_bytes(&gray_png(4, 3)).unwrap();
        assert_eq!((luma.width, luma.height), (4, 3));
        assert_eq!(luma.pixels[5], 11); // x=1, y=1
    }

    #[test]
    fn colour_uses_bt601_and_transparency_is_white() {
        #[rustfmt::skip]
        let rgba = [
            255, 0, 0, 255,   0, 255, 0, 255,
            0, 0, 0, 0,       0, 0, 0, 128,
        ];
        let luma = load_luma_bytes(&png_bytes(2, 2, png::ColorType::Rgba, &rgba)).unwrap();
        assert_eq!(luma.pixels, vec![76, 150, 255, 127]);
    }

    #[test]
    fn jpeg_decodes_to_its_y_channel() {
        let mut compress = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_GRAYSCALE);
        compress.set_size(16, 8);
        compress.set_quality(100.0);
        let mut started = compress.start_compress(Vec::new()).unwrap();
        let px: Vec<u8> = (0..16 * 8)
            .map(|i| if i % 16 < 8 { 30 } else { 220 })
            .collect();
        started.write_scanlines(&px).unwrap();
        let jpeg = started.finish().unwrap();
        let luma = load_luma_bytes(&jpeg).unwrap();
        assert_eq!((luma.width, luma.height), (16, 8));
        assert!(luma.pixels[0].abs_diff(30) < 4 && luma.pixels[15].abs_diff(220) < 4);
    }

    #[test]
    fn garbage_and_truncated_files_are_image_errors() {
        assert!(matches!(
            load_luma_bytes(b"definitely not an image"),
            Err(DecodeError::Image { .. })
        ));
        let png = gray_png(64, 64);
        assert!(matches!(
            load_luma_bytes(&png[..png.len() / 2]),
            Err(DecodeError::Image { .. })
        ));
        assert!(matches!(
            load_luma_bytes(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J']),
            Err(DecodeError::Image { .. })
        ));
    }

    /// CRC-32 (ISO-HDLC) as PNG chunks use it.
    fn crc32(bytes: &[u8]) -> u32 {
        !bytes.iter().fold(!0u32, |crc, &b| {
            (0..8).fold(crc ^ u32::from(b), |c, _| {
                (c >> 1) ^ (0xEDB8_8320 & (c & 1).wrapping_neg())
            })
        })
    }

    #[test]
    fn oversized_headers_are_refused_before_decoding() {
        // a valid 1x1 PNG whose header is rewritten to claim 20000 x 20000 pixels
        let mut png = gray_png(1, 1);
        png[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let crc = crc32(&png[12..29]); // chunk type + IHDR data
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = load_luma_bytes(&png).unwrap_err().to_string();
        assert!(err.contains("exceeds the limits"), "{err}");
    }

    #[test]
    fn missing_file_names_the_path() {
        let err = load_luma_file(Path::new("/nonexistent/qr.png")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/qr.png"), "{err}");
    }
}
