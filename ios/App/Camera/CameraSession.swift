// The back camera as an AVCaptureSession, configured and started on its own serial queue (as
// AVFoundation asks: startRunning blocks), with the preview layer the screens show and the
// torch. Subclasses add their outputs: QRScanner (codes) and PhotoCamera (JPEG photos).

import AVFoundation
import SwiftUI
import UIKit

class CameraSession: NSObject, @unchecked Sendable {
    // Every session change happens on this queue; that is what makes the class safe to share
    // (subclasses keep to the same rule: their outputs' state is touched on their queues).
    let session = AVCaptureSession()
    let queue = DispatchQueue(label: "cn.gridpatrol.camera")
    private(set) var device: AVCaptureDevice?

    /// Asks for camera access at the moment of use (after consent); false when refused.
    static func requestAccess() async -> Bool {
        switch AVCaptureDevice.authorizationStatus(for: .video) {
        case .authorized: return true
        case .notDetermined: return await AVCaptureDevice.requestAccess(for: .video)
        default: return false
        }
    }

    /// Adds the back camera and the subclass's outputs, then starts the session.
    func start(preset: AVCaptureSession.Preset) {
        queue.async { [self] in
            if session.inputs.isEmpty {
                session.beginConfiguration()
                session.sessionPreset = preset
                if let camera = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .back),
                   let input = try? AVCaptureDeviceInput(device: camera), session.canAddInput(input) {
                    session.addInput(input)
                    device = camera
                }
                addOutputs()
                session.commitConfiguration()
            }
            if !session.isRunning { session.startRunning() }
        }
    }

    func stop() {
        queue.async { [self] in
            if session.isRunning { session.stopRunning() }
        }
    }

    /// Subclasses add their outputs here (called on `queue`, inside a configuration block).
    func addOutputs() {}

    func setTorch(_ on: Bool) {
        queue.async { [self] in
            guard let device, device.hasTorch, (try? device.lockForConfiguration()) != nil else { return }
            device.torchMode = on ? .on : .off
            device.unlockForConfiguration()
        }
    }
}

/// Shows a camera session's live picture, filling its frame.
struct CameraPreview: UIViewRepresentable {
    let session: AVCaptureSession

    func makeUIView(context: Context) -> PreviewView {
        let view = PreviewView()
        view.previewLayer.session = session
        view.previewLayer.videoGravity = .resizeAspectFill
        return view
    }

    func updateUIView(_ uiView: PreviewView, context: Context) {}

    final class PreviewView: UIView {
        override class var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }
        var previewLayer: AVCaptureVideoPreviewLayer { layer as! AVCaptureVideoPreviewLayer }
    }
}
