//! EXIF orientation: how the stored pixels must be turned to look upright.
//!
//! The evidence copy carries no EXIF, so the rotation/flip is applied to its pixels; viewers
//! that ignore EXIF (and the server's reviewers) then see the photo the right way up.

use crate::evidence::raster::Raster;

/// The eight EXIF orientations (tag 0x0112), named by what the viewer must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Orientation {
    /// 1: stored upright.
    #[default]
    Normal,
    /// 2: mirror left-right.
    FlipHorizontal,
    /// 3: rotate 180°.
    Rotate180,
    /// 4: mirror top-bottom.
    FlipVertical,
    /// 5: mirror along the top-left/bottom-right diagonal.
    Transpose,
    /// 6: rotate 90° clockwise (phone held upright, home button down).
    Rotate90,
    /// 7: mirror along the top-right/bottom-left diagonal.
    Transverse,
    /// 8: rotate 270° clockwise.
    Rotate270,
}

impl Orientation {
    /// From the EXIF value; anything outside 1–8 is treated as upright.
    pub fn from_exif(value: u32) -> Self {
        match value {
            2 => Self::FlipHorizontal,
            3 => Self::Rotate180,
            4 => Self::FlipVertical,
            5 => Self::Transpose,
            6 => Self::Rotate90,
            7 => Self::Transverse,
            8 => Self::Rotate270,
            _ => Self::Normal,
        }
    }

    /// The EXIF value, 1–8.
    pub fn exif_value(self) -> u32 {
        self as u32 + 1
    }

    /// Whether width and height trade places.
    pub fn swaps_dimensions(self) -> bool {
        matches!(
            self,
            Self::Transpose | Self::Rotate90 | Self::Transverse | Self::Rotate270
        )
    }

    /// Displayed size of a stored `width`x`height` image.
    pub fn displayed_size(self, width: u32, height: u32) -> (u32, u32) {
        if self.swaps_dimensions() {
            (height, width)
        } else {
            (width, height)
        }
    }

    /// The upright image: each displayed pixel is fetched from its stored position.
    pub fn apply(self, src: Raster) -> Raster {
        if self == Self::Normal {
            return src;
        }
        let (w, h) = (src.width as usize, src.height as usize);
        let ch = usize::from(src.channels);
        let (dw, dh) = self.displayed_size(src.width, src.height);
        let (dw, dh) = (dw as usize, dh as usize);
        let mut out = vec![0u8; src.data.len()];
        for (dy, row) in out.chunks_exact_mut(dw * ch).enumerate() {
            for (dx, px) in row.chunks_exact_mut(ch).enumerate() {
                let (sx, sy) = match self {
                    Self::Normal => (dx, dy),
                    Self::FlipHorizontal => (w - 1 - dx, dy),
                    Self::Rotate180 => (w - 1 - dx, h - 1 - dy),
                    Self::FlipVertical => (dx, h - 1 - dy),
                    Self::Transpose => (dy, dx),
                    Self::Rotate90 => (dy, h - 1 - dx),
                    Self::Transverse => (w - 1 - dy, h - 1 - dx),
                    Self::Rotate270 => (w - 1 - dy, dx),
                };
                let at = (sy * w + sx) * ch;
                px.copy_from_slice(&src.data[at..at + ch]);
            }
        }
        Raster::new(dw as u32, dh as u32, src.channels, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3x2 gray image with distinct values:
    /// ```text
    /// 1 2 3
    /// 4 5 6
    /// ```
    fn sample() -> Raster {
        Raster::new(3, 2, 1, vec![1, 2, 3, 4, 5, 6])
    }

    #[test]
    fn each_orientation_matches_its_definition() {
        let cases: [(u32, (u32, u32), [u8; 6]); 8] = [
            (1, (3, 2), [1, 2, 3, 4, 5, 6]),
            (2, (3, 2), [3, 2, 1, 6, 5, 4]),
            (3, (3, 2), [6, 5, 4, 3, 2, 1]),
            (4, (3, 2), [4, 5, 6, 1, 2, 3]),
            (5, (2, 3), [1, 4, 2, 5, 3, 6]),
            (6, (2, 3), [4, 1, 5, 2, 6, 3]),
            (7, (2, 3), [6, 3, 5, 2, 4, 1]),
            (8, (2, 3), [3, 6, 2, 5, 1, 4]),
        ];
        for (value, (w, h), expected) in cases {
            let o = Orientation::from_exif(value);
            assert_eq!(o.exif_value(), value);
            let out = o.apply(sample());
            assert_eq!((out.width, out.height), (w, h), "orientation {value}");
            assert_eq!(out.data, expected, "orientation {value}");
        }
    }

    #[test]
    fn rgb_pixels_move_as_units() {
        let src = Raster::new(2, 1, 3, vec![1, 2, 3, 4, 5, 6]);
        let out = Orientation::Rotate90.apply(src);
        assert_eq!((out.width, out.height), (1, 2));
        assert_eq!(out.data, vec![1, 2, 3, 4, 5, 6]);
        let out = Orientation::FlipHorizontal.apply(Raster::new(2, 1, 3, vec![1, 2, 3, 4, 5, 6]));
        assert_eq!(out.data, vec![4, 5, 6, 1, 2, 3]);
    }

    #[test]
    fn out_of_range_values_are_upright() {
        assert_eq!(Orientation::from_exif(0), Orientation::Normal);
        assert_eq!(Orientation::from_exif(9), Orientation::Normal);
    }
}
