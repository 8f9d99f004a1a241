package cn.gridpatrol.core.test

import cn.gridpatrol.core.CoordSystem
import cn.gridpatrol.core.EvidenceTarget
import cn.gridpatrol.core.GeoPoint
import cn.gridpatrol.core.GridPatrol
import cn.gridpatrol.core.GridPatrolConfig
import cn.gridpatrol.core.GridPatrolException
import cn.gridpatrol.core.GridPatrolListener
import cn.gridpatrol.core.HazardAction
import cn.gridpatrol.core.HazardGrade
import cn.gridpatrol.core.HazardStatus
import cn.gridpatrol.core.InspectionStatus
import cn.gridpatrol.core.LedgerFilter
import cn.gridpatrol.core.LedgerGroup
import cn.gridpatrol.core.LocationFix
import cn.gridpatrol.core.OutboxStatus
import cn.gridpatrol.core.Presence
import cn.gridpatrol.core.RefusalRecord
import cn.gridpatrol.core.ReportCategory
import cn.gridpatrol.core.ReportStatus
import cn.gridpatrol.core.Role
import cn.gridpatrol.core.ScanVerification
import cn.gridpatrol.core.SyncProgress
import cn.gridpatrol.core.SyncReport
import cn.gridpatrol.core.Verdict
import cn.gridpatrol.core.WarningLevel
import cn.gridpatrol.core.WarningRecord
import cn.gridpatrol.core.WarningType
import java.io.File
import java.nio.file.Files
import java.util.Collections
import javax.imageio.ImageIO
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Before
import org.junit.Test

/**
 * The generated Kotlin bindings against the host-built core: open, a full offline inspection
 * with a photo, a typed error, the listener, close. Business rules are tested in Rust; this
 * tests the glue.
 */
class GridPatrolCoreTest {
    private lateinit var dir: File
    private lateinit var gp: GridPatrol

    private val fixtures = File(System.getProperty("gridpatrol.fixtures") ?: "tests/fixtures")
    private val photo = File(fixtures, "photos/exif_full.jpg").path

    @Before
    fun open() {
        dir = Files.createTempDirectory("gp-kotlin").toFile()
        gp = GridPatrol.open(GridPatrolConfig(
            databasePath = File(dir, "gp.db").path, evidenceDir = File(dir, "evidence").path, locale = "zh-CN",
        ))
        assertEquals(4u, gp.importVenuesFile(File(fixtures, "venues.json").path))
    }

    @After
    fun close() {
        gp.shutdown()
        gp.close()
        dir.deleteRecursively()
    }

    @Test
    fun offlineInspectionRoundTrip() {
        val venue = gp.getVenue("CY-JS-001")
        assertEquals("小餐饮场所", venue.venueTypeName)
        val inspection = gp.startInspection(venue.venueId)
        assertEquals(InspectionStatus.IN_PROGRESS, inspection.status)
        val checklist = gp.checklist(inspection.inspectionId)
        assertEquals(inspection.itemCount.toInt(), checklist.size)
        for (entry in checklist) {
            val failed = entry.itemId == "R01"
            gp.answerItem(
                inspection.inspectionId, entry.itemId,
                if (failed) Verdict.FAIL else Verdict.PASS,
                if (failed) "后门上锁，堆放纸箱" else null,
                failed,
            )
        }
        gp.attachPhoto(EvidenceTarget.Answer(inspection.inspectionId, "R01"), photo)
        val summary = gp.finishInspection(inspection.inspectionId)
        assertEquals(InspectionStatus.FINISHED, summary.inspection.status)
        assertEquals(1, summary.hazards.size)
        val hazard = summary.hazards[0]
        assertEquals("R01", hazard.itemId)
        assertEquals(HazardGrade.SUSPECTED_MAJOR, hazard.grade)
        assertEquals("REPORTED", hazard.status)
        assertEquals("后门上锁，堆放纸箱", hazard.note)
        assertEquals(listOf(hazard), gp.listHazards())
        // start, answers, evidence.added, evidence.attached, finish
        assertEquals((checklist.size + 4).toULong(), gp.outboxStatus().eventsPending)
        val report = gp.verifyJournal()
        assertTrue(report.intact)
        assertEquals((checklist.size + 4).toULong(), report.events)
    }

