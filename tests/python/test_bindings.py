"""The generated Python bindings against the host-built core: open, a full offline inspection
with photos, a typed error, the listener, close. Business rules are tested in Rust; this tests
the glue."""

import os
import sqlite3
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

        def on_warning(self, warning):
            heard.append(("warning", warning.warning_id))

        def on_event_refused(self, refusal):
            heard.append(("refused", refusal.reason))

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


# The closed loop. What a sync brings (the ledger, warnings) and the enrollment are written into
# the database the way the core's sync writes them, so these run against the core alone.
def _db(tmp_path):
    conn = sqlite3.connect(str(tmp_path / "gp.db"), timeout=5)
    conn.isolation_level = None
    return conn


def _enroll_as(tmp_path, role):
    _db(tmp_path).execute(
        "INSERT OR REPLACE INTO account (id, server_url, token, user_id, display_name, role, grids,"
        " street, enrolled_at) VALUES (1, 'http://127.0.0.1:9', 't', 'u1', 'tester', ?, ?, '劲松街道',"
        " '2026-11-28T00:00:00.000Z')",
        (role, '["劲松三区-03"]'),
    )


def _found_hazard(gp):
    inspection = gp.start_inspection("CY-JS-002")
    for entry in gp.checklist(inspection.inspection_id):
        verdict = Verdict.FAIL if entry.item_id == "P02" else Verdict.PASS
        gp.answer_item(inspection.inspection_id, entry.item_id, verdict, None, False)
    return gp.finish_inspection(inspection.inspection_id).hazards[0].hazard_id


def test_a_hazard_transition_round_trips(gp):
    hazard = _found_hazard(gp)
    gp.transition_hazard(hazard, gp_core.HazardAction.VERIFY(), None)
    detail = gp.transition_hazard(
        hazard, gp_core.HazardAction.CONFIRM(grade=gp_core.HazardGrade.SUSPECTED_MAJOR), "无自查记录"
    )
    assert detail.state.status == gp_core.HazardStatus.CONFIRMED
    assert detail.state.server_status is None
    assert detail.state.grade == gp_core.HazardGrade.SUSPECTED_MAJOR
    confirm = detail.pending_actions[1]
    assert confirm.action == gp_core.HazardAction.CONFIRM(grade=gp_core.HazardGrade.SUSPECTED_MAJOR)
    assert (confirm.expected_status, confirm.note, confirm.sent) == (
        gp_core.HazardStatus.VERIFYING, "无自查记录", False,
    )
    assert detail.available_actions == ["fix_on_site"]
    assert gp.hazard_detail(hazard) == detail
    assert gp.verify_journal().intact


def test_an_impossible_transition_is_a_typed_error(gp):
    hazard = _found_hazard(gp)
    with pytest.raises(GridPatrolError.InvalidInput) as err:
        gp.transition_hazard(hazard, gp_core.HazardAction.CLOSE(), None)
    assert err.value.reason == f"hazard {hazard}: a hazard that is REPORTED cannot be close"
    with pytest.raises(GridPatrolError.NotFound):
        gp.hazard_detail("no-such-hazard")


def test_the_ledger_filters_counts_and_exports(gp, tmp_path):
    rows = [
        ("H-1", "CY-JS-001", "劲松三区-03", "escape_routes", "general", "REPORTED", 0),
        ("H-2", "CY-JS-003", "劲松三区-04", "gas", "suspected_major", "IN_PROGRESS", 1),
    ]
    for seq, (hazard_id, venue, grid, area, grade, status, overdue) in enumerate(rows, 1):
        _db(tmp_path).execute(
            "INSERT INTO ledger_hazards (hazard_id, venue_id, grid, area, grade, status, reported_at,"
            " received_at, evidence_pending, server_seq, overdue) VALUES (?, ?, ?, ?, ?, ?,"
            " '2026-11-2' || ? || 'T01:00:00.000Z', '2026-11-28T01:00:00.000Z', 0, ?, ?)",
            (hazard_id, venue, grid, area, grade, status, seq, seq, overdue),
        )
    assert [r.hazard_id for r in gp.ledger(gp_core.LedgerFilter())] == ["H-2", "H-1"]
    overdue = gp.ledger(gp_core.LedgerFilter(overdue=True, grade=gp_core.HazardGrade.SUSPECTED_MAJOR))
    assert [(r.hazard_id, r.status, r.venue_name) for r in overdue] == [
        ("H-2", gp_core.HazardStatus.IN_PROGRESS, "星光网吧"),
    ]
    counts = gp.ledger_counts(gp_core.LedgerFilter(), gp_core.LedgerGroup.GRID)
    assert [(c.key, c.total, c.overdue) for c in counts] == [("劲松三区-03", 1, 0), ("劲松三区-04", 1, 1)]
    csv = gp.ledger_csv(gp_core.LedgerFilter(grid="劲松三区-03"))
    assert csv.startswith("\ufeffhazard id,district,") and csv.count("\r\n") == 2
    out = tmp_path / "ledger.csv"
    assert gp.export_ledger_csv(gp_core.LedgerFilter(), str(out)) == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_hazard_areas_are_labelled_in_the_apps_language(gp):
    gp.set_locale("zh-CN")
    areas = gp.hazard_areas()
    assert (areas[0].code, areas[0].label) == ("extinguishers", "灭火器")
    gp.set_locale("en")
    assert [a.code for a in gp.hazard_areas()] == [a.code for a in areas]
    assert gp.hazard_areas()[0].label == "Extinguishers"


def test_a_resident_reports_with_a_photo(gp, tmp_path):
    with pytest.raises(GridPatrolError.InvalidInput):
        gp.submit_report(gp_core.ReportCategory.FIRE, "着火了", None, None)
    _enroll_as(tmp_path, "resident")
    where = gp_core.GeoPoint(latitude=39.8829, longitude=116.4561, coord_system=gp_core.CoordSystem.WGS84)
    report_id = gp.submit_report(gp_core.ReportCategory.ESCAPE_ROUTE, "楼道堆满纸箱", where, None)
    info = gp.attach_photo(EvidenceTarget.REPORT(report_id), PHOTO)
    assert gp.list_evidence(EvidenceTarget.REPORT(report_id)) == [info]
    mine = gp.my_reports()
    assert [(r.report_id, r.category, r.status, r.steps) for r in mine] == [
        (report_id, gp_core.ReportCategory.ESCAPE_ROUTE, None, []),
    ]
    assert gp.outbox_status().events_pending == 3  # report.submitted, evidence.added, .attached


def test_a_warning_is_acknowledged_once(gp, tmp_path):
    _enroll_as(tmp_path, "worker")
    _db(tmp_path).execute(
        "INSERT INTO warnings (warning_id, level, warning_type, grids, text, issued_at, issued_by,"
        " ack_due_at, acknowledged, server_seq) VALUES ('W-1', 'red', 'rainstorm', '[\"劲松三区-03\"]',"
        " '暴雨红色预警', '2026-11-28T01:00:00.000Z', '王静', '2026-11-28T01:30:00.000Z', 0, 1)"
    )
    [warning] = gp.warnings()
    assert (warning.level, warning.warning_type, warning.acknowledged) == (
        gp_core.WarningLevel.RED, gp_core.WarningType.RAINSTORM, False,
    )
    acked = gp.acknowledge_warning("W-1")
    assert acked.acknowledged and acked.ack_unconfirmed and acked.acknowledged_at
    gp.acknowledge_warning("W-1")
    assert gp.outbox_status().events_pending == 1
    with pytest.raises(GridPatrolError.NotFound):
        gp.acknowledge_warning("W-2")
