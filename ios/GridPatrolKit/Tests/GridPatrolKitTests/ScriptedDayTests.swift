// A grid worker's day, driven only through the view models (what the screens call), against the
// real core and a real server-stub on loopback, asserting the UI state at each step: consent,
// enrollment and first sync, scanning a padded camera frame of the venue's printed code, the
// checklist with a required photo, sync; then the network is gone (the server drops every
// connection and the platform reports offline), a second venue is inspected, and when the
// network is back the queue drains and the server's ledger holds both hazards; one of them is
// then confirmed, fixed on site with photos before and after, and closed (销号).
// The same script as android/viewmodel/src/test/…/ScriptedDayTest.kt, step for step.

import Foundation
import GridPatrolCore
@testable import GridPatrolKit
import XCTest

@MainActor
final class ScriptedDayTests: XCTestCase {
    private var server: ServerStub!
    private var platform: TestPlatform!
    private var app: AppViewModel!

    /// Standing at the door of 老北京炸酱面馆 (CY-JS-001): WGS-84, as the GPS reports it.
    private let atFirstVenue = LocationFix(
        latitude: 39.882830, longitude: 116.456210, accuracyM: 18.0, provider: "gps", mock: false,
        fixTimeMs: Int64(Date().timeIntervalSince1970 * 1000)
    )

    override func setUp() async throws {
        server = try await ServerStub.start()
        platform = try TestPlatform(atFirstVenue)
        app = AppViewModel(platform.services)
    }

    override func tearDown() async throws {
        app?.close()
        platform?.close()
        server?.close()
    }

