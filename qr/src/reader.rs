//! The QR reading loop over one binarised image, with a finder-pattern grouping that also
//! accepts strongly tilted codes.
//!
//! rxing's `QrReader` groups finder patterns into (bottom-left, top-left, top-right) triples with
//! fixed filters: pattern sizes within 2x, legs within 2x, corner angle 60-120 degrees. A sticker
//! photographed from the side at 30-55 degrees (common: posted high on a wall or on a door frame)
//! breaks those limits, and on the corpus's perspective images rxing read 60 % where zxing-cpp
//! 3.1 read 93 % (zxing-cpp drops the filters when few patterns are found). We keep rxing's
//! ranking first and then try a bounded number of extra, relaxed triples. This cannot create
//! false positives: every candidate still has to pass format-information BCH and Reed-Solomon
//! decoding.

use rxing::common::cpp_essentials::ConcentricPattern;
use rxing::common::{BitMatrix, DetectorRXingResult};
use rxing::qrcode::cpp_port::decoder::Decode;
use rxing::qrcode::cpp_port::detector::{
    FindFinderPatterns, FinderPatternSet, GenerateFinderPatternSets, SampleQR,
};

use crate::Point;

/// Relaxed grouping is skipped above this many finder-pattern candidates (busy textures):
/// the strict sets already cover ordinary codes, and every extra triple costs a sampling
/// attempt (measured: with 24 the 720p frame time grew by a quarter for no extra reads).
const MAX_PATTERNS_FOR_RELAXED: usize = 9;
/// At most this many relaxed triples are sampled per image.
const MAX_RELAXED_SETS: usize = 24;

/// Up to this many finder patterns, relaxed triples get no shape filters at all.
const FILTERS_ABOVE: usize = 6;
/// Limits for the relaxed grouping when there are more patterns.
const MAX_SIZE_RATIO: f32 = 3.5;
const MAX_LEG_RATIO_SQ: f32 = 3.0 * 3.0;
const MIN_COS: f32 = -0.866; // 150 degrees
const MAX_COS: f32 = 0.866; // 30 degrees
/// Always rejected: a corner angle under ~10 or over ~170 degrees.
const MAX_ABS_COS_UNFILTERED: f32 = 0.985;

/// A successfully decoded symbol in the coordinates of the image read.
pub struct RawCode {
    pub text: String,
    pub corners: Vec<Point>,
}

/// Finds finder patterns with rxing's own row scan (the `fast_finder: false` path).
pub fn rxing_finder_patterns(bits: &BitMatrix) -> Vec<ConcentricPattern> {
    FindFinderPatterns(bits, true, 0)
}

/// Decodes every QR code in `bits` (dark = set) that the finder `patterns` of `bits` lead to.
/// `relaxed` adds the extra finder triples.
pub fn read_all(
    bits: &BitMatrix,
    mut patterns: Vec<ConcentricPattern>,
    relaxed: bool,
) -> Vec<RawCode> {
    let mut sets = GenerateFinderPatternSets(&mut patterns);
    if relaxed && patterns.len() <= MAX_PATTERNS_FOR_RELAXED {
        let extra: Vec<FinderPatternSet> = relaxed_sets(&patterns)
            .into_iter()
            .filter(|s| !sets.contains(s))
            .take(MAX_RELAXED_SETS)
            .collect();
        sets.extend(extra);
    }

    let mut used: Vec<ConcentricPattern> = Vec::new();
    let mut out = Vec::new();
    for set in sets {
        if [set.bl, set.tl, set.tr].iter().any(|p| used.contains(p)) {
            continue;
        }
        let Ok(detected) = SampleQR(bits, &set) else {
            continue;
        };
        let Ok(decoded) = Decode(detected.getBits()) else {
            continue;
        };
        if !decoded.isValid() {
            continue;
        }
        used.extend([set.bl, set.tl, set.tr]);
        out.push(RawCode {
            text: decoded.text(),
            corners: detected
                .getPoints()
                .iter()
                .map(|p| Point { x: p.x, y: p.y })
                .collect(),
        });
    }
    out
}

