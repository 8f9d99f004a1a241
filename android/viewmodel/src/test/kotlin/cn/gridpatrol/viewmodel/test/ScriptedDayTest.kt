package cn.gridpatrol.viewmodel.test

import cn.gridpatrol.core.EvidenceTarget
import cn.gridpatrol.core.HazardGrade
import cn.gridpatrol.core.InspectionStatus
import cn.gridpatrol.core.LocationFix
import cn.gridpatrol.core.Presence
import cn.gridpatrol.core.ScanVerification
import cn.gridpatrol.core.SyncOutcome
import cn.gridpatrol.core.Verdict
import cn.gridpatrol.viewmodel.app.AppPhase
import cn.gridpatrol.viewmodel.app.AppViewModel
import cn.gridpatrol.viewmodel.app.SessionViewModels
import cn.gridpatrol.core.HazardAction
import cn.gridpatrol.core.HazardStatus
import cn.gridpatrol.core.LedgerFilter
import cn.gridpatrol.viewmodel.hazards.ActionInput
import cn.gridpatrol.viewmodel.hazards.ActionInputs
import cn.gridpatrol.viewmodel.hazards.buildAction
import cn.gridpatrol.viewmodel.hazards.inputFor
import cn.gridpatrol.viewmodel.inspect.ChecklistViewModel
import cn.gridpatrol.viewmodel.inspect.FinishBlocker
import java.io.File
import kotlinx.coroutines.Job
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse

import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test

/**
 * A grid worker's day, driven only through the view models (what the screens call), against the
 * real core and a real server-stub on loopback, asserting the UI state at each step: consent,
 * enrollment and first sync, scanning a padded camera frame of the venue's printed code, the
 * checklist with a required photo, sync; then the network is gone (the server drops every
 * connection and the platform reports offline), a second venue is inspected, and when the
 * network is back the queue drains and the server's ledger holds both hazards; one of them is
 * then confirmed, fixed on site with photos before and after, and closed (销号).
 */
class ScriptedDayTest {
    private lateinit var server: ServerStub
    private lateinit var platform: TestPlatform
    private lateinit var app: AppViewModel
    private val fixtures = File(System.getProperty("gridpatrol.fixtures") ?: "tests/fixtures")

    /** Standing at the door of 老北京炸酱面馆 (CY-JS-001): WGS-84, as the GPS reports it. */
    private val atFirstVenue = LocationFix(39.882830, 116.456210, 18.0, "gps", false, System.currentTimeMillis())

    @Before
    fun setUp() {
        server = ServerStub.start()
        platform = TestPlatform(atFirstVenue)
        app = AppViewModel(platform.services, platform.scope, platform.dispatchers)
    }

    @After
    fun tearDown() {
        app.close()
        platform.close()
        server.close()
    }

