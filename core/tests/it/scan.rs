//! Scan-to-inspect through the public object: every verification outcome, starting an
//! inspection from a verified code with proof of presence (near, far, no fix), forged codes
//! starting nothing, camera frames with padded rows, inverted codes and several codes at once.
//! Codes are the committed fixtures of tests/fixtures/qr/ signed with the TEST-ONLY key.

use gridpatrol_core::api::scan_records::{LocationFix, Presence, ScanVerification};
use gridpatrol_core::geo;
use gridpatrol_core::qr::{load_luma_file, LumaImage};
use gridpatrol_core::GridPatrolError;

use crate::qr::fixtures_dir;
use crate::Fixture;

/// CY-JS-001's location in tests/fixtures/venues.json, picked on a GCJ-02 map.
const VENUE_GCJ: (f64, f64) = (39.884210, 116.462310);

/// A fresh installation with the sample venues and the TEST-ONLY key set.
fn installation() -> Fixture {
    let f = Fixture::new();
    let n =
        f.gp.import_signing_keys_file(qr_path("test-only-keys.json"))
            .unwrap();
    assert_eq!(n, 1);
    f
}

fn qr_path(name: &str) -> String {
    fixtures_dir().join(name).display().to_string()
}

/// The one payload of a fixture image.
fn payload(f: &Fixture, name: &str) -> String {
    let mut results = f.gp.scan_image(qr_path(&format!("{name}.png"))).unwrap();
    assert_eq!(results.len(), 1, "{name}");
    results.remove(0).text
}

fn fix_at(latitude: f64, longitude: f64, accuracy_m: f64) -> LocationFix {
    LocationFix {
        latitude,
        longitude,
        accuracy_m,
        provider: "gps".into(),
        mock: false,
        fix_time_ms: 1_795_000_000_000,
    }
}

/// Standing at CY-JS-001: its GCJ-02 map point converted to the WGS-84 a GPS reports.
fn fix_at_venue() -> LocationFix {
    let (lat, lon) = geo::gcj02_to_wgs84(VENUE_GCJ.0, VENUE_GCJ.1);
    fix_at(lat, lon, 12.0)
}

fn db(f: &Fixture) -> rusqlite::Connection {
    rusqlite::Connection::open(f.db_path()).unwrap()
}

