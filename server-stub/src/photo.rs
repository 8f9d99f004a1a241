//! Photos as the server handles them without decoding: a JPEG's size from its SOF segment
//! (for embedding in a PDF), and a web-form upload stripped of its metadata segments (EXIF
//! carries the phone's GPS position and model; a resident's photo may end up on a notice the
//! venue receives).

/// Width, height and colour components of a baseline or progressive JPEG (its SOF segment).
pub fn jpeg_info(bytes: &[u8]) -> Option<(u32, u32, u8)> {
    if bytes.get(..2) != Some(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let s = bytes.get(at + 4..at + 10)?;
            let height = u32::from(u16::from_be_bytes([s[1], s[2]]));
            let width = u32::from(u16::from_be_bytes([s[3], s[4]]));
            return (width > 0 && height > 0).then_some((width, height, s[5]));
        }
        at += 2 + length;
    }
    None
}

/// A JPEG without its APP1–APP13, APP15 and COM segments (EXIF, XMP, ICC notes, comments);
/// APP0 (JFIF) and APP14 (Adobe colour transform) stay. `None` when it is not a readable JPEG.
pub fn strip_jpeg_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    jpeg_info(bytes)?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut at = 2;
    loop {
        if at + 4 > bytes.len() || bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        if marker == 0xDA {
            // Start of scan: the entropy-coded data and everything after it stay as they are.
            out.extend_from_slice(&bytes[at..]);
            return Some(out);
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let end = at + 2 + length;
        if length < 2 || end > bytes.len() {
            return None;
        }
        let metadata = matches!(marker, 0xE1..=0xED | 0xEF | 0xFE);
        if !metadata {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_segments_are_dropped_and_the_image_kept() {
        // SOI, APP1 "Exif" (len 8), COM (len 4), SOF0, SOS + data, EOI.
        let mut jpeg = vec![
            0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x08, b'E', b'x', b'i', b'f', 0, 0,
        ];
        jpeg.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x04, b'h', b'i']);
        let sof = [
            0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x02, 0x00, 0x03, 0x01, 0x01, 0x11, 0x00,
        ];
        jpeg.extend_from_slice(&sof);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0xFF, 0xD9]);
        let stripped = strip_jpeg_metadata(&jpeg).unwrap();
        assert_eq!(&stripped[..2], &[0xFF, 0xD8]);
        assert!(!stripped.windows(4).any(|w| w == b"Exif"));
        assert!(!stripped.windows(2).any(|w| w == b"hi"));
        assert!(stripped.ends_with(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0xFF, 0xD9]));
        assert_eq!(jpeg_info(&stripped), Some((3, 2, 1)));
        assert_eq!(strip_jpeg_metadata(b"not a jpeg"), None);
    }

    #[test]
    fn jpeg_sizes_come_from_the_sof_segment() {
        // SOI, APP0 (len 4), SOF0 (len 11): 8 bit, 300 × 400, 3 components.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01,
            0x90, 0x01, 0x2C, 0x03,
        ];
        assert_eq!(jpeg_info(&jpeg), Some((300, 400, 3)));
        assert_eq!(jpeg_info(b"\x89PNG\r\n"), None);
        assert_eq!(jpeg_info(&jpeg[..10]), None);
    }
}
