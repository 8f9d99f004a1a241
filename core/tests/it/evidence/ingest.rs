//! Photos that must be accepted: every orientation, every colour model, large and small.

use gridpatrol_core::evidence::{
    hash_file_streaming, normalize_photo, Limits, Orientation, PhotoNormalizer, SourceFormat,
};

use super::support::*;

#[test]
fn every_exif_orientation_comes_out_upright() {
    for n in 1..=8u32 {
        let dest = tempfile::tempdir().unwrap();
        let src = fixture(&format!("orientation_{n}.jpg"));
        let photo = normalize_photo(&src, dest.path(), &Limits::default()).unwrap();
        assert_eq!(photo.orientation.exif_value(), n);
        assert_eq!(
            (photo.evidence.width, photo.evidence.height),
            (48, 32),
            "orientation {n}: upright size"
        );
        assert_upright_marker(&photo.evidence.path, &format!("orientation {n}"));
        assert_upright_marker(&photo.thumbnail.path, &format!("orientation {n} thumb"));
    }
}

#[test]
fn capture_time_gps_and_hashes_are_reported() {
    let dest = tempfile::tempdir().unwrap();
    let src = fixture("exif_full.jpg");
    let photo = normalize_photo(&src, dest.path(), &Limits::default()).unwrap();

    let time = photo.capture_time.expect("DateTimeOriginal");
    assert_eq!(time.to_rfc3339(), "2024-05-17T09:41:27.250+08:00");
    let gps = photo.gps.expect("GPS");
    assert!((gps.latitude - 39.9042).abs() < 1e-6, "{gps:?}");
    assert!((gps.longitude - 116.4074).abs() < 1e-6, "{gps:?}");
    assert_eq!(gps.altitude_m, Some(43.5));

    let original = hash_file_streaming(&src).unwrap();
    assert_eq!(photo.original.sha256, original.sha256);
    assert_eq!(photo.original.bytes, original.bytes);
    assert_eq!(photo.original.format, SourceFormat::Jpeg);
    assert_eq!((photo.original.width, photo.original.height), (64, 48));

    let stored = hash_file_streaming(&photo.evidence.path).unwrap();
    assert_eq!(stored.sha256, photo.evidence.sha256);
    assert_eq!(stored.bytes, photo.evidence.bytes);
    let name = format!("{}.jpg", photo.evidence.sha256);
    assert_eq!(photo.evidence.path, dest.path().join(&name));
    assert_eq!(photo.thumbnail.path, dest.path().join("thumbs").join(&name));
    assert_eq!(
        files_under(dest.path()),
        vec![photo.evidence.path.clone(), photo.thumbnail.path.clone()]
    );
}

#[test]
fn evidence_copy_carries_no_exif_gps_or_device_data() {
    let dest = tempfile::tempdir().unwrap();
    let photo =
        normalize_photo(&fixture("exif_full.jpg"), dest.path(), &Limits::default()).unwrap();
    for path in [&photo.evidence.path, &photo.thumbnail.path] {
        let bytes = std::fs::read(path).unwrap();
        let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        assert!(!contains(b"Exif\0\0"), "APP1 EXIF present in {path:?}");
        assert!(
            !contains(b"GridCam") && !contains(b"GC-1"),
            "device data in {path:?}"
        );
        assert!(!contains(b"2024:05:17"), "capture time in {path:?}");
    }
}

#[test]
fn photo_without_exif_has_no_time_or_place() {
    let dest = tempfile::tempdir().unwrap();
    let photo = normalize_photo(&fixture("no_exif.jpg"), dest.path(), &Limits::default()).unwrap();
    assert_eq!(photo.orientation, Orientation::Normal);
    assert!(photo.capture_time.is_none() && photo.gps.is_none());
    assert_upright_marker(&photo.evidence.path, "no exif");
}

#[test]
fn progressive_jpeg_with_rotation() {
    let dest = tempfile::tempdir().unwrap();
    let src = fixture("progressive_orientation_6.jpg");
    let photo = normalize_photo(&src, dest.path(), &Limits::default()).unwrap();
    assert_eq!(photo.orientation, Orientation::Rotate90);
    assert_eq!((photo.original.width, photo.original.height), (64, 48));
    assert_eq!((photo.evidence.width, photo.evidence.height), (48, 64));
    assert_upright_marker(&photo.evidence.path, "progressive");
}

#[test]
fn cmyk_jpeg_becomes_rgb_with_the_right_colours() {
    let dest = tempfile::tempdir().unwrap();
    let photo = normalize_photo(&fixture("cmyk.jpg"), dest.path(), &Limits::default()).unwrap();
    assert_upright_marker(&photo.evidence.path, "cmyk");
}

