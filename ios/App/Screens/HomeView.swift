// Home: warnings awaiting 叫应 on top (one tap acknowledges), today's venues (open inspections
// first, then by risk colour), the outbox badge and sync state, and the way to every other screen.
// Pull to refresh runs a sync pass.

import GridPatrolCore
import GridPatrolKit
import SwiftUI

struct HomeView: View {
    @ObservedObject var home: HomeViewModel
    let warnings: WarningsViewModel
    let go: (Route) -> Void

    var body: some View {
        let state = home.state
        List {
            Section {
                HStack {
                    Text(LocalizedStringKey(state.sync.online ? "home.online" : "home.offline"))
                    Text("home.pending \(state.sync.pendingCount)")
                    if state.sync.running { ProgressView() }
                }
                .font(.footnote)
                ErrorBanner(error: state.error)
            }
            if !state.warnings.isEmpty {
                Section {
                    ForEach(state.warnings, id: \.warningId) { warning in
                        WarningCard(warning: warning) { warnings.acknowledge(warning.warningId) }
                    }
                }
            }
            Section {
                Button("hazards.title") { go(.hazards) }
                Button("reports.title") { go(.reports) }
                if state.account?.role == .supervisor {
                    Button("warnings.issue") { go(.issueWarning) }
                }
            }
            Section("home.today \(state.remainingToday) \(state.venues.count)") {
                ForEach(state.venues, id: \.venue.venueId) { row in
                    Button {
                        if let inspection = row.openInspectionId { go(.checklist(inspection)) } else { go(.venue(row.venue.venueId)) }
                    } label: {
                        VenueRowView(row: row)
                    }
                    .foregroundStyle(.primary)
                }
            }
        }
        .refreshable { await home.syncNow().value }
        .navigationTitle(state.account.map { Text(verbatim: $0.displayName) } ?? Text("app.name"))
        .toolbar {
            ToolbarItem(placement: .topBarTrailing) {
                Button { go(.outbox) } label: {
                    Image(systemName: "icloud.and.arrow.up").overlay(alignment: .topTrailing) {
                        if state.sync.pendingCount > 0 {
                            Text(verbatim: "\(state.sync.pendingCount)").font(.caption2).padding(3).background(.red, in: Capsule()).foregroundStyle(.white)
                        }
                    }
                }
                .accessibilityLabel(Text("outbox.title"))
            }
            ToolbarItem(placement: .topBarTrailing) {
                Button { go(.settings) } label: { Image(systemName: "gearshape") }
                    .accessibilityLabel(Text("settings.title"))
            }
        }
        .safeAreaInset(edge: .bottom) {
            Button { go(.scan) } label: { Label("scan.title", systemImage: "qrcode.viewfinder").frame(maxWidth: .infinity) }
                .buttonStyle(.borderedProminent)
                .controlSize(.large)
                .padding()
        }
    }
}

/// A warning that demands 叫应: level colour, text, who issued it, the deadline, one button.
private struct WarningCard: View {
    let warning: WarningRecord
    let onAcknowledge: () -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            Label { Text("warning.due \(warning.ackDueAt)") } icon: {
                Image(systemName: "exclamationmark.triangle.fill").foregroundStyle(warningColor(warning.level))
            }
            .font(.subheadline)
            Text(verbatim: warning.text)
            Text(verbatim: "\(warning.issuedBy) · \(warning.issuedAt)").font(.caption).foregroundStyle(.secondary)
            Button("warning.acknowledge", action: onAcknowledge).buttonStyle(.borderedProminent)
        }
        .listRowBackground(warningColor(warning.level).opacity(0.15))
    }
}

private struct VenueRowView: View {
    let row: VenueRow

    var body: some View {
        HStack(spacing: 12) {
            Circle().fill(riskColor(row.venue.riskColour)).frame(width: 12, height: 12)
            VStack(alignment: .leading) {
                Text(verbatim: row.venue.name)
                Text(verbatim: "\(row.venue.venueTypeName) · \(row.venue.address)").font(.caption).foregroundStyle(.secondary)
            }
            Spacer()
            if row.openInspectionId != nil {
                Text("home.in_progress").foregroundStyle(.tint)
            } else if row.inspectedToday {
                Text("home.done_today").font(.caption)
            }
        }
    }
}
