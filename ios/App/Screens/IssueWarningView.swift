// A supervisor issues a warning (发布预警): level (in its colour), type, the grids of their
// street (none chosen: all of them), the text, and the minutes each recipient has to acknowledge
// (叫应) before it escalates up the duty roster. Sent like all other work; back to the warnings
// once it is issued.

import GridPatrolCore
import GridPatrolKit
import SwiftUI

struct IssueWarningView: View {
    @ObservedObject var warnings: WarningsViewModel
    @ObservedObject var home: HomeViewModel
    @State private var draft = WarningDraft()
    @Environment(\.dismiss) private var dismiss

    init(warnings: WarningsViewModel, home: HomeViewModel) {
        self.warnings = warnings
        self.home = home
    }

    var body: some View {
        Form {
            Section("warnings.level") {
                ForEach(Self.levels, id: \.self) { level in
                    ChoiceRow(chosen: draft.level == level) { draft.level = level } label: {
                        Label { Text(Self.label(level)) } icon: {
                            Image(systemName: "circle.fill").foregroundStyle(warningColor(level))
                        }
                    }
                }
            }
            Picker("warnings.type", selection: $draft.type) {
                ForEach(Self.types, id: \.self) { Text(Self.label($0)).tag($0) }
            }
            Section {
                ForEach(home.state.account?.grids ?? [], id: \.self) { grid in
                    ChoiceRow(chosen: draft.grids.contains(grid)) { draft = draft.toggleGrid(grid) } label: { Text(verbatim: grid) }
                }
            } header: {
                Text("warnings.grids")
            } footer: {
                if draft.grids.isEmpty { Text("warnings.grids_all") }
            }
            Section {
                TextField("warnings.text", text: $draft.text, axis: .vertical).lineLimit(3...8)
                Stepper(value: $draft.ackWithinMinutes, in: WarningDraft.ackMinutes, step: WarningDraft.ackMinutesStep) {
                    Text("warnings.ack_within \(draft.ackWithinMinutes)")
                }
            }
            Section {
                Button("warnings.issue") {
                    warnings.issue(draft.level, draft.type, draft.grids, draft.text, draft.ackWithinMinutes)
                }
                .disabled(!draft.canIssue || warnings.state.issuing)
                ErrorBanner(error: warnings.state.error)
            }
        }
        .navigationTitle("warnings.issue")
        .onChange(of: warnings.state.issued) { _, issued in
            guard issued != nil else { return }
            warnings.onIssuedShown()
            dismiss()
        }
    }

    private static let levels: [WarningLevel] = [.blue, .yellow, .orange, .red]
    private static let types: [WarningType] = [.rainstorm, .flood, .geological, .wind, .fire, .heat, .snow, .other]

    private static func label(_ level: WarningLevel) -> LocalizedStringKey {
        switch level {
        case .blue: return "level.blue"
        case .yellow: return "level.yellow"
        case .orange: return "level.orange"
        case .red: return "level.red"
        }
    }

    private static func label(_ type: WarningType) -> LocalizedStringKey {
        switch type {
        case .rainstorm: return "warning_type.rainstorm"
        case .flood: return "warning_type.flood"
        case .geological: return "warning_type.geological"
        case .wind: return "warning_type.wind"
        case .fire: return "warning_type.fire"
        case .heat: return "warning_type.heat"
        case .snow: return "warning_type.snow"
        case .other: return "warning_type.other"
        }
    }
}

/// A choice in a list: a checkmark when chosen; a tap calls `action`.
private struct ChoiceRow<Content: View>: View {
    let chosen: Bool
    let action: () -> Void
    @ViewBuilder let label: () -> Content

    var body: some View {
        Button(action: action) {
            HStack {
                label()
                Spacer()
                if chosen { Image(systemName: "checkmark").foregroundStyle(.tint) }
            }
        }
        .foregroundStyle(.primary)
    }
}
