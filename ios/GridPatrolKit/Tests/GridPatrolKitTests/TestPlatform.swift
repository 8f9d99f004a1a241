// The platform side of the app for tests: files in a temporary folder, preferences in memory,
// a settable connectivity flag, a location source that counts its calls, and a background-sync
// request counter. The core and the server are real; the main actor is the "main thread".

import Combine
import Foundation
import GridPatrolCore
@testable import GridPatrolKit
import XCTest

/// Everything `PlatformServices` needs, observable by the tests.
@MainActor
final class TestPlatform {
    let root: URL
    /// Set to false to tell the app the network is gone.
    let online = CurrentValueSubject<Bool, Never>(true)
    let preferences = MemoryPreferences()
    let files: TestFiles
    let location: CountingLocation
    let backgroundSync = CountingBackgroundSync()
    /// The token store the core writes the bearer token to (the app uses the Keychain).
    let credentials = MemoryCredentialStore()
    let services: PlatformServices

    var locationCalls: Int { location.calls }
    var backgroundRequests: Int { backgroundSync.requests }

    init(_ fix: LocationFix?) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("gp-viewmodel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        files = TestFiles(root)
        location = CountingLocation(fix)
        services = PlatformServices(
            files: files,
            preferences: preferences,
            location: location,
            connectivity: SubjectConnectivity(online),
            backgroundSync: backgroundSync,
            deviceName: "XCTest phone",
            credentials: credentials
        )
    }

    func close() {
        try? FileManager.default.removeItem(at: root)
    }
}

final class MemoryPreferences: AppPreferences {
    var consentVersion: Int?
    var language: String?
    var lastServerUrl: String?
}

final class TestFiles: AppFiles {
    let databaseFile: URL
    let evidenceDir: URL
    private let captures: URL
    private var count = 0

    init(_ root: URL) {
        databaseFile = root.appendingPathComponent("core/gridpatrol.db")
        evidenceDir = root.appendingPathComponent("core/evidence")
        captures = root.appendingPathComponent("captures")
    }

    func newCaptureFile() -> URL {
        count += 1
        try? FileManager.default.createDirectory(at: captures, withIntermediateDirectories: true)
        return captures.appendingPathComponent("photo-\(count).jpg")
    }
}

struct SubjectConnectivity: Connectivity {
    let subject: CurrentValueSubject<Bool, Never>
    init(_ subject: CurrentValueSubject<Bool, Never>) { self.subject = subject }
    var online: AnyPublisher<Bool, Never> { subject.eraseToAnyPublisher() }
}

/// Returns one fixed fix (or none) and counts how often it was asked.
final class CountingLocation: LocationSource, @unchecked Sendable {
    private let fix: LocationFix?
    private let lock = NSLock()
    private var count = 0

    init(_ fix: LocationFix?) { self.fix = fix }

    var calls: Int { lock.withLock { count } }

    func currentFix() async -> LocationFix? {
        lock.withLock { count += 1 }
        return fix
    }
}

/// The core's credential store in memory: what the Keychain store does, observable.
final class MemoryCredentialStore: CredentialStore, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?

    var token: String? { lock.withLock { stored } }

    func loadToken() -> String? { lock.withLock { stored } }

    func saveToken(token: String?) -> Bool {
        lock.withLock { stored = token }
        return true
    }
}

final class CountingBackgroundSync: BackgroundSync {
    private(set) var requests = 0
    func request() { requests += 1 }
}

extension StateViewModel {
    /// Waits (at most `seconds`) until the state satisfies `predicate`; returns that state.
    /// (Kotlin: `StateFlow.await(predicate)`.)
    func awaitState(seconds: Double = 30, _ predicate: (State) -> Bool) async throws -> State {
        let deadline = Date().addingTimeInterval(seconds)
        while !predicate(state) {
            if Date() > deadline { throw StateTimeout(state: String(describing: state)) }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return state
    }
}

/// A state never came: fails the test with the state it stuck in.
struct StateTimeout: Error, CustomStringConvertible {
    let state: String
    var description: String { "timed out waiting; last state: \(state)" }
}
