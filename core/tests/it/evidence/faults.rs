//! Faults simulated through the `EvidenceFs` seam (`FaultyFs`): a full disk while writing, too
//! little free space before, a failed rename, and a photo that shrinks or fails while it is read.

use std::path::{Path, PathBuf};

use gridpatrol_core::evidence::{EvidenceError, FaultyFs, Limits, PhotoNormalizer, Vanish};

use super::support::*;

fn normalize(fs: FaultyFs, src: &Path, dest: &Path) -> Result<u64, EvidenceError> {
    PhotoNormalizer::new(Limits::default())
        .with_fs(fs)
        .normalize(src, dest)
        .map(|photo| photo.evidence.bytes)
}

#[test]
fn full_disk_on_either_file_leaves_nothing_behind() {
    let src = fixture("exif_full.jpg");
    let before = snapshot(&src);
    let evidence_bytes =
        normalize(FaultyFs::new(), &src, tempfile::tempdir().unwrap().path()).unwrap();
    // 0: the evidence temp file fails; evidence + 10: the thumbnail temp file fails.
    for budget in [0, 100, evidence_bytes + 10] {
        let dest = tempfile::tempdir().unwrap();
        let err =
            normalize(FaultyFs::new().disk_full_after(budget), &src, dest.path()).unwrap_err();
        assert!(
            matches!(err, EvidenceError::StorageFull(_)),
            "budget {budget}: {err:?}"
        );
        assert_eq!(
            err.to_string(),
            "not enough free storage to save the evidence photo"
        );
        assert_eq!(
            files_under(dest.path()),
            Vec::<PathBuf>::new(),
            "budget {budget}"
        );
    }
    assert!(snapshot(&src) == before);
}

#[test]
fn too_little_free_space_is_refused_before_decoding() {
    let dest = tempfile::tempdir().unwrap();
    let fs = FaultyFs::new()
        .free_space(5 * 1024 * 1024)
        // Reading the photo at all would fail: the refusal must come first.
        .vanishing(Vanish::IoError { after: 0 });
    let err = normalize(fs, &fixture("exif_full.jpg"), dest.path()).unwrap_err();
    assert!(
        matches!(
            err,
            EvidenceError::LowOnSpace {
                available_mib: 5,
                required_mib: 64
            }
        ),
        "{err:?}"
    );
    assert_eq!(files_under(dest.path()), Vec::<PathBuf>::new());
}

#[test]
fn failed_rename_rolls_back_files_already_placed() {
    for fail_at in [0, 1] {
        let dest = tempfile::tempdir().unwrap();
        let fs = FaultyFs::new().failing_rename(fail_at);
        let err = normalize(fs, &fixture("exif_full.jpg"), dest.path()).unwrap_err();
        assert!(matches!(err, EvidenceError::Storage(_)), "{err:?}");
        assert_eq!(
            files_under(dest.path()),
            Vec::<PathBuf>::new(),
            "rename {fail_at}"
        );
    }
}

#[test]
fn photo_truncated_on_disk_mid_read_is_source_vanished() {
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("photo.jpg");
    write_marker_jpeg(&src, 800, 600, 1);
    let dest = work.path().join("evidence");
    let fs = FaultyFs::new().vanishing(Vanish::TruncateOnDisk { after: 8192 });
    let err = normalize(fs, &src, &dest).unwrap_err();
    assert!(matches!(err, EvidenceError::SourceVanished), "{err:?}");
    assert_eq!(files_under(&dest), Vec::<PathBuf>::new());
}

#[test]
fn read_error_mid_file_is_a_source_read_error() {
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("photo.jpg");
    write_marker_jpeg(&src, 800, 600, 1);
    let before = snapshot(&src);
    let dest = work.path().join("evidence");
    let fs = FaultyFs::new().vanishing(Vanish::IoError { after: 8192 });
    let err = normalize(fs, &src, &dest).unwrap_err();
    assert!(matches!(err, EvidenceError::SourceRead(_)), "{err:?}");
    assert_eq!(files_under(&dest), Vec::<PathBuf>::new());
    assert!(snapshot(&src) == before);
}
