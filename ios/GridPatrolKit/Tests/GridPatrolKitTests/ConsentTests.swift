// First run and enrollment failures: nothing is opened or collected before consent, a declined
// consent keeps it that way, consent is asked once, and enrollment errors come back typed.
// Mirrors android/viewmodel/src/test/…/ConsentTest.kt.

import Foundation
@testable import GridPatrolKit
import XCTest

@MainActor
final class ConsentTests: XCTestCase {
    private var platform: TestPlatform!
    private var app: AppViewModel!

    override func setUp() async throws {
        platform = try TestPlatform(nil)
        app = AppViewModel(platform.services)
    }

    override func tearDown() async throws {
        app?.close()
        platform?.close()
    }

    func testDeclinedConsentOpensAndCollectsNothing() async {
        await app.start().value
        await app.declineConsent().value
        XCTAssertEqual(.consentDeclined, app.state.phase)
        XCTAssertNil(app.screens)
        XCTAssertFalse(FileManager.default.fileExists(atPath: platform.files.databaseFile.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: platform.files.evidenceDir.path))
        XCTAssertEqual(0, platform.locationCalls)
        XCTAssertNil(platform.preferences.consentVersion)
        await app.reviewConsent().value
        XCTAssertEqual(.needsConsent, app.state.phase)
    }

    func testConsentIsAskedOnceThenTheCoreOpensAtStart() async {
        await app.start().value
        await app.acceptConsent().value
        XCTAssertEqual(.needsEnrollment, app.state.phase)
        XCTAssertTrue(FileManager.default.fileExists(atPath: platform.files.databaseFile.path))
        app.close()

        let again = AppViewModel(platform.services)
        await again.start().value
        XCTAssertEqual(.needsEnrollment, again.state.phase)
        again.close()
    }

    func testEnrollmentErrorsAreTypedAndKeepTheForm() async throws {
        await app.start().value
        await app.acceptConsent().value
        let enrollment = try XCTUnwrap(app.screens).enrollment
        enrollment.setServerUrl("not a url")
        enrollment.setCode("ABCD")
        XCTAssertFalse(enrollment.state.canEnroll)

        let server = try await ServerStub.start()
        enrollment.setServerUrl(server.url)
        enrollment.setCode("WRONG-CODE-0000")
        await enrollment.enroll().value
        let refused = enrollment.state
        XCTAssertEqual(.rejected, refused.error?.kind)
        XCTAssertFalse(refused.enrolling)
        XCTAssertEqual("WRONG-CODE-0000", refused.code)
        XCTAssertEqual(.needsEnrollment, app.state.phase)
        server.close()

        // The server is gone now: the same form fails as a network error.
        await enrollment.enroll().value
        XCTAssertEqual(.network, enrollment.state.error?.kind)
    }
}
