package cn.gridpatrol.viewmodel.test

import cn.gridpatrol.core.HazardGrade
import cn.gridpatrol.core.ReportCategory
import cn.gridpatrol.core.ReportFinding
import cn.gridpatrol.core.ReportStatus
import cn.gridpatrol.core.WarningLevel
import cn.gridpatrol.core.WarningType
import cn.gridpatrol.viewmodel.app.AppPhase
import cn.gridpatrol.viewmodel.app.AppViewModel
import cn.gridpatrol.viewmodel.app.SessionViewModels
import cn.gridpatrol.viewmodel.reports.suggestedArea
import cn.gridpatrol.viewmodel.resident.ReportDraft
import java.io.File
import java.nio.charset.StandardCharsets
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test

/**
 * The two other roles next to the grid worker, each on a phone of its own (own files, own core)
 * against one real server-stub, driven only through the view models:
 * - a supervisor issues a warning from the issue-warning form (a double tap issues one); the
 *   worker's home shows it until it is acknowledged (叫应), and the server's receipt trail
 *   records who acknowledged;
 * - a resident registers without a code and reports a blocked exit at a scanned venue with a
 *   photo; the worker's reports screen gets it (never who sent it) and opens a hazard on site;
 *   the resident sees each step and never the worker's name.
 */
class WarningsAndReportsTest {
    private lateinit var server: ServerStub
    private val phones = mutableListOf<Pair<TestPlatform, AppViewModel>>()
    private val fixtures = File(System.getProperty("gridpatrol.fixtures") ?: "tests/fixtures")

    @Before
    fun setUp() {
        server = ServerStub.start()
    }

    @After
    fun tearDown() {
        for ((platform, app) in phones) {
            app.close()
            platform.close()
        }
        server.close()
    }

    /** A new phone past the privacy consent, not enrolled yet. */
    private fun newPhone(): Pair<AppViewModel, SessionViewModels> {
        val platform = TestPlatform(fix = null)
        val app = AppViewModel(platform.services, platform.scope, platform.dispatchers)
        phones += platform to app
        app.start().await()
        app.acceptConsent().await()
        assertEquals(AppPhase.NEEDS_ENROLLMENT, app.state.value.phase)
        return app to assertNotNull(app.screens)
    }

    /** A phone enrolled with [userId]'s printed code. */
    private fun enrolled(userId: String): SessionViewModels {
        val (app, screens) = newPhone()
        screens.enrollment.setServerUrl(server.url)
        screens.enrollment.setCode(server.code(userId).code)
        screens.enrollment.enroll().await()
        assertNull(screens.enrollment.state.value.error)
        assertEquals(AppPhase.READY, app.state.value.phase)
        return screens
    }

    @Test(timeout = 300_000)
    fun aWarningReachesTheGridAndItsAcknowledgementIsOnRecord() {
        val supervisor = enrolled("u-wangjing")
        val worker = enrolled("u-zhangwei")
        worker.warnings.start().await()
        worker.home.start().await()
        assertTrue(worker.warnings.state.value.warnings.isEmpty())

        // A double tap on the form's button issues one warning.
        val issue = {
            supervisor.warnings.issue(
                WarningLevel.ORANGE, WarningType.RAINSTORM, listOf("劲松三区-03"), "  暴雨橙色预警：请巡查地下空间  ", 30,
            )
        }
        val taps = listOf(issue(), issue())
        taps.forEach { it.await() }
        val issued = assertNotNull(supervisor.warnings.state.value.error.toString(), supervisor.warnings.state.value.issued)
        assertFalse(supervisor.warnings.state.value.issuing)
        supervisor.warnings.onIssuedShown()
        assertNull("the next form starts afresh", supervisor.warnings.state.value.issued)
        supervisor.outbox.syncNow().await()
        assertEquals(0L, supervisor.outbox.state.value.sync.pendingCount)

        // The worker's next sync (or the foreground stream) brings it; home shows it on top.
        worker.outbox.syncNow().await()
        val pending = worker.warnings.state.await { s -> s.awaitingAck.any { it.warningId == issued } }
        assertEquals(1, pending.warnings.count { it.text == "暴雨橙色预警：请巡查地下空间" })
        val warning = pending.warnings.single { it.warningId == issued }
        assertEquals("暴雨橙色预警：请巡查地下空间", warning.text)
        assertEquals(WarningLevel.ORANGE, warning.level)
        assertEquals(listOf("劲松三区-03"), warning.grids)
        assertFalse(warning.acknowledged)
        worker.home.state.await { s -> s.warnings.any { it.warningId == issued } }

        // 叫应: one tap, shown at once, confirmed by the server at the next sync.
        worker.warnings.acknowledge(issued).await()
        val acked = worker.warnings.state.value.warnings.single { it.warningId == issued }
        assertTrue(acked.acknowledged)
        assertTrue(worker.warnings.state.value.awaitingAck.isEmpty())
        worker.home.state.await { s -> s.warnings.none { it.warningId == issued } }
        worker.outbox.syncNow().await()
        val confirmed = worker.warnings.state.await { s -> s.warnings.single { it.warningId == issued }.ackUnconfirmed.not() }
        assertNotNull(confirmed.warnings.single { it.warningId == issued }.acknowledgedAt)

        // The street office reads the receipt trail: 张伟 acknowledged, with the server's time.
        val office = server.enrollToken(server.freshCode(server.code("u-wangjing")))
        val trail = String(server.get("/v1/warnings/$issued", office), StandardCharsets.UTF_8)
        val receipt = assertNotNull(trail, Regex("\\{[^{}]*\"user_id\":\"u-zhangwei\"[^{}]*\\}").find(trail)?.value)
        assertTrue(receipt, Regex("\"acknowledged_at\":\"[^\"]+\"").containsMatchIn(receipt))
        assertTrue(receipt, Regex("\"delivered_at\":\"[^\"]+\"").containsMatchIn(receipt))
    }