/// Plausible (bl, tl, tr) triples under the relaxed limits, best first. Each triple is tried
/// with each of its patterns as the top-left one: under strong perspective the top-left pattern
/// is not always the one opposite the longest side. The score prefers compact, isosceles
/// triples (as rxing's ranking does) and the usual top-left choice.
fn relaxed_sets(patterns: &[ConcentricPattern]) -> Vec<FinderPatternSet> {
    let mut scored: Vec<(f32, FinderPatternSet)> = Vec::new();
    let n = patterns.len();
    // with few candidates (one or two codes in view) the shape filters are dropped altogether
    let filtered = n > FILTERS_ABOVE;
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                let t = [patterns[i], patterns[j], patterns[k]];
                for corner in 0..3 {
                    scored.extend(candidate(t, corner, filtered));
                }
            }
        }
    }
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    scored.into_iter().map(|(_, s)| s).collect()
}

/// The triple `t` with `t[corner]` as the top-left pattern, if plausible.
fn candidate(
    t: [ConcentricPattern; 3],
    corner: usize,
    filtered: bool,
) -> Option<(f32, FinderPatternSet)> {
    let b = t[corner];
    let (mut a, mut c) = (t[(corner + 1) % 3], t[(corner + 2) % 3]);
    let sizes = t.map(|p| p.size.max(1) as f32);
    let (smin, smax) = (
        sizes.iter().copied().fold(f32::MAX, f32::min),
        sizes.iter().copied().fold(0.0, f32::max),
    );
    let d2 = |p: ConcentricPattern, q: ConcentricPattern| {
        (p.p.x - q.p.x).powi(2) + (p.p.y - q.p.y).powi(2)
    };
    let (ab2, bc2, ac2) = (d2(a, b), d2(b, c), d2(a, c));
    let (ab, bc) = (ab2.sqrt(), bc2.sqrt());
    let cos = (ab2 + bc2 - ac2) / (2.0 * ab * bc);
    if !cos.is_finite() || cos.abs() > MAX_ABS_COS_UNFILTERED {
        return None; // degenerate: the three centres are (nearly) on one line
    }
    if filtered
        && (smax > smin * MAX_SIZE_RATIO
            || ab2 > MAX_LEG_RATIO_SQ * bc2
            || bc2 > MAX_LEG_RATIO_SQ * ab2
            || !(MIN_COS..=MAX_COS).contains(&cos))
    {
        return None;
    }
    // finder patterns are 7 modules wide: estimate the symbol's module count
    let module = (sizes[0] + sizes[1] + sizes[2]) / 21.0;
    let modules = (ab + bc) / (2.0 * module) + 7.0;
    if !(21.0 * 0.7..=177.0 * 1.5).contains(&modules) {
        return None;
    }
    // orient: bottom-left, top-left, top-right go clockwise in image coordinates
    let cross = (c.p.x - b.p.x) * (a.p.y - b.p.y) - (c.p.y - b.p.y) * (a.p.x - b.p.x);
    if cross < 0.0 {
        std::mem::swap(&mut a, &mut c);
    }
    let usual_corner = ac2 >= ab2 && ac2 >= bc2;
    let score = (ab + bc + (ab - bc).abs()) * if usual_corner { 1.0 } else { 1.5 };
    Some((
        score,
        FinderPatternSet {
            bl: a,
            tl: b,
            tr: c,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(x: f32, y: f32, size: i32) -> ConcentricPattern {
        ConcentricPattern {
            p: rxing::Point { x, y },
            size,
        }
    }

    #[test]
    fn tilted_triple_is_accepted_and_oriented() {
        // keystone: the right side is much farther from the camera (smaller, closer together)
        let (tl, tr, bl) = (
            pat(100.0, 100.0, 28),
            pat(260.0, 130.0, 12),
            pat(100.0, 300.0, 28),
        );
        for filtered in [false, true] {
            let (_, set) = candidate([tr, bl, tl], 2, filtered).expect("accepted");
            assert_eq!((set.bl, set.tl, set.tr), (bl, tl, tr));
        }
        // every corner is offered when unfiltered, the usual one ranks first
        let sets = relaxed_sets(&[tr, bl, tl]);
        assert_eq!(sets.len(), 3);
        assert_eq!(sets[0].tl, tl);
    }

    #[test]
    fn collinear_and_lopsided_triples_are_rejected() {
        let line = [pat(0.0, 0.0, 14), pat(100.0, 0.0, 14), pat(200.0, 1.0, 14)];
        assert!((0..3).all(|c| candidate(line, c, false).is_none()));
        let lopsided = [pat(0.0, 0.0, 14), pat(400.0, 0.0, 14), pat(0.0, 40.0, 14)];
        assert!(candidate(lopsided, 0, true).is_none());
        let sizes = [pat(0.0, 0.0, 40), pat(100.0, 0.0, 8), pat(0.0, 100.0, 40)];
        assert!(candidate(sizes, 0, true).is_none());
    }
}
