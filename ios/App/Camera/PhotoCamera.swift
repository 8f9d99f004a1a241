// Evidence photos from the back camera as JPEG (never HEIC: the core's pipeline reads JPEG and
// PNG), written into the app container with file protection
// (`completeUntilFirstUserAuthentication`) at the path the photo view model handed out.

import AVFoundation
import SwiftUI

final class PhotoCamera: CameraSession, ObservableObject {
    private let output = AVCapturePhotoOutput()
    // Each capture's delegate lives until its photo is written.
    private var inFlight: [Int64: PhotoWriter] = [:]

    override func addOutputs() {
        if session.canAddOutput(output) { session.addOutput(output) }
    }

    /// Takes one photo into `file`; `done` runs on the main thread with nil or the failure.
    func capture(to file: URL, done: @escaping @MainActor (Error?) -> Void) {
        queue.async { [self] in
            guard output.availablePhotoCodecTypes.contains(.jpeg) else {
                return DispatchQueue.main.async { MainActor.assumeIsolated { done(CaptureError.jpegUnavailable) } }
            }
            let settings = AVCapturePhotoSettings(format: [AVVideoCodecKey: AVVideoCodecType.jpeg])
            let id = settings.uniqueID
            let writer = PhotoWriter(file: file) { [weak self] error in
                self?.queue.async { self?.inFlight[id] = nil }
                DispatchQueue.main.async { MainActor.assumeIsolated { done(error) } }
            }
            inFlight[id] = writer
            output.capturePhoto(with: settings, delegate: writer)
        }
    }

    enum CaptureError: LocalizedError {
        case jpegUnavailable, noData

        var errorDescription: String? {
            switch self {
            case .jpegUnavailable: return "this camera cannot take JPEG photos"
            case .noData: return "the camera returned no photo"
            }
        }
    }
}

/// Writes one captured photo's JPEG data, protected, then reports.
private final class PhotoWriter: NSObject, AVCapturePhotoCaptureDelegate, @unchecked Sendable {
    private let file: URL
    private let finished: (Error?) -> Void

    init(file: URL, finished: @escaping (Error?) -> Void) {
        self.file = file
        self.finished = finished
    }

    func photoOutput(_ output: AVCapturePhotoOutput, didFinishProcessingPhoto photo: AVCapturePhoto, error: Error?) {
        if let error { return finished(error) }
        guard let data = photo.fileDataRepresentation() else { return finished(PhotoCamera.CaptureError.noData) }
        do {
            try data.write(to: file, options: [.atomic, .completeFileProtectionUntilFirstUserAuthentication])
            finished(nil)
        } catch {
            finished(error)
        }
    }
}

/// The photo camera's preview, started when shown and stopped when gone.
struct PhotoCameraView: View {
    @ObservedObject var camera: PhotoCamera
    var denied: () -> Void = {}

    var body: some View {
        CameraPreview(session: camera.session)
            .task {
                guard await CameraSession.requestAccess() else { return denied() }
                camera.start(preset: .photo)
            }
            .onDisappear { camera.stop() }
    }
}
