// The pure helpers, as in the Android view-model tests: the enrollment QR code's two spellings
// (EnrollmentLinkTest), grouping by area and what blocks finishing (ChecklistSectionsTest), the
// home screen's order of the day and the lifecycle actions the hazard screen builds
// (HomeAndHazardListsTest), the issue-warning form (WarningDraftTest). No core, no server.

import Foundation
import GridPatrolCore
@testable import GridPatrolKit
import XCTest

final class EnrollmentLinkTests: XCTestCase {
    func testAppSchemeCarriesServerAndCode() {
        XCTAssertEqual(
            EnrollmentLink("https://sync.example.cn/jinsong", "A4ZE-2JXJ-DYWD"),
            EnrollmentLink.parse("gridpatrol://enroll?server=https%3A%2F%2Fsync.example.cn%2Fjinsong%2F&code=A4ZE-2JXJ-DYWD")
        )
    }

    func testHttpsEnrollPathUsesTheOrigin() {
        XCTAssertEqual(EnrollmentLink("https://sync.example.cn:8443", "A4ZE"), EnrollmentLink.parse("https://sync.example.cn:8443/enroll?code=A4ZE"))
        XCTAssertEqual(EnrollmentLink("http://127.0.0.1:8700/street", "X"), EnrollmentLink.parse(" http://127.0.0.1:8700/street/enroll/?code=X "))
    }

    func testVenueCodesAndJunkAreNotEnrollmentLinks() {
        XCTAssertNil(EnrollmentLink.parse("https://sync.example.cn/q/AQAAAAFn"))
        XCTAssertNil(EnrollmentLink.parse("gridpatrol://enroll?code=A4ZE"))
        XCTAssertNil(EnrollmentLink.parse("gridpatrol://enroll?server=ftp%3A%2F%2Fx&code=A"))
        XCTAssertNil(EnrollmentLink.parse("WIFI:S:cafe;T:WPA;P:secret;;"))
        XCTAssertNil(EnrollmentLink.parse("https://sync.example.cn/enroll?code="))
        XCTAssertTrue(EnrollmentLink.isHttpUrl("http://127.0.0.1:1234"))
        XCTAssertFalse(EnrollmentLink.isHttpUrl("127.0.0.1:1234"))
    }
}

final class ChecklistSectionsTests: XCTestCase {
    private func entry(_ id: String, _ area: String, photoOnFail: Bool, verdict: Verdict?, photos: UInt32 = 0) -> ChecklistEntry {
        ChecklistEntry(
            itemId: id, area: area, areaName: "name of \(area)", title: "title \(id)",
            photoOnFail: photoOnFail, mayBeMajor: false,
            answer: verdict.map { AnswerRecord(verdict: $0, note: nil, suspectedMajor: false, answeredAt: "2026-11-28T02:30:00.000Z") },
            photoCount: photos
        )
    }

    func testSectionsKeepTheChecklistOrder() {
        let sections = checklistSections([
            entry("E01", "extinguishers", photoOnFail: true, verdict: nil),
            entry("R01", "escape_routes", photoOnFail: true, verdict: nil),
            entry("E02", "extinguishers", photoOnFail: true, verdict: nil),
        ])
        XCTAssertEqual(["extinguishers", "escape_routes"], sections.map(\.area))
        XCTAssertEqual(["E01", "E02"], sections[0].entries.map(\.itemId))
        XCTAssertEqual("name of escape_routes", sections[1].areaName)
    }

    func testUnansweredAndPhotolessFailuresBlockFinishing() {
        let entries = [
            entry("E01", "a", photoOnFail: true, verdict: .fail),
            entry("E02", "a", photoOnFail: true, verdict: .fail, photos: 1),
            entry("G04", "a", photoOnFail: false, verdict: .fail),
            entry("P01", "a", photoOnFail: true, verdict: nil),
            entry("P02", "a", photoOnFail: true, verdict: .na),
        ]
        XCTAssertEqual(
            [.photoMissing(itemId: "E01", title: "title E01"), .unanswered(itemId: "P01", title: "title P01")],
            finishBlockers(entries)
        )
        XCTAssertEqual(1, checklistSections(entries)[0].entries.filter { $0.answer == nil }.count)
    }
}

final class HomeAndHazardListsTests: XCTestCase {
    private let beijing = TimeZone(identifier: "Asia/Shanghai")!

    private func venue(_ id: String, _ colour: RiskColour) -> VenueRecord {
        VenueRecord(
            venueId: id, name: "venue \(id)", venueType: "small_shop", venueTypeName: "小商店", smallVenue: true,
            industry: "retail", address: "劲松", district: "朝阳区", street: "劲松街道", community: "劲松三区",
            grid: "劲松三区-03", location: nil, responsibleName: nil, responsiblePhone: nil, riskColour: colour
        )
    }