    func testAGridWorkersDayOnlineOfflineAndBack() async throws {
        let screens = try await consentAndEnroll()
        let office = try await server.enrollToken(server.code("u-wangjing").code)

        // The street office prints CY-JS-001's code; the worker points the camera at it.
        let frame = try paddedLumaFrame(try await server.get("/v1/venues/CY-JS-001/qr.png", office), border: 40, pad: 56)
        XCTAssertGreaterThan(frame.rowStride, frame.width)
        let decoding = try XCTUnwrap(screens.scan.onFrame(frame.bytes, frame.width, frame.height, frame.rowStride))
        await decoding.value
        let scan = screens.scan.state
        XCTAssertEqual(scan.codes.count, 1)
        let code = try XCTUnwrap(scan.codes.first)
        guard case let .verified(venueId, _, _, _) = code.verification else { return XCTFail("not verified: \(code)") }
        XCTAssertEqual("CY-JS-001", venueId)
        XCTAssertTrue(code.text.hasPrefix("http"), code.text)
        let started = try XCTUnwrap(scan.started)
        XCTAssertEqual("CY-JS-001", started.inspection.venueId)
        XCTAssertEqual(.near, started.scan.presence)
        XCTAssertEqual(1, platform.locationCalls)
        XCTAssertFalse(scan.active, "scanning pauses once an inspection started")
        XCTAssertNil(screens.scan.onFrame(frame.bytes, frame.width, frame.height, frame.rowStride), "a paused scanner drops frames")
        screens.scan.onStartedShown()

        let firstHazard = try await inspect(screens, started.inspection.inspectionId, failing: "R01", note: "后门上锁，通道堆放纸箱", major: true)
        let reopened = screens.checklist(started.inspection.inspectionId)
        await reopened.load().value
        XCTAssertFalse(reopened.state.presenceFlagged)

        // Back at the office: sync from the outbox screen.
        await screens.outbox.syncNow().value
        let synced = screens.outbox.state.sync
        XCTAssertEqual(.completed, synced.lastReport?.outcome)
        XCTAssertEqual(1, synced.lastReport?.blobsUploaded)
        XCTAssertEqual(0, synced.pendingCount)
        let home = try await screens.home.awaitState { state in
            state.venues.first { $0.venue.venueId == "CY-JS-001" }?.inspectedToday == true
        }
        XCTAssertEqual(0, home.sync.pendingCount)
        XCTAssertEqual(6, home.remainingToday)

        // The network is gone: every connection dropped, and the platform says offline.
        try await server.dropAllConnections()
        platform.online.value = false
        _ = try await screens.sync.awaitState { !$0.online }
        let venue = screens.venue("CY-JS-002")
        await venue.load().value
        XCTAssertEqual("便民小超市", venue.state.venue?.name)
        await venue.startInspection().value
        let second = try XCTUnwrap(venue.state.opened)
        venue.onOpenedShown()
        let secondHazard = try await inspect(screens, second.inspectionId, failing: "C01", note: "插线板串接，私拉电线", major: false)
        let offline = try await screens.home.awaitState { $0.sync.pendingCount > 0 }
        XCTAssertFalse(offline.sync.online)
        XCTAssertGreaterThan(platform.backgroundRequests, 0, "work waiting asks the OS for a background sync")
        await screens.outbox.syncNow().value
        let stuck = screens.outbox.state
        XCTAssertEqual(.offline, stuck.sync.lastReport?.outcome)
        XCTAssertEqual(1, stuck.sync.outbox?.blobsPending)
        XCTAssertGreaterThan(stuck.sync.pendingCount, 1)
        XCTAssertTrue(stuck.wedged.isEmpty, "offline is not a wedge")

        // Signal again: the queue drains.
        try await server.clearFaults()
        platform.online.value = true
        await screens.outbox.syncNow().value
        let drained = try await screens.outbox.awaitState { $0.sync.pendingCount == 0 && !$0.sync.running }
        XCTAssertTrue(drained.sync.online)
        XCTAssertEqual(0, drained.sync.wedgedCount)

        // The server holds both hazards; the ledger screen lists and filters them.
        let ledger = String(decoding: try await server.get("/v1/ledger", office), as: UTF8.self)
        XCTAssertTrue(ledger.contains(firstHazard) && ledger.contains(secondHazard), ledger)
        let hazards = try await screens.hazards.awaitState { $0.rows.count == 2 }
        XCTAssertEqual(["R01", "C01"], Set(hazards.rows.compactMap(\.itemId)))
        XCTAssertTrue(hazards.unsynced.isEmpty)
        XCTAssertEqual(["劲松三区-03"], hazards.options.grids.map(\.value))
        XCTAssertEqual(2, hazards.options.areas.count)
        await screens.hazards.setFilter(LedgerFilter(grade: .suspectedMajor)).value
        XCTAssertEqual([firstHazard], screens.hazards.state.rows.map(\.hazardId))

        // Closing the loop on the wiring hazard: confirm, fix on site with photos before and after, close.
        let detail = screens.hazardDetail(secondHazard)
        await detail.start().value
        XCTAssertEqual(1, detail.state.findingPhotos.count)
        XCTAssertEqual(.reported, detail.state.detail?.state.status)
        XCTAssertTrue(detail.state.availableActions.contains("confirm"), "\(detail.state.availableActions)")
        XCTAssertFalse(detail.state.availableActions.contains("assign"), "a grid worker may not assign")
        await detail.act(try XCTUnwrap(buildAction("confirm", ActionInputs(grade: .general))), nil).value
        XCTAssertEqual(.confirmed, detail.state.detail?.state.status)
        let before = try await photo(screens, detail.photoTarget, "photos/orientation_1.jpg")
        let after = try await photo(screens, detail.photoTarget, "photos/gray.jpg")
        XCTAssertEqual(.photosBeforeAfter, inputFor("fix_on_site"))
        await detail.act(try XCTUnwrap(buildAction("fix_on_site", ActionInputs(photos: [before], photosAfter: [after]))), "当场拆除").value
        await detail.act(.close, nil).value
        XCTAssertNil(detail.state.error)
        XCTAssertEqual(.closed, detail.state.detail?.state.status)
        XCTAssertEqual(3, detail.state.detail?.pendingActions.count)
        await screens.outbox.syncNow().value
        let closed = try await detail.awaitState { $0.detail?.state.serverStatus == .closed }
        XCTAssertTrue(try XCTUnwrap(closed.detail).pendingActions.isEmpty)
        let steps = Set(try XCTUnwrap(closed.detail).timeline.map(\.action))
        XCTAssertTrue(steps.isSuperset(of: ["confirm", "fix_on_site", "close"]), "\(steps)")
        XCTAssertTrue(screens.outbox.state.refusals.isEmpty)

        await screens.settings.checkIntegrity().value
        let integrity = try XCTUnwrap(screens.settings.state.integrity)
        XCTAssertTrue(integrity.journalIntact)
        XCTAssertEqual(0, integrity.evidenceProblems)
    }