    @Test
    fun photoIsAttachedAndListed() {
        val inspection = gp.startInspection("CY-JS-001")
        val target = EvidenceTarget.Answer(inspection.inspectionId, "R01")
        val info = gp.attachPhoto(target, photo)
        assertEquals(64, info.sha256.length)
        assertTrue(File(info.path).exists() && File(info.thumbnailPath).exists())
        assertEquals(64u, info.width)
        assertEquals("2024-05-17T09:41:27.250+08:00", info.capturedAt)
        assertEquals(listOf(info), gp.listEvidence(target))
        assertEquals(1u, gp.checklist(inspection.inspectionId).first { it.itemId == "R01" }.photoCount)
        assertTrue(gp.verifyEvidence().problems.isEmpty())
        assertEquals(1uL, gp.outboxStatus().blobsPending)
    }

    @Test
    fun badPhotoIsATypedException() {
        val inspection = gp.startInspection("CY-JS-001")
        val target = EvidenceTarget.Answer(inspection.inspectionId, "R01")
        try {
            gp.attachPhoto(target, File(fixtures, "photos/bomb.png").path)
            fail("a decompression bomb must throw")
        } catch (e: GridPatrolException.InvalidInput) {
            assertTrue(e.reason, e.reason.contains("decompression bomb"))
        }
        try {
            gp.attachPhoto(EvidenceTarget.Hazard("no-such-hazard"), photo)
            fail("an unknown hazard must throw")
        } catch (e: GridPatrolException.NotFound) {
            assertTrue(e.reason, e.reason.contains("no-such-hazard"))
        }
        assertTrue(gp.listEvidence(target).isEmpty())
    }

    @Test
    fun validationFailureIsATypedException() {
        val inspection = gp.startInspection("CY-JS-002")
        try {
            gp.finishInspection(inspection.inspectionId)
            fail("finishing an unanswered inspection must throw")
        } catch (e: GridPatrolException.InvalidInput) {
            assertTrue(e.reason, e.reason.startsWith("cannot finish:"))
            assertTrue(e.reason, e.reason.contains("E01"))
        }
        try {
            gp.getVenue("no-such-venue")
            fail("an unknown venue must throw")
        } catch (e: GridPatrolException.NotFound) {
            assertTrue(e.reason.contains("no-such-venue"))
        }
    }

    @Test
    fun listenerIsCalledBackAfterEachCommit() {
        val heard = Collections.synchronizedList(mutableListOf<String>())
        val threads = Collections.synchronizedSet(mutableSetOf<String>())
        gp.setListener(object : GridPatrolListener {
            override fun onJournalAppended(deviceSeq: ULong, kind: String) {
                heard.add("$deviceSeq $kind")
                threads.add(Thread.currentThread().name)
            }

            override fun onOutboxChanged(status: OutboxStatus) {
                heard.add("outbox ${status.eventsPending}")
            }

            override fun onSyncProgress(progress: SyncProgress) {
                heard.add("progress ${progress.phase}")
            }

            override fun onSyncFinished(report: SyncReport) {
                heard.add("finished ${report.outcome}")
            }

            override fun onWarning(warning: WarningRecord) {
                heard.add("warning ${warning.warningId}")
            }

            override fun onEventRefused(refusal: RefusalRecord) {
                heard.add("refused ${refusal.deviceSeq}")
            }
        })
        val inspection = gp.startInspection("CY-JS-003")
        gp.answerItem(inspection.inspectionId, "E01", Verdict.PASS, null, false)
        assertEquals(listOf("1 inspection.started", "outbox 1", "2 inspection.answered", "outbox 2"), heard.toList())
        gp.setListener(null)
        gp.answerItem(inspection.inspectionId, "E02", Verdict.NA, null, false)
        assertEquals(4, heard.size)
    }

    @Test
    fun shutDownObjectThrowsStorage() {
        val other = GridPatrol.open(GridPatrolConfig(
            databasePath = File(dir, "other.db").path, evidenceDir = File(dir, "other-evidence").path, locale = "en",
        ))
        assertNotEquals(gp.deviceId(), other.deviceId())
        other.shutdown()
        try {
            other.listVenues()
            fail("a closed GridPatrol must throw")
        } catch (e: GridPatrolException.Storage) {
            assertTrue(e.reason.contains("closed"))
        }
        other.close()
    }