    private func inspection(_ venueId: String, _ startedAt: String, _ status: InspectionStatus) -> InspectionRecord {
        InspectionRecord(
            inspectionId: "i-\(venueId)-\(startedAt)", venueId: venueId, venueName: "venue \(venueId)", templateId: "t",
            templateVersion: 1, status: status, startedAt: startedAt, finishedAt: nil,
            itemCount: 10, answeredCount: 0, failedCount: 0
        )
    }

    func testOpenInspectionsFirstThenUninspectedByRiskThenDone() {
        let venues = [venue("A", .blue), venue("B", .red), venue("C", .red), venue("D", .yellow)]
        let inspections = [
            // 2026-11-28 00:30 in Beijing is still 2026-11-27 in UTC: "today" is the phone's local date.
            inspection("C", "2026-11-27T16:30:00.000Z", .finished),
            inspection("D", "2026-11-28T01:00:00.000Z", .inProgress),
            inspection("B", "2026-11-20T01:00:00.000Z", .finished),
        ]
        let rows = venueRows(venues, inspections, DateComponents(year: 2026, month: 11, day: 28), beijing)
        XCTAssertEqual(["D", "B", "A", "C"], rows.map(\.venue.venueId))
        XCTAssertEqual([true, false, false, true], rows.map(\.inspectedToday))
        XCTAssertEqual("2026-11-20T01:00:00.000Z", rows[1].lastInspectedAt)
        XCTAssertNotNil(rows[0].openInspectionId)
    }

    func testEveryLifecycleActionNameBuildsItsAction() {
        let names = [
            "verify", "confirm", "dismiss", "merge", "fix_on_site", "assign", "start", "request_recheck",
            "recheck_pass", "recheck_fail", "refer", "close", "supervise", "escalate", "resolve_conflict",
        ]
        for name in names { XCTAssertNotNil(buildAction(name, ActionInputs()), name) }
        XCTAssertNil(buildAction("teleport", ActionInputs()))
        XCTAssertEqual(.confirm(grade: .suspectedMajor), buildAction("confirm", ActionInputs(grade: .suspectedMajor)))
        XCTAssertEqual(.recheckPass(photos: ["ab"]), buildAction("recheck_pass", ActionInputs(photos: ["ab"])))
        XCTAssertEqual(.photos, inputFor("recheck_fail"))
        XCTAssertEqual(ActionInput.none, inputFor("close"))
    }
}

final class WarningDraftTests: XCTestCase {
    func testANewDraftWaitsForItsText() {
        var draft = WarningDraft()
        XCTAssertEqual(30, draft.ackWithinMinutes)
        XCTAssertEqual([], draft.grids)
        XCTAssertFalse(draft.canIssue)
        draft.text = " \n\t"
        XCTAssertFalse(draft.canIssue)
        draft.text = "暴雨蓝色预警，请检查地下空间"
        XCTAssertTrue(draft.canIssue)
    }

    func testMinutesToAcknowledgeStayWithinTheFormsRange() {
        var written = WarningDraft()
        written.text = "大风"
        for (minutes, allowed) in [(5, true), (240, true), (4, false), (241, false), (0, false)] {
            written.ackWithinMinutes = minutes
            XCTAssertEqual(allowed, written.canIssue, "\(minutes) minutes")
        }
        let range = WarningDraft.ackMinutes
        XCTAssertEqual(0, (range.upperBound - range.lowerBound) % WarningDraft.ackMinutesStep)
        XCTAssertEqual(0, (WarningDraft.defaultAckMinutes - range.lowerBound) % WarningDraft.ackMinutesStep)
    }

    func testTappingAGridChoosesItAndTappingAgainLetsItGo() {
        let draft = WarningDraft()
            .toggleGrid("劲松三区-03")
            .toggleGrid("劲松三区-01")
        XCTAssertEqual(["劲松三区-03", "劲松三区-01"], draft.grids)
        let back = draft.toggleGrid("劲松三区-03")
        XCTAssertEqual(["劲松三区-01"], back.grids)
        XCTAssertEqual([], back.toggleGrid("劲松三区-01").grids)
    }
}

final class KeychainTokenStoreTests: XCTestCase {
    /// Round trip through the real Keychain under a service of its own, removed afterwards.
    func testSavesLoadsReplacesAndDeletesTheToken() throws {
        let store = KeychainTokenStore(service: "cn.gridpatrol.tests.\(UUID().uuidString)")
        defer { _ = store.saveToken(token: nil) }
        XCTAssertNil(store.loadToken())
        guard store.saveToken(token: "first-token") else {
            throw XCTSkip("this test host has no usable Keychain (unsigned test runner)")
        }
        XCTAssertEqual("first-token", store.loadToken())
        XCTAssertTrue(store.saveToken(token: "second-token"))
        XCTAssertEqual("second-token", store.loadToken())
        XCTAssertTrue(store.saveToken(token: nil))
        XCTAssertNil(store.loadToken())
        XCTAssertTrue(store.saveToken(token: nil), "deleting nothing is not a failure")
    }
}
