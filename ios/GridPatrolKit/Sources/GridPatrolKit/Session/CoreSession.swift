// The open core: one `GridPatrol` for the app's lifetime, its listener turned into a publisher
// the view models follow on the main thread, and the one way view models call the core (off the
// main thread). Opened only after the privacy consent.

import Combine
import Foundation
import GridPatrolCore

/// What the core's listener reported, as one type the view models can switch over.
/// (Kotlin: a sealed class with one data class per kind; here one enum case per kind.)
public enum CoreEvent: Equatable, Sendable {
    /// An event was committed to the journal (`kind` e.g. `inspection.finished`).
    case journalAppended(deviceSeq: UInt64, kind: String)
    case outboxChanged(OutboxStatus)
    case syncProgressed(SyncProgress)
    case syncFinished(SyncReport)
    /// A warning reached this user (or was escalated to them): show it until acknowledged (叫应).
    case warningReceived(WarningRecord)
    /// The server took one of this device's events but did not apply it: show the reason.
    case eventRefused(RefusalRecord)
}

/// The open core and its events. Create with `open`; end with `close`.
@MainActor
public final class CoreSession {
    /// Chinese first: the app's default language.
    nonisolated public static let defaultLocale = "zh-CN"

    private let core: GridPatrol
    private let subject = PassthroughSubject<CoreEvent, Never>()
    // Core calls touch SQLite, files and images: they run here, never on the main thread.
    private let io = DispatchQueue(label: "cn.gridpatrol.core", qos: .userInitiated, attributes: .concurrent)

    /// Every listener call, delivered on the main thread, in the order the core made them.
    public var events: AnyPublisher<CoreEvent, Never> { subject.eraseToAnyPublisher() }

    private init(core: GridPatrol) throws {
        self.core = core
        // The listener is called on a core thread after each commit; events hop to the main
        // queue (FIFO, so their order is kept) before anyone sees them, and the core's thread
        // never waits for the UI.
        let listener = ListenerBridge { [weak self] event in
            DispatchQueue.main.async {
                MainActor.assumeIsolated { self?.subject.send(event) }
            }
        }
        try core.setListener(listener: listener)
    }

    /// Runs `block` against the core off the main thread (core calls must never block the UI).
    public func call<T: Sendable>(_ block: @escaping @Sendable (GridPatrol) throws -> T) async throws -> T {
        let core = self.core
        return try await withCheckedThrowingContinuation { continuation in
            io.async { continuation.resume(with: Result { try block(core) }) }
        }
    }

    /// Runs an async core call (enroll, syncNow); uniffi resumes it from the core's runtime.
    public func callAsync<T: Sendable>(_ block: @Sendable (GridPatrol) async throws -> T) async throws -> T {
        try await block(core)
    }

    /// Stops the listener and closes the database; the native handle is freed when the last
    /// reference to this session goes.
    public func close() {
        try? core.setListener(listener: nil)
        core.shutdown()
    }

    /**
     * Opens (creating if needed) the core in the app's container. Throws
     * `GridPatrolError.Storage` for an unusable database (a corrupt one is moved aside).
     */
    /// With `credentials` (iOS: the Keychain) the bearer token is kept there instead of the
    /// database, set before anything reads the enrollment; a token the database still holds
    /// moves there at once.
    public static func open(_ files: AppFiles, _ locale: String?, _ credentials: CredentialStore?) async throws -> CoreSession {
        let config = GridPatrolConfig(
            databasePath: files.databaseFile.path,
            evidenceDir: files.evidenceDir.path,
            locale: locale ?? defaultLocale
        )
        let core = try await Task.detached(priority: .userInitiated) {
            let core = try GridPatrol.open(config: config)
            do {
                try core.setCredentialStore(store: credentials)
            } catch {
                core.shutdown()
                throw error
            }
            return core
        }.value
        return try CoreSession(core: core)
    }
}

/// The core's listener: forwards every call as a `CoreEvent`. Holds only a Sendable closure.
private final class ListenerBridge: GridPatrolListener {
    private let deliver: @Sendable (CoreEvent) -> Void

    init(_ deliver: @escaping @Sendable (CoreEvent) -> Void) {
        self.deliver = deliver
    }

    func onJournalAppended(deviceSeq: UInt64, kind: String) {
        deliver(.journalAppended(deviceSeq: deviceSeq, kind: kind))
    }

    func onOutboxChanged(status: OutboxStatus) { deliver(.outboxChanged(status)) }

    func onSyncProgress(progress: SyncProgress) { deliver(.syncProgressed(progress)) }

    func onSyncFinished(report: SyncReport) { deliver(.syncFinished(report)) }

    func onWarning(warning: WarningRecord) { deliver(.warningReceived(warning)) }

    func onEventRefused(refusal: RefusalRecord) { deliver(.eventRefused(refusal)) }
}
