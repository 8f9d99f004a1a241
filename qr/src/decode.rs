//! The scanning pipeline: which images the QR reader sees, in what order, and how their results
//! are merged.
//!
//! Symbol sampling, format/version reading and Reed-Solomon decoding are rxing's port of
//! zxing-cpp's QR reader. What this crate adds is the search around it, each step measured on
//! the corpus (docs/adr/0011-qr-decoder.md): our local-threshold binarisation (`binarize.rs`), one finder-pattern
//! scan for both polarities (`finder.rs`), relaxed finder grouping for tilted codes
//! (`reader.rs`), light-on-dark codes from the flipped bits, and a box-filtered half-size layer
//! for noisy or blurred frames (`resample.rs`). Every pass keeps all codes it finds; duplicates
//! across passes are merged.

use std::panic::AssertUnwindSafe;
use std::path::Path;

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::{Binarizer, BinaryBitmap, Luma8Source};

use crate::binarize::{local_threshold, Thresholded};
use crate::finder::find_finder_patterns;
use crate::reader::{read_all, rxing_finder_patterns, RawCode};
use crate::resample::downscale;
use crate::{file, DecodeError, LumaImage, LumaPlane};

/// A point in frame pixel coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// One decoded QR code.
#[derive(Debug, Clone, PartialEq)]
pub struct QrCode {
    /// The payload as text (byte segments decoded per ECI, else guessed; UTF-8 in practice).
    pub text: String,
    /// The symbol's corners in frame coordinates, as reported by rxing's detector (four for a
    /// QR code). Good enough to draw an outline or to tell two stickers apart.
    pub corners: Vec<Point>,
}

/// How a grey image becomes black and white modules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binarization {
    /// rxing's `HybridBinarizer` (the Java ZXing algorithm; loses low-contrast codes).
    Hybrid,
    /// Our local threshold (`binarize.rs`); blocks with a min-max range of at most `min_range`
    /// borrow their threshold from their neighbours.
    Local { min_range: u8 },
}

/// Which passes the decoder runs. `Default` is the measured best trade-off; the other settings
/// exist so the bench can show what each pass buys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecoderConfig {
    pub binarization: Binarization,
    /// Also try relaxed finder-pattern triples (strongly tilted codes), see `reader.rs`.
    pub relaxed_finder: bool,
    /// Use our finder-pattern row scan (`finder.rs`) instead of rxing's (measured: the same
    /// reads, about half the time per frame).
    pub fast_finder: bool,
    /// Also look for light-on-dark codes (the binarised image, flipped).
    pub try_inverted: bool,
    /// Downscale factors of extra pyramid layers, tried after the full-resolution pass
    /// (each relative to the original frame). Layers smaller than `min_layer_side` are skipped.
    pub pyramid: Vec<u32>,
    /// Smallest side (pixels) of a pyramid layer worth scanning.
    pub min_layer_side: u32,
    /// `min_range` of the local threshold on pyramid layers (with `Binarization::Local`).
    /// Box-filtering averages sensor noise away, so a layer can trust smaller contrasts
    /// (measured: 16 reads faint codes that 24 misses, 12 and 20 read fewer).
    pub layer_min_range: u8,
}

impl Default for DecoderConfig {
    fn default() -> Self {
        Self {
            binarization: Binarization::Local { min_range: 24 },
            relaxed_finder: true,
            fast_finder: true,
            try_inverted: true,
            pyramid: vec![2],
            min_layer_side: 120,
            layer_min_range: 16,
        }
    }
}

/// Decodes every QR code in a luma frame or image file. Cheap to create; holds no image state,
/// so one instance can serve many frames (and threads).
#[derive(Debug, Clone, Default)]
pub struct QrDecoder {
    config: DecoderConfig,
}

impl QrDecoder {
    /// The decoder with the measured default passes.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder with other passes (the bench uses this to show what each pass buys).
    pub fn with_config(config: DecoderConfig) -> Self {
        Self { config }
    }

    /// The passes this decoder runs.
    pub fn config(&self) -> &DecoderConfig {
        &self.config
    }

    /// Decodes a camera Y plane whose rows are `row_stride` bytes apart.
    pub fn decode_luma(
        &self,
        bytes: &[u8],
        width: u32,
        height: u32,
        row_stride: u32,
    ) -> Result<Vec<QrCode>, DecodeError> {
        Ok(self.decode_plane(&LumaPlane::new(bytes, width, height, row_stride)?))
    }

