//! Local-threshold binarisation that keeps low-contrast codes.
//!
//! rxing's `HybridBinarizer` follows the original Java ZXing: an 8x8 block whose min-max range
//! is at most 24 grey levels gets the threshold `min / 2`, which turns a faded or badly lit code
//! completely white (0 % read on the corpus's low-contrast images). This binariser takes the
//! approach of zxing-cpp's newer algorithm instead: a block with too little range gets *no*
//! threshold of its own, blocks borrow from their 5x5 neighbourhood, and remaining gaps are
//! filled from the nearest block that has one. The bit matrix is then handed to rxing's QR
//! reader through its `Binarizer` trait.

use std::borrow::Cow;

use rxing::common::{
    BitArray, BitFieldBaseType as Word, BitMatrix, LineOrientation, Result as RxResult,
};
use rxing::{Binarizer, LuminanceSource};
use wide::u8x16;

const BLOCK: usize = 8;
/// Bits per word of rxing's bit matrix (pointer width, a multiple of 16).
const WORD_BITS: usize = Word::BITS as usize;
/// Pixels per SIMD step. The hot loops use explicit SIMD (`wide`: SSE2 on x86-64, NEON on
/// arm64) because the phone library's link-time optimisation runs at the size-tuned level, which
/// does not auto-vectorise (docs/adr/0011-qr-decoder.md).
const LANES: usize = 16;
/// Neighbourhood radius in blocks (5x5 blocks = 40x40 pixels).
const RADIUS: usize = 2;
/// Smallest image side the local method handles; smaller images use rxing's global histogram.
pub const MIN_SIDE: usize = BLOCK * (2 * RADIUS + 1);

/// Thresholds `pixels` (packed rows) block by block. Blocks whose min-max range is at most
/// `min_range` take their threshold from their neighbours. Returns `None` if the image is smaller
/// than [`MIN_SIDE`] or has no block with enough range (a blank frame).
pub fn local_threshold(
    pixels: &[u8],
    width: usize,
    height: usize,
    min_range: u8,
) -> Option<BitMatrix> {
    if width < MIN_SIDE || height < MIN_SIDE || pixels.len() < width * height {
        return None;
    }
    let (bw, bh) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
    let block_origin = |b: usize, size: usize| (b * BLOCK).min(size - BLOCK);

    // 1. per block: midpoint of min and max, or 0 = "no contrast, no opinion". The eight rows of
    // a block row are first folded column-wise (16 lanes at a time), then each 8-column chunk is
    // reduced once. A partial last block column/row takes its statistics from the last eight
    // pixels of the image.
    let mut own = vec![0u8; bw * bh];
    let (mut col_lo, mut col_hi) = (vec![0u8; width], vec![0u8; width]);
    for by in 0..bh {
        let y0 = block_origin(by, height);
        col_lo.copy_from_slice(&pixels[y0 * width..(y0 + 1) * width]);
        col_hi.copy_from_slice(&col_lo);
        for row in pixels[(y0 + 1) * width..(y0 + BLOCK) * width].chunks_exact(width) {
            fold_min_max(&mut col_lo, &mut col_hi, row);
        }
        for bx in 0..bw {
            let x0 = block_origin(bx, width);
            let l = col_lo[x0..x0 + BLOCK]
                .iter()
                .fold(u8::MAX, |m, &p| m.min(p));
            let h = col_hi[x0..x0 + BLOCK]
                .iter()
                .fold(u8::MIN, |m, &p| m.max(p));
            if h - l > min_range {
                // a threshold of 0 means "unknown", so a real one is at least 1
                own[by * bw + bx] = ((u16::from(h) + u16::from(l)) / 2).max(1) as u8;
            }
        }
    }

    // 2. smooth over the 5x5 neighbourhood (the block itself counts twice), ignoring unknowns
    let mut smooth = vec![0u8; bw * bh];
    for by in 0..bh {
        let cy = by.clamp(RADIUS, bh - RADIUS - 1);
        for bx in 0..bw {
            let cx = bx.clamp(RADIUS, bw - RADIUS - 1);
            let centre = u32::from(own[by * bw + bx]);
            let (mut sum, mut n) = (centre * 2, if centre > 0 { 2 } else { 0 });
            for y in cy - RADIUS..=cy + RADIUS {
                for &t in &own[y * bw + cx - RADIUS..=y * bw + cx + RADIUS] {
                    sum += u32::from(t);
                    n += u32::from(t > 0);
                }
            }
            smooth[by * bw + bx] = sum.checked_div(n).unwrap_or(0) as u8;
        }
    }

    // 3. fill gaps (large flat areas) from the next known block in row-major order
    let last_known = smooth.iter().rposition(|&t| t > 0)?;
    let mut next = smooth[last_known];
    for t in smooth.iter_mut().rev() {
        if *t == 0 {
            *t = next;
        } else {
            next = *t;
        }
    }

    threshold_image(pixels, width, height, &smooth)
}

