//! Finder-pattern search: the row scan that proposes 1:1:3:1:1 candidates, tuned for speed.
//!
//! The profile (callgrind) of rxing's `FindFinderPatterns` on the 720p frames showed most of its
//! time in the two-dimensional check (`LocateConcentricPattern`, ~4,000-5,000 instructions a
//! call, ~1,000 calls per scan) on false candidates: texture and sensor-noise blobs that look
//! like 1:1:3:1:1 along a row, found again on every third row. This scan
//! - reads run lengths straight off the row's bit words (`trailing_zeros`),
//! - serves both polarities from one pass (a light-on-dark finder is a window starting on a
//!   light run), instead of a second full scan of the flipped matrix,
//! - applies the same edge-to-edge ratio test as rxing along the row, then a cheap look along
//!   the column before handing a candidate to `LocateConcentricPattern`, which does the exact
//!   check as before.
//!
//! Remembering rejected candidates was tried and lost reads: a real finder crossed off-centre can
//! fail the exact check on one row and pass on the next.

use rxing::common::cpp_essentials::{
    ConcentricPattern, FixedPattern, LocateConcentricPattern, Pattern,
};
use rxing::common::{BitFieldBaseType as Word, BitMatrix};
use rxing::Point as RxPoint;

/// The finder pattern's run lengths in modules: bar, space, bar, space, bar.
const FINDER: [u16; 5] = [1, 1, 3, 1, 1];
/// Rows are scanned this far apart (a finder's centre bar is 3 modules tall, so every code with
/// modules of at least one pixel is crossed).
pub const ROW_STEP: usize = 3;

/// Finds the centres of all finder patterns in `bits` (dark = set) and, if `inverted` (the
/// same matrix with every bit flipped) is given, of the light-on-dark ones too. Both come from
/// one pass over the rows: a dark-on-light pattern is a window of five runs starting on a dark
/// run, a light-on-dark one a window starting on a light run.
pub fn find_finder_patterns(
    bits: &BitMatrix,
    inverted: Option<&BitMatrix>,
) -> (Vec<ConcentricPattern>, Vec<ConcentricPattern>) {
    let (width, height) = (bits.getWidth() as usize, bits.getHeight() as usize);
    let mut normal = Scan::new(bits, 1);
    let mut light = inverted.map(|m| Scan::new(m, 0));
    let mut runs: Vec<u16> = Vec::with_capacity(width / 2 + 2);
    let mut y = ROW_STEP - 1;
    while y < height {
        row_runs(bits, y, width, &mut runs);
        normal.row(&runs, y);
        if let Some(scan) = light.as_mut() {
            scan.row(&runs, y);
        }
        y += ROW_STEP;
    }
    (normal.found, light.map(|s| s.found).unwrap_or_default())
}

/// The search for one polarity: `bits` has that polarity's dark modules set, and windows start
/// at run index `first` (runs alternate light, dark, light, ... in the original matrix).
struct Scan<'a> {
    bits: &'a BitMatrix,
    first: usize,
    pattern: Pattern<5>,
    found: Vec<ConcentricPattern>,
}

impl<'a> Scan<'a> {
    fn new(bits: &'a BitMatrix, first: usize) -> Self {
        Self {
            bits,
            first,
            pattern: FixedPattern::<5, 7, false>::new(FINDER).into(),
            found: Vec::new(),
        }
    }

