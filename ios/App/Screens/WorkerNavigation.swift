// The worker's (and supervisor's) navigation: home at the root, then scan, venue, checklist,
// photo, hazards and hazard detail, residents' reports, issuing a warning (supervisors), outbox
// and settings. Routes carry ids only; each per-item screen gets its view model from
// SessionViewModels once (StateObject).

import GridPatrolCore
import GridPatrolKit
import SwiftUI

enum Route: Hashable {
    case scan, hazards, reports, outbox, settings, issueWarning
    case venue(String)
    case checklist(String)
    case hazard(String)
    case answerPhoto(inspectionId: String, itemId: String)
    case hazardPhoto(String)
}

struct WorkerNavigation: View {
    let screens: SessionViewModels
    let onReEnroll: () -> Void
    @State private var path: [Route] = []

    init(screens: SessionViewModels, onReEnroll: @escaping () -> Void) {
        self.screens = screens
        self.onReEnroll = onReEnroll
    }

    var body: some View {
        NavigationStack(path: $path) {
            HomeView(home: screens.home, warnings: screens.warnings, go: go)
                .navigationDestination(for: Route.self, destination: destination)
        }
    }

    private func go(_ route: Route) {
        path.append(route)
    }

    @ViewBuilder
    private func destination(_ route: Route) -> some View {
        switch route {
        case .scan:
            ScanView(scan: screens.scan) { inspectionId in
                // The checklist replaces the scanner: back goes home.
                path = [.checklist(inspectionId)]
            }
        case let .venue(id):
            VenueView(venue: screens.venue(id), go: go)
        case let .checklist(id):
            ChecklistView(checklist: screens.checklist(id), go: go)
        case let .answerPhoto(inspectionId, itemId):
            PhotoView(photo: screens.photoCapture(.answer(inspectionId: inspectionId, itemId: itemId)))
        case let .hazardPhoto(id):
            PhotoView(photo: screens.photoCapture(.hazard(hazardId: id)))
        case .hazards:
            HazardsView(hazards: screens.hazards, go: go)
        case let .hazard(id):
            HazardDetailView(detail: screens.hazardDetail(id), go: go)
        case .reports:
            ReportsView(reports: screens.reports, go: go)
        case .outbox:
            OutboxView(outbox: screens.outbox)
        case .settings:
            SettingsView(settings: screens.settings, onReEnroll: onReEnroll)
        case .issueWarning:
            IssueWarningView(warnings: screens.warnings, home: screens.home)
        }
    }
}