    /// Decodes a JPEG or PNG file.
    pub fn decode_file(&self, path: &Path) -> Result<Vec<QrCode>, DecodeError> {
        let luma = file::load_luma_file(path)?;
        Ok(self.decode_plane(&luma.as_plane()))
    }

    /// Decodes an in-memory JPEG or PNG.
    pub fn decode_image_bytes(&self, bytes: &[u8]) -> Result<Vec<QrCode>, DecodeError> {
        let luma = file::load_luma_bytes(bytes)?;
        Ok(self.decode_plane(&luma.as_plane()))
    }

    /// Decodes a validated plane. Returns every distinct code found, in discovery order.
    pub fn decode_plane(&self, plane: &LumaPlane<'_>) -> Vec<QrCode> {
        let mut found = Found::default();
        let packed;
        let pixels = match plane.packed() {
            Some(p) => p,
            None => {
                packed = plane.to_image();
                &packed.pixels[..]
            }
        };
        let (w, h, full) = (plane.width(), plane.height(), self.config.binarization);
        self.scan_layer(pixels, w, h, 1.0, full, &mut found);
        for &factor in &self.config.pyramid {
            let min_side = plane.width().min(plane.height()) / factor;
            if factor < 2 || min_side < self.config.min_layer_side {
                continue;
            }
            if let Some(layer) = downscale(plane, factor) {
                let LumaImage {
                    pixels,
                    width,
                    height,
                } = &layer;
                let binarization = match self.config.binarization {
                    Binarization::Local { .. } => Binarization::Local {
                        min_range: self.config.layer_min_range,
                    },
                    other => other,
                };
                self.scan_layer(
                    pixels,
                    *width,
                    *height,
                    factor as f32,
                    binarization,
                    &mut found,
                );
            }
        }
        found.codes
    }

    /// Runs the reader on one image (and its inverse) and adds what it finds, with corners
    /// mapped back to frame coordinates by `scale`.
    fn scan_layer(
        &self,
        pixels: &[u8],
        width: u32,
        height: u32,
        scale: f32,
        binarization: Binarization,
        found: &mut Found,
    ) {
        let Ok(source) = Luma8Source::new_with_slice(pixels, width, height) else {
            return; // unreachable: dimensions were validated by LumaPlane
        };
        let (w, h) = (width as usize, height as usize);
        match binarization {
            Binarization::Hybrid => self.read(
                BinaryBitmap::new(HybridBinarizer::new(source)),
                scale,
                found,
            ),
            Binarization::Local { min_range } => match local_threshold(pixels, w, h, min_range) {
                Some(m) => self.read(
                    BinaryBitmap::new(Thresholded::new(source, m, min_range)),
                    scale,
                    found,
                ),
                // tiny or blank image: the global histogram is all that is left (as in zxing-cpp)
                None => self.read(
                    BinaryBitmap::new(GlobalHistogramBinarizer::new(source)),
                    scale,
                    found,
                ),
            },
        }
    }

    fn read<B: Binarizer>(&self, bitmap: BinaryBitmap<B>, scale: f32, found: &mut Found) {
        let bits = bitmap.get_black_matrix();
        // light-on-dark codes: the same bits flipped (no second binarisation)
        let inverted = self.config.try_inverted.then(|| {
            let mut m = bits.clone();
            m.flip_self();
            m
        });
        // rxing's detector documents that it can panic on odd geometry; on a camera frame that
        // must cost one pass, not the app (every profile unwinds, docs/adr/0005-mobile-release-profile.md).
        let guarded = |f: &dyn Fn() -> Vec<RawCode>| {
            std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_default()
        };
        let relaxed = self.config.relaxed_finder;
        let (dark, light) = std::panic::catch_unwind(AssertUnwindSafe(|| {
            if self.config.fast_finder {
                find_finder_patterns(bits, inverted.as_ref())
            } else {
                let light = inverted.as_ref().map(rxing_finder_patterns);
                (rxing_finder_patterns(bits), light.unwrap_or_default())
            }
        }))
        .unwrap_or_default();
        found.add_all(guarded(&|| read_all(bits, dark.clone(), relaxed)), scale);
        if let Some(m) = &inverted {
            found.add_all(guarded(&|| read_all(m, light.clone(), relaxed)), scale);
        }
    }
}

