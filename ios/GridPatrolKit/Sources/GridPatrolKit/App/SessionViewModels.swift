// The view models of an open core, created when the core opens after consent: the long-lived
// ones (one per screen kind, started here) and factories for the per-item screens (a venue, an
// inspection's checklist, a hazard, a photo target). The app's navigation asks this object.

import Foundation
import GridPatrolCore

@MainActor
public final class SessionViewModels {
    public let session: CoreSession
    private let platform: PlatformServices

    public let sync: SyncController
    public let enrollment: EnrollmentViewModel
    public let warnings: WarningsViewModel
    public let home: HomeViewModel
    public let scan: ScanViewModel
    public let hazards: HazardsViewModel
    public let outbox: OutboxViewModel
    public let settings: SettingsViewModel
    public let reports: ReportsViewModel
    public let resident: ResidentViewModel

    init(_ session: CoreSession, _ platform: PlatformServices, onEnrolled: @escaping @MainActor (AccountRecord) -> Void) {
        self.session = session
        self.platform = platform
        sync = SyncController(session, platform.connectivity, platform.backgroundSync)
        enrollment = EnrollmentViewModel(session, platform, onEnrolled: onEnrolled)
        warnings = WarningsViewModel(session)
        home = HomeViewModel(session, sync, warnings, platform.clock)
        scan = ScanViewModel(session, platform.location)
        hazards = HazardsViewModel(session)
        outbox = OutboxViewModel(session, sync)
        settings = SettingsViewModel(session, platform.preferences)
        reports = ReportsViewModel(session)
        resident = ResidentViewModel(session, platform, onEnrolled: onEnrolled)

        sync.start()
        warnings.start()
        home.start()
        hazards.start()
        outbox.start()
        reports.start()
        resident.start()
        settings.load()
    }

    public func venue(_ venueId: String) -> VenueViewModel {
        VenueViewModel(session, venueId)
    }

    public func checklist(_ inspectionId: String) -> ChecklistViewModel {
        ChecklistViewModel(session, inspectionId)
    }

    public func hazardDetail(_ hazardId: String) -> HazardDetailViewModel {
        HazardDetailViewModel(session, hazardId)
    }

    public func photoCapture(_ target: EvidenceTarget) -> PhotoCaptureViewModel {
        PhotoCaptureViewModel(session, platform.files, target)
    }

    /// Stops every long-lived view model's work, then closes the core. (Per-item view models
    /// follow events weakly and end with their screens.)
    func close() {
        let all: [SessionScoped] = [sync, enrollment, warnings, home, scan, hazards, outbox, settings, reports, resident]
        all.forEach { $0.cancelAll() }
        session.close()
    }
}

/// What `close` needs of every view model, whatever its state type.
@MainActor
protocol SessionScoped: AnyObject {
    func cancelAll()
}

extension StateViewModel: SessionScoped {}