    /** The camera's Y plane of a fixture as a phone delivers it: `rowStride` > width, junk in the padding. */
    private fun paddedLuma(name: String, pad: Int): Triple<ByteArray, Int, Int> {
        val image = ImageIO.read(File(fixtures, "qr/$name"))
        val stride = image.width + pad
        val bytes = ByteArray(stride * image.height)
        val raster = image.raster
        for (y in 0 until image.height) {
            for (x in 0 until image.width) bytes[y * stride + x] = raster.getSample(x, y, 0).toByte()
            for (x in image.width until stride) bytes[y * stride + x] = (if ((x + y) % 2 == 0) 0 else 255).toByte()
        }
        return Triple(bytes, image.width, image.height)
    }

    @Test
    fun paddedCameraFrameScansAndStartsAnInspection() {
        assertEquals(1u, gp.importSigningKeysFile(File(fixtures, "qr/test-only-keys.json").path))
        val (bytes, width, height) = paddedLuma("signed_cy_js_001.png", 40)
        val results = gp.scanFrame(bytes, width.toUInt(), height.toUInt(), (width + 40).toUInt())
        assertEquals(1, results.size)
        val verified = results[0].verification as ScanVerification.Verified
        assertEquals("CY-JS-001", verified.venueId)
        assertEquals("老北京炸酱面馆", verified.venueName)
        assertEquals(1u, verified.keyId)
        // standing at the venue: its GCJ-02 map point as the WGS-84 a GPS reports
        val fix = LocationFix(39.88287, 116.45615, 8.0, "fused", false, 1_795_000_000_000L)
        val started = gp.startInspectionFromScan(results[0].text, fix)
        assertEquals("CY-JS-001", started.inspection.venueId)
        assertEquals(Presence.NEAR, started.scan.presence)
        assertTrue(started.scan.distanceM!! < 5.0)
        assertEquals(listOf(started.scan), gp.inspectionScans(started.inspection.inspectionId))
    }

    @Test
    fun forgedCodeIsRejectedAndStartsNothing() {
        gp.importSigningKeysFile(File(fixtures, "qr/test-only-keys.json").path)
        val forged = gp.scanImage(File(fixtures, "qr/forged_cy_js_001.png").path).single()
        assertTrue(forged.verification is ScanVerification.Forged)
        try {
            gp.startInspectionFromScan(forged.text, null)
            fail("a forged code must not start an inspection")
        } catch (e: GridPatrolException.Rejected) {
            assertTrue(e.reason, e.reason.contains("forged"))
        }
        assertEquals(0, gp.listInspections().size)
        try {
            gp.scanFrame(ByteArray(10), 20u, 10u, 20u)
            fail("a short buffer must throw")
        } catch (e: GridPatrolException.InvalidInput) {
            assertTrue(e.reason, e.reason.contains("bytes"))
        }
    }

    /** A hazard this device found: CY-JS-002 inspected with P02 (no photo needed) failed. */
    private fun foundHazard(core: GridPatrol = gp, venue: String = "CY-JS-002"): String {
        val inspection = core.startInspection(venue)
        for (entry in core.checklist(inspection.inspectionId)) {
            val verdict = if (entry.itemId == "P02") Verdict.FAIL else Verdict.PASS
            core.answerItem(inspection.inspectionId, entry.itemId, verdict, null, false)
        }
        return core.finishInspection(inspection.inspectionId).hazards.single().hazardId
    }

    private fun openIn(name: String): GridPatrol = GridPatrol.open(GridPatrolConfig(
        databasePath = File(dir, "$name.db").path, evidenceDir = File(dir, "$name-evidence").path, locale = "zh-CN",
    ))

