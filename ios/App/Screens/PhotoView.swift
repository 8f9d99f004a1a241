// Evidence photo capture: the camera writes a JPEG into the file the view model hands out
// (app container, file protection), the core takes it in and attaches it, the strip shows the
// target's photos. Closes itself once a photo is attached.

import GridPatrolCore
import GridPatrolKit
import SwiftUI

struct PhotoView: View {
    @StateObject private var photo: PhotoCaptureViewModel
    @StateObject private var camera = PhotoCamera()
    @Environment(\.dismiss) private var dismiss
    @State private var cameraDenied = false

    init(photo: @autoclosure @escaping () -> PhotoCaptureViewModel) {
        _photo = StateObject(wrappedValue: photo())
    }

    var body: some View {
        let state = photo.state
        VStack(spacing: 0) {
            PhotoCameraView(camera: camera, denied: { cameraDenied = true })
            VStack(spacing: 12) {
                if cameraDenied { Text("camera.denied") }
                ErrorBanner(error: state.error)
                ScrollView(.horizontal) {
                    HStack { ForEach(state.photos, id: \.sha256) { EvidenceThumbnail(path: $0.thumbnailPath) } }
                }
                Button { shoot() } label: {
                    if state.capturing || state.saving { ProgressView() } else { Label("photo.take", systemImage: "camera.circle.fill") }
                }
                .buttonStyle(.borderedProminent)
                .disabled(state.capturing || state.saving || cameraDenied)
            }
            .padding()
        }
        .navigationTitle("photo.title")
        .task { await photo.load().value }
        .onChange(of: state.lastAttached) { _, attached in
            if attached != nil { dismiss() }
        }
    }

    private func shoot() {
        let file = photo.beginCapture()
        camera.capture(to: file) { error in
            if let error {
                photo.onCaptureFailed(file, error.localizedDescription)
            } else {
                photo.onCaptured(file)
            }
        }
    }
}