    @Test(timeout = 300_000)
    fun aGridWorkersDayOnlineOfflineAndBack() {
        val screens = consentAndEnroll()
        val office = server.enrollToken(server.code("u-wangjing").code)

        // The street office prints CY-JS-001's code; the worker points the camera at it.
        val frame = paddedLumaFrame(server.get("/v1/venues/CY-JS-001/qr.png", office), border = 40, pad = 56)
        assertTrue(frame.rowStride > frame.width)
        screens.scan.onFrame(frame.bytes, frame.width, frame.height, frame.rowStride)!!.await()
        val scan = screens.scan.state.value
        val code = scan.codes.single()
        assertEquals("CY-JS-001", (code.verification as ScanVerification.Verified).venueId)
        assertTrue(code.text, code.text.startsWith("http"))
        val started = assertNotNull(scan.started)
        assertEquals("CY-JS-001", started.inspection.venueId)
        assertEquals(Presence.NEAR, started.scan.presence)
        assertEquals(1, platform.locationCalls.get())
        assertFalse("scanning pauses once an inspection started", scan.active)
        assertNull("a paused scanner drops frames", screens.scan.onFrame(frame.bytes, frame.width, frame.height, frame.rowStride))
        screens.scan.onStartedShown()

        val firstHazard = inspect(screens, started.inspection.inspectionId, failing = "R01", note = "后门上锁，通道堆放纸箱", major = true)
        assertTrue(screens.checklist(started.inspection.inspectionId).also { it.load().await() }.state.value.presenceFlagged.not())

        // Back at the office: sync from the outbox screen.
        screens.outbox.syncNow().await()
        val synced = screens.outbox.state.value.sync
        assertEquals(SyncOutcome.COMPLETED, synced.lastReport?.outcome)
        // The core may already have sent the photo in the background (it is online); either way
        // nothing is left and the server holds no event waiting for a photo.
        assertEquals(0L, synced.pendingCount)
        assertEquals(0uL, synced.outbox?.blobsPending)
        assertTrue(String(server.get("/v1/test/stats", office)).contains("\"evidence_pending_events\":[]"))
        val home = screens.home.state.await { row -> row.venues.firstOrNull { it.venue.venueId == "CY-JS-001" }?.inspectedToday == true }
        assertEquals(0L, home.sync.pendingCount)
        assertEquals(6, home.remainingToday)

        // The network is gone: every connection dropped, and the platform says offline.
        server.dropAllConnections()
        platform.online.value = false
        screens.sync.state.await { !it.online }
        val venue = screens.venue("CY-JS-002")
        venue.load().await()
        assertEquals("便民小超市", venue.state.value.venue?.name)
        venue.startInspection().await()
        val second = assertNotNull(venue.state.value.opened)
        venue.onOpenedShown()
        val secondHazard = inspect(screens, second.inspectionId, failing = "C01", note = "插线板串接，私拉电线", major = false)
        val offline = screens.home.state.await { it.sync.pendingCount > 0 }
        assertFalse(offline.sync.online)
        assertTrue("work waiting asks the OS for a background sync", platform.backgroundRequests.get() > 0)
        screens.outbox.syncNow().await()
        val stuck = screens.outbox.state.value
        assertEquals(SyncOutcome.OFFLINE, stuck.sync.lastReport?.outcome)
        assertEquals(1uL, stuck.sync.outbox?.blobsPending)
        assertTrue(stuck.sync.pendingCount > 1)
        assertTrue("offline is not a wedge", stuck.wedged.isEmpty())

        // Signal again: the queue drains.
        server.clearFaults()
        platform.online.value = true
        screens.outbox.syncNow().await()
        val drained = screens.outbox.state.await { it.sync.pendingCount == 0L && !it.sync.running }
        assertTrue(drained.sync.online)
        assertEquals(0L, drained.sync.wedgedCount)

        // The server holds both hazards; the ledger screen lists and filters them.
        val ledger = String(server.get("/v1/ledger", office), Charsets.UTF_8)
        assertTrue(ledger, ledger.contains(firstHazard) && ledger.contains(secondHazard))
        val hazards = screens.hazards.state.await { it.rows.size == 2 }
        assertEquals(setOf("R01", "C01"), hazards.rows.map { it.itemId }.toSet())
        assertTrue(hazards.unsynced.isEmpty())
        assertEquals(listOf("劲松三区-03"), hazards.options.grids.map { it.value })
        assertEquals(2, hazards.options.areas.size)
        screens.hazards.setFilter(LedgerFilter(grade = HazardGrade.SUSPECTED_MAJOR)).await()
        assertEquals(listOf(firstHazard), screens.hazards.state.value.rows.map { it.hazardId })

        // Closing the loop on the wiring hazard: confirm, fix on site with photos before and after, close.
        val detail = screens.hazardDetail(secondHazard)
        detail.start().await()
        assertEquals(1, detail.state.value.findingPhotos.size)
        assertEquals(HazardStatus.REPORTED, detail.state.value.detail?.state?.status)
        assertTrue(detail.state.value.availableActions.toString(), "confirm" in detail.state.value.availableActions)
        assertFalse("a grid worker may not assign", "assign" in detail.state.value.availableActions)
        detail.act(buildAction("confirm", ActionInputs(grade = HazardGrade.GENERAL))!!, null).await()
        assertEquals(HazardStatus.CONFIRMED, detail.state.value.detail?.state?.status)
        val before = photo(screens, detail.photoTarget, "photos/orientation_1.jpg")
        val after = photo(screens, detail.photoTarget, "photos/gray.jpg")
        assertEquals(ActionInput.PHOTOS_BEFORE_AFTER, inputFor("fix_on_site"))
        detail.act(buildAction("fix_on_site", ActionInputs(photos = listOf(before), photosAfter = listOf(after)))!!, "当场拆除").await()
        detail.act(HazardAction.Close, null).await()
        assertNull(detail.state.value.error)
        assertEquals(HazardStatus.CLOSED, detail.state.value.detail?.state?.status)
        assertEquals(3, detail.state.value.detail?.pendingActions?.size)
        screens.outbox.syncNow().await()
        val closed = detail.state.await { it.detail?.state?.serverStatus == HazardStatus.CLOSED }
        assertTrue(closed.detail!!.pendingActions.isEmpty())
        assertTrue(closed.detail!!.timeline.map { it.action }.containsAll(listOf("confirm", "fix_on_site", "close")))
        assertTrue(screens.outbox.state.value.refusals.isEmpty())

        screens.settings.checkIntegrity().await()
        val integrity = assertNotNull(screens.settings.state.value.integrity)
        assertTrue(integrity.journalIntact)
        assertEquals(0, integrity.evidenceProblems)
    }

