// The venue card: the venue's details (type, address, responsible person, risk colour), its
// inspections on this device and the hazards found there; start or continue an inspection
// without a scan (recorded without proof of presence) when the code is missing or damaged.

import Foundation
import GridPatrolCore

public struct VenueUiState: Equatable, Sendable {
    public var venue: VenueRecord?
    /// This venue's inspections, newest first.
    public var inspections: [InspectionRecord] = []
    public var hazards: [HazardRecord] = []
    /// The inspection started or continued by `startInspection`: navigate once.
    public var opened: InspectionRecord?
    public var error: UiError?

    public var openInspection: InspectionRecord? {
        inspections.first { $0.status == .inProgress }
    }
}

@MainActor
public final class VenueViewModel: StateViewModel<VenueUiState> {
    private let session: CoreSession
    public let venueId: String

    init(_ session: CoreSession, _ venueId: String) {
        self.session = session
        self.venueId = venueId
        super.init(VenueUiState())
    }

    @discardableResult
    public func load() -> Task<Void, Never> {
        launchAction { [self] in
            let venueId = venueId
            let loaded = await attempt {
                try await session.call { core in
                    (
                        try core.getVenue(venueId: venueId),
                        try core.listInspections().filter { $0.venueId == venueId },
                        try core.listHazards().filter { $0.venueId == venueId }
                    )
                }
            }
            guard case let .success((venue, inspections, hazards)) = loaded else {
                setState { $0.error = loaded.uiError() }
                return
            }
            setState {
                $0.venue = venue
                $0.inspections = inspections
                $0.hazards = hazards
                $0.error = nil
            }
        }
    }

    /// Starts the inspection (or returns the one in progress) without a scan.
    @discardableResult
    public func startInspection() -> Task<Void, Never> {
        launchAction { [self] in
            let venueId = venueId
            let started = await attempt { try await session.call { try $0.startInspection(venueId: venueId) } }
            setState {
                $0.opened = started.getOrNull()
                $0.error = started.uiError()
            }
            if started.isSuccess { await load().value }
        }
    }

    /// The screen navigated to `opened`.
    public func onOpenedShown() {
        setState { $0.opened = nil }
    }
}
