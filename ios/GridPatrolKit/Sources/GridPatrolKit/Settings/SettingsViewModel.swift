// Settings: the server and account this device is enrolled with (re-enroll to change), the UI
// and label language (zh-CN default, English), the device id for support, and a check of the
// journal's hash chain and the evidence files.

import Foundation
import GridPatrolCore

/// The result of "check my data".
public struct IntegrityCheck: Equatable, Sendable {
    public let journalIntact: Bool
    public let events: UInt64
    public let evidenceChecked: UInt64
    public let evidenceProblems: Int
}

public struct SettingsUiState: Equatable, Sendable {
    public var account: AccountRecord?
    public var deviceId: String?
    /// `zh-CN` or `en`.
    public var language = CoreSession.defaultLocale
    public var checking = false
    public var integrity: IntegrityCheck?
    public var error: UiError?
}

@MainActor
public final class SettingsViewModel: StateViewModel<SettingsUiState> {
    /// The languages the app ships strings for.
    nonisolated public static let languages = ["zh-CN", "en"]

    private let session: CoreSession
    private let preferences: AppPreferences

    init(_ session: CoreSession, _ preferences: AppPreferences) {
        self.session = session
        self.preferences = preferences
        super.init(SettingsUiState(language: preferences.language ?? CoreSession.defaultLocale))
    }

    @discardableResult
    public func load() -> Task<Void, Never> {
        launchAction { [self] in
            let loaded = await attempt { try await session.call { core in (try core.account(), try core.deviceId()) } }
            guard case let .success((account, deviceId)) = loaded else {
                setState { $0.error = loaded.uiError() }
                return
            }
            setState {
                $0.account = account
                $0.deviceId = deviceId
                $0.error = nil
            }
        }
    }

    /// Switches the language of the core's labels (venue types, areas) and remembers it; the app
    /// switches its own strings (SwiftUI's locale environment) when it sees the state change.
    /// An unsupported tag is refused as invalid input (Kotlin: `require` throws).
    @discardableResult
    public func setLanguage(_ tag: String) -> Task<Void, Never> {
        launchAction { [self] in
            guard Self.languages.contains(tag) else {
                setState { $0.error = UiError(kind: .invalidInput, reason: "unsupported language \(tag)") }
                return
            }
            let done = await attempt { try await session.call { try $0.setLocale(locale: tag) } }
            if done.isSuccess { preferences.language = tag }
            setState {
                $0.language = done.isSuccess ? tag : $0.language
                $0.error = done.uiError()
            }
        }
    }

    /// Verifies the journal's hash chain and replay, and re-hashes the evidence files.
    @discardableResult
    public func checkIntegrity() -> Task<Void, Never> {
        launchAction { [self] in
            setState {
                $0.checking = true
                $0.error = nil
            }
            let checked = await attempt {
                try await session.call { core in
                    let journal = try core.verifyJournal()
                    let evidence = try core.verifyEvidence()
                    return IntegrityCheck(
                        journalIntact: journal.intact,
                        events: journal.events,
                        evidenceChecked: evidence.checked,
                        evidenceProblems: evidence.problems.count
                    )
                }
            }
            setState {
                $0.checking = false
                $0.integrity = checked.getOrNull()
                $0.error = checked.uiError()
            }
        }
    }
}
