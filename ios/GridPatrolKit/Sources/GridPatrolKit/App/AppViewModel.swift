// The root of the app: the first-run privacy consent gate, opening the core only after it, and
// which part of the app to show (consent, enrollment, the worker's or the resident's screens).
// Before consent nothing is collected: no location, no camera, no core database.

import Foundation
import GridPatrolCore

/// Which part of the app is on screen.
public enum AppPhase: Equatable, Sendable {
    /// Reading the stored consent.
    case starting
    /// First run (or a new consent text): show the privacy notice; nothing collected yet.
    case needsConsent
    /// The user declined: the app explains it cannot work without, and collects nothing.
    case consentDeclined
    /// Opening the core (database migrations, evidence tidy-up).
    case opening
    /// Opened, not enrolled with a server yet.
    case needsEnrollment
    /// Enrolled: the main screens (grid worker or supervisor).
    case ready
    /// Enrolled as a resident: the report screens.
    case resident
    /// The core could not be opened; `AppUiState.error` says why.
    case failed
}

public struct AppUiState: Equatable, Sendable {
    public var phase: AppPhase = .starting
    public var account: AccountRecord?
    /// Where a corrupt database was moved at opening (tell the user; support can recover it).
    public var quarantinedDatabase: String?
    public var error: UiError?
}

/// One per process. The app calls `start` at launch.
@MainActor
public final class AppViewModel: StateViewModel<AppUiState> {
    /// Bump when the privacy notice changes: everyone is asked again.
    nonisolated public static let consentVersion = 1

    private let platform: PlatformServices

    /// The screens' view models, once the core is open (nil before consent).
    public private(set) var screens: SessionViewModels?

    public init(_ platform: PlatformServices) {
        self.platform = platform
        super.init(AppUiState())
    }

    /// Shows the consent notice, or opens the core when it was accepted before.
    @discardableResult
    public func start() -> Task<Void, Never> {
        launchAction { [self] in
            if platform.preferences.consentVersion == Self.consentVersion {
                await open()
            } else {
                setState { $0.phase = .needsConsent }
            }
        }
    }

    /// The user accepted the privacy notice: remember it, then open the core.
    @discardableResult
    public func acceptConsent() -> Task<Void, Never> {
        launchAction { [self] in
            platform.preferences.consentVersion = Self.consentVersion
            await open()
        }
    }

    /// The user declined: nothing is opened or collected.
    @discardableResult
    public func declineConsent() -> Task<Void, Never> {
        launchAction { [self] in setState { $0.phase = .consentDeclined } }
    }

    /// Back to the notice from the declined screen.
    @discardableResult
    public func reviewConsent() -> Task<Void, Never> {
        launchAction { [self] in setState { $0.phase = .needsConsent } }
    }

    /// Called by enrollment when the device holds an account (also after re-enrollment).
    func onEnrolled(_ account: AccountRecord) {
        setState {
            $0.phase = Self.phaseFor(account)
            $0.account = account
            $0.error = nil
        }
    }

    /// Shows enrollment again (settings: change server or user). Unsent work is kept.
    @discardableResult
    public func reEnroll() -> Task<Void, Never> {
        launchAction { [self] in setState { $0.phase = .needsEnrollment } }
    }

    /// Closes the core (process end, tests).
    public func close() {
        screens?.close()
        screens = nil
    }

    // Opening is guarded twice: a second start (e.g. a background launch racing the UI) finds
    // `screens` set, or `opening` while the first open is still awaiting the core.
    private var opening = false

    private func open() async {
        if screens != nil || opening { return }
        opening = true
        defer { opening = false }
        setState {
            $0.phase = .opening
            $0.error = nil
        }
        let opened = await attempt {
            try await CoreSession.open(platform.files, platform.preferences.language, platform.credentials)
        }
        guard case let .success(session) = opened else {
            setState {
                $0.phase = .failed
                $0.error = opened.uiError()
            }
            return
        }
        let built = SessionViewModels(session, platform, onEnrolled: { [weak self] in self?.onEnrolled($0) })
        screens = built
        let account = await attempt { try await session.call { try $0.account() } }
        let quarantined = await attempt { try await session.call { try $0.quarantinedDatabase() } }.getOrNull()
        let current = account.getOrNull() ?? nil
        setState {
            if account.isFailure {
                $0.phase = .failed
            } else if let current {
                $0.phase = Self.phaseFor(current)
            } else {
                $0.phase = .needsEnrollment
            }
            $0.account = current
            $0.quarantinedDatabase = quarantined ?? nil
            $0.error = account.uiError()
        }
    }

    private static func phaseFor(_ account: AccountRecord) -> AppPhase {
        account.role == .resident ? .resident : .ready
    }
}