    @Test(timeout = 300_000)
    fun aResidentsReportIsCheckedOnSiteAndTheResidentSeesOnlyTheSteps() {
        val worker = enrolled("u-zhangwei")
        worker.reports.start().await()
        val (app, phone) = newPhone()
        val resident = phone.resident
        resident.enroll(server.url, phone = null).await()
        assertNull(resident.state.value.error)
        assertEquals(AppPhase.RESIDENT, app.state.value.phase)
        resident.start().await()
        assertTrue(resident.state.value.myReports.isEmpty())

        // The resident scanned the code on 老北京炸酱面馆's door and writes what they saw.
        val venueCode = assertNotNull(server.venueCodes["CY-JS-001"])
        resident.editDraft { it.copy(category = ReportCategory.ESCAPE_ROUTE, venueCode = venueCode) }
        assertFalse("a report needs a description", resident.state.value.draft.canSubmit)
        resident.editDraft { it.copy(description = "  面馆后门被纸箱堵住  ") }
        val shot = resident.newPhotoFile()
        File(fixtures, "photos/gray.jpg").copyTo(shot)
        resident.addPhoto(shot)
        resident.submit().await()
        val submitted = resident.state.value
        assertNull(submitted.error)
        val reportId = assertNotNull(submitted.submitted)
        assertEquals(ReportDraft(), submitted.draft)
        assertFalse("the camera's own file is deleted", shot.exists())
        assertEquals(listOf(reportId), submitted.myReports.map { it.reportId })
        assertEquals("面馆后门被纸箱堵住", submitted.myReports.single().description)

        phone.outbox.syncNow().await()
        assertEquals(0L, phone.outbox.state.value.sync.pendingCount)
        resident.state.await { s -> s.myReports.single().status == ReportStatus.DISPATCHED }

        // The worker's reports screen: to check on site, at the venue, with the photo.
        worker.outbox.syncNow().await()
        val toCheck = worker.reports.state.await { s -> s.toCheck.any { it.reportId == reportId } }
            .toCheck.single { it.reportId == reportId }
        assertEquals("CY-JS-001", toCheck.venueId)
        assertEquals("劲松三区-03", toCheck.grid)
        assertEquals(1, toCheck.photos.size)
        assertEquals("escape_routes", suggestedArea(toCheck.category))
        val areas = worker.reports.state.value.areas
        assertEquals("疏散通道", areas.single { it.code == suggestedArea(toCheck.category) }.label)
        assertEquals("extinguishers", areas.first().code)
        worker.reports.check(
            reportId, ReportFinding.Hazard("CY-JS-001", suggestedArea(toCheck.category), HazardGrade.GENERAL, "后门通道确被堵塞"),
        ).await()
        assertNull(worker.reports.state.value.error)
        val checked = assertNotNull(worker.reports.state.value.checked)
        assertNotNull(checked.hazardId)
        assertTrue(worker.reports.state.value.toCheck.none { it.reportId == reportId })
        worker.outbox.syncNow().await()
        assertEquals(0L, worker.outbox.state.value.sync.pendingCount)

        // The resident sees each step, and nothing of who checked.
        phone.outbox.syncNow().await()
        val seen = resident.state.await { s -> s.myReports.single().status == ReportStatus.HAZARD_OPENED }
            .myReports.single()
        val steps = seen.steps.map { it.status }
        assertTrue(steps.toString(), steps.containsAll(listOf(ReportStatus.RECEIVED, ReportStatus.DISPATCHED, ReportStatus.HAZARD_OPENED)))
        assertFalse(seen.toString(), seen.toString().contains("张伟") || seen.toString().contains("u-zhangwei"))
    }
}
