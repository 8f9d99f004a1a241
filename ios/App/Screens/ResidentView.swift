// Resident mode (群众举报): report a hazard (category, what they saw, photos, the venue code they
// scanned or — only if they choose — their location) and follow each report's steps. Reports are
// kept on the phone until the server has them.

import GridPatrolCore
import GridPatrolKit
import SwiftUI

struct ResidentView: View {
    @ObservedObject var resident: ResidentViewModel
    @State private var scanning = false
    @State private var takingPhoto = false

    init(resident: ResidentViewModel) {
        self.resident = resident
    }

    var body: some View {
        let state = resident.state
        NavigationStack {
            Form {
                Section {
                    Picker("resident.category", selection: Binding(get: { state.draft.category }, set: { value in resident.editDraft { $0.category = value } })) {
                        ForEach(Self.categories, id: \.self) { Text(categoryLabel($0)).tag($0) }
                    }
                    TextField("resident.description", text: Binding(get: { state.draft.description }, set: { value in resident.editDraft { $0.description = value } }), axis: .vertical)
                        .lineLimit(3...8)
                    Toggle("resident.share_location", isOn: Binding(get: { state.draft.shareLocation }, set: { value in resident.editDraft { $0.shareLocation = value } }))
                    Button(LocalizedStringKey(state.draft.venueCode == nil ? "resident.scan_venue" : "resident.venue_scanned")) { scanning = true }
                    Button { takingPhoto = true } label: { Label("resident.photos \(state.draft.photos.count)", systemImage: "camera") }
                    Button("resident.submit") { resident.submit() }.disabled(!state.draft.canSubmit || state.submitting)
                    if state.submitted != nil { Text("resident.submitted") }
                    ErrorBanner(error: state.error)
                }
                Section("resident.my_reports") {
                    ForEach(state.myReports, id: \.reportId) { report in
                        VStack(alignment: .leading, spacing: 4) {
                            Text(categoryLabel(report.category)).font(.headline)
                            Text(verbatim: report.description).lineLimit(2)
                            Text(reportStatusLabel(report.status)).font(.caption)
                            ForEach(Array(report.steps.enumerated()), id: \.offset) { _, step in
                                Text(verbatim: "\(step.at) · \(step.note ?? "")").font(.caption2).foregroundStyle(.secondary)
                            }
                        }
                    }
                }
            }
            .navigationTitle("resident.title")
            .refreshable { await resident.load().value }
            .sheet(isPresented: $scanning) {
                QRScannerView(torchOn: false, onTexts: { texts in
                    if let code = texts.first {
                        resident.editDraft { $0.venueCode = code }
                        scanning = false
                    }
                }, onFrame: nil)
            }
            .sheet(isPresented: $takingPhoto) {
                ResidentPhotoSheet(resident: resident) { takingPhoto = false }
            }
        }
    }

    private static let categories: [ReportCategory] = [.fire, .gas, .electrical, .escapeRoute, .eBike, .building, .floodGeological, .other]
}

/// Takes one photo for the report draft (attached when the report is submitted).
private struct ResidentPhotoSheet: View {
    let resident: ResidentViewModel
    let done: () -> Void
    @StateObject private var camera = PhotoCamera()
    @State private var denied = false
    @State private var failure: String?

    var body: some View {
        VStack {
            PhotoCameraView(camera: camera, denied: { denied = true })
            if denied { Text("camera.denied") }
            if let failure { Text(verbatim: failure) }
            Button { shoot() } label: { Label("photo.take", systemImage: "camera.circle.fill") }
                .buttonStyle(.borderedProminent)
                .padding()
        }
    }

    private func shoot() {
        let file = resident.newPhotoFile()
        camera.capture(to: file) { error in
            if let error {
                failure = error.localizedDescription
            } else {
                resident.addPhoto(file)
                done()
            }
        }
    }
}