    /** Takes a photo of [target] with the camera view model; returns its evidence SHA-256. */
    private fun photo(screens: SessionViewModels, target: EvidenceTarget, fixture: String): String {
        val camera = screens.photoCapture(target)
        val shot = camera.beginCapture()
        File(fixtures, fixture).copyTo(shot)
        camera.onCaptured(shot).await()
        return assertNotNull(camera.state.value.error.toString(), camera.state.value.lastAttached).sha256
    }

    /** First run: nothing opened before consent; then enrollment and the first sync. */
    private fun consentAndEnroll(): SessionViewModels {
        app.start().await()
        assertEquals(AppPhase.NEEDS_CONSENT, app.state.value.phase)
        assertNull(app.screens)
        assertFalse(platform.files.databaseFile.exists())
        app.acceptConsent().await()
        assertEquals(AppPhase.NEEDS_ENROLLMENT, app.state.value.phase)
        val screens = assertNotNull(app.screens)

        val worker = server.code("u-zhangwei")
        screens.enrollment.setServerUrl(server.url)
        screens.enrollment.setCode(worker.code)
        assertTrue(screens.enrollment.state.value.canEnroll)
        screens.enrollment.enroll().await()
        val enrolled = screens.enrollment.state.value
        assertNull(enrolled.error)
        assertEquals(SyncOutcome.COMPLETED, enrolled.firstSyncOutcome)
        assertEquals(AppPhase.READY, app.state.value.phase)
        assertEquals("张伟", app.state.value.account?.displayName)
        assertEquals(listOf("劲松三区-03"), app.state.value.account?.grids)
        assertEquals(server.url, platform.preferences.lastServerUrl)
        val home = screens.home.state.await { it.venues.size == 7 }
        assertEquals("张伟", home.account?.displayName)
        assertTrue(home.venues.none { it.inspectedToday })
        assertEquals(0, platform.locationCalls.get())
        return screens
    }

    /**
     * Answers every item of an inspection through the checklist view model — [failing] fails
     * with a note and a photo, the rest pass — and finishes it. Returns the hazard's id.
     */
    private fun inspect(screens: SessionViewModels, inspectionId: String, failing: String, note: String, major: Boolean): String {
        val checklist: ChecklistViewModel = screens.checklist(inspectionId)
        checklist.start().await()
        val fresh = checklist.state.value
        assertEquals(fresh.inspection?.itemCount?.toInt(), fresh.entries.size)
        assertTrue(fresh.sections.size > 1)
        assertTrue(fresh.sections.all { section -> section.entries.all { it.area == section.area } })
        assertEquals(fresh.entries.size, fresh.blockers.count { it is FinishBlocker.Unanswered })
        assertFalse(fresh.canFinish)
        for (entry in fresh.entries) {
            checklist.answer(entry.itemId, if (entry.itemId == failing) Verdict.FAIL else Verdict.PASS).await()
        }
        checklist.setNote(failing, note).await()
        if (major) checklist.setSuspectedMajor(failing, true).await()
        val answered = checklist.state.value
        assertEquals(listOf(failing), answered.blockers.map { it.itemId })
        assertTrue(answered.blockers.single() is FinishBlocker.PhotoMissing)
        assertFalse("a failed item without its required photo cannot be finished", answered.canFinish)
        checklist.finish().await()
        assertNull(checklist.state.value.summary)

        val camera = screens.photoCapture(EvidenceTarget.Answer(inspectionId, failing))
        camera.load().await()
        val shot = camera.beginCapture()
        File(fixtures, "photos/exif_full.jpg").copyTo(shot)
        camera.onCaptured(shot).await()
        assertNotNull(camera.state.value.lastAttached)
        assertEquals(1, camera.state.value.photos.size)
        assertFalse("the camera's own file is deleted", shot.exists())

        val ready = checklist.state.await { it.canFinish }
        assertEquals(1u, ready.entries.first { it.itemId == failing }.photoCount)
        assertEquals(note, ready.entries.first { it.itemId == failing }.answer?.note)
        checklist.finish().await()
        val done = checklist.state.value
        val hazard = assertNotNull(done.summary).hazards.single()
        assertEquals(InspectionStatus.FINISHED, done.inspection?.status)
        assertFalse(done.editable)
        assertEquals(failing, hazard.itemId)
        assertEquals(if (major) HazardGrade.SUSPECTED_MAJOR else HazardGrade.GENERAL, hazard.grade)
        assertEquals("REPORTED", hazard.status)
        return hazard.hazardId
    }
}

/** Waits (at most a minute) for an action to finish (the screens never wait; tests do). */
fun Job.await() = runBlocking { withTimeout(60_000) { join() } }

/** Non-null, or fail; returns the value. */
fun <T : Any> assertNotNull(value: T?): T {
    org.junit.Assert.assertNotNull(value)
    return value!!
}

/** Non-null with a message, or fail. */
fun <T : Any> assertNotNull(message: String, value: T?): T {
    org.junit.Assert.assertNotNull(message, value)
    return value!!
}
