// Sync as the screens see it: whether the phone is online (the platform's connectivity drives
// the core's `setOnline`), whether a pass is running and how far it got, the last pass's report
// and the outbox counts. Also asks the OS for a background sync whenever work is waiting.

import Foundation
import GridPatrolCore

/// The sync part of every screen's state.
public struct SyncUiState: Equatable, Sendable {
    public var online = false
    public var running = false
    /// The running pass's progress (nil between passes).
    public var progress: SyncProgress?
    public var lastReport: SyncReport?
    public var outbox: OutboxStatus?
    public var error: UiError?

    /// Items waiting to be sent: the home screen's badge.
    public var pendingCount: Int {
        outbox.map { Int($0.eventsPending + $0.blobsPending) } ?? 0
    }

    /// Items the server would not take (the outbox screen offers retry / discard).
    public var wedgedCount: Int {
        outbox.map { Int($0.eventsWedged + $0.blobsWedged) } ?? 0
    }
}

/// One per session; `start` it once.
@MainActor
public final class SyncController: StateViewModel<SyncUiState> {
    private let session: CoreSession
    private let connectivity: Connectivity
    private let backgroundSync: BackgroundSync
    // Connectivity changes reach the core in the order they happened.
    private var lastOnlineCall: Task<Void, Never>?

    init(_ session: CoreSession, _ connectivity: Connectivity, _ backgroundSync: BackgroundSync) {
        self.session = session
        self.connectivity = connectivity
        self.backgroundSync = backgroundSync
        super.init(SyncUiState())
    }

    /// Follows connectivity and the core's events; reads the outbox once.
    @discardableResult
    public func start() -> Task<Void, Never> {
        follow(connectivity.online) { [weak self] online in self?.onOnline(online) }
        follow(session.events) { [weak self] event in self?.onEvent(event) }
        return refresh()
    }

    /// Re-reads the outbox counts.
    @discardableResult
    public func refresh() -> Task<Void, Never> {
        launchAction { [self] in
            let status = await attempt { try await session.call { try $0.outboxStatus() } }
            if let status = status.getOrNull() { onOutbox(status) }
        }
    }

    /// Runs a pass now and waits for it. Network trouble is not an error: it is the report's
    /// outcome, and the queue retries by itself.
    @discardableResult
    public func syncNow() -> Task<Void, Never> {
        launchAction { [self] in
            setState {
                $0.running = true
                $0.error = nil
            }
            let report = await attempt { try await session.callAsync { try await $0.syncNow() } }
            let status = await attempt { try await session.call { try $0.outboxStatus() } }
            setState {
                $0.running = false
                $0.progress = nil
                $0.lastReport = report.getOrNull() ?? $0.lastReport
                $0.error = report.uiError()
            }
            if let status = status.getOrNull() { onOutbox(status) }
        }
    }

    /// Stops syncing (and the pass in flight); `resume` lets it run again.
    @discardableResult
    public func pause() -> Task<Void, Never> {
        launchAction { [self] in _ = await attempt { try await session.call { try $0.pauseSync() } } }
    }

    @discardableResult
    public func resume() -> Task<Void, Never> {
        launchAction { [self] in _ = await attempt { try await session.call { try $0.resumeSync() } } }
    }

    private func onOnline(_ online: Bool) {
        setState { $0.online = online }
        let previous = lastOnlineCall
        lastOnlineCall = launchAction { [self] in
            await previous?.value
            _ = await attempt { try await session.call { try $0.setOnline(online: online) } }
        }
    }

    private func onEvent(_ event: CoreEvent) {
        switch event {
        case let .outboxChanged(status):
            onOutbox(status)
        case let .syncProgressed(progress):
            setState {
                $0.running = true
                $0.progress = progress
            }
        case let .syncFinished(report):
            setState {
                $0.running = false
                $0.progress = nil
                $0.lastReport = report
            }
        case .journalAppended, .warningReceived, .eventRefused:
            break
        }
    }

    private func onOutbox(_ status: OutboxStatus) {
        setState { $0.outbox = status }
        if status.eventsPending > 0 || status.blobsPending > 0 { backgroundSync.request() }
    }
}