/// Column-wise `lo = min(lo, row)`, `hi = max(hi, row)`, 16 lanes at a time.
fn fold_min_max(lo: &mut [u8], hi: &mut [u8], row: &[u8]) {
    let lanes = row.len() / LANES * LANES;
    let chunks = lo[..lanes]
        .chunks_exact_mut(LANES)
        .zip(hi[..lanes].chunks_exact_mut(LANES))
        .zip(row[..lanes].chunks_exact(LANES));
    for ((l, h), p) in chunks {
        let p = lanes16(p);
        l.copy_from_slice(&lanes16(l).min(p).to_array());
        h.copy_from_slice(&lanes16(h).max(p).to_array());
    }
    let tail = lo[lanes..]
        .iter_mut()
        .zip(&mut hi[lanes..])
        .zip(&row[lanes..]);
    for ((l, h), &p) in tail {
        *l = (*l).min(p);
        *h = (*h).max(p);
    }
}

/// Step 4: every pixel against its block's threshold (pixel (x, y) is in block (x/8, y/8)).
/// Per row: 16 pixels at a time compared into a 16-bit mask (bit `i` = pixel `i` is dark),
/// masks gathered into the bit matrix's words.
fn threshold_image(pixels: &[u8], width: usize, height: usize, smooth: &[u8]) -> Option<BitMatrix> {
    let bw = width.div_ceil(BLOCK);
    let mut matrix = BitMatrix::new(width as u32, height as u32).ok()?;
    let lanes = width / LANES * LANES;
    let mut per_pixel = vec![0u8; width]; // the row's thresholds, expanded
    let mut words: Vec<Word> = vec![0; width.div_ceil(WORD_BITS)];
    let mut row_bits = BitArray::with_size(width);
    for (y, row) in pixels[..width * height].chunks_exact(width).enumerate() {
        if y % BLOCK == 0 {
            let thresholds = &smooth[(y / BLOCK) * bw..][..bw];
            for (x, t) in per_pixel.iter_mut().enumerate() {
                *t = thresholds[x / BLOCK];
            }
        }
        words.fill(0);
        let chunks = row[..lanes]
            .chunks_exact(LANES)
            .zip(per_pixel[..lanes].chunks_exact(LANES));
        for (i, (p, t)) in chunks.enumerate() {
            let dark = lanes16(p).simd_le(lanes16(t)).to_bitmask();
            let x = i * LANES;
            words[x / WORD_BITS] |= Word::from(dark as u16) << (x % WORD_BITS);
        }
        for x in lanes..width {
            if row[x] <= per_pixel[x] {
                words[x / WORD_BITS] |= 1 << (x % WORD_BITS);
            }
        }
        for (i, &word) in words.iter().enumerate() {
            row_bits.setBulk(i * WORD_BITS, word);
        }
        matrix.setRow(y as u32, &row_bits);
    }
    Some(matrix)
}

/// Sixteen bytes as one SIMD vector (`chunk` is exactly [`LANES`] long).
fn lanes16(chunk: &[u8]) -> u8x16 {
    u8x16::new(chunk.try_into().expect("a chunk of LANES bytes"))
}

/// A precomputed bit matrix presented to rxing's readers as a `Binarizer`.
pub struct Thresholded<LS: LuminanceSource> {
    source: LS,
    matrix: BitMatrix,
    min_range: u8,
}

impl<LS: LuminanceSource> Thresholded<LS> {
    /// `matrix` must have the source's dimensions.
    pub fn new(source: LS, matrix: BitMatrix, min_range: u8) -> Self {
        Self {
            source,
            matrix,
            min_range,
        }
    }
}

impl<LS: LuminanceSource> Binarizer for Thresholded<LS> {
    type Source = LS;

    fn get_luminance_source(&self) -> &LS {
        &self.source
    }

