// A supervisor issues a warning (预警) to grids of their street: level, type, text, the grids
// (none: all of them) and the minutes each recipient has to acknowledge (叫应) before it
// escalates up the duty roster. Sent like all other work.

import GridPatrolCore
import GridPatrolKit
import SwiftUI

struct IssueWarningView: View {
    @ObservedObject var warnings: WarningsViewModel
    @State private var level = WarningLevel.yellow
    @State private var type = WarningType.rainstorm
    @State private var text = ""
    @State private var grids = ""
    @State private var ackWithinMinutes = 30

    init(warnings: WarningsViewModel) {
        self.warnings = warnings
    }

    var body: some View {
        Form {
            Picker("warnings.level", selection: $level) {
                ForEach(Self.levels, id: \.self) { Text(Self.label($0)).tag($0) }
            }
            Picker("warnings.type", selection: $type) {
                ForEach(Self.types, id: \.self) { Text(Self.label($0)).tag($0) }
            }
            TextField("warnings.text", text: $text, axis: .vertical).lineLimit(3...8)
            TextField("warnings.grids", text: $grids)
            Stepper(value: $ackWithinMinutes, in: 5...240, step: 5) {
                Text("warnings.ack_within \(ackWithinMinutes)")
            }
            Button("warnings.issue") {
                let chosen = grids.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                warnings.issue(level, type, chosen, text, ackWithinMinutes)
            }
            .disabled(text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            if warnings.state.issued != nil { Text("warnings.issued") }
            ErrorBanner(error: warnings.state.error)
        }
        .navigationTitle("warnings.issue")
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
