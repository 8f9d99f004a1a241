//! Inputs that must be refused, each with its own error, leaving nothing behind.

use std::path::Path;

use gridpatrol_core::evidence::{normalize_photo, ErrorClass, EvidenceError, Limits};

use super::support::*;

/// Runs the pipeline on `src`, expecting failure; checks the original and the folder.
fn refuse(src: &Path, limits: &Limits) -> EvidenceError {
    let dest = tempfile::tempdir().unwrap();
    let before = src.exists().then(|| snapshot(src));
    let err = normalize_photo(src, &dest.path().join("evidence"), limits).unwrap_err();
    assert_eq!(
        files_under(dest.path()),
        Vec::<std::path::PathBuf>::new(),
        "left behind"
    );
    if let Some(before) = before {
        assert!(snapshot(src) == before, "original modified");
    }
    assert!(!err.to_string().is_empty());
    err
}

#[test]
fn zero_byte_file_is_empty() {
    let err = refuse(&fixture("empty.jpg"), &Limits::default());
    assert!(matches!(err, EvidenceError::EmptyFile), "{err:?}");
    assert_eq!(err.class(), ErrorClass::InvalidInput);
}

#[test]
fn text_file_is_not_an_image() {
    let err = refuse(&fixture("not_image.jpg"), &Limits::default());
    assert!(matches!(err, EvidenceError::NotAnImage), "{err:?}");
}

#[test]
fn truncated_jpeg_is_truncated() {
    let err = refuse(&fixture("truncated.jpg"), &Limits::default());
    assert!(matches!(err, EvidenceError::Truncated), "{err:?}");
    assert_eq!(err.class(), ErrorClass::InvalidInput);
}

#[test]
fn truncated_png_is_truncated() {
    let work = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("rgb.png")).unwrap();
    let src = work.path().join("cut.png");
    std::fs::write(&src, &bytes[..bytes.len() - 40]).unwrap();
    let err = refuse(&src, &Limits::default());
    assert!(matches!(err, EvidenceError::Truncated), "{err:?}");
}

#[test]
fn png_declaring_100k_by_100k_is_a_bomb() {
    let err = refuse(&fixture("bomb.png"), &Limits::default());
    assert!(
        matches!(
            err,
            EvidenceError::DecompressionBomb {
                width: 100_000,
                height: 100_000,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn image_over_the_pixel_limit_is_refused() {
    let limits = Limits {
        max_pixels: 1000,
        ..Limits::default()
    };
    let err = refuse(&fixture("exif_full.jpg"), &limits);
    assert!(
        matches!(
            err,
            EvidenceError::TooManyPixels {
                width: 64,
                height: 48,
                max_pixels: 1000
            }
        ),
        "{err:?}"
    );
    let err = refuse(&fixture("rgb.png"), &limits);
    assert!(
        matches!(err, EvidenceError::TooManyPixels { .. }),
        "{err:?}"
    );
}

#[test]
fn file_over_the_size_limit_is_refused_before_reading() {
    let limits = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    let err = refuse(&fixture("exif_full.jpg"), &limits);
    assert!(
        matches!(err, EvidenceError::FileTooLarge { max_bytes: 100, .. }),
        "{err:?}"
    );
}

#[test]
fn missing_file_is_not_found() {
    let err = refuse(Path::new("/nonexistent/photo.jpg"), &Limits::default());
    assert!(matches!(err, EvidenceError::SourceNotFound), "{err:?}");
    assert_eq!(err.class(), ErrorClass::NotFound);
}

#[test]
fn jpeg_with_garbage_after_header_is_corrupt_or_truncated() {
    let work = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(fixture("exif_full.jpg")).unwrap();
    let sos = bytes.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    bytes.truncate(sos);
    bytes.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x03, 0xFF, 0xFF, 0xFF, 0xD9]);
    let src = work.path().join("garbage.jpg");
    std::fs::write(&src, &bytes).unwrap();
    let err = refuse(&src, &Limits::default());
    assert!(
        matches!(
            err,
            EvidenceError::Corrupt { .. } | EvidenceError::Truncated
        ),
        "{err:?}"
    );
}