    fn get_black_row(&self, y: usize) -> RxResult<Cow<'_, BitArray>> {
        Ok(Cow::Owned(self.matrix.getRow(y as u32)))
    }

    fn get_black_row_from_matrix(&self, y: usize) -> RxResult<Cow<'_, BitArray>> {
        self.get_black_row(y)
    }

    fn get_black_matrix(&self) -> RxResult<&BitMatrix> {
        Ok(&self.matrix)
    }

    fn get_black_line(&self, l: usize, lt: LineOrientation) -> RxResult<Cow<'_, BitArray>> {
        Ok(Cow::Owned(match lt {
            LineOrientation::Row => self.matrix.getRow(l as u32),
            LineOrientation::Column => self.matrix.getCol(l as u32),
        }))
    }

    fn create_binarizer(&self, source: LS) -> Self {
        // Only used by readers that crop or rotate the source; QR reading never does.
        let (w, h) = (source.get_width(), source.get_height());
        let matrix = local_threshold(&source.get_matrix(), w, h, self.min_range)
            .or_else(|| BitMatrix::new(w as u32, h as u32).ok())
            .expect("a luminance source has a non-zero size");
        Self::new(source, matrix, self.min_range)
    }

    fn get_width(&self) -> usize {
        self.source.get_width()
    }

    fn get_height(&self) -> usize {
        self.source.get_height()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 64x64 image: `dark` left of x = 36 (inside a block, so that block sees the edge),
    /// `light` from there on.
    fn halves(dark: u8, light: u8) -> Vec<u8> {
        (0..64 * 64)
            .map(|i| if i % 64 < 36 { dark } else { light })
            .collect()
    }

    #[test]
    fn faint_edge_is_kept() {
        // 30 grey levels of contrast: above the default range of 24
        let m = local_threshold(&halves(120, 150), 64, 64, 24).unwrap();
        assert!(m.get(5, 5) && m.get(35, 40));
        assert!(!m.get(36, 40) && !m.get(63, 63));
    }

    #[test]
    fn word_wise_thresholding_matches_per_pixel_reference() {
        // odd sizes: partial last block column and row
        let (w, h) = (133usize, 61usize);
        let mut seed = 7u32;
        let pixels: Vec<u8> = (0..w * h)
            .map(|_| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (seed >> 24) as u8
            })
            .collect();
        let (bw, bh) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
        let thresholds: Vec<u8> = (0..bw * bh).map(|i| (i * 37 % 256) as u8).collect();
        let fast = threshold_image(&pixels, w, h, &thresholds).unwrap();
        let mut reference = BitMatrix::new(w as u32, h as u32).unwrap();
        for y in 0..h {
            for x in 0..w {
                let t = thresholds[(y / BLOCK) * bw + x / BLOCK];
                reference.set_bool(x as u32, y as u32, pixels[y * w + x] <= t);
            }
        }
        assert_eq!(fast, reference);
    }

    #[test]
    fn lane_wise_min_max_matches_per_byte_reference() {
        // 37 columns: two full 16-lane steps and a 5-byte tail
        let row: Vec<u8> = (0..37u8).map(|i| i.wrapping_mul(97)).collect();
        let start: Vec<u8> = (0..37u8)
            .map(|i| i.wrapping_mul(53).wrapping_add(11))
            .collect();
        let (mut lo, mut hi) = (start.clone(), start.clone());
        fold_min_max(&mut lo, &mut hi, &row);
        for x in 0..37 {
            assert_eq!(lo[x], start[x].min(row[x]), "lo at {x}");
            assert_eq!(hi[x], start[x].max(row[x]), "hi at {x}");
        }
    }

    #[test]
    fn blank_image_gives_none() {
        assert!(local_threshold(&[200; 64 * 64], 64, 64, 24).is_none());
        assert!(local_threshold(&[200; 16 * 16], 16, 16, 24).is_none());
    }

    #[test]
    fn flat_areas_borrow_thresholds_from_the_edge() {
        // 128 wide: the far left and right blocks are flat and far from the edge at x=60
        let img: Vec<u8> = (0..128 * 48)
            .map(|i| if i % 128 < 60 { 40 } else { 200 })
            .collect();
        let m = local_threshold(&img, 128, 48, 24).unwrap();
        assert!(m.get(0, 0) && m.get(59, 47));
        assert!(!m.get(60, 0) && !m.get(127, 47));
    }
}