/// Codes found so far. A code seen again in a later pass (same text, overlapping position) is a
/// duplicate; the same text elsewhere in the frame is a second sticker and is kept.
#[derive(Default)]
struct Found {
    codes: Vec<QrCode>,
}

impl Found {
    fn add_all(&mut self, codes: Vec<RawCode>, scale: f32) {
        for raw in codes {
            let corners = raw
                .corners
                .iter()
                .map(|p| Point {
                    x: p.x * scale,
                    y: p.y * scale,
                })
                .collect();
            self.add(QrCode {
                text: raw.text,
                corners,
            });
        }
    }

    fn add(&mut self, code: QrCode) {
        let duplicate = self
            .codes
            .iter()
            .any(|c| c.text == code.text && overlaps(&c.corners, &code.corners));
        if !duplicate {
            self.codes.push(code);
        }
    }
}

/// True if the two corner sets describe the same place: each centre lies within the other's
/// extent. Missing corners count as the same place (nothing to tell them apart).
fn overlaps(a: &[Point], b: &[Point]) -> bool {
    let (Some((ca, ra)), Some((cb, rb))) = (centre_radius(a), centre_radius(b)) else {
        return true;
    };
    let d = ((ca.x - cb.x).powi(2) + (ca.y - cb.y).powi(2)).sqrt();
    d < ra.max(rb)
}

fn centre_radius(pts: &[Point]) -> Option<(Point, f32)> {
    if pts.is_empty() {
        return None;
    }
    let n = pts.len() as f32;
    let c = Point {
        x: pts.iter().map(|p| p.x).sum::<f32>() / n,
        y: pts.iter().map(|p| p.y).sum::<f32>() / n,
    };
    let r = pts
        .iter()
        .map(|p| ((p.x - c.x).powi(2) + (p.y - c.y).powi(2)).sqrt())
        .fold(0.0, f32::max);
    Some((c, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(cx: f32, cy: f32, r: f32) -> Vec<Point> {
        [(-r, -r), (r, -r), (r, r), (-r, r)]
            .iter()
            .map(|&(dx, dy)| Point {
                x: cx + dx,
                y: cy + dy,
            })
            .collect()
    }

    #[test]
    fn same_text_at_the_same_place_is_merged_elsewhere_kept() {
        let mut found = Found::default();
        let code = |pts| QrCode {
            text: "a".into(),
            corners: pts,
        };
        found.add(code(square(100.0, 100.0, 40.0)));
        found.add(code(square(104.0, 98.0, 42.0))); // same sticker, another pass
        found.add(code(square(400.0, 100.0, 40.0))); // a second sticker
        assert_eq!(found.codes.len(), 2);
    }

    #[test]
    fn blank_frame_has_no_codes() {
        let pixels = vec![200u8; 320 * 240];
        let codes = QrDecoder::new()
            .decode_luma(&pixels, 320, 240, 320)
            .unwrap();
        assert!(codes.is_empty());
    }

    #[test]
    fn noise_frame_has_no_codes() {
        // xorshift noise: lots of edges, no valid symbol
        let mut s = 0x2545_f491_u32;
        let pixels: Vec<u8> = (0..640 * 480)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                if s & 1 == 0 {
                    20
                } else {
                    230
                }
            })
            .collect();
        assert!(QrDecoder::new()
            .decode_luma(&pixels, 640, 480, 640)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn tiny_and_odd_frames_do_not_panic() {
        let decoder = QrDecoder::new();
        for (w, h) in [
            (1, 1),
            (3, 2),
            (1, 500),
            (500, 1),
            (39, 41),
            (41, 39),
            (257, 131),
        ] {
            let pixels: Vec<u8> = (0..w * h).map(|i| (i * 37 % 251) as u8).collect();
            assert!(
                decoder.decode_luma(&pixels, w, h, w).unwrap().is_empty(),
                "{w}x{h}"
            );
        }
    }

    #[test]
    fn inconsistent_plane_is_an_error_not_a_panic() {
        let pixels = vec![0u8; 100];
        assert!(QrDecoder::new().decode_luma(&pixels, 20, 10, 20).is_err());
    }
}
