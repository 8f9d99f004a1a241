// The venue card: type, address, responsible person, risk colour; its inspections and hazards on
// this device; start or continue an inspection without a scan (recorded without proof of
// presence) when the code is missing or damaged.

import GridPatrolCore
import GridPatrolKit
import SwiftUI

struct VenueView: View {
    @StateObject private var venue: VenueViewModel
    let go: (Route) -> Void

    init(venue: @autoclosure @escaping () -> VenueViewModel, go: @escaping (Route) -> Void) {
        _venue = StateObject(wrappedValue: venue())
        self.go = go
    }

    var body: some View {
        let state = venue.state
        List {
            if let record = state.venue {
                Section {
                    Label { Text(verbatim: record.venueTypeName) } icon: {
                        Circle().fill(riskColor(record.riskColour)).frame(width: 12, height: 12)
                    }
                    Text(verbatim: record.address)
                    Text(verbatim: "\(record.district) › \(record.street) › \(record.community) › \(record.grid)").font(.caption)
                    if let name = record.responsibleName { Text("venue.responsible \(name)") }
                }
            }
            Section {
                Button(LocalizedStringKey(state.openInspection == nil ? "venue.start" : "venue.continue")) {
                    if let open = state.openInspection { go(.checklist(open.inspectionId)) } else { venue.startInspection() }
                }
                ErrorBanner(error: state.error)
            }
            Section("venue.inspections") {
                ForEach(state.inspections, id: \.inspectionId) { inspection in
                    Button { go(.checklist(inspection.inspectionId)) } label: {
                        Text(verbatim: "\(inspection.startedAt) · \(inspection.answeredCount)/\(inspection.itemCount)")
                    }
                }
            }
            Section("hazards.title") {
                ForEach(state.hazards, id: \.hazardId) { hazard in
                    Button { go(.hazard(hazard.hazardId)) } label: {
                        Text(verbatim: "\(hazard.itemTitle) · \(hazard.status)")
                    }
                }
            }
        }
        .navigationTitle(Text(verbatim: state.venue?.name ?? ""))
        .task { await venue.load().value }
        .onChange(of: state.opened) { _, opened in
            guard let opened else { return }
            venue.onOpenedShown()
            go(.checklist(opened.inspectionId))
        }
    }
}
