// Small pieces every screen uses: the error banner (kind → localised title, plus the core's
// reason), colours for risk and warning levels, and localised names of the core's enums.

import GridPatrolCore
import GridPatrolKit
import SwiftUI
import UIKit

/// Shows `error` (if any): a localised title for its kind and the core's reason.
struct ErrorBanner: View {
    let error: UiError?

    var body: some View {
        if let error {
            VStack(alignment: .leading, spacing: 4) {
                Text(Self.title(error.kind)).font(.subheadline.bold())
                Text(verbatim: error.reason).font(.caption)
            }
            .frame(maxWidth: .infinity, alignment: .leading)
            .padding(12)
            .background(Color.red.opacity(0.12), in: RoundedRectangle(cornerRadius: 8))
            .accessibilityElement(children: .combine)
        }
    }

    static func title(_ kind: ErrorKind) -> LocalizedStringKey {
        switch kind {
        case .invalidInput: return "error.invalid_input"
        case .notFound: return "error.not_found"
        case .conflict: return "error.conflict"
        case .storage: return "error.storage"
        case .network: return "error.network"
        case .rejected: return "error.rejected"
        case .internal: return "error.internal"
        }
    }
}

/// A venue's risk colour (风险等级).
func riskColor(_ colour: RiskColour) -> Color {
    switch colour {
    case .red: return .red
    case .orange: return .orange
    case .yellow: return .yellow
    case .blue: return .blue
    }
}

/// A warning's level colour (预警).
func warningColor(_ level: WarningLevel) -> Color {
    switch level {
    case .red: return .red
    case .orange: return .orange
    case .yellow: return .yellow
    case .blue: return .blue
    }
}

/// The label of a checklist verdict.
func verdictLabel(_ verdict: Verdict) -> LocalizedStringKey {
    switch verdict {
    case .pass: return "verdict.pass"
    case .fail: return "verdict.fail"
    case .na: return "verdict.na"
    }
}

/// The label of a resident report category.
func categoryLabel(_ category: ReportCategory) -> LocalizedStringKey {
    switch category {
    case .fire: return "category.fire"
    case .gas: return "category.gas"
    case .electrical: return "category.electrical"
    case .escapeRoute: return "category.escape_route"
    case .eBike: return "category.e_bike"
    case .building: return "category.building"
    case .floodGeological: return "category.flood_geological"
    case .other: return "category.other"
    }
}

/// The label of a report's status, as its reporter sees it.
func reportStatusLabel(_ status: ReportStatus?) -> LocalizedStringKey {
    switch status {
    case nil: return "resident.not_sent"
    case .received?: return "report.received"
    case .dispatched?: return "report.dispatched"
    case .hazardOpened?: return "report.hazard_opened"
    case .noHazard?: return "report.no_hazard"
    case .hazardClosed?: return "report.hazard_closed"
    case .refused?: return "report.refused"
    }
}

/// How the last sync pass ended, in the worker's words.
func outcomeLabel(_ outcome: SyncOutcome) -> LocalizedStringKey {
    switch outcome {
    case .completed: return "outcome.completed"
    case .offline: return "outcome.offline"
    case .serverUnavailable: return "outcome.server_unavailable"
    case .authRequired: return "outcome.auth_required"
    case .paused: return "outcome.paused"
    case .failed: return "outcome.failed"
    }
}

/// The label of a hazard's lifecycle state (DOMAIN.md "Hazards").
func statusLabel(_ status: HazardStatus) -> LocalizedStringKey {
    switch status {
    case .reported: return "status.reported"
    case .verifying: return "status.verifying"
    case .confirmed: return "status.confirmed"
    case .fixedOnSite: return "status.fixed_on_site"
    case .assigned: return "status.assigned"
    case .inProgress: return "status.in_progress"
    case .awaitingRecheck: return "status.awaiting_recheck"
    case .recheckPassed: return "status.recheck_passed"
    case .recheckFailed: return "status.recheck_failed"
    case .referred: return "status.referred"
    case .dismissed: return "status.dismissed"
    case .merged: return "status.merged"
    case .closed: return "status.closed"
    }
}

/// The label of a lifecycle action name as the core spells it (`confirm`, `recheck_pass`, …).
func actionLabel(_ name: String) -> LocalizedStringKey {
    LocalizedStringKey("action.\(name)")
}

/// A thumbnail from the evidence folder (a local file; nothing is fetched).
struct EvidenceThumbnail: View {
    let path: String

    var body: some View {
        if let image = UIImage(contentsOfFile: path) {
            Image(uiImage: image).resizable().scaledToFill().frame(width: 64, height: 64).clipped()
        } else {
            Image(systemName: "photo").frame(width: 64, height: 64)
        }
    }
}