    fn row(&mut self, runs: &[u16], y: usize) {
        let mut x0: usize = runs[..self.first.min(runs.len())]
            .iter()
            .map(|&r| usize::from(r))
            .sum();
        let mut i = self.first;
        while i + 4 < runs.len() {
            let v = &runs[i..i + 5];
            if let Some(total) = plausible(v) {
                let cx =
                    (x0 + usize::from(v[0]) + usize::from(v[1])) as f32 + f32::from(v[2]) / 2.0;
                let p = RxPoint {
                    x: cx,
                    y: y as f32 + 0.5,
                };
                let known = self
                    .found
                    .iter()
                    .any(|old| distance(p, old.p) < old.size as f32 / 2.0);
                if !known && crosses_vertically(self.bits, cx as usize, y, total) {
                    let range = i32::from(total) * 3; // 3 for very skewed samples
                    if let Some(fp) =
                        LocateConcentricPattern::<true, 5, 7>(self.bits, &self.pattern, p, range)
                    {
                        self.found.push(fp);
                        // skip the rest of this pattern
                        x0 += usize::from(v[0] + v[1] + v[2] + v[3]);
                        i += 4;
                        continue;
                    }
                }
            }
            x0 += usize::from(runs[i] + runs[i + 1]);
            i += 2;
        }
    }
}

/// The column through a row candidate must show the pattern too (bar, space, centre, space,
/// bar), with a height close to the row's width. This is the first thing
/// `LocateConcentricPattern` checks, done here with plain bit reads: most lookalikes in
/// textures (bricks, text) fail it, and they are the bulk of the candidates in a camera frame.
fn crosses_vertically(bits: &BitMatrix, x: usize, y: usize, row_total: u16) -> bool {
    let h = bits.getHeight() as usize;
    let range = usize::from(row_total) * 3;
    if !bits.get(x as u32, y as u32) {
        return false;
    }
    // runs going up and down from (x, y): centre part, space, bar
    let walk = |down: bool| -> Option<[usize; 3]> {
        let mut runs = [0usize; 3];
        let mut yy = y;
        for (k, run) in runs.iter_mut().enumerate() {
            let black = k % 2 == 0;
            loop {
                if bits.get(x as u32, yy as u32) != black {
                    break;
                }
                *run += 1;
                if *run > range {
                    return None;
                }
                if down {
                    yy += 1;
                    if yy >= h {
                        return (k == 2).then_some(runs);
                    }
                } else {
                    if yy == 0 {
                        return (k == 2).then_some(runs);
                    }
                    yy -= 1;
                }
            }
        }
        Some(runs)
    };
    let (Some(up), Some(down)) = (walk(false), walk(true)) else {
        return false;
    };
    let v = [up[2], up[1], up[0] + down[0] - 1, down[1], down[2]];
    let total: usize = v.iter().sum();
    if 2 * total < usize::from(row_total) || total > 2 * usize::from(row_total) {
        return false; // a finder is about as tall as it is wide
    }
    // Pixel rounding, blur and perspective distort the ratios (the exact test here lost reads
    // of blurred codes), so only ask that the centre bar dominates and that the two sides mirror
    // each other: a finder is symmetric, texture and sensor-noise blobs mostly are not (on the 720p
    // frames this cut the 2-D checks by a fifth). `LocateConcentricPattern` does the exact
    // check.
    let slack = 1 + total / 10;
    2 * v[2] >= v[1].max(v[3])
        && 2 * v[2] >= v[0].max(v[4])
        && v[1].abs_diff(v[3]) <= slack
        && v[0].abs_diff(v[4]) <= slack
}

/// Run lengths of row `y` (they fit in 16 bits: `LumaPlane` caps a side at `MAX_SIDE`),
/// starting with a (possibly empty) white run, read off the row's bit
/// words with `trailing_zeros` (a whole word of one colour costs one step).
fn row_runs(bits: &BitMatrix, y: usize, width: usize, runs: &mut Vec<u16>) {
    runs.clear();
    let row = bits.getRow(y as u32);
    let words = row.getBitArray();
    let bits_per_word = Word::BITS as usize;
    let mut x = 0;
    let mut black = false;
    while x < width {
        // the next pixel whose colour differs from `black`
        let flip = |w: Word| if black { !w } else { w };
        let mut i = x / bits_per_word;
        let mut w = flip(words[i]) & (Word::MAX << (x % bits_per_word));
        while w == 0 && i + 1 < words.len() {
            i += 1;
            w = flip(words[i]);
        }
        let next = if w == 0 {
            width
        } else {
            (i * bits_per_word + w.trailing_zeros() as usize).min(width)
        };
        runs.push((next - x) as u16);
        x = next;
        black = !black;
    }
    if runs.is_empty() {
        runs.push(0);
    }
}

