// Scan-to-inspect (扫码检查): the camera's QR reader and a few luma frames a second go to the
// scan view model; the core verifies each code offline. A verified code of the worker's venue
// starts its inspection (with a location fix) and the checklist opens; every other outcome is
// explained and starts nothing.

import GridPatrolCore
import GridPatrolKit
import SwiftUI

struct ScanView: View {
    @ObservedObject var scan: ScanViewModel
    let onStarted: (String) -> Void
    @State private var cameraDenied = false

    init(scan: ScanViewModel, onStarted: @escaping (String) -> Void) {
        self.scan = scan
        self.onStarted = onStarted
    }

    var body: some View {
        let state = scan.state
        ZStack(alignment: .bottom) {
            QRScannerView(
                torchOn: state.torchOn,
                onTexts: { scan.onScannedTexts($0) },
                onFrame: { scan.onFrame($0, $1, $2, $3) },
                denied: { cameraDenied = true }
            )
            .ignoresSafeArea()
            VStack(spacing: 8) {
                if cameraDenied { Text("camera.denied") }
                if state.starting { ProgressView() }
                if let refusal = state.refusal { Text(Self.message(refusal)) }
                ErrorBanner(error: state.error)
                if !state.active && !state.starting {
                    Button("scan.again") { scan.rescan() }.buttonStyle(.borderedProminent)
                }
            }
            .padding()
            .frame(maxWidth: .infinity)
            .background(.regularMaterial)
        }
        .navigationTitle("scan.title")
        .onAppear { scan.rescan() }
        .toolbar {
            Toggle(isOn: Binding(get: { state.torchOn }, set: { scan.setTorch($0) })) {
                Label("scan.torch", systemImage: "flashlight.on.fill")
            }
        }
        .onChange(of: state.started) { _, started in
            guard let started else { return }
            scan.onStartedShown()
            onStarted(started.inspection.inspectionId)
        }
    }

    /// Why a code started nothing, in the worker's words.
    static func message(_ verification: ScanVerification) -> LocalizedStringKey {
        switch verification {
        case let .verified(_, venueName, _, _): return "scan.verified \(venueName)"
        case let .venueNotInList(venueId, _, _): return "scan.not_in_list \(venueId)"
        case .notGridpatrol: return "scan.not_gridpatrol"
        case .malformed: return "scan.malformed"
        case .unknownKey: return "scan.unknown_key"
        case .forged: return "scan.forged"
        case .revoked: return "scan.revoked"
        }
    }
}
