// The checklist of one inspection: items grouped by area; pass / fail / N/A, a note and the
// suspected-major mark per item; photos for failed items (required ones enforced before
// finishing); finishing turns each failure into a hazard. Also shows the proof of presence
// recorded when the inspection was started from a scan.

import Foundation
import GridPatrolCore

public struct ChecklistUiState: Equatable, Sendable {
    public var inspection: InspectionRecord?
    public var sections: [ChecklistSection] = []
    public var blockers: [FinishBlocker] = []
    /// The scans recorded with this inspection (proof of presence), oldest first.
    public var scans: [VenueScanRecord] = []
    /// The item whose answer is being saved.
    public var savingItem: String?
    public var finishing = false
    /// What finishing produced (one hazard per failed item).
    public var summary: InspectionSummary?
    public var error: UiError?

    public var entries: [ChecklistEntry] {
        sections.flatMap(\.entries)
    }

    public var editable: Bool {
        inspection?.status == .inProgress
    }

    public var canFinish: Bool {
        editable && !finishing && !sections.isEmpty && blockers.isEmpty
    }

    /// Scanned far from the venue, or without a location fix: shown as a flag, never a block.
    public var presenceFlagged: Bool {
        scans.contains { $0.farFromVenue || $0.location == nil }
    }
}

@MainActor
public final class ChecklistViewModel: StateViewModel<ChecklistUiState> {
    private let session: CoreSession
    public let inspectionId: String

    init(_ session: CoreSession, _ inspectionId: String) {
        self.session = session
        self.inspectionId = inspectionId
        super.init(ChecklistUiState())
    }

    /// Loads once and reloads when a photo is attached from the camera screen.
    @discardableResult
    public func start() -> Task<Void, Never> {
        reloadOn(session, { event in
            if case .journalAppended(_, "evidence.attached") = event { return true }
            return false
        }, { [weak self] in self?.load() })
        return load()
    }

    @discardableResult
    public func load() -> Task<Void, Never> {
        launchAction { [self] in
            let id = inspectionId
            let loaded = await attempt {
                try await session.call { core in
                    (
                        try core.getInspection(inspectionId: id),
                        try core.checklist(inspectionId: id),
                        try core.inspectionScans(inspectionId: id)
                    )
                }
            }
            guard case let .success((inspection, entries, scans)) = loaded else {
                setState { $0.error = loaded.uiError() }
                return
            }
            setState {
                $0.inspection = inspection
                $0.sections = checklistSections(entries)
                $0.blockers = finishBlockers(entries)
                $0.scans = scans
            }
        }
    }

    /// Sets an item's verdict, keeping its note (and the suspected-major mark while failed).
    @discardableResult
    public func answer(_ itemId: String, _ verdict: Verdict) -> Task<Void, Never> {
        let current = entry(itemId)?.answer
        let major = verdict == .fail && current?.suspectedMajor == true
        return save(itemId, verdict, current?.note, major)
    }

    /// Sets an answered item's note (blank clears it).
    @discardableResult
    public func setNote(_ itemId: String, _ note: String) -> Task<Void, Never> {
        guard let current = entry(itemId)?.answer else { return launchAction {} }
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        return save(itemId, current.verdict, trimmed.isEmpty ? nil : trimmed, current.suspectedMajor)
    }

    /// Marks a failed item that may be major as 疑似重大 (suspected major), or not.
    @discardableResult
    public func setSuspectedMajor(_ itemId: String, _ on: Bool) -> Task<Void, Never> {
        guard let current = entry(itemId)?.answer else { return launchAction {} }
        return save(itemId, current.verdict, current.note, on)
    }

    /// Takes a captured photo in and attaches it to the item's answer.
    @discardableResult
    public func attachPhoto(_ itemId: String, _ path: String) -> Task<Void, Never> {
        launchAction { [self] in
            setState {
                $0.savingItem = itemId
                $0.error = nil
            }
            let target = EvidenceTarget.answer(inspectionId: inspectionId, itemId: itemId)
            let attached = await attempt { try await session.call { try $0.attachPhoto(target: target, path: path) } }
            setState {
                $0.savingItem = nil
                $0.error = attached.uiError()
            }
            await load().value
        }
    }

    /// Finishes the inspection: every item answered, required photos present.
    @discardableResult
    public func finish() -> Task<Void, Never> {
        launchAction { [self] in
            guard state.canFinish else { return }
            setState {
                $0.finishing = true
                $0.error = nil
            }
            let id = inspectionId
            let finished = await attempt { try await session.call { try $0.finishInspection(inspectionId: id) } }
            setState {
                $0.finishing = false
                $0.summary = finished.getOrNull()
                $0.error = finished.uiError()
            }
            await load().value
        }
    }

    private func entry(_ itemId: String) -> ChecklistEntry? {
        state.entries.first { $0.itemId == itemId }
    }

    private func save(_ itemId: String, _ verdict: Verdict, _ note: String?, _ major: Bool) -> Task<Void, Never> {
        launchAction { [self] in
            setState {
                $0.savingItem = itemId
                $0.error = nil
            }
            let id = inspectionId
            let saved = await attempt {
                try await session.call {
                    try $0.answerItem(inspectionId: id, itemId: itemId, verdict: verdict, note: note, suspectedMajor: major)
                }
            }
            setState {
                $0.savingItem = nil
                $0.error = saved.uiError()
            }
            await load().value
        }
    }
}
