// Scan-to-inspect (扫码检查): what the camera saw goes to the core, which verifies each venue
// code offline; the first verified code of a venue in the worker's list starts (or continues)
// its inspection with a location fix as proof of presence. Every other outcome is shown with its
// own message and starts nothing. Two ways in: luma frames the core decodes itself (`onFrame`,
// as on Android), and payloads iOS's own QR reader decoded (`onScannedTexts`).

import Foundation
import GridPatrolCore

/// A code seen in the viewfinder and what the offline check said.
public struct ScannedCode: Equatable, Sendable {
    public let text: String
    public let verification: ScanVerification

    public init(_ text: String, _ verification: ScanVerification) {
        self.text = text
        self.verification = verification
    }
}

/// What the scan screen shows.
public struct ScanUiState: Equatable, Sendable {
    /// Frames are being decoded (false once an inspection started, until `rescan`).
    public var active = true
    public var torchOn = false
    /// The codes in the last frame that had any.
    public var codes: [ScannedCode] = []
    /// Getting a location fix and starting the inspection.
    public var starting = false
    /// The inspection a verified code started: the screen navigates to its checklist once.
    public var started: ScanInspection?
    public var error: UiError?

    /// The first code that is not a valid venue of this worker, to explain why nothing happened.
    public var refusal: ScanVerification? {
        codes.map(\.verification).first { !isVerified($0) }
    }
}

@MainActor
public final class ScanViewModel: StateViewModel<ScanUiState> {
    private let session: CoreSession
    private let location: LocationSource
    private let scanner: FrameScanner

    init(_ session: CoreSession, _ location: LocationSource) {
        self.session = session
        self.location = location
        scanner = FrameScanner(session)
        super.init(ScanUiState())
    }

    /// One camera frame's Y plane (plane 0 of a bi-planar 420 pixel buffer, copied as is, with
    /// its real bytes per row). Returns nil when the frame was dropped (busy, or not active).
    @discardableResult
    public func onFrame(_ bytes: Data, _ width: Int, _ height: Int, _ rowStride: Int) -> Task<Void, Never>? {
        guard state.active, !state.starting, scanner.tryAcquire() else { return nil }
        return launchAction { [self] in
            let decoded = await scanner.decode(bytes, width, height, rowStride)
            guard case let .success(results) = decoded else {
                setState { $0.error = decoded.uiError() }
                return
            }
            await show(results.map { ScannedCode($0.text, $0.verification) })
        }
    }

    /// Payloads decoded by the platform's QR reader (iOS: `AVCaptureMetadataOutput`), each
    /// verified offline by the core exactly like a decoded frame. Nil when not active.
    @discardableResult
    public func onScannedTexts(_ texts: [String]) -> Task<Void, Never>? {
        guard state.active, !state.starting, !texts.isEmpty, scanner.tryAcquire() else { return nil }
        return launchAction { [self] in
            let verified = await scanner.verify(texts)
            guard case let .success(verifications) = verified else {
                setState { $0.error = verified.uiError() }
                return
            }
            await show(zip(texts, verifications).map { ScannedCode($0, $1) })
        }
    }

    /// Starts the inspection of a verified code's venue (also for a code from a deep link).
    @discardableResult
    public func startFromCode(_ text: String) -> Task<Void, Never> {
        launchAction { [self] in await start(text) }
    }

    public func setTorch(_ on: Bool) {
        setState { $0.torchOn = on }
    }

    /// The screen navigated to the started inspection; scanning stays paused.
    public func onStartedShown() {
        setState { $0.started = nil }
    }

    /// Back to scanning (e.g. the next venue).
    public func rescan() {
        setState { $0 = ScanUiState(torchOn: $0.torchOn) }
    }

    private func show(_ codes: [ScannedCode]) async {
        if codes.isEmpty { return }
        setState {
            $0.codes = codes
            $0.error = nil
        }
        let first = codes.first { isVerified($0.verification) }
        if let first { await start(first.text) }
    }

    private func start(_ text: String) async {
        setState {
            $0.starting = true
            $0.active = false
        }
        // The fix is asked for only now, after consent and at the moment of the scan.
        let fix = await location.currentFix()
        let started = await attempt { try await session.call { try $0.startInspectionFromScan(tokenOrUrl: text, location: fix) } }
        setState {
            $0.starting = false
            $0.started = started.getOrNull()
            $0.active = started.isFailure
            $0.error = started.uiError()
        }
    }
}

/// Only a verified code starts an inspection.
private func isVerified(_ verification: ScanVerification) -> Bool {
    if case .verified = verification { return true }
    return false
}
