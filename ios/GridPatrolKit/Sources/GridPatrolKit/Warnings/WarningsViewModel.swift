// Warnings (预警) that reached this user and their acknowledgement (叫应): unacknowledged ones
// first, red to blue; acknowledging is one tap and is sent as soon as the phone is online. A
// supervisor can also issue a warning for grids of their street.

import Foundation
import GridPatrolCore

public struct WarningsUiState: Equatable, Sendable {
    public var warnings: [WarningRecord] = []
    /// The id of the warning a supervisor just issued.
    public var issued: String?
    /// A warning is being issued: the form's button waits (one tap, one warning).
    public var issuing = false
    public var error: UiError?

    /// Warnings that still demand 叫应: the home screen shows these on top.
    public var awaitingAck: [WarningRecord] {
        warnings.filter { !$0.acknowledged }
    }
}

@MainActor
public final class WarningsViewModel: StateViewModel<WarningsUiState> {
    private let session: CoreSession

    init(_ session: CoreSession) {
        self.session = session
        super.init(WarningsUiState())
    }

    /// Loads, and reloads when a warning arrives or a sync ends.
    @discardableResult
    public func start() -> Task<Void, Never> {
        reloadOn(session, { event in
            switch event {
            case .warningReceived, .syncFinished: return true
            default: return false
            }
        }, { [weak self] in self?.load() })
        return load()
    }

    @discardableResult
    public func load() -> Task<Void, Never> {
        launchAction { [self] in await loadField(session, \.warnings, error: \.error) { try $0.warnings() } }
    }

    /// 叫应: acknowledges a warning (again is harmless).
    @discardableResult
    public func acknowledge(_ warningId: String) -> Task<Void, Never> {
        launchAction { [self] in
            let done = await attempt { try await session.call { try $0.acknowledgeWarning(warningId: warningId) } }
            setState { $0.error = done.uiError() }
            await load().value
        }
    }

    /// A supervisor issues a warning for `grids` of their street (empty: all of them).
    @discardableResult
    public func issue(
        _ level: WarningLevel,
        _ type: WarningType,
        _ grids: [String],
        _ text: String,
        _ ackWithinMinutes: Int
    ) -> Task<Void, Never> {
        launchAction { [self] in
            if state.issuing { return }
            setState {
                $0.issuing = true
                $0.error = nil
            }
            let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let done = await attempt {
                try await session.call {
                    try $0.issueWarning(level: level, warningType: type, grids: grids, text: body, ackWithinMinutes: UInt32(ackWithinMinutes))
                }
            }
            setState {
                $0.issuing = false
                $0.issued = done.getOrNull()
                $0.error = done.uiError()
            }
        }
    }

    /// The issue-warning screen went back to the warnings; the next form starts afresh.
    public func onIssuedShown() {
        setState { $0.issued = nil }
    }
}
