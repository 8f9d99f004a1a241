// The outbox screen: what is waiting to be sent (events and photos), the running pass's
// progress, and the items the server would not take with its reason: retry (both), discard
// (photos only: every later event depends on an event, so events cannot be discarded), and
// the events the server took but did not apply, with its reason.

import Foundation
import GridPatrolCore

public struct OutboxUiState: Equatable, Sendable {
    public var sync = SyncUiState()
    public var wedged: [WedgedItem] = []
    /// Events the server took but did not apply (refused, or conflicting), newest first.
    public var refusals: [RefusalRecord] = []
    public var paused = false
    public var error: UiError?
}

/// Whether the outbox screen offers "discard" for `item`.
public func canDiscard(_ item: WedgedItem) -> Bool {
    item.kind == .blob
}

@MainActor
public final class OutboxViewModel: StateViewModel<OutboxUiState> {
    private let session: CoreSession
    private let syncController: SyncController

    init(_ session: CoreSession, _ syncController: SyncController) {
        self.session = session
        self.syncController = syncController
        super.init(OutboxUiState())
    }

    @discardableResult
    public func start() -> Task<Void, Never> {
        follow(syncController.$state) { [weak self] sync in self?.setState { $0.sync = sync } }
        reloadOn(session, { event in
            switch event {
            case .syncFinished, .eventRefused: return true
            default: return false
            }
        }, { [weak self] in self?.loadWedged() })
        return loadWedged()
    }

    /// Re-reads the wedged items and the refusals.
    @discardableResult
    public func loadWedged() -> Task<Void, Never> {
        launchAction { [self] in
            let listed = await attempt { try await session.call { core in (try core.wedgedItems(), try core.refusals()) } }
            setState {
                $0.wedged = listed.getOrNull()?.0 ?? $0.wedged
                $0.refusals = listed.getOrNull()?.1 ?? $0.refusals
                $0.error = listed.uiError()
            }
        }
    }

    @discardableResult
    public func syncNow() -> Task<Void, Never> {
        launchAction { [self] in
            await syncController.syncNow().value
            await loadWedged().value
        }
    }

    /// Queues a wedged item again, due now, and runs a pass.
    @discardableResult
    public func retry(_ item: WedgedItem) -> Task<Void, Never> {
        launchAction { [self] in
            let done = await attempt { try await session.call { try $0.retryWedged(kind: item.kind, id: item.id) } }
            setState { $0.error = done.uiError() }
            if done.isSuccess { await syncNow().value }
        }
    }

    /// Drops a wedged photo upload (the server keeps its record as evidence-pending).
    @discardableResult
    public func discard(_ item: WedgedItem) -> Task<Void, Never> {
        launchAction { [self] in
            let done = await attempt { try await session.call { try $0.discardWedged(kind: item.kind, id: item.id) } }
            setState { $0.error = done.uiError() }
            await loadWedged().value
            await syncController.refresh().value
        }
    }

    @discardableResult
    public func setPaused(_ paused: Bool) -> Task<Void, Never> {
        launchAction { [self] in
            await (paused ? syncController.pause() : syncController.resume()).value
            setState { $0.paused = paused }
        }
    }
}