#[test]
fn gray_jpeg_stays_gray() {
    let dest = tempfile::tempdir().unwrap();
    let photo = normalize_photo(&fixture("gray.jpg"), dest.path(), &Limits::default()).unwrap();
    let mut decoder =
        jpeg_decoder::Decoder::new(std::fs::File::open(&photo.evidence.path).unwrap());
    decoder.read_info().unwrap();
    assert_eq!(
        decoder.info().unwrap().pixel_format,
        jpeg_decoder::PixelFormat::L8
    );
}

#[test]
fn png_alpha_is_composited_on_white() {
    let dest = tempfile::tempdir().unwrap();
    let photo = normalize_photo(&fixture("alpha.png"), dest.path(), &Limits::default()).unwrap();
    assert_eq!(photo.original.format, SourceFormat::Png);
    let img = decode_rgb(&photo.evidence.path);
    assert_close(pixel(&img, 10, 24), TOP_LEFT, "opaque red half");
    assert_close(pixel(&img, 54, 24), [255, 255, 255], "transparent half");
}

#[test]
fn png_rgb_palette_and_16_bit_are_accepted() {
    for name in ["rgb.png", "palette.png"] {
        let dest = tempfile::tempdir().unwrap();
        let photo = normalize_photo(&fixture(name), dest.path(), &Limits::default()).unwrap();
        assert_upright_marker(&photo.evidence.path, name);
    }
    let dest = tempfile::tempdir().unwrap();
    let photo = normalize_photo(&fixture("gray16.png"), dest.path(), &Limits::default()).unwrap();
    assert_eq!((photo.evidence.width, photo.evidence.height), (64, 48));
}

#[test]
fn large_photo_is_dct_scaled_resized_and_rotated() {
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("big.jpg");
    // Stored 4000x3000 with orientation 6: shown 3000x4000, scaled 1/2 in the IDCT.
    write_marker_jpeg(&src, 4000, 3000, 6);
    let before = snapshot(&src);
    let dest = work.path().join("evidence");
    let photo = normalize_photo(&src, &dest, &Limits::default()).unwrap();
    assert_eq!(photo.decode_reduction, 2);
    assert_eq!((photo.evidence.width, photo.evidence.height), (1200, 1600));
    assert_eq!((photo.thumbnail.width, photo.thumbnail.height), (240, 320));
    assert_upright_marker(&photo.evidence.path, "big evidence");
    assert_upright_marker(&photo.thumbnail.path, "big thumb");
    assert_eq!(decode_rgb(&photo.evidence.path).0, 1200);
    assert!(snapshot(&src) == before, "the original was modified");
}

#[test]
fn very_large_photo_uses_quarter_scale_decode() {
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("huge.jpg");
    write_marker_jpeg(&src, 6600, 4400, 1);
    let photo = normalize_photo(&src, &work.path().join("ev"), &Limits::default()).unwrap();
    assert_eq!(photo.decode_reduction, 4);
    assert_eq!((photo.evidence.width, photo.evidence.height), (1600, 1067));
    assert_upright_marker(&photo.evidence.path, "huge");
}

#[test]
fn large_png_is_reduced_while_streaming_and_rotated_by_its_exif_chunk() {
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("big.png");
    write_marker_png(&src, 3300, 2000, 6);
    let photo = normalize_photo(&src, &work.path().join("ev"), &Limits::default()).unwrap();
    assert_eq!(photo.original.format, SourceFormat::Png);
    assert_eq!(photo.orientation, Orientation::Rotate90);
    assert_eq!(photo.decode_reduction, 2);
    assert_eq!((photo.evidence.width, photo.evidence.height), (970, 1600));
    assert_upright_marker(&photo.evidence.path, "big png");
}

#[test]
fn same_photo_twice_gives_the_same_content_address() {
    let dest = tempfile::tempdir().unwrap();
    let normalizer = PhotoNormalizer::new(Limits::default());
    let a = normalizer
        .normalize(&fixture("exif_full.jpg"), dest.path())
        .unwrap();
    let b = normalizer
        .normalize(&fixture("exif_full.jpg"), dest.path())
        .unwrap();
    assert_eq!(
        (&a.evidence.path, a.evidence.sha256, a.evidence.bytes),
        (&b.evidence.path, b.evidence.sha256, b.evidence.bytes)
    );
    assert!(
        a.evidence.created && !b.evidence.created,
        "the second call found it there"
    );
    assert_eq!(files_under(dest.path()).len(), 2);
}
