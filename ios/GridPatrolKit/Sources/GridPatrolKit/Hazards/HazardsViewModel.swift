// The hazard ledger screen (隐患台账): the grid's ledger from the last sync, filtered by the core
// (region, area, venue type, grade, status, overdue), the counts behind the filter menus, the
// hazards found on this device that no sync has brought back yet, and the CSV export.

import Foundation
import GridPatrolCore

public struct HazardsUiState: Equatable, Sendable {
    /// The synced ledger, filtered, newest report first.
    public var rows: [LedgerRow] = []
    /// Found on this device and not in the ledger yet (not synced, or not pulled back).
    public var unsynced: [HazardRecord] = []
    public var filter = LedgerFilter()
    public var options = HazardFilterOptions()
    /// How many hazards the last export wrote.
    public var exported: Int?
    public var error: UiError?
}

@MainActor
public final class HazardsViewModel: StateViewModel<HazardsUiState> {
    private let session: CoreSession

    init(_ session: CoreSession) {
        self.session = session
        super.init(HazardsUiState())
    }

    /// Loads, and reloads after inspections, hazard actions or a sync that pulled changes.
    @discardableResult
    public func start() -> Task<Void, Never> {
        reloadOn(session, { event in
            switch event {
            case let .journalAppended(_, kind): return kind == "inspection.finished" || kind.hasPrefix("hazard.")
            case let .syncFinished(report): return report.changesPulled > 0
            default: return false
            }
        }, { [weak self] in self?.load() })
        return load()
    }

    @discardableResult
    public func load() -> Task<Void, Never> {
        launchAction { [self] in
            let filter = state.filter
            let loaded = await attempt {
                try await session.call { core in
                    let inLedger = Set(try core.ledger(filter: LedgerFilter()).map(\.hazardId))
                    return (
                        try core.ledger(filter: filter),
                        try core.listHazards().filter { !inLedger.contains($0.hazardId) },
                        HazardFilterOptions.of(try HazardFilterOptions.groups.map {
                            try core.ledgerCounts(filter: LedgerFilter(), groupBy: $0)
                        })
                    )
                }
            }
            guard case let .success((rows, unsynced, options)) = loaded else {
                setState { $0.error = loaded.uiError() }
                return
            }
            setState {
                $0.rows = rows
                $0.unsynced = unsynced
                $0.options = options
                $0.error = nil
            }
        }
    }

    /// Applies a filter (the core filters the ledger).
    @discardableResult
    public func setFilter(_ filter: LedgerFilter) -> Task<Void, Never> {
        setState { $0.filter = filter }
        return load()
    }

    /// Writes the filtered ledger as CSV (UTF-8 with BOM, for Excel) to `path`.
    @discardableResult
    public func exportCsv(_ path: String) -> Task<Void, Never> {
        launchAction { [self] in
            let filter = state.filter
            let written = await attempt { try await session.call { try $0.exportLedgerCsv(filter: filter, path: path) } }
            setState {
                $0.exported = written.getOrNull().map { Int($0) }
                $0.error = written.uiError()
            }
        }
    }
}
