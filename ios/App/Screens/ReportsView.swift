// Residents' reports dispatched to the worker's grids (never who reported): those still to check
// first. The on-site check records a hazard (under an area preselected from the category, the
// worker may pick another) or "no hazard" with a reason the reporter will see.

import GridPatrolCore
import GridPatrolKit
import SwiftUI

struct ReportsView: View {
    @ObservedObject var reports: ReportsViewModel
    let go: (Route) -> Void
    @State private var reasons: [String: String] = [:]
    @State private var areas: [String: String] = [:]

    init(reports: ReportsViewModel, go: @escaping (Route) -> Void) {
        self.reports = reports
        self.go = go
    }

    var body: some View {
        let state = reports.state
        List {
            ErrorBanner(error: state.error)
            ForEach(state.toCheck, id: \.reportId) { report in
                Section {
                    Text(categoryLabel(report.category)).font(.headline)
                    Text(verbatim: report.description)
                    Text(verbatim: "\(report.venueName ?? report.venueId ?? report.grid) · \(report.receivedAt)").font(.caption)
                    TextField("reports.note", text: Binding(get: { reasons[report.reportId] ?? "" }, set: { reasons[report.reportId] = $0 }))
                    if report.venueId != nil {
                        Picker("hazards.filter_area", selection: Binding(get: { area(report) }, set: { areas[report.reportId] = $0 })) {
                            ForEach(state.areas, id: \.code) { choice in Text(verbatim: choice.label).tag(choice.code) }
                        }
                    }
                    HStack {
                        if let venueId = report.venueId {
                            Button("reports.is_hazard") { check(report, .hazard(venueId: venueId, area: area(report), grade: .general, note: reason(report))) }
                        }
                        Button("reports.no_hazard") { check(report, .noHazard(reason: reason(report) ?? "")) }
                            .disabled(reason(report) == nil)
                    }
                    .buttonStyle(.bordered)
                }
            }
            let checked = state.reports.filter { !state.toCheck.contains($0) }
            if !checked.isEmpty {
                Section("reports.checked") {
                    ForEach(checked, id: \.reportId) { report in
                        Button { if let hazard = report.hazardId { go(.hazard(hazard)) } } label: {
                            Text(verbatim: "\(report.description) · \(report.venueName ?? report.grid)")
                        }
                    }
                }
            }
        }
        .navigationTitle("reports.title")
        .onChange(of: state.checked) { _, checked in
            if let hazard = checked?.hazardId { go(.hazard(hazard)) }
        }
    }

    private func reason(_ report: ReportRecord) -> String? {
        let text = (reasons[report.reportId] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// The area chosen for the report's hazard, preselected from its category.
    private func area(_ report: ReportRecord) -> String {
        areas[report.reportId] ?? suggestedArea(report.category)
    }

    private func check(_ report: ReportRecord, _ finding: ReportFinding) {
        reports.check(report.reportId, finding)
    }
}
