// Camera frames to the core's QR decoder, one at a time: a frame that arrives while the last
// one is still being decoded is dropped (the capture output's late-frame discarding does the
// same upstream), so decoding never queues up behind a 30 fps camera.

import Foundation
import GridPatrolCore

/// Decodes luma planes through the core; one in flight.
@MainActor
public final class FrameScanner {
    private let session: CoreSession
    private var busy = false

    init(_ session: CoreSession) {
        self.session = session
    }

    /// Claims the decoder for one frame; false while another frame is being decoded.
    public func tryAcquire() -> Bool {
        if busy { return false }
        busy = true
        return true
    }

    /// Decodes a frame claimed with `tryAcquire` and releases the claim. `bytes` is the Y plane
    /// as the camera gives it: `rowStride` bytes per row (≥ `width`; padding bytes are ignored).
    public func decode(_ bytes: Data, _ width: Int, _ height: Int, _ rowStride: Int) async -> Result<[ScanResult], Error> {
        await releasing {
            try $0.scanFrame(bytes: bytes, width: UInt32(width), height: UInt32(height), rowStride: UInt32(rowStride))
        }
    }

    /// Verifies payloads the platform's own QR reader decoded (iOS: `AVCaptureMetadataOutput`),
    /// offline, one verification per text; claimed with `tryAcquire` like a frame and released.
    public func verify(_ texts: [String]) async -> Result<[ScanVerification], Error> {
        await releasing { core in try texts.map { try core.verifyScan(text: $0) } }
    }

    private func releasing<T: Sendable>(_ block: @escaping @Sendable (GridPatrol) throws -> T) async -> Result<T, Error> {
        defer { busy = false }
        do {
            return .success(try await session.call(block))
        } catch {
            return .failure(error)
        }
    }
}
