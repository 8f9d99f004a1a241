// One hazard: its state (the server's ledger plus this device's unsynced actions), deadline and
// flags, the photos of the finding and of the hazard, the server's timeline, pending actions,
// what the server refused or recorded as a conflict, and the lifecycle actions the user may take
// now, each asking for what it needs (grade, reason, photos before/after, …).

import GridPatrolCore
import GridPatrolKit
import SwiftUI

struct HazardDetailView: View {
    @StateObject private var detail: HazardDetailViewModel
    let go: (Route) -> Void
    @State private var acting: String?

    init(detail: @autoclosure @escaping () -> HazardDetailViewModel, go: @escaping (Route) -> Void) {
        _detail = StateObject(wrappedValue: detail())
        self.go = go
    }

    var body: some View {
        let state = detail.state
        List {
            if let hazard = state.detail?.state {
                Section {
                    Text(verbatim: "\(hazard.venueName ?? hazard.venueId) · \(hazard.areaName)")
                    Text(statusLabel(hazard.status)).font(.headline)
                    if hazard.grade == .suspectedMajor { Text("hazard.suspected_major").foregroundStyle(.red) }
                    if let deadline = hazard.deadline { Text("hazard.deadline \(deadline)") }
                    if hazard.overdue { Text("hazards.overdue").foregroundStyle(.red) }
                    if hazard.evidencePending { Text("hazard.evidence_pending").font(.caption) }
                    if let note = hazard.note { Text(verbatim: note).font(.caption) }
                }
            }
            ErrorBanner(error: state.error)
            Section("hazard.photos") {
                ScrollView(.horizontal) {
                    HStack {
                        ForEach(state.findingPhotos + state.hazardPhotos, id: \.sha256) { EvidenceThumbnail(path: $0.thumbnailPath) }
                    }
                }
                Button { go(.hazardPhoto(detail.hazardId)) } label: { Label("photo.take", systemImage: "camera") }
            }
            if !state.availableActions.isEmpty {
                Section("hazard.actions") {
                    ForEach(state.availableActions, id: \.self) { name in
                        Button(actionLabel(name)) { acting = name }.disabled(state.acting)
                    }
                }
            }
            if let record = state.detail {
                Section("hazard.timeline") {
                    ForEach(Array(record.timeline.enumerated()), id: \.offset) { _, step in
                        VStack(alignment: .leading) {
                            Text(actionLabel(step.action))
                            Text(verbatim: "\(step.by) · \(step.at)").font(.caption).foregroundStyle(.secondary)
                            if let note = step.note { Text(verbatim: note).font(.caption) }
                        }
                    }
                    ForEach(record.pendingActions, id: \.eventId) { pending in
                        Text("hazard.pending \(pending.recordedAt)").font(.caption)
                    }
                }
                ForEach(record.refusals + record.conflicts, id: \.eventId) { refusal in
                    Text(verbatim: refusal.reason).foregroundStyle(.orange)
                }
            }
        }
        .navigationTitle("hazards.title")
        .task { await detail.start().value }
        .sheet(item: Binding(get: { acting.map(ActionName.init) }, set: { acting = $0?.id })) { action in
            ActionForm(name: action.id, photos: state.hazardPhotos.map(\.sha256)) { inputs, note in
                if let built = buildAction(action.id, inputs) { detail.act(built, note) }
                acting = nil
            }
        }
    }
}

private struct ActionName: Identifiable {
    let id: String
}

/// Asks for what an action needs (`inputFor`), then builds it with `buildAction`.
private struct ActionForm: View {
    let name: String
    /// The hazard's photos (SHA-256) the action may cite.
    let photos: [String]
    let submit: (ActionInputs, String?) -> Void
    @State private var inputs = ActionInputs()
    @State private var note = ""

    var body: some View {
        NavigationStack {
            Form {
                switch inputFor(name) {
                case .grade:
                    Picker("hazard.grade", selection: $inputs.grade) {
                        Text("hazard.general").tag(HazardGrade.general)
                        Text("hazard.suspected_major").tag(HazardGrade.suspectedMajor)
                    }
                case .reason, .department, .ownerDeadline, .hazardId, .conflict:
                    TextField("hazard.action_text", text: $inputs.text)
                case .photos:
                    PhotoChoice(title: "hazard.photos", photos: photos, chosen: $inputs.photos)
                case .photosBeforeAfter:
                    PhotoChoice(title: "hazard.photo_before", photos: photos, chosen: $inputs.photos)
                    PhotoChoice(title: "hazard.photo_after", photos: photos, chosen: $inputs.photosAfter)
                case .supervise:
                    Toggle("action.supervise", isOn: $inputs.on)
                case .none:
                    EmptyView()
                }
                TextField("checklist.note", text: $note)
                Button("hazard.apply") { submit(inputs, note) }
            }
            .navigationTitle(actionLabel(name))
        }
    }
}

/// Chooses some of the hazard's photos by their thumbnails' order (take them first).
private struct PhotoChoice: View {
    let title: LocalizedStringKey
    let photos: [String]
    @Binding var chosen: [String]

    var body: some View {
        Section(title) {
            ForEach(Array(photos.enumerated()), id: \.element) { index, sha in
                Toggle(isOn: Binding(
                    get: { chosen.contains(sha) },
                    set: { on in chosen = on ? chosen + [sha] : chosen.filter { $0 != sha } }
                )) {
                    Text("hazard.photo_number \(index + 1)")
                }
            }
        }
    }
}
