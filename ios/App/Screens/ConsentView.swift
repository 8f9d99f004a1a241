// The first-run privacy notice (Chinese app-store rules): what is collected, when and why, shown
// before anything is. Declining leaves the app closed: no database, no camera, no location.

import SwiftUI

struct ConsentView: View {
    let onAccept: () -> Void
    let onDecline: () -> Void

    var body: some View {
        NavigationStack {
            ScrollView {
                VStack(alignment: .leading, spacing: 16) {
                    Text("consent.intro")
                    Label("consent.camera", systemImage: "camera")
                    Label("consent.location", systemImage: "location")
                    Label("consent.storage", systemImage: "internaldrive")
                    Label("consent.network", systemImage: "network")
                    Text("consent.rights").font(.footnote).foregroundStyle(.secondary)
                }
                .padding()
            }
            .navigationTitle("consent.title")
            .safeAreaInset(edge: .bottom) {
                HStack {
                    Button("consent.decline", role: .cancel, action: onDecline).buttonStyle(.bordered)
                    Button("consent.accept", action: onAccept).buttonStyle(.borderedProminent)
                }
                .padding()
            }
        }
    }
}

struct ConsentDeclinedView: View {
    let onReview: () -> Void

    var body: some View {
        VStack(spacing: 16) {
            Text("consent.declined").multilineTextAlignment(.center)
            Button("consent.review", action: onReview).buttonStyle(.bordered)
        }
        .padding()
    }
}
