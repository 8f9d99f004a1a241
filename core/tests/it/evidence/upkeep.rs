//! Keeping the evidence folder honest: verification names changed and missing files; garbage
//! collection removes abandoned drafts, never attached photos, and leaves the journal intact.

use std::path::Path;

use gridpatrol_core::api::records::EvidenceTarget;
use rusqlite::Connection;

use crate::{open, photo, Fixture};

#[test]
fn verification_names_a_changed_and_a_missing_file() {
    let f = Fixture::new();
    let a = f.gp.ingest_photo(photo("gray.jpg")).unwrap();
    let b = f.gp.ingest_photo(photo("alpha.png")).unwrap();
    let report = f.gp.verify_evidence().unwrap();
    assert_eq!((report.checked, report.problems.len()), (2, 0));

    let mut bytes = std::fs::read(&a.path).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x40;
    std::fs::write(&a.path, bytes).unwrap();
    std::fs::remove_file(&b.thumbnail_path).unwrap();
    let mut problems = f.gp.verify_evidence().unwrap().problems;
    problems.sort_by(|x, y| x.path.cmp(&y.path));
    let mut expected = vec![
        (a.path.clone(), a.sha256.clone()),
        (b.thumbnail_path.clone(), b.sha256.clone()),
    ];
    expected.sort();
    assert_eq!(
        problems
            .iter()
            .map(|p| (p.path.clone(), p.sha256.clone()))
            .collect::<Vec<_>>(),
        expected
    );
    for p in &problems {
        if p.path == a.path {
            assert!(
                p.problem
                    .starts_with("evidence file does not match its record"),
                "{}",
                p.problem
            );
        } else {
            assert_eq!(p.problem, "thumbnail is missing");
        }
    }
}

#[test]
fn abandoned_drafts_are_collected_and_attached_photos_never() {
    let f = Fixture::new();
    let id =
        f.gp.start_inspection("CY-JS-001".into())
            .unwrap()
            .inspection_id;
    let draft = f.gp.ingest_photo(photo("cmyk.jpg")).unwrap();
    let kept =
        f.gp.attach_photo(
            EvidenceTarget::Answer {
                inspection_id: id,
                item_id: "E01".into(),
            },
            photo("orientation_5.jpg"),
        )
        .unwrap();

    // Within the grace period nothing goes.
    assert_eq!(f.gp.collect_garbage(Some(3600)).unwrap().collected, 0);
    let report = f.gp.collect_garbage(Some(0)).unwrap();
    assert_eq!(report.collected, 1);
    assert_eq!(report.bytes_freed, draft.bytes + draft.thumbnail_bytes);
    assert!(!Path::new(&draft.path).exists() && !Path::new(&draft.thumbnail_path).exists());
    assert!(Path::new(&kept.path).exists() && Path::new(&kept.thumbnail_path).exists());
    assert_eq!(f.gp.collect_garbage(Some(0)).unwrap().collected, 0);

    // evidence.added stays in the journal and its row stays: replay still agrees.
    let journal = f.gp.verify_journal().unwrap();
    assert!(journal.intact, "{:?}", journal.projection_differences);
    let evidence = f.gp.verify_evidence().unwrap();
    assert_eq!((evidence.checked, evidence.problems.len()), (1, 0));

    // Taken in again, the draft is stored again under the same hash, with no new event.
    let events = f.gp.outbox_status().unwrap().events_pending;
    let again = f.gp.ingest_photo(photo("cmyk.jpg")).unwrap();
    assert_eq!(
        (again.sha256.as_str(), again.stored),
        (draft.sha256.as_str(), true)
    );
    assert!(Path::new(&again.path).exists() && Path::new(&again.thumbnail_path).exists());
    assert_eq!(f.gp.outbox_status().unwrap().events_pending, events);
    assert_eq!(f.gp.verify_evidence().unwrap().checked, 2);
}

#[test]
fn old_drafts_and_unrecorded_files_are_removed_when_the_core_opens() {
    let f = Fixture::new();
    let old = f.gp.ingest_photo(photo("palette.png")).unwrap();
    let recent =
        f.gp.ingest_photo(photo("progressive_orientation_6.jpg"))
            .unwrap();
    f.gp.shutdown();
    let conn = Connection::open(f.db_path()).unwrap();
    conn.execute(
        "UPDATE evidence_files SET stored_at = '2020-01-01T00:00:00.000Z' WHERE sha256 = ?1",
        [&old.sha256],
    )
    .unwrap();
    drop(conn);

    // A photo placed by an ingest that was killed before its transaction: no row names it.
    let orphan = f
        .dir
        .path()
        .join("evidence")
        .join(format!("{}.jpg", "ab".repeat(32)));
    std::fs::copy(&recent.path, &orphan).unwrap();

    let gp = open(&f.dir);
    assert!(!orphan.exists());
    assert!(!Path::new(&old.path).exists());
    assert!(Path::new(&recent.path).exists());
    assert_eq!(gp.verify_evidence().unwrap().checked, 1);
    assert!(gp.verify_journal().unwrap().intact);
}
