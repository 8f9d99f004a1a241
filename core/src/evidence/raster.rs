//! Small in-memory 8-bit images (gray or RGB) and the pixel work done on them: the final
//! resize and the streaming box reduction used where a decoder cannot scale by itself.
//!
//! Only images already reduced to about the output size live here; full-size pixels of a large
//! photo are never held (JPEG scales in the IDCT, PNG rows are reduced as they stream by).

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use crate::evidence::error::EvidenceError;

/// An 8-bit image with 1 (gray) or 3 (RGB) interleaved channels, rows packed without padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub channels: u8,
    pub data: Vec<u8>,
}

impl Raster {
    /// Wraps packed pixels; panics if the buffer does not match the shape (a programming error).
    pub fn new(width: u32, height: u32, channels: u8, data: Vec<u8>) -> Self {
        assert!(
            channels == 1 || channels == 3,
            "1 or 3 channels, got {channels}"
        );
        assert_eq!(
            data.len(),
            width as usize * height as usize * usize::from(channels),
            "pixel buffer does not match {width}x{height}x{channels}"
        );
        Self {
            width,
            height,
            channels,
            data,
        }
    }

    fn pixel_type(&self) -> PixelType {
        if self.channels == 1 {
            PixelType::U8
        } else {
            PixelType::U8x3
        }
    }

    /// Resamples to exactly `width`x`height` with a Lanczos3 filter (SIMD: SSE4.1/AVX2, NEON).
    pub fn resized(&self, width: u32, height: u32) -> Result<Raster, EvidenceError> {
        if (width, height) == (self.width, self.height) {
            return Ok(self.clone());
        }
        let resize_failed = |e: &dyn std::fmt::Display| EvidenceError::Corrupt {
            reason: format!("resize failed: {e}"),
        };
        let src = ImageRef::new(self.width, self.height, &self.data, self.pixel_type())
            .map_err(|e| resize_failed(&e))?;
        let mut dst = Image::new(width, height, self.pixel_type());
        let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
        Resizer::new()
            .resize(&src, &mut dst, &options)
            .map_err(|e| resize_failed(&e))?;
        Ok(Raster::new(width, height, self.channels, dst.into_vec()))
    }
}

/// Averages `factor`x`factor` pixel blocks of rows pushed one at a time, so a large image can
/// be shrunk while it is decoded, holding one accumulator row instead of the full image.
pub(crate) struct BoxReducer {
    src_width: u32,
    src_height: u32,
    factor: u32,
    channels: usize,
    acc: Vec<u32>,
    rows_in_band: u32,
    rows_seen: u32,
    out: Vec<u8>,
}

impl BoxReducer {
    pub(crate) fn new(src_width: u32, src_height: u32, channels: u8, factor: u32) -> Self {
        let out_width = src_width.div_ceil(factor) as usize;
        let out_height = src_height.div_ceil(factor) as usize;
        let channels = usize::from(channels);
        Self {
            src_width,
            src_height,
            factor,
            channels,
            acc: vec![0; out_width * channels],
            rows_in_band: 0,
            rows_seen: 0,
            out: Vec::with_capacity(out_width * out_height * channels),
        }
    }

    /// Adds one source row of `src_width * channels` bytes.
    pub(crate) fn push_row(&mut self, row: &[u8]) {
        let ch = self.channels;
        let block = self.factor as usize * ch;
        debug_assert_eq!(row.len(), self.src_width as usize * ch);
        for (acc, src) in self.acc.chunks_mut(ch).zip(row.chunks(block)) {
            for px in src.chunks_exact(ch) {
                for (a, &v) in acc.iter_mut().zip(px) {
                    *a += u32::from(v);
                }
            }
        }
        self.rows_in_band += 1;
        self.rows_seen += 1;
        if self.rows_in_band == self.factor || self.rows_seen == self.src_height {
            self.flush_band();
        }
    }

    fn flush_band(&mut self) {
        let ch = self.channels;
        let f = self.factor;
        let last_cols = self.src_width - (self.acc.len() / ch - 1) as u32 * f;
        let out_width = self.acc.len() / ch;
        for (bx, acc) in self.acc.chunks_mut(ch).enumerate() {
            let cols = if bx + 1 == out_width { last_cols } else { f };
            let n = cols * self.rows_in_band;
            for a in acc.iter_mut() {
                self.out.push(((*a + n / 2) / n) as u8);
                *a = 0;
            }
        }
        self.rows_in_band = 0;
    }

    /// The reduced image; `None` if fewer rows than declared were pushed.
    pub(crate) fn finish(self) -> Option<Raster> {
        (self.rows_seen == self.src_height).then(|| {
            let width = self.src_width.div_ceil(self.factor);
            let height = self.src_height.div_ceil(self.factor);
            Raster::new(width, height, self.channels as u8, self.out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resize_keeps_flat_colour_and_shape() {
        let src = Raster::new(40, 30, 3, [10u8, 120, 250].repeat(40 * 30));
        let out = src.resized(16, 12).unwrap();
        assert_eq!((out.width, out.height, out.channels), (16, 12, 3));
        assert!(out.data.chunks(3).all(|p| p == [10, 120, 250]));
    }

    #[test]
    fn resize_gray() {
        let src = Raster::new(8, 8, 1, vec![77; 64]);
        let out = src.resized(3, 2).unwrap();
        assert_eq!(out.data, vec![77; 6]);
    }

    #[test]
    fn box_reducer_averages_blocks_including_partial_edges() {
        // 5x3 gray, factor 2 -> 3x2; the last column and row blocks are partial.
        let rows: [[u8; 5]; 3] = [[0, 2, 4, 6, 8], [2, 4, 6, 8, 10], [100, 100, 50, 50, 9]];
        let mut r = BoxReducer::new(5, 3, 1, 2);
        for row in &rows {
            r.push_row(row);
        }
        let out = r.finish().unwrap();
        assert_eq!((out.width, out.height), (3, 2));
        assert_eq!(out.data, vec![2, 6, 9, 100, 50, 9]);
    }

    #[test]
    fn box_reducer_rgb_factor_one_is_identity() {
        let row = [1u8, 2, 3, 4, 5, 6];
        let mut r = BoxReducer::new(2, 1, 3, 1);
        r.push_row(&row);
        assert_eq!(r.finish().unwrap().data, row.to_vec());
    }

    #[test]
    fn box_reducer_with_missing_rows_gives_nothing() {
        let mut r = BoxReducer::new(2, 4, 1, 2);
        r.push_row(&[1, 2]);
        assert!(r.finish().is_none());
    }
}
