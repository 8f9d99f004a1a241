//! Image files (PNG, JPEG) in, payloads out.

use gridpatrol_core::qr::{DecodeError, DecoderConfig, QrDecoder};

use super::{fixture, sorted, ALL};

#[test]
fn every_fixture_decodes_to_exactly_its_payloads() {
    let decoder = QrDecoder::new();
    for name in ALL {
        let f = fixture(name);
        let texts = decoder
            .decode_file(&f.path)
            .unwrap()
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert_eq!(sorted(texts), sorted(f.payloads.clone()), "{name}");
    }
}

#[test]
fn in_memory_bytes_decode_like_the_file() {
    let f = fixture("two_codes");
    let bytes = std::fs::read(&f.path).unwrap();
    let texts = QrDecoder::new()
        .decode_image_bytes(&bytes)
        .unwrap()
        .into_iter()
        .map(|c| c.text)
        .collect();
    assert_eq!(sorted(texts), sorted(f.payloads));
}

#[test]
fn chinese_text_payload_survives() {
    let codes = QrDecoder::new()
        .decode_file(&fixture("two_codes").path)
        .unwrap();
    assert!(
        codes.iter().any(|c| c.text.starts_with("网格巡查")),
        "{codes:?}"
    );
}

#[test]
fn light_on_dark_needs_the_inverted_pass() {
    let f = fixture("url_inverted");
    let without = QrDecoder::with_config(DecoderConfig {
        try_inverted: false,
        ..DecoderConfig::default()
    });
    assert!(without.decode_file(&f.path).unwrap().is_empty());
    assert_eq!(QrDecoder::new().decode_file(&f.path).unwrap().len(), 1);
}

#[test]
fn corners_land_on_the_symbol() {
    let f = fixture("url_rotated");
    let code = QrDecoder::new().decode_file(&f.path).unwrap().remove(0);
    assert!(code.corners.len() >= 3, "{:?}", code.corners);
    // every reported corner is within two modules (2.6 px each) of a labelled corner
    for p in &code.corners {
        let nearest = f
            .corners
            .iter()
            .map(|c| ((c[0] - p.x).powi(2) + (c[1] - p.y).powi(2)).sqrt())
            .fold(f32::MAX, f32::min);
        assert!(nearest < 6.0, "corner {p:?} is {nearest} px from the label");
    }
}

#[test]
fn unreadable_files_are_clear_errors() {
    let dir = std::env::temp_dir().join(format!("gridpatrol-qr-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let truncated = dir.join("truncated.png");
    let png = std::fs::read(fixture("url_rotated").path).unwrap();
    std::fs::write(&truncated, &png[..png.len() / 3]).unwrap();
    assert!(matches!(
        QrDecoder::new().decode_file(&truncated),
        Err(DecodeError::Image { .. })
    ));
    assert!(matches!(
        QrDecoder::new().decode_file(&dir.join("missing.jpg")),
        Err(DecodeError::Io { .. })
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}
