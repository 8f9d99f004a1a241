// One hazard: its state as this device knows it (the server's ledger plus this device's actions
// not synced yet), the server's timeline, pending actions, what the server refused or recorded
// as a conflict, its photos, and the lifecycle actions the user may take now. Actions are
// checked by the core at once against the shared transition table; the server decides later.

import Foundation
import GridPatrolCore

public struct HazardDetailUiState: Equatable, Sendable {
    public var detail: HazardDetail?
    /// Photos of the failed checklist answer that raised it (inspection hazards).
    public var findingPhotos: [EvidenceInfo] = []
    /// Photos attached to the hazard itself (before/after a fix, re-checks): actions cite their SHA-256.
    public var hazardPhotos: [EvidenceInfo] = []
    public var acting = false
    public var error: UiError?

    /// Names of the actions the user may take now, e.g. `confirm`, `recheck_pass`.
    public var availableActions: [String] {
        detail?.availableActions ?? []
    }
}

@MainActor
public final class HazardDetailViewModel: StateViewModel<HazardDetailUiState> {
    private let session: CoreSession
    public let hazardId: String

    init(_ session: CoreSession, _ hazardId: String) {
        self.session = session
        self.hazardId = hazardId
        super.init(HazardDetailUiState())
    }

    /// Where new photos of this hazard go (the photo screen's target).
    public var photoTarget: EvidenceTarget {
        .hazard(hazardId: hazardId)
    }

    /// Loads, and reloads when a photo is attached, a sync ends or the server refused something.
    @discardableResult
    public func start() -> Task<Void, Never> {
        reloadOn(session, { event in
            switch event {
            case .journalAppended(_, "evidence.attached"), .syncFinished, .eventRefused: return true
            default: return false
            }
        }, { [weak self] in self?.load() })
        return load()
    }

    @discardableResult
    public func load() -> Task<Void, Never> {
        launchAction { [self] in
            let id = hazardId
            let target = photoTarget
            let loaded = await attempt {
                try await session.call { core in
                    let detail = try core.hazardDetail(hazardId: id)
                    var finding: [EvidenceInfo] = []
                    if let inspection = detail.state.inspectionId, let item = detail.state.itemId {
                        finding = (try? core.listEvidence(target: .answer(inspectionId: inspection, itemId: item))) ?? []
                    }
                    return (detail, finding, try core.listEvidence(target: target))
                }
            }
            guard case let .success((detail, finding, photos)) = loaded else {
                setState { $0.error = loaded.uiError() }
                return
            }
            setState {
                $0.detail = detail
                $0.findingPhotos = finding
                $0.hazardPhotos = photos
                $0.error = nil
            }
        }
    }

    /// Takes a lifecycle action (build it with `buildAction`); an impossible one comes back as an error.
    @discardableResult
    public func act(_ action: HazardAction, _ note: String?) -> Task<Void, Never> {
        launchAction { [self] in
            setState {
                $0.acting = true
                $0.error = nil
            }
            let id = hazardId
            let trimmed = note?.trimmingCharacters(in: .whitespacesAndNewlines)
            let cleanNote = trimmed?.isEmpty == false ? trimmed : nil
            let done = await attempt {
                try await session.call { try $0.transitionHazard(hazardId: id, action: action, note: cleanNote) }
            }
            setState {
                $0.acting = false
                $0.detail = done.getOrNull() ?? $0.detail
                $0.error = done.uiError()
            }
        }
    }
}