    /// Takes a photo of `target` with the camera view model; returns its evidence SHA-256.
    private func photo(_ screens: SessionViewModels, _ target: EvidenceTarget, _ fixture: String) async throws -> String {
        let camera = screens.photoCapture(target)
        let shot = camera.beginCapture()
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(fixture), to: shot)
        await camera.onCaptured(shot).value
        return try XCTUnwrap(camera.state.lastAttached).sha256
    }

    /// First run: nothing opened before consent; then enrollment and the first sync.
    private func consentAndEnroll() async throws -> SessionViewModels {
        await app.start().value
        XCTAssertEqual(.needsConsent, app.state.phase)
        XCTAssertNil(app.screens)
        XCTAssertFalse(FileManager.default.fileExists(atPath: platform.files.databaseFile.path))
        await app.acceptConsent().value
        XCTAssertEqual(.needsEnrollment, app.state.phase)
        let screens = try XCTUnwrap(app.screens)

        let worker = server.code("u-zhangwei")
        screens.enrollment.setServerUrl(server.url)
        screens.enrollment.setCode(worker.code)
        XCTAssertTrue(screens.enrollment.state.canEnroll)
        await screens.enrollment.enroll().value
        let enrolled = screens.enrollment.state
        XCTAssertNil(enrolled.error)
        XCTAssertEqual(.completed, enrolled.firstSyncOutcome)
        XCTAssertEqual(.ready, app.state.phase)
        XCTAssertEqual("张伟", app.state.account?.displayName)
        XCTAssertEqual(["劲松三区-03"], app.state.account?.grids)
        XCTAssertEqual(server.url, platform.preferences.lastServerUrl)
        XCTAssertNotNil(platform.credentials.token, "the token is kept by the credential store (iOS: the Keychain)")
        let home = try await screens.home.awaitState { $0.venues.count == 7 }
        XCTAssertEqual("张伟", home.account?.displayName)
        XCTAssertTrue(home.venues.allSatisfy { !$0.inspectedToday })
        XCTAssertEqual(0, platform.locationCalls)
        return screens
    }

    /// Answers every item of an inspection through the checklist view model — `failing` fails
    /// with a note and a photo, the rest pass — and finishes it. Returns the hazard's id.
    private func inspect(
        _ screens: SessionViewModels, _ inspectionId: String, failing: String, note: String, major: Bool
    ) async throws -> String {
        let checklist = screens.checklist(inspectionId)
        await checklist.start().value
        let fresh = checklist.state
        XCTAssertEqual(fresh.inspection.map { Int($0.itemCount) }, fresh.entries.count)
        XCTAssertGreaterThan(fresh.sections.count, 1)
        XCTAssertTrue(fresh.sections.allSatisfy { section in section.entries.allSatisfy { $0.area == section.area } })
        XCTAssertEqual(fresh.entries.map { FinishBlocker.unanswered(itemId: $0.itemId, title: $0.title) }, fresh.blockers)
        XCTAssertFalse(fresh.canFinish)
        for entry in fresh.entries {
            await checklist.answer(entry.itemId, entry.itemId == failing ? .fail : .pass).value
        }
        await checklist.setNote(failing, note).value
        if major { await checklist.setSuspectedMajor(failing, true).value }
        let answered = checklist.state
        let title = try XCTUnwrap(answered.entries.first { $0.itemId == failing }).title
        XCTAssertEqual([.photoMissing(itemId: failing, title: title)], answered.blockers)
        XCTAssertFalse(answered.canFinish, "a failed item without its required photo cannot be finished")
        await checklist.finish().value
        XCTAssertNil(checklist.state.summary)

        let camera = screens.photoCapture(.answer(inspectionId: inspectionId, itemId: failing))
        await camera.load().value
        let shot = camera.beginCapture()
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("photos/exif_full.jpg"), to: shot)
        await camera.onCaptured(shot).value
        XCTAssertNotNil(camera.state.lastAttached)
        XCTAssertEqual(1, camera.state.photos.count)
        XCTAssertFalse(FileManager.default.fileExists(atPath: shot.path), "the camera's own file is deleted")

        let ready = try await checklist.awaitState { $0.canFinish }
        XCTAssertEqual(1, ready.entries.first { $0.itemId == failing }?.photoCount)
        XCTAssertEqual(note, ready.entries.first { $0.itemId == failing }?.answer?.note)
        await checklist.finish().value
        let done = checklist.state
        let hazard = try XCTUnwrap(try XCTUnwrap(done.summary).hazards.first)
        XCTAssertEqual(1, done.summary?.hazards.count)
        XCTAssertEqual(.finished, done.inspection?.status)
        XCTAssertFalse(done.editable)
        XCTAssertEqual(failing, hazard.itemId)
        XCTAssertEqual(major ? .suspectedMajor : .general, hazard.grade)
        XCTAssertEqual("REPORTED", hazard.status)
        return hazard.hazardId
    }
}