/// Edge-to-edge 1:1:3:1:1 test (bars and spaces measured separately, so blur that thickens
/// the bars does not break it). Returns the pattern's width in pixels if plausible.
fn plausible(v: &[u16]) -> Option<u16> {
    // cheap pre-filter: no empty run (the row's first light run can be), the centre bar dominates
    if v.contains(&0) || v[2] < 3 || v[2] < 2 * v[0].max(v[4]) || v[2] < v[1].max(v[3]) {
        return None;
    }
    let bars = f32::from(v[0] + v[2] + v[4]) / 5.0;
    let spaces = f32::from(v[1] + v[3]) / 2.0;
    if bars.max(spaces) > 4.0 * bars.min(spaces) {
        return None;
    }
    let (bar_tol, space_tol) = (bars * 0.75 + 0.5, spaces / 3.0 + 0.5);
    for (k, (&run, &modules)) in v.iter().zip(&FINDER).enumerate() {
        let (unit, tol) = if k % 2 == 0 {
            (bars, bar_tol)
        } else {
            (spaces, space_tol)
        };
        if (f32::from(run) - f32::from(modules) * unit).abs() > tol {
            return None;
        }
    }
    Some(v.iter().sum())
}

fn distance(a: RxPoint, b: RxPoint) -> f32 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_test_accepts_blurred_finders_and_rejects_lookalikes() {
        assert!(plausible(&[4, 4, 12, 4, 4]).is_some());
        assert!(plausible(&[6, 2, 14, 2, 6]).is_some()); // blur: bars grow, spaces shrink
        assert!(plausible(&[4, 4, 4, 4, 4]).is_none()); // stripes
        assert!(plausible(&[4, 12, 12, 4, 4]).is_none());
        assert!(plausible(&[1, 1, 2, 1, 1]).is_none()); // too small to tell
    }

    #[test]
    fn runs_start_white_and_cover_the_row() {
        let mut m = BitMatrix::new(20, 1).unwrap();
        for x in [0, 1, 5, 6, 7, 19] {
            m.set(x, 0);
        }
        let mut runs = Vec::new();
        row_runs(&m, 0, 20, &mut runs);
        assert_eq!(runs, vec![0, 2, 3, 3, 11, 1]);
        assert_eq!(runs.iter().sum::<u16>(), 20);
    }

    #[test]
    fn finds_a_drawn_finder_pattern() {
        // 7x7-module finder with 4 px modules, drawn at (20, 20)
        let mut m = BitMatrix::new(80, 80).unwrap();
        for my in 0..7 {
            for mx in 0..7 {
                let ring = mx == 0 || my == 0 || mx == 6 || my == 6;
                let core = (2..=4).contains(&mx) && (2..=4).contains(&my);
                if ring || core {
                    m.setRegion(20 + mx * 4, 20 + my * 4, 4, 4).unwrap();
                }
            }
        }
        let mut flipped = m.clone();
        flipped.flip_self();
        let (found, light) = find_finder_patterns(&m, Some(&flipped));
        assert_eq!(found.len(), 1);
        assert!(light.is_empty());
        // the same pattern light-on-dark: found by the inverted scan only
        let (dark, found_inverted) = find_finder_patterns(&flipped, Some(&m));
        assert!(dark.is_empty());
        assert_eq!(found_inverted.len(), 1);
        assert!(
            (found[0].p.x - 34.0).abs() < 1.5 && (found[0].p.y - 34.0).abs() < 1.5,
            "{:?}",
            found[0].p
        );
    }
}
