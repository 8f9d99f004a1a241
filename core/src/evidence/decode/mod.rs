//! Decoding an original into a raster already reduced close to the output size.
//!
//! Large photos are never decoded at full size: JPEG is scaled inside the IDCT (1/2, 1/4,
//! 1/8), PNG rows are box-averaged as they stream out of the inflater. Both refuse oversized
//! or implausible images from the header, before allocating pixel memory.

mod jpeg;
mod png;

use crate::evidence::error::EvidenceError;
use crate::evidence::limits::Limits;
use crate::evidence::raster::Raster;
use crate::evidence::source::{OriginalStream, SourceFormat};

/// A decoded original, reduced by `reduction`, still in its stored (un-rotated) orientation.
#[derive(Debug)]
pub(crate) struct DecodedPhoto {
    pub raster: Raster,
    /// Full size as declared by the file.
    pub width: u32,
    pub height: u32,
    /// 1, 2, 4 or 8: how much the decoder shrank each edge.
    pub reduction: u32,
    /// Raw EXIF (TIFF) block of the original, when present.
    pub exif: Option<Vec<u8>>,
    /// Embedded ICC colour profile, when present.
    pub icc: Option<Vec<u8>>,
}

/// Decodes the stream's image, reducing it as far as a `long_edge` output allows.
pub(crate) fn decode(
    stream: &mut OriginalStream,
    format: SourceFormat,
    limits: &Limits,
    long_edge: u32,
) -> Result<DecodedPhoto, EvidenceError> {
    let file_bytes = stream.len();
    match format {
        SourceFormat::Jpeg => jpeg::decode(stream, limits, long_edge),
        SourceFormat::Png => png::decode(stream.reader(), file_bytes, limits, long_edge),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(name: &str) -> OriginalStream {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/photos")
            .join(name);
        let bytes = std::fs::read(path).unwrap();
        let len = bytes.len() as u64;
        OriginalStream::new(Box::new(std::io::Cursor::new(bytes)), len)
    }

    #[test]
    fn progressive_jpeg_is_scaled_in_the_idct() {
        let mut stream = open("progressive_orientation_6.jpg");
        let decoded = decode(&mut stream, SourceFormat::Jpeg, &Limits::default(), 16).unwrap();
        assert_eq!((decoded.width, decoded.height), (64, 48));
        assert_eq!(decoded.reduction, 4);
        assert_eq!((decoded.raster.width, decoded.raster.height), (16, 12));
        assert!(decoded.exif.is_some());
        stream.finish().unwrap();
    }

    #[test]
    fn png_is_reduced_by_rows() {
        let mut stream = open("rgb.png");
        let decoded = decode(&mut stream, SourceFormat::Png, &Limits::default(), 16).unwrap();
        assert_eq!(decoded.reduction, 4);
        assert_eq!(
            (
                decoded.raster.width,
                decoded.raster.height,
                decoded.raster.channels
            ),
            (16, 12, 3)
        );
    }
}
