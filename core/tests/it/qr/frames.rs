//! Camera luma planes with padded rows, as phones deliver them.

use gridpatrol_core::qr::{load_luma_file, DecodeError, QrDecoder};

use super::{fixture, sorted};

/// The fixture's luma with `pad` junk bytes after every row but the last.
fn padded_plane(name: &str, pad: u32) -> (Vec<u8>, u32, u32, u32) {
    let luma = load_luma_file(&fixture(name).path).unwrap();
    let stride = luma.width + pad;
    let mut bytes = Vec::new();
    for (y, row) in luma.pixels.chunks_exact(luma.width as usize).enumerate() {
        bytes.extend_from_slice(row);
        if y + 1 < luma.height as usize {
            // junk that looks like dark modules: must never be read as image
            bytes.extend((0..pad).map(|i| if i % 3 == 0 { 0 } else { 255 }));
        }
    }
    (bytes, luma.width, luma.height, stride)
}

#[test]
fn padded_rows_decode_like_packed_ones() {
    for name in ["url_rotated", "two_codes", "url_inverted"] {
        let (bytes, w, h, stride) = padded_plane(name, 64);
        let texts = QrDecoder::new()
            .decode_luma(&bytes, w, h, stride)
            .unwrap()
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert_eq!(sorted(texts), sorted(fixture(name).payloads), "{name}");
    }
}

#[test]
fn inconsistent_dimensions_are_refused() {
    let (bytes, w, h, stride) = padded_plane("url_rotated", 64);
    let decoder = QrDecoder::new();
    assert!(matches!(
        decoder.decode_luma(&bytes, w, h + 1, stride),
        Err(DecodeError::BufferTooShort { .. })
    ));
    assert!(matches!(
        decoder.decode_luma(&bytes, w, h, w - 1),
        Err(DecodeError::StrideTooSmall { .. })
    ));
    assert!(matches!(
        decoder.decode_luma(&bytes, 0, h, stride),
        Err(DecodeError::EmptyPlane { .. })
    ));
}

#[test]
fn decoding_is_deterministic() {
    let (bytes, w, h, stride) = padded_plane("two_codes", 32);
    let decoder = QrDecoder::new();
    let first = decoder.decode_luma(&bytes, w, h, stride).unwrap();
    assert_eq!(first, decoder.decode_luma(&bytes, w, h, stride).unwrap());
}
