// The outbox: what waits to be sent (records and photos), the running pass's progress, the last
// result, items the server would not take with its reason (retry; discard for photos only),
// events it took but did not apply, and pausing sync.

import GridPatrolCore
import GridPatrolKit
import SwiftUI

struct OutboxView: View {
    @ObservedObject var outbox: OutboxViewModel

    var body: some View {
        let state = outbox.state
        List {
            Section {
                if let status = state.sync.outbox {
                    Text("outbox.events \(Int(status.eventsPending))")
                    Text("outbox.photos \(Int(status.blobsPending))")
                    if let last = status.lastSyncedAt { Text("outbox.last_synced \(last)") }
                    if status.authRequired { Text("outbox.auth_required").foregroundStyle(.red) }
                }
                if let progress = state.sync.progress {
                    ProgressView(value: Double(progress.done), total: Double(max(progress.total, 1)))
                }
                if let report = state.sync.lastReport {
                    LabeledContent { Text(outcomeLabel(report.outcome)) } label: { Text("outbox.last_outcome") }
                }
                Toggle("outbox.paused", isOn: Binding(get: { state.paused }, set: { outbox.setPaused($0) }))
                Button("sync.now") { outbox.syncNow() }.disabled(state.sync.running)
                ErrorBanner(error: state.error ?? state.sync.error)
            }
            if !state.wedged.isEmpty {
                Section("outbox.wedged") {
                    ForEach(state.wedged, id: \.id) { item in
                        VStack(alignment: .leading, spacing: 6) {
                            Text(verbatim: item.what)
                            Text(verbatim: item.reason).font(.caption).foregroundStyle(.secondary)
                            HStack {
                                Button("outbox.retry") { outbox.retry(item) }
                                if canDiscard(item) { Button("outbox.discard", role: .destructive) { outbox.discard(item) } }
                            }
                            .buttonStyle(.bordered)
                        }
                    }
                }
            }
            if !state.refusals.isEmpty {
                Section("outbox.refused") {
                    ForEach(state.refusals, id: \.eventId) { refusal in
                        VStack(alignment: .leading) {
                            Text(verbatim: refusal.action ?? refusal.kind)
                            Text(verbatim: refusal.reason).font(.caption)
                        }
                    }
                }
            }
        }
        .navigationTitle("outbox.title")
        .task { await outbox.loadWedged().value }
    }
}
