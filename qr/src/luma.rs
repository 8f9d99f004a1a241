//! Luma planes: the one input type of the decoder.
//!
//! Phones hand us the Y plane of a camera frame with padded rows (`row_stride >= width`, and the
//! last row often without its padding). `LumaPlane` validates such a buffer once, so everything
//! downstream can index it without further checks. `LumaImage` is the owned, tightly packed form
//! that image files and scaled copies use.

use crate::DecodeError;

/// Frames above this many pixels are refused (a 48 MP photo is 48e6; this leaves headroom while
/// stopping a bogus width/height pair from driving allocation).
pub const MAX_PIXELS: u64 = 100_000_000;
/// Longest accepted side: run lengths along a row are kept in 16 bits (as zxing-cpp does).
pub const MAX_SIDE: u32 = u16::MAX as u32;

/// A borrowed 8-bit luma plane with a row stride, validated.
#[derive(Debug, Clone, Copy)]
pub struct LumaPlane<'a> {
    bytes: &'a [u8],
    width: u32,
    height: u32,
    row_stride: u32,
}

impl<'a> LumaPlane<'a> {
    /// Checks that `bytes` holds `height` rows of `width` pixels, `row_stride` bytes apart.
    /// The last row needs only `width` bytes.
    pub fn new(
        bytes: &'a [u8],
        width: u32,
        height: u32,
        row_stride: u32,
    ) -> Result<Self, DecodeError> {
        if width == 0 || height == 0 {
            return Err(DecodeError::EmptyPlane { width, height });
        }
        if row_stride < width {
            return Err(DecodeError::StrideTooSmall { row_stride, width });
        }
        let pixels = u64::from(width) * u64::from(height);
        if pixels > MAX_PIXELS || width > MAX_SIDE || height > MAX_SIDE {
            return Err(DecodeError::TooLarge {
                width,
                height,
                max_side: MAX_SIDE,
                max_pixels: MAX_PIXELS,
            });
        }
        let needed = u64::from(row_stride) * u64::from(height - 1) + u64::from(width);
        if (bytes.len() as u64) < needed {
            return Err(DecodeError::BufferTooShort {
                width,
                height,
                row_stride,
                needed,
                actual: bytes.len(),
            });
        }
        Ok(Self {
            bytes,
            width,
            height,
            row_stride,
        })
    }

    /// Width in pixels (without row padding).
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in rows.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Row `y` without its padding.
    pub fn row(&self, y: u32) -> &'a [u8] {
        let start = y as usize * self.row_stride as usize;
        &self.bytes[start..start + self.width as usize]
    }

    /// The pixels as one contiguous slice, if the rows are already packed.
    pub fn packed(&self) -> Option<&'a [u8]> {
        (self.row_stride == self.width)
            .then(|| &self.bytes[..self.width as usize * self.height as usize])
    }

    /// A tightly packed copy (drops the row padding).
    pub fn to_image(&self) -> LumaImage {
        let mut pixels = Vec::with_capacity(self.width as usize * self.height as usize);
        for y in 0..self.height {
            pixels.extend_from_slice(self.row(y));
        }
        LumaImage {
            pixels,
            width: self.width,
            height: self.height,
        }
    }
}

/// An owned, tightly packed 8-bit luma image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LumaImage {
    pub pixels: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

impl LumaImage {
    /// Wraps packed pixels; fails if the length does not match the dimensions.
    pub fn new(pixels: Vec<u8>, width: u32, height: u32) -> Result<Self, DecodeError> {
        LumaPlane::new(&pixels, width, height, width)?;
        if pixels.len() as u64 != u64::from(width) * u64::from(height) {
            return Err(DecodeError::BufferTooShort {
                width,
                height,
                row_stride: width,
                needed: u64::from(width) * u64::from(height),
                actual: pixels.len(),
            });
        }
        Ok(Self {
            pixels,
            width,
            height,
        })
    }

    /// A borrowed view for the decoder.
    pub fn as_plane(&self) -> LumaPlane<'_> {
        LumaPlane {
            bytes: &self.pixels,
            width: self.width,
            height: self.height,
            row_stride: self.width,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_rows_are_dropped_when_packing() {
        // 3x2 plane, stride 5, last row without padding
        let bytes = [1, 2, 3, 9, 9, 4, 5, 6];
        let plane = LumaPlane::new(&bytes, 3, 2, 5).unwrap();
        assert_eq!(plane.row(1), &[4, 5, 6]);
        assert_eq!(plane.packed(), None);
        assert_eq!(plane.to_image().pixels, vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn inconsistent_dimensions_are_refused() {
        let bytes = [0u8; 100];
        assert!(matches!(
            LumaPlane::new(&bytes, 0, 10, 10),
            Err(DecodeError::EmptyPlane { .. })
        ));
        assert!(matches!(
            LumaPlane::new(&bytes, 10, 10, 9),
            Err(DecodeError::StrideTooSmall { .. })
        ));
        assert!(matches!(
            LumaPlane::new(&bytes, 10, 10, 11),
            Err(DecodeError::BufferTooShort { needed: 109, .. })
        ));
        assert!(LumaPlane::new(&bytes, 10, 10, 10).is_ok());
        assert!(matches!(
            LumaPlane::new(&bytes, 100_000, 100_000, 100_000),
            Err(DecodeError::TooLarge { .. })
        ));
        // a 70,000 px wide strip is few pixels but too wide for 16-bit run lengths
        assert!(matches!(
            LumaPlane::new(&bytes, 70_000, 2, 70_000),
            Err(DecodeError::TooLarge { .. })
        ));
    }

    #[test]
    fn huge_dimensions_do_not_overflow() {
        let bytes = [0u8; 16];
        assert!(LumaPlane::new(&bytes, u32::MAX, 1, u32::MAX).is_err());
        assert!(LumaPlane::new(&bytes, 4, u32::MAX, u32::MAX).is_err());
    }

    #[test]
    fn owned_image_checks_its_length() {
        assert!(LumaImage::new(vec![0; 6], 3, 2).is_ok());
        assert!(LumaImage::new(vec![0; 7], 3, 2).is_err());
        assert!(LumaImage::new(vec![0; 5], 3, 2).is_err());
    }
}
