// The home screen: who is signed in, warnings awaiting 叫应, today's venues, and the outbox
// badge (what is waiting to be sent, what the server would not take). Re-reads itself when the
// journal changes or a sync pass pulled changes.

import Foundation
import GridPatrolCore

public struct HomeUiState: Equatable, Sendable {
    public var loading = true
    public var account: AccountRecord?
    public var venues: [VenueRow] = []
    /// Online, running, outbox counts: the badge is `SyncUiState.pendingCount`.
    public var sync = SyncUiState()
    /// Warnings that demand 叫应 (acknowledge on the warnings view model).
    public var warnings: [WarningRecord] = []
    public var error: UiError?

    /// Venues not yet inspected today.
    public var remainingToday: Int {
        venues.filter { !$0.inspectedToday }.count
    }
}

@MainActor
public final class HomeViewModel: StateViewModel<HomeUiState> {
    private let session: CoreSession
    private let syncController: SyncController
    private let warnings: WarningsViewModel
    private let clock: AppClock

    init(_ session: CoreSession, _ syncController: SyncController, _ warnings: WarningsViewModel, _ clock: AppClock) {
        self.session = session
        self.syncController = syncController
        self.warnings = warnings
        self.clock = clock
        super.init(HomeUiState())
    }

    /// Follows sync state and core events; loads once.
    @discardableResult
    public func start() -> Task<Void, Never> {
        follow(syncController.$state) { [weak self] sync in self?.setState { $0.sync = sync } }
        follow(warnings.$state) { [weak self] w in self?.setState { $0.warnings = w.awaitingAck } }
        reloadOn(session, { event in
            switch event {
            case let .journalAppended(_, kind): return kind.hasPrefix("inspection.")
            case let .syncFinished(report): return report.changesPulled > 0
            default: return false
            }
        }, { [weak self] in self?.refresh() })
        return refresh()
    }

    /// Re-reads the account, venues and inspections.
    @discardableResult
    public func refresh() -> Task<Void, Never> {
        launchAction { [self] in
            let loaded = await attempt {
                try await session.call { core in (try core.account(), try core.listVenues(), try core.listInspections()) }
            }
            guard case let .success((account, venues, inspections)) = loaded else {
                setState {
                    $0.loading = false
                    $0.error = loaded.uiError()
                }
                return
            }
            let zone = clock.zone()
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let today = calendar.dateComponents([.year, .month, .day], from: clock.now())
            setState {
                $0.loading = false
                $0.account = account
                $0.venues = venueRows(venues, inspections, today, zone)
                $0.error = nil
            }
        }
    }

    /// The pull-to-refresh gesture: a sync pass, then a re-read.
    @discardableResult
    public func syncNow() -> Task<Void, Never> {
        launchAction { [self] in
            await syncController.syncNow().value
            await refresh().value
        }
    }
}
