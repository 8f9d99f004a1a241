// The hazard ledger (隐患台账): the grid's ledger from the last sync, filtered by grid, hazard
// area, venue type, status, suspected-major and overdue (the core filters; the menus come from
// the ledger's own counts); hazards found here and not synced yet; CSV export for Excel.

import GridPatrolCore
import GridPatrolKit
import SwiftUI

struct HazardsView: View {
    @ObservedObject var hazards: HazardsViewModel
    let go: (Route) -> Void
    @State private var exportFile: URL?

    init(hazards: HazardsViewModel, go: @escaping (Route) -> Void) {
        self.hazards = hazards
        self.go = go
    }

    var body: some View {
        let state = hazards.state
        List {
            Section {
                FilterMenu(title: "hazards.filter_grid", options: state.options.grids, selected: state.filter.grid) { value in
                    update { $0.grid = value }
                }
                FilterMenu(title: "hazards.filter_area", options: state.options.areas, selected: state.filter.area) { value in
                    update { $0.area = value }
                }
                FilterMenu(title: "hazards.filter_venue_type", options: state.options.venueTypes, selected: state.filter.venueType) { value in
                    update { $0.venueType = value }
                }
                Toggle("hazards.suspected_major_only", isOn: Binding(
                    get: { state.filter.grade == .suspectedMajor },
                    set: { on in update { $0.grade = on ? .suspectedMajor : nil } }
                ))
                Toggle("hazards.overdue", isOn: Binding(
                    get: { state.filter.overdue == true },
                    set: { on in update { $0.overdue = on ? true : nil } }
                ))
                if !state.filter.isEmpty {
                    Button("hazards.clear_filters") { hazards.setFilter(LedgerFilter()) }
                }
                ErrorBanner(error: state.error)
            }
            Section {
                ForEach(state.rows, id: \.hazardId) { row in
                    Button { go(.hazard(row.hazardId)) } label: { LedgerRowView(row: row) }.foregroundStyle(.primary)
                }
            }
            if !state.unsynced.isEmpty {
                Section("hazards.unsynced") {
                    ForEach(state.unsynced, id: \.hazardId) { hazard in
                        Button { go(.hazard(hazard.hazardId)) } label: {
                            Text(verbatim: "\(hazard.venueName) · \(hazard.itemTitle)")
                        }
                    }
                }
            }
        }
        .navigationTitle("hazards.title")
        .toolbar {
            ToolbarItemGroup(placement: .topBarTrailing) {
                Button("hazards.export") { export() }
                if let exportFile, let count = state.exported {
                    ShareLink(item: exportFile) { Label("hazards.exported \(count)", systemImage: "square.and.arrow.up") }
                }
            }
        }
        .task { await hazards.load().value }
    }

    private func update(_ change: (inout LedgerFilter) -> Void) {
        var filter = hazards.state.filter
        change(&filter)
        hazards.setFilter(filter)
    }

    /// Writes the filtered ledger into a temporary file, then offers it to the share sheet.
    private func export() {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ledger.csv")
        exportFile = file
        hazards.exportCsv(file.path)
    }
}

/// A filter menu built from the ledger's counts: "all", or one value with its open count.
private struct FilterMenu: View {
    let title: LocalizedStringKey
    let options: [FilterOption]
    let selected: String?
    let choose: (String?) -> Void

    var body: some View {
        Picker(title, selection: Binding(get: { selected }, set: choose)) {
            Text("hazards.filter_all").tag(String?.none)
            ForEach(options, id: \.value) { option in
                Text(verbatim: "\(option.label) (\(option.open)/\(option.total))").tag(Optional(option.value))
            }
        }
    }
}

private struct LedgerRowView: View {
    let row: LedgerRow

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Text(verbatim: row.venueName.isEmpty ? row.venueId : row.venueName)
                Spacer()
                Text(verbatim: row.statusName).font(.caption)
            }
            Text(verbatim: "\(row.areaName) · \(row.grid)").font(.caption).foregroundStyle(.secondary)
            HStack {
                if row.grade == .suspectedMajor { Text("hazard.suspected_major").foregroundStyle(.red) }
                if row.overdue { Text("hazards.overdue").foregroundStyle(.red) }
                if let deadline = row.deadline { Text("hazard.deadline \(deadline)") }
            }
            .font(.caption)
        }
    }
}
