//! Box-filter downscaling for the decoder's image pyramid.
//!
//! A code printed with large modules, or blurred, binarises better at a coarser scale: averaging
//! `factor x factor` blocks sharpens the module edges relative to the local-threshold window and
//! removes sensor noise. It is also cheap: one pass over the input.

use crate::{LumaImage, LumaPlane};

/// Averages each `factor x factor` block (the right/bottom remainder is dropped).
/// Returns `None` if the result would be empty.
pub fn downscale(src: &LumaPlane<'_>, factor: u32) -> Option<LumaImage> {
    assert!(factor >= 2, "downscale factor must be at least 2");
    let (w, h) = (src.width() / factor, src.height() / factor);
    if w == 0 || h == 0 {
        return None;
    }
    if factor == 2 {
        return Some(halve(src, w, h));
    }
    let f = factor as usize;
    let area = (f * f) as u32;
    let mut sums = vec![0u32; w as usize];
    let mut pixels = Vec::with_capacity(w as usize * h as usize);
    for by in 0..h {
        sums.iter_mut().for_each(|s| *s = 0);
        for dy in 0..factor {
            let row = src.row(by * factor + dy);
            for (sum, block) in sums.iter_mut().zip(row.chunks_exact(f)) {
                *sum += block.iter().map(|&p| u32::from(p)).sum::<u32>();
            }
        }
        // rounding division keeps a flat image flat
        pixels.extend(sums.iter().map(|&s| ((s + area / 2) / area) as u8));
    }
    Some(LumaImage {
        pixels,
        width: w,
        height: h,
    })
}

/// The common factor-2 case, written so the compiler can vectorise the row loop.
fn halve(src: &LumaPlane<'_>, w: u32, h: u32) -> LumaImage {
    let mut pixels = vec![0u8; w as usize * h as usize];
    for (y, out) in pixels.chunks_exact_mut(w as usize).enumerate() {
        let (r0, r1) = (src.row(2 * y as u32), src.row(2 * y as u32 + 1));
        for (x, o) in out.iter_mut().enumerate() {
            let sum = u16::from(r0[2 * x])
                + u16::from(r0[2 * x + 1])
                + u16::from(r1[2 * x])
                + u16::from(r1[2 * x + 1]);
            *o = ((sum + 2) / 4) as u8;
        }
    }
    LumaImage {
        pixels,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_blocks_and_drops_the_remainder() {
        // 5x4 plane with a row stride of 6; factor 2 gives 2x2
        #[rustfmt::skip]
        let bytes = [
            0, 10, 100, 100, 7, 99,
            20, 30, 100, 100, 7, 99,
            255, 255, 0, 0, 7, 99,
            255, 255, 0, 1, 7,
        ];
        let plane = LumaPlane::new(&bytes, 5, 4, 6).unwrap();
        let out = downscale(&plane, 2).unwrap();
        assert_eq!((out.width, out.height), (2, 2));
        assert_eq!(out.pixels, vec![15, 100, 255, 0]);
    }

    #[test]
    fn halving_matches_the_general_box_filter() {
        let bytes: Vec<u8> = (0..37 * 23).map(|i| (i * 7 % 251) as u8).collect();
        let plane = LumaPlane::new(&bytes, 33, 23, 37).unwrap();
        let fast = downscale(&plane, 2).unwrap();
        for y in 0..fast.height as usize {
            for x in 0..fast.width as usize {
                let s: u32 = [(0, 0), (1, 0), (0, 1), (1, 1)]
                    .iter()
                    .map(|(dx, dy)| u32::from(bytes[(2 * y + dy) * 37 + 2 * x + dx]))
                    .sum();
                assert_eq!(
                    u32::from(fast.pixels[y * fast.width as usize + x]),
                    (s + 2) / 4
                );
            }
        }
    }

    #[test]
    fn too_small_input_gives_none() {
        let bytes = [1, 2, 3, 4];
        let plane = LumaPlane::new(&bytes, 2, 2, 2).unwrap();
        assert!(downscale(&plane, 3).is_none());
        assert_eq!(downscale(&plane, 2).unwrap().pixels, vec![3]);
    }
}
