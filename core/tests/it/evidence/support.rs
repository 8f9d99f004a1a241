//! Shared helpers: fixture paths, decoding outputs, and "nothing left behind" checks.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/photos")
        .join(name)
}

/// Decodes a JPEG to RGB (gray is expanded) for pixel checks.
pub fn decode_rgb(path: &Path) -> (u32, u32, Vec<u8>) {
    let mut decoder = jpeg_decoder::Decoder::new(std::fs::File::open(path).unwrap());
    let pixels = decoder.decode().unwrap();
    let info = decoder.info().unwrap();
    let rgb = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&v| [v, v, v]).collect(),
        jpeg_decoder::PixelFormat::RGB24 => pixels,
        other => panic!("unexpected output pixel format {other:?}"),
    };
    (u32::from(info.width), u32::from(info.height), rgb)
}

pub fn pixel(image: &(u32, u32, Vec<u8>), x: u32, y: u32) -> [u8; 3] {
    let at = ((y * image.0 + x) * 3) as usize;
    [image.2[at], image.2[at + 1], image.2[at + 2]]
}

pub fn assert_close(got: [u8; 3], want: [u8; 3], what: &str) {
    let ok = got.iter().zip(want).all(|(&g, w)| g.abs_diff(w) <= 40);
    assert!(ok, "{what}: got {got:?}, want about {want:?}");
}

/// The upright orientation marker's quadrant colours (scripts/gen-photos.py QUADRANTS).
pub const TOP_LEFT: [u8; 3] = [220, 30, 30];
pub const TOP_RIGHT: [u8; 3] = [30, 190, 30];
pub const BOTTOM_LEFT: [u8; 3] = [30, 30, 220];
pub const BOTTOM_RIGHT: [u8; 3] = [235, 225, 40];

/// Checks the four quadrant centres of an upright marker image.
pub fn assert_upright_marker(path: &Path, what: &str) {
    let img = decode_rgb(path);
    let (w, h) = (img.0, img.1);
    assert_close(
        pixel(&img, w / 4, h / 4),
        TOP_LEFT,
        &format!("{what} top-left"),
    );
    assert_close(
        pixel(&img, 3 * w / 4, h / 4),
        TOP_RIGHT,
        &format!("{what} top-right"),
    );
    assert_close(
        pixel(&img, w / 4, 3 * h / 4),
        BOTTOM_LEFT,
        &format!("{what} bottom-left"),
    );
    assert_close(
        pixel(&img, 3 * w / 4, 3 * h / 4),
        BOTTOM_RIGHT,
        &format!("{what} bottom-right"),
    );
}

/// All regular files under `dir` (recursively); empty if `dir` does not exist.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Content and modification time of a file, to prove the original was not touched.
pub fn snapshot(path: &Path) -> (Vec<u8>, SystemTime) {
    let meta = std::fs::metadata(path).unwrap();
    (std::fs::read(path).unwrap(), meta.modified().unwrap())
}

/// A minimal little-endian EXIF (TIFF) block holding only an Orientation tag.
pub fn exif_with_orientation(orientation: u16) -> Vec<u8> {
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes()); // IFD0 offset
    tiff.extend_from_slice(&1u16.to_le_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_le_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_le_bytes()); // count
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
    tiff
}

/// Pixels of a `width`x`height` quadrant marker stored for EXIF `orientation` 1 or 6 (for 6,
/// the stored pixels are the upright marker rotated 90° counter-clockwise), lightly textured.
fn marker_pixels(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    let (uw, uh) = if orientation == 6 { (h, w) } else { (w, h) };
    let upright = |x: usize, y: usize| match (x < uw / 2, y < uh / 2) {
        (true, true) => TOP_LEFT,
        (false, true) => TOP_RIGHT,
        (true, false) => BOTTOM_LEFT,
        (false, false) => BOTTOM_RIGHT,
    };
    let mut data = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            // Orientation 6 displays stored (x, y) at upright (h - 1 - y, x).
            let px = if orientation == 6 {
                upright(h - 1 - y, x)
            } else {
                upright(x, y)
            };
            // A little texture so the encoders have real work.
            let t = ((x * 7 + y * 13) % 9) as u8;
            data.extend(px.iter().map(|&c| c.saturating_add(t)));
        }
    }
    data
}

/// Writes a quadrant-marker JPEG with an EXIF orientation of 1 or 6.
pub fn write_marker_jpeg(path: &Path, width: u16, height: u16, orientation: u16) {
    let data = marker_pixels(u32::from(width), u32::from(height), orientation);
    let mut encoder = jpeg_encoder::Encoder::new_file(path, 90).unwrap();
    encoder
        .add_exif_metadata(&exif_with_orientation(orientation))
        .unwrap();
    encoder
        .encode(&data, width, height, jpeg_encoder::ColorType::Rgb)
        .unwrap();
}

/// Writes a quadrant-marker RGB PNG with an `eXIf` chunk holding orientation 1 or 6.
pub fn write_marker_png(path: &Path, width: u32, height: u32, orientation: u16) {
    let mut info = png::Info::with_size(width, height);
    info.color_type = png::ColorType::Rgb;
    info.bit_depth = png::BitDepth::Eight;
    info.exif_metadata = Some(exif_with_orientation(orientation).into());
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut writer = png::Encoder::with_info(file, info)
        .unwrap()
        .write_header()
        .unwrap();
    writer
        .write_image_data(&marker_pixels(width, height, orientation))
        .unwrap();
}
