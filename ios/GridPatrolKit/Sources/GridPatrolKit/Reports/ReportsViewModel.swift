// Residents' reports dispatched to the worker's grids (never who reported): those still to check
// first. Checking one on site records a hazard (which enters the lifecycle at once) or "no
// hazard" with a reason the reporter will see.

import Foundation
import GridPatrolCore

public struct ReportsUiState: Equatable, Sendable {
    public var reports: [ReportRecord] = []
    /// The hazard areas a hazard is filed under (checklist order, labelled): the check's choices.
    public var areas: [HazardAreaRecord] = []
    /// The report just checked (its `hazardId` opens the hazard detail).
    public var checked: ReportRecord?
    public var error: UiError?

    public var toCheck: [ReportRecord] {
        reports.filter { !$0.checkedHere && $0.hazardId == nil }
    }
}

@MainActor
public final class ReportsViewModel: StateViewModel<ReportsUiState> {
    private let session: CoreSession

    init(_ session: CoreSession) {
        self.session = session
        super.init(ReportsUiState())
    }

    @discardableResult
    public func start() -> Task<Void, Never> {
        reloadOn(session, { event in
            if case let .syncFinished(report) = event { return report.changesPulled > 0 }
            return false
        }, { [weak self] in self?.load() })
        return load()
    }

    @discardableResult
    public func load() -> Task<Void, Never> {
        launchAction { [self] in
            let listed = await attempt { try await session.call { try $0.reports() } }
            let areas = await attempt { try await session.call { try $0.hazardAreas() } }
            setState {
                if let reports = listed.getOrNull() { $0.reports = reports }
                if let areas = areas.getOrNull() { $0.areas = areas }
                $0.error = listed.uiError() ?? areas.uiError()
            }
        }
    }

    /// Records what the on-site check found.
    @discardableResult
    public func check(_ reportId: String, _ finding: ReportFinding) -> Task<Void, Never> {
        launchAction { [self] in
            let done = await attempt { try await session.call { try $0.checkReport(reportId: reportId, finding: finding) } }
            setState {
                $0.checked = done.getOrNull()
                $0.error = done.uiError()
            }
            await load().value
        }
    }
}

/// The hazard area a report's category most likely belongs to, preselected when a worker turns a
/// report into a hazard (the worker can choose another of `ReportsUiState.areas`; area codes are
/// the reference pack's).
public func suggestedArea(_ category: ReportCategory) -> String {
    switch category {
    case .fire: return "extinguishers"
    case .gas: return "gas"
    case .electrical: return "electrical"
    case .escapeRoute: return "escape_routes"
    case .eBike: return "e_bikes"
    case .building, .floodGeological: return "self_built_house"
    case .other: return "management"
    }
}
