"""The generated Python bindings against the host-built core: open, a full offline inspection
with photos, a typed error, the listener, close. Business rules are tested in Rust; this tests
the glue."""

import os
import threading

import pytest

import gridpatrol_core as gp_core
from gridpatrol_core import EvidenceTarget, GridPatrol, GridPatrolConfig, GridPatrolError, Verdict

FIXTURES = os.environ.get(
    "GRIDPATROL_FIXTURES",
    os.path.join(os.path.dirname(__file__), "..", "fixtures"),
)
PHOTO = os.path.join(FIXTURES, "photos", "exif_full.jpg")


@pytest.fixture
def gp(tmp_path):
    core = GridPatrol.open(GridPatrolConfig(
            database_path=str(tmp_path / "gp.db"), evidence_dir=str(tmp_path / "evidence"), locale="en"
        ))
    assert core.import_venues_file(os.path.join(FIXTURES, "venues.json")) == 4
    yield core
    core.shutdown()


def test_offline_inspection_round_trip(gp):
    inspection = gp.start_inspection("CY-JS-003")
    assert inspection.status == gp_core.InspectionStatus.IN_PROGRESS
    checklist = gp.checklist(inspection.inspection_id)
    assert len(checklist) == inspection.item_count
    for entry in checklist:
        failed = entry.item_id in ("B01", "L01")
        gp.answer_item(
            inspection.inspection_id,
            entry.item_id,
            Verdict.FAIL if failed else Verdict.PASS,
            "sleeping on the sofa" if entry.item_id == "L01" else None,
            entry.item_id == "L01",
        )
        if failed:
            gp.attach_photo(EvidenceTarget.ANSWER(inspection.inspection_id, entry.item_id), PHOTO)
    summary = gp.finish_inspection(inspection.inspection_id)
    assert summary.inspection.status == gp_core.InspectionStatus.FINISHED
    grades = {h.item_id: h.grade for h in summary.hazards}
    assert grades == {
        "B01": gp_core.HazardGrade.GENERAL,
        "L01": gp_core.HazardGrade.SUSPECTED_MAJOR,
    }
    assert {h.area_name for h in summary.hazards} == {"E-bikes", "Living in the workplace"}
    assert len(gp.list_hazards()) == 2
    # start, answers, one evidence.added (the same photo twice), two evidence.attached, finish
    report = gp.verify_journal()
    assert report.intact and report.events == len(checklist) + 5
    assert gp.outbox_status().events_pending == len(checklist) + 5


def test_photo_attached_and_listed(gp):
    inspection = gp.start_inspection("CY-JS-001")
    target = EvidenceTarget.ANSWER(inspection.inspection_id, "R01")
    info = gp.attach_photo(target, PHOTO)
    assert len(info.sha256) == 64 and os.path.exists(info.path) and os.path.exists(info.thumbnail_path)
    assert (info.width, info.height, info.original_format) == (64, 48, "jpeg")
    assert info.captured_at == "2024-05-17T09:41:27.250+08:00"
    assert abs(info.location.latitude - 39.9042) < 1e-6
    assert gp.list_evidence(target) == [info]
    assert [e.photo_count for e in gp.checklist(inspection.inspection_id) if e.item_id == "R01"] == [1]
    assert gp.verify_evidence().problems == []
    assert gp.outbox_status().blobs_pending == 1


def test_bad_photo_is_a_typed_error(gp, tmp_path):
    inspection = gp.start_inspection("CY-JS-001")
    target = EvidenceTarget.ANSWER(inspection.inspection_id, "R01")
    with pytest.raises(GridPatrolError.InvalidInput) as err:
        gp.attach_photo(target, os.path.join(FIXTURES, "photos", "truncated.jpg"))
    assert "truncated" in err.value.reason
    with pytest.raises(GridPatrolError.NotFound):
        gp.attach_photo(target, str(tmp_path / "gone.jpg"))
    assert gp.list_evidence(target) == []


def test_errors_are_typed(gp):
    inspection = gp.start_inspection("CY-JS-002")
    with pytest.raises(GridPatrolError.InvalidInput) as err:
        gp.answer_item(inspection.inspection_id, "G01", Verdict.FAIL, None, False)
    assert err.value.reason == "item G01 is not on this inspection's checklist"
    with pytest.raises(GridPatrolError.NotFound):
        gp.checklist("no-such-inspection")


def test_listener_is_called_back(gp):
    heard = []

    class Listener(gp_core.GridPatrolListener):
        def on_journal_appended(self, device_seq, kind):
            heard.append((device_seq, kind, threading.current_thread().name))

        def on_outbox_changed(self, status):
            heard.append(("outbox", status.events_pending))

        def on_sync_progress(self, progress):
            heard.append(("progress", progress.phase))

        def on_sync_finished(self, report):
            heard.append(("finished", report.outcome))

    gp.set_listener(Listener())
    gp.start_inspection("CY-JS-004")
    assert [h[:2] for h in heard] == [(1, "inspection.started"), ("outbox", 1)]


def test_close_then_calls_raise_storage(tmp_path):
    core = GridPatrol.open(GridPatrolConfig(
        database_path=str(tmp_path / "x.db"), evidence_dir=str(tmp_path / "ev"), locale=None
    ))
    core.shutdown()
    with pytest.raises(GridPatrolError.Storage):
        core.list_venues()


# Scan-to-inspect: the fixtures of tests/fixtures/qr/ are signed with the TEST-ONLY key.
QR = os.path.join(FIXTURES, "qr")
# Standing at CY-JS-001: its GCJ-02 map point (venues.json) as the WGS-84 a GPS reports.
AT_VENUE = gp_core.LocationFix(
    latitude=39.88287, longitude=116.45615, accuracy_m=8.0, provider="fused", mock=False,
    fix_time_ms=1_795_000_000_000,
)


@pytest.fixture
def gp_keys(gp):
    assert gp.import_signing_keys_file(os.path.join(QR, "test-only-keys.json")) == 1
    return gp


def test_scan_image_verifies_and_starts_the_inspection(gp_keys):
    results = gp_keys.scan_image(os.path.join(QR, "signed_cy_js_001.png"))
    assert len(results) == 1
    verification = results[0].verification
    assert verification.is_verified()
    assert (verification.venue_id, verification.key_id, verification.issued_at) == (
        "CY-JS-001", 1, 1_780_000_000,
    )
    started = gp_keys.start_inspection_from_scan(results[0].text, AT_VENUE)
    assert started.inspection.venue_id == "CY-JS-001" and not started.continued
    assert started.scan.presence == gp_core.Presence.NEAR
    assert started.scan.distance_m < 5.0 and not started.scan.far_from_venue
    assert gp_keys.inspection_scans(started.inspection.inspection_id) == [started.scan]
    assert gp_keys.verify_journal().intact


def test_a_forged_code_is_a_typed_error_and_starts_nothing(gp_keys):
    forged = gp_keys.scan_image(os.path.join(QR, "forged_cy_js_001.png"))[0]
    assert forged.verification.is_forged() and forged.verification.key_id == 1
    with pytest.raises(GridPatrolError.Rejected) as err:
        gp_keys.start_inspection_from_scan(forged.text, AT_VENUE)
    assert "forged" in err.value.reason
    assert gp_keys.list_inspections() == []
    with pytest.raises(GridPatrolError.InvalidInput):
        gp_keys.scan_frame(b"\0" * 10, 20, 10, 20)
