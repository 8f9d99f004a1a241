// Enrollment: the server and the code from the street office, typed or scanned from an
// enrollment QR code; then the first sync. A resident registers here too (no code needed).

import GridPatrolKit
import SwiftUI

struct EnrollView: View {
    @ObservedObject var enrollment: EnrollmentViewModel
    let resident: ResidentViewModel
    @State private var asResident = false
    @State private var cameraDenied = false

    init(enrollment: EnrollmentViewModel, resident: ResidentViewModel) {
        self.enrollment = enrollment
        self.resident = resident
    }

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    TextField("enroll.server", text: Binding(get: { enrollment.state.serverUrl }, set: { enrollment.setServerUrl($0) }))
                        .keyboardType(.URL)
                        .textInputAutocapitalization(.never)
                        .autocorrectionDisabled()
                    TextField("enroll.code", text: Binding(get: { enrollment.state.code }, set: { enrollment.setCode($0) }))
                        .textInputAutocapitalization(.characters)
                        .autocorrectionDisabled()
                    Button(LocalizedStringKey(enrollment.state.scanning ? "enroll.stop_scan" : "enroll.scan")) {
                        enrollment.setScanning(!enrollment.state.scanning)
                    }
                    if enrollment.state.scanning {
                        QRScannerView(
                            torchOn: false,
                            onTexts: { enrollment.onScannedTexts($0) },
                            onFrame: { enrollment.onFrame($0, $1, $2, $3) },
                            denied: { cameraDenied = true }
                        )
                        .frame(height: 240)
                    }
                    if enrollment.state.scannedSomethingElse { Text("enroll.not_enrollment_code").foregroundStyle(.orange) }
                    if cameraDenied { Text("camera.denied").foregroundStyle(.red) }
                }
                Section {
                    Button("enroll.submit") { enrollment.enroll() }
                        .disabled(!enrollment.state.canEnroll)
                    if enrollment.state.firstSync {
                        Label("enroll.first_sync", systemImage: "arrow.triangle.2.circlepath")
                    } else if enrollment.state.enrolling {
                        ProgressView()
                    }
                    ErrorBanner(error: enrollment.state.error)
                }
                Section {
                    Button("enroll.as_resident") { asResident = true }
                }
            }
            .navigationTitle("enroll.title")
            .sheet(isPresented: $asResident) {
                ResidentEnrollView(resident: resident, serverUrl: enrollment.state.serverUrl)
            }
        }
    }
}

/// A resident registers with the server only (a phone number only if they choose to give one).
struct ResidentEnrollView: View {
    @ObservedObject var resident: ResidentViewModel
    @State var serverUrl: String
    @State private var phone = ""

    var body: some View {
        NavigationStack {
            Form {
                TextField("enroll.server", text: $serverUrl)
                    .keyboardType(.URL)
                    .textInputAutocapitalization(.never)
                    .autocorrectionDisabled()
                Section {
                    TextField("resident.phone_optional", text: $phone).keyboardType(.phonePad)
                } footer: {
                    Text("resident.phone_privacy")
                }
                Button("resident.register") { resident.enroll(serverUrl, phone) }
                    .disabled(!EnrollmentLink.isHttpUrl(serverUrl) || resident.state.enrolling)
                if resident.state.enrolling { ProgressView() }
                ErrorBanner(error: resident.state.error)
            }
            .navigationTitle("resident.title")
        }
    }
}
