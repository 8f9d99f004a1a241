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

const BLOCK: usize = 8;
/// Bits per word of rxing's bit matrix (pointer width).
const WORD_BITS: usize = Word::BITS as usize;
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
    // a block row are first folded column-wise (a loop the compiler vectorises), then each
    // 8-column chunk is reduced once. A partial last block column/row takes its statistics from
    // the last eight pixels of the image.
    let mut own = vec![0u8; bw * bh];
    let (mut col_lo, mut col_hi) = (vec![0u8; width], vec![0u8; width]);
    for by in 0..bh {
        let y0 = block_origin(by, height);
        col_lo.copy_from_slice(&pixels[y0 * width..(y0 + 1) * width]);
        col_hi.copy_from_slice(&col_lo);
        for row in pixels[(y0 + 1) * width..(y0 + BLOCK) * width].chunks_exact(width) {
            for ((l, h), &p) in col_lo.iter_mut().zip(col_hi.iter_mut()).zip(row) {
                *l = (*l).min(p);
                *h = (*h).max(p);
            }
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

/// Step 4: every pixel against its block's threshold (pixel (x, y) is in block (x/8, y/8)).
/// Per row: a vectorisable compare into 0/1 bytes, then eight bytes at a time packed into bits.
fn threshold_image(pixels: &[u8], width: usize, height: usize, smooth: &[u8]) -> Option<BitMatrix> {
    let bw = width.div_ceil(BLOCK);
    let mut matrix = BitMatrix::new(width as u32, height as u32).ok()?;
    let padded = width.div_ceil(WORD_BITS) * WORD_BITS;
    let mut per_pixel = vec![0u8; padded]; // the row's thresholds, expanded
    let mut dark = vec![0u8; padded]; // 1 where the pixel is dark
    let mut row_bits = BitArray::with_size(width);
    for (y, row) in pixels[..width * height].chunks_exact(width).enumerate() {
        if y % BLOCK == 0 {
            let thresholds = &smooth[(y / BLOCK) * bw..][..bw];
            for (x, t) in per_pixel[..width].iter_mut().enumerate() {
                *t = thresholds[x / BLOCK];
            }
        }
        for ((d, &p), &t) in dark.iter_mut().zip(row).zip(&per_pixel) {
            *d = u8::from(p <= t);
        }
        for (i, word_bytes) in dark.chunks_exact(WORD_BITS).enumerate() {
            let mut word: Word = 0;
            for (k, eight) in word_bytes.chunks_exact(8).enumerate() {
                word |= Word::from(pack8(eight.try_into().expect("8 bytes"))) << (8 * k);
            }
            row_bits.setBulk(i * WORD_BITS, word);
        }
        matrix.setRow(y as u32, &row_bits);
    }
    Some(matrix)
}

/// Packs eight 0/1 bytes into one byte, byte `i` -> bit `i`. Each byte lands on its own bit of
/// the product's top byte and no two partial products overlap, so there are no carries.
fn pack8(bytes: [u8; 8]) -> u8 {
    (u64::from_le_bytes(bytes).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
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
    fn pack8_maps_byte_i_to_bit_i() {
        for mask in 0..=255u8 {
            let bytes: [u8; 8] = std::array::from_fn(|i| (mask >> i) & 1);
            assert_eq!(pack8(bytes), mask);
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
