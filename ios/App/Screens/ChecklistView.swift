// The checklist: items grouped by area; pass / fail / N/A, a note and the suspected-major mark
// per item; a photo for failed items (required ones block finishing, and the screen says which);
// the proof-of-presence flag; finishing turns each failure into a hazard.

import GridPatrolCore
import GridPatrolKit
import SwiftUI

struct ChecklistView: View {
    @StateObject private var checklist: ChecklistViewModel
    let go: (Route) -> Void

    init(checklist: @autoclosure @escaping () -> ChecklistViewModel, go: @escaping (Route) -> Void) {
        _checklist = StateObject(wrappedValue: checklist())
        self.go = go
    }

    var body: some View {
        let state = checklist.state
        List {
            if state.presenceFlagged {
                Label("checklist.presence_flagged", systemImage: "location.slash").font(.footnote)
            }
            ErrorBanner(error: state.error)
            ForEach(state.sections, id: \.area) { section in
                Section {
                    ForEach(section.entries, id: \.itemId) { entry in
                        ItemRow(entry: entry, editable: state.editable, checklist: checklist) {
                            go(.answerPhoto(inspectionId: checklist.inspectionId, itemId: entry.itemId))
                        }
                    }
                } header: {
                    Text(verbatim: "\(section.areaName) (\(section.answeredCount)/\(section.entries.count))")
                }
            }
            if state.editable {
                Section {
                    ForEach(state.blockers, id: \.itemId) { blocker in
                        switch blocker {
                        case let .unanswered(_, title): Text("checklist.unanswered \(title)")
                        case let .photoMissing(_, title): Text("checklist.photo_missing \(title)").foregroundStyle(.red)
                        }
                    }
                    Button("checklist.finish") { checklist.finish() }.disabled(!state.canFinish)
                }
            }
            if let summary = state.summary {
                Section { Text("checklist.finished \(summary.hazards.count)") }
            }
        }
        .navigationTitle(Text(verbatim: state.inspection?.venueName ?? ""))
        .task { await checklist.start().value }
    }
}

/// One checklist item: its verdict, note, suspected-major mark and photos.
private struct ItemRow: View {
    let entry: ChecklistEntry
    let editable: Bool
    let checklist: ChecklistViewModel
    let onPhoto: () -> Void
    @State private var note = ""

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text(verbatim: entry.title)
            if entry.photoOnFail { Text("checklist.photo_required").font(.caption).foregroundStyle(.secondary) }
            Picker("checklist.verdict", selection: Binding(
                get: { entry.answer?.verdict },
                set: { verdict in if let verdict { checklist.answer(entry.itemId, verdict) } }
            )) {
                ForEach([Verdict.pass, .fail, .na], id: \.self) { Text(verdictLabel($0)).tag(Optional($0)) }
            }
            .pickerStyle(.segmented)
            .disabled(!editable)
            if let answer = entry.answer {
                TextField("checklist.note", text: $note)
                    .onSubmit { checklist.setNote(entry.itemId, note) }
                    .disabled(!editable)
                if answer.verdict == .fail {
                    if entry.mayBeMajor {
                        Toggle("checklist.suspected_major", isOn: Binding(
                            get: { answer.suspectedMajor },
                            set: { checklist.setSuspectedMajor(entry.itemId, $0) }
                        ))
                        .disabled(!editable)
                    }
                    Button { onPhoto() } label: {
                        Label("checklist.photo \(Int(entry.photoCount))", systemImage: "camera")
                    }
                    .disabled(!editable)
                }
            }
        }
        .onAppear { note = entry.answer?.note ?? "" }
    }
}
