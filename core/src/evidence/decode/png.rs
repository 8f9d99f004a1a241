//! PNG via the `png` crate: every colour type and bit depth, normalised to 8-bit gray or RGB,
//! alpha composited onto white (JPEG has no alpha), reduced row by row as it decodes.

use std::io::{BufRead, Seek};

use png::{ColorType, Decoder, DecodingError, Transformations};

use super::DecodedPhoto;
use crate::evidence::error::EvidenceError;
use crate::evidence::limits::{reduction_denominator, Limits};
use crate::evidence::raster::BoxReducer;

pub(super) fn decode(
    reader: impl BufRead + Seek,
    file_bytes: u64,
    limits: &Limits,
    long_edge: u32,
) -> Result<DecodedPhoto, EvidenceError> {
    let mut decoder = Decoder::new(reader);
    decoder.set_transformations(Transformations::normalize_to_color8());
    let header = decoder.read_header_info().map_err(png_error)?;
    let (width, height) = (header.width, header.height);
    limits.check_dimensions(width, height, file_bytes)?;

    let mut reader = decoder.read_info().map_err(png_error)?;
    let (color, _) = reader.output_color_type();
    let out_channels: u8 = match color {
        ColorType::Grayscale | ColorType::GrayscaleAlpha => 1,
        _ => 3,
    };
    let reduction = reduction_denominator(width, height, long_edge);
    let mut reducer = BoxReducer::new(width, height, out_channels, reduction);
    let mut flat = vec![0u8; width as usize * usize::from(out_channels)];

    if reader.info().interlaced {
        // Adam7 passes cover the whole image only at the end: decode the full frame
        // (bounded by the pixel limit checked above). Cameras do not write interlaced PNG.
        let size = reader
            .output_buffer_size()
            .ok_or_else(|| unsupported("PNG frame too large for memory"))?;
        let mut frame = vec![0u8; size];
        let info = reader.next_frame(&mut frame).map_err(png_error)?;
        for row in frame.chunks_exact(info.line_size).take(height as usize) {
            flatten(color, row, &mut flat);
            reducer.push_row(&flat);
        }
    } else {
        while let Some(row) = reader.next_row().map_err(png_error)? {
            flatten(color, row.data(), &mut flat);
            reducer.push_row(&flat);
        }
    }
    // Reads the chunks after the image data: eXIf may come after IDAT.
    reader.finish().map_err(png_error)?;
    let raster = reducer.finish().ok_or(EvidenceError::Truncated)?;
    let info = reader.info();
    Ok(DecodedPhoto {
        raster,
        width,
        height,
        reduction,
        exif: info.exif_metadata.as_ref().map(|e| e.to_vec()),
        icc: info.icc_profile.as_ref().map(|p| p.to_vec()),
    })
}

/// One 8-bit row of `color` to gray or RGB, compositing alpha onto white.
fn flatten(color: ColorType, row: &[u8], out: &mut [u8]) {
    fn over_white(value: u8, alpha: u8) -> u8 {
        let (v, a) = (u32::from(value), u32::from(alpha));
        ((v * a + 255 * (255 - a) + 127) / 255) as u8
    }
    match color {
        ColorType::Grayscale | ColorType::Rgb => out.copy_from_slice(&row[..out.len()]),
        ColorType::GrayscaleAlpha => {
            for (o, px) in out.iter_mut().zip(row.chunks_exact(2)) {
                *o = over_white(px[0], px[1]);
            }
        }
        ColorType::Rgba => {
            for (o, px) in out.chunks_exact_mut(3).zip(row.chunks_exact(4)) {
                for (oc, &c) in o.iter_mut().zip(&px[..3]) {
                    *oc = over_white(c, px[3]);
                }
            }
        }
        // EXPAND turns palettes into RGB(A) before rows reach us.
        ColorType::Indexed => unreachable!("palette PNG rows are expanded by the decoder"),
    }
}

fn unsupported(feature: &str) -> EvidenceError {
    EvidenceError::Unsupported {
        feature: feature.to_owned(),
    }
}

fn png_error(err: DecodingError) -> EvidenceError {
    match err {
        DecodingError::IoError(io) => EvidenceError::from_source_io(io),
        DecodingError::Format(format) => EvidenceError::Corrupt {
            reason: format!("PNG: {format}"),
        },
        DecodingError::Parameter(p) => EvidenceError::Corrupt {
            reason: format!("PNG: {p}"),
        },
        DecodingError::LimitsExceeded => unsupported("PNG metadata larger than the decoder allows"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transparent_pixels_become_white_and_opaque_keep_colour() {
        let mut out = [0u8; 6];
        flatten(ColorType::Rgba, &[10, 20, 30, 255, 10, 20, 30, 0], &mut out);
        assert_eq!(out, [10, 20, 30, 255, 255, 255]);
        let mut gray = [0u8; 1];
        flatten(ColorType::GrayscaleAlpha, &[0, 128], &mut gray);
        assert_eq!(gray, [127]);
    }
}