fn count(f: &Fixture, table: &str) -> i64 {
    db(f)
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn every_verification_outcome_is_told_apart() {
    let f = installation();
    let verified = f.gp.scan_image(qr_path("signed_cy_js_001.png")).unwrap();
    assert_eq!(
        verified[0].verification,
        ScanVerification::Verified {
            venue_id: "CY-JS-001".into(),
            venue_name: "老北京炸酱面馆".into(),
            key_id: 1,
            issued_at: 1_780_000_000,
        }
    );
    let outcome = |name: &str| {
        let text = payload(&f, name);
        f.gp.verify_scan(text).unwrap()
    };
    assert_eq!(
        outcome("forged_cy_js_001"),
        ScanVerification::Forged { key_id: 1 }
    );
    assert_eq!(
        outcome("unknown_key"),
        ScanVerification::UnknownKey { key_id: 99 }
    );
    assert_eq!(
        outcome("venue_not_in_list"),
        ScanVerification::VenueNotInList {
            venue_id: "HD-ZGC-777".into(),
            key_id: 1,
            issued_at: 1_780_000_000,
        }
    );
    let url = payload(&f, "signed_cy_js_001");
    assert!(matches!(
        f.gp.verify_scan(url[..url.len() - 7].to_owned()).unwrap(),
        ScanVerification::Malformed { .. }
    ));
    for foreign in [
        "WIFI:S:cafe;T:WPA;P:secret;;",
        "https://weixin.qq.com/r/abc",
        "6901234567890",
    ] {
        assert_eq!(
            f.gp.verify_scan(foreign.into()).unwrap(),
            ScanVerification::NotGridpatrol,
            "{foreign}"
        );
    }
    // the bare token (without the URL) verifies like the URL
    let token = url.rsplit('/').next().unwrap().to_owned();
    assert!(matches!(
        f.gp.verify_scan(token).unwrap(),
        ScanVerification::Verified { .. }
    ));
}

#[test]
fn revoked_keys_and_revoked_venue_codes_are_refused() {
    let f = installation();
    let url = payload(&f, "signed_cy_js_001");
    // the venue's codes issued before a later date were revoked (a copy was found)
    db(&f)
        .execute(
            "INSERT INTO venue_code_revocations (venue_id, before) VALUES ('CY-JS-001', ?1)",
            [1_780_000_001],
        )
        .unwrap();
    assert_eq!(
        f.gp.verify_scan(url.clone()).unwrap(),
        ScanVerification::Revoked {
            venue_id: "CY-JS-001".into(),
            key_id: 1,
            issued_at: 1_780_000_000,
            key_revoked: false,
        }
    );
    // a reprinted code issued at the revocation time is fine again
    db(&f)
        .execute("UPDATE venue_code_revocations SET before = 1780000000", [])
        .unwrap();
    assert!(matches!(
        f.gp.verify_scan(url.clone()).unwrap(),
        ScanVerification::Verified { .. }
    ));
    // the key itself revoked: refused whatever the venue
    let keys = std::fs::read_to_string(qr_path("test-only-keys.json")).unwrap();
    f.gp.import_signing_keys(keys.replace("\"revoked\": false", "\"revoked\": true"))
        .unwrap();
    assert!(matches!(
        f.gp.verify_scan(url.clone()).unwrap(),
        ScanVerification::Revoked {
            key_revoked: true,
            ..
        }
    ));
    let err = f.gp.start_inspection_from_scan(url, None).unwrap_err();
    assert!(
        matches!(&err, GridPatrolError::Rejected { reason } if reason.contains("revoked")),
        "{err:?}"
    );
}

#[test]
fn a_forged_code_never_starts_an_inspection() {
    let f = installation();
    let forged = payload(&f, "forged_cy_js_001");
    let err =
        f.gp.start_inspection_from_scan(forged, Some(fix_at_venue()))
            .unwrap_err();
    match err {
        GridPatrolError::Rejected { reason } => assert!(reason.contains("forged"), "{reason}"),
        other => panic!("expected Rejected, got {other:?}"),
    }
    assert_eq!(count(&f, "events"), 0);
    assert_eq!(count(&f, "inspections"), 0);
    assert_eq!(count(&f, "venue_scans"), 0);
    assert_eq!(f.gp.outbox_status().unwrap().events_pending, 0);
}

#[test]
fn each_refusal_has_its_own_error_and_reason() {
    let f = installation();
    let cases = [
        (payload(&f, "unknown_key"), "unknown_key"),
        (payload(&f, "venue_not_in_list"), "venue_not_in_list"),
        ("WIFI:S:x;;".to_owned(), "not_gridpatrol"),
        ("https://gp.example.cn/q/AQAAAAE".to_owned(), "malformed"),
    ];
    for (text, outcome) in cases {
        let err = f.gp.start_inspection_from_scan(text, None).unwrap_err();
        let reason = err.to_string();
        assert!(reason.contains(outcome), "{outcome}: {reason}");
        let kind_ok = match outcome {
            "unknown_key" | "venue_not_in_list" => {
                matches!(err, GridPatrolError::NotFound { .. })
            }
            _ => matches!(err, GridPatrolError::InvalidInput { .. }),
        };
        assert!(kind_ok, "{outcome}: {err:?}");
    }
    assert_eq!(count(&f, "events"), 0);
}

#[test]
fn a_verified_scan_starts_the_inspection_and_records_proof_of_presence() {
    let f = installation();
    let url = payload(&f, "signed_cy_js_001");
    let started =
        f.gp.start_inspection_from_scan(url.clone(), Some(fix_at_venue()))
            .unwrap();
    assert!(!started.continued);
    assert_eq!(started.inspection.venue_id, "CY-JS-001");
    let scan = &started.scan;
    assert_eq!(scan.inspection_id, started.inspection.inspection_id);
    assert_eq!((scan.key_id, scan.issued_at), (1, 1_780_000_000));
    assert_eq!(scan.presence, Presence::Near);
    assert!(!scan.far_from_venue);
    // the GCJ-02 venue point was converted: standing on it is (almost) zero metres away
    assert!(scan.distance_m.unwrap() < 0.5, "{scan:?}");
    assert_eq!(scan.threshold_m, 212.0);
    assert_eq!(
        scan.location.as_ref().unwrap().fix_time_ms,
        1_795_000_000_000
    );

    // scanning again continues the same inspection and adds a second scan
    let again = f.gp.start_inspection_from_scan(url, None).unwrap();
    assert!(again.continued);
    assert_eq!(
        again.inspection.inspection_id,
        started.inspection.inspection_id
    );
    assert_eq!(again.scan.presence, Presence::NoFix);
    assert_eq!(again.scan.distance_m, None);
    let scans =
        f.gp.inspection_scans(started.inspection.inspection_id.clone())
            .unwrap();
    assert_eq!(scans.len(), 2);
    assert_eq!(scans[0], started.scan);

    // the journal: started + scanned, then scanned; the chain and the replay agree
    let kinds: Vec<String> = db(&f)
        .prepare("SELECT kind FROM events ORDER BY device_seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        kinds,
        ["inspection.started", "venue.scanned", "venue.scanned"]
    );
    let report = f.gp.verify_journal().unwrap();
    assert!(report.intact, "{report:?}");
    assert!(report.projection_differences.is_empty());
    assert_eq!(f.gp.outbox_status().unwrap().events_pending, 3);
}

#[test]
fn a_far_away_scan_is_flagged_not_blocked() {
    let f = installation();
    let url = payload(&f, "signed_cy_js_001");
    // the venue's raw GCJ-02 numbers taken as WGS-84: the ~500 m offset of the Chinese datum
    // (a phone that forgot to convert, or a scan from down the road)
    let raw = fix_at(VENUE_GCJ.0, VENUE_GCJ.1, 10.0);
    let started =
        f.gp.start_inspection_from_scan(url.clone(), Some(raw))
            .unwrap();
    assert_eq!(started.scan.presence, Presence::Far);
    assert!(started.scan.far_from_venue);
    let d = started.scan.distance_m.unwrap();
    assert!((300.0..800.0).contains(&d), "{d}");
    // 5 km away with a mock location: still recorded, still started
    let mut far = fix_at(VENUE_GCJ.0 + 0.045, VENUE_GCJ.1, 30.0);
    far.mock = true;
    let again = f.gp.start_inspection_from_scan(url, Some(far)).unwrap();
    assert!(again.continued && again.scan.far_from_venue);
    assert!(again.scan.location.unwrap().mock);
    assert!(f
        .gp
        .verify_journal()
        .unwrap()
        .projection_differences
        .is_empty());
}

#[test]
fn an_impossible_fix_is_refused_before_anything_is_written() {
    let f = installation();
    let url = payload(&f, "signed_cy_js_001");
    let err =
        f.gp.start_inspection_from_scan(url, Some(fix_at(123.0, 116.4, 5.0)))
            .unwrap_err();
    assert!(
        matches!(err, GridPatrolError::InvalidInput { .. }),
        "{err:?}"
    );
    assert_eq!(count(&f, "events"), 0);
}

/// The fixture's luma with junk after every row but the last, as a camera delivers it.
fn padded(luma: &LumaImage, pad: u32) -> (Vec<u8>, u32) {
    let mut bytes = Vec::new();
    for (y, row) in luma.pixels.chunks_exact(luma.width as usize).enumerate() {
        bytes.extend_from_slice(row);
        if y + 1 < luma.height as usize {
            bytes.extend((0..pad).map(|i| if i % 2 == 0 { 0 } else { 255 }));
        }
    }
    (bytes, luma.width + pad)
}

fn luma(name: &str) -> LumaImage {
    load_luma_file(&fixtures_dir().join(format!("{name}.png"))).unwrap()
}

#[test]
fn a_padded_camera_frame_is_scanned_and_verified() {
    let f = installation();
    let code = luma("signed_cy_js_001");
    let (bytes, stride) = padded(&code, 48);
    let results =
        f.gp.scan_frame(bytes, code.width, code.height, stride)
            .unwrap();
    assert_eq!(results.len(), 1);
    assert!(matches!(
        results[0].verification,
        ScanVerification::Verified { .. }
    ));
    assert_eq!(results[0].corners.len(), 4);
}

#[test]
fn an_inverted_code_is_scanned() {
    let f = installation();
    let mut code = luma("signed_cy_js_003");
    code.pixels.iter_mut().for_each(|p| *p = 255 - *p);
    let results =
        f.gp.scan_frame(code.pixels.clone(), code.width, code.height, code.width)
            .unwrap();
    assert_eq!(results.len(), 1);
    assert!(matches!(
        &results[0].verification,
        ScanVerification::Verified { venue_id, .. } if venue_id == "CY-JS-003"
    ));
}

#[test]
fn every_code_in_a_frame_is_returned_with_its_own_outcome() {
    let f = installation();
    let parts = [
        luma("signed_cy_js_001"),
        luma("forged_cy_js_001"),
        luma("venue_not_in_list"),
    ];
    // side by side on one frame (same height: same version and module size)
    let height = parts.iter().map(|p| p.height).max().unwrap();
    let width: u32 = parts.iter().map(|p| p.width).sum();
    let mut frame = vec![255u8; (width * height) as usize];
    let mut x0 = 0;
    for part in &parts {
        for y in 0..part.height {
            let src = &part.pixels[(y * part.width) as usize..][..part.width as usize];
            frame[(y * width + x0) as usize..][..part.width as usize].copy_from_slice(src);
        }
        x0 += part.width;
    }
    let results = f.gp.scan_frame(frame, width, height, width).unwrap();
    let mut outcomes: Vec<String> = results
        .iter()
        .map(|r| format!("{:?}", r.verification.outcome()))
        .collect();
    outcomes.sort();
    assert_eq!(outcomes, ["Forged", "VenueNotInList", "Verified"]);
}

#[test]
fn inconsistent_frame_sizes_are_invalid_input() {
    let f = installation();
    for (len, w, h, stride) in [(100, 20, 10, 20), (400, 20, 10, 19), (0, 0, 10, 0)] {
        let err = f.gp.scan_frame(vec![0; len], w, h, stride).unwrap_err();
        assert!(
            matches!(err, GridPatrolError::InvalidInput { .. }),
            "{w}x{h}/{stride}: {err:?}"
        );
    }
    // a blank frame is no code, not an error
    assert!(f
        .gp
        .scan_frame(vec![128; 64 * 48], 64, 48, 64)
        .unwrap()
        .is_empty());
}

#[test]
fn unreadable_or_missing_images_are_typed_errors() {
    let f = installation();
    let err = f.gp.scan_image(qr_path("no-such-file.png")).unwrap_err();
    assert!(matches!(err, GridPatrolError::NotFound { .. }), "{err:?}");
    let err = f.gp.scan_image(qr_path("two_codes.json")).unwrap_err();
    assert!(
        matches!(err, GridPatrolError::InvalidInput { .. }),
        "{err:?}"
    );
}

#[test]
fn a_bad_key_set_imports_nothing() {
    let f = Fixture::new();
    for bad in [
        "{}",
        r#"[{"key_id": 1, "public_key": "short", "revoked": false}]"#,
    ] {
        let err = f.gp.import_signing_keys(bad.into()).unwrap_err();
        assert!(
            matches!(err, GridPatrolError::InvalidInput { .. }),
            "{err:?}"
        );
    }
    assert_eq!(count(&f, "signing_keys"), 0);
    // without keys every signed code is an unknown key
    let url = payload(&f, "signed_cy_js_001");
    assert_eq!(
        f.gp.verify_scan(url).unwrap(),
        ScanVerification::UnknownKey { key_id: 1 }
    );
}
