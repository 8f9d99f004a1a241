// Enrollment: the server URL and the code from the street office (typed, or from an enrollment
// QR code scanned with the camera), then the first sync so the worker's venues, checklists and
// signing keys arrive before they go into the field.

import Foundation
import GridPatrolCore

/// What the enrollment screen shows.
public struct EnrollmentUiState: Equatable, Sendable {
    public var serverUrl = ""
    public var code = ""
    /// The camera is open to scan an enrollment QR code.
    public var scanning = false
    /// The last scanned code was not an enrollment code.
    public var scannedSomethingElse = false
    public var enrolling = false
    /// Enrolled; the first sync is running.
    public var firstSync = false
    public var account: AccountRecord?
    /// How the first sync ended (offline is fine: the venues arrive later).
    public var firstSyncOutcome: SyncOutcome?
    public var error: UiError?

    /// The form can be sent: an http(s) server and a code.
    public var canEnroll: Bool {
        !enrolling && EnrollmentLink.isHttpUrl(serverUrl) && !code.trimmingCharacters(in: .whitespaces).isEmpty
    }
}

/// Created with the session; `onEnrolled` tells the root to show the main screens.
@MainActor
public final class EnrollmentViewModel: StateViewModel<EnrollmentUiState> {
    private let session: CoreSession
    private let platform: PlatformServices
    private let onEnrolled: @MainActor (AccountRecord) -> Void
    private let scanner: FrameScanner

    init(_ session: CoreSession, _ platform: PlatformServices, onEnrolled: @escaping @MainActor (AccountRecord) -> Void) {
        self.session = session
        self.platform = platform
        self.onEnrolled = onEnrolled
        scanner = FrameScanner(session)
        super.init(EnrollmentUiState(serverUrl: platform.preferences.lastServerUrl ?? ""))
    }

    public func setServerUrl(_ url: String) {
        setState {
            $0.serverUrl = url.trimmingCharacters(in: .whitespacesAndNewlines)
            $0.error = nil
        }
    }

    public func setCode(_ code: String) {
        setState {
            $0.code = code.trimmingCharacters(in: .whitespacesAndNewlines)
            $0.error = nil
        }
    }

    /// Opens or closes the camera for an enrollment QR code.
    public func setScanning(_ on: Bool) {
        setState {
            $0.scanning = on
            $0.scannedSomethingElse = false
        }
    }

    /// A camera frame's Y plane while `scanning`: decoded by the core; an enrollment link fills
    /// the form. Returns nil when the frame was dropped (one at a time).
    @discardableResult
    public func onFrame(_ bytes: Data, _ width: Int, _ height: Int, _ rowStride: Int) -> Task<Void, Never>? {
        guard state.scanning, scanner.tryAcquire() else { return nil }
        return launchAction { [self] in
            let decoded = await scanner.decode(bytes, width, height, rowStride)
            if let results = decoded.getOrNull() { onScannedTexts(results.map(\.text)) }
        }
    }

    /// Texts decoded elsewhere (the camera's own QR reader on iOS, a deep link, a picked image).
    public func onScannedTexts(_ texts: [String]) {
        if texts.isEmpty { return }
        let link = texts.lazy.compactMap(EnrollmentLink.parse).first
        setState {
            if let link {
                $0.serverUrl = link.serverUrl
                $0.code = link.code
                $0.scanning = false
                $0.scannedSomethingElse = false
            } else {
                $0.scannedSomethingElse = true
            }
        }
    }

    /// Enrolls with the server, then runs the first sync.
    @discardableResult
    public func enroll() -> Task<Void, Never> {
        launchAction { [self] in
            let form = state
            guard form.canEnroll else { return }
            setState {
                $0.enrolling = true
                $0.error = nil
            }
            platform.preferences.lastServerUrl = form.serverUrl
            let server = Self.withoutTrailingSlash(form.serverUrl)
            let deviceName = platform.deviceName
            let enrolled = await attempt {
                try await session.callAsync { try await $0.enroll(serverUrl: server, code: form.code, deviceName: deviceName) }
            }
            guard case let .success(account) = enrolled else {
                setState {
                    $0.enrolling = false
                    $0.error = enrolled.uiError()
                }
                return
            }
            setState {
                $0.account = account
                $0.firstSync = true
            }
            let report = await attempt { try await session.callAsync { try await $0.syncNow() } }
            setState {
                $0.enrolling = false
                $0.firstSync = false
                $0.code = ""
                $0.firstSyncOutcome = report.getOrNull()?.outcome
            }
            onEnrolled(account)
        }
    }

    private static func withoutTrailingSlash(_ url: String) -> String {
        url.hasSuffix("/") ? withoutTrailingSlash(String(url.dropLast())) : url
    }
}
