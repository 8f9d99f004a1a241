//! Attaching photos through `GridPatrol`: what is recorded (one transaction, two events),
//! the same photo taken in twice, target checks, and every bad photo refused with nothing saved.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use gridpatrol_core::api::records::{EvidenceTarget, Verdict};
use gridpatrol_core::evidence::hash_file_streaming;
use gridpatrol_core::GridPatrolError;
use rusqlite::Connection;

use super::support::files_under;
use crate::{photo, Fixture};

fn answer(inspection_id: &str, item_id: &str) -> EvidenceTarget {
    EvidenceTarget::Answer {
        inspection_id: inspection_id.into(),
        item_id: item_id.into(),
    }
}

/// Journal kinds from `from_seq` on.
fn kinds_since(f: &Fixture, from_seq: u64) -> Vec<String> {
    let conn = Connection::open(f.db_path()).unwrap();
    let mut stmt = conn
        .prepare("SELECT kind FROM events WHERE device_seq >= ?1 ORDER BY device_seq")
        .unwrap();
    let rows = stmt.query_map([from_seq], |r| r.get(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

fn count(f: &Fixture, table: &str) -> u64 {
    let conn = Connection::open(f.db_path()).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn evidence_dir(f: &Fixture) -> PathBuf {
    f.dir.path().join("evidence")
}

#[test]
fn a_photo_attached_to_an_answer_is_recorded_listed_and_queued() {
    let f = Fixture::new();
    let id =
        f.gp.start_inspection("CY-JS-001".into())
            .unwrap()
            .inspection_id;
    f.gp.answer_item(id.clone(), "R01".into(), Verdict::Fail, None, true)
        .unwrap();
    let src = photo("exif_full.jpg");
    let info = f.gp.attach_photo(answer(&id, "R01"), src.clone()).unwrap();

    let stored = hash_file_streaming(Path::new(&info.path)).unwrap();
    assert_eq!(
        (stored.sha256.to_hex(), stored.bytes),
        (info.sha256.clone(), info.bytes)
    );
    assert_eq!(
        Path::new(&info.path),
        evidence_dir(&f).join(format!("{}.jpg", info.sha256))
    );
    let thumb = hash_file_streaming(Path::new(&info.thumbnail_path)).unwrap();
    assert_eq!(thumb.bytes, info.thumbnail_bytes);
    let original = hash_file_streaming(Path::new(&src)).unwrap();
    assert_eq!(info.original_sha256, original.sha256.to_hex());
    assert_eq!(info.original_bytes, original.bytes);
    assert_eq!(
        (info.original_format.as_str(), info.orientation),
        ("jpeg", 1)
    );
    assert_eq!((info.width, info.height), (64, 48));
    assert_eq!(
        info.captured_at.as_deref(),
        Some("2024-05-17T09:41:27.250+08:00")
    );
    let place = info.location.clone().expect("EXIF GPS");
    assert!((place.latitude - 39.9042).abs() < 1e-6 && (place.longitude - 116.4074).abs() < 1e-6);
    assert!(info.stored);

    assert_eq!(
        f.gp.list_evidence(answer(&id, "R01")).unwrap(),
        vec![info.clone()]
    );
    assert!(f.gp.list_evidence(answer(&id, "E01")).unwrap().is_empty());
    let r01 =
        f.gp.checklist(id.clone())
            .unwrap()
            .into_iter()
            .find(|e| e.item_id == "R01");
    assert_eq!(r01.unwrap().photo_count, 1);
    // Both events in the one transaction, after the answer; the blob queued for upload.
    assert_eq!(kinds_since(&f, 3), ["evidence.added", "evidence.attached"]);
    let outbox = f.gp.outbox_status().unwrap();
    assert_eq!((outbox.events_pending, outbox.blobs_pending), (4, 1));
    assert!(f.gp.verify_journal().unwrap().intact);
}

#[test]
fn the_same_photo_twice_is_one_evidence_row_and_is_not_decoded_again() {
    let f = Fixture::new();
    let id =
        f.gp.start_inspection("CY-JS-002".into())
            .unwrap()
            .inspection_id;
    let draft = f.gp.ingest_photo(photo("orientation_6.jpg")).unwrap();
    assert_eq!((draft.width, draft.height, draft.orientation), (48, 32, 6));
    let inode = std::fs::metadata(&draft.path).unwrap().ino();

    let first =
        f.gp.attach_photo(answer(&id, "E01"), photo("orientation_6.jpg"))
            .unwrap();
    let second =
        f.gp.attach_photo(answer(&id, "E02"), photo("orientation_6.jpg"))
            .unwrap();
    assert_eq!(first, draft);
    assert_eq!(second, draft);
    // Known by the original's hash: the stored file was not written again.
    assert_eq!(std::fs::metadata(&draft.path).unwrap().ino(), inode);
    let events = f.gp.outbox_status().unwrap().events_pending;
    // Attaching it to the same answer again records nothing.
    f.gp.attach_photo(answer(&id, "E01"), photo("orientation_6.jpg"))
        .unwrap();
    assert_eq!(f.gp.outbox_status().unwrap().events_pending, events);

    assert_eq!(
        kinds_since(&f, 2),
        ["evidence.added", "evidence.attached", "evidence.attached"]
    );
    assert_eq!((count(&f, "evidence"), count(&f, "evidence_links")), (1, 2));
    assert_eq!(files_under(&evidence_dir(&f)).len(), 2);
}

#[test]
fn targets_are_checked_and_a_refused_target_saves_nothing() {
    let f = Fixture::new();
    let done = f.inspect("CY-JS-003", &[]);
    f.gp.finish_inspection(done.clone()).unwrap();
    let open =
        f.gp.start_inspection("CY-JS-002".into())
            .unwrap()
            .inspection_id;
    let events = f.gp.outbox_status().unwrap().events_pending;
    let cases = [
        (
            answer("nope", "E01"),
            "NotFound",
            "inspection 'nope' does not exist".to_string(),
        ),
        (
            answer(&done, "E01"),
            "Conflict",
            format!("inspection '{done}' is already finished"),
        ),
        (
            answer(&open, "G01"),
            "InvalidInput",
            "item G01 is not on this inspection's checklist".into(),
        ),
        (
            EvidenceTarget::Hazard {
                hazard_id: "h".into(),
            },
            "NotFound",
            "hazard 'h' does not exist".into(),
        ),
    ];
    for (target, kind, reason) in cases {
        let err =
            f.gp.attach_photo(target, photo("exif_full.jpg"))
                .unwrap_err();
        let got = match &err {
            GridPatrolError::NotFound { .. } => "NotFound",
            GridPatrolError::Conflict { .. } => "Conflict",
            GridPatrolError::InvalidInput { .. } => "InvalidInput",
            _ => "other",
        };
        assert_eq!((got, err.to_string()), (kind, reason));
    }
    assert_eq!(f.gp.outbox_status().unwrap().events_pending, events);
    assert_eq!(files_under(&evidence_dir(&f)), Vec::<PathBuf>::new());
    assert_eq!(count(&f, "evidence"), 0);
}

#[test]
fn a_hazard_takes_photos_after_the_inspection() {
    let f = Fixture::new();
    let id = f.inspect("CY-JS-004", &["B01"]);
    let summary = f.gp.finish_inspection(id).unwrap();
    let hazard = EvidenceTarget::Hazard {
        hazard_id: summary.hazards[0].hazard_id.clone(),
    };
    let fixed = f.gp.attach_photo(hazard.clone(), photo("rgb.png")).unwrap();
    assert_eq!(fixed.original_format, "png");
    assert_eq!(f.gp.list_evidence(hazard).unwrap(), vec![fixed]);
    assert!(f.gp.verify_journal().unwrap().intact);
}

/// A baseline JPEG header declaring `w`x`h` followed by `data` bytes of scan data.
fn declared_jpeg(w: u16, h: u16, data: usize) -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08];
    jpeg.extend_from_slice(&h.to_be_bytes());
    jpeg.extend_from_slice(&w.to_be_bytes());
    jpeg.extend_from_slice(&[0x01, 0x01, 0x11, 0x00]);
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
    jpeg.resize(jpeg.len() + data, 0x55);
    jpeg
}

#[test]
fn every_bad_photo_has_its_own_error_and_saves_nothing() {
    let f = Fixture::new();
    let id =
        f.gp.start_inspection("CY-JS-001".into())
            .unwrap()
            .inspection_id;
    let work = tempfile::tempdir().unwrap();
    // 12,000 x 11,000 = 132 MP in 16 KB: plausible data (8,000 px/byte), over the 120 MP limit.
    let huge = work.path().join("huge.jpg");
    std::fs::write(&huge, declared_jpeg(12_000, 11_000, 16_500)).unwrap();
    let cases: [(String, &str, &str); 6] = [
        (
            photo("empty.jpg"),
            "InvalidInput",
            "the photo file is empty (0 bytes)",
        ),
        (
            photo("not_image.jpg"),
            "InvalidInput",
            "the file is not a JPEG or PNG image",
        ),
        (
            photo("truncated.jpg"),
            "InvalidInput",
            "the image file is truncated: it ends before its image data is complete",
        ),
        (
            photo("bomb.png"),
            "InvalidInput",
            "refused a likely decompression bomb: a 661-byte file declares 100000x100000 \
             pixels, far more than its data can hold",
        ),
        (
            huge.display().to_string(),
            "InvalidInput",
            "the image has 12000x11000 pixels, over the limit of 120000000 pixels",
        ),
        (
            photo("no-such-photo.jpg"),
            "NotFound",
            "the photo file does not exist",
        ),
    ];
    let events = f.gp.outbox_status().unwrap().events_pending;
    for (src, kind, reason) in cases {
        for target in [Some(answer(&id, "E01")), None] {
            let err = match target {
                Some(t) => f.gp.attach_photo(t, src.clone()),
                None => f.gp.ingest_photo(src.clone()),
            }
            .unwrap_err();
            let got = match &err {
                GridPatrolError::InvalidInput { .. } => "InvalidInput",
                GridPatrolError::NotFound { .. } => "NotFound",
                _ => "other",
            };
            assert_eq!((got, err.to_string().as_str()), (kind, reason), "{src}");
        }
    }
    assert_eq!(f.gp.outbox_status().unwrap().events_pending, events);
    assert_eq!(files_under(&evidence_dir(&f)), Vec::<PathBuf>::new());
    assert_eq!((count(&f, "evidence"), count(&f, "evidence_files")), (0, 0));
}

#[test]
fn originals_that_come_out_identical_share_one_evidence_file() {
    let f = Fixture::new();
    // The same upright picture stored rotated (EXIF 3) and mirrored (EXIF 7): once upright,
    // the pixels and so the evidence file are the same.
    let a = f.gp.ingest_photo(photo("orientation_3.jpg")).unwrap();
    let b = f.gp.ingest_photo(photo("orientation_7.jpg")).unwrap();
    assert_eq!(a.sha256, b.sha256);
    assert_ne!(
        hash_file_streaming(Path::new(&photo("orientation_3.jpg")))
            .unwrap()
            .sha256,
        hash_file_streaming(Path::new(&photo("orientation_7.jpg")))
            .unwrap()
            .sha256
    );
    assert_eq!(count(&f, "evidence"), 1);
    assert_eq!(kinds_since(&f, 1), ["evidence.added"]);
}

#[test]
fn a_photo_whose_files_were_deleted_from_outside_is_stored_again() {
    let f = Fixture::new();
    let first = f.gp.ingest_photo(photo("gray.jpg")).unwrap();
    std::fs::remove_file(&first.path).unwrap();
    assert_eq!(f.gp.verify_evidence().unwrap().problems.len(), 1);
    let again = f.gp.ingest_photo(photo("gray.jpg")).unwrap();
    assert_eq!(again.sha256, first.sha256);
    assert!(Path::new(&again.path).exists());
    assert!(f.gp.verify_evidence().unwrap().problems.is_empty());
    assert_eq!(kinds_since(&f, 1), ["evidence.added"]);
}
