// QR codes from the back camera, two ways: AVCaptureMetadataOutput decodes them on the device
// (fast, most codes) and hands the payload texts over; and a few luma frames a second (plane 0
// of the bi-planar 4:2:0 buffer, with its real bytes per row) go to the core's own decoder, which
// also reads faded, low-contrast and light-on-dark codes. Either way the core verifies the venue
// code offline; this class only delivers what the camera saw, on the main thread.

import AVFoundation
import SwiftUI

final class QRScanner: CameraSession, ObservableObject, AVCaptureMetadataOutputObjectsDelegate,
    AVCaptureVideoDataOutputSampleBufferDelegate {
    /// Payloads AVFoundation decoded (main thread).
    var onTexts: (@MainActor ([String]) -> Void)?
    /// A luma plane: bytes, width, height, bytes per row (main thread).
    var onFrame: (@MainActor (Data, Int, Int, Int) -> Void)?

    private let metadata = AVCaptureMetadataOutput()
    private let video = AVCaptureVideoDataOutput()
    private let frames = DispatchQueue(label: "cn.gridpatrol.camera.frames")
    /// At most this many luma frames a second reach the core (it drops frames while busy too).
    private let framesPerSecond = 3.0
    private var lastFrame = Date.distantPast

    override func addOutputs() {
        if session.canAddOutput(metadata) {
            session.addOutput(metadata)
            metadata.setMetadataObjectsDelegate(self, queue: .main)
            if metadata.availableMetadataObjectTypes.contains(.qr) { metadata.metadataObjectTypes = [.qr] }
        }
        video.videoSettings = [kCVPixelBufferPixelFormatTypeKey as String: kCVPixelFormatType_420YpCbCr8BiPlanarFullRange]
        video.alwaysDiscardsLateVideoFrames = true
        if session.canAddOutput(video) {
            session.addOutput(video)
            video.setSampleBufferDelegate(self, queue: frames)
        }
    }

    func metadataOutput(
        _ output: AVCaptureMetadataOutput, didOutput objects: [AVMetadataObject], from connection: AVCaptureConnection
    ) {
        let texts = objects.compactMap { ($0 as? AVMetadataMachineReadableCodeObject)?.stringValue }
        guard !texts.isEmpty else { return }
        // Delivered on the main queue (set above).
        MainActor.assumeIsolated { onTexts?(texts) }
    }

    func captureOutput(_ output: AVCaptureOutput, didOutput sampleBuffer: CMSampleBuffer, from connection: AVCaptureConnection) {
        let now = Date()
        guard now.timeIntervalSince(lastFrame) >= 1 / framesPerSecond,
              let pixels = CMSampleBufferGetImageBuffer(sampleBuffer) else { return }
        lastFrame = now
        CVPixelBufferLockBaseAddress(pixels, .readOnly)
        defer { CVPixelBufferUnlockBaseAddress(pixels, .readOnly) }
        guard let base = CVPixelBufferGetBaseAddressOfPlane(pixels, 0) else { return }
        let width = CVPixelBufferGetWidthOfPlane(pixels, 0)
        let height = CVPixelBufferGetHeightOfPlane(pixels, 0)
        let stride = CVPixelBufferGetBytesPerRowOfPlane(pixels, 0)
        // Copied as is, padding included: the core reads `stride` bytes per row.
        let luma = Data(bytes: base, count: stride * height)
        DispatchQueue.main.async { [weak self] in
            MainActor.assumeIsolated { self?.onFrame?(luma, width, height, stride) }
        }
    }
}

/// The scanner's preview; starts the camera when shown (after asking for access) and stops it
/// when gone. `denied` is called when the user refused camera access.
struct QRScannerView: View {
    let torchOn: Bool
    let onTexts: @MainActor ([String]) -> Void
    let onFrame: (@MainActor (Data, Int, Int, Int) -> Void)?
    let denied: () -> Void

    // Created once per view identity (a capture session is not cheap).
    @StateObject private var scanner = QRScanner()

    init(
        torchOn: Bool,
        onTexts: @escaping @MainActor ([String]) -> Void,
        onFrame: (@MainActor (Data, Int, Int, Int) -> Void)?,
        denied: @escaping () -> Void = {}
    ) {
        self.torchOn = torchOn
        self.onTexts = onTexts
        self.onFrame = onFrame
        self.denied = denied
    }

    var body: some View {
        CameraPreview(session: scanner.session)
            .task {
                guard await CameraSession.requestAccess() else { return denied() }
                scanner.onTexts = onTexts
                scanner.onFrame = onFrame
                scanner.start(preset: .hd1280x720)
            }
            .onDisappear { scanner.stop() }
            .onChange(of: torchOn, initial: true) { _, on in scanner.setTorch(on) }
    }
}