    @Test
    fun hazardTransitionRoundTripsAndAnImpossibleOneIsTyped() {
        val hazard = foundHazard()
        gp.transitionHazard(hazard, HazardAction.Verify, null)
        val detail = gp.transitionHazard(hazard, HazardAction.Confirm(HazardGrade.GENERAL), "无自查记录")
        assertEquals(HazardStatus.CONFIRMED, detail.state.status)
        assertEquals(null, detail.state.serverStatus)
        assertEquals(HazardAction.Confirm(HazardGrade.GENERAL), detail.pendingActions[1].action)
        assertEquals(HazardStatus.VERIFYING, detail.pendingActions[1].expectedStatus)
        assertEquals(listOf("fix_on_site"), detail.availableActions)
        try {
            gp.transitionHazard(hazard, HazardAction.Close, null)
            fail("closing a confirmed hazard must throw")
        } catch (e: GridPatrolException.InvalidInput) {
            assertEquals("hazard $hazard: a hazard that is CONFIRMED cannot be close", e.reason)
        }
        assertTrue(gp.verifyJournal().intact)
    }

    @Test
    fun ledgerAndAWarningThroughTheServer() {
        DemoServer().use { server ->
            val heard = Collections.synchronizedList(mutableListOf<String>())
            gp.setListener(object : GridPatrolListener {
                override fun onJournalAppended(deviceSeq: ULong, kind: String) {}
                override fun onOutboxChanged(status: OutboxStatus) {}
                override fun onSyncProgress(progress: SyncProgress) {}
                override fun onSyncFinished(report: SyncReport) {}
                override fun onWarning(warning: WarningRecord) {
                    heard.add("${warning.warningId} ${warning.level}")
                }
                override fun onEventRefused(refusal: RefusalRecord) {}
            })
            runBlocking { gp.enroll(server.url, server.code(DemoServer.WORKER), "kotlin test") }
            val hazard = foundHazard(venue = "CY-JS-001")
            runBlocking { gp.syncNow() }
            val rows = gp.ledger(LedgerFilter(grid = DemoServer.GRID))
            assertEquals(listOf(hazard), rows.map { it.hazardId })
            assertEquals(HazardStatus.REPORTED, rows[0].status)
            assertEquals("已上报", rows[0].statusName)
            val counts = gp.ledgerCounts(LedgerFilter(), LedgerGroup.STATUS)
            assertEquals(listOf("REPORTED" to 1u), counts.map { it.key to it.total })
            assertTrue(gp.ledgerCsv(LedgerFilter()).startsWith("\uFEFF隐患编号,区,街乡"))

            val supervisor = openIn("supervisor")
            try {
                val account = runBlocking { supervisor.enroll(server.url, server.code(DemoServer.SUPERVISOR), null) }
                assertEquals(Role.SUPERVISOR, account.role)
                val id = supervisor.issueWarning(
                    WarningLevel.RED, WarningType.RAINSTORM, listOf(DemoServer.GRID), "暴雨红色预警", 30u,
                )
                runBlocking { supervisor.syncNow() }
                runBlocking { gp.syncNow() }
                assertEquals(listOf("$id RED"), heard.toList())
                val acked = gp.acknowledgeWarning(id)
                assertTrue(acked.acknowledged && acked.ackUnconfirmed)
                runBlocking { gp.syncNow() }
                val confirmed = gp.warnings().single()
                assertTrue(confirmed.acknowledged && !confirmed.ackUnconfirmed)
            } finally {
                supervisor.shutdown()
                supervisor.close()
            }
        }
    }

    @Test
    fun residentReportsWithAPhotoThroughTheServer() {
        DemoServer().use { server ->
            val resident = openIn("resident")
            try {
                val account = runBlocking { resident.enrollResident(server.url, null) }
                assertEquals(Role.RESIDENT, account.role)
                val there = GeoPoint(39.8829, 116.4561, CoordSystem.WGS84)
                val id = resident.submitReport(ReportCategory.ESCAPE_ROUTE, "楼道堆满纸箱", there, null)
                resident.attachPhoto(EvidenceTarget.Report(id), photo)
                assertEquals(null, resident.myReports().single().status)
                runBlocking { resident.syncNow() }
                val mine = resident.myReports().single()
                assertEquals(id, mine.reportId)
                assertEquals(ReportStatus.DISPATCHED, mine.status)
                assertEquals(listOf(ReportStatus.RECEIVED, ReportStatus.DISPATCHED), mine.steps.map { it.status })
            } finally {
                resident.shutdown()
                resident.close()
            }
        }
    }
}
